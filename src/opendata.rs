//! Open-data exports written with every build: `data/actors.csv` (UTF-8 with BOM so Excel
//! opens it, column names after the 自治体標準オープンデータセット conventions),
//! `data/actors.json` and `data/cases.json` (versioned, documented in
//! `docs/data-format.md`). Only published items and public fields are exported.

use crate::model::Doc;
use crate::schema::Collection;
use crate::site::Site;
use serde_json::{json, Value};

/// Format version of the JSON exports.
pub const DATA_VERSION: u32 = 1;

/// Columns of `actors.csv`, in order. `kyoso import actors` maps them back.
pub const ACTOR_COLUMNS: &[&str] = &[
    "ID", "名称", "名称_カナ", "種別", "本業", "分野", "都道府県名", "市区町村名", "住所", "緯度", "経度", "URL",
    "連絡先", "登録日", "活動の規模", "概要", "掲載ページ",
];

/// Separator for several values in one CSV cell.
pub const LIST_SEPARATOR: &str = "、";

fn site_json(site: &Site) -> Value {
    json!({"title": site.config.title, "base_url": site.config.base_url, "prefecture": site.config.prefecture})
}

fn page_url(site: &Site, d: &Doc) -> String {
    if d.external.is_some() {
        return d.url.clone();
    }
    crate::urls::absolute(&site.config.base_url, &d.url)
}

pub fn actor_json(site: &Site, d: &Doc) -> Value {
    let a = d.actor().expect("actor");
    json!({
        "id": d.slug, "name": d.common.title, "kind": a.kind, "core_business": a.core_business,
        "domains": a.domains, "prefecture": a.prefecture, "municipalities": a.municipalities,
        "address": a.address, "location": a.location, "website": a.website, "contact": a.contact,
        "registered": a.registered, "scale": a.scale, "summary": d.common.summary, "url": page_url(site, d),
    })
}

pub fn case_json(site: &Site, d: &Doc) -> Value {
    let c = d.case().expect("case");
    json!({
        "id": d.slug, "title": d.common.title, "summary": d.common.summary, "date": d.common.date,
        "prefecture": c.prefecture, "municipality": c.municipality, "area": c.area,
        "actors": c.actors.iter().filter(|a| site.get(Collection::Actor, a).is_some()).collect::<Vec<_>>(),
        "partners": c.partners, "domains": c.domains, "business_relation": c.business_relation, "steps": c.steps,
        "started": c.started, "source": c.source, "video": c.video, "url": page_url(site, d),
    })
}

/// (path, bytes) of every export.
pub fn exports(site: &Site) -> Vec<(String, Vec<u8>)> {
    let actors: Vec<Value> = site.of(Collection::Actor).map(|(_, d)| actor_json(site, d)).collect();
    let cases: Vec<Value> = site.of(Collection::Case).map(|(_, d)| case_json(site, d)).collect();
    let generated = site.today.to_string();
    let wrap = |format: &str, items: Vec<Value>| {
        let v = json!({"format": format, "version": DATA_VERSION, "generated": generated, "site": site_json(site), "items": items});
        serde_json::to_vec_pretty(&v).expect("json")
    };
    let csv = actors_csv(site);
    vec![
        ("data/places.js".into(), places_script(site)),
        ("data/actors.json".into(), wrap("kyoso-actors", actors)),
        ("data/cases.json".into(), wrap("kyoso-cases", cases)),
        ("data/actors.csv".into(), csv),
    ]
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
            w.write_record([
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
            ])
            .expect("in memory");
        }
        w.flush().expect("in memory");
    }
    out
}

/// `data/places.js`: the actors and cases the map and the partner finder work on, as a
/// script (so they load from `file://`). URLs are relative to the site root unless the
/// item comes from another site.
pub fn places_script(site: &Site) -> Vec<u8> {
    let actors: Vec<Value> = site
        .of(Collection::Actor)
        .map(|(_, d)| {
            let a = d.actor().expect("actor");
            json!({"t": d.common.title, "u": d.url, "k": a.kind, "d": a.domains, "p": a.prefecture, "m": a.municipalities,
                   "a": a.address, "lat": a.location.map(|l| l.lat), "lon": a.location.map(|l| l.lon), "b": a.core_business,
                   "x": d.external.is_some()})
        })
        .collect();
    let cases: Vec<Value> = site
        .of(Collection::Case)
        .map(|(_, d)| {
            let c = d.case().expect("case");
            json!({"t": d.common.title, "u": d.url, "d": c.domains, "p": c.prefecture, "m": c.municipality, "s": d.common.summary, "x": d.external.is_some()})
        })
        .collect();
    let payload = json!({"actors": actors, "cases": cases, "domains": site.domains, "kinds": crate::vocab::ACTOR_KINDS});
    format!("kyosoPlaces({});\n", crate::render::script_json(&payload)).into_bytes()
}
