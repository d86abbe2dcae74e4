//! SVG files from `content/`, published as drawings only. An SVG opened by itself (a link
//! to it, or its address typed in) is a document in the site's origin and runs its
//! scripts, so what is published is the drawing rebuilt from an allowlist: drawing
//! elements only (no `script`, `foreignObject`, animation, which can set attributes, or
//! any element in another namespace), no event handler, no reference outside the file
//! (`href` only to `#…`, links only to web addresses, embedded pictures only as raster
//! `data:` images, CSS without `url()` to elsewhere or `@import`), no DOCTYPE (entities)
//! or processing instruction (`xml-stylesheet`). What the editor should know was removed
//! is listed for a warning.

use quick_xml::events::{BytesStart, BytesText, Event};

/// The drawing as published, and what was taken out that could run or fetch.
pub struct Cleaned {
    pub bytes: Vec<u8>,
    /// Names of removed elements and attributes (`script`, `onload`, `href`), each once.
    pub removed: Vec<String>,
}

/// Elements of a static drawing.
const ELEMENTS: &[&str] = &[
    "svg", "g", "defs", "symbol", "use", "title", "desc", "a", "style", "switch", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "image", "linearGradient", "radialGradient", "stop", "pattern",
    "clipPath", "mask", "marker", "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
];

/// Elements whose removal is worth telling the editor about (they run or fetch). Others
/// that are not drawing (an editor's `metadata`, `sodipodi:namedview`) go silently.
const ACTIVE_ELEMENTS: &[&str] = &[
    "script", "foreignObject", "iframe", "embed", "object", "animate", "set", "animateMotion", "animateTransform",
    "animateColor", "feImage", "handler", "listener", "discard",
];

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// The drawing without anything that runs or fetches; `Err` (in Japanese) if it is not
/// an SVG file kyoso can read.
pub fn clean(bytes: &[u8]) -> Result<Cleaned, String> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(bytes.len()));
    let mut removed: Vec<String> = Vec::new();
    // Depth inside a removed element (all of it goes), whether the root was an `svg`,
    // and the text of the `style` element being read (checked as a whole).
    let (mut skip, mut root_seen, mut style): (usize, bool, Option<String>) = (0, false, None);
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| format!("SVG として読み取れません（{e}）"))?;
        let write = |w: &mut quick_xml::Writer<Vec<u8>>, e: Event| w.write_event(e).map_err(|e| e.to_string());
        match event {
            Event::Eof => break,
            Event::Start(_) | Event::Empty(_) if skip > 0 => {
                if matches!(event, Event::Start(_)) {
                    skip += 1;
                }
            }
            Event::End(_) if skip > 0 => skip -= 1,
            _ if skip > 0 => {}
            Event::Start(e) | Event::Empty(e) if !root_seen && e.name().as_ref() != b"svg" => {
                return Err(format!("SVG ファイルではありません（最初の要素が {} です）", String::from_utf8_lossy(e.name().as_ref())));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                root_seen = true;
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let empty = matches!(event, Event::Empty(_));
                // Only text inside `style`.
                if !ELEMENTS.contains(&name.as_str()) || style.is_some() {
                    if ACTIVE_ELEMENTS.contains(&name.as_str()) {
                        note(&name, &mut removed);
                    }
                    if !empty {
                        skip = 1;
                    }
                    continue;
                }
                let mut kept = BytesStart::new(name.clone());
                for attr in e.attributes().with_checks(false) {
                    let attr = attr.map_err(|e| format!("SVG の属性を読み取れません（{e}）"))?;
                    let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                    match attr.unescape_value().ok().filter(|value| attribute_is_inert(&name, &key, value)) {
                        Some(value) => kept.push_attribute((key.as_str(), value.as_ref())),
                        None if is_known_harmless(&key) => {}
                        None => note(&key, &mut removed),
                    }
                }
                if name == "style" && !empty {
                    style = Some(String::new());
                }
                write(&mut writer, if empty { Event::Empty(kept) } else { Event::Start(kept) })?;
            }
            Event::End(e) => {
                if let Some(css) = style.take() {
                    if css_is_inert(&css) {
                        write(&mut writer, Event::Text(BytesText::new(&css)))?;
                    } else {
                        note("style", &mut removed);
                    }
                }
                write(&mut writer, Event::End(e))?;
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| format!("SVG の文字を読み取れません（{e}）"))?;
                match &mut style {
                    Some(css) => css.push_str(&text),
                    None => write(&mut writer, Event::Text(BytesText::new(&text)))?,
                }
            }
            Event::CData(c) => {
                let text = c.decode().map_err(|e| format!("SVG の文字を読み取れません（{e}）"))?.into_owned();
                match &mut style {
                    Some(css) => css.push_str(&text),
                    None => write(&mut writer, Event::Text(BytesText::new(&text)))?,
                }
            }
            Event::GeneralRef(r) => {
                // Character references and the five predefined entities; entities a
                // DOCTYPE would define are gone with it.
                let name = r.decode().map_err(|e| e.to_string())?.into_owned();
                let c = match name.as_str() {
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "amp" => Some('&'),
                    "apos" => Some('\''),
                    "quot" => Some('"'),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                match (c, &mut style) {
                    (Some(c), Some(css)) => css.push(c),
                    (Some(c), None) => write(&mut writer, Event::Text(BytesText::new(&c.to_string())))?,
                    (None, _) => note(&format!("&{name};"), &mut removed),
                }
            }
            Event::Decl(d) => write(&mut writer, Event::Decl(d))?,
            // Comments, processing instructions (`xml-stylesheet` loads XSLT) and the
            // DOCTYPE (entities) are not drawing.
            Event::PI(_) => note("<?…?>", &mut removed),
            Event::Comment(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err("SVG ファイルではありません（svg 要素がありません）".into());
    }
    Ok(Cleaned { bytes: writer.into_inner(), removed })
}

