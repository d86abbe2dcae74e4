//! `feed.xml`, `sitemap.xml` and `events.ics` stay well-formed whatever legal text editors
//! write (issue #20, item 6): the XML files are read back with quick-xml and checked
//! against XML 1.0's character rules, `events.ics` with the `icalendar` crate's parser and
//! a strict check of RFC 5545's lines (CRLF, 75-octet folding, escaped TEXT).

mod common;
use common::*;
use quick_xml::events::Event;

/// Titles that break hand-made XML and iCalendar writers, all legal in front matter.
const HOSTILE: &[&str] = &[
    "<script>alert(\"x\")</script> & co",
    "終わり]]>と<![CDATA[始まり",
    "引用 \"二重\" と 'ひとつ' と &amp; のまま",
    "絵文字 🎉👨‍👩‍👧 と 𠮷野家",
    "区切り; カンマ, 逆スラッシュ C:\\new と\n改行",
];

/// A title long enough to be folded many times, with 4-byte characters across the folds.
fn long_title() -> String {
    "生活支援体制整備事業における多様な主体との協働🎉".repeat(12)
}

fn hostile_site() -> tempfile::TempDir {
    let dir = full_site();
    let mut all: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    all.push(long_title());
    for (i, title) in all.iter().enumerate() {
        let yaml = serde_json::to_string(title).unwrap(); // a JSON string is a YAML double-quoted scalar
        write(dir.path(), &format!("content/news/h{i}.md"), &format!("---\ntitle: {yaml}\nsummary: {yaml}\ndate: 2026-05-0{}\n---\n本文\n", i + 1));
        write(
            dir.path(),
            &format!("content/events/h{i}.md"),
            &format!("---\ntitle: {yaml}\nsummary: {yaml}\nkind: 研修\nstart: 2026-12-0{} 10:00\nvenue: {yaml}\n---\n本文\n", i + 1),
        );
    }
    write(
        dir.path(),
        "kyoso.toml",
        "title = \"<県> & \\\"共創\\\" ]]>\"\npublisher = \"'県' & 市\"\nbase_url = \"https://example.jp/pf/?a=1&b=<2>\"\nprefecture = \"埼玉県\"\n",
    );
    dir
}

/// Every character of `text` is allowed by XML 1.0 (§2.2 Char).
fn assert_xml_chars(name: &str, text: &str) {
    for (i, c) in text.char_indices() {
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}');
        assert!(ok, "{name}: U+{:04X} at byte {i} is not allowed in XML 1.0", c as u32);
    }
}

