//! From a file's bytes to front-matter fields and a Markdown body.
//!
//! Editors write on Windows with tools that save Shift_JIS, add a BOM or CRLF line ends; the
//! first two are common and silent. This module decodes (refusing what is not UTF-8 with the
//! encoding it looks like), splits YAML `---` or TOML `+++` front matter from the body, parses
//! it into a JSON map, and keeps enough of the raw text to point at the line of any field.

mod depth;
mod flat;
mod mistakes;

pub use depth::MAX_DEPTH;

use crate::diagnostics::Diagnostic;
use serde_json::{Map, Value};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// A source file split and parsed.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub fields: Map<String, Value>,
    pub locator: Locator,
    pub body: String,
    /// File line number of the first body line.
    pub body_first_line: usize,
}

/// Turns raw bytes into text. Accepts UTF-8 with or without BOM; CRLF becomes LF (so line
/// numbers are unchanged). Anything else is refused, naming the encoding it looks like.
///
/// Takes the bytes as read: valid UTF-8 without CR becomes the text without a copy (a
/// copy of 50 MB of sources at 10,000 documents, and the page faults of its memory).
pub fn decode(path: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Diagnostic::error(path, "このファイルは UTF-16 で保存されています")
            .hint("エディタで文字コードを「UTF-8」にして保存し直してください。"));
    }
    // SIMD validation first (Japanese text is mostly multi-byte, where std's check costs
    // a tenth of loading); std's only for the position of an error.
    match simdutf8::basic::from_utf8(&bytes).map_err(|_| std::str::from_utf8(&bytes).expect_err("both validators agree")) {
        Ok(text) => {
            // Most files have neither a NUL nor a CR: one vectorised scan for both.
            if let Some(first) = memchr::memchr2(b'\0', b'\r', text.as_bytes()) {
                if let Some(pos) = memchr::memchr(b'\0', &text.as_bytes()[first..]).map(|p| first + p) {
                    let (line, col) = crate::diagnostics::line_col(text, pos);
                    return Err(Diagnostic::error(path, "ファイルに NUL 文字（制御文字）が含まれています")
                        .at(line, col)
                        .hint("テキストファイルではない可能性があります。Markdown のテキストとして保存し直してください。"));
                }
                return Ok(text.replace("\r\n", "\n"));
            }
            // SAFETY: simdutf8 has just checked that these bytes are UTF-8.
            Ok(unsafe { String::from_utf8_unchecked(bytes) })
        }
        Err(e) => {
            let looks_like = guess_legacy_encoding(&bytes);
            let (line, _) = crate::diagnostics::line_col(
                &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                e.valid_up_to(),
            );
            let message = match looks_like {
                Some(name) => format!("このファイルは {name} で保存されています（UTF-8 ではありません）"),
                None => "このファイルは UTF-8 のテキストではありません".to_string(),
            };
            Err(Diagnostic::error(path, message)
                .at(line, 0)
                .hint("エディタで文字コードを「UTF-8」にして保存し直してください（メモ帳なら「名前を付けて保存」→ 文字コード「UTF-8」）。"))
        }
    }
}

/// Which Japanese legacy encoding decodes these bytes without errors, if any.
pub fn guess_legacy_encoding(bytes: &[u8]) -> Option<&'static str> {
    let clean = |enc: &'static encoding_rs::Encoding| {
        let (_, had_errors) = enc.decode_without_bom_handling(bytes);
        !had_errors
    };
    if clean(encoding_rs::SHIFT_JIS) {
        Some("Shift_JIS")
    } else if clean(encoding_rs::EUC_JP) {
        Some("EUC-JP")
    } else {
        None
    }
}

/// Splits front matter from body and parses it.
pub fn parse(path: &Path, text: String) -> Result<Parsed, Diagnostic> {
    let (format, fence) = if first_line_is(&text, "---") {
        (Format::Yaml, "---")
    } else if first_line_is(&text, "+++") {
        (Format::Toml, "+++")
    } else {
        return Err(Diagnostic::error(path, "ファイルの先頭に front matter（--- で囲んだ項目欄）がありません")
            .at(1, 1)
            .hint("1行目を `---` にし、`title: 題名` などの項目を書いて、次の `---` で閉じてください。"));
    };
    let after_open = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = after_open;
    let mut close = None;
    for line in text[after_open..].split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((close_start, body_start)) = close else {
        return Err(Diagnostic::error(path, format!("front matter が閉じられていません（2つ目の `{fence}` がありません）"))
            .at(1, 1)
            .hint(format!("項目欄の終わりに `{fence}` だけの行を入れてください。")));
    };
    let fm_text = text[after_open..close_start].to_string();
    let body_first_line = text[..body_start].matches('\n').count() + 1;
    // The body stays where it was read (moved to the front of the buffer, not copied).
    let mut body = text;
    body.drain(..body_start);
    let fields = match format {
        Format::Yaml => parse_yaml(path, &fm_text)?,
        Format::Toml => parse_toml(path, &fm_text)?,
    };
    Ok(Parsed { fields, locator: Locator { format, fm_text: fm_text.into(), fm_first_line: FM_FIRST_LINE }, body, body_first_line })
}

