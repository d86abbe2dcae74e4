//! Text hygiene: control characters in what editors write are errors, not output.
//!
//! A vertical tab or an escape sequence in a title is invisible in an editor but makes
//! `feed.xml` malformed XML (feed readers then drop the whole feed), breaks `events.ics`
//! and can rewrite a terminal that prints the file. Such characters come from pasted PDFs,
//! spreadsheets and terminals, never from meaning, so kyoso refuses them where they are
//! written — front matter, Markdown bodies, `kyoso.toml`, `content/links.yaml` — with
//! the place and a hint, instead of silently changing the editor's text.
//!
//! Refused: Unicode's control characters (general category Cc: C0 `U+0000`–`U+001F`,
//! DEL `U+007F`, C1 `U+0080`–`U+009F`) except tab, line feed and carriage return.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// The first refused control character in `s` and its byte offset.
pub fn control_char(s: &str) -> Option<(usize, char)> {
    // Bytes, not chars: bodies are most of a site's text and this runs on each of them.
    // Blocks with none of the bytes a refused character starts with (nearly all) are
    // passed over by a test without an early exit, which the compiler vectorises: the
    // byte-by-byte search was 3 % of a build's instructions.
    const BLOCK: usize = 64;
    let starts_one = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') | (b == 0x7F) | (b == 0xC2);
    let clean = s.as_bytes().chunks(BLOCK).take_while(|block| !block.iter().fold(false, |any, &b| any | starts_one(b))).count();
    let from = clean * BLOCK;
    let bytes = &s.as_bytes()[from.min(s.len())..];
    let pos = from + bytes.iter().enumerate().position(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1F | 0x7F => true,
        // C1 controls are U+0080–U+009F: 0xC2 0x80–0x9F in UTF-8.
        0xC2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
        _ => false,
    })?;
    Some((pos, s[pos..].chars().next().expect("a character starts here")))
}

/// `U+001B（エスケープ）`: the code an editor can search for, and a name where it has one.
pub fn describe(c: char) -> String {
    let name = match c {
        '\0' => "NUL",
        '\u{7}' => "ベル",
        '\u{8}' => "後退",
        '\u{b}' => "垂直タブ",
        '\u{c}' => "改ページ",
        '\u{1b}' => "エスケープ",
        '\u{7f}' => "削除",
        _ => "",
    };
    if name.is_empty() {
        format!("U+{:04X} ", c as u32)
    } else {
        format!("U+{:04X}（{name}）", c as u32)
    }
}

/// The error for a control character `c` in `what` (項目「title」, 本文 …) right after the
/// text `before` (quoted, so the editor can find the place); the caller adds the line,
/// column and field.
pub fn control_error(path: impl AsRef<Path>, what: &str, before: &str, c: char) -> Diagnostic {
    let line = before.rsplit('\n').next().unwrap_or("");
    let tail: Vec<char> = line.chars().rev().take(12).collect();
    let place = match tail.len() {
        0 => "の先頭".to_string(),
        n => format!("の「{}{}」の直後", if n == 12 { "…" } else { "" }, tail.iter().rev().collect::<String>()),
    };
    Diagnostic::error(path, format!("{what}{place}に制御文字 {}があります", describe(c))).hint(
        "目に見えない制御文字です（PDF や表計算ソフト、端末からの貼り付けで入ります）。その文字を消してください。タブと改行は使えます。",
    )
}

/// The error for the first control character of a Markdown body, at its file line.
pub fn body_error(path: &Path, body: &str, body_first_line: usize) -> Option<Diagnostic> {
    let (pos, c) = control_char(body)?;
    let (line, col) = crate::diagnostics::line_col(body, pos);
    Some(control_error(path, "本文", &body[..pos], c).at(body_first_line + line - 1, col))
}

/// The first string inside a front-matter value that holds a control character: the
/// clean text before it (to find the place in the file) and the character.
pub fn control_in_value(value: &serde_json::Value) -> Option<(&str, char)> {
    use serde_json::Value;
    match value {
        Value::String(s) => control_char(s).map(|(pos, c)| (&s[..pos], c)),
        Value::Array(items) => items.iter().find_map(control_in_value),
        Value::Object(map) => map.values().find_map(control_in_value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_c0_del_and_c1_but_not_tab_newline_or_japanese() {
        assert_eq!(control_char("見出し\tと\r\n改行"), None);
        assert_eq!(control_char("a\u{b}b"), Some((1, '\u{b}')));
        assert_eq!(control_char("赤\u{1b}[31m"), Some((3, '\u{1b}')));
        assert_eq!(control_char("x\u{7f}"), Some((1, '\u{7f}')));
        assert_eq!(control_char("社協\u{9b}"), Some((6, '\u{9b}')));
        // U+00A0 (no-break space) and U+00B1 (±) share the 0xC2 lead byte and are text.
        assert_eq!(control_char("\u{a0}±°"), None);
        // Wherever it is in a long text: before, across and after the blocks passed over.
        for n in 0..200 {
            let before = "a見".repeat(n / 4) + &"b".repeat(n % 4);
            assert_eq!(control_char(&format!("{before}\u{9b}\u{a0}\n")), Some((before.len(), '\u{9b}')), "{n}");
            assert_eq!(control_char(&format!("{before}\u{a0}\u{1}")), Some((before.len() + 2, '\u{1}')), "{n}");
            assert_eq!(control_char(&format!("{before}\u{a0}\t{before}")), None, "{n}");
        }
        // The scan agrees with Unicode's own list of control characters.
        for c in (0..0x3000).filter_map(char::from_u32) {
            let expected = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
            assert_eq!(control_char(&format!("あ{c}")).is_some(), expected, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn body_errors_name_the_file_line() {
        let d = body_error(Path::new("content/news/a.md"), "一行目\n二\u{c}行目\n", 5).unwrap();
        assert_eq!((d.line, d.column), (6, 2));
        assert_eq!(d.message, "本文の「二」の直後に制御文字 U+000C（改ページ）があります");
        let d = control_error("kyoso.toml", "設定「title」", "", '\u{1}');
        assert_eq!(d.message, "設定「title」の先頭に制御文字 U+0001 があります");
    }
}
