//! The answers file: what the self-check page downloads, what `kyoso import checklist`
//! reads, and what it keeps per municipality under `data/checklist/`.
//!
//! One row per municipality; the columns (docs/content-model.md, 「セルフチェックの回答」):
//! `形式` (`kyoso-checklist-1`: what the file is and the version of its format), `都道府県`,
//! `市区町村`, `回答日`, one column per question named by its `id` (the option's text, or
//! its number counted from 1), `ステップ` (the page's result; the build works it out
//! again from the answers) and `メモ` (free text, never published). A kept file adds
//! `取り込み元` (the file it was imported from) and `取り込み確認` (a hash of the row, so a
//! later import can tell a hand edit).

use super::{Checklist, ANSWERS_DIR};
use crate::diagnostics::Diagnostic;
use crate::table::Table;
use std::path::{Path, PathBuf};

/// What the `形式` column holds: the kind of file and the version of its format.
pub const FORMAT: &str = "kyoso-checklist-1";
pub const FORMAT_COLUMN: &str = "形式";
pub const PREFECTURE_COLUMN: &str = "都道府県";
pub const MUNICIPALITY_COLUMN: &str = "市区町村";
pub const DATE_COLUMN: &str = "回答日";
pub const STEP_COLUMN: &str = "ステップ";
pub const MEMO_COLUMN: &str = "メモ";
/// Columns only kept files have.
pub const SOURCE_COLUMN: &str = "取り込み元";
pub const CHECK_COLUMN: &str = "取り込み確認";

/// One municipality's answers, as the build uses them (the memo is not kept).
#[derive(Debug, Clone, Hash)]
pub struct Answer {
    pub prefecture: String,
    pub municipality: String,
    pub date: Option<String>,
    /// Per question in [`Checklist::questions`] order: the 0-based option chosen.
    pub choices: Vec<Option<usize>>,
    pub step: u8,
    /// Questions of `step` not done yet (positions as in `choices`).
    pub open: Vec<usize>,
}

/// A row of an answers table, checked.
pub struct Row {
    pub answer: Answer,
    pub memo: String,
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
}

/// The columns of an answers file, in order.
pub fn columns(checklist: &Checklist) -> Vec<String> {
    let mut c: Vec<String> = [FORMAT_COLUMN, PREFECTURE_COLUMN, MUNICIPALITY_COLUMN, DATE_COLUMN].map(String::from).to_vec();
    c.extend(checklist.questions().map(|q| q.id.clone()));
    c.extend([STEP_COLUMN, MEMO_COLUMN].map(String::from));
    c
}

