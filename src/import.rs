//! `kyoso import actors|cases FILE`: turns a spreadsheet into one Markdown file per row.
//!
//! Municipal lists arrive as CSV in UTF-8 (with or without BOM), Shift_JIS/CP932 or
//! UTF-16, or as Excel `.xlsx`. Known Japanese (and English) column names map to fields
//! automatically; `--map 列名=field` adds more and `--set field=value` fills what the
//! list does not have (a city's facility list has no 分野). Every row is checked with the
//! same schema as the build; a row that fails is reported with its row number and skipped
//! (a problem shared by many rows is reported once, with the row numbers).
//!
//! Several lists land in one folder (Takamatsu's 47 facilities, then Yaizu's 277), so each
//! file records where it came from (`import_source`: the list's file name, `import_id`:
//! the record's id in it) and an import only ever writes the files of its own records:
//! a file name that is taken by a hand-written file or another list's is a clash, reported
//! and not written. Files an editor has changed since the last import are not overwritten
//! without `--force`; files whose record left the list are reported, and deleted only with
//! `--delete-missing`.

use crate::diagnostics::Diagnostic;
use crate::table::{read_table, Table};
use crate::schema::{self, Collection, Ty};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Column name (normalised) → field, for the lists editors really receive.
const KNOWN_COLUMNS: &[(&str, &str)] = &[
    ("id", "id"), ("no", "id"), ("№", "id"), ("#property", "id"), ("事業所番号", "id"),
    ("名称", "title"), ("施設名称", "title"), ("事業所名称", "title"), ("介護サービス事業所名称", "title"), ("団体名", "title"),
    ("要配慮者利用施設名称", "title"), ("name", "title"), ("title", "title"), ("イベント名", "title"), ("事例名", "title"),
    ("住所", "address"), ("所在地", "address"), ("所在地_連結表記", "address"), ("address", "address"),
    ("緯度", "lat"), ("latitude", "lat"), ("経度", "lon"), ("longitude", "lon"),
    ("url", "website"), ("ホームページ", "website"), ("website", "website"), ("referenceobject", "website"),
    ("分野", "domains"), ("カテゴリ", "domains"), ("カテゴリー", "domains"),
    ("市区町村", "municipalities"), ("市区町村名", "municipalities"), ("所在地_市区町村", "municipalities"), ("活動地域", "municipalities"),
    ("都道府県", "prefecture"), ("都道府県名", "prefecture"), ("所在地_都道府県", "prefecture"),
    ("種別", "kind"), ("主体の種別", "kind"),
    ("本業", "core_business"), ("事業内容", "core_business"), ("実施サービス", "core_business"), ("service", "core_business"), ("区分", "core_business"),
    ("電話番号", "contact"), ("連絡先", "contact"), ("telephonenumber", "contact"),
    ("概要", "summary"), ("説明", "summary"), ("summary", "summary"),
    ("登録日", "registered"), ("活動の規模", "scale"),
    ("実施市区町村", "municipality"), ("関わる主体", "actors"), ("開始時期", "started"),
];

fn norm_column(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect::<String>().trim().trim_matches('"').to_lowercase()
}

pub struct Options {
    pub collection: Collection,
    pub file: PathBuf,
    pub root: PathBuf,
    /// Extra column → field mappings.
    pub map: Vec<(String, String)>,
    /// Values for fields the table does not have.
    pub set: Vec<(String, String)>,
    pub dry_run: bool,
    pub force: bool,
    /// Delete this source's files whose record is no longer in the list.
    pub delete_missing: bool,
}

impl Options {
    /// An import of `file` into the site at `root`, with no extra option.
    pub fn new(collection: Collection, file: PathBuf, root: PathBuf) -> Options {
        Options { collection, file, root, map: Vec::new(), set: Vec::new(), dry_run: false, force: false, delete_missing: false }
    }
}

