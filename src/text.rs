//! Plain text as lists and search results show it: the start of a document's words,
//! cut at a sentence end; and which characters are Japanese (CJK) text.

/// The first `n` characters of plain text (whitespace runs count as one space), cut at a
/// sentence end when one is near.
pub fn excerpt(text: &str, n: usize) -> String {
    cut_at_sentence(flat_start(text, n))
}

fn cut_at_sentence((cut, more): (String, bool)) -> String {
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

/// The start of a document's text as lists and search results show it, kept when the
/// whole text is not: a build hands the whole text to the search index, which frees it
/// as it goes (see `handout.rs`), while the cards and the result snippets need only this.
#[derive(Debug, Default, Clone)]
pub struct Lead {
    /// [`flat_start`] of the text at [`Lead::CHARS`].
    start: String,
    /// Whether the text goes on after it.
    more: bool,
}

impl Lead {
    /// The longest start anything shows (the search snippets).
    pub const CHARS: usize = 240;

    pub fn of(text: &str) -> Lead {
        let (start, more) = flat_start(text, Self::CHARS);
        Lead { start, more }
    }

    /// [`flat_start`]`(text, n)` of the whole text, for `n` up to [`Lead::CHARS`]: the
    /// flattened text's first `n` characters are this start's first `n`.
    pub fn flat_start(&self, n: usize) -> (String, bool) {
        assert!(n <= Self::CHARS, "a lead keeps {} characters, not {n}", Self::CHARS);
        match self.start.char_indices().nth(n) {
            Some((at, _)) => (self.start[..at].to_string(), true),
            None => (self.start.clone(), self.more),
        }
    }

    /// [`excerpt`]`(text, n)` of the whole text.
    pub fn excerpt(&self, n: usize) -> String {
        cut_at_sentence(self.flat_start(n))
    }
}

/// Characters indexed as bigrams: 々〆〇, hiragana, katakana, the CJK ideographs (with
/// extension A, the compatibility block and plane 2, the supplementary ideographs).
const CJK_RANGES: [(u32, u32); 8] = [
    (0x3005, 0x3007),
    (0x3041, 0x309F),
    (0x30A1, 0x30FA),
    (0x30FC, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FFFF),
];

/// [`CJK_RANGES`] in the Basic Multilingual Plane as a bitset (8 KB), made at compile
/// time: one look-up per character of every indexed text instead of a chain of range
/// tests (which was 2.5 % of a build's instructions).
static CJK_BMP: [u64; 1024] = {
    let mut table = [0u64; 1024];
    let mut r = 0;
    while r < CJK_RANGES.len() {
        let (mut c, last) = CJK_RANGES[r];
        while c <= last && c < 0x10000 {
            table[(c / 64) as usize] |= 1 << (c % 64);
            c += 1;
        }
        r += 1;
    }
    table
};

/// Whether `c` is indexed as part of bigrams (and counts as Japanese text elsewhere).
pub fn is_cjk(c: char) -> bool {
    let c = c as u32;
    if c < 0x10000 {
        CJK_BMP[(c / 64) as usize] >> (c % 64) & 1 != 0
    } else {
        CJK_RANGES.iter().any(|&(first, last)| (first..=last).contains(&c))
    }
}

/// The length of the UTF-8 character that starts with byte `b` (a first byte: the bytes
/// that go on a character, 0x80 to 0xBF, never start one).
#[inline]
pub fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// A character of a word: letters and digits outside the CJK runs.
pub fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && !is_japanese_punctuation(c) && !is_cjk(c) && c.is_alphabetic())
}

/// 、。「」・ and the like: not letters, ruled out before the Unicode tables (which cost
/// more than all the rest of tokenising Japanese prose).
fn is_japanese_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x3004 | 0x3008..=0x3020 | 0x30FB)
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
    fn a_lead_gives_what_the_whole_text_gives() {
        // Texts around the lead's length, with whitespace and sentence ends where it cuts.
        let pieces = ["あ", "見守り", " ", "\n", "\u{3000}", "ab", "。", "  ", "いろはにほへとちりぬるを", "x"];
        for text in crate::testing::random_texts(&pieces, 400, 120, 0x2545_F491_4F6C_DD1D) {
            let lead = Lead::of(&text);
            for n in (0..=Lead::CHARS).step_by(7).chain([Lead::CHARS - 1, Lead::CHARS]) {
                assert_eq!(lead.flat_start(n), flat_start(&text, n), "{text:?} {n}");
                assert_eq!(lead.excerpt(n), excerpt(&text, n), "{text:?} {n}");
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

    #[test]
    fn the_cjk_table_is_the_ranges() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let in_ranges = super::CJK_RANGES.iter().any(|&(a, b)| (a..=b).contains(&(c as u32)));
            assert_eq!(super::is_cjk(c), in_ranges, "{c:?}");
        }
    }

    #[test]
    fn japanese_punctuation_has_no_letters() {
        for c in (0x3000..=0x3004).chain(0x3008..=0x3020).chain([0x30FB]).filter_map(char::from_u32) {
            assert!(super::is_japanese_punctuation(c) && !c.is_alphabetic(), "{c:?}");
        }
    }
}