fn note(what: &str, removed: &mut Vec<String>) {
    if !removed.iter().any(|r| r == what) {
        removed.push(what.to_string());
    }
}

/// Whether an attribute (its value unescaped) can neither run nor fetch anything.
fn attribute_is_inert(element: &str, key: &str, value: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    if lower.starts_with("on") {
        return false;
    }
    let folded: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    if folded.contains("javascript:") || folded.contains("vbscript:") {
        return false;
    }
    match key {
        "xmlns" => value == SVG_NS,
        "xmlns:xlink" => value == XLINK_NS,
        "href" | "xlink:href" => match element {
            "a" => folded.starts_with('#') || folded.starts_with("https://") || folded.starts_with("http://"),
            "image" => ["data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;"].iter().any(|p| folded.starts_with(p)),
            _ => folded.starts_with('#'),
        },
        "style" => css_is_inert(value),
        "xml:space" | "xml:lang" => true,
        // Other namespaced attributes (`xml:base` changes where links point) and
        // anything that is not a plain name.
        _ if key.contains(':') || !key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) => false,
        _ => urls_are_local(&folded),
    }
}

/// Editor metadata (Inkscape, Sodipodi, Adobe) dropped without a word.
fn is_known_harmless(key: &str) -> bool {
    ["inkscape:", "sodipodi:", "xmlns:", "i:", "x:", "rdf:", "dc:", "cc:"].iter().any(|p| key.starts_with(p))
}

/// CSS (a `style` attribute or element) that loads nothing from elsewhere and runs
/// nothing: `url()` only to `#…` in the file, no `@import`, no function that fetches,
/// and no backslash escapes (which could spell any of those).
fn css_is_inert(css: &str) -> bool {
    let folded: String = css.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    const FETCHING: [&str; 10] =
        ["\\", "@import", "@font-face", "expression", "javascript:", "-moz-binding", "behavior", "image-set", "image(", "src("];
    !FETCHING.iter().any(|f| folded.contains(f)) && !folded.contains("cross-fade") && urls_are_local(&folded)
}