fn first_line_is(text: &str, fence: &str) -> bool {
    text.lines().next().is_some_and(|l| l.trim_end() == fence)
}

fn parse_yaml(path: &Path, fm: &str) -> Result<Map<String, Value>, Diagnostic> {
    if fm.trim().is_empty() {
        return Ok(Map::new());
    }
    if let Some(fields) = flat::parse(fm) {
        return Ok(fields);
    }
    check_depth(path, fm, Format::Yaml, FM_FIRST_LINE)?;
    let value: Value = serde_yaml_ng::from_str(fm).map_err(|e| {
        // serde_yaml's line is 1-based in the front matter; the file has `---` above it.
        let (line, col) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        let english = yaml_message(&e.to_string()).to_string();
        match mistakes::find(fm, (line > 0).then_some(line)) {
            Some(m) => known_mistake(path, m),
            None => Diagnostic::error(path, "front matter（YAML）を読み取れません")
                .at(if line > 0 { line + FM_FIRST_LINE - 1 } else { 0 }, col)
                .hint(format!(
                    "`項目名: 値` の形か、`:` を含む値を \"…\" で囲んでいるか、字下げがそろっているかを確認してください（YAML の解析結果: {english}）。"
                )),
        }
    })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        // `title：交流会` alone is valid YAML: one string, no field.
        _ => Err(match mistakes::find(fm, None) {
            Some(m) => known_mistake(path, m),
            None => Diagnostic::error(path, "front matter が `項目名: 値` の形になっていません")
                .at(FM_FIRST_LINE, 1)
                .hint("各行を `title: 題名` のように書いてください。"),
        }),
    }
}

/// File line of the first front-matter line (the fence is line 1).
const FM_FIRST_LINE: usize = 2;

fn known_mistake(path: &Path, m: mistakes::Mistake) -> Diagnostic {
    Diagnostic::error(path, m.message).at(m.line + FM_FIRST_LINE - 1, m.column).hint(m.hint)
}

/// serde_yaml messages end with " at line N column M"; the location is printed already.
fn yaml_message(msg: &str) -> &str {
    msg.split(" at line ").next().unwrap_or(msg)
}

/// Refuses `text` (a file's front matter from its line `first_line`, or a whole data
/// file with `first_line` 1) if it nests deeper than [`MAX_DEPTH`]: the parsers take
/// minutes on hostile nesting, this check microseconds.
pub fn check_depth(path: &Path, text: &str, format: Format, first_line: usize) -> Result<(), Diagnostic> {
    match depth::too_deep(text, format) {
        None => Ok(()),
        Some((line, column)) => Err(Diagnostic::error(path, format!("入れ子が深すぎます（{MAX_DEPTH} 段までです）"))
            .at(line + first_line - 1, column)
            .hint("[ ] や { } の重なり、字下げの段数を減らしてください。壊れたファイルか、意図しない内容の可能性があります。")),
    }
}

