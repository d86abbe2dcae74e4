//! The inverted index the browser files are cut from, built on every core.
//!
//! tantivy indexes on one thread and spends most of it appending each token to its
//! postings (at 10,000 generated documents, 16 million tokens, mostly CJK bigrams). The
//! browser only needs what tantivy's index holds in the end: per field, each term's
//! documents with their term frequency, each document's field-norm id and the field's
//! token total. This module computes exactly those, with the same analyzer and the same
//! tantivy rules (tokens over [`MAX_TOKEN_LEN`] bytes dropped, `fieldnorm_to_id` for
//! lengths), in three steps:
//!
//! 1. documents in chunks, in parallel: each document's tokens are counted in a small
//!    map first, so a chunk's postings grow once per (term, document), not per token;
//! 2. the chunks' terms are cut into partitions by hash, and each partition is merged
//!    into the index in document order, in parallel, a few chunks at a time;
//! 3. each term's postings are written in the export's encoding (`docs/search-index.md`).
//!
//! `kyoso search` still queries tantivy; a test builds both on the same site and
//! requires the same statistics and postings, and the browser parity test requires the
//! same results.

use super::analyzer::{index_token_ranges, Analyzer};
use super::export::push_varint;
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::hash::BuildHasher;

/// tantivy drops tokens longer than this (bytes); so do we, so lengths agree.
pub use tantivy::tokenizer::MAX_TOKEN_LEN;

/// Documents per chunk: enough that a chunk's map amortises, few enough that both cores
/// get work at a few hundred documents.
const CHUNK: usize = 256;

/// Hash partitions the merge is cut into.
const PARTITIONS: usize = 64;

/// Chunks indexed before they are merged into the whole (at least; two per core).
const WAVE: usize = 4;

/// What the export needs of an index: statistics and postings per text field.
pub struct Inverted {
    /// Tokens in each field over all documents (tantivy's `total_num_tokens`).
    pub total_tokens: Vec<u64>,
    /// Each field's tantivy field-norm id per document.
    pub norm_ids: Vec<Vec<u8>>,
    /// Every term (unordered) with its postings in export encoding: for each field that
    /// has the term, the field number, the document count, then per document the delta
    /// from the previous one doubled, plus one when the frequency follows.
    pub terms: Vec<(String, String)>,
}

/// A term's postings in one field within one chunk: the first posting kept apart, so
/// that appending the next chunk only re-encodes its first delta.
struct Run {
    count: u64,
    first: (u32, u32),
    last: u32,
    rest: String,
}

impl Run {
    fn new(doc: u32, tf: u32) -> Run {
        Run { count: 1, first: (doc, tf), last: doc, rest: String::new() }
    }

    fn push(&mut self, doc: u32, tf: u32) {
        encode(&mut self.rest, doc - self.last, tf);
        self.last = doc;
        self.count += 1;
    }

    /// Appends a later chunk's run of the same term and field.
    fn append(&mut self, next: Run) {
        encode(&mut self.rest, next.first.0 - self.last, next.first.1);
        self.rest.push_str(&next.rest);
        self.last = next.last;
        self.count += next.count;
    }
}

/// One posting. Most terms occur once in a field, so the frequency is written only when
/// it is not 1, flagged in the lowest bit of the delta.
fn encode(out: &mut String, delta: u32, tf: u32) {
    push_varint(out, 2 * u64::from(delta) + u64::from(tf != 1));
    if tf != 1 {
        push_varint(out, u64::from(tf));
    }
}

/// One term's runs, one slot per field.
type Runs = Vec<Option<Run>>;

/// A chunk's terms of one partition: per field, (term, run).
type Part = Vec<Vec<(String, Run)>>;

/// One chunk's result: its terms cut into partitions, and its documents' token counts.
struct Chunk {
    partitions: Vec<Part>,
    lengths: Vec<Vec<u32>>,
}

impl Inverted {
    /// `fields(i)` gives document `i`'s text per field, in field order.
    pub fn build<F, I>(analyzer: &Analyzer, n: usize, num_fields: usize, fields: F) -> Inverted
    where
        F: Fn(usize) -> I + Sync,
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
        let mut total_tokens = vec![0u64; num_fields];
        let mut norm_ids = vec![Vec::with_capacity(n); num_fields];
        let mut merged: Vec<FxHashMap<String, Runs>> = (0..PARTITIONS).map(|_| FxHashMap::default()).collect();
        // A few chunks at a time, merged before the next: a term is held once per chunk
        // until its merge, and at 100,000 documents all chunks at once would not fit.
        for wave in starts.chunks(WAVE.max(rayon::current_num_threads() * 2)) {
            let chunks: Vec<Chunk> = wave.par_iter().map(|&start| chunk(analyzer, start, (start + CHUNK).min(n), num_fields, &fields)).collect();
            let mut by_partition: Vec<Vec<Part>> = (0..PARTITIONS).map(|_| Vec::with_capacity(chunks.len())).collect();
            for c in chunks {
                for (fi, lengths) in c.lengths.into_iter().enumerate() {
                    total_tokens[fi] += lengths.iter().map(|&l| u64::from(l)).sum::<u64>();
                    norm_ids[fi].extend(lengths.into_iter().map(tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id));
                }
                for (p, part) in c.partitions.into_iter().enumerate() {
                    by_partition[p].push(part);
                }
            }
            // Chunks arrive in document order, so appending keeps postings sorted.
            merged.par_iter_mut().zip(by_partition).for_each(|(all, parts)| {
                for part in parts {
                    for (fi, field) in part.into_iter().enumerate() {
                        for (term, run) in field {
                            let runs = all.entry(term).or_insert_with(|| (0..num_fields).map(|_| None).collect());
                            match &mut runs[fi] {
                                Some(a) => a.append(run),
                                slot => *slot = Some(run),
                            }
                        }
                    }
                }
            });
        }
        let terms: Vec<(String, String)> =
            merged.into_par_iter().flat_map_iter(|all| all.into_iter().map(|(term, runs)| (term, encode_runs(runs)))).collect();
        Inverted { total_tokens, norm_ids, terms }
    }
}

