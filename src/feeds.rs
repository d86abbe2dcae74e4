//! Machine-readable files for the whole site: `sitemap.xml`, `feed.xml` (Atom: news, new
//! cases, events), `events.ics` (iCalendar, Asia/Tokyo) and `robots.txt`. Sitemaps and
//! feeds need absolute addresses, so they are written only when `base_url` is set.

use crate::model::Doc;
use crate::schema::Collection;
use crate::site::Site;
use crate::theme::labels::Labels;
use crate::urls;
use chrono::DateTime;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::borrow::Cow;

fn absolute(site: &Site, path: &str) -> String {
    urls::absolute(&site.config.base_url, path)
}

/// Where the feeds are written, relative to the site root.
pub const EVENTS_ICS: &str = "events.ics";
pub const ATOM_FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";

/// Where an event's own calendar file is written, beside its page
/// (`events/<slug>/<slug>.ics`, so a download keeps a telling name); `None` for events
/// of other sites and events whose start cannot be written in iCalendar.
pub fn event_ics_path(d: &Doc) -> Option<String> {
    let e = d.event()?;
    if d.external.is_some() || ics_time(&e.start).is_none() {
        return None;
    }
    let folder = d.url.rsplit_once('/').map_or("", |(f, _)| f);
    Some(format!("{folder}/{}.ics", d.slug))
}

/// (path, bytes) of every feed; `pages` are the output paths of all HTML pages.
pub fn feeds(site: &Site, pages: &[&str], labels: &Labels) -> Vec<(String, Vec<u8>)> {
    let events = || site.of(Collection::Event).map(|(_, d)| d);
    let mut out = vec![(EVENTS_ICS.to_string(), calendar(site, events()).into_bytes())];
    // One file per event too, for 「カレンダーに追加」 on its page: the same VEVENT
    // (same UID) as in events.ics, so adding both does not make a second entry.
    out.extend(events().filter_map(|d| Some((event_ics_path(d)?, calendar(site, std::iter::once(d)).into_bytes()))));
    let base = &site.config.base_url;
    if base.is_empty() {
        out.push(("robots.txt".into(), b"User-agent: *\nAllow: /\n".to_vec()));
        return out;
    }
    out.push(("robots.txt".into(), format!("User-agent: *\nAllow: /\nSitemap: {base}{SITEMAP}\n").into_bytes()));
    out.push((SITEMAP.into(), sitemap(site, pages)));
    out.push((ATOM_FEED.into(), atom(site, labels)));
    out
}

/// Text without the characters XML 1.0 forbids (§2.2: C0 controls other than tab, LF and
/// CR, U+FFFE, U+FFFF). Validation refuses control characters in what editors write; this
/// is the last line of defence, since one such character makes feed readers drop the feed.
fn xml_chars(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}');
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

/// An XML document written by quick-xml, which escapes every text and attribute value;
/// kyoso only chooses the elements and the line breaks.
struct Xml(quick_xml::Writer<Vec<u8>>);

impl Xml {
    fn new() -> Xml {
        let mut w = quick_xml::Writer::new(Vec::new());
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).expect("writing to memory");
        Xml(w)
    }

    /// A line break and indentation between elements (outside any text).
    fn indent(&mut self, depth: usize) -> &mut Self {
        let ws = format!("\n{}", "  ".repeat(depth));
        self.0.write_event(Event::Text(BytesText::from_escaped(ws))).expect("writing to memory");
        self
    }

    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Self {
        self.0.write_event(Event::Start(tag(name, attributes))).expect("writing to memory");
        self
    }

    fn close(&mut self, name: &str) -> &mut Self {
        self.0.write_event(Event::End(BytesEnd::new(name))).expect("writing to memory");
        self
    }

    /// `<name attributes…/>`
    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> &mut Self {
        self.0.write_event(Event::Empty(tag(name, attributes))).expect("writing to memory");
        self
    }

    /// `<name>text</name>`
    fn text(&mut self, name: &str, text: &str) -> &mut Self {
        self.open(name, &[]);
        self.0.write_event(Event::Text(BytesText::new(&xml_chars(text)))).expect("writing to memory");
        self.close(name)
    }

    fn finish(mut self) -> Vec<u8> {
        self.indent(0);
        self.0.into_inner()
    }
}

