//! Readings: a query word in hiragana (かいもの) also finds the words in kanji it is the
//! reading of (買い物), without the browser ever downloading a dictionary.
//!
//! The dictionary is IPADIC's (`readings/ipadic.tsv.gz`, made by `tools/readings.py`,
//! licence in `readings/COPYING`): 75,000 words that start with a kanji, with their readings.
//! At build time every indexed text is scanned for its words ([`Dictionary::scan`]), and
//! only the readings of words that occur on the site are published ([`SiteReadings`]), in
//! small files (`search/r/`) that the browser loads only for a query word written in kana.
//!
//! A hiragana query word is then an OR of itself and its [`alternatives`]: the words of its
//! exact reading, or, when it is no word's reading, the compounds of two words whose readings
//! make it up (きょうぎたい → 協議 + 体: IPADIC has no 協議体). Each alternative is a phrase
//! like any query word, so an alternative that is not on a page (協議対) finds nothing.
//! `kyoso search` and the browser (`search.js`, `readingAlternatives`) follow the same rules.

use super::spelling::{fold_spelling, folds_to_itself};
use std::borrow::Cow;
use crate::text::{is_cjk, utf8_len};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

/// The reading dictionary, gzipped UTF-8 lines `reading<TAB>surface surface …`.
const IPADIC: &[u8] = include_bytes!("readings/ipadic.tsv.gz");

/// Longest word looked for in a text, in characters (longer dictionary words are left out:
/// each character of a kanji run is tried against every length up to this).
const MAX_CHARS: usize = 8;

/// Most compounds a query word stands for ([`alternatives`]).
pub const MAX_COMPOUNDS: usize = 64;

/// The dictionary, spelling-folded as the index's text is ([`fold_spelling`]): each word
/// (surface) with the readings it has.
pub struct Dictionary {
    /// The surfaces as a trie of characters: (node, character) as one number ([`edge`]) →
    /// (the node it leads to, the number of the surface that ends there or [`NOT_A_WORD`]);
    /// node 0 is the root. The scan walks from a kanji one character at a time and stops at
    /// the first character that continues no word: two or three look-ups at most places.
    /// (It runs over every kanji of every indexed text. Trying each length down from the
    /// longest word took up to eight look-ups; a map keyed by the text of each start of a
    /// word hashed and compared strings: 7 % of a build's time, where one multiply per
    /// character hashes this key.)
    trie: FxHashMap<u64, (u32, u32)>,
    /// The root's edges by the kanji of [`ROOT_KANJI`], by code: every walk starts with
    /// one, and a table look-up needs no hashing (the rest of the trie is one look-up in
    /// three). (0, 0) where no word starts.
    root: Vec<(u32, u32)>,
    /// The surfaces' texts, one after another; surface `i` ends at `surface_ends[i]`.
    surfaces: String,
    surface_ends: Vec<u32>,
    /// (surface, reading) numbers, sorted, each pair once; surface `i`'s are from
    /// `reading_starts[i]`.
    surface_readings: Vec<(u32, u32)>,
    reading_starts: Vec<u32>,
    /// Folded readings (hiragana), one after another; reading `r` ends at `reading_ends[r]`.
    readings: String,
    reading_ends: Vec<u32>,
}

/// In [`Dictionary::trie`]: no word ends here, it only goes on.
const NOT_A_WORD: u32 = u32::MAX;

/// The trie's key of the edge from `node` by `c` (a character takes 21 bits).
#[inline]
fn edge(node: u32, c: char) -> u64 {
    u64::from(node) << 21 | u64::from(c)
}

/// The place in [`Dictionary::root`] of the edge from `node` by `c`, if it is kept there.
#[inline]
fn root_slot(node: u32, c: char) -> Option<usize> {
    (node == 0 && ROOT_KANJI.contains(&(c as u32))).then(|| (c as u32 - ROOT_KANJI.start()) as usize)
}

/// The kanji whose edges from the root are in [`Dictionary::root`]: the CJK blocks of the
/// BMP (extension A and the unified ideographs), where nearly every word starts.
const ROOT_KANJI: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;

/// The surfaces a site's text holds: one bit per surface number.
#[derive(Clone, Default)]
pub struct Found(Vec<u64>);

impl Found {
    fn insert(&mut self, id: u32) {
        let (w, b) = (id as usize / 64, id % 64);
        if self.0.len() <= w {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << b;
    }

    /// Adds what `other` found.
    pub fn merge(&mut self, other: &Found) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &bits)| (0..64).filter(move |b| bits >> b & 1 == 1).map(move |b| (w * 64 + b) as u32))
    }
}