/// Reads the rows of an answers table. Rows with an error are left out; every problem
/// names `source`, the line and the column.
pub fn read_rows(table: &Table, checklist: &Checklist, source: &Path) -> (Vec<Row>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let col = |name: &str| table.header.iter().position(|h| h == name);
    let header_error = |message: String, hint: &str| Diagnostic::error(source, message).at(1, 0).hint(hint.to_string());
    let (Some(format), Some(pref), Some(muni)) = (col(FORMAT_COLUMN), col(PREFECTURE_COLUMN), col(MUNICIPALITY_COLUMN)) else {
        let missing: Vec<&str> = [FORMAT_COLUMN, PREFECTURE_COLUMN, MUNICIPALITY_COLUMN].into_iter().filter(|c| col(c).is_none()).collect();
        problems.push(header_error(
            format!("セルフチェックの回答の表ではありません（列「{}」がありません）", missing.join("」「")),
            "セルフチェックのページの「回答をダウンロード」で作ったファイルか、同じ列の表を取り込んでください。",
        ));
        return (Vec::new(), problems);
    };
    let questions: Vec<(&super::Question, Option<usize>)> = checklist.questions().map(|q| (q, col(&q.id))).collect();
    if questions.iter().all(|(_, c)| c.is_none()) {
        problems.push(header_error("質問の列が1つもありません".into(), "1行目に質問の id（セルフチェックのページの「回答ファイルの形式」にあります）を並べてください。"));
        return (Vec::new(), problems);
    }
    for (q, _) in questions.iter().filter(|(_, c)| c.is_none()) {
        problems.push(
            Diagnostic::warning(source, format!("質問「{}」の列がありません。この質問は未回答として扱います", q.id))
                .at(1, 0)
                .hint("質問が増える前の回答なら、そのままで構いません。新しい回答なら、セルフチェックのページで作り直してください。"),
        );
    }
    let known: Vec<&str> = [FORMAT_COLUMN, PREFECTURE_COLUMN, MUNICIPALITY_COLUMN, DATE_COLUMN, STEP_COLUMN, MEMO_COLUMN, SOURCE_COLUMN, CHECK_COLUMN]
        .into_iter()
        .chain(questions.iter().map(|(q, _)| q.id.as_str()))
        .collect();
    let unknown: Vec<&str> = table.header.iter().map(String::as_str).filter(|h| !h.is_empty() && !known.contains(h)).collect();
    if !unknown.is_empty() {
        problems.push(Diagnostic::warning(source, format!("使わない列があります: {}", unknown.join("、"))).at(1, 0).hint("質問の id が変わっていないか確かめてください。"));
    }
    let date_col = col(DATE_COLUMN);
    let memo_col = col(MEMO_COLUMN);
    let mut rows: Vec<Row> = Vec::new();
    for (i, cells) in table.rows.iter().enumerate() {
        let line = i + 2;
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| cells.get(c)).map(String::as_str).unwrap_or("");
        let at = |column: &str, message: String, hint: String| Diagnostic::error(source, message).at(line, 0).field(column).hint(hint);
        let before = problems.iter().filter(|d: &&Diagnostic| d.is_error()).count();
        if get(Some(format)) != FORMAT {
            problems.push(at(
                FORMAT_COLUMN,
                format!("形式「{}」の回答は読めません", get(Some(format))),
                format!("この版の kyoso が読むのは「{FORMAT}」です。セルフチェックのページで回答を作り直してください。"),
            ));
        }
        let prefecture = match get(Some(pref)) {
            p if crate::vocab::PREFECTURES.contains(&p) => p.to_string(),
            p => match crate::vocab::complete_prefecture(p) {
                Some(full) => full.to_string(),
                None => {
                    problems.push(at(PREFECTURE_COLUMN, format!("都道府県「{p}」がわかりません"), "「高知県」のように都道府県の名前を書いてください。".into()));
                    String::new()
                }
            },
        };
        let municipality = get(Some(muni)).to_string();
        if !crate::urls::is_safe_path_name(&municipality) {
            problems.push(at(
                MUNICIPALITY_COLUMN,
                if municipality.is_empty() { "市区町村がありません".into() } else { format!("市区町村名「{municipality}」に使えない記号があります") },
                "「四万十町」のように市区町村の名前を書いてください（/ \\ : * ? \" < > | は使えません）。".into(),
            ));
        }
        let date = match parse_date(get(date_col)) {
            Ok(d) => d,
            Err(v) => {
                problems.push(at(DATE_COLUMN, format!("回答日「{v}」は日付として読めません"), "2026-11-20 のように書くか、空にしてください。".into()));
                None
            }
        };
        let mut choices = Vec::new();
        for (q, c) in &questions {
            let value = get(*c);
            match choice(q, value) {
                Ok(v) => choices.push(v),
                Err(()) => {
                    let listed: Vec<String> = q.options.iter().enumerate().map(|(n, o)| format!("{}「{o}」", n + 1)).collect();
                    problems.push(at(&q.id, format!("「{value}」は質問「{}」の選択肢にありません", q.id), format!("選択肢の文か番号を書いてください: {}", listed.join("、"))));
                    choices.push(None);
                }
            }
        }
        if problems.iter().filter(|d| d.is_error()).count() > before {
            continue;
        }
        if let Some(first) = rows.iter().find(|r| r.answer.prefecture == prefecture && r.answer.municipality == municipality) {
            problems.push(at(
                MUNICIPALITY_COLUMN,
                format!("{prefecture}{municipality}の回答が {} 行目にもあります", first.line),
                "1つの市区町村の回答は1行にしてください。".into(),
            ));
            continue;
        }
        let (step, open) = checklist.step_of(&choices);
        let memo = get(memo_col).to_string();
        rows.push(Row { answer: Answer { prefecture, municipality, date, choices, step, open }, memo, line });
    }
    (rows, problems)
}

/// The option a cell names: its text or its number from 1; `None` for an empty cell.
fn choice(q: &super::Question, value: &str) -> Result<Option<usize>, ()> {
    use unicode_normalization::UnicodeNormalization;
    if value.is_empty() {
        return Ok(None);
    }
    let norm = |s: &str| s.nfkc().collect::<String>().trim().to_string();
    let v = norm(value);
    if let Ok(n) = v.parse::<usize>() {
        return if (1..=q.options.len()).contains(&n) { Ok(Some(n - 1)) } else { Err(()) };
    }
    q.options.iter().position(|o| norm(o) == v).map(Some).ok_or(())
}

/// `2026-11-20` or `2026/11/20` (as a spreadsheet may save it); empty is no date.
fn parse_date(value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let v = value.replace('/', "-");
    let day = v.split([' ', 'T']).next().unwrap_or("");
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").map(|d| Some(d.to_string())).map_err(|_| value.to_string())
}

