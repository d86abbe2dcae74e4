//! One form per collection, generated from the schema that drives the build's checks,
//! `kyoso new` and the apply form: every field with its Japanese label and help, the
//! right control for its type, and the validator's problems beside it. Reading a
//! submitted form back is here too, so the two cannot disagree about a field.

use crate::diagnostics::Diagnostic;
use crate::schema::{self, Collection, FieldSpec, Ty, Vocab};
use crate::theme::escape_html as esc;
use serde_json::{Map, Value};

/// Fields the form shows. The others (`slug`, `private`, `images`, import marks) are kept
/// in the file as written; `draft` is the status choice.
pub fn shown(collection: Collection) -> impl Iterator<Item = &'static FieldSpec> {
    schema::all_fields(collection).filter(|s| !matches!(s.name, "slug" | "private" | "images" | "draft"))
}

/// A submitted form: name–value pairs in order (checkboxes repeat a name).
pub struct Submitted(pub Vec<(String, String)>);

impl Submitted {
    pub fn parse(body: &[u8]) -> Submitted {
        Submitted(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.replace("\r\n", "\n"))).collect())
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect()
    }
}

/// The submitted values of the shown fields, as front-matter values (empty ones `Null`).
pub fn values(collection: Collection, form: &Submitted) -> Vec<(&'static str, Value)> {
    let text = |s: &str| if s.trim().is_empty() { Value::Null } else { Value::String(s.trim().to_string()) };
    let mut out: Vec<(&'static str, Value)> = shown(collection)
        .map(|spec| {
            let v = form.get(spec.name);
            let value = match spec.ty {
                Ty::Vocabs(_) => Value::Array(form.all(spec.name).into_iter().map(|s| Value::String(s.into())).collect()),
                Ty::Steps => Value::Array(form.all(spec.name).into_iter().map(|s| s.parse::<u64>().map_or(Value::String(s.into()), Value::from)).collect()),
                Ty::Texts if spec.name == "actors" && collection == Collection::Case => {
                    Value::Array(form.all(spec.name).into_iter().map(|s| Value::String(s.into())).collect())
                }
                Ty::Texts => Value::Array(v.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Value::String(l.into())).collect()),
                Ty::Bool => Value::Bool(!v.is_empty()),
                Ty::Int => v.trim().parse::<i64>().map_or_else(|_| text(v), Value::from),
                Ty::LongText => text(v.trim_end()),
                Ty::Location => {
                    let (lat, lon) = (form.get("location.lat").trim(), form.get("location.lon").trim());
                    if lat.is_empty() && lon.is_empty() {
                        Value::Null
                    } else {
                        let n = |s: &str| s.parse::<f64>().map_or(Value::String(s.into()), Value::from);
                        serde_json::json!({ "lat": n(lat), "lon": n(lon) })
                    }
                }
                _ => text(v),
            };
            (spec.name, value)
        })
        .collect();
    out.push(("draft", Value::Bool(form.get("_status") == "draft")));
    out
}

/// What the form needs besides the values.
pub struct Context<'a> {
    pub domains: &'a [String],
    /// Existing actors (file name, title), for the picker of a case.
    pub actors: &'a [(String, String)],
    pub problems: &'a [Diagnostic],
}

/// The fields of the form, in schema order.
pub fn fields(collection: Collection, values: &Map<String, Value>, cx: &Context) -> String {
    shown(collection).map(|spec| field(collection, spec, values.get(spec.name).unwrap_or(&Value::Null), cx)).collect()
}

fn as_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(as_text).collect::<Vec<_>>().join("\n"),
        other => other.to_string(),
    }
}

fn as_list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().map(as_text).collect(),
        Value::Null => Vec::new(),
        other => vec![as_text(other)],
    }
}

/// The problems about `field`, as the editor should read them: the build's message, but
/// "choose" or "fill in" for a missing required field rather than front-matter syntax.
pub fn messages(spec: Option<&FieldSpec>, problems: &[Diagnostic], field: &str) -> Vec<(bool, String)> {
    problems
        .iter()
        .filter(|d| d.field == field)
        .map(|d| {
            let text = match spec {
                Some(s) if d.message.starts_with("必須の項目") => match s.ty {
                    Ty::Vocabs(_) | Ty::Steps => format!("{}を1つ以上選んでください", s.label),
                    Ty::Vocab(_) => format!("{}を選んでください", s.label),
                    _ => format!("{}を入力してください", s.label),
                },
                _ => match &d.hint {
                    Some(h) if !h.contains("front matter") && !h.contains('`') => format!("{} {h}", d.message),
                    _ => d.message.clone(),
                },
            };
            (d.is_error(), text)
        })
        .collect()
}

