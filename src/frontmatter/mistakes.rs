//! The YAML mistakes editors make, found by looking at the lines themselves.
//!
//! The YAML parser reports where it gave up, in English: an unclosed quote on line 7 is
//! "found unexpected end of stream" at the end of the front matter, and `venue:県民会館`
//! is "could not find expected ':'" on the line after. When the parser fails, this scan
//! looks for the known mistakes at or before its line and names the line where the
//! mistake was made, in Japanese.

/// A known mistake: where it is (1-based line and column of the front matter) and what to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Mistake {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

/// The first known mistake on a line up to `until` (1-based; `None`: anywhere).
pub fn find(fm: &str, until: Option<usize>) -> Option<Mistake> {
    // Lines of a `|` or `>` block are text, whatever they look like: skipped while
    // indented deeper than the line that opened the block.
    let mut text_block_above: Option<usize> = None;
    for (i, line) in fm.split('\n').enumerate() {
        let number = i + 1;
        if until.is_some_and(|u| number > u) {
            break;
        }
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        if content.is_empty() {
            continue;
        }
        if let Some(parent) = text_block_above {
            if indent > parent && !line.starts_with('\t') {
                continue;
            }
            text_block_above = None;
        }
        if content.starts_with('#') {
            continue;
        }
        let at = |column: usize, message: String, hint: String| Some(Mistake { line: number, column, message, hint });
        if let Some(tab) = line[..indent].find('\t') {
            return at(
                tab + 1,
                "字下げにタブ文字が使われています（YAML の字下げは半角の空白だけです）".into(),
                "行頭のタブを半角の空白（2つなど）に置き換えてください。上の行とそろえます。".into(),
            );
        }
        // An item of a list may hold a field: `- title: a`.
        let item = content.strip_prefix("- ").map_or(content, |r| r.trim_start_matches(' '));
        let item_column = indent + (content.len() - item.len()) + 1;
        // Keys are ASCII words; `12:30` in a list is a time, not a key.
        let starts_a_key = item.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
        let key_len = if starts_a_key { item.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count() } else { 0 };
        let (key, after_key) = item.split_at(key_len);
        if !key.is_empty() {
            if let Some(value) = after_key.strip_prefix('：') {
                return at(
                    item_column + key.chars().count(),
                    format!("「{key}」のあとの「：」が全角です"),
                    format!("区切りは半角のコロンと空白です: `{key}: {}`", value.trim_start_matches([' ', '　'])),
                );
            }
            if let Some(value) = after_key.strip_prefix(':') {
                if !value.is_empty() && !value.starts_with([' ', '\t']) && !value.starts_with("//") {
                    return at(
                        item_column + key.chars().count() + 1,
                        format!("「{key}:」のあとに空白がありません"),
                        format!("「:」のあとに半角の空白を1つ入れてください: `{key}: {value}`"),
                    );
                }
            }
        }
        let value_start = match after_key.strip_prefix(':') {
            Some(v) if !key.is_empty() => v.trim_start_matches(' '),
            _ => item,
        };
        if value_start.starts_with(['|', '>']) && value_start[1..].bytes().all(|b| b"+-0123456789 ".contains(&b)) {
            text_block_above = Some(indent);
        }
        if let Some(quote) = value_start.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            if !closes(&value_start[1..], quote) {
                let column = line[..line.len() - value_start.len()].chars().count() + 1;
                return at(
                    column,
                    format!("引用符「{quote}」で始めた値が、その行で閉じられていません"),
                    if quote == '"' {
                        "値の終わりにも「\"」を付けてください。値の中の「\"」は \\\" と書きます（引用符なしでも書けます）。".into()
                    } else {
                        "値の終わりにも「'」を付けてください。値の中の「'」は '' と2つ重ねます（引用符なしでも書けます）。".into()
                    },
                );
            }
        }
    }
    None
}

/// Whether a quoted value that starts just before `rest` ends on this line.
fn closes(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            ('"', '\\') => {
                chars.next();
            }
            ('\'', '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
            }
            (q, c) if c == q => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fm: &str) -> Option<usize> {
        find(fm, None).map(|m| m.line)
    }

    #[test]
    fn finds_each_known_mistake_on_its_line() {
        assert_eq!(line("title: a\nvenue: \"会館\nkind: b\n"), Some(2));
        assert_eq!(line("title: a\nvenue: 'it''s\n"), Some(2));
        assert_eq!(line("title: a\ndomains:\n\t- 見守り\n"), Some(3));
        assert_eq!(line("title: a\nwebsite:https://example.jp\n"), Some(2));
        assert_eq!(line("title: a\n- venue：会館\n"), Some(2));
        let m = find("title：交流会\n", None).unwrap();
        assert_eq!((m.line, m.column), (1, 6));
        assert!(m.hint.contains("`title: 交流会`"), "{m:?}");
    }

    #[test]
    fn correct_lines_are_not_mistakes() {
        for fm in [
            "title: \"会館: 1階\"\nvenue: 'it''s'\nsummary: \"a \\\" b\"\n",
            "summary: 会議：報告\nwebsite: https://example.jp/\nlocation: {lat: 1, lon: 2}\n",
            "body: |\n  venue：会館\n  x:y \"\n\ntitle: a\n",
            "  - http://example.jp\n# venue：会館\ntimes: [12:30]\nlist:\n  - 13:30\n",
        ] {
            assert_eq!(find(fm, None), None, "{fm:?}");
        }
    }

    #[test]
    fn looks_no_further_than_asked() {
        assert_eq!(find("title: a\nvenue: \"会館\n", Some(1)), None);
    }
}
