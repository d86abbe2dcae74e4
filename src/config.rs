//! `kyoso.toml`: the site's configuration.

use crate::diagnostics::Diagnostic;
use crate::vocab;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const CONFIG_FILE: &str = "kyoso.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site name shown in the header and the `<title>` of every page.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Public address; used only for canonical URLs, the sitemap and feeds. Every link
    /// inside the site is relative, so the site works anywhere without it.
    #[serde(default)]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// The publishing prefecture, or 全国 for the national platform.
    #[serde(default = "default_prefecture")]
    pub prefecture: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Who publishes the site, shown in the footer.
    #[serde(default)]
    pub publisher: String,
    /// Items per list page.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    #[serde(default)]
    pub taxonomies: Taxonomies,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub menu: Vec<MenuEntry>,
    /// Where the get-listed form sends its pre-filled e-mail.
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub map: MapConfig,
    /// Other kyoso sites whose exported data this site lists (national aggregation).
    #[serde(default)]
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MapConfig {
    /// Tile URL template; the default is the GSI standard map (地理院タイル).
    #[serde(default = "default_tiles")]
    pub tile_url: String,
    /// Attribution shown on the map, as HTML from the site's own configuration.
    #[serde(default = "default_attribution")]
    pub attribution: String,
}

impl Default for MapConfig {
    fn default() -> Self {
        MapConfig { tile_url: default_tiles(), attribution: default_attribution() }
    }
}

fn default_tiles() -> String {
    "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png".into()
}

fn default_attribution() -> String {
    "<a href=\"https://maps.gsi.go.jp/development/ichiran.html\">地理院タイル</a>".into()
}

/// A kyoso site whose `data/actors.json` and `data/cases.json` are listed here.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Shown with every item from it (e.g. 高知県生活支援共創プラットフォーム).
    pub name: String,
    /// Folder holding the exported `actors.json` / `cases.json` (relative to kyoso.toml),
    /// fetched beforehand: the build never uses the network.
    pub path: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomies {
    /// Extra 分野 terms this site uses on top of the national vocabulary.
    #[serde(default)]
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Extra variant groups: each list is a set of spellings that should find each other;
    /// the first is the form the others are folded to.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuEntry {
    pub name: String,
    /// A path inside the site (`about/`) or an absolute `https://` URL.
    pub url: String,
}

fn default_language() -> String {
    "ja".into()
}
fn default_prefecture() -> String {
    vocab::NATIONWIDE.into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_paginate() -> usize {
    20
}

impl Config {
    /// Reads and checks `kyoso.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::error(CONFIG_FILE, format!("設定ファイルを読めません（{e}）"))
                .hint(format!("サイトのフォルダに {CONFIG_FILE} を置いてください。`kyoso init フォルダ名` で雛形を作れます。"))]
        })?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        crate::frontmatter::check_depth(CONFIG_FILE.as_ref(), text, crate::frontmatter::Format::Toml, 1).map_err(|d| vec![d])?;
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            vec![Diagnostic::error(CONFIG_FILE, format!("設定を読み取れません: {}", e.message()))
                .at(line, col)
                .hint("TOML の書き方（`項目 = \"値\"`）を確認してください。")]
        })?;
        let mut problems = Vec::new();
        if config.title.trim().is_empty() {
            problems.push(Diagnostic::error(CONFIG_FILE, "サイト名が空です").field("title"));
        }
        if config.prefecture != vocab::NATIONWIDE && !vocab::PREFECTURES.contains(&config.prefecture.as_str()) {
            let mut d = Diagnostic::error(CONFIG_FILE, format!("「{}」は都道府県名ではありません", config.prefecture))
                .field("prefecture");
            if let Some(p) = vocab::complete_prefecture(&config.prefecture) {
                d = d.hint(format!("「{p}」のことですか？"));
            }
            problems.push(d);
        }
        if !config.base_url.is_empty() {
            if !(config.base_url.starts_with("https://") || config.base_url.starts_with("http://")) {
                problems.push(
                    Diagnostic::error(CONFIG_FILE, "base_url は https:// で始まる公開アドレスにしてください")
                        .field("base_url"),
                );
            } else if !config.base_url.ends_with('/') {
                config.base_url.push('/');
            }
        }
        if config.paginate == 0 {
            problems.push(Diagnostic::error(CONFIG_FILE, "paginate は 1 以上にしてください").field("paginate"));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// The national vocabulary plus the site's own terms.
    pub fn domains(&self) -> Vec<String> {
        let mut all: Vec<String> = vocab::DOMAINS.iter().map(|s| s.to_string()).collect();
        for d in &self.taxonomies.domains {
            if !all.contains(d) {
                all.push(d.clone());
            }
        }
        all
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse("title = \"テスト\"\nbase_url = \"https://example.jp/kyoso\"").unwrap();
        assert_eq!(c.prefecture, "全国");
        assert_eq!(c.base_url, "https://example.jp/kyoso/");
        assert_eq!(c.paginate, 20);
    }

    #[test]
    fn bad_prefecture_is_explained() {
        let e = Config::parse("title = \"t\"\nprefecture = \"埼玉\"").unwrap_err();
        assert_eq!(e[0].field, "prefecture");
        assert!(e[0].hint.as_deref().unwrap().contains("埼玉県"));
    }

    #[test]
    fn unknown_key_has_a_line() {
        let e = Config::parse("title = \"t\"\ntitel = \"x\"").unwrap_err();
        assert_eq!(e[0].line, 2);
    }
}