/// A kanji (the first character of every dictionary word).
fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// A query word that may be a reading: two or more hiragana (katakana are folded to
/// hiragana before, so カイモノ is one too).
pub fn is_kana_word(word: &str) -> bool {
    word.chars().nth(1).is_some() && word.chars().all(|c| matches!(c, '\u{3041}'..='\u{309F}'))
}

impl Dictionary {
    /// The built-in dictionary, read once per process.
    pub fn ipadic() -> &'static Dictionary {
        static DICT: OnceLock<Dictionary> = OnceLock::new();
        DICT.get_or_init(|| {
            // The gzip trailer's last four bytes are the text's size: read into a string of
            // that size, it is not grown and copied (each copy faulting in fresh pages).
            let size = u32::from_le_bytes(IPADIC[IPADIC.len() - 4..].try_into().expect("four bytes"));
            let mut text = String::with_capacity(size as usize);
            flate2::read::GzDecoder::new(IPADIC).read_to_string(&mut text).expect("the built-in reading dictionary is gzipped UTF-8");
            Dictionary::parse(&text)
        })
    }

    /// Reads `reading<TAB>surface …` lines; readings and surfaces are folded as the
    /// index's text is, and dropped if folding leaves them unfit (a reading shorter than
    /// two kana, a surface that is not one CJK run starting with a kanji).
    ///
    /// Its words and readings are kept in a few long lists, not a string and a list per
    /// word: made of 240,000 small allocations, the built-in dictionary took 35 ms and
    /// 23 MB of fresh pages to read, 23 ms and 13.5 MB now (and the demo's whole build
    /// went from 0.069 s to 0.056 s). It is read on every build, small sites included.
    pub fn parse(text: &str) -> Dictionary {
        // Sized from the text: a word per space or tab at most. Every word adds at most one
        // edge below the root (most share their starts: 89,000 edges for 74,000 words).
        let words = memchr::memchr2_iter(b' ', b'\t', text.as_bytes()).count();
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let mut d = Dictionary {
            trie: FxHashMap::with_capacity_and_hasher(words, Default::default()),
            root: vec![(0, 0); ROOT_KANJI.clone().count()],
            surfaces: String::with_capacity(text.len() / 2),
            surface_ends: Vec::with_capacity(words),
            surface_readings: Vec::with_capacity(words),
            reading_starts: Vec::new(),
            readings: String::with_capacity(text.len() / 2),
            reading_ends: Vec::with_capacity(lines),
        };
        let mut reading_ids: FxHashMap<Cow<'_, str>, u32> = FxHashMap::with_capacity_and_hasher(lines, Default::default());
        let mut nodes = 0u32;
        for line in text.lines() {
            let Some((reading, surfaces)) = line.split_once('\t') else { continue };
            let reading = fold(reading);
            if !is_kana_word(&reading) {
                continue;
            }
            let next_id = d.reading_ends.len() as u32;
            let r = *reading_ids.entry(reading).or_insert_with_key(|reading| {
                d.readings.push_str(reading);
                d.reading_ends.push(d.readings.len() as u32);
                next_id
            });
            for surface in surfaces.split(' ') {
                let surface = fold(surface);
                let chars = surface.chars().count();
                let Some(first) = surface.chars().next() else { continue };
                if !is_kanji(first) || chars > MAX_CHARS || !surface.chars().all(is_cjk) {
                    continue;
                }
                let (mut node, mut last) = (0, (0, first));
                for c in surface.chars() {
                    let e = match root_slot(node, c) {
                        Some(i) => &mut d.root[i],
                        None => d.trie.entry(edge(node, c)).or_insert((0, NOT_A_WORD)),
                    };
                    if e.0 == 0 {
                        nodes += 1;
                        *e = (nodes, NOT_A_WORD);
                    }
                    (last, node) = ((node, c), e.0);
                }
                let end = match root_slot(last.0, last.1) {
                    Some(i) => &mut d.root[i],
                    None => d.trie.get_mut(&edge(last.0, last.1)).expect("the surface's last edge was just made"),
                };
                if end.1 == NOT_A_WORD {
                    d.surfaces.push_str(&surface);
                    d.surface_ends.push(d.surfaces.len() as u32);
                    end.1 = (d.surface_ends.len() - 1) as u32;
                }
                d.surface_readings.push((end.1, r));
            }
        }
        d.surface_readings.sort_unstable();
        d.surface_readings.dedup();
        d.reading_starts = Vec::with_capacity(d.surface_ends.len() + 1);
        let mut at = 0;
        for s in 0..=d.surface_ends.len() as u32 {
            d.reading_starts.push(at as u32);
            while at < d.surface_readings.len() && d.surface_readings[at].0 == s {
                at += 1;
            }
        }
        d
    }

    /// Surface `id`'s text.
    fn surface(&self, id: u32) -> &str {
        nth(&self.surfaces, &self.surface_ends, id)
    }

    /// Surface `id`'s readings.
    fn readings_of(&self, id: u32) -> impl Iterator<Item = &str> + '_ {
        let (from, to) = (self.reading_starts[id as usize] as usize, self.reading_starts[id as usize + 1] as usize);
        self.surface_readings[from..to].iter().map(|&(_, r)| nth(&self.readings, &self.reading_ends, r))
    }

    /// Notes in `found` the dictionary words of a folded text: in each run of CJK
    /// characters, from each kanji the longest word that starts there, the scan going on
    /// after it (買い物支援 → 買い物, 支援; 協議体 → 協議, 体).
    pub fn scan(&self, folded: &str, found: &mut Found) {
        let bytes = folded.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Only a kanji starts a word, and a kanji's UTF-8 starts E3 90 to E9 (U+3400 to
            // U+9FFF), EF (U+F900 on) or F0 (U+20000 on): the other characters (two thirds of
            // Japanese text, kana being E3 81 to E3 83) are passed over by their first
            // bytes, without decoding them.
            let b = bytes[i];
            let may_be_kanji = match b {
                0xE4..=0xE9 | 0xEF | 0xF0 => true,
                0xE3 => bytes[i + 1] >= 0x90,
                _ => false,
            };
            if !may_be_kanji {
                i += utf8_len(b);
                continue;
            }
            let c = folded[i..].chars().next().expect("a character starts here");
            if !is_kanji(c) {
                i += c.len_utf8();
                continue;
            }
            // Every start of a word is a node, so the walk reaches the longest word.
            let mut word = None;
            let (mut end, mut node) = (i, 0);
            for d in folded[i..].chars().take(MAX_CHARS) {
                if !is_cjk(d) {
                    break;
                }
                end += d.len_utf8();
                let (next, id) = match root_slot(node, d) {
                    Some(i) => self.root[i],
                    None => self.trie.get(&edge(node, d)).copied().unwrap_or((0, 0)),
                };
                if next == 0 {
                    break;
                }
                if id != NOT_A_WORD {
                    word = Some((id, end));
                }
                node = next;
            }
            match word {
                Some((id, end)) => {
                    found.insert(id);
                    i = end;
                }
                None => i += c.len_utf8(),
            }
        }
    }
}

