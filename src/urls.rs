//! Paths and links inside the output. Every link kyoso writes is relative to the page it
//! is on and names `index.html` explicitly, so the same `public/` works under any
//! sub-directory of a web server and when opened from disk with `file://`.

use percent_encoding::percent_decode_str;

/// Percent-encodes one path segment (`買い物` → `%E8%B2%B7…`): every byte but the RFC 3986
/// unreserved characters, as percent_encoding's `NON_ALPHANUMERIC` set without `-_.~`.
/// Written byte by byte into one buffer: through `Display` each escape of a Japanese
/// character was a call of its own, 2 % of a build's instructions.
pub fn encode_segment(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() * 3);
    push_encoded(&mut out, s.as_bytes(), b"");
    String::from_utf8(out).expect("ASCII")
}

/// Percent-encodes a path, keeping its `/` separators.
pub fn encode_path(path: &str) -> String {
    let mut out = Vec::with_capacity(path.len() * 3);
    push_encoded(&mut out, path.as_bytes(), b"/");
    String::from_utf8(out).expect("ASCII")
}

fn push_encoded(out: &mut Vec<u8>, bytes: &[u8], keep: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || keep.contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
}

pub fn encode_fragment(s: &str) -> String {
    encode_segment(s)
}

pub fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The public address of an output file: `base_url` plus the percent-encoded path, with
/// a trailing `index.html` dropped (`cases/a/index.html` → `https://…/cases/a/`). Used for
/// canonical links, JSON-LD, exports and feeds, the only places absolute URLs belong.
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{base_url}{}", encode_path(path.strip_suffix("index.html").unwrap_or(path)))
}

/// Joins a relative path onto a folder (both `/`-separated, relative to the same root).
pub fn join(dir: &str, path: &str) -> String {
    if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    }
}

/// Resolves `.` and `..`; `None` when the path climbs above the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The prefix that leads from the folder of `from` (an output file path) to the root:
/// `cases/a/index.html` → `../../`.
pub fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// A percent-encoded link from the page at `from` to the file at `to`, both relative to
/// the output root.
pub fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let common = common.min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dir.len() - common);
    out.push_str(&encode_path(&to_parts[common..].join("/")));
    out
}

/// Whether `s` is an absolute `http(s)` address (config links, actor websites, imported
/// sites): nothing else may be written as an external link.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && lower.len() > 8 && !s.contains(char::is_whitespace)
}

/// A path inside the site (`about/`, `/cases/`, `data/actors.csv`): no scheme
/// (`javascript:`, `data:` …) before the first `/`, no other host (`//…`), and no
/// backslash, space or control character that browsers would skip or rewrite.
pub fn is_site_path(s: &str) -> bool {
    let first = s.split(['/', '?', '#']).next().unwrap_or("");
    !first.contains(':') && !s.starts_with("//") && !s.contains(|c: char| c == '\\' || c.is_whitespace() || c.is_control())
}

/// The page of one term (`domains/買い物/index.html`), encoded.
pub fn term_url(kind: &str, term: &str) -> String {
    format!("{kind}/{}/index.html", encode_segment(term))
}

/// The partner finder with a 分野 and place chosen.
pub fn partners_url(domain: &str, prefecture: Option<&str>, municipality: Option<&str>) -> String {
    let mut url = format!("partners/index.html?domain={}", encode_segment(domain));
    if let Some(p) = prefecture.filter(|p| *p != crate::vocab::NATIONWIDE) {
        url.push_str(&format!("&prefecture={}", encode_segment(p)));
    }
    if let Some(m) = municipality {
        url.push_str(&format!("&municipality={}", encode_segment(m)));
    }
    url
}

/// Page `page` of a paginated list in `folder`.
pub fn page_url(folder: &str, page: usize) -> String {
    if page == 1 {
        format!("{folder}/index.html")
    } else {
        format!("{folder}/page/{page}/index.html")
    }
}

/// Output path of an alias (an old address), or `None` if it would leave the site.
pub fn alias_path(alias: &str) -> Option<String> {
    if alias.contains('\\') || alias.contains(':') || alias.contains('\0') {
        return None;
    }
    let norm = normalize(alias.trim())?;
    if norm.is_empty() {
        return None;
    }
    Some(if norm.ends_with(".html") || norm.ends_with(".htm") { norm } else { format!("{norm}/index.html") })
}

/// A name usable as a folder name on every OS (term and region pages use names as written).
pub fn is_safe_path_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.chars().any(|c| c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
}

/// A municipality's region page, relative to the site root.
pub fn municipality_url(prefecture: &str, municipality: &str) -> String {
    format!("regions/{}/{}/index.html", encode_segment(prefecture), encode_segment(municipality))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_is_percent_encodings() {
        use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
        const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
        let samples = ["買い物", "a-b_c.d~e", "東京都/千代田区", "ｶﾞ ガ　が", "100%", "a/b?c#d&e=f+g", "\u{0}\u{7f}\u{80}", "𠮷野家", "", "/", "A Z"];
        for s in samples {
            assert_eq!(encode_segment(s), utf8_percent_encode(s, SEGMENT).to_string(), "{s:?}");
            let path: Vec<String> = s.split('/').map(|p| utf8_percent_encode(p, SEGMENT).to_string()).collect();
            assert_eq!(encode_path(s), path.join("/"), "{s:?}");
        }
        for c in (0..0x11000u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(encode_segment(&s), utf8_percent_encode(&s, SEGMENT).to_string());
        }
    }

    #[test]
    fn aliases_stay_inside() {
        assert_eq!(alias_path("/old/case/").unwrap(), "old/case/index.html");
        assert_eq!(alias_path("old.html").unwrap(), "old.html");
        assert!(alias_path("../../etc").is_none());
        assert!(alias_path("C:\\x").is_none());
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative("cases/a/index.html", "actors/b/index.html"), "../../actors/b/index.html");
        assert_eq!(relative("index.html", "cases/index.html"), "cases/index.html");
        assert_eq!(relative("cases/a/index.html", "cases/a/p.png"), "p.png");
        assert_eq!(relative("a/index.html", "domains/見守り/index.html"), "../domains/%E8%A6%8B%E5%AE%88%E3%82%8A/index.html");
        assert_eq!(root_prefix("cases/a/index.html"), "../../");
    }

    #[test]
    fn normalize_refuses_escapes() {
        assert_eq!(normalize("cases/../actors/x.md").unwrap(), "actors/x.md");
        assert!(normalize("../../etc/passwd").is_none());
    }
}
