//! The municipal self-check (ステップ1-1 of the prefectural platform guide): its questions
//! are content (`content/checklist.yaml`), the answers municipalities send back are data
//! the prefecture keeps beside the site (`data/checklist/<都道府県>/<市区町村>.csv`, see
//! [`answers`]) and `kyoso import checklist` files them ([`import`]).
//!
//! Why the questions are content: the guide announces its own checklist for a later year,
//! and each prefecture words its questions for its municipalities. Why the answers live
//! outside `content/`: some answers are private (the checklist says which), and nothing
//! under `data/checklist/` is ever copied to the output — only what the pages and the
//! open-data exports take from it, which is the public answers and the step.
//!
//! The step rule (documented in docs/content-model.md): each question belongs to a step
//! and names the option from which it counts as done (`ready_from`). A municipality is at
//! the lowest step that has a question not yet done; when every question is done it is at
//! ステップ3. An unanswered question is not done.

pub mod answers;
pub mod exports;
pub mod import;
pub mod national;
pub mod positions;

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub use answers::Answer;

/// The checklist's file, relative to the site root.
pub const DEFINITION: &str = "content/checklist.yaml";
/// Where imported answers are kept, relative to the site root (never published as files).
pub const ANSWERS_DIR: &str = "data/checklist";
/// The self-check's page, relative to the output root.
pub const PAGE: &str = "checklist/index.html";
/// The steps of the guide.
pub const STEPS: [u8; 3] = [1, 2, 3];

/// The self-check as the site defines it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Checklist {
    /// `content/checklist.yaml` (or `.yml`).
    #[serde(skip)]
    pub source: PathBuf,
    pub title: String,
    pub summary: Option<String>,
    /// One entry per step, in order 1, 2, 3.
    pub steps: Vec<Step>,
    /// The 伴走支援 page, suggested with every result.
    pub support: Option<Reference>,
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Step {
    pub step: u8,
    pub title: String,
    pub summary: Option<String>,
    /// Documents to read at this step (guide chapters, pages).
    pub read: Vec<Reference>,
    /// Kinds of upcoming events to suggest (default 研修).
    pub events: Vec<String>,
}

/// A document of the site named by its source path relative to `content/`
/// (`guides/platform-kouchiku/02-chiiki-kadai.md`), as Markdown links name them.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Reference {
    pub path: String,
    #[serde(skip)]
    pub line: usize,
    /// The document's position in `Site::docs`, once found ([`load_for`]).
    #[serde(skip)]
    pub doc: Option<usize>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Theme {
    pub title: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Question {
    /// Column name in the answers file: `[a-z0-9-]`.
    pub id: String,
    pub text: String,
    pub help: Option<String>,
    pub step: u8,
    /// Whether the answer may be published (profile pages, open data).
    pub public: bool,
    /// From "not yet" to "well established".
    pub options: Vec<String>,
    /// 1-based option from which the question counts as done.
    pub ready_from: usize,
}

impl Checklist {
    /// Every question in order (the order of the answer columns).
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.themes.iter().flat_map(|t| &t.questions)
    }

    pub fn step(&self, n: u8) -> Option<&Step> {
        self.steps.iter().find(|s| s.step == n)
    }

    /// The suggested step for answers (0-based option per question, in [`questions`]
    /// order) and the positions of the questions of that step that are not done yet.
    pub fn step_of(&self, choices: &[Option<usize>]) -> (u8, Vec<usize>) {
        let questions: Vec<&Question> = self.questions().collect();
        let not_done = |step: u8| -> Vec<usize> {
            questions
                .iter()
                .enumerate()
                .filter(|(i, q)| q.step == step && choices.get(*i).copied().flatten().is_none_or(|c| c + 1 < q.ready_from))
                .map(|(i, _)| i)
                .collect()
        };
        for step in STEPS {
            let open = not_done(step);
            if !open.is_empty() && step < 3 {
                return (step, open);
            }
        }
        (3, not_done(3))
    }
}

