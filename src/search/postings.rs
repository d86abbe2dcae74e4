//! The inverted index the browser files are cut from, built on every core.
//!
//! tantivy indexes on one thread and spends most of it appending each token to its
//! postings (at 10,000 generated documents, 16 million tokens, mostly CJK bigrams). The
//! browser only needs what tantivy's index holds in the end: per field, each term's
//! documents with their term frequency, each document's field-norm id and the field's
//! token total, and for a CJK bigram the characters that follow it in each document (what
//! tantivy's positions tell: the bigram at the next position is the one that overlaps it,
//! see `analyzer::successor`). This module computes exactly those, with the same analyzer and the same
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

use super::analyzer::{for_each_token, Analyzer};
use super::readings::{Dictionary, Found};
use super::varint::push_varint;
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::borrow::Cow;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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
    /// from the previous one times four, plus two when the frequency follows, plus one
    /// when the document has characters that follow the term; then those characters of
    /// each such document, as numbers in [`Inverted::next`] (`docs/search-index.md`).
    pub terms: Vec<(String, String)>,
    /// The characters that follow some bigram, most often first: a character is written
    /// as its place here, so the common ones (の, る, す) take one digit.
    pub next: Vec<char>,
    /// The reading dictionary's words that occur in the texts (`readings.rs`): scanned
    /// here, where each text is folded anyway, since a build frees the texts after.
    pub found: Found,
    /// The time the postings took, summed over the cores that made them: folding,
    /// scanning, counting, merging and encoding, without the texts' own making (a build
    /// renders each body's Markdown when the index asks for its text). `--timings` prints
    /// it, as no stage's wall time can show it: it runs inside the Markdown stage.
    pub work: Duration,
}

/// A term's postings in one field within one chunk: the first posting kept apart, so
/// that appending the next chunk only re-encodes its first delta.
struct Run {
    count: u64,
    /// (document, frequency, has characters that follow).
    first: (u32, u32, bool),
    last: u32,
    rest: String,
    /// The following characters of each posting that has some, in posting order, the
    /// last of each posting's set marked with [`LAST`]; written as numbers only at the
    /// end, when [`Inverted::next`] is known.
    next: Vec<u32>,
}

/// Marks the last following character of a posting in `Run::next`.
const LAST: u32 = 1 << 31;

impl Run {
    /// A run whose lists have room for `rest` bytes of postings and `next` following
    /// characters, so they are written without being copied as they grow.
    fn new(doc: u32, tf: u32, next: &[char], room: (usize, usize)) -> Run {
        let mut run = Run { count: 1, first: (doc, tf, !next.is_empty()), last: doc, rest: String::with_capacity(room.0), next: Vec::with_capacity(room.1) };
        run.push_next(next);
        run
    }

    fn push(&mut self, doc: u32, tf: u32, next: &[char]) {
        encode(&mut self.rest, doc - self.last, tf, !next.is_empty());
        self.push_next(next);
        self.last = doc;
        self.count += 1;
    }

    fn push_next(&mut self, next: &[char]) {
        if let Some((&last, rest)) = next.split_last() {
            self.next.extend(rest.iter().map(|&c| c as u32));
            self.next.push(last as u32 | LAST);
        }
    }

    /// Appends a later chunk's run of the same term and field.
    fn append(&mut self, next: Run) {
        self.rest.reserve(next.rest.len() + 4);
        encode(&mut self.rest, next.first.0 - self.last, next.first.1, next.first.2);
        self.rest.push_str(&next.rest);
        self.next.extend_from_slice(&next.next);
        self.last = next.last;
        self.count += next.count;
    }
}

/// One posting. Most terms occur once in a field, so the frequency is written only when
/// it is not 1, flagged in the second bit; the lowest says following characters come
/// (after the section's postings).
fn encode(out: &mut String, delta: u32, tf: u32, has_next: bool) {
    push_varint(out, 4 * u64::from(delta) + 2 * u64::from(tf != 1) + u64::from(has_next));
    if tf != 1 {
        push_varint(out, u64::from(tf));
    }
}

/// One term's runs, one slot per field.
type Runs = Vec<Option<Run>>;

/// A chunk's terms of one partition: per field, (term, run).
type Part = Vec<Vec<(String, Run)>>;

