//! `kyoso.toml`: the site's configuration.

use crate::diagnostics::{line_col, Diagnostic};
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
    /// The licence of the open data and the site's text, shown on the open-data page
    /// (`opendata/`): reusers need it before they may use the exports.
    #[serde(default = "default_license")]
    pub license: String,
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
fn default_license() -> String {
    "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）".into()
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
        let mut problems = check_strings(text);
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

/// Every string of the configuration, as (dotted key such as `menu.url`, value, byte
/// offset of the value in `text`), in the order they are written.
pub(crate) fn strings(text: &str) -> Vec<(String, String, usize)> {
    use toml::de::{DeTable, DeValue};
    use toml::Spanned;
    fn walk(key: &str, value: &Spanned<DeValue>, out: &mut Vec<(String, String, usize)>) {
        match value.get_ref() {
            DeValue::String(s) => out.push((key.to_string(), s.to_string(), value.span().start)),
            DeValue::Array(items) => items.iter().for_each(|item| walk(key, item, out)),
            DeValue::Table(table) => {
                for (k, v) in table.iter() {
                    let k = k.get_ref();
                    walk(&if key.is_empty() { k.to_string() } else { format!("{key}.{k}") }, v, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    // The text was read by `toml::from_str` already; this second reading keeps the places.
    if let Ok(table) = DeTable::parse(text) {
        for (k, v) in table.get_ref().iter() {
            walk(k.get_ref(), v, &mut out);
        }
    }
    out.sort_by_key(|s| s.2);
    out
}

/// Checks every string of `kyoso.toml` as content is checked: no control characters, and
/// the addresses that become links, map tiles or folders are what they should be, so
/// `javascript:`, `data:` or `vbscript:` from the configuration never reach a page.
fn check_strings(text: &str) -> Vec<Diagnostic> {
    use crate::urls::{is_http_url, is_site_path};
    let mut problems = Vec::new();
    for (key, value, offset) in strings(text) {
        let (line, col) = line_col(text, offset);
        let error = |message: String, hint: &str| Diagnostic::error(CONFIG_FILE, message).at(line, col).field(key.as_str()).hint(hint);
        if let Some((pos, c)) = crate::hygiene::control_char(&value) {
            problems.push(crate::hygiene::control_error(CONFIG_FILE, &format!("設定「{key}」"), &value[..pos], c).at(line, col).field(key.as_str()));
            continue;
        }
        let problem = match key.as_str() {
            "menu.url" if !is_http_url(&value) && !is_site_path(&value) => Some(error(
                format!("メニューのアドレス「{value}」は使えません"),
                "サイト内のパス（例: about/）か、https:// で始まるアドレスを書いてください。javascript: や data: などは使えません。",
            )),
            "map.tile_url" if !is_http_url(&value) => Some(error(
                format!("地図タイルのアドレス「{value}」は使えません"),
                "https:// で始まり {z}/{x}/{y} を含むタイルのアドレスを書いてください。",
            )),
            "map.attribution" => html_addresses(&value).into_iter().find(|u| !is_http_url(u)).map(|u| {
                error(
                    format!("地図の出典表示のリンク先「{u}」は使えません"),
                    "リンク先（href）や画像（src）は https:// で始まるアドレスにしてください。",
                )
            }),
            "sources.path" if has_scheme(&value) => Some(error(
                format!("集約元の path「{value}」はフォルダではありません"),
                "相手のサイトの data/ フォルダを取得して置いた場所を、kyoso.toml からの相対パスで書いてください（生成中にネットワークは使いません）。",
            )),
            _ => None,
        };
        problems.extend(problem);
    }
    problems
}

/// `https:`, `javascript:`, `file:`… at the start of a path (a drive letter `C:` is not one).
fn has_scheme(path: &str) -> bool {
    let first = path.split(['/', '\\']).next().unwrap_or("");
    first.find(':').is_some_and(|p| p != 1)
}

/// The values of the attributes that hold addresses (`href`, `src` …) in an HTML fragment,
/// split into attributes the way browsers do (`<a title='x'href=…>` has an `href`).
fn html_addresses(html: &str) -> Vec<&str> {
    const URL_ATTRIBUTES: &[&str] = &[
        "href", "xlink:href", "src", "srcset", "action", "formaction", "data", "poster", "ping", "background", "cite", "longdesc",
    ];
    let b = html.as_bytes();
    let skip = |i: &mut usize, f: &dyn Fn(u8) -> bool| {
        while *i < b.len() && f(b[*i]) {
            *i += 1;
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        i += p + 1;
        skip(&mut i, &|c| !c.is_ascii_whitespace() && c != b'/' && c != b'>');
        loop {
            skip(&mut i, &|c| c.is_ascii_whitespace() || c == b'/');
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let start = i;
            i += 1;
            skip(&mut i, &|c| !c.is_ascii_whitespace() && !matches!(c, b'/' | b'>' | b'='));
            let name = html[start..i].to_ascii_lowercase();
            skip(&mut i, &|c| c.is_ascii_whitespace());
            let mut value = "";
            if i < b.len() && b[i] == b'=' {
                i += 1;
                skip(&mut i, &|c| c.is_ascii_whitespace());
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let quote = b[i];
                    let from = i + 1;
                    i = from;
                    skip(&mut i, &|c| c != quote);
                    value = &html[from..i];
                    i = (i + 1).min(b.len());
                } else {
                    let from = i;
                    skip(&mut i, &|c| !c.is_ascii_whitespace() && c != b'>');
                    value = &html[from..i];
                }
            }
            if name == "srcset" {
                out.extend(value.split(',').filter_map(|candidate| candidate.split_whitespace().next()));
            } else if URL_ATTRIBUTES.contains(&name.as_str()) {
                out.push(value);
            }
        }
    }
    out
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
    fn addresses_in_html_are_found_as_browsers_split_attributes() {
        let html = "&copy; <a title='x'href=javascript:a()>地図</a><IMG\nSRC = \"data:x\"/><img/src='s.png' srcset=\"a.png 1x, b.png 2x\"> a < b";
        assert_eq!(html_addresses(html), ["javascript:a()", "data:x", "s.png", "a.png", "b.png"]);
    }

    #[test]
    fn schemes_in_source_paths() {
        assert!(has_scheme("https://example.org/data") && has_scheme("file:///tmp") && has_scheme("javascript:x"));
        assert!(!has_scheme("exports/kochi") && !has_scheme("../kochi/public/data") && !has_scheme("C:\\data\\kochi"));
    }

    #[test]
    fn unknown_key_has_a_line() {
        let e = Config::parse("title = \"t\"\ntitel = \"x\"").unwrap_err();
        assert_eq!(e[0].line, 2);
    }
}