/// One imported site's self-check, as the national site shows it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct SourceSteps {
    /// The source's name in `kyoso.toml`.
    pub source: String,
    /// The prefecture the source's exports say the site is for, when it is one.
    pub prefecture: Option<String>,
    /// `None`: the source publishes no self-check (「未回答」).
    pub counts: Option<Counts>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct Counts {
    /// Municipalities at ステップ1, 2 and 3.
    pub steps: [usize; 3],
    /// Municipalities counted (the sum of `steps`).
    pub answered: usize,
    /// The date the source built its file.
    pub generated: Option<String>,
    /// The source's self-check page (from its `site.base_url`), when that is a web address.
    pub page: Option<String>,
}

/// What the build knows of the self-check: the questions and every municipality's answers.
#[derive(Debug, Clone, Hash)]
pub struct Readiness {
    pub checklist: Checklist,
    /// Sorted by prefecture (JIS order), then municipality.
    pub answers: Vec<Answer>,
    /// Where the overview's map shows each answer's municipality (as `answers`; filled by
    /// [`load_for`], which knows the site's actors).
    pub positions: Vec<Option<positions::Position>>,
}

impl Readiness {
    pub fn answer(&self, prefecture: &str, municipality: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.prefecture == prefecture && a.municipality == municipality)
    }

    pub fn of_prefecture<'a>(&'a self, prefecture: &'a str) -> impl Iterator<Item = &'a Answer> {
        self.answers.iter().filter(move |a| a.prefecture == prefecture)
    }
}

/// Reads the checklist and the stored answers of the site at `root`; `None` when the site
/// has no checklist. Problems go to `diags` with their file and line.
pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Option<Readiness> {
    let found = ["content/checklist.yaml", "content/checklist.yml"].into_iter().map(PathBuf::from).find(|p| root.join(p).is_file());
    let answers_dir = root.join(ANSWERS_DIR);
    let Some(source) = found else {
        if answers_dir.is_dir() && answers::stored_files(&answers_dir).next().is_some() {
            diags.push(
                Diagnostic::error(ANSWERS_DIR, "セルフチェックの回答がありますが、質問のファイルがありません")
                    .hint(format!("{DEFINITION} に質問を書いてください（docs/content-model.md の「セルフチェック」）。")),
            );
        }
        return None;
    };
    let text = match std::fs::read(root.join(&source)).map_err(|e| Diagnostic::error(&source, format!("ファイルを読めません（{e}）"))).and_then(|b| crate::frontmatter::decode(&source, b)) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let checklist = parse(&source, &text, diags)?;
    let answers = answers::load_stored(root, &checklist, diags);
    Some(Readiness { checklist, answers, positions: Vec::new() })
}

/// [`load`] for the assembled site: the documents the checklist suggests must be
/// published pages of it (an error at the line otherwise), and the municipalities are
/// placed by its actors ([`positions`]).
pub fn load_for(root: &Path, docs: &[crate::model::Doc], diags: &mut crate::diagnostics::Diagnostics) -> Option<Readiness> {
    let mut r = load(root, &mut diags.0)?;
    r.positions = positions::place(&r.answers, docs);
    let c = &mut r.checklist;
    let by_source: std::collections::HashMap<&Path, usize> =
        docs.iter().enumerate().filter(|(_, d)| d.external.is_none()).map(|(i, d)| (d.source.as_path(), i)).collect();
    let source = c.source.clone();
    let mut refs: Vec<(&str, &mut Reference)> = c.steps.iter_mut().flat_map(|s| s.read.iter_mut().map(|r| ("read", r))).collect();
    refs.extend(c.support.iter_mut().map(|r| ("support", r)));
    for (field, r) in refs {
        let path = Path::new(crate::model::CONTENT_DIR).join(r.path.trim_start_matches("./"));
        r.doc = by_source.get(path.as_path()).copied();
        if r.doc.is_none() {
            diags.push(
                Diagnostic::error(&source, format!("「{}」は公開中のページではありません", r.path))
                    .at(r.line, 0)
                    .field(field)
                    .hint("content/ からの相対パスで、公開中のファイルを書いてください（例: guides/platform-kouchiku/01-kangaekata.md、pages/bansou.md）。"),
            );
        }
    }
    Some(r)
}