/// A start tag; quick-xml escapes the attribute values as it copies them in.
fn tag<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for (key, value) in attributes {
        start.push_attribute((*key, &*xml_chars(value)));
    }
    start
}

fn sitemap(site: &Site, pages: &[&str]) -> Vec<u8> {
    let mut lastmod: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for d in &site.docs {
        if let Some(date) = d.common.updated.as_deref().or(d.common.date.as_deref()) {
            lastmod.insert(&d.url, date);
        }
    }
    let mut x = Xml::new();
    x.indent(0).open("urlset", &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")]);
    let mut sorted: Vec<&&str> = pages.iter().filter(|p| p.ends_with(".html") && **p != "404.html" && !p.starts_with("search/")).collect();
    sorted.sort();
    for p in sorted {
        x.indent(1).open("url", &[]).text("loc", &absolute(site, p));
        if let Some(d) = lastmod.get(*p) {
            x.text("lastmod", d);
        }
        x.close("url");
    }
    x.indent(0).close("urlset");
    x.finish()
}

/// When an item entered the feed: its date, or an event's start.
fn feed_time(d: &Doc) -> Option<String> {
    let date = d.common.updated.as_deref().or(d.common.date.as_deref());
    match (date, d.event()) {
        (Some(date), _) => Some(format!("{date}T00:00:00+09:00")),
        (None, Some(e)) => Some(e.start.clone()),
        _ => None,
    }
}

fn atom(site: &Site, labels: &Labels) -> Vec<u8> {
    let mut items: Vec<(&Doc, String)> = site
        .docs
        .iter()
        .filter(|d| matches!(d.collection, Collection::News | Collection::Case | Collection::Event) && d.external.is_none())
        .filter_map(|d| feed_time(d).map(|t| (d, t)))
        .collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.url.cmp(&b.0.url)));
    items.truncate(50);
    let updated = items.first().map(|i| i.1.clone()).unwrap_or_else(|| format!("{}T00:00:00+09:00", site.today));
    let base = &site.config.base_url;
    let author = if site.config.publisher.is_empty() { &site.config.title } else { &site.config.publisher };
    let mut x = Xml::new();
    x.indent(0).open("feed", &[("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", "ja")]);
    x.indent(1).text("title", &site.config.title);
    x.indent(1).text("id", base);
    x.indent(1).empty("link", &[("rel", "alternate"), ("href", base)]);
    x.indent(1).empty("link", &[("rel", "self"), ("href", &format!("{base}feed.xml"))]);
    x.indent(1).text("updated", &updated);
    x.indent(1).open("author", &[]).text("name", author).close("author");
    for (d, t) in items {
        let url = absolute(site, &d.url);
        x.indent(1).open("entry", &[]);
        x.indent(2).text("title", &format!("{}：{}", labels.collection(d.collection), d.common.title));
        x.indent(2).text("id", &url);
        x.indent(2).empty("link", &[("rel", "alternate"), ("href", &url)]);
        x.indent(2).text("updated", &t);
        x.indent(2).empty("category", &[("term", d.collection.name())]);
        x.indent(2).text("summary", d.common.summary.as_deref().unwrap_or(""));
        x.indent(1).close("entry");
    }
    x.indent(0).close("feed");
    x.finish()
}

/// An iCalendar TEXT value (RFC 5545 §3.3.11): `\\`, `;`, `,` and line breaks escaped.
/// Other control characters, which TEXT cannot hold, are dropped (validation refuses them
/// in content; this is the last line of defence).
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_ascii_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        if len + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn ics_time(s: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&crate::dates::jst()).format("%Y%m%dT%H%M%S").to_string())
}

