//! The national aggregation's share of the self-check: how many municipalities each
//! imported prefecture site counts at ステップ1, 2 and 3, read from the
//! `checklist.json` it publishes beside `actors.json` and `cases.json`
//! ([`exports`](super::exports)), shown on the national regions index and exported as
//! `data/checklist-prefectures.csv` / `.json`.
//!
//! Why the counts are counted again from the items and not taken from the file's
//! `steps`: the file is another site's, so nothing in it is trusted — an item counts only
//! with a step of 1–3 and a municipality's name, once per municipality, and only numbers
//! and validated names reach the pages. Why a site without the file is 「未回答」 and not
//! a row of zeros: zero would claim that the prefecture asked and nobody answered.

use super::{Counts, SourceSteps};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::vocab;
use serde_json::{json, Value};
use std::path::Path;

/// The file a source publishes (the self-check's JSON export, by its name in `data/`).
pub const SOURCE_FILE: &str = "checklist.json";
pub const CSV: &str = "data/checklist-prefectures.csv";
pub const JSON: &str = "data/checklist-prefectures.json";
pub const FORMAT: &str = "kyoso-checklist-prefectures";
/// Format version of both files.
pub const VERSION: u32 = 1;
pub const CSV_COLUMNS: &[&str] = &["都道府県名", "集約元", "状況", "ステップ1", "ステップ2", "ステップ3", "回答数", "集計日", "掲載ページ"];
/// The keys of one item of the JSON file, in the order written (sorted, as `json!` writes them).
pub const JSON_ITEM_FIELDS: &[&str] = &["count", "generated", "prefecture", "source", "status", "steps", "url"];
/// 状況 of a source that publishes its self-check's results, and of one that does not.
pub const COUNTED: &str = "集計あり";
pub const UNANSWERED: &str = "未回答";

/// The self-check of the source in `dir`. `prefecture` is what the source's other
/// exports say (used when its `checklist.json` does not); `label` names the folder in
/// messages. A missing file is 「未回答」; a file in another format is an error, as for
/// the other exports; an item that cannot be counted is a warning naming it.
pub fn read(dir: &Path, label: &str, source: &str, prefecture: Option<String>, diags: &mut Diagnostics) -> SourceSteps {
    let label = format!("{}/{SOURCE_FILE}", label.trim_end_matches('/'));
    let unanswered = |prefecture| SourceSteps { source: source.to_string(), prefecture, counts: None };
    let bytes = match std::fs::read(dir.join(SOURCE_FILE)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return unanswered(prefecture),
        Err(e) => {
            diags.push(Diagnostic::error(&label, format!("集約元「{source}」のセルフチェックの結果を読めません（{e}）")));
            return unanswered(prefecture);
        }
    };
    let data: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                Diagnostic::error(&label, format!("集約元「{source}」のセルフチェックの結果が JSON として読めません（{e}）"))
                    .hint("相手のサイトの data/checklist.json を、そのまま置き直してください。"),
            );
            return unanswered(prefecture);
        }
    };
    let format = super::exports::FORMAT;
    if data["format"] != format || data["version"] != super::exports::VERSION {
        diags.push(
            Diagnostic::error(&label, format!("{SOURCE_FILE} の形式（{} 版 {}）に対応していません", data["format"], data["version"]))
                .hint(format!("{format} 版 {} のファイルを使ってください。", super::exports::VERSION)),
        );
        return unanswered(prefecture);
    }
    let prefecture = valid_prefecture(&data["site"]["prefecture"]).or(prefecture);
    let mut steps = [0; 3];
    let mut seen = std::collections::HashSet::new();
    for (i, item) in data["items"].as_array().into_iter().flatten().enumerate() {
        let step = item["step"].as_u64().filter(|s| (1..=3).contains(s));
        let place = (valid_prefecture(&item["prefecture"]), item["municipality"].as_str().filter(|m| !m.is_empty() && crate::urls::is_safe_path_name(m)));
        let (Some(step), (Some(p), Some(m))) = (step, place) else {
            diags.push(Diagnostic::warning(&label, format!("{} 件目: 都道府県・市区町村・ステップのいずれかが正しくないため数えません", i + 1)));
            continue;
        };
        if !seen.insert((p, m.to_string())) {
            diags.push(Diagnostic::warning(&label, format!("{} 件目: 市区町村「{m}」が2回あります。1回だけ数えます", i + 1)));
            continue;
        }
        steps[step as usize - 1] += 1;
    }
    let generated = data["generated"].as_str().filter(|d| crate::dates::parse_date(d).is_some()).map(|d| d[..10].to_string());
    let page = data["site"]["base_url"]
        .as_str()
        .filter(|u| crate::urls::is_http_url(u) && u.ends_with('/'))
        .map(|base| crate::urls::absolute(base, super::PAGE));
    SourceSteps { source: source.to_string(), prefecture, counts: Some(Counts { answered: steps.iter().sum(), steps, generated, page }) }
}

/// A prefecture's name from another site's file; 全国 is not one.
pub fn valid_prefecture(v: &Value) -> Option<String> {
    v.as_str().filter(|p| vocab::PREFECTURES.contains(p)).map(str::to_string)
}

/// The rows in prefecture order (JIS), sources without a prefecture last.
pub fn sorted(rows: &[SourceSteps]) -> Vec<&SourceSteps> {
    let mut v: Vec<&SourceSteps> = rows.iter().collect();
    v.sort_by_key(|r| r.prefecture.as_deref().map_or(vocab::PREFECTURES.len(), vocab::prefecture_order));
    v
}

/// (path, bytes) of both files, when the site aggregates other sites.
pub fn exports(site: &crate::site::Site) -> Vec<(String, Vec<u8>)> {
    if site.source_steps.is_empty() {
        return Vec::new();
    }
    let rows = sorted(&site.source_steps);
    let header: Vec<String> = CSV_COLUMNS.iter().map(|s| s.to_string()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![r.prefecture.clone().unwrap_or_default(), r.source.clone()];
            match &r.counts {
                Some(c) => {
                    row.push(COUNTED.into());
                    row.extend(c.steps.iter().chain([&c.answered]).map(usize::to_string));
                    row.extend([c.generated.clone().unwrap_or_default(), c.page.clone().unwrap_or_default()]);
                }
                None => row.extend([UNANSWERED.to_string()].into_iter().chain(std::iter::repeat_n(String::new(), 6))),
            }
            row
        })
        .collect();
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            let c = r.counts.as_ref();
            json!({
                "prefecture": r.prefecture, "source": r.source, "status": if c.is_some() { COUNTED } else { UNANSWERED },
                "steps": c.map(|c| super::STEPS.iter().zip(c.steps).map(|(s, n)| json!({"step": s, "count": n})).collect::<Vec<_>>()),
                "count": c.map(|c| c.answered), "generated": c.and_then(|c| c.generated.as_ref()), "url": c.and_then(|c| c.page.as_ref()),
            })
        })
        .collect();
    let c = &site.config;
    let file = json!({
        "format": FORMAT, "version": VERSION, "generated": site.today.to_string(),
        "site": {"title": c.title, "prefecture": c.prefecture, "base_url": c.base_url},
        "items": items,
    });
    vec![(CSV.into(), super::answers::csv_bytes(&header, &cells)), (JSON.into(), serde_json::to_vec_pretty(&file).expect("json"))]
}
