//! Spreadsheets in and out. Municipal lists and self-check answers arrive as CSV in UTF-8
//! (with or without BOM), Shift_JIS/CP932 or UTF-16, or as Excel files: [`read_table`]
//! reads them all into one [`Table`]. Cells kyoso writes for spreadsheets are guarded
//! against being read as formulas ([`formula_safe`]), and the guard is removed again when
//! such a file comes back ([`unguard`]).

use std::path::Path;

/// First characters that make a spreadsheet read a cell as a formula ("CSV injection").
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell a spreadsheet shows as text: a cell starting with `=`, `+`, `-`, `@`, tab or
/// CR gets a leading `'`, as OWASP recommends. Citizens open `actors.csv` in Excel, and
/// listings come from outside organisations. Phone numbers like `+81…` are guarded too
/// (docs/data-format.md says so); `kyoso import` removes the guard again ([`unguard`]).
pub fn formula_safe(cell: String) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The value of a cell [`formula_safe`] guarded.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// A spreadsheet: header and rows of cells, plus what encoding it was in.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub encoding: &'static str,
}

pub fn read_table(path: &Path) -> Result<Table, String> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| format!("{} を読めません: {e}", path.display()))?;
    read_table_bytes(&bytes, &ext)
}

/// Reads a table from memory; `ext` (lower case, no dot) says whether it is a workbook.
pub fn read_table_bytes(bytes: &[u8], ext: &str) -> Result<Table, String> {
    if matches!(ext, "xlsx" | "xlsm" | "xls" | "ods") {
        use calamine::{open_workbook_auto_from_rs, Reader};
        // A damaged workbook must give an error, never bring the command down.
        let read = std::panic::catch_unwind(|| -> Result<Vec<Vec<String>>, String> {
            let mut wb = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).map_err(|e| format!("表計算ファイルを開けません: {e}"))?;
            let sheet = wb.sheet_names().first().cloned().ok_or("シートがありません")?;
            let range = wb.worksheet_range(&sheet).map_err(|e| format!("シート「{sheet}」を読めません: {e}"))?;
            Ok(range.rows().map(|r| r.iter().map(|c| cell(&c.to_string())).collect()).collect())
        });
        let mut rows = read.map_err(|_| "表計算ファイルが壊れているため読めません".to_string())??;
        if rows.is_empty() {
            return Err("シートが空です".into());
        }
        let header = rows.remove(0);
        return Ok(Table { header, rows, encoding: "Excel" });
    }
    let (text, encoding) = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| format!("見出し行を読めません: {e}"))?.iter().map(|h| h.trim().to_string()).collect();
    let mut rows = Vec::new();
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|e| format!("{} 行目を読めません: {e}", i + 2))?;
        rows.push(r.iter().map(cell).collect());
    }
    Ok(Table { header, rows, encoding })
}

/// A cell's value: trimmed, without the formula guard kyoso's own exports add, and
/// without the control characters the build refuses (see `hygiene.rs`): in a spreadsheet
/// they come from pasted text, never from meaning, and would stop every build until an
/// editor found an invisible character.
fn cell(c: &str) -> String {
    let mut value = unguard(c.trim()).trim().to_string();
    while let Some((at, ch)) = crate::hygiene::control_char(&value) {
        value.replace_range(at..at + ch.len_utf8(), "");
    }
    value
}

/// UTF-8 (BOM or not), UTF-16 (BOM) or CP932, in that order of evidence.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map(|s| (s, "UTF-8（BOM付き）")).map_err(|_| "UTF-8 として読めません".into());
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes.starts_with(b"\xFF\xFE") { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, _, bad) = enc.decode(bytes);
        return if bad { Err("UTF-16 として読めません".into()) } else { Ok((text.into_owned(), "UTF-16")) };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    // encoding_rs's Shift_JIS is the WHATWG one: Windows-31J (CP932), with ①, №, Ⅰ.
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
    if !bad {
        return Ok((text.into_owned(), "Shift_JIS（CP932）"));
    }
    Err("文字コードを判別できません（UTF-8、Shift_JIS、UTF-16 のいずれかで保存してください）".into())
}

