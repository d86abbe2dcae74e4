//! Spellings folded before tokens are cut: full- and half-width forms and case (NFKC),
//! katakana as hiragana, the loanword spellings of katakana (ー, small vowels, ヴ,
//! コーディネイター = コーディネーター) and English plurals. The browser's `search.js`
//! mirrors each rule; the parity test in `tests/search.rs` holds them together.

use crate::text::{is_cjk, is_word};
use std::borrow::Cow;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// NFKC, lower case, katakana → hiragana: the text as a reader would compare it, with no
/// spelling folded (what highlighting looks for in a snippet, and the variant groups'
/// surface forms).
pub fn normalize(text: &str) -> String {
    width_and_case(text).chars().map(kata_to_hira).collect()
}

/// The text as it is indexed before the variant table: [`normalize`], and then the
/// spellings folded that no table has to list — katakana long vowels and small vowels,
/// ヴ, and English plurals (see [`fold_kana_and_words`]).
pub fn fold_spelling(text: &str) -> String {
    fold_kana_and_words(&width_and_case(text), None).0
}

/// Whether [`fold_spelling`] leaves `text` as it is because each of its characters is
/// one that no rule changes wherever it stands: kanji, 々, and hiragana but for the small
/// vowels and ゔ. Most of the reading dictionary's 120,000 words are, and folding each
/// was most of the time it takes to read (`readings.rs`).
pub fn folds_to_itself(text: &str) -> bool {
    text.chars().all(|c| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '々') || is_plain_hiragana(c))
}

/// Hiragana that no kana rule changes: all but the small vowels (written large after
/// kana) and ゔ (written ぶ).
fn is_plain_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}') && !matches!(c, 'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'ゔ')
}