/// What an import did (with `dry_run`: would do) to each file.
#[derive(Debug, Default)]
pub struct Report {
    pub encoding: &'static str,
    /// Files written: new ones, and those in `updated`.
    pub written: Vec<PathBuf>,
    /// Of `written`, the files that replaced an earlier import of the same record.
    pub updated: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Files of this source an editor changed since the last import (kept unless `force`).
    pub kept: Vec<PathBuf>,
    /// Rows whose file would replace a hand-written file or another source's: not written.
    pub clashes: Vec<Diagnostic>,
    /// This source's files whose record is no longer in the list, left in place.
    pub missing: Vec<PathBuf>,
    /// This source's files whose record is no longer in the list, deleted (`delete_missing`).
    pub deleted: Vec<PathBuf>,
    /// One per row not imported.
    pub skipped: Vec<Diagnostic>,
    /// One per row and warning.
    pub warnings: Vec<Diagnostic>,
    /// `skipped` and `warnings` as people read them: each problem once, with its rows.
    pub problems: Vec<Diagnostic>,
    /// Columns that were not used.
    pub ignored_columns: Vec<String>,
}

const MARK: &str = "# kyoso import:";

/// One row that can be imported.
#[derive(Debug)]
pub struct Record {
    /// The record's id in its source: the id column, or the name when there is none.
    pub id: String,
    pub row: usize,
    pub title: String,
    /// Where a first import puts it, relative to the site root.
    pub rel: PathBuf,
    /// The file to write (without the import mark).
    pub text: String,
}

/// What a table turns into, before anything is written.
#[derive(Debug, Default)]
pub struct Plan {
    pub records: Vec<Record>,
    /// The id of every row of the list, imported or not: a file whose record is among
    /// them has not disappeared from the source.
    pub ids: HashSet<String>,
    pub skipped: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub problems: Vec<Diagnostic>,
    pub ignored_columns: Vec<String>,
}

/// Maps columns to fields and checks every row with the build's schema. Pure: no I/O.
pub fn plan(
    table: &Table,
    collection: Collection,
    map: &[(String, String)],
    set: &[(String, String)],
    domains: &[String],
    source_name: &str,
) -> Plan {
    let mut out = Plan::default();
    let mut mapping: Vec<Option<String>> = Vec::new();
    for h in &table.header {
        let n = norm_column(h);
        let explicit = map.iter().find(|(c, _)| norm_column(c) == n).map(|(_, f)| f.clone());
        let known = KNOWN_COLUMNS.iter().find(|(c, _)| norm_column(c) == n).map(|(_, f)| f.to_string());
        let direct = schema::find(collection, &n).map(|s| s.name.to_string());
        let field = explicit.or(known).or(direct);
        if field.is_none() {
            out.ignored_columns.push(h.clone());
        }
        mapping.push(field);
    }
    let source_stem = source_stem(source_name, collection);
    let mut problems = Problems::default();
    let mut first_row_of: BTreeMap<String, usize> = BTreeMap::new();
    for (i, row) in table.rows.iter().enumerate() {
        let row_no = i + 2; // the header is row 1
        if row.iter().all(|c| c.is_empty()) {
            continue;
        }
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        for (field, cell) in mapping.iter().zip(row) {
            if let (Some(f), false) = (field, cell.is_empty()) {
                values.entry(f.clone()).or_insert_with(|| cell.clone());
            }
        }
        for (f, v) in set {
            values.entry(f.clone()).or_insert_with(|| v.clone());
        }
        infer_region(&mut values);
        let at = |msg: String| Diagnostic::error(source_name, msg).at(row_no, 0);
        let Some(title) = values.get("title").cloned() else {
            let hint = "名称（または name）の列を用意するか、--map 列名=title で指定してください。";
            out.skipped.push(at("名称の列が空です".into()).hint(hint));
            problems.add(row_no, Diagnostic::error(source_name, "名称の列が空です").hint(hint));
            continue;
        };
        let id = values.get("id").cloned().unwrap_or_else(|| title.clone());
        out.ids.insert(id.clone());
        if let Some(first) = first_row_of.get(&id) {
            let d = Diagnostic::error(source_name, format!("ID「{id}」が {first} 行目と重複しています"))
                .hint("一覧の ID の列で、行ごとに違う値にしてください（ID の列がなければ名称で見分けます）。");
            out.skipped.push(d.clone().at(row_no, 0));
            problems.add(row_no, d);
            continue;
        }
        first_row_of.insert(id.clone(), row_no);
        let slug = file_stem(&id, &title, &source_stem);
        let text = markdown(collection, &values, source_name, &id);
        // The same checks as the build, on the file as it would be written.
        let rel = PathBuf::from(format!("content/{}/{slug}.md", collection.folder()));
        let parsed = match crate::frontmatter::parse(&rel, text.clone()) {
            Ok(p) => p,
            Err(d) => {
                out.skipped.push(at(d.message.clone()));
                problems.add(row_no, Diagnostic::error(source_name, d.message));
                continue;
            }
        };
        let raw = crate::load::RawDoc { collection, source: rel.clone(), stem: slug.clone(), guide: None, parsed };
        let (doc, found) = crate::validate::check_doc(raw, domains);
        let errors: Vec<&Diagnostic> = found.iter().filter(|d| d.is_error()).collect();
        let hint = "列の値を直すか、--set 項目=値 で補ってください（例: --set kind=社会福祉法人 --set domains=介護）。";
        for d in &found {
            let mut p = Diagnostic::error(source_name, d.message.clone()).field(d.field.clone());
            p.severity = d.severity;
            p.hint = if d.is_error() { Some(hint.to_string()) } else { d.hint.clone() };
            problems.add(row_no, p);
        }
        if doc.is_none() || !errors.is_empty() {
            let what = errors.iter().map(|d| format!("{}: {}", d.field, d.message)).collect::<Vec<_>>().join("／");
            out.skipped.push(at(format!("「{title}」を取り込めません: {what}")).hint(hint));
            continue;
        }
        for w in found.into_iter().filter(|d| !d.is_error()) {
            out.warnings.push(Diagnostic::warning(source_name, format!("「{title}」: {}: {}", w.field, w.message)).at(row_no, 0));
        }
        out.records.push(Record { id, row: row_no, title, rel, text });
    }
    // Two records of one list whose names give the same file: both are named by their
    // ids instead, so neither depends on the other's row order.
    let mut by_rel: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for r in &out.records {
        *by_rel.entry(r.rel.clone()).or_default() += 1;
    }
    for r in &mut out.records {
        if by_rel[&r.rel] > 1 {
            r.rel = PathBuf::from(format!("content/{}/{source_stem}-{}.md", collection.folder(), id_slug(&r.id)));
        }
    }
    out.problems = problems.summarise();
    out
}

