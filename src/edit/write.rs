//! Writes a document's front matter back as stable, readable YAML.
//!
//! The editor must not turn a one-field change into a rewrite of the file: people review
//! these files in pull requests, and some were written by hand with comments. So the front
//! matter is split into top-level entries (a key with its value lines and the comments
//! above it); an entry whose value the form left as it was is kept byte for byte, fields
//! the form does not know are kept where they are, and a new field goes after the field
//! before it in the schema's order. Values are quoted only when YAML would read them as
//! something else.

use crate::schema::{Collection, Ty};
use serde_json::Value;

/// One top-level entry of the front matter as written.
#[derive(Debug, Clone)]
struct Entry {
    /// Comment and blank lines above the key (kept with it).
    comments: String,
    /// The key, or `None` for comments at the end.
    key: Option<String>,
    /// The key's line and its continuation lines (indented, or list items).
    text: String,
}

fn split(fm: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut comments = String::new();
    for line in fm.split_inclusive('\n') {
        let starts_entry = !line.starts_with([' ', '\t', '-', '#', '\n']) && line.contains(':');
        if starts_entry {
            let key = line.split(':').next().unwrap_or("").trim().trim_matches(['"', '\'']).to_string();
            entries.push(Entry { comments: std::mem::take(&mut comments), key: Some(key), text: line.to_string() });
        } else if (line.starts_with('#') || line.trim().is_empty()) && !entries.last().is_some_and(|e| e.text.ends_with(": |\n") || e.text.ends_with(": |-\n")) {
            comments.push_str(line);
        } else if let Some(last) = entries.last_mut() {
            last.text.push_str(&comments);
            comments.clear();
            last.text.push_str(line);
        } else {
            comments.push_str(line);
        }
    }
    if !comments.is_empty() {
        entries.push(Entry { comments, key: None, text: String::new() });
    }
    entries
}

/// The front matter `fm` (as written, without its `---` lines) with `updates` applied:
/// each field set to a value, or removed when the value is empty (`Null`, `""`, `[]`).
pub fn merge(collection: Collection, fm: &str, updates: &[(&str, Value)]) -> String {
    let mut entries = split(fm);
    let order: Vec<&str> = crate::schema::accepted_fields(collection).map(|s| s.name).collect();
    for (name, value) in updates {
        let ty = crate::schema::find(collection, name).map_or(Ty::Text, |s| s.ty);
        let at = entries.iter().position(|e| e.key.as_deref() == Some(name));
        match at {
            Some(i) => {
                let old: Value = serde_yaml_ng::from_str(&entries[i].text).ok().and_then(|v: Value| v.get(*name).cloned()).unwrap_or(Value::Null);
                // Checkboxes send values in the vocabulary's order, not the file's.
                let unordered = matches!(ty, Ty::Vocabs(_) | Ty::Steps) || *name == "actors";
                if equivalent(ty, &old, value) || unordered && same_set(&old, value) {
                    continue;
                }
                if is_empty(value) {
                    entries.remove(i);
                } else {
                    entries[i].text = entry(name, ty, value);
                }
            }
            None if is_empty(value) => {}
            None => {
                // After the nearest field that comes before it in the schema.
                let rank = |k: &str| order.iter().position(|o| *o == k);
                let mine = rank(name).unwrap_or(usize::MAX);
                let after = entries.iter().rposition(|e| e.key.as_deref().and_then(rank).is_some_and(|r| r < mine));
                let new = Entry { comments: String::new(), key: Some(name.to_string()), text: entry(name, ty, value) };
                match after {
                    Some(i) => entries.insert(i + 1, new),
                    None => {
                        let first_key = entries.iter().position(|e| e.key.is_some()).unwrap_or(entries.len());
                        entries.insert(first_key, new);
                    }
                }
            }
        }
    }
    entries.iter().map(|e| format!("{}{}", e.comments, e.text)).collect()
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Bool(b) => !b,
        _ => false,
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn same_set(a: &Value, b: &Value) -> bool {
    let sorted = |v: &Value| {
        let mut items: Vec<String> = v.as_array().map(|a| a.iter().map(scalar).collect()).unwrap_or_default();
        items.sort();
        items
    };
    a.is_array() && b.is_array() && sorted(a) == sorted(b)
}

/// Whether two values mean the same for a field of type `ty` (so the written one stays).
fn equivalent(ty: Ty, old: &Value, new: &Value) -> bool {
    if is_empty(old) && is_empty(new) {
        return true;
    }
    match (old, new) {
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| scalar(x) == scalar(y)),
        (Value::Object(a), Value::Object(b)) => {
            let num = |m: &serde_json::Map<String, Value>, k: &str| m.get(k).map(scalar).and_then(|s| s.parse::<f64>().ok());
            ["lat", "lon"].iter().all(|k| num(a, k).is_some() && num(a, k) == num(b, k))
        }
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => false,
        _ => {
            let (a, b) = (scalar(old), scalar(new));
            a == b
                || match ty {
                    Ty::DateTime => crate::dates::parse_datetime(&a).is_some() && crate::dates::parse_datetime(&a) == crate::dates::parse_datetime(&b),
                    Ty::Date => crate::dates::parse_date(&a).is_some() && crate::dates::parse_date(&a) == crate::dates::parse_date(&b),
                    _ => false,
                }
        }
    }
}

