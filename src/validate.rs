//! Stage 2: check every document against the schema and the site as a whole.
//!
//! All problems of a run are collected, each with file, line, field and a hint, so editors
//! fix everything in one round. Values editors commonly write in another form (known 分野
//! variants, `2024/5/1` dates, a single value where a list is expected) are accepted and
//! normalised; only schema fields are kept, so nothing unexpected reaches the output.

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::frontmatter::Parsed;
use crate::load::RawDoc;
use crate::model::{Common, Doc, Meta};
use crate::schema::{self, Collection, FieldSpec, Ty, Vocab};
use crate::urls::is_http_url;
use crate::vocab;
use crate::dates::{parse_date, parse_datetime, parse_year_month};
use serde_json::{Map, Value};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashSet;
use std::path::Path;

/// Checks one document's fields. Returns the typed document (when its fields are usable)
/// and the problems found.
pub fn check_doc(raw: RawDoc, domains: &[String]) -> (Option<Doc>, Vec<Diagnostic>) {
    let mut cx = FieldCx { parsed: &raw.parsed, path: &raw.source, domains, out: Vec::new() };
    let mut normalized = Map::new();
    let specs: Vec<&FieldSpec> = schema::accepted_fields(raw.collection).collect();

    for (key, value) in &raw.parsed.fields {
        match specs.iter().find(|s| s.name == key) {
            Some(spec) => {
                if let Some(v) = cx.normalize(spec, value) {
                    normalized.insert(key.clone(), v);
                }
            }
            None => {
                let (line, col) = raw.parsed.locate(key);
                let mut d = Diagnostic::warning(&raw.source, format!("「{key}」は{}の項目にないため無視します", raw.collection.label()))
                    .at(line, col)
                    .field(key.as_str());
                d = match did_you_mean(key, specs.iter().map(|s| s.name)) {
                    Some(s) => d.hint(format!("「{s}」のつづり違いではありませんか？")),
                    None => d.hint(format!(
                        "使える項目: {}",
                        specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                    )),
                };
                cx.out.push(d);
            }
        }
    }
    for spec in &specs {
        let already_reported = cx.out.iter().any(|d| d.field == spec.name && d.is_error());
        if spec.required && !normalized.contains_key(spec.name) && !already_reported {
            let (what, (line, col)) = if raw.parsed.fields.contains_key(spec.name) {
                ("が空です", raw.parsed.locate(spec.name))
            } else {
                ("がありません", (2, 1))
            };
            cx.out.push(
                Diagnostic::error(&raw.source, format!("必須の項目「{}」（{}）{what}", spec.name, spec.label))
                    .at(line, col)
                    .field(spec.name)
                    .hint(format!("front matter に `{}: …` を書いてください（{}）。", spec.name, spec.help)),
            );
        }
    }

    cx.out.extend(crate::hygiene::body_error(&raw.source, &raw.parsed.body, raw.parsed.body_first_line));
    let slug = check_slug(&raw, &normalized, &mut cx.out);
    let mut diags = cx.out;
    let common: Common = match serde_json::from_value(Value::Object(normalized.clone())) {
        Ok(c) => c,
        Err(e) => {
            diags.push(Diagnostic::error(&raw.source, format!("項目を読み取れません: {e}")));
            return (None, diags);
        }
    };
    let meta = match typed_meta(raw.collection, normalized) {
        Ok(m) => m,
        Err(e) => {
            diags.push(Diagnostic::error(&raw.source, format!("項目を読み取れません: {e}")));
            return (None, diags);
        }
    };
    // A draft that is not being published must not block the others: its problems are
    // reported as warnings.
    if common.draft {
        for d in &mut diags {
            if d.is_error() {
                d.severity = crate::diagnostics::Severity::Warning;
                d.message.push_str("（下書きのため公開しません）");
            }
        }
    }
    let Some(slug) = slug else { return (None, diags) };
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let stamp = crate::model::Stamp {
        // The front matter as written: the same text gives the same fields.
        front: crate::model::fingerprint(raw.parsed.locator.text()),
        body: crate::model::fingerprint(&raw.parsed.body),
    };
    let doc = Doc {
        stamp,
        collection: raw.collection,
        url: url_for(raw.collection, &slug, raw.guide.as_deref()),
        slug,
        guide: raw.guide,
        source: raw.source,
        common,
        meta,
        body: std::sync::Arc::new(raw.parsed.body),
        body_first_line: raw.parsed.body_first_line,
        locator: raw.parsed.locator,
        external: None,
    };
    (Some(doc), diags)
}