/// Piece `i` of `text`, whose pieces end at `ends`, one after another.
fn nth<'t>(text: &'t str, ends: &[u32], i: u32) -> &'t str {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

/// `text` spelling-folded, without a copy when folding leaves it as it is.
fn fold(text: &str) -> Cow<'_, str> {
    if folds_to_itself(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(fold_spelling(text))
    }
}

/// The readings of the words a site holds: folded reading → its words (folded surfaces),
/// both in code-point order (which is JavaScript's UTF-16 order for these characters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteReadings(pub BTreeMap<String, Vec<String>>);

impl SiteReadings {
    pub fn new(dict: &Dictionary, found: &Found) -> SiteReadings {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for id in found.ids() {
            let surface = dict.surface(id);
            for reading in dict.readings_of(id) {
                map.entry(reading.to_string()).or_default().push(surface.to_string());
            }
        }
        for surfaces in map.values_mut() {
            surfaces.sort();
            surfaces.dedup();
        }
        SiteReadings(map)
    }

    /// The words a site's texts hold (each folded as the index folds it).
    pub fn of_texts<'t>(texts: impl IntoIterator<Item = &'t str>) -> SiteReadings {
        let dict = Dictionary::ipadic();
        let mut found = Found::default();
        for t in texts {
            dict.scan(t, &mut found);
        }
        SiteReadings::new(dict, &found)
    }

    pub fn get(&self, reading: &str) -> Option<&[String]> {
        self.0.get(reading).map(Vec::as_slice)
    }
}

