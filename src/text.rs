//! Plain text as lists and search results show it: the start of a document's words,
//! cut at a sentence end.

/// The first `n` characters of plain text (whitespace runs count as one space), cut at a
/// sentence end when one is near.
pub fn excerpt(text: &str, n: usize) -> String {
    let (cut, more) = flat_start(text, n);
    if !more {
        return cut;
    }
    match cut.rfind('。') {
        Some(p) if p > cut.len() / 2 => cut[..p + '。'.len_utf8()].to_string(),
        _ => format!("{cut}…"),
    }
}

/// The first `n` characters of `text` with every whitespace run as one space (as
/// `split_whitespace().join(" ")` would give), and whether more text follows. Only the
/// start of the text is read, however long it is.
pub fn flat_start(text: &str, n: usize) -> (String, bool) {
    // Room for `n` kana or kanji: the cut is not grown and copied as it is written.
    let mut cut = String::with_capacity(text.len().min(n * 3));
    let mut count = 0;
    let mut space = false;
    // Where the run of characters not yet copied starts: runs are copied whole, not
    // character by character.
    let mut run: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(start) = run.take() {
                cut.push_str(&text[start..i]);
            }
            space = count > 0;
            continue;
        }
        if count == n {
            if let Some(start) = run {
                cut.push_str(&text[start..i]);
            }
            return (cut, true);
        }
        if std::mem::take(&mut space) {
            cut.push(' ');
            count += 1;
            if count == n {
                return (cut, true);
            }
        }
        run.get_or_insert(i);
        count += 1;
    }
    if let Some(start) = run {
        cut.push_str(&text[start..]);
    }
    (cut, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_start_is_the_start_of_the_words_joined() {
        let pieces = ["あ", "見守り", " ", "\n", "\u{3000}", "ab", "\t", "𠮷", "。", "  "];
        for text in crate::testing::random_texts(&pieces, 3000, 12, 0x9E37_79B9_7F4A_7C15) {
            let joined: Vec<char> = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
            for n in 0..8 {
                let expected: String = joined.iter().take(n).collect();
                assert_eq!(flat_start(&text, n), (expected, joined.len() > n), "{text:?} {n}");
            }
        }
    }

    #[test]
    fn excerpt_cuts_at_sentence() {
        assert_eq!(excerpt("あいうえお。かきくけこさしすせそ", 8), "あいうえお。");
        assert_eq!(excerpt("  ab \n cd  ", 5), "ab cd");
        assert_eq!(excerpt("ab  cd ef", 5), "ab cd…");
        assert_eq!(excerpt("ab cd", 3), "ab …");
        assert_eq!(excerpt("", 3), "");
    }
}
