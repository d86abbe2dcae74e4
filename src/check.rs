//! `kyoso check`: everything `build` validates, without writing anything, plus the checks
//! an editor wants before a pull request: links and anchors inside the site, missing
//! images, actors no case mentions, guide chapters that share a weight.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::{load_site, BuildError, BuildOptions};
use crate::schema::Collection;
use crate::site::Site;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// All problems found, errors first per file. `Err` only for problems that stop loading.
pub fn check(opts: &BuildOptions) -> Diagnostics {
    let mut timings = Vec::new();
    let (site, mut diags) = match load_site(opts, &mut timings) {
        Ok(x) => x,
        Err(BuildError::Content(d)) => return d,
        Err(e) => {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error("kyoso.toml", e.to_string()));
            return d;
        }
    };
    let bodies = crate::bodies::render_bodies(&site, None);
    links(opts, &site, &bodies, &mut diags);
    unused_actors(&site, &mut diags);
    chapter_weights(&site, &mut diags);
    diags.sort();
    diags
}

fn links(opts: &BuildOptions, site: &Site, bodies: &[crate::bodies::Body], diags: &mut Diagnostics) {
    let pages: HashMap<&str, usize> = site.docs.iter().enumerate().map(|(i, d)| (d.url.as_str(), i)).collect();
    let fixed: HashSet<&str> = ["index.html", "404.html", "search/index.html", "cases/index.html", "actors/index.html", "guides/index.html",
        "events/index.html", "policies/index.html", "news/index.html", "domains/index.html", "regions/index.html", "links/index.html",
        "map/index.html", "partners/index.html", "apply/index.html"]
        .into_iter()
        .collect();
    let theme = crate::theme::Theme::load(&opts.root, &site.config.theme).ok();
    for (d, body) in site.docs.iter().zip(bodies) {
        for b in &body.broken {
            diags.push(broken_link(&d.source, b));
        }
        for (target, fragment, written) in &body.internal {
            if target.ends_with(".html") {
                let exists = pages.contains_key(target.as_str())
                    || fixed.contains(target.as_str())
                    || target.starts_with("domains/")
                    || target.starts_with("regions/")
                    || target.starts_with("kinds/")
                    || target.starts_with("relations/");
                if !exists {
                    diags.push(Diagnostic::error(&d.source, format!("リンク先のページ「{written}」がありません")).hint("アドレスを確認してください。"));
                    continue;
                }
                if let (Some(f), Some(&i)) = (fragment, pages.get(target.as_str())) {
                    if !bodies[i].ids.contains(f) {
                        let hint = match crate::diagnostics::did_you_mean(f, bodies[i].ids.iter().map(String::as_str)) {
                            Some(s) => format!("見出し「{s}」のことですか？"),
                            None => format!("{} の見出し: {}", site.docs[i].source.display(), bodies[i].ids.join("、")),
                        };
                        diags.push(Diagnostic::error(&d.source, format!("リンク「{written}」の見出し「#{f}」がリンク先にありません")).hint(hint));
                    }
                }
            } else {
                diags.extend(missing_file(&opts.root, theme.as_ref(), &d.source, target, written));
            }
        }
    }
}

/// A link to a page (`.md`) of the site that is not there or not published. Also the
/// editor's check on 保存 (`edit/whole.rs`).
pub fn broken_link(source: &Path, written: &str) -> Diagnostic {
    Diagnostic::error(source, format!("リンク先「{written}」が見つかりません"))
        .hint("リンク先のファイル名とフォルダを確認してください（このファイルからの相対パスで書きます）。")
}

/// An image or file a body names (`target` relative to `content/`) that is in none of
/// `content/`, `static/` and the theme.
pub fn missing_file(root: &Path, theme: Option<&crate::theme::Theme>, source: &Path, target: &str, written: &str) -> Option<Diagnostic> {
    let exists = root.join("content").join(target).is_file() || root.join("static").join(target).is_file() || theme.is_some_and(|t| t.statics.contains_key(target));
    (!exists).then(|| {
        Diagnostic::error(source, format!("画像・ファイル「{written}」がありません")).hint(format!("content/{target} にファイルを置くか、リンクを直してください。"))
    })
}

fn unused_actors(site: &Site, diags: &mut Diagnostics) {
    for (_, d) in site.of(Collection::Actor) {
        if site.cases_of_actor(&d.slug).is_empty() {
            diags.push(
                Diagnostic::info(&d.source, "この主体が関わる事例はまだありません")
                    .hint("事例の actors: にこの主体のファイル名を書くと、主体のページに事例が表示されます。"),
            );
        }
    }
}

fn chapter_weights(site: &Site, diags: &mut Diagnostics) {
    let mut seen: HashMap<(&str, i64), &crate::model::Doc> = HashMap::new();
    for (_, d) in site.of(Collection::Chapter) {
        if let (Some(g), Some(w)) = (d.guide.as_deref(), d.common.weight) {
            if let Some(other) = seen.insert((g, w), d) {
                let (line, col) = d.locator.locate("weight");
                diags.push(
                    Diagnostic::warning(&d.source, format!("並び順 weight: {w} が {} と同じです", other.source.display()))
                        .at(line, col)
                        .field("weight")
                        .hint("章の順番が決まるよう、別の数にしてください。"),
                );
            }
        }
    }
}