/// NFKC and lower case (katakana kept: the katakana rules need to know the script).
///
/// Plain characters (see [`is_plain`]) are copied as they are but for ASCII capitals.
/// Only the stretches of other characters (full-width forms, half-width kana, sound
/// marks, accented letters), each with the plain character before it, go through the
/// full steps. That is exact: a plain character has combining class 0 and quick check
/// "Yes", so normalisation can be split before it (UAX #15, stable code points), and it
/// cannot take a mark that comes after it from the stretch, since the stretch starts with
/// it. Lower-casing is per character except for a final Σ, so text with Σ takes the full
/// steps whole.
pub(super) fn width_and_case(text: &str) -> String {
    // Σ is CE A3 in UTF-8; 0xCE is rare in Japanese text, and memchr needs no set-up
    // per call (a memmem finder did, on every one of the pieces a document comes in).
    let bytes = text.as_bytes();
    if memchr::memchr_iter(0xCE, bytes).any(|i| bytes.get(i + 1) == Some(&0xA3)) {
        return normalize_fully(text);
    }
    let mut out = String::with_capacity(text.len());
    // `text[..copied]` is in `out`; characters after it that stay as they are (most) are
    // copied in runs, when one that changes comes or at the end.
    let mut copied = 0;
    // Where the last plain character starts in `text` and in `out` (once copied).
    let mut last_plain: Option<(usize, usize)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_plain(c) {
            let mapped = c.to_ascii_lowercase();
            let at = if mapped == c {
                out.len() + (i - copied)
            } else {
                out.push_str(&text[copied..i]);
                let at = out.len();
                out.push(mapped);
                copied = i + c.len_utf8();
                at
            };
            last_plain = Some((i, at));
            continue;
        }
        out.push_str(&text[copied..i]);
        let (from, cut) = last_plain.take().unwrap_or((i, out.len()));
        let mut end = text.len();
        while let Some(&(j, d)) = chars.peek() {
            if is_plain(d) {
                end = j;
                break;
            }
            chars.next();
        }
        out.truncate(cut);
        out.push_str(&normalize_fully(&text[from..end]));
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Katakana → hiragana with the spelling variants of loanwords folded, and English words
/// cut to their singular, so that both spellings index alike (as kuromoji's katakana
/// stemmer and Sudachi's normalised forms make them meet):
///
/// - a long-vowel mark ー after kana is dropped (テンプレート = テンプレト, すーぱー = スーパー);
/// - a small vowel after kana is written large (ボランティア = ボランテイア, ファ = フア);
/// - ヴ is ブ, and ヴァ ヴィ ヴェ ヴォ are バ ビ ベ ボ (ヴァイオリン = バイオリン);
/// - a katakana イ after a katakana e-row syllable other than テ and デ is the long vowel
///   and dropped like ー (コーディネイター = コーディネーター, メイル = メール); after テ
///   and デ it is kept, since ティ and ディ are written テイ and デイ too;
/// - a word of ASCII letters of four or more loses its plural ending (Harman's S-stemmer:
///   `-ies` → `-y`, `-es` → `-e` but not after a, e, o, `-s` but not after u, s or i):
///   shortcodes = shortcode, properties = property.
///
/// Also notes (ascending) where in the result a character whose bit is set in `bits`
/// starts (see `Analyzer::first_bits`), so the variant table is tried only there.
pub(super) fn fold_kana_and_words(text: &str, bits: Option<&[u64]>) -> (String, Vec<usize>) {
    fold_kana::<true>(text, bits)
}

/// [`fold_kana_and_words`], with its fast paths for kanji and hiragana (`FAST`) or,
/// for the test that holds them to it, without.
fn fold_kana<const FAST: bool>(text: &str, bits: Option<&[u64]>) -> (String, Vec<usize>) {
    let marked = |c: char| bits.is_some_and(|b| {
        let bit = c as usize % (1 << 16);
        b[bit / 64] & 1 << (bit % 64) != 0
    });
    let mut out = String::with_capacity(text.len());
    let mut marks = Vec::new();
    // The last character written, if it is kana: (where it starts, the character, from
    // katakana, from ヴ).
    let mut prev: Option<(usize, char, bool, bool)> = None;
    // The ASCII-letter word being written: (where it starts, all ASCII lower-case letters).
    let mut word: Option<(usize, bool)> = None;
    let push = |out: &mut String, marks: &mut Vec<usize>, c: char| {
        if marked(c) {
            marks.push(out.len());
        }
        out.push(c);
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // U+4000 to U+9FFF (UTF-8 lead byte E4 to E9: the common kanji, a third of Japanese
        // text) are neither word characters nor kana: each ends a word and a kana run and is
        // written as it is. Copied as their three bytes, without decoding and re-encoding
        // them and asking each rule below (which was a fifth of the folding's instructions).
        if FAST && (0xE4..=0xE9).contains(&bytes[i]) {
            if let Some((start, true)) = word.take() {
                stem(&mut out, &mut marks, start, &marked);
            }
            prev = None;
            let code = u32::from(bytes[i] & 0x0F) << 12 | u32::from(bytes[i + 1] & 0x3F) << 6 | u32::from(bytes[i + 2] & 0x3F);
            if marked(char::from_u32(code).expect("a kanji")) {
                marks.push(out.len());
            }
            out.push_str(&text[i..i + 3]);
            i += 3;
            continue;
        }
        // Plain hiragana (E3 81 or E3 82: the other common third) are written as they are
        // too, and start or go on with a kana run. (One branch for both kinds decoded every
        // E3 character and cost 1 % more of a build's instructions.)
        if FAST && bytes[i] == 0xE3 && matches!(bytes[i + 1], 0x81 | 0x82) {
            let h = char::from_u32(0x3000 | u32::from(bytes[i + 1] & 0x3F) << 6 | u32::from(bytes[i + 2] & 0x3F)).expect("a character");
            if is_plain_hiragana(h) {
                if let Some((start, true)) = word.take() {
                    stem(&mut out, &mut marks, start, &marked);
                }
                let at = out.len();
                if marked(h) {
                    marks.push(at);
                }
                out.push_str(&text[i..i + 3]);
                prev = Some((at, h, false, false));
                i += 3;
                continue;
            }
        }
        let c = text[i..].chars().next().expect("a character starts here");
        i += c.len_utf8();
        if is_word(c) {
            let letter = c.is_ascii_lowercase();
            word = Some(match word {
                Some((start, all)) => (start, all && letter),
                None => (out.len(), letter),
            });
            prev = None;
            push(&mut out, &mut marks, c);
            continue;
        }
        if let Some((start, true)) = word.take() {
            stem(&mut out, &mut marks, start, &marked);
        }
        let kana = matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30F6}');
        let after_kana = prev.is_some();
        if c == 'ー' && after_kana {
            continue;
        }
        if !kana {
            prev = None;
            push(&mut out, &mut marks, c);
            continue;
        }
        let katakana = c >= '\u{30A1}';
        let h = kata_to_hira(c);
        if let (Some((at, _, _, true)), Some(large)) = (prev, vu_with(h)) {
            // ヴァ → バ: the ブ written for ヴ becomes the syllable.
            out.truncate(at);
            while marks.last().is_some_and(|&m| m >= at) {
                marks.pop();
            }
            push(&mut out, &mut marks, large);
            prev = Some((at, large, katakana, false));
            continue;
        }
        if let (true, Some((_, p, true, _))) = (c == 'イ', prev) {
            if matches!(p, 'え' | 'け' | 'せ' | 'ね' | 'へ' | 'め' | 'れ' | 'げ' | 'ぜ' | 'べ' | 'ぺ') {
                continue;
            }
        }
        let (h, vu) = match h {
            'ゔ' => ('ぶ', true),
            'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' if after_kana => (char::from_u32(h as u32 + 1).unwrap_or(h), false),
            _ => (h, false),
        };
        let at = out.len();
        push(&mut out, &mut marks, h);
        prev = Some((at, h, katakana, vu));
    }
    if let Some((start, true)) = word {
        stem(&mut out, &mut marks, start, &marked);
    }
    (out, marks)
}

