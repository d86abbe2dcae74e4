//! Words readers see that kyoso puts into pages itself: collection names, page titles,
//! the menu and a few phrases (`{title}（{page}ページ目）`). They come from the theme's
//! `labels.toml`, like every other word of a page, so a site that calls its actors
//! 協力団体 changes one line in its own `labels.toml` instead of Rust.
//!
//! Layers, each changing only the keys it names: the default theme's file (built in),
//! a site theme's `labels.toml`, the site's `labels.toml`. Every layer is checked against
//! the built-in file: a key it does not have is a typo (with a suggestion), and a phrase
//! must keep its `{placeholders}`.

use crate::diagnostics::{did_you_mean, line_col};
use crate::schema::Collection;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The built-in labels: every key a layer may set.
pub const DEFAULT: &str = include_str!("../../themes/default/labels.toml");

/// The file a theme or a site puts its labels in.
pub const FILE: &str = "labels.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub collections: CollectionLabels,
    pub pages: PageLabels,
    pub menu: MenuLabels,
    pub phrases: Phrases,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionLabels {
    pub case: String,
    pub actor: String,
    pub guide: String,
    pub chapter: String,
    pub event: String,
    pub policy: String,
    pub news: String,
    pub page: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageLabels {
    pub domains: String,
    pub regions: String,
    pub map: String,
    pub partners: String,
    pub search: String,
    pub apply: String,
    pub opendata: String,
    pub links: String,
    pub not_found: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuLabels {
    pub map: String,
    pub partners: String,
}

/// Phrases with `{name}` placeholders, filled in by [`fill`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrases {
    pub page_n: String,
    pub print_all: String,
    pub domain: String,
    pub region: String,
    pub kind: String,
    pub relation: String,
    pub sub_list: String,
    pub partners_for_domain: String,
    pub partners_in_place: String,
    pub other_links: String,
    pub no_fiscal_year: String,
    pub booklet: String,
    pub booklet_of: String,
    pub booklet_volume: String,
}

impl Labels {
    /// The built-in labels with `layers` (file path, text) applied in order.
    pub fn load(layers: &[(&Path, &str)]) -> Result<Labels, String> {
        let mut table: toml::Table = DEFAULT.parse().expect("the built-in labels.toml is valid");
        let defaults = table.clone();
        for (path, text) in layers {
            let layer: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
                format!("{}:{line}:{col}: {} の書き方に誤りがあります: {}\n→ 「キー = \"言葉\"」の形で、言葉は \" \" で囲んでください。", path.display(), FILE, e.message())
            })?;
            let places = crate::config::strings(text);
            overlay(&mut table, &defaults, layer, &Layer { path, text, places: &places }, "")?;
        }
        toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| format!("{FILE} を読めません: {e}"))
    }

    /// A collection's name as readers see it.
    pub fn collection(&self, c: Collection) -> &str {
        let l = &self.collections;
        match c {
            Collection::Case => &l.case,
            Collection::Actor => &l.actor,
            Collection::Guide => &l.guide,
            Collection::Chapter => &l.chapter,
            Collection::Event => &l.event,
            Collection::Policy => &l.policy,
            Collection::News => &l.news,
            Collection::Page => &l.page,
        }
    }
}

/// `phrase` with each `{name}` replaced by its value.
pub fn fill(phrase: &str, values: &[(&str, &str)]) -> String {
    let mut out = phrase.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The `{name}`s a phrase uses, sorted.
fn placeholders(phrase: &str) -> Vec<&str> {
    let mut names: Vec<&str> = phrase.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A labels file being laid over the built-in labels: where it is, its text, and where
/// each of its strings is in the text (dotted key, value, byte offset).
struct Layer<'l> {
    path: &'l Path,
    text: &'l str,
    places: &'l [(String, String, usize)],
}

impl Layer<'_> {
    /// The line of key `name` (dotted): of its value, or of the first value under it.
    fn line_of(&self, name: &str) -> usize {
        let under = format!("{name}.");
        match self.places.iter().find(|(k, _, _)| k == name || k.starts_with(&under)) {
            Some((_, _, offset)) => line_col(self.text, *offset).0,
            // A value that is not a string (`search = 3`) has no recorded place: the first
            // line naming the key's last part stands in.
            None => self.text.find(name.rsplit('.').next().unwrap_or(name)).map_or(0, |p| line_col(self.text, p).0),
        }
    }
}