/// What a folded query word stands for besides itself, in order: nothing unless it is two or
/// more hiragana; the words it is the reading of; else the compounds of two words (each of
/// a reading of two kana or more) whose readings make it up, by where the word is cut, then
/// in the order of the two words' lists, at most [`MAX_COMPOUNDS`]. `get` gives the site's
/// words of a reading (`search.js` mirrors this as `readingAlternatives`).
pub fn alternatives<'a>(word: &str, get: impl Fn(&str) -> Option<&'a [String]>) -> Vec<String> {
    if !is_kana_word(word) {
        return Vec::new();
    }
    if let Some(words) = get(word) {
        return words.to_vec();
    }
    let cuts: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let mut out: Vec<String> = Vec::new();
    for &j in cuts.iter().skip(2).take(cuts.len().saturating_sub(3)) {
        let (Some(a), Some(b)) = (get(&word[..j]), get(&word[j..])) else { continue };
        for x in a {
            for y in b {
                let compound = format!("{x}{y}");
                if out.len() < MAX_COMPOUNDS && !out.contains(&compound) {
                    out.push(compound);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> Dictionary {
        Dictionary::parse("かいもの\t買い物 買物\nきょうぎ\t協議\nたい\t体 対\nからだ\t体\nしえん\t支援\nき\t木\n")
    }

    fn site(text: &str) -> SiteReadings {
        let d = dict();
        let mut found = Found::default();
        d.scan(&fold_spelling(text), &mut found);
        SiteReadings::new(&d, &found)
    }

    #[test]
    fn only_the_words_of_the_text_are_kept_with_all_their_readings() {
        let s = site("買い物支援と協議体の木");
        let keys: Vec<&str> = s.0.keys().map(String::as_str).collect();
        // 木's reading of one kana is dropped; 買物 is not in the text.
        assert_eq!(keys, ["かいもの", "からだ", "きょうぎ", "しえん", "たい"]);
        assert_eq!(s.get("かいもの").unwrap(), ["買い物"]);
        assert_eq!(s.get("たい").unwrap(), ["体"]);
    }

    #[test]
    fn a_word_is_its_readings_words_or_else_two_words_read_together() {
        let s = site("買い物支援と協議体、対話");
        let get = |r: &str| s.get(r);
        assert_eq!(alternatives("かいもの", get), ["買い物"]);
        assert_eq!(alternatives("きょうぎたい", get), ["協議体", "協議対"]);
        assert!(alternatives("買い物", get).is_empty());
        assert!(alternatives("きょうぎかい", get).is_empty());
    }

    #[test]
    fn the_walk_finds_the_longest_word_at_each_place_as_trying_every_length_did() {
        // Words inside words, a word that is the start of a longer one, a start (生活支援)
        // that is no word itself; kanji of each first UTF-8 byte the scan looks for (㐂 E3,
        // 𠮷 F0, 﨑 EF) and a kanji outside the root's table (﨑).
        let d = Dictionary::parse("せいかつ\t生活\nしえん\t支援\nせいかつしえんいん\t生活支援員\nせいかつしえんきょうぎたい\t生活支援協議体\nきょうぎ\t協議\nきょうぎたい\t協議体\nたい\t体\nかつ\t活\nよしの\t𠮷野\nきき\t㐂活\nさきたい\t﨑体\n");
        let words: Vec<&str> = (0..d.surface_ends.len() as u32).map(|i| d.surface(i)).collect();
        // The plain scan: from each kanji, every length from the longest down.
        let plain = |text: &str| {
            let mut found = Vec::new();
            let mut skip_to = 0;
            for (i, c) in text.char_indices() {
                if i < skip_to || !is_kanji(c) {
                    continue;
                }
                let ends: Vec<usize> = text[i..].char_indices().skip(1).map(|(k, _)| i + k).chain([text.len()]).take(MAX_CHARS).collect();
                let run = text[i..].find(|c: char| !is_cjk(c)).map_or(text.len(), |k| i + k);
                if let Some(&end) = ends.iter().rev().filter(|&&e| e <= run).find(|&&e| words.contains(&&text[i..e])) {
                    found.push(words.iter().position(|w| *w == &text[i..end]).unwrap() as u32);
                    skip_to = end;
                }
            }
            found.sort_unstable();
            found.dedup();
            found
        };
        let pieces = ["生", "活", "支", "援", "員", "協", "議", "体", "、", "の", "a", "生活支援", "𠮷", "野", "㐂", "﨑", "ア"];
        for text in crate::testing::random_texts(&pieces, 3000, 12, 0x9E37_79B9_7F4A_7C15) {
            let mut found = Found::default();
            d.scan(&text, &mut found);
            assert_eq!(found.ids().collect::<Vec<_>>(), plain(&text), "{text:?}");
        }
    }
}