/// The syllable ヴ makes with a following small vowel (already hiragana).
pub(super) fn vu_with(small: char) -> Option<char> {
    match small {
        'ぁ' => Some('ば'),
        'ぃ' => Some('び'),
        'ぇ' => Some('べ'),
        'ぉ' => Some('ぼ'),
        _ => None,
    }
}

/// Harman's S-stemmer on the word of ASCII lower-case letters `out[start..]`, for words
/// of four letters or more (`this`, `class`, `status` and `axis` keep their s).
pub(super) fn stem(out: &mut String, marks: &mut Vec<usize>, start: usize, marked: &impl Fn(char) -> bool) {
    let w = &out[start..];
    if w.len() < 4 {
        return;
    }
    let cut = if w.ends_with("ies") && !w.ends_with("eies") && !w.ends_with("aies") {
        Some((3, "y"))
    } else if (w.ends_with("es") && !w.ends_with("aes") && !w.ends_with("ees") && !w.ends_with("oes"))
        || (w.ends_with('s') && !w.ends_with("us") && !w.ends_with("ss") && !w.ends_with("is"))
    {
        Some((1, ""))
    } else {
        None
    };
    if let Some((n, add)) = cut {
        let end = out.len() - n;
        out.truncate(end);
        while marks.last().is_some_and(|&m| m >= end) {
            marks.pop();
        }
        for c in add.chars() {
            if marked(c) {
                marks.push(out.len());
            }
            out.push(c);
        }
    }
}

/// NFKC and lower case as defined, skipping them and lower-casing when a quick check says
/// they would change nothing.
pub(super) fn normalize_fully(text: &str) -> String {
    let nfkc: Cow<str> = match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfkc().collect()),
    };
    let changes_case = |c: char| if c.is_ascii() { c.is_ascii_uppercase() } else { !is_cjk(c) && c.to_lowercase().ne(std::iter::once(c)) };
    let lower: Cow<str> = if nfkc.chars().any(changes_case) { Cow::Owned(nfkc.to_lowercase()) } else { nfkc };
    lower.into_owned()
}

/// Characters that NFKC leaves alone whatever surrounds them (no decomposition, quick
/// check "Yes", combining class 0) and that have no case outside ASCII: ASCII, the common
/// Japanese punctuation, hiragana and katakana without the combining and spacing sound
/// marks, and the CJK ideographs without the compatibility block. Text made only of these
/// — nearly all Japanese prose — needs neither the NFKC nor the Unicode case tables.
pub(super) fn is_plain(c: char) -> bool {
    matches!(c as u32, 0x00..=0x7F | 0x3001..=0x301C | 0x3041..=0x3096 | 0x30A1..=0x30FC | 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

pub(super) fn kata_to_hira(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_folds_to_itself_does() {
        let pieces = ["見", "䷀", "㐀", "々", "〆", "あ", "ぁ", "ぃ", "ゃ", "っ", "ゔ", "ゖ", "ー", "カ", "a", "s", "ｱ", "ﾞ", "\u{3099}", "、"];
        let mut seen = 0;
        // Every pair of pieces (a rule may look at the character before), and longer texts.
        let pairs = pieces.iter().flat_map(|a| pieces.iter().map(move |b| format!("{a}{b}")));
        for text in pairs.chain(crate::testing::random_texts(&pieces, 5000, 6, 0x2545_F491_4F6C_DD1D)) {
            if folds_to_itself(&text) {
                // Against the fold without its fast paths, which share `is_plain_hiragana`.
                assert_eq!(fold_kana::<false>(&width_and_case(&text), None).0, text);
                seen += 1;
            }
        }
        assert!(seen > 100, "{seen}");
    }

    #[test]
    fn the_fast_paths_fold_as_the_character_by_character_loop() {
        let pieces = [
            "見", "守", "䷀", "一", "鿿", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ", "か", "ゔ", "ゖ", "ゝ", "ー", "ヴ", "ァ", "ィ", "カ", "テ", "イ", "ネ", "ケ",
            "plans", "ies", "es", "a", "1", " ", "、", "。", "𠮷", "é", "\n",
        ];
        // Marks on about one character in three, so that their places are compared too.
        let bits: Vec<u64> = (0..1024).map(|w| 0x9249_2492_4924_9249u64.rotate_left(w % 3)).collect();
        for text in crate::testing::random_texts(&pieces, 5000, 10, 0x9E37_79B9_7F4A_7C15) {
            assert_eq!(fold_kana::<true>(&text, Some(&bits)), fold_kana::<false>(&text, Some(&bits)), "{text:?}");
        }
    }
}