/// Problems of many rows, grouped: a list with 300 rows and no 分野 column gives one
/// message with the row numbers, not 300 of them.
#[derive(Default)]
struct Problems(Vec<(Diagnostic, Vec<usize>)>);

impl Problems {
    fn add(&mut self, row: usize, d: Diagnostic) {
        let same = |(p, _): &&mut (Diagnostic, Vec<usize>)| p.severity == d.severity && p.field == d.field && p.message == d.message;
        match self.0.iter_mut().find(same) {
            Some((_, rows)) => rows.push(row),
            None => self.0.push((d, vec![row])),
        }
    }

    /// Row numbers shown before `…`.
    const SHOWN: usize = 8;

    fn summarise(self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .0
            .into_iter()
            .map(|(d, rows)| match rows.as_slice() {
                [row] => d.at(*row, 0),
                _ => {
                    let mut shown = rows.iter().take(Self::SHOWN).map(usize::to_string).collect::<Vec<_>>().join(", ");
                    if rows.len() > Self::SHOWN {
                        shown.push_str(", …");
                    }
                    let message = format!("{} 行（{shown}行目）: {}", rows.len(), d.message);
                    Diagnostic { message, ..d }
                }
            })
            .collect();
        out.sort_by_key(|d| d.severity);
        out
    }
}

/// A file name for a record, readable and the same at every import: the id when it is
/// itself a name (kyoso's own `actors.csv` has the slugs), else the name when it can be
/// written in ASCII (kana are romanised), else `<source>-<id>`.
fn file_stem(id: &str, title: &str, source_stem: &str) -> String {
    let lower = id.to_lowercase();
    if crate::validate::is_valid_slug(&lower) && lower.bytes().any(|b| b.is_ascii_alphabetic()) {
        return lower;
    }
    crate::validate::romanise(title).unwrap_or_else(|| format!("{source_stem}-{}", id_slug(id)))
}

/// Where the get-listed form's entries come from, as the start of their file names.
pub const APPLY_SOURCE: &str = "apply";

/// The file name the get-listed form gives an entry: the one an import gives the row
/// of a list named `apply` without an ID column. `static/js/apply.js` makes it in the
/// browser the same way; `tests/apply.rs` checks that both agree.
pub fn applicant_file_stem(name: &str) -> String {
    file_stem(name, name, APPLY_SOURCE)
}

