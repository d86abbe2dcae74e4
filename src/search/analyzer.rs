//! The Japanese analysis chain, used for the tantivy index at build time and mirrored line
//! for line in the browser (`themes/default/static/js/search.js`, `analyze`), so the words
//! a reader types are cut exactly the way the pages were (Pagefind #1237 is what happens
//! when they are not).
//!
//! 1. Unicode NFKC (`ＮＰＯ` → `NPO`, `ｶﾀｶﾅ` → `カタカナ`), then lower case.
//! 2. Katakana → hiragana (`カイモノ` = `かいもの`), with the spellings of loanwords folded
//!    (ー dropped, small vowels large, ヴ = ブ, コーディネイター = コーディネーター) and English
//!    plurals cut (`shortcodes` = `shortcode`): see [`fold_kana_and_words`].
//! 3. Variant folding: known spellings are rewritten to one form, longest match first
//!    (`買物` → `買い物`, `申込` → `申し込み`, `交通` → `移動`), from a built-in table plus
//!    the site's `[search] synonyms`. Okurigana variants share no bigram, so bigrams alone
//!    cannot find each other; folding both sides can.
//! 4. Tokens: runs of CJK characters become overlapping bigrams (plus the run's last
//!    character alone, so a one-character query can find characters at the end of a run);
//!    runs of letters and digits become words.
//!
//! A query word of CJK characters is a phrase of its overlapping bigrams (住民主体 →
//! 住民 民主 主体, see [`QueryWord`]): a page matches it only where every bigram is
//! followed by the next one, in one field. The index keeps, for each bigram in each page,
//! the characters that follow it there ([`successor`]), so 住民主 and 民主体 must both be
//! in the page: pieces that only occur apart (住民… 民主… …主体) no longer match.

use super::spelling::{fold_kana_and_words, fold_spelling, normalize, width_and_case};
use crate::text::{is_cjk, is_word, utf8_len};
use std::collections::HashMap;

/// Built-in variant groups for the platform's vocabulary: the first entry is the form the
/// others are folded to.
pub const BUILTIN_SYNONYMS: &[&[&str]] = &[
    &["買い物", "買物"],
    &["申し込み", "申込み", "申込", "申し込"],
    &["問い合わせ", "問合せ", "問い合せ", "問合わせ"],
    &["取り組み", "取組み", "取組"],
    &["取り扱い", "取扱い", "取扱"],
    &["手続き", "手続"],
    &["受け付け", "受付け", "受付"],
    &["見守り", "見守"],
    &["移動", "交通"],
    &["社会福祉協議会", "社協"],
    &["生活支援コーディネーター", "SC", "生活支援CO"],
    &["特定非営利活動法人", "NPO法人", "NPO"],
    &["地域包括支援センター", "包括支援センター"],
    &["通いの場", "かよいの場"],
    &["ボランティア", "ボランテイア"],
];

/// A query token: a term, or (for one CJK character) every term starting with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryToken {
    Exact(String),
    Prefix(String),
}

