//! The browser's search index in `public/search/`, written from [`Inverted`].
//! The format is documented in `docs/search-index.md`; in short:
//!
//! - `manifest.js`: statistics (documents, per-field average length and boost, tantivy's
//!   field-norm table), the analyzer's variant table, facet vocabularies, the first
//!   term of every shard, and the characters that follow bigrams (for phrases).
//! - `docs.js`: the facet values of every document (compact), for filters and counts.
//! - `t/<n>.js`: shards of the term dictionary in UTF-16 order, each one string of the
//!   terms, front-coded, with their postings (document delta, term frequency, and for a
//!   bigram the characters that follow it in the document). A query loads only the
//!   shards its terms fall in.
//! - `d/<n>.js`: one small file per document: title, URL, region, snippet text.
//! - `w/<length>.js`: the index's words of ASCII letters of that length, for finding the
//!   word a misspelt query word means.
//! - `r/<n>.js`: shards of the readings of the site's words in kanji (`readings.rs`), in
//!   reading order, loaded only for a query word in kana.
//!
//! Every file is a script that calls `kyosoSearch.data(name, payload)`, so it loads with a
//! `<script>` element, which browsers allow from `file://` where `fetch` is blocked.

use super::analyzer::Analyzer;
use super::index::{DocInfo, FIELDS};
use super::postings::Inverted;
use super::readings::{Dictionary, SiteReadings};
use super::varint::push_varint;
use crate::schema::Collection;
use crate::vocab;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Format version of the files; the runtime refuses other versions.
pub const FORMAT_VERSION: u32 = 5;

/// Result records per `d/<i>.js` file.
pub const DOC_CHUNK: usize = 10;

/// Postings characters per shard before a new shard starts.
const SHARD_CHARS: usize = 8_000;

/// Characters of readings and words per `r/<i>.js` file before a new one starts: a query
/// in kana loads one or a few of them.
const READING_SHARD_CHARS: usize = 1_000;

/// A script that hands `payload` to the runtime. `<` is written as `\u003c`, so no
/// content can ever form `</script>` or `<!--`, even if a page inlines the file.
fn script(name: &str, payload: &impl serde::Serialize) -> String {
    // Serialised into one buffer (through `format!` the payload was written in thousands
    // of small pieces, the buffer growing and copied as it went).
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(b"kyosoSearch.data(");
    serde_json::to_writer(&mut out, name).expect("json");
    out.push(b',');
    serde_json::to_writer(&mut out, payload).expect("json");
    out.extend_from_slice(b");\n");
    // serde_json writes UTF-8; checked with simdutf8 (std's check of 13 MB of mostly
    // Japanese text was half a percent of a build).
    assert!(simdutf8::basic::from_utf8(&out).is_ok(), "serde_json writes UTF-8");
    // SAFETY: just checked.
    let text = unsafe { String::from_utf8_unchecked(out) };
    if text.contains('<') {
        text.replace('<', "\\u003c")
    } else {
        text
    }
}