/// The kept file of one municipality, relative to the site root.
pub fn stored_path(a: &Answer) -> PathBuf {
    PathBuf::from(ANSWERS_DIR).join(&a.prefecture).join(format!("{}.csv", a.municipality))
}

/// The cells of a row as written (before the provenance columns).
fn cells(checklist: &Checklist, row: &Row) -> Vec<String> {
    let a = &row.answer;
    let mut v = vec![FORMAT.to_string(), a.prefecture.clone(), a.municipality.clone(), a.date.clone().unwrap_or_default()];
    v.extend(checklist.questions().zip(&a.choices).map(|(q, c)| c.map(|c| q.options[c].clone()).unwrap_or_default()));
    v.push(a.step.to_string());
    v.push(row.memo.clone());
    v
}

/// A kept file: the header, the row, and where it came from (UTF-8 with BOM, CRLF, cells
/// guarded against formulas like every CSV kyoso writes).
pub fn stored_csv(checklist: &Checklist, row: &Row, source: &str) -> Vec<u8> {
    let values = cells(checklist, row);
    let check = check_hash(&values);
    let mut header = columns(checklist);
    header.extend([SOURCE_COLUMN.to_string(), CHECK_COLUMN.to_string()]);
    let mut record = values;
    record.extend([source.to_string(), check]);
    csv_bytes(&header, &[record])
}

/// A CSV file as kyoso writes them: BOM, CRLF, every cell through the formula guard.
pub fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(header).expect("in memory");
        for r in rows {
            w.write_record(r.iter().cloned().map(crate::table::formula_safe)).expect("in memory");
        }
        w.flush().expect("in memory");
    }
    out
}

fn check_hash(values: &[String]) -> String {
    let joined = values.join("\u{1f}");
    format!("{:016x}", joined.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3)))
}

/// Where a kept file came from: the source it names, and whether its row is still the
/// one imported (`false`: someone edited it by hand). `None`: no provenance (written by
/// hand).
pub fn provenance(table: &Table) -> Option<(String, bool)> {
    let col = |name: &str| table.header.iter().position(|h| h == name);
    let (s, c) = (col(SOURCE_COLUMN)?, col(CHECK_COLUMN)?);
    let row = table.rows.first()?;
    let source = row.get(s)?.clone();
    let values: Vec<String> = row.iter().enumerate().filter(|(i, _)| *i != s && *i != c).map(|(_, v)| v.clone()).collect();
    (!source.is_empty()).then(|| (source, row.get(c).is_some_and(|h| *h == check_hash(&values))))
}

/// Every kept answers file under `dir`, in name order.
pub fn stored_files(dir: &Path) -> impl Iterator<Item = PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !crate::load::is_hidden_or_junk(&e.file_name().to_string_lossy()))
        .filter(|e| e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .map(|e| e.into_path())
}

/// The kept answers of the site at `root`, checked like content: a problem is an error
/// at its file and line, and two files for one municipality are an error.
pub fn load_stored(root: &Path, checklist: &Checklist, diags: &mut Vec<Diagnostic>) -> Vec<Answer> {
    let mut answers: Vec<(Answer, PathBuf)> = Vec::new();
    for path in stored_files(&root.join(ANSWERS_DIR)) {
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let table = match crate::table::read_table(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(&rel, e).hint("kyoso import checklist で取り込み直してください。"));
                continue;
            }
        };
        let (rows, problems) = read_rows(&table, checklist, &rel);
        diags.extend(problems.into_iter().map(|mut d| {
            if d.is_error() && d.hint.is_none() {
                d.hint = Some("このファイルを直すか、kyoso import checklist で取り込み直してください。".into());
            }
            d
        }));
        for row in rows {
            if let Some((_, other)) = answers.iter().find(|(a, _)| a.prefecture == row.answer.prefecture && a.municipality == row.answer.municipality) {
                diags.push(
                    Diagnostic::error(&rel, format!("{}{}の回答が {} にもあります", row.answer.prefecture, row.answer.municipality, other.display()))
                        .at(row.line, 0)
                        .hint("どちらか一方のファイルを残してください。"),
                );
                continue;
            }
            answers.push((row.answer, rel.clone()));
        }
    }
    let mut answers: Vec<Answer> = answers.into_iter().map(|(a, _)| a).collect();
    answers.sort_by(|a, b| (crate::vocab::prefecture_order(&a.prefecture), &a.municipality).cmp(&(crate::vocab::prefecture_order(&b.prefecture), &b.municipality)));
    answers
}
