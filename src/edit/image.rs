//! Images dropped on (or chosen in) a document's form: stored beside the page and put
//! into its body as `![説明](images/name.png)`.
//!
//! Where: in `images/` of the folder the page's file lives in (`content/cases/images/`),
//! the relative path the README shows for images, so the Markdown works unchanged in
//! the build, in `kyoso check` and in any Markdown viewer. What: only PNG, JPEG, WebP and
//! GIF, known by their first bytes rather than the name the browser sent. SVG is refused
//! (it can carry script, and the build's SVG cleaning is for files people put there
//! knowingly); so is anything else. How: under a safe ASCII name made from the sent
//! name, never over an existing file (the same picture again reuses its file; another
//! one gets `-2`, `-3` …). The alt text is required: a picture without it says nothing
//! to a reader who cannot see it.

use super::store;
use crate::schema::Collection;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The largest image the editor accepts (a phone's photo fits; a poster scan may not).
pub const MAX_IMAGE: usize = 8 * 1024 * 1024;

/// Why an image was not stored, with the form control the message belongs beside.
#[derive(Debug)]
pub struct Refused {
    /// `"file"` or `"alt"`.
    pub field: &'static str,
    pub message: String,
}

fn refused(field: &'static str, message: impl Into<String>) -> Refused {
    Refused { field, message: message.into() }
}

/// The file extension for an image's bytes, or why they are not accepted.
pub fn sniff(bytes: &[u8]) -> Result<&'static str, Refused> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok("png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok("jpg");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok("gif");
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Ok("webp");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    if head.contains("<svg") {
        return Err(refused("file", "SVG 画像は中にスクリプトを含められるため、編集画面からは入れられません。PNG か JPEG に書き出してから入れてください。"));
    }
    Err(refused("file", "このファイルは画像（PNG・JPEG・WebP・GIF）ではありません。写真や図を PNG か JPEG で保存してから入れてください。"))
}

/// A safe ASCII file stem from the name the browser sent (`IMG_0012.JPG` → `img-0012`):
/// lowercase letters, digits and single hyphens; `None` when nothing usable is left
/// (a Japanese name).
pub fn safe_stem(sent: &str) -> Option<String> {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let out: String = crate::validate::hyphenate_ascii(stem).chars().take(40).collect();
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty()).then_some(out)
}

/// The folder (relative to the site) of the page the form edits: the folder of its file,
/// or where a new page of its kind goes.
pub fn page_folder(root: &Path, path: &str, collection: &str, guide: &str) -> Result<PathBuf, Refused> {
    if !path.is_empty() {
        let p = store::content_path(path).filter(|p| store::classify(p).is_some());
        return p.and_then(|p| p.parent().map(Path::to_path_buf)).ok_or_else(|| refused("file", format!("「{path}」はこの画面で編集できるページではありません")));
    }
    match store::new_kind(root, collection, guide) {
        Some((Collection::Guide, _)) => Err(refused("file", "新しいガイドブックには、一度「保存」してから画像を入れてください（画像はガイドブックのフォルダに置きます）。")),
        Some((c, guide)) => Ok(PathBuf::from(store::new_folder(c, guide.as_deref()))),
        None => Err(refused("file", "ページの種類が分かりません")),
    }
}

/// The alt text as Markdown image text: one line, every ASCII punctuation mark escaped
/// (so `]`, `*` or `<` stay letters), or why it is not accepted.
fn alt_markdown(alt: &str) -> Result<String, Refused> {
    let one_line = alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return Err(refused("alt", "画像の説明を入力してください。画像が見えない人には、この説明が読み上げられます。"));
    }
    if let Some(c) = one_line.chars().find(|c| c.is_control()) {
        return Err(refused("alt", format!("画像の説明に見えない制御文字 U+{:04X} があります。その文字を消してください。", c as u32)));
    }
    Ok(one_line.chars().fold(String::new(), |mut s, c| {
        if c.is_ascii_punctuation() {
            s.push('\\');
        }
        s.push(c);
        s
    }))
}

/// A stored image: its path from the site, and the Markdown that shows it.
#[derive(Debug)]
pub struct Stored {
    pub file: PathBuf,
    pub markdown: String,
}

/// Stores `bytes` as an image of the page in `folder` (relative to the site), named
/// after `sent`, and returns the Markdown that shows it with `alt`.
pub fn store(root: &Path, folder: &Path, sent: &str, alt: &str, bytes: &[u8]) -> Result<Stored, Refused> {
    let alt = alt_markdown(alt)?;
    if bytes.is_empty() {
        return Err(refused("file", "画像ファイルを選んでください"));
    }
    let ext = sniff(bytes)?;
    let stem = safe_stem(sent).unwrap_or_else(|| "image".to_string());
    let dir = folder.join("images");
    for i in 1..1000 {
        let name = if i == 1 { format!("{stem}.{ext}") } else { format!("{stem}-{i}.{ext}") };
        let rel = dir.join(&name);
        if !store::stays_inside(root, &rel) || !rel.starts_with("content") {
            return Err(refused("file", format!("{} には書けません（content/ の中だけに書きます）", rel.display())));
        }
        let path = root.join(&rel);
        std::fs::create_dir_all(root.join(&dir)).map_err(|e| refused("file", format!("{} を作れません（{e}）", dir.display())))?;
        // `create_new`: a file that appeared in the meantime is never overwritten.
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                if let Err(e) = f.write_all(bytes) {
                    drop(f);
                    let _ = std::fs::remove_file(&path);
                    return Err(refused("file", format!("{} に書けません（{e}）", rel.display())));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // The same picture again: its file is used, not copied.
                let same = !path.is_symlink() && std::fs::read(&path).is_ok_and(|old| old == bytes);
                if !same {
                    continue;
                }
            }
            Err(e) => return Err(refused("file", format!("{} に書けません（{e}）", rel.display()))),
        }
        return Ok(Stored { markdown: format!("![{alt}](images/{name})"), file: rel });
    }
    Err(refused("file", "同じ名前の画像が多すぎます。ファイル名を変えてから入れてください。"))
}