/// Documents `start..end`: each document's tokens counted first, so the chunk's postings
/// grow once per (term, document), not once per token.
fn chunk<F, I>(analyzer: &Analyzer, start: usize, end: usize, num_fields: usize, fields: &F) -> Chunk
where
    F: Fn(usize) -> I + Sync,
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    // The chunk's terms, numbered in the order they are first seen.
    let mut short_ids: FxHashMap<u64, u32> = FxHashMap::default();
    let mut long_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut names: Vec<String> = Vec::new();
    // Per field: (term number, document, frequency), appended in document order. One flat
    // list written front to back, where a growing buffer per term was written all over
    // memory (the indexer waited on memory more than it computed).
    let mut postings: Vec<Vec<(u32, u32, u32)>> = (0..num_fields).map(|_| Vec::new()).collect();
    let mut lengths = vec![Vec::with_capacity(end - start); num_fields];
    // Tokens of up to 8 bytes (CJK bigrams, short words: nearly all) are counted under
    // their bytes as one number, which hashes and compares without a `memcmp`; the count
    // keeps where the token is, to name it when it is new to the chunk.
    let mut short: FxHashMap<u64, (u32, u32, u32)> = FxHashMap::default();
    for doc in start..end {
        let doc_id = doc as u32;
        for (fi, text) in fields(doc).into_iter().enumerate() {
            let folded = analyzer.fold(text.as_ref());
            let mut long: FxHashMap<&str, u32> = FxHashMap::default();
            let mut tokens = 0u32;
            for (a, b) in index_token_ranges(&folded) {
                if b - a > MAX_TOKEN_LEN {
                    continue;
                }
                match pack(&folded.as_bytes()[a..b]) {
                    Some(key) => short.entry(key).or_insert((0, a as u32, b as u32)).0 += 1,
                    None => *long.entry(&folded[a..b]).or_insert(0) += 1,
                }
                tokens += 1;
            }
            lengths[fi].push(tokens);
            let list = &mut postings[fi];
            for (key, (tf, a, b)) in short.drain() {
                let id = *short_ids.entry(key).or_insert_with(|| number(&mut names, &folded[a as usize..b as usize]));
                list.push((id, doc_id, tf));
            }
            for (term, tf) in long {
                let id = match long_ids.get(term) {
                    Some(&id) => id,
                    None => {
                        let id = number(&mut names, term);
                        long_ids.insert(term.to_string(), id);
                        id
                    }
                };
                list.push((id, doc_id, tf));
            }
        }
    }
    // Each term's postings together, still in document order: a counting sort by term.
    let hasher = FxBuildHasher;
    let part_of: Vec<usize> = names.iter().map(|term| hasher.hash_one(term.as_str()) as usize % PARTITIONS).collect();
    let mut partitions: Vec<Part> = (0..PARTITIONS).map(|_| (0..num_fields).map(|_| Vec::new()).collect()).collect();
    for (fi, list) in postings.into_iter().enumerate() {
        let mut starts = vec![0usize; names.len() + 1];
        for &(id, _, _) in &list {
            starts[id as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut sorted = vec![(0u32, 0u32); list.len()];
        for (id, doc, tf) in list {
            sorted[next[id as usize]] = (doc, tf);
            next[id as usize] += 1;
        }
        for (id, name) in names.iter().enumerate() {
            let Some((&(doc, tf), rest)) = sorted[starts[id]..starts[id + 1]].split_first() else { continue };
            let mut run = Run::new(doc, tf);
            for &(doc, tf) in rest {
                run.push(doc, tf);
            }
            partitions[part_of[id]][fi].push((name.clone(), run));
        }
    }
    Chunk { partitions, lengths }
}

/// Numbers a term new to the chunk.
fn number(names: &mut Vec<String>, term: &str) -> u32 {
    names.push(term.to_string());
    (names.len() - 1) as u32
}

/// A token of at most 8 bytes as one number: its bytes, zero-padded. Tokens never hold a
/// NUL (it is neither a CJK nor a word character), so two tokens get the same number
/// only if they are the same.
fn pack(bytes: &[u8]) -> Option<u64> {
    if bytes.len() > 8 {
        return None;
    }
    let mut key = [0u8; 8];
    key[..bytes.len()].copy_from_slice(bytes);
    Some(u64::from_le_bytes(key))
}

/// The export encoding of one term over all its fields.
fn encode_runs(runs: Runs) -> String {
    let mut out = String::new();
    for (fi, run) in runs.into_iter().enumerate() {
        let Some(run) = run else { continue };
        push_varint(&mut out, fi as u64);
        push_varint(&mut out, run.count);
        encode(&mut out, run.first.0, run.first.1);
        out.push_str(&run.rest);
    }
    out
}
