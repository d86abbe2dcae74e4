//! Markdown to HTML: pulldown-cmark with the GitHub extensions, heading ids that work for
//! Japanese headings, a table of contents, and links/images written relative to the source
//! file rewritten to relative links between output pages.
//!
//! Content is untrusted, and every body goes through [`render`], the one sanitising path:
//! the attributes pulldown-cmark writes from the text (`{…}` after a heading, footnote
//! labels) are limited here to the allowlist raw HTML gets from ammonia below, and every
//! id content makes is moved into its own namespace ([`CONTENT_ID_PREFIX`]).

use crate::urls;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::HashMap;

/// Every id that comes from content starts with this, as on GitHub; the theme's own ids
/// never do. So content cannot stand in for an element a theme script looks up (DOM
/// clobbering): a heading `{#map-config}` becomes `id="user-content-map-config"`. In-page
/// links and links to another page's heading are written to match; `tests/security.rs`
/// checks every id the theme's scripts use against what content can make.
pub const CONTENT_ID_PREFIX: &str = "user-content-";

/// Attributes content may put on any element: in raw HTML (with a few more per element,
/// see [`sanitizer`]) and in `{…}` after a heading, where `#id` and `.class` are written
/// with their own syntax. No event handler, `style`, `autofocus` or `tabindex`.
const GENERIC_ATTRIBUTES: [&str; 4] = ["id", "class", "lang", "title"];

/// `id` in the content namespace (as it is if it is there already, so cleaning twice
/// changes nothing).
pub fn content_id(id: &str) -> Cow<'_, str> {
    if id.starts_with(CONTENT_ID_PREFIX) {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(format!("{CONTENT_ID_PREFIX}{id}"))
    }
}

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
    /// The text without markup, for the search index.
    pub text: String,
    /// Its start, for summaries and search snippets.
    pub lead: crate::text::Lead,
    /// Link targets inside the site that do not exist (as written).
    pub broken: Vec<String>,
    /// Every heading id as the editor writes it in a link (`経緯`; the page has
    /// `user-content-経緯`), for checking `#fragment` links to this page.
    pub ids: Vec<String>,
    /// Links to other pages of the site: (output path, decoded fragment, as written).
    pub internal: Vec<(String, Option<String>, String)>,
    /// Attributes written in `{…}` after a heading that are not published (`onfocus`).
    pub dropped_attributes: Vec<String>,
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
            let element_id = content_id(&id).into_owned();
            if let Event::Start(Tag::Heading { id: slot, attrs, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(element_id.clone()));
                // `{#id .class}` have their own fields; of the rest only the allowlist stays.
                attrs.retain(|(name, _)| {
                    let keep = GENERIC_ATTRIBUTES.contains(&name.as_ref()) && !matches!(name.as_ref(), "id" | "class");
                    if !keep {
                        out.dropped_attributes.push(name.to_string());
                    }
                    keep
                });
            }
            out.ids.push(id);
            if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                out.toc.push(TocEntry {
                    level: level as u8,
                    href: urls::encode_fragment(&element_id),
                    id: element_id,
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
    // Inside a link to a page that is not published: its words are kept, the link is not
    // (links do not nest, so one flag is enough).
    let mut unlinked = false;
    // The words inside raw HTML (a list written as `<ul><li>…`) are on the page too.
    let mut raw_text = RawHtmlText::default();
    let rewritten = events.into_iter().flat_map(|event| {
        let (first, second) = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => match resolve(&dest_url, cx, broken, internal) {
                Some(dest) => (Some(Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id })), None),
                None => {
                    unlinked = true;
                    (None, None)
                }
            },
            Event::End(TagEnd::Link) if unlinked => {
                unlinked = false;
                (None, None)
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = resolve(&dest_url, cx, broken, internal).unwrap_or_else(|| "#".into());
                (Some(Event::Start(Tag::Image { link_type, dest_url: dest.into(), title, id })), None)
            }
            // Footnote labels become ids: into the content namespace with the others.
            Event::FootnoteReference(label) => (Some(Event::FootnoteReference(content_id(&label).into_owned().into())), None),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                (Some(Event::Start(Tag::FootnoteDefinition(content_id(&label).into_owned().into()))), None)
            }
            // Wide tables scroll inside their own box (keyboard-focusable) instead of
            // making the whole page scroll sideways on a phone.
            Event::Start(Tag::Table(a)) => (Some(Event::Html(CowStr::from(TABLE_WRAP))), Some(Event::Start(Tag::Table(a)))),
            Event::End(TagEnd::Table) => (Some(Event::End(TagEnd::Table)), Some(Event::Html(CowStr::from("</div>")))),
            // Raw HTML is kept for now and the whole page is sanitised below.
            Event::Html(h) | Event::InlineHtml(h) => {
                has_raw_html = true;
                raw_text.push(&h, text);
                (Some(Event::Html(h)), None)
            }
            Event::Text(t) => {
                text.push_str(&t);
                (Some(Event::Text(t)), None)
            }
            Event::Code(t) => {
                text.push_str(&t);
                (Some(Event::Code(t)), None)
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                text.push('\n');
                (Some(event), None)
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                (Some(event), None)
            }
            e => (Some(e), None),
        };
        first.into_iter().chain(second)
    });
    pulldown_cmark::html::push_html(&mut html, rewritten);
    out.html = html;
    if has_raw_html {
        // Contributed content may carry HTML: only an allowlist of content elements and
        // attributes survives, and no script, event handler, style or script URL. The
        // rest of the page went through the same allowlist above, so cleaning it again
        // changes nothing (and costs less than splitting the page would).
        out.html = sanitizer().clean(&out.html).to_string();
    }
    out.lead = crate::text::Lead::of(&out.text);
    out
}