/// Whether `rel` (from the browser) names an image inside `content/` the editor may show
/// in its preview, and which type it is.
pub fn readable(root: &Path, rel: &str) -> Option<(Vec<u8>, &'static str)> {
    let p = Path::new(rel);
    let clean = p.components().all(|c| matches!(c, std::path::Component::Normal(s) if !s.to_string_lossy().starts_with('.')));
    if !clean || !p.starts_with("content") || rel.contains('\\') || !store::stays_inside(root, p) {
        return None;
    }
    let bytes = std::fs::read(root.join(p)).ok()?;
    let mime = match sniff(&bytes).ok()? {
        "png" => "image/png",
        "jpg" => "image/jpeg",
        "gif" => "image/gif",
        _ => "image/webp",
    };
    Some((bytes, mime))
}

/// The preview's images pointed at the editor's own copy of the site's files: the body
/// is rendered for the page's address, but shown at `/_edit/doc`, and an image just
/// added is not in the preview site yet (nor, for a draft, ever).
pub fn preview_sources(html: &str, page_url: &str) -> String {
    let dir = page_url.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<img ") {
        let (before, tag_on) = rest.split_at(i);
        out.push_str(before);
        let end = tag_on.find('>').map_or(tag_on.len(), |e| e + 1);
        let (tag, after) = tag_on.split_at(end);
        out.push_str(&rewrite_src(tag, dir));
        rest = after;
    }
    out.push_str(rest);
    out
}

fn rewrite_src(tag: &str, dir: &str) -> String {
    let Some(start) = tag.find(" src=\"").map(|s| s + 6) else { return tag.to_string() };
    let Some(len) = tag[start..].find('"') else { return tag.to_string() };
    let src = tag[start..start + len].replace("&amp;", "&");
    let local = !src.contains(':') && !src.starts_with('/') && !src.starts_with('#');
    match crate::urls::normalize(&crate::urls::join(dir, &crate::urls::decode(&src))).filter(|_| local) {
        Some(target) => format!("{}/_edit/file?path={}{}", &tag[..start], crate::urls::encode_segment(&format!("content/{target}")), &tag[start + len..]),
        None => tag.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn only_raster_images_are_accepted_by_their_bytes() {
        assert_eq!(sniff(PNG).unwrap(), "png");
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(), "jpg");
        assert_eq!(sniff(b"GIF89a....").unwrap(), "gif");
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), "webp");
        let svg = sniff(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>").unwrap_err();
        assert!(svg.message.contains("SVG"), "{svg:?}");
        assert!(sniff(b"<html><script>alert(1)</script>").unwrap_err().message.contains("画像（PNG・JPEG・WebP・GIF）ではありません"));
        assert!(sniff(b"RIFF\0\0\0\0WAVE").is_err());
    }

    #[test]
    fn names_become_safe_ascii() {
        assert_eq!(safe_stem("IMG_0012.JPG").as_deref(), Some("img-0012"));
        assert_eq!(safe_stem("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(safe_stem("..\\..\\kyoso.toml").as_deref(), Some("kyoso"));
        assert_eq!(safe_stem("商店街 の 写真.png"), None);
        assert_eq!(safe_stem("店先 photo (1).png").as_deref(), Some("photo-1"));
        assert_eq!(safe_stem(".."), None);
    }

    #[test]
    fn alt_text_is_required_and_kept_as_letters() {
        assert_eq!(alt_markdown("  ").unwrap_err().field, "alt");
        assert_eq!(alt_markdown("店先の [写真] *太字*\n二行目").unwrap(), "店先の \\[写真\\] \\*太字\\* 二行目");
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Path::new("content/cases");
        std::fs::create_dir_all(dir.path().join("content/cases/images")).unwrap();
        std::fs::write(dir.path().join("content/cases/images/photo.png"), b"someone else's file").unwrap();
        let a = store(dir.path(), folder, "photo.png", "店先", PNG).unwrap();
        assert_eq!(a.file, Path::new("content/cases/images/photo-2.png"));
        assert_eq!(a.markdown, "![店先](images/photo-2.png)");
        assert_eq!(std::fs::read(dir.path().join("content/cases/images/photo.png")).unwrap(), b"someone else's file");
        // The same picture again uses its file.
        assert_eq!(store(dir.path(), folder, "photo.png", "店先", PNG).unwrap().markdown, "![店先](images/photo-2.png)");
        let other = [PNG, b"other"].concat();
        assert_eq!(store(dir.path(), folder, "photo.png", "店先", &other).unwrap().markdown, "![店先](images/photo-3.png)");
    }

    #[test]
    fn preview_images_come_from_the_editor() {
        let html = r#"<p><img src="../images/a%20b.png" alt="x"> <img src="https://example.jp/a.png" alt="y"></p>"#;
        let out = preview_sources(html, "cases/kawagoe/index.html");
        assert_eq!(out, r#"<p><img src="/_edit/file?path=content%2Fcases%2Fimages%2Fa%20b.png" alt="x"> <img src="https://example.jp/a.png" alt="y"></p>"#);
    }
}
