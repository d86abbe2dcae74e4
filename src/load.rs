//! Stage 1: find every source file under `content/` and parse it (in parallel).
//!
//! Nothing here judges the fields; it only turns files into front-matter maps and bodies,
//! classifies them by collection, and lists the other files (images, PDFs) to copy.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::frontmatter::{self, Parsed};
use crate::model::CONTENT_DIR;
use crate::model::Link;
use crate::schema::Collection;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A parsed source file, not yet checked against the schema.
#[derive(Debug)]
pub struct RawDoc {
    pub collection: Collection,
    /// Path relative to the site root (`content/cases/foo.md`).
    pub source: PathBuf,
    /// File name without `.md`.
    pub stem: String,
    /// For chapters, the guide folder name.
    pub guide: Option<String>,
    pub parsed: Parsed,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub docs: Vec<RawDoc>,
    /// `content/_index.md`: the home page's introduction.
    pub home: Option<Parsed>,
    pub links: Vec<Link>,
    /// Other files under `content/`, relative to `content/`, copied to the same place.
    pub assets: Vec<PathBuf>,
    /// Documents not read because the caller still has them (see [`load`]).
    pub reused: Vec<PathBuf>,
    pub diagnostics: Diagnostics,
}

enum Kind {
    Doc(Collection, Option<String>),
    Home,
    Links,
    /// `checklist.yaml`: read with the answers by `checklist.rs`, never published.
    Checklist,
    Asset,
    /// A file that would run script as a page of the site (see `assets.rs`).
    Active,
    Ignored,
}

/// Reads every file under `root/content`. A document for which `reuse(source)` says true
/// is not read; it is listed in `reused` instead (`serve` keeps unchanged documents).
pub fn load(root: &Path, reuse: &(dyn Fn(&Path) -> bool + Sync)) -> Loaded {
    let (files, diagnostics) = walk(root);
    let mut loaded = read(root, &files, reuse);
    loaded.diagnostics.0.splice(0..0, diagnostics.0);
    loaded
}

/// Every file under `root/content` (relative to it), in name order, without hidden and
/// junk files.
fn walk(root: &Path) -> (Vec<PathBuf>, Diagnostics) {
    let content = root.join(CONTENT_DIR);
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::new();
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(CONTENT_DIR, "content フォルダがありません")
                .hint("サイトのフォルダに content/ を作り、cases/ や actors/ に Markdown ファイルを置いてください。"),
        );
        return (files, diagnostics);
    }
    // The top-level folders (cases/, actors/ …) are walked in parallel (one walk took
    // 9 ms on one core at 10,000 documents while the other had nothing to do).
    let walked = crate::folder::walk_in_parallel(&content, |path, depth| {
        WalkDir::new(path).max_depth(depth).sort_by_file_name().into_iter().filter_entry(|e| e.depth() == 0 || !is_hidden_or_junk(&e.file_name().to_string_lossy()))
    });
    for entry in walked {
        visit(root, &content, entry, &mut files, &mut diagnostics);
    }
    (files, diagnostics)
}

/// One entry of the walk: a file is listed, a symbolic link or an unreadable entry is
/// reported, a folder itself is passed over.
fn visit(root: &Path, content: &Path, entry: Result<walkdir::DirEntry, walkdir::Error>, files: &mut Vec<PathBuf>, diagnostics: &mut Diagnostics) {
    match entry {
        Ok(e) if e.file_type().is_symlink() => {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            diagnostics.push(
                Diagnostic::warning(rel, "シンボリックリンクは読み込みません")
                    .hint("ファイルそのものを content/ の中に置いてください。"),
            );
        }
        Ok(e) if e.file_type().is_file() => {
            files.push(e.path().strip_prefix(content).unwrap_or(e.path()).to_path_buf());
        }
        Ok(_) => {}
        Err(err) => {
            let path = err.path().map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf()).unwrap_or_default();
            diagnostics.push(Diagnostic::error(path, format!("読み込めません（{err}）")));
        }
    }
}

