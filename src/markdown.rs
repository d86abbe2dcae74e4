//! Markdown to HTML: pulldown-cmark with the GitHub extensions, heading ids that work for
//! Japanese headings, a table of contents, and links/images written relative to the source
//! file rewritten to relative links between output pages.

use crate::urls;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

#[derive(Debug, Clone, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    /// Percent-encoded id, for `href="#…"`.
    pub href: String,
    pub title: String,
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// The text without markup, for summaries and the search index.
    pub text: String,
    /// Link targets inside the site that do not exist (as written).
    pub broken: Vec<String>,
    /// Every heading id, for checking `#fragment` links to this page.
    pub ids: Vec<String>,
    /// Links to other pages of the site: (output path, decoded fragment, as written).
    pub internal: Vec<(String, Option<String>, String)>,
}

/// What a page's links are resolved against.
pub struct LinkContext<'a> {
    /// Folder of the source file, relative to `content/` (`cases`, `guides/platform`).
    pub source_dir: &'a str,
    /// Output path of the page being rendered (`cases/foo/index.html`).
    pub page_url: &'a str,
    /// Content-relative `.md` path → output path of that page.
    pub pages: &'a HashMap<String, String>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(markdown: &str, cx: &LinkContext) -> Rendered {
    let mut events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let mut out = Rendered::default();
    let mut used_ids: HashMap<String, usize> = HashMap::new();

    // Heading ids and the table of contents.
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let explicit = id.clone();
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            let base = explicit.map(|s| s.to_string()).unwrap_or_else(|| heading_id(&title));
            let n = used_ids.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}-{n}") };
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id.clone()));
            }
            out.ids.push(id.clone());
            if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                out.toc.push(TocEntry {
                    level: level as u8,
                    href: urls::encode_fragment(&id),
                    id,
                    title: title.trim().to_string(),
                });
            }
            i = j;
        }
        i += 1;
    }

    // Links, images and tables rewritten on the way to the HTML writer, the plain text
    // taken on the way: no second list of events. Both strings are sized from the source
    // up front (the HTML is a little longer than the Markdown), not grown by copies.
    let mut has_raw_html = false;
    out.text.reserve(markdown.len());
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4 + 64);
    let (text, broken, internal) = (&mut out.text, &mut out.broken, &mut out.internal);
    let rewritten = events.into_iter().flat_map(|event| {
        let (first, second) = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = resolve(&dest_url, cx, broken, internal);
                (Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id }), None)
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = resolve(&dest_url, cx, broken, internal);
                (Event::Start(Tag::Image { link_type, dest_url: dest.into(), title, id }), None)
            }
            // Wide tables scroll inside their own box (keyboard-focusable) instead of
            // making the whole page scroll sideways on a phone.
            Event::Start(Tag::Table(a)) => (
                Event::Html(CowStr::from(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"表（横にスクロールできます）\">",
                )),
                Some(Event::Start(Tag::Table(a))),
            ),
            Event::End(TagEnd::Table) => (Event::End(TagEnd::Table), Some(Event::Html(CowStr::from("</div>")))),
            // Raw HTML is kept for now and the whole page is sanitised below.
            Event::Html(h) | Event::InlineHtml(h) => {
                has_raw_html = true;
                (Event::Html(h), None)
            }
            Event::Text(t) => {
                text.push_str(&t);
                (Event::Text(t), None)
            }
            Event::Code(t) => {
                text.push_str(&t);
                (Event::Code(t), None)
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                text.push('\n');
                (event, None)
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                (event, None)
            }
            e => (e, None),
        };
        std::iter::once(first).chain(second)
    });
    pulldown_cmark::html::push_html(&mut html, rewritten);
    out.html = html;
    if has_raw_html {
        // Contributed content may carry HTML: only an allowlist of content elements and
        // attributes survives, and no script, event handler, style or script URL.
        out.html = sanitizer().clean(&out.html).to_string();
    }
    out
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["details", "summary", "ruby", "rt", "rp", "figure", "figcaption", "mark", "input", "section"])
            .add_generic_attributes(["id", "class", "lang", "title"])
            .add_tag_attributes("div", ["tabindex", "role", "aria-label"])
            .add_tag_attributes("input", ["type", "disabled", "checked"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("td", ["colspan", "rowspan"])
            .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
            .add_tag_attribute_values("input", "type", ["checkbox"])
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .link_rel(None);
        b
    })
}

/// A heading id from its text: the words themselves (HTML allows any character but
/// spaces), so Japanese headings get readable, stable ids like `経緯と目的`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        // Kana and kanji (nearly every character of a Japanese heading) have no case
        // and are all kept: no Unicode table look-ups for them.
        if crate::search::analyzer::is_cjk(c) {
            id.push(c);
            continue;
        }
        if c.is_whitespace() || c == '\u{3000}' {
            if !id.ends_with('-') {
                id.push('-');
            }
        } else if c.is_alphanumeric() || matches!(c, '-' | '_' | '・' | 'ー') || !c.is_ascii() && !c.is_ascii_punctuation() && !is_cjk_punct(c) {
            id.extend(c.to_lowercase());
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "section".into()
    } else {
        id
    }
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c, '、' | '。' | '「' | '」' | '『' | '』' | '（' | '）' | '【' | '】' | '？' | '！' | '：' | '，' | '．')
}