/// Every `url(…)` in a folded (lowercase, no spaces) value points inside the file.
fn urls_are_local(folded: &str) -> bool {
    folded.match_indices("url(").all(|(i, _)| {
        let rest = folded[i + 4..].trim_start_matches(['"', '\'']);
        rest.starts_with('#')
    })
}

/// The bytes published for a file under `content/`: an SVG cleaned (see [`clean`]),
/// anything else as it is. Full builds and `serve` both publish assets through this.
pub fn published_bytes(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let bytes = std::fs::read(path)?;
    if !is_svg(path) {
        return Ok(bytes);
    }
    // A file that cannot be cleaned was refused when the site was loaded; if it changed
    // since, nothing of it is published.
    Ok(clean(&bytes).map(|c| c.bytes).unwrap_or_default())
}

pub fn is_svg(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(svg: &str) -> (String, Vec<String>) {
        let c = clean(svg.as_bytes()).unwrap();
        (String::from_utf8(c.bytes).unwrap(), c.removed)
    }

    #[test]
    fn a_drawing_keeps_its_shapes_text_styles_and_internal_references() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\"><defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#fff\"/></linearGradient><style>.a{fill:url(#g)}</style></defs><rect class=\"a\" width=\"10\" height=\"10\" style=\"stroke:#000;fill:url('#g')\"/><use xlink:href=\"#g\"/><text x=\"1\" y=\"5\">地域 &amp; 暮らし&#x3c;</text><a href=\"https://example.jp/\"><circle r=\"1\"/></a></svg>";
        let (out, removed) = cleaned(svg);
        assert!(removed.is_empty(), "{removed:?}");
        for kept in ["<rect class=\"a\"", "style=\"stroke:#000;fill:url(&apos;#g&apos;)\"", "<use xlink:href=\"#g\"/>", "地域 &amp; 暮らし&lt;", ".a{fill:url(#g)}", "href=\"https://example.jp/\"", "viewBox=\"0 0 10 10\""] {
            assert!(out.contains(kept), "{kept}: {out}");
        }
    }

    #[test]
    fn scripts_handlers_and_outside_references_are_removed() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script><svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">alert(3)</svg:script>\
            <a href=\" java&#x09;script:alert(4)\"><text>t</text></a><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\"><img src=\"x\" onerror=\"alert(5)\"/></div></foreignObject>\
            <image href=\"https://evil.example/a.png\"/><use href=\"https://evil.example/s.svg#x\"/><set attributeName=\"onclick\" to=\"alert(6)\"/>\
            <rect style=\"fill:url(https://evil.example/t)\" fill=\"url(//evil.example/f)\"/><style>@import url(https://evil.example/c.css);</style><style>r{fill:u\\72l(x)}</style>\
            <g xmlns=\"http://www.w3.org/1999/xhtml\" xml:base=\"https://evil.example/\"/><?xml-stylesheet href=\"x.xsl\"?></svg>";
        let (out, removed) = cleaned(svg);
        for bad in ["alert", "evil.example", "script", "foreignObject", "<set", "xhtml", "onerror", "u\\72l", "xml-stylesheet"] {
            assert!(!out.contains(bad), "{bad}: {out}");
        }
        for r in ["onload", "script", "href", "foreignObject", "set", "style", "fill", "xmlns", "xml:base"] {
            assert!(removed.iter().any(|x| x == r), "{r} in {removed:?}");
        }
        assert!(out.contains("<text>t</text>") && out.contains("<rect/>"), "{out}");
    }

    #[test]
    fn what_is_not_an_svg_is_refused() {
        assert!(clean(b"<html><script>alert(1)</script></html>").is_err());
        assert!(clean(b"not xml at all").is_err());
        assert!(clean(b"<svg><g></svg>").is_err());
    }
}