/// The browser's files for `docs`, from their inverted index, each handed to `put` (path
/// under `search/`, text) as soon as it is made.
/// `labels` names the collections in the search page's filters.
///
/// Handed over one by one, not returned as a list: at 100,000 documents the files are
/// 220 MB of text, and a build that held all of them until the last was made reached its
/// peak memory here. A build writes each file and frees it at once.
pub fn export<E: Send>(
    analyzer: &Analyzer,
    docs: &[DocInfo],
    index: Inverted,
    labels: &crate::theme::labels::Labels,
    put: &(impl Fn(String, String) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let num_docs = docs.len();
    let averages: Vec<f64> =
        index.total_tokens.iter().map(|&t| if num_docs == 0 { 0.0 } else { t as f64 / num_docs as f64 }).collect();
    // Field-norm ids per field, in document order (one list, not one per posting).
    let field_norms: Vec<String> = index
        .norm_ids
        .iter()
        .map(|ids| {
            let mut s = String::with_capacity(ids.len() * 2);
            for &id in ids {
                push_varint(&mut s, u64::from(id));
            }
            s
        })
        .collect();

    let next_chars: String = index.next.iter().collect();
    // Shards in UTF-16 order, the order JavaScript compares strings in.
    let mut sorted = index.terms;
    sorted.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    // Cut into shards first, then write them on every core.
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (k, (term, postings)) in sorted.iter().enumerate() {
        // A very common term gets a shard of its own, so a query for it does not also
        // download a shard's worth of unrelated terms.
        if k > start && postings.len() >= SHARD_CHARS / 2 {
            cuts.push(start..k);
            (start, size) = (k, 0);
        }
        size += term.len() + postings.len() + 6;
        if size >= SHARD_CHARS {
            cuts.push(start..k + 1);
            (start, size) = (k + 1, 0);
        }
    }
    if start < sorted.len() {
        cuts.push(start..sorted.len());
    }
    let shard_firsts: Vec<String> = cuts.iter().map(|r| sorted[r.start].0.clone()).collect();
    // The letter words of 4 letters or more, one file per length: what a query word in no
    // document may be a typo of (`analyzer::one_typo_apart`), loaded only then.
    let mut words: std::collections::BTreeMap<usize, Vec<&str>> = std::collections::BTreeMap::new();
    for (term, _) in &sorted {
        if term.len() >= super::analyzer::TYPO_MIN_LEN - 1 && super::analyzer::is_letter_word(term) {
            words.entry(term.len()).or_default().push(term);
        }
    }
    let word_lengths: Vec<usize> = words.keys().copied().collect();
    let reading_firsts = reading_files(&SiteReadings::new(Dictionary::ipadic(), &index.found), put)?;
    for (len, list) in &words {
        put(format!("w/{len}.js"), script(&format!("w/{len}"), &json!(list)))?;
    }
    cuts.par_iter().enumerate().try_for_each(|(n, r)| {
        let mut payload = String::with_capacity(r.len() * 16);
        let mut prev = "";
        for (term, postings) in &sorted[r.clone()] {
            push_front_coded(&mut payload, prev, term);
            payload.push(' ');
            payload.push_str(postings);
            prev = term;
        }
        put(format!("t/{n}.js"), script(&format!("t/{n}"), &payload))
    })?;
    // The terms and postings are the largest part of the index; the rest does not need them.
    drop(words);
    drop(sorted);

    // Facet vocabularies and each document's values, as indexes into them.
    let collections: Vec<Collection> = Collection::ALL.to_vec();
    let mut prefectures: Vec<String> = docs.iter().filter_map(|d| d.prefecture.clone()).collect();
    prefectures.sort_by_key(|p| (vocab::prefecture_order(p), p.clone()));
    prefectures.dedup();
    let mut municipalities: Vec<(String, String)> = docs
        .iter()
        .flat_map(|d| d.municipalities.iter().map(move |m| (d.prefecture.clone().unwrap_or_default(), m.clone())))
        .collect();
    // One look-up of the prefecture's place per entry, not two per comparison.
    municipalities.sort_by_cached_key(|(p, m)| (vocab::prefecture_order(p), p.clone(), m.clone()));
    municipalities.dedup();
    let mut domains: Vec<String> = docs.iter().flat_map(|d| d.domains.clone()).collect();
    domains.sort_by_key(|d| (vocab::DOMAINS.iter().position(|x| x == d).unwrap_or(usize::MAX), d.clone()));
    domains.dedup();
    let mut kinds: Vec<String> = docs.iter().filter_map(|d| d.kind.clone()).collect();
    kinds.sort_by_key(|k| (vocab::ACTOR_KINDS.iter().position(|x| x == k).unwrap_or(usize::MAX), k.clone()));
    kinds.dedup();
    let pos = |v: &[String], x: &str| v.iter().position(|y| y == x).map_or(0, |p| p as u64 + 1);
    let muni_pos: HashMap<(&str, &str), u64> =
        municipalities.iter().enumerate().map(|(i, (p, m))| ((p.as_str(), m.as_str()), i as u64)).collect();
    let mut facets = String::new();
    for d in docs {
        push_varint(&mut facets, collections.iter().position(|c| *c == d.collection).unwrap_or(0) as u64);
        push_varint(&mut facets, d.prefecture.as_deref().map_or(0, |p| pos(&prefectures, p)));
        push_varint(&mut facets, d.kind.as_deref().map_or(0, |k| pos(&kinds, k)));
        push_varint(&mut facets, d.domains.len() as u64);
        for x in &d.domains {
            push_varint(&mut facets, pos(&domains, x) - 1);
        }
        push_varint(&mut facets, d.municipalities.len() as u64);
        for m in &d.municipalities {
            push_varint(&mut facets, muni_pos[&(d.prefecture.as_deref().unwrap_or(""), m.as_str())]);
        }
    }
    put("docs.js".into(), script("docs", &json!({"n": num_docs, "facets": facets, "norms": field_norms})))?;

    // Result records in files of DOC_CHUNK, so a site of 10,000 documents has 1,000 small
    // files rather than 10,000 tiny ones (each file costs the writer and the web server).
    docs.par_chunks(DOC_CHUNK).enumerate().try_for_each(|(c, chunk)| {
        let records: Vec<Value> = chunk
            .iter()
            .map(|d| {
                let region = match (&d.prefecture, d.collection) {
                    (Some(p), Collection::Case) if !d.municipalities.is_empty() => format!("{p} {}", d.municipalities[0]),
                    (Some(p), _) => p.clone(),
                    _ => String::new(),
                };
                let mut record = json!({"t": d.title, "u": d.url, "r": region, "s": d.summary, "k": d.kind});
                // The start of the body is the snippet only of documents without a summary.
                if d.summary.is_empty() {
                    record["x"] = json!(d.text);
                }
                record
            })
            .collect();
        put(format!("d/{c}.js"), script(&format!("d/{c}"), &Value::Array(records)))
    })?;

    let norms: Vec<u32> = (0..=255u8).map(tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm).collect();
    let manifest = json!({
        "version": FORMAT_VERSION,
        "n": num_docs,
        "chunk": DOC_CHUNK,
        "fields": FIELDS.iter().zip(&averages).map(|((name, boost), avg)| json!({"name": name, "boost": boost, "avg": avg})).collect::<Vec<_>>(),
        "norms": norms,
        "folds": analyzer.fold_table(),
        "next": next_chars,
        "groups": analyzer.groups,
        "shards": shard_firsts,
        "words": word_lengths,
        "readings": reading_firsts,
        "collections": collections.iter().map(|c| json!({"id": c.name(), "label": labels.collection(*c)})).collect::<Vec<_>>(),
        "prefectures": prefectures,
        "municipalities": municipalities,
        "domains": domains,
        "kinds": kinds,
    });
    put("manifest.js".into(), script("manifest", &manifest))
}

/// Marks how many UTF-16 units (0–9) a term shares with the one before it in a `t/` file;
/// neither a posting character nor in any term, and written as is in JSON.
const SHARED_MARKS: &[u8; 10] = b"!#$%&'()*+";

/// Appends `term` front-coded against `prev`: the mark of the UTF-16 units they share at
/// the start (whole characters, at most 9), then the rest of `term`.
fn push_front_coded(out: &mut String, prev: &str, term: &str) {
    let (mut units, mut bytes) = (0, 0);
    for (a, b) in prev.chars().zip(term.chars()) {
        if a != b || units + a.len_utf16() > 9 {
            break;
        }
        units += a.len_utf16();
        bytes += a.len_utf8();
    }
    out.push(char::from(SHARED_MARKS[units]));
    out.push_str(&term[bytes..]);
}

/// Hands `put` the `r/<i>.js` files of a site's readings (paths under `search/`) and
/// returns the first reading of each (for the manifest: a reading is looked up in the last
/// file whose first reading is not after it). A file's payload is written as a `t/` file's
/// is, each reading front-coded and followed by a space and its words separated by spaces:
/// `!かんすう 関数#ゅう 吸う`.
fn reading_files<E>(readings: &SiteReadings, put: &impl Fn(String, String) -> Result<(), E>) -> Result<Vec<String>, E> {
    let mut firsts = Vec::new();
    let (mut payload, mut prev) = (String::new(), "");
    for (reading, words) in &readings.0 {
        if payload.is_empty() {
            firsts.push(reading.clone());
            prev = "";
        }
        push_front_coded(&mut payload, prev, reading);
        payload.push(' ');
        payload.push_str(&words.join(" "));
        prev = reading;
        if payload.chars().count() >= READING_SHARD_CHARS {
            let n = firsts.len() - 1;
            put(format!("r/{n}.js"), script(&format!("r/{n}"), &std::mem::take(&mut payload)))?;
        }
    }
    if !payload.is_empty() {
        let n = firsts.len() - 1;
        put(format!("r/{n}.js"), script(&format!("r/{n}"), &payload))?;
    }
    Ok(firsts)
}
