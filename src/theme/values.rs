//! What templates are given: tera values made from Rust data, and JSON that is safe
//! inside a page's `<script>` element.

use serde::Serialize;

/// A page's template variables, in the order they are set. tera values share their
/// contents (cloning one is a reference count), so what many pages show — the site, a
/// card, the menu — is made once and handed to each page as it is.
pub type Vars = Vec<(&'static str, tera::Value)>;

/// `vars!({"name": value, ...})`: [`Vars`] from anything serialisable; tera values inside
/// are taken over as they are, not copied.
macro_rules! vars {
    ({ $($k:literal : $v:expr),* $(,)? }) => { vec![$(($k, tera::Value::from_serializable(&$v))),*] };
}

/// `obj!({"title": t, "url": u})`: a map of literal names for a template, made straight as
/// a tera value (see [`map`]). A `json!` object was built with a `String` per name and
/// then converted into tera's map with another; pages make several each.
macro_rules! obj {
    ({ $($k:literal : $v:expr),* $(,)? }) => { $crate::theme::values::map($crate::theme::values::vars!({ $($k : $v),* })) };
}

pub(crate) use {obj, vars};

/// [`Vars`] as one map value (a list entry, a section).
///
/// Made through serde as a struct (the names are `&'static str`): tera then builds the
/// map once, keyed by the names as they are. Built as a `tera::Map` and converted, it was
/// built twice (`From` copies every entry into a new map) with an allocated key each.
pub fn map(vars: Vars) -> tera::Value {
    struct Fields(Vars);
    impl Serialize for Fields {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut fields = serializer.serialize_struct("Vars", self.0.len())?;
            for (name, value) in &self.0 {
                fields.serialize_field(name, value)?;
            }
            fields.end()
        }
    }
    tera::Value::from_serializable(&Fields(vars))
}

/// JSON safe inside a `<script>` element: `<`, `>` and `&` are written as escapes, so a
/// title containing `</script>` cannot end the element.
pub fn script_json<T: Serialize + ?Sized>(v: &T) -> String {
    let json = serde_json::to_string(v).expect("json");
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}