/// The unescaped text of every `<name>` element, in order.
fn texts_of(xml: &str, name: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut out, mut inside) = (Vec::new(), false);
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("malformed XML at {}: {e}", reader.buffer_position())) {
            Event::Start(e) if e.name().as_ref() == name.as_bytes() => {
                inside = true;
                out.push(String::new());
            }
            Event::End(e) if e.name().as_ref() == name.as_bytes() => inside = false,
            Event::Text(t) if inside => out.last_mut().unwrap().push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) if inside => {
                let entity = format!("&{};", r.decode().unwrap());
                out.last_mut().unwrap().push_str(&quick_xml::escape::unescape(&entity).unwrap());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The values of attribute `attr` on every `<name>` element.
fn attributes_of(xml: &str, name: &str, attr: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == name.as_bytes() => {
                if let Some(a) = e.try_get_attribute(attr).unwrap() {
                    out.push(a.unescape_value().unwrap().into_owned());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn feed_and_sitemap_are_well_formed_with_hostile_titles() {
    let dir = hostile_site();
    build(dir.path()).expect("hostile but legal text builds");
    let feed = read(dir.path(), "feed.xml");
    assert_xml_chars("feed.xml", &feed);
    let titles = texts_of(&feed, "title");
    assert_eq!(titles[0], "<県> & \"共創\" ]]>", "the site's title, exactly");
    for t in HOSTILE.iter().map(|s| s.to_string()).chain([long_title()]) {
        assert!(titles.contains(&format!("お知らせ：{t}")), "{t:?} is in the feed as written: {titles:#?}");
        assert!(texts_of(&feed, "summary").contains(&t), "summary {t:?}");
    }
    assert_eq!(texts_of(&feed, "name"), ["'県' & 市"]);
    let base = "https://example.jp/pf/?a=1&b=<2>/";
    assert_eq!(texts_of(&feed, "id")[0], base);
    assert!(attributes_of(&feed, "link", "href").iter().all(|h| h.starts_with(base)), "links keep the base address");

    let sitemap = read(dir.path(), "sitemap.xml");
    assert_xml_chars("sitemap.xml", &sitemap);
    let locs = texts_of(&sitemap, "loc");
    assert!(locs.len() > 10 && locs.iter().all(|l| l.starts_with(base)), "{locs:#?}");
    assert!(locs.contains(&format!("{base}news/h0/")));
}

#[test]
fn characters_xml_forbids_never_reach_the_feed() {
    // U+FFFE is no control character (front matter accepts it) but XML 1.0 forbids it.
    let dir = full_site();
    write(dir.path(), "content/news/nonchar.md", "---\ntitle: \"お\\uFFFEし\\uFFFFらせ\"\ndate: 2026-05-01\n---\n本文\n");
    build(dir.path()).unwrap();
    let feed = read(dir.path(), "feed.xml");
    assert_xml_chars("feed.xml", &feed);
    assert!(texts_of(&feed, "title").contains(&"お知らせ：おしらせ".to_string()));
}

/// RFC 5545 §3.1 line rules, checked on the file as written.
fn assert_ics_lines(ics: &str) {
    assert!(ics.ends_with("\r\n"), "the last line ends with CRLF");
    for (n, line) in ics.split_terminator("\r\n").enumerate() {
        assert!(!line.contains(['\r', '\n']), "line {n}: a bare CR or LF: {line:?}");
        assert!(line.len() <= 75, "line {n} is {} octets: {line:?}", line.len());
        // Controls other than HTAB are not allowed in a content line (§3.1, §3.3.11).
        assert!(!line.chars().any(|c| c.is_control() && c != '\t'), "line {n}: a control character: {line:?}");
    }
}

#[test]
fn events_ics_is_well_formed_with_hostile_titles() {
    let dir = hostile_site();
    build(dir.path()).unwrap();
    let ics = read(dir.path(), "events.ics");
    assert_ics_lines(&ics);
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a parseable iCalendar file");
    let events: Vec<_> = calendar.components.iter().filter(|c| c.name.as_str() == "VEVENT").collect();
    // The parser unescapes the TEXT properties of RFC 5545 (SUMMARY, DESCRIPTION, LOCATION).
    let text = |e: &icalendar::parser::Component, name: &str| -> String {
        e.find_prop(name).unwrap_or_else(|| panic!("{name}")).val.as_str().to_string()
    };
    let summaries: Vec<String> = events.iter().map(|e| text(e, "SUMMARY")).collect();
    for t in HOSTILE.iter().map(|s| s.to_string()).chain([long_title()]) {
        let e = events.iter().find(|e| text(e, "SUMMARY") == t).unwrap_or_else(|| panic!("{t:?} not among {summaries:#?}"));
        assert_eq!(text(e, "DESCRIPTION"), t);
        assert_eq!(text(e, "LOCATION"), t);
    }
    let cal_name = calendar.properties.iter().find(|p| p.name.as_str() == "X-WR-CALNAME").unwrap();
    // An X- property has no known type: its TEXT is unescaped here.
    assert_eq!(cal_name.val.clone().unescape_text().as_str(), "<県> & \"共創\" ]]>");
}

/// The VEVENTs of an iCalendar text, parsed by the `icalendar` crate, as (UID, SUMMARY).
fn vevents(ics: &str) -> Vec<(String, String)> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a parseable iCalendar file");
    let prop = |c: &icalendar::parser::Component, name: &str| c.find_prop(name).map(|p| p.val.as_str().to_string()).unwrap_or_default();
    calendar.components.iter().filter(|c| c.name.as_str() == "VEVENT").map(|c| (prop(c, "UID"), prop(c, "SUMMARY"))).collect()
}

#[test]
fn each_event_page_links_its_own_calendar_file() {
    // Issue #24 item 1: 「カレンダーに追加」 on an event's page adds that event only, as the
    // same entry (same UID) as in events.ics, so adding both makes no duplicate.
    let dir = hostile_site();
    build(dir.path()).unwrap();
    let all = vevents(&read(dir.path(), "events.ics"));
    let slugs: Vec<String> = std::fs::read_dir(dir.path().join("content/events"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(slugs.len() > 5);
    for slug in &slugs {
        let html = read(dir.path(), &format!("events/{slug}/index.html"));
        let link = format!("<a href=\"../../events/{slug}/{slug}.ics\" type=\"text/calendar\">カレンダーに追加</a>");
        assert!(html.contains(&link), "events/{slug}/ links its calendar file: {link}");
        let ics = read(dir.path(), &format!("events/{slug}/{slug}.ics"));
        assert_ics_lines(&ics);
        let own = vevents(&ics);
        assert_eq!(own.len(), 1, "{slug}.ics has one event");
        assert!(all.contains(&own[0]), "{slug}: {:?} is the same entry as in events.ics", own[0]);
        let title = match slug.strip_prefix('h') {
            Some(n) => HOSTILE.get(n.parse::<usize>().unwrap()).map_or_else(long_title, |t| t.to_string()),
            None => if slug == "past" { "昨年の交流会" } else { "来月の研修" }.to_string(),
        };
        assert_eq!(own[0].1, title, "{slug}.ics is that event");
    }
}