/// Output path of an item page, relative to the site root.
pub fn url_for(collection: Collection, slug: &str, guide: Option<&str>) -> String {
    match (collection, guide) {
        (Collection::Page, _) => format!("{slug}/index.html"),
        (Collection::Guide, _) => format!("guides/{slug}/index.html"),
        (Collection::Chapter, Some(g)) => format!("guides/{g}/{slug}/index.html"),
        (c, _) => format!("{}/{slug}/index.html", c.folder()),
    }
}

fn typed_meta(collection: Collection, map: Map<String, Value>) -> serde_json::Result<Meta> {
    let v = Value::Object(map);
    Ok(match collection {
        Collection::Case => Meta::Case(serde_json::from_value(v)?),
        Collection::Actor => Meta::Actor(serde_json::from_value(v)?),
        Collection::Guide => Meta::Guide(serde_json::from_value(v)?),
        Collection::Event => Meta::Event(serde_json::from_value(v)?),
        Collection::Policy => Meta::Policy(serde_json::from_value(v)?),
        Collection::Chapter | Collection::News | Collection::Page => Meta::Plain {},
    })
}

pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// `s` with ASCII letters (lowercased) and digits kept and every run of anything else as
/// one hyphen, none at either end (`IMG_0012` → `img-0012`): file names kyoso makes from
/// names people gave (an imported list's file, an image dropped in the editor).
pub fn hyphenate_ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn check_slug(raw: &RawDoc, fields: &Map<String, Value>, out: &mut Vec<Diagnostic>) -> Option<String> {
    if let Some(guide) = &raw.guide {
        if !is_valid_slug(guide) {
            out.push(
                Diagnostic::error(&raw.source, format!("ガイドブックのフォルダ名「{guide}」はアドレスに使えません"))
                    .hint(format!("フォルダ名を半角英小文字・数字・ハイフンにしてください（例: {}）。", suggest_slug(guide, "guide"))),
            );
            return None;
        }
        if raw.collection == Collection::Guide {
            return Some(guide.clone());
        }
    }
    if let Some(Value::String(slug)) = fields.get("slug") {
        if is_valid_slug(slug) {
            return Some(slug.clone());
        }
        let (line, col) = raw.parsed.locate("slug");
        out.push(
            Diagnostic::error(&raw.source, format!("slug「{slug}」はアドレスに使えません"))
                .at(line, col)
                .field("slug")
                .hint(format!("半角英小文字・数字・ハイフンだけにしてください（例: {}）。", suggest_slug(slug, raw.collection.name()))),
        );
        return None;
    }
    if is_valid_slug(&raw.stem) {
        return Some(raw.stem.clone());
    }
    let suggestion = suggest_slug(&raw.stem, raw.collection.name());
    let what = if raw.stem.is_ascii() { "大文字や記号" } else { "日本語" };
    out.push(
        Diagnostic::error(&raw.source, format!("ファイル名「{}.md」に{what}が含まれていて、アドレスに使えません", raw.stem))
            .hint(format!(
                "ファイル名を「{suggestion}.md」のような半角英小文字・数字・ハイフンに変えるか、front matter に `slug: {suggestion}` を書いてください。"
            )),
    );
    None
}