/// The checklist as written, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    title: String,
    #[serde(default)]
    summary: Option<String>,
    steps: Vec<RawStep>,
    #[serde(default)]
    support: Option<String>,
    themes: Vec<RawTheme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    step: u8,
    title: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    read: Vec<String>,
    #[serde(default)]
    events: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    title: String,
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    text: String,
    #[serde(default)]
    help: Option<String>,
    step: u8,
    #[serde(default)]
    public: bool,
    options: Vec<String>,
    #[serde(default)]
    ready_from: Option<usize>,
}

/// Parses and checks the checklist; `None` (with errors in `diags`) when it cannot be used.
pub fn parse(source: &Path, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Checklist> {
    if let Err(d) = crate::frontmatter::check_depth(source, text, crate::frontmatter::Format::Yaml, 1) {
        diags.push(d);
        return None;
    }
    let raw: RawChecklist = match serde_yaml_ng::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let (line, col) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            diags.push(
                Diagnostic::error(source, format!("セルフチェックの質問を読み取れません: {}", serde_in_japanese(&e.to_string())))
                    .at(line, col)
                    .hint("title, steps（ステップ1〜3）, themes（テーマごとの questions）の形で書いてください（docs/content-model.md）。"),
            );
            return None;
        }
    };
    let errors_before = diags.iter().filter(|d| d.is_error()).count();
    let at = Locator { text, source };
    let mut steps = Vec::new();
    let mut after_step = 0;
    for s in raw.steps {
        let line = at.line_after(&format!("step: {}", s.step), &mut after_step);
        if !STEPS.contains(&s.step) {
            diags.push(at.error(line, "step", format!("ステップ「{}」はありません", s.step)).hint("step には 1, 2, 3 のどれかを書いてください。"));
            continue;
        }
        if steps.iter().any(|x: &Step| x.step == s.step) {
            diags.push(at.error(line, "step", format!("ステップ{} が2回書かれています", s.step)).hint("ステップごとに1つだけ書いてください。"));
            continue;
        }
        let events = s.events.unwrap_or_else(|| vec!["研修".to_string()]);
        for k in &events {
            if !crate::vocab::EVENT_KINDS.contains(&k.as_str()) {
                diags.push(
                    at.error(at.line_of(k), "events", format!("イベントの種類「{k}」はありません"))
                        .hint(format!("次のどれかを書いてください: {}", crate::vocab::EVENT_KINDS.join("、"))),
                );
            }
        }
        let read = s.read.iter().map(|p| Reference { path: p.clone(), line: at.line_after(p, &mut after_step), doc: None }).collect();
        at.check_text(diags, line, "title", &s.title);
        at.check_text(diags, line, "summary", s.summary.as_deref().unwrap_or(""));
        steps.push(Step { step: s.step, title: s.title, summary: s.summary, read, events });
    }
    for n in STEPS {
        if !steps.iter().any(|s| s.step == n) {
            diags.push(
                at.error(at.line_of("steps:"), "steps", format!("ステップ{n} の説明がありません"))
                    .hint("steps に、ステップ1・2・3 のそれぞれの step と title を書いてください。"),
            );
        }
    }
    steps.sort_by_key(|s| s.step);
    if raw.themes.is_empty() {
        diags.push(at.error(at.line_of("themes:"), "themes", "質問のテーマが1つもありません".into()).hint("themes に、テーマの title と questions を書いてください。"));
    }
    let mut ids: Vec<String> = Vec::new();
    let mut after_question = 0;
    let mut themes = Vec::new();
    for t in raw.themes {
        let theme_line = at.line_of(&t.title);
        at.check_text(diags, theme_line, "title", &t.title);
        if t.questions.is_empty() {
            diags.push(at.error(theme_line, "questions", format!("テーマ「{}」に質問がありません", t.title)).hint("questions に質問を1つ以上書いてください。"));
        }
        let mut questions = Vec::new();
        for q in t.questions {
            let line = at.line_after(&format!("id: {}", q.id), &mut after_question);
            if !crate::validate::is_valid_slug(&q.id) {
                diags.push(
                    at.error(line, "id", format!("質問の id「{}」は使えません", q.id))
                        .hint("id は回答ファイルの列の名前になります。半角英小文字・数字・ハイフンで書いてください（例: sc-daiichi）。"),
                );
            } else if ids.contains(&q.id) {
                diags.push(at.error(line, "id", format!("質問の id「{}」が2回使われています", q.id)).hint("質問ごとに違う id にしてください。"));
            }
            ids.push(q.id.clone());
            if !STEPS.contains(&q.step) {
                diags.push(at.error(line, "step", format!("質問「{}」のステップ「{}」はありません", q.id, q.step)).hint("step には 1, 2, 3 のどれかを書いてください。"));
            }
            if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
                diags.push(
                    at.error(line, "options", format!("質問「{}」の選択肢が {} 個です", q.id, q.options.len()))
                        .hint(format!("選択肢は 2〜{MAX_OPTIONS} 個、「まだ」から「定着している」の順に書いてください。")),
                );
            }
            for (i, o) in q.options.iter().enumerate() {
                if o.trim().is_empty() || q.options[..i].contains(o) {
                    diags.push(at.error(line, "options", format!("質問「{}」の {} 番目の選択肢が空か、ほかと同じです", q.id, i + 1)).hint("選択肢はそれぞれ違う文にしてください。"));
                }
                if o.trim().parse::<usize>().is_ok() {
                    diags.push(at.error(line, "options", format!("質問「{}」の選択肢「{o}」が数字だけです", q.id)).hint("回答ファイルでは選択肢を番号でも書けるため、数字だけの選択肢は使えません。"));
                }
            }
            let ready_from = q.ready_from.unwrap_or(q.options.len());
            if q.options.len() >= 2 && !(2..=q.options.len()).contains(&ready_from) {
                diags.push(
                    at.error(at.line_of_after("ready_from:", line), "ready_from", format!("質問「{}」の ready_from「{ready_from}」が選択肢の範囲にありません", q.id))
                        .hint(format!("「できている」とみなす最初の選択肢の番号を 2〜{} で書いてください（書かなければ最後の選択肢）。", q.options.len())),
                );
            }
            for (field, value) in [("text", q.text.as_str()), ("help", q.help.as_deref().unwrap_or(""))].into_iter().chain(q.options.iter().map(|o| ("options", o.as_str()))) {
                at.check_text(diags, line, field, value);
            }
            if q.text.trim().is_empty() {
                diags.push(at.error(line, "text", format!("質問「{}」の文がありません", q.id)).hint("text に質問の文を書いてください。"));
            }
            questions.push(Question { id: q.id, text: q.text, help: q.help, step: q.step, public: q.public, options: q.options, ready_from });
        }
        themes.push(Theme { title: t.title, questions });
    }
    at.check_text(diags, 1, "title", &raw.title);
    let support = raw.support.map(|p| Reference { line: at.line_of(&p), path: p, doc: None });
    let failed = diags.iter().filter(|d| d.is_error()).count() > errors_before;
    (!failed).then_some(Checklist { source: source.to_path_buf(), title: raw.title, summary: raw.summary, steps, support, themes })
}

