//! The municipal self-check's pages: the self-check itself (`checklist/index.html`, with
//! the overview of every municipality that answered) and what region pages add — a
//! municipality's profile and a prefecture's overview. The words are the templates'
//! (`checklist.html`, `checklist_parts.html`); this module hands them the checklist, the
//! answers (public questions only) and the documents to read at each step.

use super::{made, Made, RenderError, Renderer};
use crate::checklist::{answers, Answer, Readiness};
use crate::schema::Collection;
use crate::theme::values::{map, script_json, vars};
use crate::urls;
use serde_json::{json, Value};

/// Cases and events suggested per step.
const SUGGESTED: usize = 4;

/// The self-check's address, relative to the site root.
pub const CHECKLIST_PAGE: &str = crate::checklist::PAGE;

impl Renderer<'_> {
    pub(super) fn checklist_page(&self) -> Result<Made, RenderError> {
        let r = self.readiness();
        let c = &r.checklist;
        let mut steps = Vec::new();
        for s in &c.steps {
            steps.push(map(vars!({
                "step": s.step,
                "title": s.title,
                "summary": s.summary,
                "questions": c.questions().filter(|q| q.step == s.step).map(|q| json!({"id": q.id, "text": q.text, "ready": q.options[q.ready_from - 1]})).collect::<Vec<_>>(),
                "resources": self.step_resources(s.step)?,
            })));
        }
        let questions: Vec<Value> = c.questions().map(|q| json!({"id": q.id, "step": q.step, "ready_from": q.ready_from, "options": q.options})).collect();
        let config = json!({
            "format": answers::FORMAT,
            "columns": answers::columns(c),
            "questions": questions,
            "formula_starts": crate::table::FORMULA_STARTS.iter().collect::<String>(),
            "steps": c.steps.iter().map(|s| json!({"step": s.step, "title": s.title})).collect::<Vec<_>>(),
        });
        let home = &self.site.config.prefecture;
        made(
            "checklist.html",
            c.title.clone(),
            Vec::new(),
            vars!({
                "checklist": c,
                "steps": steps,
                "support": self.support(),
                "prefectures": crate::vocab::PREFECTURES,
                "home_prefecture": (home != crate::vocab::NATIONWIDE).then_some(home),
                "columns": answers::columns(c),
                "answer_format": json!({"format": answers::FORMAT, "format_column": answers::FORMAT_COLUMN, "step": answers::STEP_COLUMN, "memo": answers::MEMO_COLUMN}),
                "overview": self.overview(None),
                "config": script_json(&config),
            }),
        )
    }

    /// What a region page shows of the self-check: a municipality's profile, or the
    /// overview of a prefecture's municipalities; `None` when nobody there answered.
    pub(super) fn readiness_vars(&self, prefecture: &str, municipality: Option<&str>) -> Result<Option<tera::Value>, RenderError> {
        let Some(r) = &self.site.readiness else { return Ok(None) };
        match municipality {
            None => Ok((r.of_prefecture(prefecture).next().is_some()).then(|| map(vars!({"overview": self.overview(Some(prefecture))})))),
            Some(m) => match r.answer(prefecture, m) {
                None => Ok(None),
                Some(a) => Ok(Some(map(vars!({"profile": self.profile(a), "resources": self.step_resources(a.step)?, "support": self.support()})))),
            },
        }
    }

    fn readiness(&self) -> &Readiness {
        self.site.readiness.as_ref().expect("the self-check is planned only when the site has one")
    }

    /// One municipality: its step and why, and its answers to the public questions only.
    fn profile(&self, a: &Answer) -> Value {
        let c = &self.readiness().checklist;
        let questions: Vec<_> = c.questions().collect();
        let themes: Vec<Value> = c
            .themes
            .iter()
            .filter_map(|t| {
                let answered: Vec<Value> = t
                    .questions
                    .iter()
                    .filter(|q| q.public)
                    .map(|q| {
                        let i = questions.iter().position(|x| x.id == q.id).expect("a question of the checklist");
                        let choice = a.choices[i];
                        json!({"id": q.id, "text": q.text, "answer": choice.map(|o| &q.options[o]), "level": choice.map(|o| o + 1), "of": q.options.len(), "done": choice.is_some_and(|o| o + 1 >= q.ready_from)})
                    })
                    .collect();
                (!answered.is_empty()).then(|| json!({"title": t.title, "questions": answered}))
            })
            .collect();
        // Only public questions are named as the reason: a private answer stays private.
        let open: Vec<&str> = a.open.iter().map(|&i| questions[i]).filter(|q| q.public).map(|q| q.text.as_str()).collect();
        json!({"prefecture": a.prefecture, "municipality": a.municipality, "date": a.date, "step": a.step,
               "step_title": c.step(a.step).map(|s| &s.title), "open": open, "open_private": a.open.len() - open.len(), "themes": themes,
               "checklist_url": CHECKLIST_PAGE})
    }

    /// Every municipality that answered (in one prefecture, or all), with counts per step
    /// and, for the map, its position when the site knows one (`unplaced` lists the others).
    fn overview(&self, prefecture: Option<&str>) -> Value {
        let r = self.readiness();
        let (rows, positions): (Vec<&Answer>, Vec<&Option<crate::checklist::positions::Position>>) =
            r.answers.iter().zip(r.positions.iter().chain(std::iter::repeat(&None))).filter(|(a, _)| prefecture.is_none_or(|p| a.prefecture == p)).unzip();
        let counts: Vec<Value> = r
            .checklist
            .steps
            .iter()
            .map(|s| json!({"step": s.step, "title": s.title, "count": rows.iter().filter(|a| a.step == s.step).count()}))
            .collect();
        let rows: Vec<Value> = rows
            .iter()
            .zip(positions)
            .map(|(a, at)| {
                json!({"prefecture": a.prefecture, "municipality": a.municipality, "url": urls::municipality_url(&a.prefecture, &a.municipality), "step": a.step,
                       "step_title": r.checklist.step(a.step).map(|s| &s.title), "date": a.date, "lat": at.map(|p| p.lat()), "lon": at.map(|p| p.lon())})
            })
            .collect();
        let unplaced: Vec<Value> = rows.iter().filter(|r| r["lat"].is_null()).cloned().collect();
        json!({"placed": rows.len() - unplaced.len(), "unplaced": unplaced, "counts": counts, "total": rows.len(), "prefecture": prefecture, "rows": rows,
               "files": {"csv": crate::checklist::exports::CSV, "json": crate::checklist::exports::JSON}})
    }

    /// What to read at a step: the checklist's documents, cases whose `steps` include it
    /// and upcoming events of the step's kinds.
    fn step_resources(&self, step: u8) -> Result<tera::Value, RenderError> {
        let site = self.site;
        let c = &self.readiness().checklist;
        let Some(s) = c.step(step) else { return Ok(tera::Value::none()) };
        let read: Vec<Value> = s.read.iter().filter_map(|r| r.doc).map(|i| self.doc_link(i)).collect();
        let mut cases: Vec<usize> = site.of(Collection::Case).filter(|(_, d)| d.case().is_some_and(|c| c.steps.contains(&step))).map(|(i, _)| i).collect();
        cases.sort_by(|&a, &b| site.docs[b].sort_date().cmp(site.docs[a].sort_date()));
        cases.truncate(SUGGESTED);
        let (upcoming, _) = self.split_events();
        let events: Vec<usize> =
            upcoming.into_iter().filter(|&i| site.docs[i].event().is_some_and(|e| s.events.contains(&e.kind))).take(SUGGESTED).collect();
        let event_link = |i: usize| {
            let mut v = self.doc_link(i);
            let e = site.docs[i].event().expect("event");
            v["start"] = json!(e.start.get(..10));
            v["kind"] = json!(e.kind);
            v
        };
        Ok(map(vars!({
            "step": step,
            "read": read,
            "cases": cases.into_iter().map(|i| self.doc_link(i)).collect::<Vec<_>>(),
            "events": events.into_iter().map(event_link).collect::<Vec<_>>(),
            "event_kinds": s.events,
        })))
    }

    /// Each aggregated source's self-check counts, for the national regions index and the
    /// open-data page; `None` when the site aggregates no source.
    pub(super) fn national_steps(&self) -> Option<Value> {
        use crate::checklist::national;
        let site = self.site;
        if site.source_steps.is_empty() {
            return None;
        }
        let rows: Vec<Value> = national::sorted(&site.source_steps)
            .into_iter()
            .map(|r| json!({"prefecture": r.prefecture, "source": r.source, "counts": r.counts}))
            .collect();
        Some(json!({"rows": rows, "csv": national::CSV, "json": national::JSON, "version": national::VERSION, "columns": national::CSV_COLUMNS,
                    "fields": national::JSON_ITEM_FIELDS, "counted": national::COUNTED, "unanswered": national::UNANSWERED}))
    }

    /// The self-check's exports as the open-data page lists them; `None` without one.
    pub(super) fn checklist_open_data(&self) -> Option<Value> {
        use crate::checklist::exports;
        let r = self.site.readiness.as_ref()?;
        let mut columns: Vec<String> = exports::CSV_COLUMNS.iter().map(|c| c.to_string()).collect();
        columns.extend(r.checklist.questions().filter(|q| q.public).map(|q| q.id.clone()));
        columns.push(exports::PAGE_COLUMN.into());
        let questions: Vec<Value> = r.checklist.questions().filter(|q| q.public).map(|q| json!({"id": q.id, "text": q.text})).collect();
        Some(json!({"csv": exports::CSV, "json": exports::JSON, "version": exports::VERSION, "columns": columns,
                    "fields": exports::JSON_ITEM_FIELDS, "questions": questions, "count": r.answers.len(), "page": CHECKLIST_PAGE}))
    }

    fn support(&self) -> Option<Value> {
        self.readiness().checklist.support.as_ref().and_then(|r| r.doc).map(|i| self.doc_link(i))
    }

    fn doc_link(&self, i: usize) -> Value {
        let d = &self.site.docs[i];
        let guide = d.guide.as_deref().and_then(|g| self.site.get(Collection::Guide, g)).map(|g| &g.common.title);
        json!({"title": d.common.title, "url": urls::encode_path(&d.url), "summary": d.common.summary, "guide": guide})
    }
}