/// One chunk's result: its terms cut into partitions, its documents' token counts, and
/// how often each character follows a bigram (once per term, document and field).
struct Chunk {
    partitions: Vec<Part>,
    lengths: Vec<Vec<u32>>,
    next_counts: NextCounts,
    found: Found,
}

/// How often each character follows a bigram, by its code: a count is added once per
/// (term, document, field, character), millions of times in a build, and a hash map's
/// look-up was most of that.
#[derive(Default)]
struct NextCounts(Vec<u64>);

impl NextCounts {
    #[inline]
    fn add(&mut self, c: char) {
        let i = c as usize;
        if i >= self.0.len() {
            // In steps of powers of two: text runs into ever larger codes (kana, then
            // kanji of each range), and each step up copied the whole table.
            self.0.resize((i + 1).next_power_of_two(), 0);
        }
        self.0[i] += 1;
    }

    fn merge(&mut self, other: NextCounts) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// The characters counted, most often first (ties by code).
    fn ranked(self) -> Vec<char> {
        let mut next: Vec<(char, u64)> =
            self.0.into_iter().enumerate().filter(|&(_, n)| n > 0).map(|(c, n)| (char::from_u32(c as u32).expect("counted by its code"), n)).collect();
        next.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        next.into_iter().map(|(c, _)| c).collect()
    }
}

/// No following character (yet) in the chunk's list of them.
const NONE: u32 = u32::MAX;

/// The index as merged so far, chunk after chunk in document order.
struct Whole {
    total_tokens: Vec<u64>,
    norm_ids: Vec<Vec<u8>>,
    merged: Vec<FxHashMap<String, Runs>>,
    next_counts: NextCounts,
    found: Found,
}

impl Whole {
    /// Appends `chunks` (consecutive, in document order, after those added before).
    fn add(&mut self, chunks: Vec<Chunk>, num_fields: usize, work: &AtomicU64) {
        let by_partition = timed(work, || self.take_counts(chunks));
        // Chunks arrive in document order, so appending keeps postings sorted.
        self.merged.par_iter_mut().zip(by_partition).for_each(|(all, parts)| {
            timed(work, || {
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
            })
        });
    }

    /// Adds `chunks`' counts and lengths, and hands back their terms by partition.
    fn take_counts(&mut self, chunks: Vec<Chunk>) -> Vec<Vec<Part>> {
        let mut by_partition: Vec<Vec<Part>> = (0..PARTITIONS).map(|_| Vec::with_capacity(chunks.len())).collect();
        for c in chunks {
            self.found.merge(&c.found);
            self.next_counts.merge(c.next_counts);
            for (fi, lengths) in c.lengths.into_iter().enumerate() {
                self.total_tokens[fi] += lengths.iter().map(|&l| u64::from(l)).sum::<u64>();
                self.norm_ids[fi].extend(lengths.into_iter().map(tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id));
            }
            for (p, part) in c.partitions.into_iter().enumerate() {
                by_partition[p].push(part);
            }
        }
        by_partition
    }
}

/// Runs `f`, adding the time it took to `work` (nanoseconds, summed over threads).
fn timed<T>(work: &AtomicU64, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    work.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
    out
}