/// Reads the given files (relative to `root/content`).
pub fn read(root: &Path, files: &[PathBuf], reuse: &(dyn Fn(&Path) -> bool + Sync)) -> Loaded {
    let mut loaded = Loaded::default();
    // Sources are opened relative to the site folder, held open (see `Folder`); if it
    // cannot be opened, every file says so below.
    let folder = crate::folder::Folder::open(root);
    let read_bytes = |source: &Path| match &folder {
        Ok(folder) => folder.read(source).map_err(|e| Diagnostic::error(source, format!("ファイルを読めません（{e}）"))),
        Err(e) => Err(Diagnostic::error(source, format!("ファイルを読めません（{e}）"))),
    };
    let read_doc = |source: &Path| frontmatter::parse(source, frontmatter::decode(source, read_bytes(source)?)?);
    let results: Vec<_> = files
        .par_iter()
        .map(|rel| {
            let source = Path::new(CONTENT_DIR).join(rel);
            match classify(rel) {
                Kind::Doc(..) if reuse(&source) => Ok(Item::Reused(source)),
                Kind::Doc(collection, guide) => read_doc(&source).map(|parsed| {
                    let stem = rel.file_stem().unwrap_or_default().to_string_lossy().into_owned();
                    let collection = if collection == Collection::Guide && stem != "_index" {
                        Collection::Chapter
                    } else {
                        collection
                    };
                    Item::Doc(RawDoc { collection, source, stem, guide, parsed })
                }),
                Kind::Home => read_doc(&source).and_then(|p| match crate::hygiene::body_error(&source, &p.body, p.body_first_line) {
                    Some(d) => Err(d),
                    None => Ok(Item::Home(p)),
                }),
                Kind::Links => read_links(root, &source).map(|(links, problems)| Item::Links(links, problems)),
                Kind::Checklist => Ok(Item::Checklist),
                Kind::Asset if crate::svg::is_svg(rel) => {
                    read_bytes(&source).and_then(|b| check_svg(&source, &b)).map(|note| Item::Asset(rel.clone(), note))
                }
                Kind::Asset => Ok(Item::Asset(rel.clone(), None)),
                Kind::Active => Ok(Item::Warning(
                    Diagnostic::warning(&source, "このファイルは公開しません（ブラウザがページとして開き、スクリプトを実行できる形式です）")
                        .hint("ページは Markdown（.md）で書いてください。資料として配るなら PDF などにしてください。"),
                )),
                Kind::Ignored => Ok(Item::Warning(
                    Diagnostic::warning(&source, "このフォルダの Markdown は、どのコレクションにも属さないため公開されません")
                        .hint("cases/ actors/ guides/ events/ policies/ news/ pages/ のいずれかに移してください。"),
                )),
            }
        })
        .collect();

    for r in results {
        match r {
            Ok(Item::Doc(d)) => loaded.docs.push(d),
            Ok(Item::Home(p)) => loaded.home = Some(p),
            Ok(Item::Links(l, problems)) => {
                loaded.links = l;
                loaded.diagnostics.extend(problems);
            }
            Ok(Item::Asset(a, note)) => {
                loaded.assets.push(a);
                loaded.diagnostics.extend(note);
            }
            Ok(Item::Warning(d)) => loaded.diagnostics.push(d),
            Ok(Item::Reused(p)) => loaded.reused.push(p),
            Ok(Item::Checklist) => {}
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    loaded
}

enum Item {
    Doc(RawDoc),
    Home(Parsed),
    Links(Vec<Link>, Vec<Diagnostic>),
    /// A file to publish, with what the editor should know about it.
    Asset(PathBuf, Option<Diagnostic>),
    Warning(Diagnostic),
    Reused(PathBuf),
    Checklist,
}

fn classify(rel: &Path) -> Kind {
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let is_md = rel.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
    match (parts.as_slice(), is_md) {
        ([file], true) if file == "_index.md" => Kind::Home,
        ([file], false) if file.starts_with("links.") => Kind::Links,
        // The self-check's questions: read with the answers by `checklist/`, never published.
        ([file], false) if file == "checklist.yaml" || file == "checklist.yml" => Kind::Checklist,
        ([_], true) => Kind::Ignored,
        ([folder, _guide], true) if folder == "guides" => Kind::Ignored,
        ([folder, guide, ..], true) if folder == "guides" => Kind::Doc(Collection::Guide, Some(guide.clone())),
        ([folder, ..], true) => match Collection::from_folder(folder) {
            Some(c) => Kind::Doc(c, None),
            None => Kind::Ignored,
        },
        (_, false) if crate::assets::is_active(rel) => Kind::Active,
        (_, false) => Kind::Asset,
        _ => Kind::Ignored,
    }
}

/// An SVG file is published cleaned (`svg.rs`): a warning says what was taken out, and
/// one that cannot be read as SVG is an error.
fn check_svg(source: &Path, bytes: &[u8]) -> Result<Option<Diagnostic>, Diagnostic> {
    let cleaned = crate::svg::clean(bytes).map_err(|e| {
        Diagnostic::error(source, e).hint("画像編集ソフトで SVG として保存し直すか、PNG にして置いてください。")
    })?;
    Ok((!cleaned.removed.is_empty()).then(|| {
        Diagnostic::warning(source, format!("SVG から、動作や外部の読み込みにつながる部分（{}）を取り除いて公開します", cleaned.removed.join("、")))
            .hint("図として表示される部分はそのままです。スクリプトやリンク先の読み込みは公開サイトでは動きません。")
    }))
}

/// The 関連リンク of `content/links.yaml` (or `.toml`), and the problems of its entries.
fn read_links(root: &Path, source: &Path) -> Result<(Vec<Link>, Vec<Diagnostic>), Diagnostic> {
    let bytes = std::fs::read(root.join(source))
        .map_err(|e| Diagnostic::error(source, format!("ファイルを読めません（{e}）")))?;
    let text = frontmatter::decode(source, bytes)?;
    parse_links(source, &text).map(|links| check_links(source, &text, links))
}

/// Keeps the entries whose address is a web address and whose text has no control
/// character; the others are errors at their line.
fn check_links(source: &Path, text: &str, links: Vec<Link>) -> (Vec<Link>, Vec<Diagnostic>) {
    let (mut kept, mut problems) = (Vec::new(), Vec::new());
    // Entries are written in order: each is looked for after the previous entry's address.
    let mut from = 0;
    let place = |needle: &str, from: usize| -> Option<usize> {
        let needle = needle.trim();
        if needle.is_empty() { None } else { text[from..].find(needle).map(|p| from + p) }
    };
    let line_col = |pos: Option<usize>| pos.map_or((0, 0), |p| crate::diagnostics::line_col(text, p));
    for l in links {
        let mut ok = true;
        for (field, value) in [("title", &l.title), ("url", &l.url), ("category", &l.category), ("description", &l.description)] {
            if let Some((pos, c)) = crate::hygiene::control_char(value) {
                let (line, col) = line_col(place(&value[..pos], from));
                problems.push(crate::hygiene::control_error(source, &format!("関連リンクの項目「{field}」"), &value[..pos], c).at(line, col).field(field));
                ok = false;
            }
        }
        let url_at = place(&l.url, from);
        from = url_at.unwrap_or(from);
        if ok && !crate::urls::is_http_url(&l.url) {
            let (line, col) = line_col(url_at);
            problems.push(
                Diagnostic::error(source, format!("関連リンク「{}」のアドレス「{}」はウェブのアドレスではありません", l.title, l.url))
                    .at(line, col)
                    .field("url")
                    .hint("https:// で始まるアドレスを書いてください。"),
            );
            ok = false;
        }
        if ok {
            kept.push(l);
        }
    }
    (kept, problems)
}

fn parse_links(source: &Path, text: &str) -> Result<Vec<Link>, Diagnostic> {
    let is_toml = source.extension().is_some_and(|e| e == "toml");
    frontmatter::check_depth(source, text, if is_toml { frontmatter::Format::Toml } else { frontmatter::Format::Yaml }, 1)?;
    if is_toml {
        #[derive(serde::Deserialize)]
        struct Wrapper {
            links: Vec<Link>,
        }
        toml::from_str::<Wrapper>(text).map(|w| w.links).map_err(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| crate::diagnostics::line_col(text, s.start));
            Diagnostic::error(source, format!("関連リンクを読み取れません: {}", e.message().trim()))
                .at(line, col)
                .hint("[[links]] ごとに title, url, category, description を書いてください。")
        })
    } else {
        serde_yaml_ng::from_str::<Vec<Link>>(text).map_err(|e| {
            let (line, col) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            Diagnostic::error(source, format!("関連リンクを読み取れません: {}", e.to_string().split(" at line ").next().unwrap_or("")))
                .at(line, col)
                .hint("`- title: 名前` `  url: https://…` の形のリストで書いてください。")
        })
    }
}

/// A file's modification time and size: what tells `serve` a file changed.
pub type FileStamp = (Option<std::time::SystemTime>, u64);

/// The stamp of the file at `path`, or `None` if it cannot be read.
pub fn file_stamp(path: &Path) -> Option<FileStamp> {
    std::fs::metadata(path).ok().map(|m| (m.modified().ok(), m.len()))
}

/// Editor backups, OS metadata and Office lock files are never content.
pub fn is_hidden_or_junk(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}