/// An id as part of a file name: itself when it is ASCII letters and digits, else a hash.
fn id_slug(id: &str) -> String {
    let lower = id.to_lowercase();
    if crate::validate::is_valid_slug(&lower) {
        lower
    } else {
        format!("{:08x}", fnv(id) & 0xffff_ffff)
    }
}

/// The source file's name as the start of file names: `takamatsu_elderly_welfare_facility.csv`
/// → `takamatsu-elderly-welfare-facility`.
fn source_stem(source_name: &str, collection: Collection) -> String {
    let stem = Path::new(source_name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let out = crate::validate::hyphenate_ascii(&stem);
    if out.chars().any(|c| c.is_ascii_alphabetic()) {
        out
    } else {
        // A name in kanji (高松市_施設一覧.csv): the collection and a hash of the name.
        format!("{}-{:06x}", collection.name(), fnv(source_name) & 0xff_ffff)
    }
}

/// Where an existing file came from, read from its front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Import { source: String, id: String },
    /// Written by a person, or imported before kyoso recorded sources.
    Other,
}

/// Every file of the collection's folder and where it came from.
fn origins(root: &Path, collection: Collection) -> BTreeMap<PathBuf, Origin> {
    let folder = root.join(crate::model::CONTENT_DIR).join(collection.folder());
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&folder).into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        let fields = std::fs::read(entry.path())
            .ok()
            .and_then(|bytes| crate::frontmatter::decode(&rel, bytes).ok())
            .and_then(|text| crate::frontmatter::parse(&rel, text).ok())
            .map(|p| p.fields)
            .unwrap_or_default();
        let text = |k: &str| match fields.get(k) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let origin = match (text("import_source"), text("import_id")) {
            (Some(source), Some(id)) => Origin::Import { source, id },
            _ => Origin::Other,
        };
        out.insert(rel, origin);
    }
    out
}

pub fn import(opts: &Options) -> Result<Report, String> {
    let table = read_table(&opts.file)?;
    let config = crate::config::Config::load(&opts.root).map_err(|d| d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))?;
    let source_name = opts.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let plan = plan(&table, opts.collection, &opts.map, &opts.set, &config.domains(), &source_name);
    let mut report = Report {
        encoding: table.encoding,
        skipped: plan.skipped,
        warnings: plan.warnings,
        problems: plan.problems,
        ignored_columns: plan.ignored_columns,
        ..Default::default()
    };
    let origins = origins(&opts.root, opts.collection);
    let mine = |o: &Origin| matches!(o, Origin::Import { source, .. } if *source == source_name);
    let my_files: HashMap<&str, &PathBuf> =
        origins.iter().filter_map(|(p, o)| match o { Origin::Import { id, .. } if mine(o) => Some((id.as_str(), p)), _ => None }).collect();
    let mut claimed: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for record in plan.records {
        let this = Origin::Import { source: source_name.clone(), id: record.id.clone() };
        // A file imported from this record before stays where it is, whatever its name.
        let rel = my_files.get(record.id.as_str()).map_or(record.rel, |p| (*p).clone());
        let clash = |what: String| {
            Diagnostic::error(&source_name, format!("「{}」（ID {}）を {} に書けません: {what}", record.title, record.id, rel.display()))
                .at(record.row, 0)
                .hint(format!(
                    "別の主体なら、一覧の ID か既存のファイルの名前を変えてください。同じ主体なら、既存のファイルの front matter に `import_source: {source_name}` と `import_id: \"{}\"` を書くと、次の取り込みから更新されます。",
                    record.id
                ))
        };
        if let Some(first) = claimed.insert(rel.clone(), record.row) {
            report.clashes.push(clash(format!("{first} 行目の記録と同じファイルになります")));
            continue;
        }
        let path = opts.root.join(&rel);
        let stamped = stamp(&record.text);
        let existed = match origins.get(&rel) {
            None => false,
            Some(o) if *o == this => true,
            Some(Origin::Import { source, id }) => {
                report.clashes.push(clash(format!("そのファイルは {source} の ID「{id}」から取り込んだものです")));
                continue;
            }
            Some(Origin::Other) => {
                report.clashes.push(clash("そのファイルは手書きのファイル（取り込み元の記録がないファイル）です".into()));
                continue;
            }
        };
        if existed {
            let existing = std::fs::read_to_string(&path).unwrap_or_default();
            if existing == stamped {
                report.unchanged.push(rel);
                continue;
            }
            if !opts.force && edited_since_import(&existing) {
                report.kept.push(rel);
                continue;
            }
            report.updated.push(rel.clone());
        }
        if !opts.dry_run {
            write_whole(&path, &rel, stamped.as_bytes())?;
        }
        report.written.push(rel);
    }
    for (rel, origin) in &origins {
        let Origin::Import { id, .. } = origin else { continue };
        if !mine(origin) || plan.ids.contains(id) {
            continue;
        }
        let path = opts.root.join(rel);
        let unedited = std::fs::read_to_string(&path).is_ok_and(|t| !edited_since_import(&t));
        if opts.delete_missing && (unedited || opts.force) {
            if !opts.dry_run {
                std::fs::remove_file(&path).map_err(|e| format!("{} を削除できません: {e}", rel.display()))?;
            }
            report.deleted.push(rel.clone());
        } else {
            report.missing.push(rel.clone());
        }
    }
    Ok(report)
}

