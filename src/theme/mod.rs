//! The theme: tera templates and static files, from `themes/<name>/` (the default theme is
//! also compiled into the binary, so any site builds without copying it). A site overrides
//! any file by putting one at the same relative path in its own `templates/` or `static/`,
//! the way mdBook themes work.

pub mod labels;
pub mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    File(PathBuf),
}

pub struct Theme {
    pub tera: tera::Tera,
    /// Output path (relative to the site root) → source.
    pub statics: BTreeMap<String, StaticSource>,
    /// The words kyoso puts into pages itself; see [`labels`].
    pub labels: labels::Labels,
    /// Fingerprint of every template and static file, so `serve` knows when pages must be
    /// rendered again.
    pub stamp: u64,
}

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme, as shipped. `tests/theme.rs` checks this list against the folder.
pub const EMBEDDED: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/components.html",
    "templates/card.html",
    "templates/nav.html",
    "templates/footer.html",
    "templates/index.html",
    "templates/list.html",
    "templates/case.html",
    "templates/actor.html",
    "templates/guide.html",
    "templates/guides.html",
    "templates/chapter.html",
    "templates/guide_print.html",
    "templates/event.html",
    "templates/events.html",
    "templates/policy.html",
    "templates/policies.html",
    "templates/page.html",
    "templates/term.html",
    "templates/terms.html",
    "templates/region.html",
    "templates/regions.html",
    "templates/links.html",
    "templates/404.html",
    "templates/alias.html",
    "static/css/kyoso.css",
    "templates/search.html",
    "templates/map.html",
    "templates/partners.html",
    "templates/apply.html",
    "templates/opendata.html",
    "templates/checklist.html",
    "templates/checklist_parts.html",
    "templates/booklet.html",
    "static/css/print.css",
    "static/css/apply.css",
    "static/favicon.svg",
    "static/favicon.png",
    "static/js/search.js",
    "static/js/search-filters.js",
    "static/js/map.js",
    "static/js/partners.js",
    "static/js/apply.js",
    "static/js/chapter.js",
    "static/js/checklist.js",
    "static/vendor/leaflet/leaflet.js",
    "static/vendor/leaflet/leaflet.css",
    "static/vendor/leaflet/LICENSE",
    "labels.toml",
    "static/vendor/japan/prefectures.js",
    "static/vendor/japan/SOURCE.md",
];

#[derive(Debug)]
pub struct ThemeError(pub String);

impl std::fmt::Display for ThemeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, ThemeError> {
        let mut templates: BTreeMap<String, String> = BTreeMap::new();
        let mut statics: BTreeMap<String, StaticSource> = BTreeMap::new();
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            collect(&dir, &mut templates, &mut statics)?;
        } else if name == "default" {
            for (path, bytes) in EMBEDDED {
                if let Some(t) = path.strip_prefix("templates/") {
                    templates.insert(t.to_string(), String::from_utf8_lossy(bytes).into_owned());
                } else if let Some(s) = path.strip_prefix("static/") {
                    statics.insert(s.to_string(), StaticSource::Embedded(bytes));
                }
            }
        } else {
            return Err(ThemeError(format!(
                "テーマ「{name}」が見つかりません（themes/{name}/ がありません）。kyoso.toml の theme を確認してください。"
            )));
        }
        // The site's own files win over the theme's.
        collect(root, &mut templates, &mut statics)?;
        let labels = load_labels(&[dir.join(labels::FILE), root.join(labels::FILE)])?;
        let files: Vec<(&String, Option<crate::load::FileStamp>)> = statics
            .iter()
            .map(|(k, v)| match v {
                StaticSource::Embedded(b) => (k, Some((None, b.len() as u64))),
                StaticSource::File(p) => (k, crate::load::file_stamp(p)),
            })
            .collect();
        let stamp = crate::model::fingerprint(&(&templates, files, format!("{labels:?}")));
        let mut tera = tera::Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(write_escaped);
        tera.register_filter("safe", safe);
        tera.add_raw_templates(templates.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|e| {
            let mut message = format!("テンプレートを読み込めません:\n{e}");
            // Themes written for tera 1 (before kyoso moved to tera 2) fail on their macros.
            if let Some((name, _)) = templates.iter().find(|(_, t)| t.contains("{% macro ") || t.contains("{% import ")) {
                message.push_str(&format!(
                    "\n{name} は古い書き方（macro / import）です。macro は component に、呼び出し {{{{ m::cards(items=x) }}}} は {{{{<cards items={{x}} />}}}} に書き換えてください（既定テーマの components.html が見本です）。"
                ));
            }
            ThemeError(message)
        })?;
        Ok(Theme { tera, statics, labels, stamp })
    }
}