impl Inverted {
    /// `fields(i)` gives document `i`'s texts as (field number, text), in field order; a
    /// field may come in several pieces, indexed as if joined by a line break.
    pub fn build<'d, F, I>(analyzer: &Analyzer, n: usize, num_fields: usize, fields: F) -> Inverted
    where
        F: Fn(usize) -> I + Sync,
        I: IntoIterator<Item = (usize, Cow<'d, str>)>,
    {
        let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
        let work = AtomicU64::new(0);
        let mut whole = Whole {
            total_tokens: vec![0u64; num_fields],
            norm_ids: vec![Vec::with_capacity(n); num_fields],
            merged: (0..PARTITIONS).map(|_| FxHashMap::default()).collect(),
            next_counts: NextCounts::default(),
            found: Found::default(),
        };
        // A few chunks at a time, merged while the next few are indexed: a term is held once
        // per chunk until its merge, and at 100,000 documents all chunks at once would not
        // fit. Merging between waves instead left a core idle at each wave's slowest chunk
        // and through the merge's one-core part (2 % of the Markdown and index stage's time
        // at 10,000 documents).
        let mut ready: Vec<Chunk> = Vec::new();
        for wave in starts.chunks(WAVE.max(rayon::current_num_threads() * 2)) {
            let previous = std::mem::take(&mut ready);
            let (chunks, ()) = rayon::join(
                || wave.par_iter().map(|&start| chunk(analyzer, start, (start + CHUNK).min(n), num_fields, &fields, &work)).collect(),
                || whole.add(previous, num_fields, &work),
            );
            ready = chunks;
        }
        whole.add(ready, num_fields, &work);
        let Whole { total_tokens, norm_ids, merged, next_counts, found } = whole;
        let (next, rank) = timed(&work, || {
            let next = next_counts.ranked();
            // Each character's place, looked up by its code: a table up to the largest code
            // (for Japanese text 160 KB) instead of a hash map, whose look-up per character
            // was most of the encoding's time.
            let mut rank = vec![0u32; next.iter().map(|&c| c as usize + 1).max().unwrap_or(0)];
            for (i, &c) in next.iter().enumerate() {
                rank[c as usize] = i as u32;
            }
            (next, rank)
        });
        let terms: Vec<(String, String)> = merged
            .into_par_iter()
            .flat_map_iter(|all| timed(&work, || all.into_iter().map(|(term, runs)| (term, encode_runs(runs, &rank))).collect::<Vec<_>>()))
            .collect();
        Inverted { total_tokens, norm_ids, terms, next, found, work: Duration::from_nanos(work.into_inner()) }
    }
}

/// Documents `start..end`: each (document, field)'s tokens counted as they come, so the
/// chunk's postings grow once per (term, document), not once per token.
fn chunk<'d, F, I>(analyzer: &Analyzer, start: usize, end: usize, num_fields: usize, fields: &F, work: &AtomicU64) -> Chunk
where
    F: Fn(usize) -> I + Sync,
    I: IntoIterator<Item = (usize, Cow<'d, str>)>,
{
    // Each document's fields are asked for once: a build hands each text out once and
    // frees it after its chunk (see `handout.rs`), and makes it here (its Markdown), which
    // is not the index's work.
    let texts: Vec<Vec<(usize, Cow<'d, str>)>> = (start..end).map(|doc| fields(doc).into_iter().collect()).collect();
    timed(work, || postings_of(analyzer, start, end, num_fields, texts))
}

/// [`chunk`]'s work once it has its texts.
fn postings_of(analyzer: &Analyzer, start: usize, end: usize, num_fields: usize, texts: Vec<Vec<(usize, Cow<'_, str>)>>) -> Chunk {
    let mut terms = Terms::default();
    // Per field: (term number, document, frequency), appended in document order. One flat
    // list written front to back, where a growing buffer per term was written all over
    // memory (the indexer waited on memory more than it computed).
    //
    // Sized before the first posting from the chunk's text: a (document, field) has at
    // most one posting per token, and about one per 4 bytes of Japanese text (a bigram
    // per 3-byte character, some repeated). Grown by doubling instead, the lists were
    // copied over and over (5 MB per field and chunk, 0.7 % of a build's instructions);
    // room reserved and never written costs nothing.
    let mut text_bytes = vec![0usize; num_fields];
    for (fi, text) in texts.iter().flatten() {
        text_bytes[*fi] += text.len();
    }
    let mut postings: Vec<Vec<Posting>> = text_bytes.iter().map(|&b| Vec::with_capacity(b / 4 + 16)).collect();
    // Per field, the characters that follow a bigram, each posting's set a range of it.
    let mut nexts: Vec<Vec<char>> = text_bytes.iter().map(|&b| Vec::with_capacity(b / 4 + 16)).collect();
    let mut next_counts = NextCounts::default();
    let (dictionary, mut found) = (Dictionary::ipadic(), Found::default());
    // The current (document, field)'s following characters, each with the place of the
    // term's previous one (or [`NONE`]): a list per term threaded through one buffer, from
    // `Count::last_pair`. Sorting (term, character) pairs to group them was a twentieth of
    // a build's time on real text; a term's own list is a few characters, sorted alone.
    let mut pairs: Vec<(char, u32)> = Vec::new();
    let mut set: Vec<char> = Vec::new();
    let mut lengths = vec![vec![0u32; end - start]; num_fields];
    // Per term, its count in the current (document, field); the terms counted in it, in
    // the order first seen.
    let mut counts: Vec<Count> = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    // The (document, field) being counted.
    let mut current: Option<(usize, usize)> = None;
    let mut round = 0u32;
    let mut flush = |seen: &mut Vec<u32>, counts: &[Count], pairs: &mut Vec<(char, u32)>, fi: usize, doc: u32| {
        let (list, next) = (&mut postings[fi], &mut nexts[fi]);
        list.extend(seen.drain(..).map(|id| {
            let count = &counts[id as usize];
            let from = next.len() as u32;
            let mut at = count.last_pair;
            while at != NONE {
                let (c, previous) = pairs[at as usize];
                set.push(c);
                at = previous;
            }
            // Most terms have one following character or none.
            if set.len() > 1 {
                set.sort_unstable();
                set.dedup();
            }
            for &c in &set {
                next_counts.add(c);
            }
            next.append(&mut set);
            Posting { id, doc, tf: count.tf, from, to: next.len() as u32 }
        }));
        pairs.clear();
    };
    for (doc, fields) in (start..end).zip(texts) {
        for (fi, text) in fields {
            if text.is_empty() {
                continue;
            }
            // A field may come in pieces; its counts run on until the next field starts.
            if current != Some((doc, fi)) {
                if let Some((d, f)) = current {
                    flush(&mut seen, &counts, &mut pairs, f, d as u32);
                }
                current = Some((doc, fi));
                round += 1;
            }
            let folded = analyzer.fold(&text);
            dictionary.scan(&folded, &mut found);
            let mut tokens = 0u32;
            // The previous token's term.
            let mut prev: Option<u32> = None;
            for_each_token(&folded, |a, b, continues| {
                if b - a > MAX_TOKEN_LEN {
                    prev = None;
                    return;
                }
                tokens += 1;
                let id = terms.id(&folded, a, b) as usize;
                if let (Some(p), Some(c)) = (prev, continues) {
                    // A character that just followed the term here again is not kept twice.
                    let last = &mut counts[p as usize].last_pair;
                    if *last == NONE || pairs[*last as usize].0 != c {
                        pairs.push((c, *last));
                        *last = (pairs.len() - 1) as u32;
                    }
                }
                prev = Some(id as u32);
                if id == counts.len() {
                    counts.push(Count { round: 0, tf: 0, last_pair: NONE });
                }
                let count = &mut counts[id];
                if count.round != round {
                    *count = Count { round, tf: 0, last_pair: NONE };
                    seen.push(id as u32);
                }
                count.tf += 1;
            });
            lengths[fi][doc - start] += tokens;
        }
    }
    if let Some((d, f)) = current {
        flush(&mut seen, &counts, &mut pairs, f, d as u32);
    }
    let names = terms.names;
    let hasher = FxBuildHasher;
    let part_of: Vec<usize> = names.iter().map(|term| hasher.hash_one(term.as_str()) as usize % PARTITIONS).collect();
    let mut partitions: Vec<Part> = (0..PARTITIONS).map(|_| (0..num_fields).map(|_| Vec::new()).collect()).collect();
    for (fi, (list, following_chars)) in postings.into_iter().zip(nexts).enumerate() {
        // Each term's run made from the list in one pass, still in document order, each
        // sized first from the term's postings and following characters, so it is written
        // without being copied as it grows. A term's runs fit in the core's cache; a
        // counting sort of the list by term (20 bytes a posting, megabytes a chunk) did not.
        let mut room = vec![(0usize, 0usize); names.len()];
        for p in &list {
            let r = &mut room[p.id as usize];
            r.0 += 1;
            r.1 += (p.to - p.from) as usize;
        }
        let mut runs: Vec<Option<Run>> = (0..names.len()).map(|_| None).collect();
        for p in &list {
            let following = &following_chars[p.from as usize..p.to as usize];
            match &mut runs[p.id as usize] {
                Some(run) => run.push(p.doc, p.tf, following),
                slot => {
                    // Most postings take one or two characters (delta and flags, frequency).
                    let (postings, chars) = room[p.id as usize];
                    *slot = Some(Run::new(p.doc, p.tf, following, ((postings - 1) * 2, chars)));
                }
            }
        }
        for (id, run) in runs.into_iter().enumerate() {
            if let Some(run) = run {
                partitions[part_of[id]][fi].push((names[id].clone(), run));
            }
        }
    }
    Chunk { partitions, lengths, next_counts, found }
}

/// A chunk's terms, numbered in the order they are first seen. Tokens of up to 8 bytes
/// (CJK bigrams, short words: nearly all) are looked up by their bytes as one number in
/// an open-addressing table: one multiply to hash, one compare, no `memcmp`.
#[derive(Default)]
struct Terms {
    /// (packed token, number + 1); 0 is an empty slot. The length is a power of two.
    slots: Vec<(u64, u32)>,
    used: usize,
    long: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Terms {
    /// The number of the token `text[a..b]`, given one if it is new.
    #[inline]
    fn id(&mut self, text: &str, a: usize, b: usize) -> u32 {
        let Some(key) = pack(text.as_bytes(), a, b) else {
            let term = &text[a..b];
            if let Some(&id) = self.long.get(term) {
                return id;
            }
            let id = self.name(term);
            self.long.insert(term.to_string(), id);
            return id;
        };
        if self.used * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = slot_of(key, mask);
        loop {
            let (k, v) = self.slots[i];
            if k == key {
                return v - 1;
            }
            if k == 0 {
                let id = self.name(&text[a..b]);
                self.slots[i] = (key, id + 1);
                self.used += 1;
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    fn name(&mut self, term: &str) -> u32 {
        self.names.push(term.to_string());
        (self.names.len() - 1) as u32
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(4096);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        let mask = self.slots.len() - 1;
        for (k, v) in old.into_iter().filter(|&(k, _)| k != 0) {
            let mut i = slot_of(k, mask);
            while self.slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (k, v);
        }
    }
}

#[inline]
fn slot_of(key: u64, mask: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
}

/// The token `bytes[a..b]` of at most 8 bytes as one number: its bytes, zero-padded.
/// Tokens never hold a NUL (it is neither a CJK nor a word character), so two tokens get
/// the same number only if they are the same, and no token is 0.
#[inline]
fn pack(bytes: &[u8], a: usize, b: usize) -> Option<u64> {
    let len = b - a;
    if len > 8 {
        return None;
    }
    if let Some(word) = bytes.get(a..a + 8) {
        // One load and a mask instead of a copy of `len` bytes.
        let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        return Some(word & (u64::MAX >> (64 - 8 * len)));
    }
    let mut key = [0u8; 8];
    key[..len].copy_from_slice(&bytes[a..b]);
    Some(u64::from_le_bytes(key))
}

/// A term's count in the (document, field) being indexed, in one place so that a token
/// touches one cache line, not three.
#[derive(Clone, Copy)]
struct Count {
    /// The (document, field) it was last counted in, numbered from 1.
    round: u32,
    tf: u32,
    /// Its last following character in the chunk's list of them, or [`NONE`].
    last_pair: u32,
}

/// One (term, document, field) of a chunk: the term's number, its frequency, and its
/// following characters as a range of the field's list.
#[derive(Clone, Copy)]
struct Posting {
    id: u32,
    doc: u32,
    tf: u32,
    from: u32,
    to: u32,
}

/// The export encoding of one term over all its fields. A posting's following
/// characters are written after the section's postings, as their places in `rank`,
/// ascending: the first as 2 × place, each next as 2 × (the gap to the previous − 1),
/// plus one when another follows.
fn encode_runs(runs: Runs, rank: &[u32]) -> String {
    let mut out = String::new();
    let mut set: Vec<u64> = Vec::new();
    for (fi, run) in runs.into_iter().enumerate() {
        let Some(run) = run else { continue };
        push_varint(&mut out, fi as u64);
        push_varint(&mut out, run.count);
        encode(&mut out, run.first.0, run.first.1, run.first.2);
        out.push_str(&run.rest);
        for &c in &run.next {
            set.push(u64::from(rank[(c & !LAST) as usize]));
            if c & LAST != 0 {
                encode_set(&mut out, &mut set);
            }
        }
    }
    out
}

/// One posting's following characters, as their places (see [`encode_runs`]).
pub fn encode_set(out: &mut String, places: &mut Vec<u64>) {
    places.sort_unstable();
    let mut prev: Option<u64> = None;
    for (i, &r) in places.iter().enumerate() {
        let gap = prev.map_or(r, |p| r - p - 1);
        push_varint(out, 2 * gap + u64::from(i + 1 < places.len()));
        prev = Some(r);
    }
    places.clear();
}