/// The text a reader sees of the raw HTML in a body, taken piece by piece as pulldown-cmark
/// hands it over (a tag, a comment or a script may run over several pieces): text between
/// tags with the common character references decoded, and nothing from markup, comments,
/// or `script` and `style`, which the sanitiser removes with their content. Block elements
/// separate words; inline ones (`<b>配食</b>サービス`) do not.
#[derive(Default)]
struct RawHtmlText {
    /// Inside `<…>` (the name of the tag so far, lower case) or a comment.
    tag: Option<String>,
    in_comment: bool,
    /// Inside `script` or `style`: until its end tag.
    hidden: Option<&'static str>,
}

/// Elements whose tags do not separate words.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "ruby", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

impl RawHtmlText {
    fn push(&mut self, html: &str, text: &mut String) {
        let mut rest = html;
        while !rest.is_empty() {
            if self.in_comment {
                let Some(end) = rest.find("-->") else { return };
                self.in_comment = false;
                rest = &rest[end + 3..];
            } else if let Some(name) = &mut self.tag {
                let Some(end) = rest.find('>') else {
                    name.extend(rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').map(|c| c.to_ascii_lowercase()));
                    return;
                };
                name.extend(rest[..end].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').map(|c| c.to_ascii_lowercase()));
                let name = self.tag.take().unwrap_or_default();
                rest = &rest[end + 1..];
                let bare = name.trim_start_matches('/');
                if let Some(h) = self.hidden {
                    if name == format!("/{h}") {
                        self.hidden = None;
                    }
                    continue;
                }
                if !name.starts_with('/') {
                    self.hidden = ["script", "style"].into_iter().find(|h| *h == bare);
                }
                if !INLINE_TAGS.contains(&bare) && !text.ends_with(['\n', ' ']) && !text.is_empty() {
                    text.push('\n');
                }
            } else {
                // A tag starts at `<` followed by a letter, `/` or `!`; any other `<` is text.
                let start = rest.char_indices().find(|&(i, c)| {
                    c == '<' && rest[i + 1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!')
                });
                let (before, after) = match start {
                    Some((i, _)) => (&rest[..i], &rest[i + 1..]),
                    None => (rest, ""),
                };
                if self.hidden.is_none() {
                    push_decoded(before, text);
                }
                if start.is_none() {
                    return;
                }
                if let Some(body) = after.strip_prefix("!--") {
                    self.in_comment = true;
                    rest = body;
                } else {
                    self.tag = Some(String::new());
                    rest = after;
                }
            }
        }
    }
}

/// `text` with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric
/// references decoded; other references are left as written.
fn push_decoded(mut rest: &str, out: &mut String) {
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// HTML that comes from the site's configuration and that a script inserts as HTML (the
/// map attribution, which Leaflet shows): text and links to web addresses only.
pub fn clean_config_html(html: &str) -> String {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER
        .get_or_init(|| {
            let mut b = ammonia::Builder::empty();
            b.add_tags(["a"])
                .add_tag_attributes("a", ["href"])
                .clean_content_tags(["script", "style"].into_iter().collect())
                .url_schemes(["http", "https"].into_iter().collect())
                .url_relative(ammonia::UrlRelative::Deny)
                .link_rel(None);
            b
        })
        .clean(html)
        .to_string()
}

/// The box around a table (see above). Its focus stop and label are the only ones
/// content gets: the sanitizer lets a `div` have exactly these values.
const TABLE_WRAP: &str = "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"表（横にスクロールできます）\">";

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["details", "summary", "ruby", "rt", "rp", "figure", "figcaption", "mark", "input", "section"])
            .generic_attributes(GENERIC_ATTRIBUTES.into_iter().collect())
            .add_tag_attribute_values("div", "tabindex", ["0"])
            .add_tag_attribute_values("div", "role", ["region"])
            .add_tag_attribute_values("div", "aria-label", ["表（横にスクロールできます）"])
            .add_tag_attributes("input", ["type", "disabled", "checked"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("td", ["colspan", "rowspan"])
            .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
            .add_tag_attribute_values("input", "type", ["checkbox"])
            .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .attribute_filter(|_, attribute, value| Some(into_content_namespace(attribute, value)))
            .link_rel(None);
        b
    })
}

/// An attribute of raw HTML with the ids it makes or points to moved into the content
/// namespace: `id`, the `#…` of an in-page link, and a table cell's `headers`.
fn into_content_namespace<'v>(attribute: &str, value: &'v str) -> Cow<'v, str> {
    match attribute {
        "id" => content_id(value),
        "href" if value.len() > 1 && value.starts_with('#') => match content_id(&value[1..]) {
            Cow::Borrowed(_) => Cow::Borrowed(value),
            Cow::Owned(id) => Cow::Owned(format!("#{id}")),
        },
        "headers" => Cow::Owned(value.split_ascii_whitespace().map(content_id).collect::<Vec<_>>().join(" ")),
        _ => Cow::Borrowed(value),
    }
}