/// The built-in labels with each of `files` that exists laid over them, in order.
fn load_labels(files: &[PathBuf]) -> Result<labels::Labels, ThemeError> {
    let mut layers = Vec::new();
    for path in files.iter().filter(|p| p.is_file()) {
        let text = std::fs::read_to_string(path).map_err(|e| ThemeError(format!("{} を読めません: {e}", path.display())))?;
        layers.push((path.as_path(), text));
    }
    let layers: Vec<(&Path, &str)> = layers.iter().map(|(p, t)| (*p, t.trim_start_matches('\u{feff}'))).collect();
    labels::Labels::load(&layers).map_err(ThemeError)
}

/// Adds `dir/templates/**` and `dir/static/**`, replacing entries with the same path.
fn collect(dir: &Path, templates: &mut BTreeMap<String, String>, statics: &mut BTreeMap<String, StaticSource>) -> Result<(), ThemeError> {
    for (sub, is_template) in [("templates", true), ("static", false)] {
        let base = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&base).sort_by_file_name() {
            let entry = entry.map_err(|e| ThemeError(format!("{} を読めません: {e}", base.display())))?;
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let rel = entry.path().strip_prefix(&base).expect("under base").to_string_lossy().replace('\\', "/");
            if is_template {
                let text = std::fs::read_to_string(entry.path())
                    .map_err(|e| ThemeError(format!("{} を読めません: {e}", entry.path().display())))?;
                // Notepad's "UTF-8 (BOM 付き)": the mark would come before `{% extends %}`,
                // which tera requires to be the first thing in a template.
                let text = match text.strip_prefix('\u{feff}') {
                    Some(rest) => rest.to_string(),
                    None => text,
                };
                templates.insert(rel, text);
            } else {
                statics.insert(rel, StaticSource::File(entry.path().to_path_buf()));
            }
        }
    }
    Ok(())
}

/// Escapes what can break out of text or a quoted attribute. Unlike tera's default it
/// leaves `/` alone, so URLs stay readable in the output and in link checkers.
pub fn escape_html(input: &str) -> String {
    let mut out = Vec::with_capacity(input.len() + 8);
    write_escaped(input, &mut out).expect("writing to a Vec");
    String::from_utf8(out).expect("runs of a str and ASCII entities")
}

/// tera's `safe` filter, without the copy: tera's makes a new string of the text it is
/// given, and pages pass their whole body, menus, footer and every card through it
/// (about 20 KB copied per page). A string is marked safe as it is (its text is shared);
/// anything else is written out and marked, as tera's does.
fn safe(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.as_str().is_some() {
        value.mark_safe()
    } else {
        tera::Value::safe_string(&value.to_string())
    }
}

/// [`escape_html`] straight into the template's output (tera's escape hook).
fn write_escaped(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // The five characters are ASCII, and ASCII bytes never occur inside a multi-byte
    // UTF-8 character, so scanning bytes and copying the runs between them is safe (and
    // several times faster on Japanese text than decoding and re-encoding every char).
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}


#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_characters_and_keeps_everything_else() {
        assert_eq!(super::escape_html(""), "");
        assert_eq!(super::escape_html("見守り"), "見守り");
        assert_eq!(
            super::escape_html("<a href=\"x?a=1&b='2'\">買い物／移動</a>"),
            "&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;買い物／移動&lt;/a&gt;"
        );
        assert_eq!(super::escape_html("末尾&"), "末尾&amp;");
    }
}
