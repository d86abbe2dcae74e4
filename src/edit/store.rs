//! The editor's view of the site's files: which documents there are, one document's
//! fields and body, and writing one back.
//!
//! Every path the browser names is checked here before anything is read or written: it
//! must be a `.md` file inside `content/` (images: inside `content/` or `static/`), never a
//! link out of the site. A write goes to a temporary file beside the target and is moved
//! into place, and it refuses when the file changed on disk since the person opened it.

use crate::load::RawDoc;
use crate::schema::Collection;
use serde_json::{Map, Value};
use std::path::{Component, Path, PathBuf};

/// A document as the editor lists it.
pub struct Listed {
    pub rel: String,
    pub collection: Collection,
    pub title: String,
    pub status: Status,
    /// `YYYY-MM-DD` of the last commit, or of the file's modification without git.
    pub changed: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Published,
    Draft,
    Scheduled,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Published => "公開",
            Status::Draft => "下書き",
            Status::Scheduled => "予約",
        }
    }

    pub fn of(fields: &Map<String, Value>) -> Status {
        if fields.get("draft").and_then(Value::as_bool).unwrap_or(false) {
            return Status::Draft;
        }
        let later = fields
            .get("publish_date")
            .and_then(Value::as_str)
            .and_then(crate::dates::parse_datetime)
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(&d).ok())
            .is_some_and(|d| d > chrono::Utc::now());
        if later {
            Status::Scheduled
        } else {
            Status::Published
        }
    }
}

/// Every document under `content/`, in collection order, newest change first.
pub fn list(root: &Path) -> Vec<Listed> {
    let loaded = crate::load::load(root, &|_| false);
    let dates = crate::gitdates::last_commit_dates(root);
    let mut out: Vec<Listed> = loaded
        .docs
        .iter()
        .map(|d| Listed {
            rel: d.source.to_string_lossy().replace('\\', "/"),
            collection: d.collection,
            title: d.parsed.fields.get("title").and_then(Value::as_str).unwrap_or(&d.stem).to_string(),
            status: Status::of(&d.parsed.fields),
            changed: dates.get(&d.source).cloned().unwrap_or_else(|| modified(&root.join(&d.source))),
        })
        .collect();
    out.sort_by(|a, b| (a.collection, &b.changed, &a.rel).cmp(&(b.collection, &a.changed, &b.rel)));
    out
}

fn modified(path: &Path) -> String {
    let Ok(t) = std::fs::metadata(path).and_then(|m| m.modified()) else { return String::new() };
    chrono::DateTime::<chrono::Utc>::from(t).with_timezone(&crate::dates::jst()).format("%Y-%m-%d").to_string()
}

/// One document read for editing.
pub struct Opened {
    pub rel: String,
    pub collection: Collection,
    pub guide: Option<String>,
    /// The front matter as written (without its `---` lines).
    pub front: String,
    pub fields: Map<String, Value>,
    pub body: String,
    /// A fingerprint of the file's bytes, to notice a change on disk before writing.
    pub version: String,
}

/// `rel` (as the browser sent it) if it names a Markdown file inside `content/`.
pub fn content_path(rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let mut parts = p.components();
    if parts.next() != Some(Component::Normal("content".as_ref())) {
        return None;
    }
    let clean = parts.all(|c| matches!(c, Component::Normal(s) if !s.to_string_lossy().starts_with('.')));
    (clean && p.extension().is_some_and(|e| e == "md") && !rel.contains('\\')).then(|| p.to_path_buf())
}

/// The collection and guide a path under `content/` belongs to.
pub fn classify(rel: &Path) -> Option<(Collection, Option<String>)> {
    let parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    match parts.as_slice() {
        [_, folder, _] => Collection::from_folder(folder).filter(|c| *c != Collection::Guide).map(|c| (c, None)),
        [_, g, guide, file] if g == "guides" => Some(if file == "_index.md" { (Collection::Guide, None) } else { (Collection::Chapter, Some(guide.clone())) }),
        _ => None,
    }
}

/// Refuses a path that leaves the site through a symbolic link: the nearest existing
/// folder of `rel` must resolve to inside `root/content` (or `root/static`).
pub(super) fn stays_inside(root: &Path, rel: &Path) -> bool {
    let Ok(root) = root.canonicalize() else { return false };
    let mut dir = root.join(rel);
    dir.pop();
    while !dir.exists() {
        if !dir.pop() {
            return false;
        }
    }
    let Ok(real) = dir.canonicalize() else { return false };
    (real.starts_with(root.join("content")) || real.starts_with(root.join("static"))) && !root.join(rel).is_symlink()
}