impl QueryToken {
    pub fn text(&self) -> &str {
        match self {
            QueryToken::Exact(s) | QueryToken::Prefix(s) => s,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Analyzer {
    /// First character → (variant, canonical), longest variant first; sorted by the
    /// character, looked up by binary search (a few dozen entries, probed once per
    /// character of every indexed text).
    folds: Vec<(char, Vec<(String, String)>)>,
    /// Bit `c` is set for every first character in `folds` (bit `c % 65536` for the few
    /// outside the Basic Multilingual Plane): all other characters are ruled out by one
    /// look-up in 8 KB before the binary search.
    first_bits: Vec<u64>,
    /// The first two characters of every variant, packed as by [`pair_at`], sorted: most
    /// places where a variant's first character occurs (か, 地, s) start none, and the
    /// pair rules them out before the variants are compared.
    pairs: Vec<u64>,
    /// Bit [`pair_slot`] of every pair in `pairs`: a pair that starts no variant (地域
    /// and か… start thousands of them per document) is ruled out by one look-up in
    /// 512 bytes, without the binary search.
    pair_bits: Vec<u64>,
    /// Some variant is a single character, so the pairs rule nothing out.
    single: bool,
    /// The groups as normalised surface forms, for highlighting in the browser.
    pub groups: Vec<Vec<String>>,
}

impl Analyzer {
    /// The built-in table plus extra groups (first entry = canonical form).
    pub fn new(extra: &[Vec<String>]) -> Analyzer {
        let mut a = Analyzer::default();
        let mut folds: HashMap<char, Vec<(String, String)>> = HashMap::new();
        let builtin = BUILTIN_SYNONYMS.iter().map(|g| g.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        for group in builtin.chain(extra.iter().cloned()) {
            let forms: Vec<String> = group.iter().map(|s| fold_spelling(s)).filter(|s| !s.is_empty()).collect();
            let Some(canonical) = forms.first().cloned() else { continue };
            for form in &forms {
                // The canonical form maps to itself so that a variant that is part of it
                // (見守 in 見守り) does not fold it twice.
                let first = form.chars().next().expect("non-empty");
                match pair_at(form.as_bytes(), 0) {
                    Some(pair) => a.pairs.push(pair),
                    None => a.single = true,
                }
                let entries = folds.entry(first).or_default();
                entries.retain(|(k, _)| k != form);
                entries.push((form.clone(), canonical.clone()));
            }
            a.groups.push(group.iter().map(|s| normalize(s)).filter(|s| !s.is_empty()).collect());
        }
        for entries in folds.values_mut() {
            entries.sort_by(|x, y| y.0.chars().count().cmp(&x.0.chars().count()).then(x.0.cmp(&y.0)));
        }
        a.pairs.sort_unstable();
        a.pairs.dedup();
        a.pair_bits = vec![0; PAIR_SLOTS / 64];
        for &p in &a.pairs {
            a.pair_bits[pair_slot(p) / 64] |= 1 << (pair_slot(p) % 64);
        }
        a.folds = folds.into_iter().collect();
        a.folds.sort_by_key(|(c, _)| *c);
        a.first_bits = vec![0; 1 << 10];
        for (c, _) in &a.folds {
            let bit = *c as usize % (1 << 16);
            a.first_bits[bit / 64] |= 1 << (bit % 64);
        }
        a
    }

    /// (variant, canonical) pairs, normalised, for the browser.
    pub fn fold_table(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self.folds.iter().flat_map(|(_, e)| e).cloned().collect();
        v.sort();
        v
    }

    /// Steps 1–3: the text as it is indexed, before tokenising. Unchanged stretches are
    /// copied whole; a variant is replaced where it starts (longest first) unless it is an
    /// ASCII key inside a longer ASCII word.
    pub fn fold(&self, text: &str) -> String {
        let (norm, candidates) = fold_kana_and_words(&width_and_case(text), Some(&self.first_bits));
        let bytes = norm.as_bytes();
        // Made at the first variant: most texts have none and are returned as normalised.
        let mut out = String::new();
        let (mut copied, mut skip_to) = (0, 0);
        // Only where a variant can start: `fold_kana_and_words` noted those positions while
        // it wrote the text, so the text is not read a second time.
        for i in candidates {
            let starts_a_pair = |p: u64| self.pair_bits[pair_slot(p) / 64] >> (pair_slot(p) % 64) & 1 == 1 && self.pairs.binary_search(&p).is_ok();
            if i < skip_to || !(self.single || pair_at(bytes, i).is_some_and(starts_a_pair)) {
                continue;
            }
            let c = norm[i..].chars().next().expect("a character starts here");
            let Ok(k) = self.folds.binary_search_by_key(&c, |(first, _)| *first) else { continue };
            for (key, canonical) in &self.folds[k].1 {
                if norm[i..].starts_with(key.as_str()) && word_boundary_ok(key, bytes, i) {
                    if copied == 0 {
                        out.reserve(norm.len() + 16);
                    }
                    out.push_str(&norm[copied..i]);
                    out.push_str(canonical);
                    copied = i + key.len();
                    skip_to = copied;
                    break;
                }
            }
        }
        if copied == 0 {
            return norm;
        }
        out.push_str(&norm[copied..]);
        out
    }

    /// Index tokens of a text, in order.
    pub fn index_tokens(&self, text: &str) -> Vec<String> {
        let folded = self.fold(text);
        index_token_ranges(&folded).into_iter().map(|(a, b)| folded[a..b].to_string()).collect()
    }

    /// Query words, de-duplicated, in order: a word of CJK characters is the phrase of
    /// its bigrams (住民主体 → 住民 民主 主体), one CJK character a prefix, a run of letters
    /// and digits one term.
    pub fn query_words(&self, query: &str) -> Vec<QueryWord> {
        let mut out: Vec<QueryWord> = Vec::new();
        for run in runs(&self.fold(query)) {
            let word = match run {
                Run::Cjk(chars) if chars.len() == 1 => vec![QueryToken::Prefix(chars[0].to_string())],
                Run::Cjk(chars) => chars.windows(2).map(|w| QueryToken::Exact(w.iter().collect())).collect(),
                Run::Word(w) => vec![QueryToken::Exact(w)],
            };
            if !out.contains(&word) {
                out.push(word);
            }
        }
        out
    }
}

/// One word of a query: its tokens. Two or more are the bigrams of a CJK word, which a
/// page matches only as a phrase; one is a term (or a prefix) matched on its own.
pub type QueryWord = Vec<QueryToken>;

/// A query word as the text it was cut from (住民 民主 主体 → 住民主体).
pub fn word_text(word: &[QueryToken]) -> String {
    let mut out = String::new();
    for (k, token) in word.iter().enumerate() {
        match k {
            0 => out.push_str(token.text()),
            _ => out.extend(token.text().chars().last()),
        }
    }
    out
}

/// Whether an index term is a bigram of two CJK characters: the only terms whose
/// postings carry the characters that follow them ([`successor`]).
pub fn is_bigram(term: &str) -> bool {
    let mut chars = term.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(a), Some(b), None) if is_cjk(a) && is_cjk(b))
}

/// Where the token `next` (byte range of the folded text) continues the bigram `prev`:
/// the character after `prev` in the text, when `next` is the bigram that overlaps it
/// (positions p and p + 1 in a CJK run). A phrase 住民主体 holds where 住民 is followed by
/// 主 and 民主 by 体.
#[inline]
pub fn successor(folded: &str, prev: (usize, usize), next: (usize, usize)) -> Option<char> {
    let first = folded[prev.0..prev.1].chars().next()?;
    if !is_cjk(first) || next.0 != prev.0 + first.len_utf8() || next.1 <= prev.1 {
        return None;
    }
    let c = folded[prev.1..].chars().next()?;
    (prev.1 + c.len_utf8() == next.1 && is_cjk(c)).then_some(c)
}

/// Shortest query word that may match a word one typo away (`shortcdoe` → `shortcode`).
/// Shorter words have too many neighbours (`model`/`modal` are five letters, but both are
/// in the index, and a word that is found is never widened).
pub const TYPO_MIN_LEN: usize = 5;

/// A word of ASCII lower-case letters: the only words a typo is forgiven in, and the
/// only index terms a misspelt query word may stand for (those of 4 letters or more).
pub fn is_letter_word(term: &str) -> bool {
    !term.is_empty() && term.bytes().all(|b| b.is_ascii_lowercase())
}

/// Whether a query word not in the index stands for `term`: both letter words, `term`
/// of 4 letters or more, and one edit apart (a letter added, dropped, changed, or two
/// neighbours swapped: the optimal string alignment distance is 1).
pub fn one_typo_apart(query: &str, term: &str) -> bool {
    if query.len() < TYPO_MIN_LEN || term.len() < TYPO_MIN_LEN - 1 || !is_letter_word(query) || !is_letter_word(term) {
        return false;
    }
    let (a, b) = (query.as_bytes(), term.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diff.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let i = (0..short.len()).find(|&i| short[i] != long[i]).unwrap_or(short.len());
            short[i..] == long[i + 1..]
        }
        _ => false,
    }
}

/// Bits of `Analyzer::pair_bits`.
const PAIR_SLOTS: usize = 4096;

fn pair_slot(pair: u64) -> usize {
    (pair.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize % PAIR_SLOTS
}

/// The two characters starting at byte `i` of UTF-8 text, their bytes as one number
/// (zero-padded); `None` at the last character.
fn pair_at(text: &[u8], i: usize) -> Option<u64> {
    let second = i + utf8_len(text[i]);
    let end = second + utf8_len(*text.get(second)?);
    let mut key = [0u8; 8];
    key[..end - i].copy_from_slice(&text[i..end]);
    Some(u64::from_le_bytes(key))
}

/// Index tokens as byte ranges of the folded text: every token (a bigram, a run's last
/// character, a word) is a contiguous slice of it, so the indexer needs no allocation per
/// token. Same rules as `runs`.
pub fn index_token_ranges(folded: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(folded.len() / 2);
    for_each_token(folded, |a, b, _| out.push((a, b)));
    out
}

/// Calls `token(start, end, continues)` for each index token of the folded text, in
/// order (the indexer counts them as they come, with no list of ranges in between).
/// `continues` is the token's [`successor`] of the one before: its last character when
/// both are bigrams of one CJK run that overlap. The tokenizer knows that from the run it
/// is in; working it out again from the two ranges decoded both tokens' characters, a
/// fifteenth of the indexer's instructions.
#[inline]
pub fn for_each_token(folded: &str, mut token: impl FnMut(usize, usize, Option<char>)) {
    let mut prev_cjk: Option<(usize, usize)> = None; // the previous CJK character
    // Whether the last token was a bigram of the current CJK run.
    let mut after_bigram = false;
    let mut word: Option<(usize, usize, usize)> = None; // (start, end, chars)
    macro_rules! flush_word {
        () => {
            if let Some((a, b, _)) = word.take() {
                token(a, b, None);
            }
        };
    }
    for (i, c) in folded.char_indices() {
        let end = i + c.len_utf8();
        if is_cjk(c) {
            flush_word!();
            if let Some((p, _)) = prev_cjk {
                token(p, end, after_bigram.then_some(c));
                after_bigram = true;
            }
            prev_cjk = Some((i, end));
        } else {
            after_bigram = false;
            if let Some((p, q)) = prev_cjk.take() {
                token(p, q, None);
            }
            if is_word(c) {
                word = match word {
                    Some((a, _, n)) if n >= MAX_WORD => Some((a, folded[a..].char_indices().nth(MAX_WORD).map_or(end, |(o, _)| a + o), n + 1)),
                    Some((a, _, n)) => Some((a, end, n + 1)),
                    None => Some((i, end, 1)),
                };
            } else {
                flush_word!();
            }
        }
    }
    if let Some((p, q)) = prev_cjk {
        token(p, q, None);
    }
    flush_word!();
}

/// An ASCII key (`sc`, `npo`) only folds as a whole word, not inside `disc`. `start` is
/// the key's byte offset in `text`; a neighbouring byte is an ASCII letter or digit only
/// if the neighbouring character is one (UTF-8 continuation bytes are ≥ 0x80).
fn word_boundary_ok(key: &str, text: &[u8], start: usize) -> bool {
    let key = key.as_bytes();
    let end = start + key.len();
    let first_ascii = key.first().is_some_and(u8::is_ascii_alphanumeric);
    let last_ascii = key.last().is_some_and(u8::is_ascii_alphanumeric);
    (!first_ascii || start == 0 || !text[start - 1].is_ascii_alphanumeric())
        && (!last_ascii || end >= text.len() || !text[end].is_ascii_alphanumeric())
}

enum Run {
    Cjk(Vec<char>),
    Word(String),
}

/// Longest words kept whole; longer runs (a pasted URL) are cut so the index stays small.
const MAX_WORD: usize = 40;

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush = |cjk: &mut Vec<char>, word: &mut String, out: &mut Vec<Run>| {
        if !cjk.is_empty() {
            out.push(Run::Cjk(std::mem::take(cjk)));
        }
        if !word.is_empty() {
            out.push(Run::Word(std::mem::take(word).chars().take(MAX_WORD).collect()));
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                flush(&mut Vec::new(), &mut word, &mut out);
            }
            cjk.push(c);
        } else if is_word(c) {
            if !cjk.is_empty() {
                flush(&mut cjk, &mut String::new(), &mut out);
            }
            word.push(c);
        } else {
            flush(&mut cjk, &mut word, &mut out);
        }
    }
    flush(&mut cjk, &mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a() -> Analyzer {
        Analyzer::new(&[])
    }

    #[test]
    fn width_case_and_kana_are_folded() {
        assert_eq!(normalize("ＮＰＯ"), "npo");
        assert_eq!(normalize("ｶﾀｶﾅ"), "かたかな");
        assert_eq!(a().index_tokens("カイモノ"), a().index_tokens("かいもの"));
    }

    #[test]
    fn okurigana_and_vocabulary_variants_meet() {
        let a = a();
        assert_eq!(a.fold("買物支援"), a.fold("買い物支援"));
        assert_eq!(a.fold("申込"), a.fold("申し込み"));
        assert_eq!(a.fold("申込み"), "申し込み");
        assert_eq!(a.fold("申込書"), "申し込み書");
        assert_eq!(a.fold("交通"), "移動");
        // A variant inside the canonical form is not folded again.
        assert_eq!(a.fold("見守り"), "見守り");
        assert_eq!(a.fold("見守る"), "見守りる");
    }

    #[test]
    fn katakana_spellings_of_one_word_meet() {
        let a = a();
        for (x, y) in [
            ("コーディネイター", "コーディネーター"),
            ("テンプレト", "テンプレート"),
            ("ヴァイオリン", "バイオリン"),
            ("ネイティヴ", "ネイティブ"),
            ("ボランテイア", "ボランティア"),
            ("インターフェイス", "インタフェース"),
            ("すーぱー", "スーパー"),
            ("ｺｰﾃﾞｨﾈｲﾀｰ", "コーディネーター"),
        ] {
            assert_eq!(a.index_tokens(x), a.index_tokens(y), "{x} / {y}");
        }
        // Different words stay apart: テイ and デイ keep their イ, hiragana keeps its い.
        assert_ne!(a.index_tokens("デイサービス"), a.index_tokens("デサービス"));
        assert_ne!(a.index_tokens("せいかつ"), a.index_tokens("せかつ"));
        assert_eq!(fold_spelling("ー"), "ー");
    }

    #[test]
    fn english_plurals_meet_their_singular() {
        for (x, y) in [("shortcodes", "shortcode"), ("Properties", "property"), ("watchers", "watcher"), ("props", "prop")] {
            assert_eq!(fold_spelling(x), fold_spelling(y), "{x} / {y}");
        }
        for kept in ["this", "class", "status", "axis", "has", "vue3s", "cafés"] {
            assert_eq!(fold_spelling(kept), normalize(kept), "{kept}");
        }
    }

    #[test]
    fn one_typo_in_a_longer_letter_word() {
        for (q, t) in [("shortcdoe", "shortcode"), ("componnet", "component"), ("reactve", "reactive"), ("templete", "template"), ("provde", "provide"), ("slotss", "slots")] {
            assert!(one_typo_apart(q, t), "{q} → {t}");
        }
        for (q, t) in [("model", "model"), ("modal", "model!"), ("shortcode", "shortcake"), ("prop", "props"), ("abcde", "edcba"), ("vue3x", "vue3")] {
            assert!(!one_typo_apart(q, t), "{q} → {t}");
        }
    }

    #[test]
    fn ascii_synonyms_need_word_boundaries() {
        let a = a();
        assert_eq!(a.fold("SCと協議体"), "生活支援こでいねたと協議体");
        assert_eq!(a.fold("disc"), "disc");
    }

    #[test]
    fn bigrams_with_run_end_unigram() {
        assert_eq!(a().index_tokens("地域の居場所"), vec!["地域", "域の", "の居", "居場", "場所", "所"]);
    }

    #[test]
    fn mixed_japanese_and_latin() {
        assert_eq!(a().index_tokens("NPO法人ABC2024年"), vec!["特定", "定非", "非営", "営利", "利活", "活動", "動法", "法人", "人", "abc2024", "年"]);
    }

    #[test]
    fn one_character_query_is_a_prefix() {
        let exact = |t: &str| QueryToken::Exact(t.into());
        assert_eq!(a().query_words("店"), vec![vec![QueryToken::Prefix("店".into())]]);
        assert_eq!(a().query_words("買い物 見守り 買物"), vec![vec![exact("買い"), exact("い物")], vec![exact("見守"), exact("守り")]]);
    }

    #[test]
    fn a_query_word_is_the_phrase_of_its_bigrams() {
        let t: Vec<Vec<String>> = a().query_words("住民主体 npo").into_iter().map(|w| w.iter().map(|t| t.text().to_string()).collect()).collect();
        assert_eq!(t, vec![vec!["住民", "民主", "主体"], vec!["特定", "定非", "非営", "営利", "利活", "活動", "動法", "法人"]]);
    }

    #[test]
    fn a_bigram_is_continued_by_the_bigram_that_overlaps_it() {
        let text = "住民主体のabc所";
        let r = index_token_ranges(text);
        let next: Vec<Option<char>> = r.windows(2).map(|w| successor(text, w[0], w[1])).collect();
        // 住民→民主 (主), 民主→主体 (体), 主体→体の (の), 体の→の (run end), の→abc, abc→所.
        assert_eq!(next, vec![Some('主'), Some('体'), Some('の'), None, None, None]);
        // The tokenizer says the same of each token as it cuts it, in any text.
        let pieces = ["住", "民", "主", "体", "の", "ア", "𠮷", "a", "bc", " ", "、"];
        for text in crate::testing::random_texts(&pieces, 3000, 10, 0x2545_F491_4F6C_DD1D) {
            let r = index_token_ranges(&text);
            let mut continues = Vec::new();
            for_each_token(&text, |_, _, c| continues.push(c));
            let expected: Vec<Option<char>> = r.windows(2).map(|w| successor(&text, w[0], w[1])).collect();
            assert_eq!(continues.get(1..).unwrap_or_default(), expected, "{text:?}");
            assert!(continues.first().is_none_or(Option::is_none), "{text:?}");
        }
        assert!(is_bigram("住民") && !is_bigram("所") && !is_bigram("ab") && !is_bigram("住民主"));
    }

    #[test]
    fn empty_and_symbol_queries_have_no_tokens() {
        assert!(a().query_words("").is_empty());
        assert!(a().query_words("　！？・「」 -- ").is_empty());
    }

    #[test]
    fn site_synonyms_extend_the_table() {
        let a = Analyzer::new(&[vec!["サロン".into(), "茶話会".into()]]);
        assert_eq!(a.fold("茶話会"), "さろん");
    }

    /// The chain as first written: NFKC, lower case and folding always applied, char by
    /// char. The fast paths above must give the same text for any input.
    fn plain_fold(a: &Analyzer, text: &str) -> String {
        let norm = fold_kana_and_words(&unicode_normalization::UnicodeNormalization::nfkc(text).collect::<String>().to_lowercase(), None).0;
        let chars: Vec<char> = norm.chars().collect();
        let ascii = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let (mut out, mut i) = (String::new(), 0);
        'outer: while i < chars.len() {
            if let Ok(k) = a.folds.binary_search_by_key(&chars[i], |(c, _)| *c) {
                for (key, canonical) in &a.folds[k].1 {
                    let key: Vec<char> = key.chars().collect();
                    let n = key.len();
                    if chars[i..].starts_with(&key)
                        && (!key[0].is_ascii_alphanumeric() || i == 0 || !ascii(chars.get(i - 1)))
                        && (!key[n - 1].is_ascii_alphanumeric() || !ascii(chars.get(i + n)))
                    {
                        out.push_str(canonical);
                        i += n;
                        continue 'outer;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    #[test]
    fn fast_paths_fold_like_the_plain_chain() {
        let a = Analyzer::new(&[vec!["サロン".into(), "茶話会".into()]]);
        let pieces = [
            "買物", "買い物", "申込", "NPO", "ＮＰＯ", "npo法人", "SC", "disc", "sc1", "ｶﾞｲﾄﾞ", "か\u{3099}", "ガ", "ΣΑΣ", "Straße",
            "İ", "ǅ", "ﬁ", "①", "㈱", "神", "\u{FA10}", "　", "見守り", "見守", "交通", "社協", "茶話会", "ボランテイア", "a", "Z", "9",
            " ", "、", "々", "𠮷", "é", "e\u{301}", "Ⅻ", "㌔", "～", "ー", "ヴ", "ゔ", "\n",
            "（", "）", "１２", "：", "ﾞ", "\u{3099}", "ｶ", "か", "ǲ", "ΣΑ", "σ", "A\u{30A}", "ﾟ", "ハ",
            "ぃ", "ぉ", "ァ", "ゖ", "䷀", "ㄅ", "plans", "ies", "シ", "ウ", "\u{3097}",
        ];
        for text in crate::testing::random_texts(&pieces, 5000, 7, 0x2545_F491_4F6C_DD1D) {
            assert_eq!(a.fold(&text), plain_fold(&a, &text), "{text:?}");
        }
    }
}
