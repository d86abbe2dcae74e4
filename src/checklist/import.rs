//! `kyoso import checklist FILE…`: files the self-check answers municipalities send in,
//! one kept file per municipality (`data/checklist/<都道府県>/<市区町村>.csv`).
//!
//! The same safety as `kyoso import actors`: each kept file records the file it came from
//! and a hash of its row. Importing the same file again changes nothing; a municipality
//! whose kept file came from another file, or was written by hand, is a clash (reported,
//! not written); a kept file edited by hand since is kept unless `--force`. Nothing is
//! ever deleted. Rows with a problem are reported with their row number and skipped.

use super::answers::{self, Row};
use crate::diagnostics::Diagnostic;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct Options {
    /// Answer files (CSV or a workbook), or folders of them.
    pub files: Vec<PathBuf>,
    pub root: PathBuf,
    pub dry_run: bool,
    /// Overwrite kept files edited by hand since their import.
    pub force: bool,
}

/// What one import did (with `dry_run`: would do).
#[derive(Debug, Default)]
pub struct Report {
    /// Per file read: its name and encoding.
    pub files: Vec<(PathBuf, &'static str)>,
    pub written: Vec<PathBuf>,
    /// Of `written`, the kept files that were replaced.
    pub updated: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Kept files edited by hand since their import (not overwritten without `force`).
    pub kept: Vec<PathBuf>,
    pub clashes: Vec<Diagnostic>,
    /// Errors (rows skipped) and warnings, with file and row.
    pub problems: Vec<Diagnostic>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        !self.clashes.is_empty() || self.problems.iter().any(Diagnostic::is_error)
    }
}

/// The files to read: each file given, and the answer files in each folder given.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && !crate::load::is_hidden_or_junk(&e.file_name().to_string_lossy()))
                .map(|e| e.into_path())
                .filter(|f| f.extension().is_some_and(|x| matches!(x.to_string_lossy().to_ascii_lowercase().as_str(), "csv" | "xlsx" | "xlsm" | "xls" | "ods")))
                .collect();
            out.append(&mut inside);
        } else {
            out.push(p.clone());
        }
    }
    out
}

pub fn import(opts: &Options) -> Result<Report, String> {
    let mut diags = Vec::new();
    let readiness = super::load(&opts.root, &mut diags);
    let Some(checklist) = readiness.map(|r| r.checklist) else {
        let mut message = format!("{} がないか、読めません", super::DEFINITION);
        for d in diags.iter().filter(|d| d.is_error()) {
            message.push_str(&format!("\n{d}"));
        }
        return Err(message);
    };
    let mut report = Report::default();
    // Municipalities written by this run: the file and row that claimed each.
    let mut claimed: HashMap<PathBuf, (String, usize)> = HashMap::new();
    for file in expand(&opts.files) {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let table = match crate::table::read_table(&file) {
            Ok(t) => t,
            Err(e) => {
                report.problems.push(Diagnostic::error(&name, e));
                continue;
            }
        };
        report.files.push((file.clone(), table.encoding));
        let (rows, problems) = answers::read_rows(&table, &checklist, Path::new(&name));
        report.problems.extend(problems);
        for row in rows {
            file_row(opts, &checklist, &name, row, &mut claimed, &mut report)?;
        }
    }
    Ok(report)
}

/// Keeps one municipality's answers, unless that would replace what is not this file's.
fn file_row(opts: &Options, checklist: &super::Checklist, name: &str, row: Row, claimed: &mut HashMap<PathBuf, (String, usize)>, report: &mut Report) -> Result<(), String> {
    let rel = answers::stored_path(&row.answer);
    let place = format!("{}{}", row.answer.prefecture, row.answer.municipality);
    let clash = |what: String| {
        Diagnostic::error(name, format!("{place}の回答を {} に書けません: {what}", rel.display()))
            .at(row.line, 0)
            .hint(format!("新しい回答で置き換えるなら、{} を削除（または別の場所に保存）してから取り込んでください。", rel.display()))
    };
    if let Some((file, line)) = claimed.get(&rel) {
        report.clashes.push(clash(format!("{file} の {line} 行目と同じ市区町村です")));
        return Ok(());
    }
    claimed.insert(rel.clone(), (name.to_string(), row.line));
    let path = opts.root.join(&rel);
    let bytes = answers::stored_csv(checklist, &row, name);
    let existed = path.exists();
    if existed {
        let existing = std::fs::read(&path).map_err(|e| format!("{} を読めません: {e}", rel.display()))?;
        if existing == bytes {
            report.unchanged.push(rel);
            return Ok(());
        }
        let table = crate::table::read_table(&path).ok();
        match table.as_ref().and_then(answers::provenance) {
            None => {
                report.clashes.push(clash("そのファイルは手書きのファイル（取り込み元の記録がないファイル）です".into()));
                return Ok(());
            }
            Some((source, _)) if source != name => {
                report.clashes.push(clash(format!("そのファイルは {source} から取り込んだものです")));
                return Ok(());
            }
            Some((_, false)) if !opts.force => {
                report.kept.push(rel);
                return Ok(());
            }
            Some(_) => report.updated.push(rel.clone()),
        }
    }
    if !opts.dry_run {
        crate::import::write_whole(&path, &rel, &bytes)?;
    }
    report.written.push(rel);
    Ok(())
}