/// Most options a question may have (more do not fit a phone's screen as radios).
pub const MAX_OPTIONS: usize = 6;

/// Finds where a value was written, for messages (serde keeps no positions once the
/// file parsed): the first place `needle` is written as a whole value.
struct Locator<'a> {
    text: &'a str,
    source: &'a Path,
}

impl Locator<'_> {
    fn line_of(&self, needle: &str) -> usize {
        self.line_after(needle, &mut 0)
    }

    /// [`Locator::line_of`] from byte `from` on, which moves past the place found: two
    /// questions with the same id are found at their own lines.
    fn line_after(&self, needle: &str, from: &mut usize) -> usize {
        let whole = |p: usize| !self.text[p + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_');
        let found = self.text[*from..].match_indices(needle).map(|(p, _)| *from + p).find(|&p| whole(p));
        found.map_or(0, |p| {
            *from = p + needle.len();
            crate::diagnostics::line_col(self.text, p).0
        })
    }

    /// The line of `needle` at or after `line` (and before the next `id:`), else `line`.
    fn line_of_after(&self, needle: &str, line: usize) -> usize {
        let lines: Vec<&str> = self.text.lines().collect();
        for (i, l) in lines.iter().enumerate().skip(line.saturating_sub(1)) {
            if i + 1 > line && l.trim_start().trim_start_matches("- ").starts_with("id:") {
                break;
            }
            if l.contains(needle) {
                return i + 1;
            }
        }
        line
    }

    fn error(&self, line: usize, field: &str, message: String) -> Diagnostic {
        Diagnostic::error(self.source, message).at(line, 0).field(field)
    }

    /// Control characters are refused here as in every other text editors write.
    fn check_text(&self, diags: &mut Vec<Diagnostic>, line: usize, field: &str, value: &str) {
        if let Some((pos, c)) = crate::hygiene::control_char(value) {
            diags.push(crate::hygiene::control_error(self.source, &format!("セルフチェックの項目「{field}」"), &value[..pos], c).at(line, 0).field(field));
        }
    }
}

