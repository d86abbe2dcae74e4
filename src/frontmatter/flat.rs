//! A fast path for the front matter editors actually write: one `key: value` per line,
//! values that are plain text, whole numbers, decimals, dates, `[a, b]` lists and
//! `{lat: …, lon: …}` maps. Loading YAML through serde_yaml was a twentieth of a build.
//!
//! [`parse`] gives exactly what serde_yaml gives, or `None` whenever it is not sure: a
//! quoted value, a comment, an indented line, anything ASCII that YAML might read as a
//! number, a boolean or null. Then the caller uses serde_yaml, with its error messages.
//! Tests hold both to the same result on the demo site and on many edge cases.

use serde_json::{Map, Value};

/// The fields of flat front matter, or `None` to leave it to serde_yaml.
pub fn parse(fm: &str) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    for line in fm.split('\n') {
        if line.bytes().all(|b| b == b' ') {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        if !is_key(key) || !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let value = rest.trim_start_matches(' ').trim_end_matches(' ');
        if value.is_empty() || map.contains_key(key) {
            // `key:` may open an indented block; a repeated key is serde_yaml's to refuse.
            return None;
        }
        let v = if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Value::Array(items(inner)?.into_iter().map(|item| scalar(item, true)).collect::<Option<_>>()?)
        } else if let Some(inner) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            let mut m = Map::new();
            for item in items(inner)? {
                let (k, v) = item.split_once(": ")?;
                if !is_key(k) || m.contains_key(k) {
                    return None;
                }
                m.insert(k.to_string(), scalar(v.trim_start_matches(' '), true)?);
            }
            Value::Object(m)
        } else {
            scalar(value, false)?
        };
        map.insert(key.to_string(), v);
    }
    Some(map)
}

/// The comma-separated items of a flow list or map (an empty one has none).
fn items(inner: &str) -> Option<Vec<&str>> {
    if inner.trim_matches(' ').is_empty() {
        return Some(Vec::new());
    }
    let items: Vec<&str> = inner.split(',').map(|s| s.trim_matches(' ')).collect();
    (!items.iter().any(|s| s.is_empty())).then_some(items)
}

/// A key serde_yaml reads as the same string: lower-case ASCII words.
fn is_key(key: &str) -> bool {
    key.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !matches!(key, "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n")
}

