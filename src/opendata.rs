//! Open-data exports written with every build: `data/actors.csv` (UTF-8 with BOM so Excel
//! opens it, column names after the 自治体標準オープンデータセット conventions),
//! `data/actors.json` and `data/cases.json` (versioned, documented in
//! `docs/data-format.md`). Only published items and public fields are exported.

use crate::table::formula_safe;
use crate::model::{Doc, Location};
use crate::schema::Collection;
use crate::site::Site;
use serde::Serialize;

/// Format version of the JSON exports.
pub const DATA_VERSION: u32 = 1;

/// Columns of `actors.csv`, in order. `kyoso import actors` maps them back.
pub const ACTOR_COLUMNS: &[&str] = &[
    "ID", "名称", "名称_カナ", "種別", "本業", "分野", "都道府県名", "市区町村名", "住所", "緯度", "経度", "URL",
    "連絡先", "登録日", "活動の規模", "概要", "掲載ページ",
];

/// Where the exports are written, relative to the site root.
pub const ACTORS_CSV: &str = "data/actors.csv";
pub const ACTORS_JSON: &str = "data/actors.json";
pub const CASES_JSON: &str = "data/cases.json";

/// Separator for several values in one CSV cell.
pub const LIST_SEPARATOR: &str = "、";

/// The exports are serialised straight from borrowed structs, not through `json!` trees
/// (at 10,000 documents the trees cost more than the writing). Fields are declared in
/// alphabetical order: the files have always listed keys sorted, as `json!` maps do.
#[derive(Serialize)]
struct SiteJson<'a> {
    base_url: &'a str,
    prefecture: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct Export<'a, T> {
    format: &'a str,
    generated: &'a str,
    items: Vec<T>,
    site: SiteJson<'a>,
    version: u32,
}

#[derive(Serialize)]
pub struct ActorJson<'a> {
    address: &'a Option<String>,
    contact: &'a Option<String>,
    core_business: &'a Option<String>,
    domains: &'a [String],
    id: &'a str,
    kind: &'a str,
    location: &'a Option<Location>,
    municipalities: &'a [String],
    name: &'a str,
    prefecture: &'a str,
    registered: &'a Option<String>,
    scale: &'a Option<String>,
    summary: &'a Option<String>,
    url: String,
    website: &'a Option<String>,
}

#[derive(Serialize)]
pub struct CaseJson<'a> {
    actors: Vec<&'a String>,
    area: &'a Option<String>,
    business_relation: &'a Option<String>,
    date: &'a Option<String>,
    domains: &'a [String],
    id: &'a str,
    municipality: &'a Option<String>,
    partners: &'a [String],
    prefecture: &'a str,
    source: &'a Option<String>,
    started: &'a Option<String>,
    steps: &'a [u8],
    summary: &'a Option<String>,
    title: &'a str,
    url: String,
    video: &'a Option<String>,
}

fn page_url(site: &Site, d: &Doc) -> String {
    if d.external.is_some() {
        return d.url.clone();
    }
    crate::urls::absolute(&site.config.base_url, &d.url)
}

pub fn actor_json<'a>(site: &Site, d: &'a Doc) -> ActorJson<'a> {
    let a = d.actor().expect("actor");
    ActorJson {
        address: &a.address,
        contact: &a.contact,
        core_business: &a.core_business,
        domains: &a.domains,
        id: &d.slug,
        kind: &a.kind,
        location: &a.location,
        municipalities: &a.municipalities,
        name: &d.common.title,
        prefecture: &a.prefecture,
        registered: &a.registered,
        scale: &a.scale,
        summary: &d.common.summary,
        url: page_url(site, d),
        website: &a.website,
    }
}

pub fn case_json<'a>(site: &Site, d: &'a Doc) -> CaseJson<'a> {
    let c = d.case().expect("case");
    CaseJson {
        actors: c.actors.iter().filter(|a| site.get(Collection::Actor, a).is_some()).collect(),
        area: &c.area,
        business_relation: &c.business_relation,
        date: &d.common.date,
        domains: &c.domains,
        id: &d.slug,
        municipality: &c.municipality,
        partners: &c.partners,
        prefecture: &c.prefecture,
        source: &c.source,
        started: &c.started,
        steps: &c.steps,
        summary: &d.common.summary,
        title: &d.common.title,
        url: page_url(site, d),
        video: &c.video,
    }
}

/// Makes the bytes of one export file.
type Maker = fn(&Site) -> Vec<u8>;

/// (path, bytes) of every export, each made when the iterator reaches it: at 100,000
/// documents the files are 80 MB, and a build writes and frees each before the next
/// (the readiness exports, one row a municipality, are small and made at once).
pub fn exports(site: &Site) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
    let makers: [(&str, Maker); 4] = [
        ("data/places.js", places_script),
        (ACTORS_JSON, |site| wrap(site, "kyoso-actors", site.of(Collection::Actor).map(|(_, d)| actor_json(site, d)).collect())),
        (CASES_JSON, |site| wrap(site, "kyoso-cases", site.of(Collection::Case).map(|(_, d)| case_json(site, d)).collect())),
        (ACTORS_CSV, actors_csv),
    ];
    makers.into_iter().map(move |(rel, make)| (rel.to_string(), make(site))).chain(crate::checklist::national::exports(site)).chain(crate::checklist::exports::exports(site))
}

