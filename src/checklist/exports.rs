//! The self-check's open data: every municipality that answered, its step and its answers
//! to the public questions (`data/checklist.csv`, `data/checklist.json`). Private
//! questions and the memo are never in them.

use super::{answers, Readiness};
use crate::site::Site;
use serde_json::json;

pub const CSV: &str = "data/checklist.csv";
pub const JSON: &str = "data/checklist.json";
/// The JSON file's `format` (the national aggregation reads it, [`super::national`]).
pub const FORMAT: &str = "kyoso-checklist-results";
/// Format version of both files.
pub const VERSION: u32 = 1;
/// The first columns of the CSV; one column per public question (its id) and the page's
/// address follow.
pub const CSV_COLUMNS: &[&str] = &["都道府県名", "市区町村名", "ステップ", "回答日"];
pub const PAGE_COLUMN: &str = "掲載ページ";

/// (path, bytes) of both files, when the site has a self-check.
pub fn exports(site: &Site) -> Vec<(String, Vec<u8>)> {
    let Some(r) = &site.readiness else { return Vec::new() };
    vec![(CSV.into(), csv(site, r)), (JSON.into(), json_file(site, r))]
}

/// The public questions as (position among all questions, question).
fn public(r: &Readiness) -> Vec<(usize, &super::Question)> {
    r.checklist.questions().enumerate().filter(|(_, q)| q.public).collect()
}

fn page(site: &Site, a: &super::Answer) -> String {
    crate::urls::absolute(&site.config.base_url, &crate::urls::municipality_url(&a.prefecture, &a.municipality))
}

fn csv(site: &Site, r: &Readiness) -> Vec<u8> {
    let public = public(r);
    let mut header: Vec<String> = CSV_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(public.iter().map(|(_, q)| q.id.clone()));
    header.push(PAGE_COLUMN.into());
    let rows: Vec<Vec<String>> = r
        .answers
        .iter()
        .map(|a| {
            let mut row = vec![a.prefecture.clone(), a.municipality.clone(), a.step.to_string(), a.date.clone().unwrap_or_default()];
            row.extend(public.iter().map(|(i, q)| a.choices[*i].map(|o| q.options[o].clone()).unwrap_or_default()));
            row.push(page(site, a));
            row
        })
        .collect();
    answers::csv_bytes(&header, &rows)
}

fn json_file(site: &Site, r: &Readiness) -> Vec<u8> {
    let public = public(r);
    let items: Vec<_> = r
        .answers
        .iter()
        .map(|a| {
            let answers: serde_json::Map<String, serde_json::Value> =
                public.iter().map(|(i, q)| (q.id.clone(), json!(a.choices[*i].map(|o| &q.options[o])))).collect();
            json!({"prefecture": a.prefecture, "municipality": a.municipality, "step": a.step, "date": a.date, "answers": answers, "url": page(site, a)})
        })
        .collect();
    let questions: Vec<_> = public.iter().map(|(_, q)| json!({"id": q.id, "text": q.text, "step": q.step, "options": q.options, "ready_from": q.ready_from})).collect();
    let steps: Vec<_> = r.checklist.steps.iter().map(|s| json!({"step": s.step, "title": s.title, "count": r.answers.iter().filter(|a| a.step == s.step).count()})).collect();
    let c = &site.config;
    serde_json::to_vec_pretty(&json!({
        "format": FORMAT,
        "version": VERSION,
        "generated": site.today.to_string(),
        "site": {"title": c.title, "prefecture": c.prefecture, "base_url": c.base_url},
        "steps": steps,
        "questions": questions,
        "items": items,
    }))
    .expect("json")
}

/// The keys of one item of the JSON file, for the open-data page.
pub const JSON_ITEM_FIELDS: &[&str] = &["prefecture", "municipality", "step", "date", "answers", "url"];