fn parse_toml(path: &Path, fm: &str) -> Result<Map<String, Value>, Diagnostic> {
    check_depth(path, fm, Format::Toml, FM_FIRST_LINE)?;
    let table: toml::Table = toml::from_str(fm).map_err(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| crate::diagnostics::line_col(fm, s.start));
        Diagnostic::error(path, format!("front matter（TOML）を読み取れません: {}", e.message().trim()))
            .at(line + FM_FIRST_LINE - 1, col)
            .hint("`項目名 = \"値\"` の形になっているかを確認してください。")
    })?;
    Ok(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

/// The front matter as written, kept to point at the line of a field in messages.
#[derive(Debug, Clone)]
pub struct Locator {
    format: Format,
    /// Shared, so copies of a document (the cache of `serve`) do not copy it.
    fm_text: std::sync::Arc<str>,
    /// File line number of the first front-matter line.
    fm_first_line: usize,
}

impl Locator {
    /// The front matter as written, without its `---` or `+++` lines.
    pub fn text(&self) -> &str {
        &self.fm_text
    }
}

impl Parsed {
    pub fn locate(&self, key: &str) -> (usize, usize) {
        self.locator.locate(key)
    }

    pub fn locate_item(&self, key: &str, item: &str) -> (usize, usize) {
        self.locator.locate_item(key, item)
    }
}

impl Locator {
    /// For items that do not come from a file.
    pub fn empty() -> Locator {
        Locator { format: Format::Yaml, fm_text: "".into(), fm_first_line: 0 }
    }

    /// File line and column of `key`'s value (line of the key, column after the separator).
    pub fn locate(&self, key: &str) -> (usize, usize) {
        match self.key_line(key) {
            Some((i, line)) => {
                let sep = if self.format == Format::Yaml { ':' } else { '=' };
                let after = line.find(sep).map_or(0, |p| p + 1);
                let value_start = after + (line[after..].len() - line[after..].trim_start().len());
                (self.fm_first_line + i, line[..value_start].chars().count() + 1)
            }
            None => (self.fm_first_line, 0),
        }
    }

    /// File line and column where `item` is written inside the value of `key`.
    pub fn locate_item(&self, key: &str, item: &str) -> (usize, usize) {
        let Some((start, _)) = self.key_line(key) else { return self.locate(key) };
        for (i, line) in self.fm_text.lines().enumerate().skip(start) {
            if i > start && is_top_level_key(line, self.format) {
                break;
            }
            if let Some(pos) = line.find(item) {
                return (self.fm_first_line + i, line[..pos].chars().count() + 1);
            }
        }
        self.locate(key)
    }

    fn key_line(&self, key: &str) -> Option<(usize, &str)> {
        self.fm_text.lines().enumerate().find(|(_, line)| {
            let l = line.trim_start_matches('\u{feff}');
            let rest = l.strip_prefix(key).or_else(|| {
                l.strip_prefix('"').and_then(|s| s.strip_prefix(key)).and_then(|s| s.strip_prefix('"'))
            });
            rest.is_some_and(|r| {
                let r = r.trim_start();
                match self.format {
                    Format::Yaml => r.starts_with(':'),
                    Format::Toml => r.starts_with('='),
                }
            })
        })
    }
}

fn is_top_level_key(line: &str, format: Format) -> bool {
    let first = line.chars().next();
    match format {
        Format::Yaml => first.is_some_and(|c| !c.is_whitespace() && c != '-' && c != '#') && line.contains(':'),
        Format::Toml => first.is_some_and(|c| !c.is_whitespace() && c != '#') && line.contains('='),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Parsed, Diagnostic> {
        parse(Path::new("a.md"), text.to_string())
    }

    #[test]
    fn yaml_and_toml_give_the_same_fields() {
        let y = p("---\ntitle: 見守り\ndomains: [見守り]\ndate: 2024-05-01\n---\n本文\n").unwrap();
        let t = p("+++\ntitle = \"見守り\"\ndomains = [\"見守り\"]\ndate = 2024-05-01\n+++\n本文\n").unwrap();
        assert_eq!(y.fields, t.fields);
        assert_eq!(y.fields["date"], "2024-05-01");
        assert_eq!(y.body, "本文\n");
        assert_eq!(y.body_first_line, 6);
    }

    #[test]
    fn locates_fields_and_items() {
        let y = p("---\ntitle: a\ndomains:\n  - 見守り\n  - 買物\n---\n").unwrap();
        assert_eq!(y.locate("title"), (2, 8));
        assert_eq!(y.locate_item("domains", "買物"), (5, 5));
    }

    #[test]
    fn unterminated_and_missing_front_matter_are_errors() {
        assert!(p("---\ntitle: a\n").unwrap_err().message.contains("閉じられていません"));
        assert!(p("# 見出し\n").unwrap_err().message.contains("front matter"));
    }

    #[test]
    fn yaml_error_has_a_line() {
        let e = p("---\ntitle: a\ndomains: [見守り\n---\n").unwrap_err();
        assert!(e.line >= 3, "{e}");
    }

    #[test]
    fn shift_jis_is_named() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("---\ntitle: 買い物支援\n---\n");
        let e = decode(Path::new("a.md"), bytes.into_owned()).unwrap_err();
        assert!(e.message.contains("Shift_JIS"), "{e}");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = decode(Path::new("a.md"), b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\n".to_vec()).unwrap();
        assert_eq!(t, "---\ntitle: a\n---\n");
    }
}