/// `name: value` as YAML, with its line end.
fn entry(name: &str, ty: Ty, value: &Value) -> String {
    match value {
        Value::Array(items) if ty == Ty::Images => {
            let mut out = format!("{name}:\n");
            for item in items {
                let get = |k: &str| item.get(k).map(scalar).unwrap_or_default();
                out.push_str(&format!("  - src: {}\n    alt: {}\n", quote(&get("src"), false), quote(&get("alt"), false)));
            }
            out
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| if i.is_number() { scalar(i) } else { quote(&scalar(i), true) }).collect();
            format!("{name}: [{}]\n", items.join(", "))
        }
        Value::Object(m) => {
            let get = |k: &str| m.get(k).map(scalar).unwrap_or_default();
            let num = |s: String| if s.parse::<f64>().is_ok() { s } else { quote(&s, true) };
            format!("{name}: {{lat: {}, lon: {}}}\n", num(get("lat")), num(get("lon")))
        }
        Value::String(s) if s.contains('\n') => {
            let mut out = format!("{name}: |-\n");
            for line in s.trim_end().lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("  {line}\n"));
                }
            }
            out
        }
        Value::String(s) => format!("{name}: {}\n", quote(s.trim(), false)),
        other => format!("{name}: {other}\n"),
    }
}

/// `s` as a YAML scalar: plain when YAML reads it back as the same string, else in
/// double quotes (JSON's escapes are YAML's). `flow`: inside `[…]`, where `,` ends it.
pub fn quote(s: &str, flow: bool) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.contains(['\n', '\t', '"', '\''])
        && !s.starts_with(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`', '='])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !(flow && s.contains([',', '[', ']', '{', '}']))
        && !reads_as_other_type(s)
        && s.chars().all(|c| !c.is_control());
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("string")
    }
}

/// Plain YAML that a parser takes for a boolean, null or number.
fn reads_as_other_type(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~")
        || s.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.trim_start_matches(['+', '-']).starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FILE: &str = "# 題名（必須）: ページの題名\ntitle: 商店街の御用聞き\nprefecture: 埼玉県\ncustom_note: 手で書いた項目\ndomains:\n  - 買い物\n  - 見守り\nsource: \"https://example.jp/a\"\n";

    #[test]
    fn unchanged_values_keep_their_text_and_unknown_fields_stay() {
        // 分野 come back from the checkboxes in the vocabulary's order.
        let updates = [("title", json!("商店街の御用聞き")), ("domains", json!(["見守り", "買い物"])), ("source", json!("https://example.jp/a"))];
        assert_eq!(merge(Collection::Case, FILE, &updates), FILE);
    }

    #[test]
    fn a_change_rewrites_only_its_entry_and_new_fields_follow_schema_order() {
        let updates = [("domains", json!(["買い物"])), ("municipality", json!("川越市")), ("prefecture", json!("埼玉県"))];
        let out = merge(Collection::Case, FILE, &updates);
        assert_eq!(
            out,
            "# 題名（必須）: ページの題名\ntitle: 商店街の御用聞き\nprefecture: 埼玉県\nmunicipality: 川越市\ncustom_note: 手で書いた項目\ndomains: [買い物]\nsource: \"https://example.jp/a\"\n"
        );
        let back: Value = serde_yaml_ng::from_str(&out).unwrap();
        assert_eq!(back["domains"], json!(["買い物"]));
        assert_eq!(back["custom_note"], json!("手で書いた項目"));
    }

    #[test]
    fn emptied_fields_are_removed() {
        let out = merge(Collection::Case, FILE, &[("source", Value::Null), ("title", json!("新しい題名"))]);
        assert!(!out.contains("source"), "{out}");
        assert!(out.starts_with("# 題名（必須）: ページの題名\ntitle: 新しい題名\n"), "{out}");
    }

    #[test]
    fn values_are_quoted_only_when_yaml_would_misread_them() {
        for (s, plain) in [
            ("埼玉県", true),
            ("https://example.jp/a?b=1", true),
            ("2024-05-01", true),
            ("NPO法人 ささえあい", true),
            ("true", false),
            ("2025", false),
            ("a: b", false),
            ("#見出し", false),
            ("- 箇条", false),
            (" 前に空白", false),
            ("", false),
        ] {
            let q = quote(s, false);
            assert_eq!(q == s, plain, "{s} → {q}");
            let back: Value = serde_yaml_ng::from_str(&format!("k: {q}")).unwrap();
            assert_eq!(back["k"], json!(s), "{s} → {q}");
        }
        assert_eq!(quote("a, b", true), "\"a, b\"");
    }

    #[test]
    fn equivalent_dates_are_not_rewritten() {
        let fm = "title: 交流会\nstart: 2026-12-05T13:30:00+09:00\n";
        assert_eq!(merge(Collection::Event, fm, &[("start", json!("2026-12-05T13:30"))]), fm);
    }
}