/// Sets `layer`'s keys in `table`, each checked against the built-in `defaults`.
fn overlay(table: &mut toml::Table, defaults: &toml::Table, values: toml::Table, layer: &Layer, prefix: &str) -> Result<(), String> {
    for (key, value) in values {
        let name = format!("{prefix}{key}");
        let at = |what: String| format!("{}:{}: {FILE} の「{name}」: {what}", layer.path.display(), layer.line_of(&name));
        let Some(default) = defaults.get(&key) else {
            let hint = did_you_mean(&key, defaults.keys().map(String::as_str)).map(|k| format!("「{prefix}{k}」のことですか？ ")).unwrap_or_default();
            return Err(at(format!("この名前の言葉はありません。{hint}使える名前はテーマの {FILE}（既定テーマは themes/default/{FILE}）にあります。")));
        };
        match (value, default) {
            (toml::Value::Table(inner), toml::Value::Table(default_inner)) => {
                let toml::Value::Table(target) = table.get_mut(&key).expect("same keys as the defaults") else { unreachable!("a table in the defaults") };
                overlay(target, default_inner, inner, layer, &format!("{name}."))?;
            }
            (toml::Value::String(s), toml::Value::String(d)) => {
                if s.trim().is_empty() {
                    return Err(at("空にはできません。言葉を書いてください。".into()));
                }
                if let Some(c) = s.chars().find(|c| c.is_control()) {
                    return Err(at(format!("制御文字（U+{:04X}）が入っています。消してください。", c as u32)));
                }
                if placeholders(&s) != placeholders(d) {
                    let wanted: Vec<String> = placeholders(d).iter().map(|p| format!("{{{p}}}")).collect();
                    return Err(at(format!("{} を1回ずつ残してください（そこに値が入ります）。既定は「{d}」です。", wanted.join(" と "))));
                }
                table.insert(key, toml::Value::String(s));
            }
            (_, toml::Value::Table(_)) => return Err(at("[見出し] の下に「名前 = \"言葉\"」の形で書いてください。".into())),
            _ => return Err(at("言葉は \" \" で囲んで書いてください。".into())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_labels_load_and_name_every_collection() {
        let labels = Labels::load(&[]).unwrap();
        assert_eq!(labels.collection(Collection::Actor), "多様な主体");
        for c in Collection::ALL {
            assert!(!labels.collection(c).is_empty());
        }
    }

    #[test]
    fn a_layer_changes_only_its_keys() {
        let text = "[collections]\nactor = \"協力団体\"\n";
        let labels = Labels::load(&[(Path::new("labels.toml"), text)]).unwrap();
        assert_eq!(labels.collections.actor, "協力団体");
        assert_eq!(labels.collections.case, "取り組み事例");
    }

    #[test]
    fn a_typo_or_a_lost_placeholder_names_the_file_line_and_key() {
        let err = Labels::load(&[(Path::new("labels.toml"), "[collections]\n\nactr = \"協力団体\"\n")]).unwrap_err();
        assert!(err.starts_with("labels.toml:3: ") && err.contains("collections.actr") && err.contains("collections.actor"), "{err}");
        let err = Labels::load(&[(Path::new("labels.toml"), "[phrases]\npage_n = \"{title}の続き\"\n")]).unwrap_err();
        assert!(err.contains("phrases.page_n") && err.contains("{page}"), "{err}");
        let err = Labels::load(&[(Path::new("labels.toml"), "[pages]\nsearch = 3\n")]).unwrap_err();
        assert!(err.contains("pages.search"), "{err}");
    }

    #[test]
    fn an_error_names_the_line_of_its_own_key_not_of_a_longer_one() {
        let text = "[phrases]\npage_n = \"{title}（{page}ページ目）\"\n\n[collections]\npage = \"\"\n";
        let err = Labels::load(&[(Path::new("labels.toml"), text)]).unwrap_err();
        assert!(err.starts_with("labels.toml:5: ") && err.contains("collections.page"), "{err}");
    }

    #[test]
    fn phrases_are_filled_in() {
        assert_eq!(fill("{title}（{page}ページ目）", &[("title", "事例"), ("page", "2")]), "事例（2ページ目）");
        assert_eq!(placeholders("{place}で{domain}に{place}"), ["domain", "place"]);
    }
}