pub fn fingerprint(bytes: &[u8]) -> String {
    format!("{:016x}", crate::model::fingerprint(bytes))
}

pub fn open(root: &Path, rel: &str) -> Result<Opened, String> {
    let path = content_path(rel).ok_or_else(|| format!("「{rel}」は content/ の中の .md ファイルではありません"))?;
    let (collection, guide) = classify(&path).ok_or_else(|| format!("「{rel}」はどのコレクションにも属しません"))?;
    if !stays_inside(root, &path) {
        return Err(format!("「{rel}」はサイトのフォルダの外を指しています"));
    }
    let bytes = std::fs::read(root.join(&path)).map_err(|e| format!("{rel} を読めません（{e}）"))?;
    let version = fingerprint(&bytes);
    let text = crate::frontmatter::decode(&path, bytes).map_err(|d| d.to_string())?;
    if text.starts_with("+++") {
        return Err(format!("{rel} の項目欄は TOML（+++）で書かれています。この画面では YAML（---）の項目欄だけを編集できます"));
    }
    let parsed = crate::frontmatter::parse(&path, text).map_err(|d| d.to_string())?;
    Ok(Opened {
        rel: rel.to_string(),
        collection,
        guide,
        front: parsed.locator.text().to_string(),
        fields: parsed.fields,
        body: parsed.body,
        version,
    })
}

/// The whole file for a front matter and a body.
pub fn file_text(front: &str, body: &str) -> String {
    let front = if front.is_empty() || front.ends_with('\n') { front.to_string() } else { format!("{front}\n") };
    format!("---\n{front}---\n{body}")
}

/// Checks `text` as the build and `kyoso check` would if it were published (draft or
/// not), the other documents included, and returns its problems.
pub fn check(root: &Path, rel: &Path, collection: Collection, guide: Option<String>, text: &str) -> Vec<crate::diagnostics::Diagnostic> {
    let parsed = match crate::frontmatter::parse(rel, text.to_string()) {
        Ok(p) => p,
        Err(d) => return vec![d],
    };
    let stem = rel.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    let mut parsed = parsed;
    parsed.fields.remove("draft");
    let config = crate::config::Config::load(root).ok();
    let domains = config.as_ref().map(|c| c.domains()).unwrap_or_else(|| crate::vocab::DOMAINS.iter().map(|s| s.to_string()).collect());
    let (doc, mut diags) = crate::validate::check_doc(RawDoc { collection, source: rel.to_path_buf(), stem, guide, parsed }, &domains);
    if let Some(doc) = doc {
        diags.extend(super::whole::check(root, &doc, &domains, config.as_ref().map_or("default", |c| c.theme.as_str())));
    }
    diags
}

/// Why a write did not happen.
pub enum WriteError {
    /// The file changed on disk since it was opened (or, for a new file, exists).
    Conflict(String),
    Refused(String),
}

/// Writes `text` to `rel` if the file is still at `version` (`None`: it must not exist).
pub fn write(root: &Path, rel: &Path, version: Option<&str>, text: &str) -> Result<(), WriteError> {
    let shown = rel.display();
    if content_path(&rel.to_string_lossy()).is_none() || !stays_inside(root, rel) {
        return Err(WriteError::Refused(format!("「{shown}」には書けません（content/ の中の .md ファイルだけを書きます）")));
    }
    let path = root.join(rel);
    match (std::fs::read(&path), version) {
        (Ok(_), None) => return Err(WriteError::Conflict(format!("{shown} はすでにあります。別のファイル名にしてください"))),
        (Ok(now), Some(v)) if fingerprint(&now) != v => {
            return Err(WriteError::Conflict(format!(
                "{shown} は、この画面で開いた後にほかの場所で変更されました。上書きしないように保存を止めました"
            )))
        }
        (Err(_), Some(_)) => return Err(WriteError::Conflict(format!("{shown} は、この画面で開いた後に削除または移動されました"))),
        _ => {}
    }
    let dir = path.parent().expect("a file in content/");
    std::fs::create_dir_all(dir).map_err(|e| WriteError::Refused(format!("{} を作れません（{e}）", dir.display())))?;
    let tmp = dir.join(format!(".{}.kyoso-edit", rel.file_name().unwrap_or_default().to_string_lossy()));
    std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, &path)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        WriteError::Refused(format!("{shown} に書けません（{e}）"))
    })
}