/// Rewrites a link or image target written in a source file into a link relative to the
/// output page.
fn resolve(dest: &str, cx: &LinkContext, broken: &mut Vec<String>, internal: &mut Vec<(String, Option<String>, String)>) -> String {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
        return dest.to_string();
    }
    if let Some(scheme_end) = dest.find(':') {
        if !dest[..scheme_end].contains('/') {
            let scheme = dest[..scheme_end].to_ascii_lowercase();
            return if matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
                dest.to_string()
            } else {
                // javascript:, data: and other schemes never reach readers.
                "#".to_string()
            };
        }
    }
    let (path_query, fragment) = match dest.find('#') {
        Some(p) => (&dest[..p], &dest[p..]),
        None => (dest, ""),
    };
    let (path, query) = match path_query.find('?') {
        Some(p) => (&path_query[..p], &path_query[p..]),
        None => (path_query, ""),
    };
    let path = urls::decode(path);
    let (joined, site_rooted) = match path.strip_prefix('/') {
        Some(rest) => (rest.to_string(), true),
        None => (urls::join(cx.source_dir, &path), false),
    };
    let Some(target) = urls::normalize(&joined) else {
        // Above the site root: there is nothing of ours there.
        broken.push(dest.to_string());
        return "#".to_string();
    };
    let target = if target.ends_with(".md") {
        let key = if site_rooted && !target.starts_with("content/") { target.clone() } else { target.trim_start_matches("content/").to_string() };
        match cx.pages.get(&key) {
            Some(url) => url.clone(),
            None => {
                broken.push(dest.to_string());
                target
            }
        }
    } else if target.is_empty() || path.ends_with('/') || !target.rsplit('/').next().unwrap_or("").contains('.') {
        if target.is_empty() { "index.html".to_string() } else { format!("{target}/index.html") }
    } else {
        target
    };
    let decoded_fragment = (fragment.len() > 1).then(|| urls::decode(&fragment[1..]));
    internal.push((target.clone(), decoded_fragment.clone(), dest.to_string()));
    let fragment = decoded_fragment.map(|f| format!("#{}", urls::encode_fragment(&f))).unwrap_or_default();
    format!("{}{}{}", urls::relative(cx.page_url, &target), query, fragment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx<'a>(pages: &'a HashMap<String, String>) -> LinkContext<'a> {
        LinkContext { source_dir: "cases", page_url: "cases/a/index.html", pages }
    }

    #[test]
    fn japanese_heading_ids_are_stable_and_unique() {
        let pages = HashMap::new();
        let r = render("## 経緯と目的\n\n## 経緯と目的\n\n### Step 1: 準備\n", &cx(&pages));
        assert!(r.html.contains("id=\"経緯と目的\""), "{}", r.html);
        assert!(r.html.contains("id=\"経緯と目的-2\""));
        assert!(r.html.contains("id=\"step-1-準備\""), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].href, "%E7%B5%8C%E7%B7%AF%E3%81%A8%E7%9B%AE%E7%9A%84");
    }

    #[test]
    fn links_relative_to_source_become_relative_to_output() {
        let mut pages = HashMap::new();
        pages.insert("actors/b.md".to_string(), "actors/b/index.html".to_string());
        let r = render("[b](../actors/b.md#概要) ![写真](img/p.png) [x](../actors/none.md) [d](/domains/買い物/)", &cx(&pages));
        assert!(r.html.contains("href=\"../../actors/b/index.html#%E6%A6%82%E8%A6%81\""), "{}", r.html);
        assert!(r.html.contains("src=\"../img/p.png\""), "{}", r.html);
        assert!(r.html.contains("href=\"../../domains/%E8%B2%B7%E3%81%84%E7%89%A9/index.html\""), "{}", r.html);
        assert_eq!(r.broken, vec!["../actors/none.md"]);
    }

    #[test]
    fn raw_html_and_script_urls_are_neutralised() {
        let pages = HashMap::new();
        let r = render("<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)><a href=\"JaVaScRiPt:alert(1)\" style=\"color:red\">y</a>", &cx(&pages));
        for bad in ["<script", "onerror", "javascript:", "JaVaScRiPt", "style="] {
            assert!(!r.html.contains(bad), "{bad}: {}", r.html);
        }
        assert!(r.html.contains("href=\"#\""));
    }

    #[test]
    fn content_html_is_kept() {
        let pages = HashMap::new();
        let r = render("<details><summary>詳しく</summary>\n\n中身\n\n</details>\n\n<ruby>共創<rt>きょうそう</rt></ruby>\n\n## 見出し\n\n|a|\n|-|\n|1|\n", &cx(&pages));
        for good in ["<details>", "<summary>詳しく</summary>", "<ruby>共創<rt>きょうそう</rt></ruby>", "id=\"見出し\"", "table-wrap", "tabindex=\"0\""] {
            assert!(r.html.contains(good), "{good}: {}", r.html);
        }
    }

    #[test]
    fn tables_footnotes_tasks_strikethrough() {
        let pages = HashMap::new();
        let r = render("|a|b|\n|-|-|\n|1|2|\n\n注[^1]\n\n[^1]: 脚注\n\n- [x] 済\n\n~~取消~~\n", &cx(&pages));
        for needle in ["<table>", "table-wrap", "footnote-definition", "type=\"checkbox\"", "<del>"] {
            assert!(r.html.contains(needle), "{needle}: {}", r.html);
        }
    }
}