/// A heading id from its text: the words themselves (HTML allows any character but
/// spaces), so Japanese headings get readable, stable ids like `経緯と目的`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        // Kana and kanji (nearly every character of a Japanese heading) have no case
        // and are all kept: no Unicode table look-ups for them.
        if crate::text::is_cjk(c) {
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

/// A link or image target inside the site, as written in a source file.
pub struct LocalTarget<'a> {
    /// The path relative to the site root, `.` and `..` resolved (a file under
    /// `content/` has its path below `content/`); `None` if it climbs above the root.
    pub target: Option<String>,
    /// Written from the site root (`/domains/…`).
    pub site_rooted: bool,
    /// Written as a folder (ends with `/`).
    pub folder: bool,
    /// `?…` and `#…` as written (or empty).
    pub query: &'a str,
    pub fragment: &'a str,
}

/// Where a link written in a file of `source_dir` (relative to `content/`) points inside
/// the site; `None` for an empty link, an in-page `#…`, `//host…` and any URL with a scheme.
pub fn local_target<'a>(dest: &'a str, source_dir: &str) -> Option<LocalTarget<'a>> {
    let dest = dest.trim();
    let has_scheme = dest.find(':').is_some_and(|e| !dest[..e].contains('/'));
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme {
        return None;
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
        None => (urls::join(source_dir, &path), false),
    };
    Some(LocalTarget { target: urls::normalize(&joined), site_rooted, folder: path.ends_with('/'), query, fragment })
}