/// An ASCII slug suggestion: kana are romanised, ASCII is kept, and when kanji leave
/// nothing usable a `<collection>-<number>` form is suggested.
pub fn suggest_slug(name: &str, collection: &str) -> String {
    romanise(name).unwrap_or_else(|| {
        let n: u32 = name.chars().map(|c| c as u32).fold(7u32, |a, c| a.wrapping_mul(31).wrapping_add(c)) % 1000;
        format!("{collection}-{n:03}")
    })
}

/// `name` as a slug, when all of it can be written in ASCII (kana romanised, ASCII
/// kept) and it has at least three letters; `None` for kanji, which have no reading
/// without a dictionary (a half-romanised name would mislead).
pub fn romanise(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(r) = romaji(c) {
            out.push_str(r);
        } else if matches!(c, ' ' | '_' | '-' | '　' | '・' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            return None;
        }
    }
    let out = out.trim_matches('-').to_string();
    (out.chars().filter(char::is_ascii_alphabetic).count() >= 3).then_some(out)
}

/// Every kana [`romanise`] reads, with its romaji: the get-listed form names files in the
/// browser with the same table (`static/js/apply.js`).
pub fn romaji_table() -> Vec<(char, &'static str)> {
    ('\u{3041}'..='\u{30FC}').filter_map(|c| Some((c, romaji(c)?))).collect()
}

fn romaji(c: char) -> Option<&'static str> {
    const TABLE: &[&str] = &[
        "a", "a", "i", "i", "u", "u", "e", "e", "o", "o", "ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko", "go",
        "sa", "za", "shi", "ji", "su", "zu", "se", "ze", "so", "zo", "ta", "da", "chi", "ji", "", "tsu", "zu", "te",
        "de", "to", "do", "na", "ni", "nu", "ne", "no", "ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu", "he",
        "be", "pe", "ho", "bo", "po", "ma", "mi", "mu", "me", "mo", "ya", "ya", "yu", "yu", "yo", "yo", "ra", "ri",
        "ru", "re", "ro", "wa", "wa", "i", "e", "o", "n",
    ];
    let code = c as u32;
    let idx = match code {
        0x3041..=0x3093 => code - 0x3041,
        0x30A1..=0x30F3 => code - 0x30A1,
        0x30FC => return Some(""),
        _ => return None,
    };
    TABLE.get(idx as usize).copied()
}

/// Per-document field checking context.
struct FieldCx<'a> {
    parsed: &'a Parsed,
    path: &'a Path,
    domains: &'a [String],
    out: Vec<Diagnostic>,
}

