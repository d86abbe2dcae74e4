//! National aggregation: listing the cases and actors that other kyoso sites export
//! (`data/actors.json`, `data/cases.json`, fetched beforehand; the build never uses the
//! network). Aggregated items appear in lists, term, region, map and search pages and link
//! back to their page on the source site; the same actor listed by two sources is shown
//! once, with both sources named. Each source's self-check counts (`checklist.json`) are
//! read too ([`crate::checklist::national`]).

use crate::checklist::SourceSteps;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ActorMeta, CaseMeta, Common, Doc, External, Location, Meta};
use crate::schema::Collection;
use crate::urls::is_http_url;
use crate::vocab;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The aggregated items, and each source's self-check counts in `kyoso.toml`'s order.
pub fn load_sources(root: &Path, config: &Config, local: &[Doc], diags: &mut Diagnostics) -> (Vec<Doc>, Vec<SourceSteps>) {
    let mut steps = Vec::new();
    if config.sources.is_empty() {
        return (Vec::new(), steps);
    }
    let domains = config.domains();
    let mut out: Vec<Doc> = Vec::new();
    // Actors already listed, by name and prefecture: duplicates are merged into the first.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut local_seen: HashMap<(String, String), ()> = HashMap::new();
    for d in local.iter().filter(|d| d.collection == Collection::Actor) {
        local_seen.insert(actor_key(&d.common.title, d.prefecture().unwrap_or("")), ());
    }
    for (n, source) in config.sources.iter().enumerate() {
        let dir = root.join(&source.path);
        let file_label = |f: &str| format!("{}/{f}", source.path.trim_end_matches('/'));
        // The site's prefecture as its actors file names it (for a source without a self-check).
        let mut prefecture = None;
        for (file, collection) in [("actors.json", Collection::Actor), ("cases.json", Collection::Case)] {
            let label = file_label(file);
            let data: Value = match std::fs::read(dir.join(file)).map_err(|e| e.to_string()).and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string())) {
                Ok(v) => v,
                Err(e) => {
                    diags.push(Diagnostic::error(&label, format!("集約元「{}」のデータを読めません（{e}）", source.name))
                        .field("sources")
                        .hint("kyoso.toml の [[sources]] の path に、相手のサイトの data/ フォルダ（actors.json と cases.json）を置いた場所を書いてください。"));
                    continue;
                }
            };
            let expected = if collection == Collection::Actor { "kyoso-actors" } else { "kyoso-cases" };
            if data["format"] != expected || data["version"] != crate::opendata::DATA_VERSION {
                diags.push(Diagnostic::error(&label, format!("{file} の形式（{} 版 {}）に対応していません", data["format"], data["version"]))
                    .hint(format!("{expected} 版 {} のファイルを使ってください。", crate::opendata::DATA_VERSION)));
                continue;
            }
            if collection == Collection::Actor {
                prefecture = crate::checklist::national::valid_prefecture(&data["site"]["prefecture"]);
            }
            for (i, item) in data["items"].as_array().into_iter().flatten().enumerate() {
                let at = || format!("{label} の {} 件目", i + 1);
                let s = |k: &str| item[k].as_str().map(str::to_string).filter(|v| !v.is_empty());
                let list = |k: &str| -> Vec<String> { item[k].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect() };
                let (Some(id), Some(url)) = (s("id"), s("url")) else {
                    diags.push(Diagnostic::warning(&label, format!("{}: id か url がないため載せません", at())));
                    continue;
                };
                if !is_http_url(&url) || !crate::validate::is_valid_slug(&id) {
                    diags.push(Diagnostic::warning(&label, format!("{}: id「{id}」か url「{url}」が正しくないため載せません", at())));
                    continue;
                }
                let item_domains: Vec<String> = list("domains").into_iter().filter(|d| domains.contains(d)).collect();
                let prefecture = s("prefecture").filter(|p| vocab::PREFECTURES.contains(&p.as_str()) || p == vocab::NATIONWIDE);
                let (Some(title), Some(prefecture), false) = (s(if collection == Collection::Actor { "name" } else { "title" }), prefecture, item_domains.is_empty()) else {
                    diags.push(Diagnostic::warning(&label, format!("{}: 名称・都道府県・分野のいずれかが正しくないため載せません", at())));
                    continue;
                };
                let safe_url = |k: &str| s(k).filter(|u| is_http_url(u));
                let meta = if collection == Collection::Actor {
                    let key = actor_key(&title, &prefecture);
                    if local_seen.contains_key(&key) {
                        diags.push(Diagnostic::info(&label, format!("主体「{title}」はこのサイトにも掲載されているため、このサイトの情報を表示します")));
                        continue;
                    }
                    if let Some(&j) = seen.get(&key) {
                        let first: &mut Doc = &mut out[j];
                        if let Some(e) = first.external.as_mut() {
                            if !e.sources.contains(&source.name) {
                                e.sources.push(source.name.clone());
                            }
                        }
                        diags.push(Diagnostic::warning(&label, format!("主体「{title}」（{prefecture}）は複数の集約元に掲載されています。1件にまとめて表示します")));
                        continue;
                    }
                    seen.insert(key, out.len());
                    Meta::Actor(ActorMeta {
                        kind: s("kind").filter(|k| vocab::ACTOR_KINDS.contains(&k.as_str())).unwrap_or_else(|| "その他".into()),
                        core_business: s("core_business"),
                        domains: item_domains,
                        prefecture,
                        municipalities: list("municipalities").into_iter().filter(|m| crate::urls::is_safe_path_name(m)).collect(),
                        address: s("address"),
                        location: item["location"].as_object().and_then(|l| Some(Location { lat: l.get("lat")?.as_f64()?, lon: l.get("lon")?.as_f64()? })),
                        website: safe_url("website"),
                        contact: s("contact"),
                        registered: s("registered"),
                        scale: s("scale").filter(|v| vocab::scale_label(v).is_some()),
                    })
                } else {
                    Meta::Case(CaseMeta {
                        prefecture,
                        municipality: s("municipality").filter(|m| crate::urls::is_safe_path_name(m)),
                        area: s("area"),
                        actors: list("actors").into_iter().map(|a| format!("x{n}-{a}")).collect(),
                        partners: list("partners"),
                        domains: item_domains,
                        business_relation: s("business_relation").filter(|r| vocab::relation_label(r).is_some()),
                        steps: item["steps"].as_array().into_iter().flatten().filter_map(|v| v.as_u64()).filter(|v| (1..=3).contains(v)).map(|v| v as u8).collect(),
                        started: s("started"),
                        source: safe_url("source"),
                        video: safe_url("video"),
                    })
                };
                out.push(Doc {
                    collection,
                    slug: format!("x{n}-{id}"),
                    guide: None,
                    source: Path::new(&label).to_path_buf(),
                    common: Common { title, summary: s("summary"), date: s("date").filter(|d| crate::dates::parse_date(d).is_some()), ..Default::default() },
                    meta,
                    body: Default::default(),
                    body_first_line: 0,
                    locator: crate::frontmatter::Locator::empty(),
                    url,
                    external: Some(External { sources: vec![source.name.clone()] }),
                    // Aggregated items are told apart by their whole record (see `Renderer`).
                    stamp: Default::default(),
                });
            }
        }
        steps.push(crate::checklist::national::read(&dir, &source.path, &source.name, prefecture, diags));
    }
    (out, steps)
}

fn actor_key(title: &str, prefecture: &str) -> (String, String) {
    let t: String = crate::search::spelling::normalize(title).chars().filter(|c| !c.is_whitespace()).collect();
    (t, prefecture.to_string())
}