/// One plain value, typed as serde_yaml types it, or `None` when unsure. `in_flow`: an
/// item of `[…]` or `{…}`, where `,` `:` and brackets have meanings of their own.
fn scalar(s: &str, in_flow: bool) -> Option<Value> {
    let first = s.chars().next()?;
    if "-?:,[]{}#&*!|>'\"%@`~".contains(first)
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s.contains('\t')
        || (in_flow && s.contains([',', ':', '[', ']', '{', '}', '#']))
        // Control characters, and the ones YAML takes as line ends or refuses.
        || s.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'))
    {
        return None;
    }
    // Numbers, booleans and null are ASCII: text with any other character is text.
    if !s.is_ascii() {
        return Some(Value::String(s.to_string()));
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if digits(s) {
        // A leading zero is left to serde_yaml.
        return (s == "0" || !s.starts_with('0')).then(|| s.parse::<u64>().ok().map(Value::from)).flatten();
    }
    if let Some((whole, fraction)) = s.split_once('.') {
        if digits(whole) && digits(fraction) {
            return s.parse::<f64>().ok().filter(|f| f.is_finite()).map(Value::from);
        }
    }
    if is_date(s) {
        return Some(Value::String(s.to_string()));
    }
    // Words and addresses: start with a letter, no YAML keyword.
    let word = first.is_ascii_alphabetic()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/:?&=%+@!$()*;'".contains(&b))
        && !matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n");
    word.then(|| Value::String(s.to_string()))
}

/// `2026-04-01` or `2026-04-01 13:30`: text to serde_yaml (it has no date type).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let date = b.len() >= 10 && d(0..4) && b[4] == b'-' && d(5..7) && b[7] == b'-' && d(8..10);
    date && (b.len() == 10 || (b.len() == 16 && b[10] == b' ' && d(11..13) && b[13] == b':' && d(14..16)))
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn yaml(fm: &str) -> serde_json::Map<String, serde_json::Value> {
        match serde_yaml_ng::from_str::<serde_json::Value>(fm).expect("valid YAML") {
            serde_json::Value::Object(m) => m,
            other => panic!("{other:?}"),
        }
    }

    /// Values in every shape the fast path meets or must refuse; each one alone and in
    /// random combinations must give serde_yaml's result, or be left to it.
    const VALUES: &[&str] = &[
        "題名", "買い物支援 2026", "　全角の空白", "末尾に空白  ", "a: b", "会議: 報告", "会議：報告", "見守り #1", "a#b", "#コメント",
        "[]", "[ ]", "[買い物, 見守り]", "[買い物,見守り]", "[a, , b]", "[a, b,]", "[3]", "[1, 2]", "[01]", "[2026-04-01]", "[a:b]", "[\"x\"]",
        "{lat: 35.6570, lon: 139.3400}", "{lat: 35, lon: 139}", "{}", "{lat:35}", "{lat: 1, lat: 2}", "{Lat: 1}", "{lat: -1.5}",
        "2025", "0", "007", "18446744073709551616", "-3", "+3", "1.5", "1.", ".5", "1e5", "0x1F", "0o17", "1_000", "3.14.15",
        "2026-04-01", "2026-04-01 13:30", "2026-04-01T13:30", "2026-4-1", "13:30",
        "true", "True", "FALSE", "null", "Null", "~", "yes", "No", "on", "y", "inf", "nan", ".inf", ".NaN", "infinity",
        "csr", "care-extension", "actor-001040", "https://example.jp/a/?q=1&r=2", "mailto:a@example.jp", "x:y", "e5", "NPO",
        "'quoted'", "\"quoted\"", "- item", "? key", "& anchor", "*alias", "!tag", "| block", "> folded", "%", "@", "`",
        "タブ\tあり", "改行\u{2028}あり", "\u{FEFF}BOM", "３階", "0000-00-0000（平日9時〜17時）", "4丁目7-3", "2層",
    ];
    const KEYS: &[&str] = &["title", "domains", "location", "steps", "fiscal_year", "_x", "Title", "2a", "true", "a b", "tags"];

    fn check(fm: &str) {
        if let Some(fast) = parse(fm) {
            assert_eq!(fast, yaml(fm), "{fm:?}");
        }
    }

    #[test]
    fn each_value_is_read_as_serde_yaml_reads_it_or_left_to_it() {
        for v in VALUES {
            for k in KEYS {
                let fm = format!("{k}: {v}\n");
                if serde_yaml_ng::from_str::<serde_json::Value>(&fm).is_ok_and(|v| v.is_object()) {
                    check(&fm);
                } else {
                    assert_eq!(parse(&fm), None, "{fm:?} is not valid flat YAML");
                }
            }
        }
    }

    #[test]
    fn the_common_shapes_take_the_fast_path() {
        let fm = "title: 商店街の御用聞き\ndate: 2026-04-01\nactors: [shoten-kumiai]\ndomains: [買い物, 見守り]\nsteps: [2]\n\
                  location: {lat: 35.6570, lon: 139.3400}\nfiscal_year: 2025\nwebsite: https://example.jp/a/\nstart: 2027-06-07 13:30\n";
        assert_eq!(parse(fm).expect("flat"), yaml(fm));
        for refused in ["title: \"引用\"\n", "# コメント\ntitle: a\n", "title: a\n  続き\n", "title: a\ntitle: b\n", "list:\n  - a\n", "flag: true\n"] {
            assert_eq!(parse(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn the_demo_site_reads_the_same_and_mostly_fast() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (mut fast, mut all) = (0, 0);
        for entry in walkdir::WalkDir::new(content).into_iter().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "md")) {
            let text = std::fs::read_to_string(entry.path()).expect("utf-8");
            let parsed = crate::frontmatter::parse(entry.path(), text.clone()).expect("front matter");
            if !parsed.locator.text().trim().is_empty() && crate::frontmatter::first_line_is(&text, "---") {
                all += 1;
                assert_eq!(parsed.fields, yaml(parsed.locator.text()), "{}", entry.path().display());
                fast += usize::from(parse(parsed.locator.text()).is_some());
            }
        }
        assert!(all > 50 && fast * 2 > all, "{fast} of {all} documents on the fast path");
    }

    #[test]
    fn random_combinations_agree_with_serde_yaml() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut fm = String::new();
            for _ in 0..1 + next(5) {
                let (k, v) = (KEYS[next(KEYS.len())], VALUES[next(VALUES.len())]);
                fm.push_str(&format!("{k}: {v}\n"));
                if next(5) == 0 {
                    fm.push('\n');
                }
            }
            if serde_yaml_ng::from_str::<serde_json::Value>(&fm).is_ok_and(|v| v.is_object()) {
                check(&fm);
            } else {
                assert_eq!(parse(&fm), None, "{fm:?} is not valid flat YAML");
            }
        }
    }
}