impl FieldCx<'_> {
    fn error(&mut self, spec: &FieldSpec, item: Option<&str>, message: String, hint: String) {
        let (line, col) = match item {
            Some(i) => self.parsed.locate_item(spec.name, i),
            None => self.parsed.locate(spec.name),
        };
        self.out.push(Diagnostic::error(self.path, message).at(line, col).field(spec.name).hint(hint));
    }

    fn warn(&mut self, spec: &FieldSpec, item: &str, message: String, hint: String) {
        let (line, col) = self.parsed.locate_item(spec.name, item);
        self.out.push(Diagnostic::warning(self.path, message).at(line, col).field(spec.name).hint(hint));
    }

    /// Checks one value; `None` drops the field (absent, empty, private or invalid).
    fn normalize(&mut self, spec: &FieldSpec, value: &Value) -> Option<Value> {
        if let (false, Some((before, c))) = (matches!(spec.ty, Ty::Private), crate::hygiene::control_in_value(value)) {
            // At the text before the character, where it is written as is (else the key).
            let (line, col) = self.parsed.locate_item(spec.name, before.trim()).max(self.parsed.locate(spec.name));
            let what = format!("項目「{}」", spec.name);
            self.out.push(crate::hygiene::control_error(self.path, &what, before, c).at(line, col).field(spec.name));
            return None;
        }
        if value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty()) {
            if spec.required {
                self.error(spec, None, format!("「{}」（{}）が空です", spec.name, spec.label), format!("{}を書いてください（{}）。", spec.label, spec.help));
            }
            return None;
        }
        match spec.ty {
            Ty::Private => None,
            Ty::Text | Ty::LongText => match value {
                Value::String(s) => Some(Value::String(s.trim().to_string())),
                Value::Number(n) => Some(Value::String(n.to_string())),
                _ => {
                    self.error(spec, None, format!("「{}」は文字で書いてください", spec.name), "リストや入れ子ではなく、1つの文字列にしてください。".into());
                    None
                }
            },
            Ty::Int => match value.as_i64().or_else(|| value.as_str().and_then(|s| s.trim().parse().ok())) {
                Some(i) => Some(Value::from(i)),
                None => {
                    self.error(spec, None, format!("「{}」は整数で書いてください", spec.name), "例: 10".into());
                    None
                }
            },
            Ty::Bool => match value {
                Value::Bool(b) => Some(Value::Bool(*b)),
                Value::String(s) if s == "true" || s == "false" => Some(Value::Bool(s == "true")),
                _ => {
                    self.error(spec, None, format!("「{}」は true か false で書いてください", spec.name), format!("例: `{}: true`", spec.name));
                    None
                }
            },
            Ty::Date => {
                let s = scalar(value)?;
                match parse_date(&s) {
                    Some(d) => Some(Value::String(d.format("%Y-%m-%d").to_string())),
                    None => {
                        self.error(spec, None, format!("「{s}」を日付として読めません"), "2024-05-01 のように「年-月-日」で書いてください。".into());
                        None
                    }
                }
            }
            Ty::DateOrYear => {
                let s = scalar(value)?;
                if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
                    return Some(Value::String(s));
                }
                if let Some(month) = parse_year_month(&s) {
                    return Some(Value::String(month));
                }
                match parse_date(&s) {
                    Some(d) => Some(Value::String(d.format("%Y-%m-%d").to_string())),
                    None => {
                        self.error(spec, None, format!("「{s}」を年または日付として読めません"), "2019、2019-04 または 2019-04-01 の形で書いてください。".into());
                        None
                    }
                }
            }
            Ty::DateTime => {
                let s = scalar(value)?;
                match parse_datetime(&s) {
                    Some(d) => Some(Value::String(d)),
                    None => {
                        self.error(spec, None, format!("「{s}」を日時として読めません"), "2026-12-05T13:30:00+09:00 または 2026-12-05 13:30 の形で書いてください（日本時間）。".into());
                        None
                    }
                }
            }
            Ty::Url => {
                let s = scalar(value)?;
                if is_http_url(&s) {
                    Some(Value::String(s))
                } else {
                    self.error(spec, None, format!("「{s}」はウェブのアドレスではありません"), "https:// または http:// で始まるアドレスを書いてください。".into());
                    None
                }
            }
            Ty::Texts => {
                let items = self.list(spec, value)?;
                Some(Value::Array(items.into_iter().map(Value::String).collect()))
            }
            Ty::Vocab(v) => {
                let s = scalar(value).or_else(|| {
                    self.error(spec, None, format!("「{}」は1つだけ書いてください", spec.name), "リストではなく1つの値にしてください。".into());
                    None
                })?;
                self.vocab_term(spec, v, &s).map(Value::String)
            }
            Ty::Vocabs(v) => {
                let mut terms: Vec<String> = Vec::new();
                for item in self.list(spec, value)? {
                    if let Some(t) = self.vocab_term(spec, v, &item) {
                        if !terms.contains(&t) {
                            terms.push(t);
                        }
                    }
                }
                if spec.required && terms.is_empty() {
                    return None;
                }
                Some(Value::Array(terms.into_iter().map(Value::String).collect()))
            }
            Ty::Steps => {
                let list: Vec<Value> = match value {
                    Value::Array(a) => a.clone(),
                    other => vec![other.clone()],
                };
                let mut steps = Vec::new();
                for v in list {
                    match v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())) {
                        Some(n @ 1..=3) => steps.push(Value::from(n)),
                        _ => self.error(spec, Some(&v.to_string()), format!("構築ステップ「{v}」は 1, 2, 3 のどれかにしてください"), "例: `steps: [1, 2]`".into()),
                    }
                }
                Some(Value::Array(steps))
            }
            Ty::Location => self.location(spec, value),
            Ty::Images => {
                let list: Vec<Value> = match value {
                    Value::Array(a) => a.clone(),
                    other => vec![other.clone()],
                };
                let mut images = Vec::new();
                for v in list {
                    match v {
                        Value::String(s) => images.push(serde_json::json!({"src": s, "alt": ""})),
                        Value::Object(ref o) if o.get("src").is_some_and(Value::is_string) => {
                            let alt = o.get("alt").and_then(Value::as_str).unwrap_or("");
                            images.push(serde_json::json!({"src": o["src"], "alt": alt}));
                        }
                        _ => self.error(spec, None, "画像の書き方が正しくありません".into(), "`- src: photo.jpg` と `  alt: 写真の説明` の形で書いてください。".into()),
                    }
                }
                Some(Value::Array(images))
            }
        }
    }

    /// A list of strings; a single string is taken as a one-item list.
    fn list(&mut self, spec: &FieldSpec, value: &Value) -> Option<Vec<String>> {
        match value {
            Value::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match scalar(item) {
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                        Some(_) => {}
                        None => self.error(spec, None, format!("「{}」のリストに文字以外の値があります", spec.name), "各行を `- 値` の形にしてください。".into()),
                    }
                }
                Some(out)
            }
            other => match scalar(other) {
                Some(s) => Some(vec![s.trim().to_string()]),
                None => {
                    self.error(spec, None, format!("「{}」はリストで書いてください", spec.name), format!("例: `{}: [値1, 値2]`", spec.name));
                    None
                }
            },
        }
    }

    fn vocab_term(&mut self, spec: &FieldSpec, vocab: Vocab, term: &str) -> Option<String> {
        let term = term.trim();
        let (allowed, what): (Vec<&str>, &str) = match vocab {
            Vocab::Domain => (self.domains.iter().map(String::as_str).collect(), "分野"),
            Vocab::Prefecture => (vocab::PREFECTURES.to_vec(), "都道府県"),
            Vocab::PrefectureOrNation => {
                let mut v = vocab::PREFECTURES.to_vec();
                v.push(vocab::NATIONWIDE);
                (v, "都道府県（または 全国）")
            }
            Vocab::ActorKind => (vocab::ACTOR_KINDS.to_vec(), "主体の種別"),
            Vocab::Relation => (vocab::RELATIONS.iter().map(|r| r.0).collect(), "本業との関わり"),
            Vocab::EventKind => (vocab::EVENT_KINDS.to_vec(), "イベントの種類"),
            Vocab::Scale => (vocab::SCALES.iter().map(|r| r.0).collect(), "活動の規模"),
        };
        if allowed.contains(&term) {
            return Some(term.to_string());
        }
        // Known alternative spellings are accepted and normalised.
        let variant = match vocab {
            Vocab::Domain => vocab::DOMAIN_VARIANTS.iter().find(|(v, _)| *v == term).map(|(_, c)| *c),
            Vocab::Prefecture | Vocab::PrefectureOrNation => vocab::complete_prefecture(term),
            Vocab::Relation => vocab::RELATIONS.iter().find(|(_, l)| *l == term).map(|(v, _)| *v),
            Vocab::Scale => vocab::SCALES.iter().find(|(_, l)| *l == term).map(|(v, _)| *v),
            _ => None,
        };
        if let Some(canonical) = variant {
            self.warn(
                spec,
                term,
                format!("{what}「{term}」を「{canonical}」として扱います"),
                format!("表記をそろえるため「{canonical}」と書いてください。"),
            );
            return Some(canonical.to_string());
        }
        let hint = match did_you_mean(term, allowed.iter().copied()) {
            Some(s) => format!("「{s}」のことですか？ 使える値: {}", allowed.join("、")),
            None => format!("使える値: {}", allowed.join("、")),
        };
        self.error(spec, Some(term), format!("「{term}」は{what}の一覧にありません"), hint);
        None
    }

    fn location(&mut self, spec: &FieldSpec, value: &Value) -> Option<Value> {
        let num = |o: &Map<String, Value>, keys: &[&str]| {
            keys.iter().find_map(|k| o.get(*k)).and_then(|v| v.as_f64().or_else(|| v.as_str()?.trim().parse().ok()))
        };
        let (lat, lon) = match value {
            Value::Object(o) => (num(o, &["lat", "latitude", "緯度"]), num(o, &["lon", "lng", "longitude", "経度"])),
            Value::Array(a) if a.len() == 2 => (a[0].as_f64(), a[1].as_f64()),
            _ => (None, None),
        };
        match (lat, lon) {
            (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                if !(20.0..=46.0).contains(&lat) || !(122.0..=154.0).contains(&lon) {
                    let hint = if (20.0..=46.0).contains(&lon) && (122.0..=154.0).contains(&lat) {
                        "緯度（lat）と経度（lon）が入れ替わっているようです。"
                    } else {
                        "日本国内の緯度・経度か確認してください。"
                    };
                    self.warn(spec, "lat", format!("位置（{lat}, {lon}）が日本の外になります"), hint.into());
                }
                Some(serde_json::json!({"lat": lat, "lon": lon}))
            }
            _ => {
                self.error(spec, None, "位置は緯度と経度の数で書いてください".into(), "例: `location: {lat: 35.925, lon: 139.486}`".into());
                None
            }
        }
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}


