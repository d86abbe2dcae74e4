//! Paths and links inside the output. Every link kyoso writes is relative to the page it
//! is on and names `index.html` explicitly, so the same `public/` works under any
//! sub-directory of a web server and when opened from disk with `file://`.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left as they are in a path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes one path segment (`買い物` → `%E8%B2%B7…`).
pub fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Percent-encodes a path, keeping its `/` separators.
pub fn encode_path(path: &str) -> String {
    path.split('/').map(encode_segment).collect::<Vec<_>>().join("/")
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

#[cfg(test)]
mod tests {
    use super::*;

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