fn problem_html(id: &str, list: &[(bool, String)]) -> String {
    if list.is_empty() {
        return format!(r#"<div class="problems" id="{id}"></div>"#);
    }
    let items: String = list
        .iter()
        .map(|(error, m)| format!(r#"<p class="{}">{}{}</p>"#, if *error { "error" } else { "warning" }, if *error { "エラー: " } else { "注意: " }, esc(m)))
        .collect();
    format!(r#"<div class="problems" id="{id}">{items}</div>"#)
}

/// The choices of a vocabulary field as (value, text): the reader's word, with the value
/// written in front matter beside it where the two differ (「地域（local）」), for editors.
fn options(v: Vocab, cx: &Context) -> Vec<(String, String)> {
    crate::vocab::options(v, cx.domains)
        .into_iter()
        .map(|(value, label)| if label == value { (value, label) } else { (value.clone(), format!("{label}（{value}）")) })
        .collect()
}

fn checkboxes(name: &str, choices: &[(String, String)], chosen: &[String]) -> String {
    let mut out = String::new();
    for (i, (value, label)) in choices.iter().enumerate() {
        let checked = if chosen.iter().any(|c| c == value) { " checked" } else { "" };
        out.push_str(&format!(
            r#"<div class="choice"><input type="checkbox" id="f-{name}-{i}" name="{name}" value="{v}"{checked}><label for="f-{name}-{i}">{l}</label></div>"#,
            v = esc(value),
            l = esc(label)
        ));
    }
    // Values in the file that are not offered stay chosen (the check names them), and
    // the person can take them away.
    let unknown = chosen.iter().filter(|c| !choices.iter().any(|(v, _)| v == *c));
    for (i, value) in unknown.enumerate() {
        out.push_str(&format!(
            r#"<div class="choice"><input type="checkbox" id="f-{name}-x{i}" name="{name}" value="{v}" checked><label for="f-{name}-x{i}">{v}（一覧にありません）</label></div>"#,
            v = esc(value)
        ));
    }
    out
}

fn field(collection: Collection, spec: &FieldSpec, value: &Value, cx: &Context) -> String {
    let name = spec.name;
    let required = if spec.required { r#"<span class="required">（必須）</span>"# } else { "" };
    let problems = messages(Some(spec), cx.problems, name);
    let invalid = if problems.iter().any(|(e, _)| *e) { r#" aria-invalid="true""# } else { "" };
    let errors = problem_html(&format!("e-{name}"), &problems);
    let help = esc(spec.help);
    let described = format!(r#"aria-describedby="h-{name} e-{name}""#);
    let group = |inner: String| {
        format!(
            r#"<fieldset class="field" id="field-{name}" {described}><legend>{label}{required}</legend><p class="help" id="h-{name}">{help}</p>{inner}{errors}</fieldset>"#,
            label = esc(spec.label)
        )
    };
    let single = |control: String| {
        format!(
            r#"<div class="field" id="field-{name}"><label for="f-{name}">{label}{required}</label><p class="help" id="h-{name}">{help}</p>{control}{errors}</div>"#,
            label = esc(spec.label)
        )
    };
    let input = |ty: &str, v: &str| format!(r#"<input type="{ty}" id="f-{name}" name="{name}" value="{}" {described}{invalid}>"#, esc(v));
    let text = as_text(value);
    match spec.ty {
        Ty::Vocabs(v) => group(checkboxes(name, &options(v, cx), &as_list(value))),
        Ty::Steps => {
            let choices: Vec<(String, String)> = crate::vocab::STEPS.iter().map(|(n, l)| (n.to_string(), l.to_string())).collect();
            group(checkboxes(name, &choices, &as_list(value)))
        }
        Ty::Texts if name == "actors" && collection == Collection::Case => {
            let choices: Vec<(String, String)> = cx.actors.iter().map(|(slug, title)| (slug.clone(), format!("{title}（{slug}）"))).collect();
            let filter = format!(
                r#"<label class="filter" for="f-{name}-filter">主体を絞り込む</label><input type="search" id="f-{name}-filter" data-filter="{name}" autocomplete="off">"#
            );
            group(format!(r#"{filter}<div class="picker" id="p-{name}">{}</div>"#, checkboxes(name, &choices, &as_list(value))))
        }
        Ty::Vocab(v) => {
            let mut opts = String::from(r#"<option value="">（選んでください）</option>"#);
            let mut choices = options(v, cx);
            if !text.is_empty() && !choices.iter().any(|(c, _)| *c == text) {
                choices.push((text.clone(), text.clone()));
            }
            for (val, label) in choices {
                let sel = if val == text { " selected" } else { "" };
                opts.push_str(&format!(r#"<option value="{}"{sel}>{}</option>"#, esc(&val), esc(&label)));
            }
            single(format!(r#"<select id="f-{name}" name="{name}" {described}{invalid}>{opts}</select>"#))
        }
        Ty::Location => {
            let get = |k: &str| value.get(k).map(as_text).unwrap_or_default();
            // The apply form's picker (the theme's js/map.js) on the offline outline of
            // Japan; the typed numbers are the keyboard's way and stay the form's values.
            group(format!(
                r#"<p class="help" id="h-location-map">地図をクリック（タップ）すると、その場所の緯度・経度が下の欄に入ります。キーボードでは欄に数字を入れます。</p><div id="location-map" class="map" role="region" aria-label="位置を選ぶ地図" aria-describedby="h-location-map" hidden></div><p id="location-status" class="location-status" role="status"></p><p><button type="button" id="location-clear" hidden>選んだ位置を消す</button></p><script src="/_edit/assets/vendor/leaflet/leaflet.js" defer></script><script src="/_edit/assets/js/map.js" defer></script><div class="latlon"><label for="f-location-lat">緯度</label><input type="text" inputmode="decimal" id="f-location-lat" name="location.lat" value="{}"><label for="f-location-lon">経度</label><input type="text" inputmode="decimal" id="f-location-lon" name="location.lon" value="{}"></div>"#,
                esc(&get("lat")),
                esc(&get("lon"))
            ))
        }
        Ty::LongText => single(format!(r#"<textarea id="f-{name}" name="{name}" rows="3" {described}{invalid}>
{}</textarea>"#, esc(&text))),
        Ty::Texts => single(format!(r#"<textarea id="f-{name}" name="{name}" rows="3" {described}{invalid}>
{}</textarea>"#, esc(&text))),
        Ty::Bool => {
            let checked = if value.as_bool() == Some(true) { " checked" } else { "" };
            format!(
                r#"<div class="field choice" id="field-{name}"><input type="checkbox" id="f-{name}" name="{name}" value="true"{checked} {described}><label for="f-{name}">{}</label><p class="help" id="h-{name}">{help}</p>{errors}</div>"#,
                esc(spec.label)
            )
        }
        // A value the date control cannot show stays a text box: a blank control would
        // remove it on 保存.
        Ty::Date if text.is_empty() || chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").is_ok() => single(input("date", &text)),
        Ty::DateTime => match local_datetime(&text) {
            Some(v) => single(input("datetime-local", &v)),
            None => single(input("text", &text)),
        },
        Ty::Url => single(input("url", &text)),
        Ty::Int if text.is_empty() || text.parse::<i64>().is_ok() => single(input("number", &text)),
        _ => single(input("text", &text)),
    }
}

/// A date-time as a `datetime-local` control shows it, when nothing would be lost:
/// Japan time, whole minutes.
fn local_datetime(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some(String::new());
    }
    let full = crate::dates::parse_datetime(s)?;
    let (local, offset) = full.split_at(19);
    (offset == "+09:00" && local.ends_with(":00")).then(|| local[..16].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submitted_case_becomes_front_matter_values() {
        let form = Submitted::parse("title=%E4%BA%8B%E4%BE%8B&domains=%E8%B2%B7%E3%81%84%E7%89%A9&domains=%E8%A6%8B%E5%AE%88%E3%82%8A&tags=a%0D%0Ab&steps=2&_status=draft&municipality=".as_bytes());
        let v: std::collections::HashMap<_, _> = values(Collection::Case, &form).into_iter().collect();
        assert_eq!(v["title"], Value::from("事例"));
        assert_eq!(v["domains"], serde_json::json!(["買い物", "見守り"]));
        assert_eq!(v["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(v["steps"], serde_json::json!([2]));
        assert_eq!(v["draft"], Value::Bool(true));
        assert_eq!(v["municipality"], Value::Null);
    }

    #[test]
    fn every_shown_field_has_a_label_for_its_control() {
        let cx = Context { domains: &["買い物".to_string()], actors: &[("a".into(), "主体A".into())], problems: &[] };
        for c in Collection::ALL {
            let html = fields(c, &Map::new(), &cx);
            for spec in shown(c) {
                assert!(html.contains(&format!(">{}", esc(spec.label))), "{c:?} {}", spec.name);
            }
            // Every control's id is named by a label's `for`.
            for id in html.split(r#" id="f-"#).skip(1).map(|r| r.split('"').next().unwrap()) {
                assert!(html.contains(&format!(r#"for="f-{id}""#)), "{c:?}: f-{id}");
            }
        }
    }
}