/// An iCalendar file with `events` (those whose start cannot be read are left out).
fn calendar<'d>(site: &Site, events: impl Iterator<Item = &'d Doc>) -> String {
    let host = site.config.base_url.split('/').nth(2).filter(|h| !h.is_empty()).unwrap_or("kyoso.invalid").to_string();
    let stamp = format!("{}T000000Z", site.today.format("%Y%m%d"));
    let mut s = String::new();
    for l in [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kyoso//生活支援共創プラットフォーム//JA", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "BEGIN:VTIMEZONE", "TZID:Asia/Tokyo", "BEGIN:STANDARD", "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900", "TZNAME:JST", "END:STANDARD", "END:VTIMEZONE",
    ] {
        s.push_str(&fold(l));
    }
    s.push_str(&fold(&format!("X-WR-CALNAME:{}", ics_text(&site.config.title))));
    for d in events {
        let Some(e) = d.event() else { continue };
        let Some(start) = ics_time(&e.start) else { continue };
        s.push_str("BEGIN:VEVENT\r\n");
        s.push_str(&fold(&format!("UID:{}@{host}", d.slug)));
        s.push_str(&fold(&format!("DTSTAMP:{stamp}")));
        s.push_str(&fold(&format!("DTSTART;TZID=Asia/Tokyo:{start}")));
        if let Some(end) = e.end.as_deref().and_then(ics_time) {
            s.push_str(&fold(&format!("DTEND;TZID=Asia/Tokyo:{end}")));
        }
        s.push_str(&fold(&format!("SUMMARY:{}", ics_text(&d.common.title))));
        let location = match (&e.venue, e.online) {
            (Some(v), true) => format!("{v}／オンライン"),
            (Some(v), false) => v.clone(),
            (None, true) => "オンライン".into(),
            (None, false) => String::new(),
        };
        if !location.is_empty() {
            s.push_str(&fold(&format!("LOCATION:{}", ics_text(&location))));
        }
        if let Some(sum) = &d.common.summary {
            s.push_str(&fold(&format!("DESCRIPTION:{}", ics_text(sum))));
        }
        s.push_str(&fold(&format!("CATEGORIES:{}", ics_text(&e.kind))));
        if !site.config.base_url.is_empty() {
            s.push_str(&fold(&format!("URL:{}", absolute(site, &d.url))));
        }
        s.push_str("END:VEVENT\r\n");
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_characters_whole() {
        let line = format!("SUMMARY:{}", "地域".repeat(40));
        let folded = fold(&line);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn ics_escaping() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(ics_text("行\r\n\u{b}末\u{1b}[0m\t"), "行\\n末[0m\t");
    }

    #[test]
    fn the_xml_writer_escapes_and_drops_what_xml_forbids() {
        let mut x = Xml::new();
        x.indent(0).open("feed", &[("href", "https://a/?x=1&y=\"2\"\u{b}")]).text("title", "<b>&amp; ]]> \u{b}\u{1b}\u{fffe}🎉").close("feed");
        let text = String::from_utf8(x.finish()).unwrap();
        assert!(!text.contains(['\u{b}', '\u{1b}', '\u{fffe}']), "{text}");
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut seen = String::new();
        loop {
            match reader.read_event().expect("well-formed") {
                Event::Start(e) => {
                    if let Some(a) = e.try_get_attribute("href").unwrap() {
                        seen.push_str(&a.unescape_value().unwrap());
                    }
                }
                Event::Text(t) => seen.push_str(&t.decode().unwrap()),
                Event::GeneralRef(r) => seen.push_str(&quick_xml::escape::unescape(&format!("&{};", r.decode().unwrap())).unwrap()),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(seen.trim(), "https://a/?x=1&y=\"2\"<b>&amp; ]]> 🎉");
    }
}