/// Site-wide checks over all documents: duplicate addresses, references between items,
/// pages that would collide with the site's own sections.
pub fn check_site(docs: &[&Doc], diags: &mut Diagnostics) {
    let mut seen: FxHashMap<&str, &Doc> = FxHashMap::default();
    for &d in docs {
        if let Some(first) = seen.insert(&d.url, d) {
            diags.push(
                Diagnostic::error(&d.source, format!("アドレス「{}」が {} と重複しています", d.url, first.source.display()))
                    .field(if d.common.slug.is_some() { "slug" } else { "" })
                    .hint("どちらかのファイル名（または slug）を変えてください。"),
            );
        }
    }
    let actors: FxHashMap<&str, &Doc> =
        docs.iter().filter(|d| d.collection == Collection::Actor).map(|d| (d.slug.as_str(), *d)).collect();
    let actor_slugs: Vec<&str> = actors.keys().copied().collect();
    // Each document's references on its own (in parallel: this ran on one core while
    // the other waited, before anything can be rendered).
    let per_doc: Vec<Diagnostics> = docs
        .par_iter()
        .map(|d| {
            let mut diags = Diagnostics::default();
            if let Some(case) = d.case() {
                for a in &case.actors {
                    if !actors.contains_key(a.as_str()) {
                        let hint = match did_you_mean(a, actor_slugs.iter().copied()) {
                            Some(s) => format!("「{s}」のことですか？ content/actors/{s}.md のファイル名（.md を除く）を書きます。"),
                            None => "content/actors/ にその主体のファイルを作るか、partners: に名前で書いてください。".into(),
                        };
                        let (line, col) = d.locator.locate_item("actors", a);
                        diags.push(
                            Diagnostic::error(&d.source, format!("主体「{a}」が content/actors/ にありません"))
                                .at(line, col)
                                .field("actors")
                                .hint(hint),
                        );
                    }
                }
            }
            if let Some(e) = d.event() {
                let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
                if let (Some(start), Some(end)) = (parse(&e.start), e.end.as_deref().and_then(parse)) {
                    if end < start {
                        let (line, col) = d.locator.locate("end");
                        diags.push(
                            Diagnostic::error(&d.source, "終了日時が開始日時より前になっています")
                                .at(line, col)
                                .field("end")
                                .hint("start と end の日付・時刻を確認してください。"),
                        );
                    }
                }
            }
            for image in &d.common.images {
                let dir = d.url.rsplit_once('/').map_or("", |x| x.0);
                if image.src.contains(':') || image.src.contains('\\') || crate::urls::normalize(&crate::urls::join(dir, &image.src)).is_none() {
                    let (line, col) = d.locator.locate_item("images", &image.src);
                    diags.push(
                        Diagnostic::error(&d.source, format!("画像「{}」はサイトの外を指しています", image.src))
                            .at(line, col)
                            .field("images")
                            .hint("content/ の中の画像を、このファイルからの相対パスで書いてください。"),
                    );
                }
            }
            for alias in &d.common.aliases {
                if let Some(path) = crate::urls::alias_path(alias) {
                    let first = path.split('/').next().unwrap_or("");
                    let generated = path == "index.html"
                        || path == "404.html"
                        || seen.contains_key(path.as_str())
                        || (path.split('/').count() == 2 && path.ends_with("/index.html") && RESERVED.contains(&first))
                        || path.contains("/page/")
                        || ["domains", "regions", "kinds", "relations", "search", "data", "css", "js"].contains(&first);
                    if generated {
                        let (line, col) = d.locator.locate_item("aliases", alias);
                        diags.push(
                            Diagnostic::error(&d.source, format!("旧アドレス「{alias}」はサイトが使うアドレスと重なります"))
                                .at(line, col)
                                .field("aliases")
                                .hint("今はもう使っていない、古いアドレスだけを書いてください。"),
                        );
                    }
                } else {
                    let (line, col) = d.locator.locate_item("aliases", alias);
                    diags.push(
                        Diagnostic::error(&d.source, format!("旧アドレス「{alias}」はサイトの外を指しています"))
                            .at(line, col)
                            .field("aliases")
                            .hint("サイト内のアドレス（例: /old/page/）を書いてください。.. やドライブ名（C:）は使えません。"),
                    );
                }
            }
            if d.collection == Collection::Page && RESERVED.contains(&d.slug.as_str()) {
                diags.push(
                    Diagnostic::error(&d.source, format!("ページ名「{}」はサイトの決まった場所と重なります", d.slug))
                        .hint(format!("別のファイル名か slug にしてください（使えない名前: {}）。", RESERVED.join(", "))),
                );
            }
            diags
        })
        .collect();
    for d in per_doc {
        diags.0.extend(d.0);
    }
    let mut guides: HashSet<&str> = HashSet::new();
    for d in docs.iter().filter(|d| d.collection == Collection::Guide) {
        guides.insert(&d.slug);
    }
    for d in docs.iter().filter(|d| d.collection == Collection::Chapter) {
        if let Some(g) = &d.guide {
            if !guides.contains(g.as_str()) {
                diags.push(
                    Diagnostic::error(&d.source, format!("ガイドブック「{g}」に _index.md がありません"))
                        .hint(format!("content/guides/{g}/_index.md を作り、ガイドブックの title を書いてください。")),
                );
            }
        }
    }
}

/// Top-level names the site uses itself; pages cannot take them.
pub const RESERVED: &[&str] = &[
    "cases", "actors", "guides", "events", "policies", "news", "domains", "regions", "kinds", "relations",
    "search", "map", "partners", "apply", "data", "links", "checklist", "opendata", "css", "js", "static", "404", "index",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_suggestions_are_ascii() {
        assert_eq!(suggest_slug("かいものしえん", "case"), "kaimonoshien");
        assert!(suggest_slug("かいもの支援", "case").starts_with("case-"), "no half-romanised names");
        assert_eq!(suggest_slug("Kawagoe_Case", "case"), "kawagoe-case");
        let s = suggest_slug("川越市の事例", "case");
        assert!(s.starts_with("case-") && is_valid_slug(&s), "{s}");
    }
}