/// Writes an imported file (`rel` names it in messages), making its folder: to a
/// temporary file renamed into place, so a failure never leaves half a file.
pub(crate) fn write_whole(path: &Path, rel: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| format!("{} を作れません: {e}", p.display()))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".kyoso-tmp");
    std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path)).map_err(|e| format!("{} に書けません: {e}", rel.display()))
}

/// Fills prefecture and municipality from an address that starts with them.
fn infer_region(values: &mut BTreeMap<String, String>) {
    let Some(address) = values.get("address").cloned() else { return };
    let mut rest = address.as_str();
    if let Some(p) = crate::vocab::PREFECTURES.iter().find(|p| address.starts_with(**p)) {
        values.entry("prefecture".into()).or_insert_with(|| p.to_string());
        rest = &address[p.len()..];
    }
    if !values.contains_key("municipalities") && !values.contains_key("municipality") {
        // 市 / 区 / 町 / 村 ends the municipality; a 郡 comes before a 町 or 村.
        let chars: Vec<char> = rest.chars().collect();
        let start = chars.iter().position(|c| *c == '郡').map_or(0, |p| p + 1);
        if let Some(end) = chars.iter().enumerate().skip(start).position(|(_, c)| matches!(c, '市' | '区' | '町' | '村')) {
            let name: String = chars[start..=start + end].iter().collect();
            if name.chars().count() >= 2 {
                values.insert("municipalities".into(), name.clone());
                values.insert("municipality".into(), name);
            }
        }
    }
}

fn markdown(collection: Collection, values: &BTreeMap<String, String>, source: &str, id: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("string");
    let mut out = format!(
        "---\n# 取り込み元の一覧と、その中の ID（サイトには出ません）\nimport_source: {}\nimport_id: {}\n",
        q(source),
        q(id)
    );
    for spec in schema::all_fields(collection) {
        if spec.name == "location" {
            if let (Some(lat), Some(lon)) = (values.get("lat"), values.get("lon")) {
                out.push_str(&format!("location: {{lat: {}, lon: {}}}\n", lat.parse::<f64>().map_or(q(lat), |v| v.to_string()), lon.parse::<f64>().map_or(q(lon), |v| v.to_string())));
            }
            continue;
        }
        let Some(v) = values.get(spec.name) else { continue };
        match spec.ty {
            Ty::Texts | Ty::Vocabs(_) | Ty::Steps => {
                let items: Vec<String> = v
                    .split(['、', ';', '；', ',', '，', '／', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(q)
                    .collect();
                out.push_str(&format!("{}: [{}]\n", spec.name, items.join(", ")));
            }
            _ => out.push_str(&format!("{}: {}\n", spec.name, q(v))),
        }
    }
    out.push_str("---\n");
    out
}

/// Adds the import mark: a hash of the content, so a later import can tell whether an
/// editor has changed the file since.
fn stamp(text: &str) -> String {
    let body = text.strip_prefix("---\n").unwrap_or(text);
    format!("---\n{MARK} {:016x}（この行は取り込みの記録です。消すと次の取り込みで上書きされません）\n{body}", fnv(body))
}

fn edited_since_import(existing: &str) -> bool {
    let Some(rest) = existing.strip_prefix("---\n") else { return true };
    let Some((mark, body)) = rest.split_once('\n') else { return true };
    let Some(hash) = mark.strip_prefix(MARK).and_then(|m| m.trim().get(..16)) else { return true };
    format!("{:016x}", fnv(body)) != hash
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}