/// The keys of one item of `actors.json` and of `cases.json`, in the order they are
/// written, taken from the structs that write them, for the open-data page.
pub fn item_fields() -> (Vec<String>, Vec<String>) {
    let actor = ActorJson {
        address: &None,
        contact: &None,
        core_business: &None,
        domains: &[],
        id: "",
        kind: "",
        location: &None,
        municipalities: &[],
        name: "",
        prefecture: "",
        registered: &None,
        scale: &None,
        summary: &None,
        url: String::new(),
        website: &None,
    };
    let case = CaseJson {
        actors: Vec::new(),
        area: &None,
        business_relation: &None,
        date: &None,
        domains: &[],
        id: "",
        municipality: &None,
        partners: &[],
        prefecture: "",
        source: &None,
        started: &None,
        steps: &[],
        summary: &None,
        title: "",
        url: String::new(),
        video: &None,
    };
    (keys(&actor), keys(&case))
}

fn keys<T: Serialize>(item: &T) -> Vec<String> {
    match serde_json::to_value(item).expect("json") {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        _ => unreachable!("items are structs"),
    }
}

/// A JSON export: its items with the format, version, date and site around them.
fn wrap<T: Serialize>(site: &Site, format: &str, items: Vec<T>) -> Vec<u8> {
    let site_json = SiteJson { base_url: &site.config.base_url, prefecture: &site.config.prefecture, title: &site.config.title };
    let generated = site.today.to_string();
    serde_json::to_vec_pretty(&Export { format, generated: &generated, items, site: site_json, version: DATA_VERSION }).expect("json")
}

fn actors_csv(site: &Site) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(ACTOR_COLUMNS).expect("in memory");
        for (_, d) in site.of(Collection::Actor) {
            let a = d.actor().expect("actor");
            let opt = |s: &Option<String>| s.clone().unwrap_or_default();
            let (lat, lon) = a.location.map_or((String::new(), String::new()), |l| (l.lat.to_string(), l.lon.to_string()));
            let record = [
                d.slug.clone(),
                d.common.title.clone(),
                String::new(),
                a.kind.clone(),
                opt(&a.core_business),
                a.domains.join(LIST_SEPARATOR),
                a.prefecture.clone(),
                a.municipalities.join(LIST_SEPARATOR),
                opt(&a.address),
                lat,
                lon,
                opt(&a.website),
                opt(&a.contact),
                opt(&a.registered),
                opt(&a.scale),
                opt(&d.common.summary),
                page_url(site, d),
            ];
            w.write_record(record.map(formula_safe)).expect("in memory");
        }
        w.flush().expect("in memory");
    }
    out
}

/// `data/places.js`: the actors and cases the map and the partner finder work on, as a
/// script (so they load from `file://`). URLs are relative to the site root unless the
/// item comes from another site.
pub fn places_script(site: &Site) -> Vec<u8> {
    #[derive(Serialize)]
    struct Actor<'a> {
        a: &'a Option<String>,
        b: &'a Option<String>,
        d: &'a [String],
        k: &'a str,
        lat: Option<f64>,
        lon: Option<f64>,
        m: &'a [String],
        p: &'a str,
        t: &'a str,
        u: &'a str,
        x: bool,
    }
    #[derive(Serialize)]
    struct Case<'a> {
        d: &'a [String],
        m: &'a Option<String>,
        p: &'a str,
        s: &'a Option<String>,
        t: &'a str,
        u: &'a str,
        x: bool,
    }
    #[derive(Serialize)]
    struct Places<'a> {
        actors: Vec<Actor<'a>>,
        cases: Vec<Case<'a>>,
        domains: &'a [String],
        kinds: &'a [&'a str],
    }
    let actors = site
        .of(Collection::Actor)
        .map(|(_, d)| {
            let a = d.actor().expect("actor");
            Actor {
                a: &a.address,
                b: &a.core_business,
                d: &a.domains,
                k: &a.kind,
                lat: a.location.map(|l| l.lat),
                lon: a.location.map(|l| l.lon),
                m: &a.municipalities,
                p: &a.prefecture,
                t: &d.common.title,
                u: &d.url,
                x: d.external.is_some(),
            }
        })
        .collect();
    let cases = site
        .of(Collection::Case)
        .map(|(_, d)| {
            let c = d.case().expect("case");
            Case { d: &c.domains, m: &c.municipality, p: &c.prefecture, s: &d.common.summary, t: &d.common.title, u: &d.url, x: d.external.is_some() }
        })
        .collect();
    let payload = Places { actors, cases, domains: &site.domains, kinds: crate::vocab::ACTOR_KINDS };
    format!("kyosoPlaces({});\n", crate::theme::values::script_json(&payload)).into_bytes()
}