/// Rewrites a link or image target written in a source file into a link relative to the
/// output page. `None` for a page of the site that is not published (a draft, or not
/// yet): its name must not reach readers, so the link is left out.
fn resolve(dest: &str, cx: &LinkContext, broken: &mut Vec<String>, internal: &mut Vec<(String, Option<String>, String)>) -> Option<String> {
    let dest = dest.trim();
    if let Some(fragment) = dest.strip_prefix('#').filter(|f| !f.is_empty()) {
        return Some(format!("#{}", urls::encode_fragment(&content_id(&urls::decode(fragment)))));
    }
    let Some(LocalTarget { target, site_rooted, folder, query, fragment }) = local_target(dest, cx.source_dir) else {
        if let Some(scheme_end) = dest.find(':').filter(|&e| !dest[..e].contains('/')) {
            let scheme = dest[..scheme_end].to_ascii_lowercase();
            if !matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
                // javascript:, data: and other schemes never reach readers.
                return Some("#".to_string());
            }
        }
        return Some(dest.to_string());
    };
    let Some(target) = target else {
        // Above the site root: there is nothing of ours there.
        broken.push(dest.to_string());
        return Some("#".to_string());
    };
    let decoded_fragment = (fragment.len() > 1).then(|| urls::decode(&fragment[1..]));
    let (target, is_page) = if target.ends_with(".md") {
        let key = if site_rooted && !target.starts_with("content/") { target.clone() } else { target.trim_start_matches("content/").to_string() };
        match cx.pages.get(&key) {
            Some(url) => (url.clone(), true),
            None => {
                broken.push(dest.to_string());
                return None;
            }
        }
    } else if target.is_empty() || folder || !target.rsplit('/').next().unwrap_or("").contains('.') {
        (if target.is_empty() { "index.html".to_string() } else { format!("{target}/index.html") }, false)
    } else {
        (target, false)
    };
    // A heading of another document is in the content namespace; a page written by its
    // address is looked up only when the link names a heading (rare: no set to build).
    let is_page = is_page || decoded_fragment.is_some() && cx.pages.values().any(|u| *u == target);
    internal.push((target.clone(), decoded_fragment.clone(), dest.to_string()));
    let fragment = decoded_fragment
        .map(|f| format!("#{}", urls::encode_fragment(&if is_page { content_id(&f) } else { Cow::Borrowed(f.as_str()) })))
        .unwrap_or_default();
    Some(format!("{}{}{}", urls::relative(cx.page_url, &target), query, fragment))
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
        assert!(r.html.contains("id=\"user-content-経緯と目的\""), "{}", r.html);
        assert!(r.html.contains("id=\"user-content-経緯と目的-2\""));
        assert!(r.html.contains("id=\"user-content-step-1-準備\""), "{}", r.html);
        assert_eq!(r.ids, ["経緯と目的", "経緯と目的-2", "step-1-準備"], "as links name them");
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].href, "user-content-%E7%B5%8C%E7%B7%AF%E3%81%A8%E7%9B%AE%E7%9A%84");
    }

    #[test]
    fn links_relative_to_source_become_relative_to_output() {
        let mut pages = HashMap::new();
        pages.insert("actors/b.md".to_string(), "actors/b/index.html".to_string());
        let r = render("[b](../actors/b.md#概要) ![写真](img/p.png) [x](../actors/none.md) [d](/domains/買い物/) [h](../actors/b/index.html#沿革) [m](/map/index.html#map)", &cx(&pages));
        assert!(r.html.contains("href=\"../../actors/b/index.html#user-content-%E6%A6%82%E8%A6%81\""), "{}", r.html);
        assert!(r.html.contains("href=\"../../actors/b/index.html#user-content-%E6%B2%BF%E9%9D%A9\""), "{}", r.html);
        assert!(r.html.contains("href=\"../../map/index.html#map\""), "a theme page's own ids: {}", r.html);
        assert!(r.html.contains(" x <a"), "a page that is not published: its words, no link: {}", r.html);
        assert!(r.html.contains("src=\"../img/p.png\""), "{}", r.html);
        assert!(r.html.contains("href=\"../../domains/%E8%B2%B7%E3%81%84%E7%89%A9/index.html\""), "{}", r.html);
        assert_eq!(r.broken, vec!["../actors/none.md"]);
    }

    #[test]
    fn the_text_of_raw_html_is_taken_without_markup_scripts_or_comments() {
        let pages = HashMap::new();
        let r = render("前文\n\n<ul>\n<li>サロン &amp; 体操</li>\n<li><b>配食</b>サービス</li>\n</ul>\n\n<script>\nひみつ\n</script>\n<!-- メモ\n続き -->\n\n本文 <span class=\"x\">a &lt; b</span>\n", &cx(&pages));
        for seen in ["サロン & 体操", "配食サービス", "a < b", "本文"] {
            assert!(r.text.contains(seen), "{seen}: {:?}", r.text);
        }
        for unseen in ["ひみつ", "メモ", "続き", "class", "<li", "<span", "<script"] {
            assert!(!r.text.contains(unseen), "{unseen}: {:?}", r.text);
        }
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
        for good in ["<details>", "<summary>詳しく</summary>", "<ruby>共創<rt>きょうそう</rt></ruby>", "id=\"user-content-見出し\"", "table-wrap", "tabindex=\"0\""] {
            assert!(r.html.contains(good), "{good}: {}", r.html);
        }
    }

    #[test]
    fn heading_attributes_are_limited_to_the_allowlist_on_every_page() {
        let pages = HashMap::new();
        let heading = "## 経緯 {#keii .note lang=ja autofocus tabindex=0 onfocus=alert(1) style=color:red id=map-config}\n";
        // Alone, and on a page that also has raw HTML (cleaned only then, once).
        for md in [heading.to_string(), format!("{heading}\n<b>太字</b>\n")] {
            let r = render(&md, &cx(&pages));
            assert!(r.html.contains("<h2 id=\"user-content-keii\" class=\"note\" lang=\"ja\">経緯</h2>"), "{}", r.html);
            for bad in ["autofocus", "tabindex", "onfocus", "style", "map-config"] {
                assert!(!r.html.contains(bad), "{bad}: {}", r.html);
            }
        }
        assert_eq!(render(heading, &cx(&pages)).dropped_attributes, ["autofocus", "tabindex", "onfocus", "style", "id"]);
    }

    #[test]
    fn every_id_content_makes_is_in_the_content_namespace() {
        let pages = HashMap::new();
        let r = render("## 概要\n\n[上へ](#概要) 注[^map-config]\n\n[^map-config]: 脚注\n\n<p id=\"map-config\">生</p><a href=\"#main\">本文</a><table><tr><td headers=\"a b\">1</td></tr></table>\n", &cx(&pages));
        for good in [
            "id=\"user-content-概要\"",
            "href=\"#user-content-%E6%A6%82%E8%A6%81\"",
            "href=\"#user-content-map-config\"",
            "id=\"user-content-map-config\"",
            "<p id=\"user-content-map-config\">",
            "href=\"#user-content-main\"",
            "headers=\"user-content-a user-content-b\"",
        ] {
            assert!(r.html.contains(good), "{good}: {}", r.html);
        }
        assert!(!r.html.contains("user-content-user-content"), "{}", r.html);
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