/// Collections a person can start a new document of from the list (a chapter is started
/// in its guide: see [`new_kind`]).
pub const CREATABLE: [Collection; 7] =
    [Collection::Case, Collection::Actor, Collection::Event, Collection::Policy, Collection::News, Collection::Page, Collection::Guide];

/// The kind of new document the browser asks for (`collection` as in `/_edit/new/case`),
/// if it can be started here: a chapter only in a guide the site has (chapters live in
/// their guide's folder, which a guide's `_index.md` makes).
pub fn new_kind(root: &Path, collection: &str, guide: &str) -> Option<(Collection, Option<String>)> {
    match Collection::from_name(collection)? {
        Collection::Chapter => {
            let exists = crate::validate::is_valid_slug(guide) && root.join("content/guides").join(guide).join("_index.md").is_file();
            exists.then(|| (Collection::Chapter, Some(guide.to_string())))
        }
        c => CREATABLE.contains(&c).then_some((c, None)),
    }
}

/// The folder (relative to the site) new documents of a kind are written to.
pub fn new_folder(collection: Collection, guide: Option<&str>) -> String {
    match (collection, guide) {
        (Collection::Chapter, Some(g)) => format!("content/guides/{g}"),
        (c, _) => format!("content/{}", c.folder()),
    }
}

/// The file (relative to the site) of a new document named `name`.
pub fn new_path(collection: Collection, guide: Option<&str>, name: &str) -> String {
    match collection {
        Collection::Guide => format!("content/guides/{name}/_index.md"),
        c => format!("{}/{name}.md", new_folder(c, guide)),
    }
}

/// A free file name (without `.md`) for a new document titled `title`: the name
/// `kyoso new` would give, with `-2`, `-3` … when it is taken.
pub fn propose_name(root: &Path, collection: Collection, guide: Option<&str>, title: &str) -> String {
    let today = chrono::Utc::now().with_timezone(&crate::dates::jst()).date_naive();
    let base = crate::scaffold::proposed_slug(collection, title, today);
    let taken = |n: &str| {
        let file = root.join(new_path(collection, guide, n));
        file.exists() || collection == Collection::Guide && file.parent().is_some_and(Path::exists)
    };
    (1..).map(|i| if i == 1 { base.clone() } else { format!("{base}-{i}") }).find(|n| !taken(n)).expect("a free name")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_markdown_inside_content_is_accepted() {
        assert!(content_path("content/cases/a.md").is_some());
        for bad in ["public/cases/a.md", "content/../kyoso.toml", "content/cases/../../x.md", "/etc/passwd", "content/cases/a.html", "content/.git/x.md", "static/a.md", "content\\cases\\a.md"] {
            assert!(content_path(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_file_changed_since_it_was_opened_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let rel = Path::new("content/cases/a.md");
        std::fs::create_dir_all(dir.path().join("content/cases")).unwrap();
        std::fs::write(dir.path().join(rel), "---\ntitle: A\n---\n").unwrap();
        let opened = fingerprint(b"---\ntitle: A\n---\n");
        std::fs::write(dir.path().join(rel), "---\ntitle: changed elsewhere\n---\n").unwrap();
        assert!(matches!(write(dir.path(), rel, Some(&opened), "---\ntitle: B\n---\n"), Err(WriteError::Conflict(_))));
        assert!(matches!(write(dir.path(), rel, None, "---\ntitle: B\n---\n"), Err(WriteError::Conflict(_))));
        assert_eq!(std::fs::read_to_string(dir.path().join(rel)).unwrap(), "---\ntitle: changed elsewhere\n---\n");
        let now = fingerprint(&std::fs::read(dir.path().join(rel)).unwrap());
        assert!(write(dir.path(), rel, Some(&now), "---\ntitle: B\n---\n").is_ok());
        assert_eq!(std::fs::read_to_string(dir.path().join(rel)).unwrap(), "---\ntitle: B\n---\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_site_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("content/cases")).unwrap();
        let r = write(dir.path(), Path::new("content/cases/a.md"), None, "---\ntitle: A\n---\n");
        assert!(matches!(r, Err(WriteError::Refused(_))));
        assert!(!outside.path().join("a.md").exists());
    }
}