/// serde's common messages, in the words editors read.
fn serde_in_japanese(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    if message.contains("unknown field") {
        let expected: Vec<String> = message.split("expected").nth(1).unwrap_or("").split('`').skip(1).step_by(2).map(str::to_string).collect();
        format!("項目「{}」は使えません（使える項目: {}）", quoted(message), expected.join(", "))
    } else if message.contains("missing field") {
        format!("項目「{}」がありません", quoted(message))
    } else if message.contains("invalid type") {
        format!("値の形が違います（{message}）")
    } else {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checklist(questions: &[(u8, usize, usize)]) -> Checklist {
        let q = |(i, (step, n, ready)): (usize, &(u8, usize, usize))| Question {
            id: format!("q{i}"),
            text: "問い".into(),
            help: None,
            step: *step,
            public: true,
            options: (0..*n).map(|o| format!("選択肢{o}")).collect(),
            ready_from: *ready,
        };
        Checklist {
            source: PathBuf::new(),
            title: "t".into(),
            summary: None,
            steps: Vec::new(),
            support: None,
            themes: vec![Theme { title: "テーマ".into(), questions: questions.iter().enumerate().map(q).collect() }],
        }
    }

    #[test]
    fn the_lowest_step_with_an_open_question_is_suggested() {
        let c = checklist(&[(1, 4, 3), (1, 3, 3), (2, 4, 3), (3, 4, 4)]);
        assert_eq!(c.step_of(&[Some(0), Some(0), Some(0), Some(0)]), (1, vec![0, 1]));
        assert_eq!(c.step_of(&[Some(2), Some(0), Some(3), Some(3)]), (1, vec![1]));
        assert_eq!(c.step_of(&[Some(2), Some(2), Some(1), Some(0)]), (2, vec![2]));
        assert_eq!(c.step_of(&[Some(3), Some(2), Some(3), Some(0)]), (3, vec![3]));
        assert_eq!(c.step_of(&[Some(3), Some(2), Some(3), Some(3)]), (3, vec![]));
        // Unanswered is not done.
        assert_eq!(c.step_of(&[Some(3), None, Some(3), Some(3)]), (1, vec![1]));
    }
}
