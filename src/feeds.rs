//! Machine-readable files for the whole site: `sitemap.xml`, `feed.xml` (Atom: news, new
//! cases, events), `events.ics` (iCalendar, Asia/Tokyo) and `robots.txt`. Sitemaps and
//! feeds need absolute addresses, so they are written only when `base_url` is set.

use crate::model::Doc;
use crate::schema::Collection;
use crate::site::Site;
use crate::urls;
use chrono::DateTime;

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

fn absolute(site: &Site, path: &str) -> String {
    urls::absolute(&site.config.base_url, path)
}

/// (path, bytes) of every feed; `pages` are the output paths of all HTML pages.
pub fn feeds(site: &Site, pages: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("events.ics".to_string(), ics(site).into_bytes())];
    let base = &site.config.base_url;
    if base.is_empty() {
        out.push(("robots.txt".into(), b"User-agent: *\nAllow: /\n".to_vec()));
        return out;
    }
    out.push(("robots.txt".into(), format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n").into_bytes()));
    out.push(("sitemap.xml".into(), sitemap(site, pages).into_bytes()));
    out.push(("feed.xml".into(), atom(site).into_bytes()));
    out
}

fn sitemap(site: &Site, pages: &[&str]) -> String {
    let mut lastmod: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for d in &site.docs {
        if let Some(date) = d.common.updated.as_deref().or(d.common.date.as_deref()) {
            lastmod.insert(&d.url, date);
        }
    }
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut sorted: Vec<&&str> = pages.iter().filter(|p| p.ends_with(".html") && **p != "404.html" && !p.starts_with("search/")).collect();
    sorted.sort();
    for p in sorted {
        s.push_str(&format!("  <url><loc>{}</loc>", xml(&absolute(site, p))));
        if let Some(d) = lastmod.get(*p) {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
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

fn atom(site: &Site) -> String {
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
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"alternate\" href=\"{}\"/>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        xml(&site.config.title), xml(base), xml(base), xml(base), updated,
        xml(if site.config.publisher.is_empty() { &site.config.title } else { &site.config.publisher })
    );
    for (d, t) in items {
        let url = absolute(site, &d.url);
        let summary = d.common.summary.clone().unwrap_or_default();
        s.push_str(&format!(
            "  <entry>\n    <title>{}：{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <updated>{}</updated>\n    <category term=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            xml(d.collection.label()), xml(&d.common.title), xml(&url), xml(&url), t, d.collection.name(), xml(&summary)
        ));
    }
    s.push_str("</feed>\n");
    s
}

/// iCalendar text escaping (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n").replace('\r', "")
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
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&crate::site::jst()).format("%Y%m%dT%H%M%S").to_string())
}

fn ics(site: &Site) -> String {
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
    for (_, d) in site.of(Collection::Event) {
        let e = d.event().expect("event");
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
    }
}
