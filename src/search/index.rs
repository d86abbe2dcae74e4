//! The build-time tantivy index: one document per published item, text fields analysed
//! with [`Analyzer`], with frequencies and positions. `kyoso search` reads its postings and
//! scores them as the browser does (tantivy's BM25, phrases from positions); the browser's
//! index holds the same postings and statistics (`postings.rs`).

use super::analyzer::{word_text, Analyzer, QueryToken, QueryWord};
use super::readings::{alternatives, SiteReadings};
use crate::markdown::Rendered;
use crate::model::{Doc, Meta};
use crate::schema::Collection;
use crate::site::Site;
use rayon::prelude::*;
use std::borrow::Cow;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{doc, DocSet, Index, IndexReader, InvertedIndexReader, Searcher, Term, TERMINATED};

/// Text fields, their boosts (title matches count most), in export order. The body field
/// also carries the item's 分野, region, kind and tags, so a reader's word for a category
/// costs one posting per document, not two.
pub const FIELDS: &[(&str, f32)] = &[("title", 3.0), ("summary", 1.5), ("body", 1.0)];

/// Longest body text kept for snippets in the browser (a document's lead keeps as much).
pub const SNIPPET_CHARS: usize = crate::text::Lead::CHARS;

/// What the results list and the facets know about a document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocInfo {
    pub title: String,
    pub url: String,
    pub collection: Collection,
    pub summary: String,
    pub text: String,
    pub domains: Vec<String>,
    pub prefecture: Option<String>,
    pub municipalities: Vec<String>,
    pub kind: Option<String>,
}

pub struct SearchIndex {
    pub analyzer: Analyzer,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Vec<Field>,
    pub id_field: Field,
    pub docs: Vec<DocInfo>,
    /// The readings of the site's words in kanji: what the browser's `r/` files hold.
    pub readings: SiteReadings,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub doc: usize,
    pub score: f32,
}

/// tantivy adapter for the analyzer.
#[derive(Clone)]
struct KyosoTokenizer(std::sync::Arc<Analyzer>);

/// The folded text and its token ranges; one `Token` whose text buffer is reused.
struct Tokens {
    folded: String,
    ranges: Vec<(usize, usize)>,
    i: usize,
    token: Token,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        let Some(&(a, b)) = self.ranges.get(self.i) else { return false };
        self.token.text.clear();
        self.token.text.push_str(&self.folded[a..b]);
        self.token.position = self.i;
        self.token.offset_from = a;
        self.token.offset_to = b;
        self.i += 1;
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for KyosoTokenizer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let folded = self.0.fold(text);
        let ranges = super::analyzer::index_token_ranges(&folded);
        Tokens { folded, ranges, i: 0, token: Token::default() }
    }
}

pub const TOKENIZER: &str = "kyoso_ja";

impl SearchIndex {
    /// Indexes every published document (drafts never reach `site.docs`).
    pub fn build(site: &Site, bodies: &[crate::bodies::Body]) -> tantivy::Result<SearchIndex> {
        let analyzer = Analyzer::new(&site.config.search.synonyms);
        let mut builder = Schema::builder();
        let indexing = TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = TextOptions::default().set_indexing_options(indexing);
        let fields: Vec<Field> = FIELDS.iter().map(|(name, _)| builder.add_text_field(name, text.clone())).collect();
        let id_field = builder.add_u64_field("id", STORED | FAST);
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register(TOKENIZER, tantivy::tokenizer::TextAnalyzer::from(KyosoTokenizer(std::sync::Arc::new(analyzer.clone()))));

        let docs = doc_infos(site, bodies);
        let folded: Vec<String> =
            site.docs.par_iter().zip(bodies).flat_map_iter(|(d, b)| field_texts(d, b).into_iter().map(|t| analyzer.fold(&t))).collect();
        let readings = SiteReadings::of_texts(folded.iter().map(String::as_str));
        drop(folded);
        // One thread and a generous budget keep all documents in one segment, in order, so
        // tantivy's doc ids are our document numbers.
        let mut writer = index.writer_with_num_threads(1, 512 * 1024 * 1024)?;
        for (i, d) in site.docs.iter().enumerate() {
            let mut document = doc!(id_field => i as u64);
            for (f, text) in fields.iter().zip(field_texts(d, &bodies[i])) {
                document.add_text(*f, text);
            }
            writer.add_document(document)?;
        }
        writer.commit()?;
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        reader.reload()?;
        Ok(SearchIndex { analyzer, index, reader, fields, id_field, docs, readings })
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Every document matching all query words, best first (ties: document order). An
    /// empty query matches everything, unscored.
    ///
    /// Scored as the browser scores (`search.js`, `Engine.search`), in the same order of
    /// additions, in f64: tantivy's BM25 per term and field with the field's boost. A word
    /// of one token (a term, a prefix's terms, a misspelt word's neighbours) adds up over
    /// its terms and fields; a word of several bigrams counts only in the fields where it
    /// is a phrase: where each bigram is followed by the next at the next position.
    pub fn search(&self, query: &str) -> tantivy::Result<(Vec<QueryWord>, Vec<Hit>)> {
        let words = self.analyzer.query_words(query);
        let n = self.docs.len();
        if words.is_empty() {
            return Ok((words, (0..n).map(|doc| Hit { doc, score: 0.0 }).collect()));
        }
        let searcher = self.searcher();
        // `build` leaves one segment, its documents in our order.
        let Some(seg) = searcher.segment_readers().first() else { return Ok((words, Vec::new())) };
        let mut fields = Vec::new();
        for (f, (_, boost)) in self.fields.iter().zip(FIELDS) {
            let inv = seg.inverted_index(*f)?;
            let avg = if n == 0 { 0.0 } else { inv.total_num_tokens() as f64 / n as f64 };
            fields.push(FieldScorer { field: *f, inv, norms: seg.get_fieldnorms_reader(*f)?, boost: f64::from(*boost), avg, n });
        }
        let mut total = vec![0f64; n];
        let mut alive: Option<Vec<usize>> = None;
        for word in &words {
            let mut score = vec![0f64; n];
            let mut matched = vec![false; n];
            // A word in kana also stands for the words it is the reading of; their scores
            // add up, in this order.
            for alternative in self.alternatives(word) {
                self.score_word(&searcher, &fields, &alternative, &mut score, &mut matched)?;
            }
            let next: Vec<usize> = match alive {
                None => (0..n).filter(|&d| matched[d]).collect(),
                Some(prev) => prev.into_iter().filter(|&d| matched[d]).collect(),
            };
            for &d in &next {
                total[d] += score[d];
            }
            alive = Some(next);
        }
        let mut hits: Vec<Hit> = alive.unwrap_or_default().into_iter().map(|doc| Hit { doc, score: total[doc] as f32 }).collect();
        hits.sort_by(|a, b| total[b.doc].total_cmp(&total[a.doc]).then(a.doc.cmp(&b.doc)));
        Ok((words, hits))
    }

    /// A query word, then the words it stands for as a reading (`readings::alternatives`),
    /// each analysed as a query word is; those that are not one word, or repeat one, are
    /// left out.
    fn alternatives(&self, word: &QueryWord) -> Vec<QueryWord> {
        let mut out = vec![word.clone()];
        for text in alternatives(&word_text(word), |r| self.readings.get(r)) {
            if let [alternative] = self.analyzer.query_words(&text).as_slice() {
                if !out.contains(alternative) {
                    out.push(alternative.clone());
                }
            }
        }
        out
    }

    /// Adds one query word's scores into `score` and marks the documents it matches.
    fn score_word(&self, searcher: &Searcher, fields: &[FieldScorer], word: &QueryWord, score: &mut [f64], matched: &mut [bool]) -> tantivy::Result<()> {
        if let [token] = word.as_slice() {
            for term in self.expand(searcher, token)? {
                for field in fields {
                    for p in field.postings(&term, false)? {
                        score[p.doc] += field.score(p.doc, p.tf, p.count);
                        matched[p.doc] = true;
                    }
                }
            }
        } else {
            for field in fields {
                let mut pieces = Vec::with_capacity(word.len());
                for token in word {
                    pieces.push(field.postings(token.text(), true)?);
                }
                for (doc, at) in phrase_docs(&pieces) {
                    for (piece, &i) in pieces.iter().zip(&at) {
                        score[doc] += field.score(doc, piece[i].tf, piece[i].count);
                    }
                    matched[doc] = true;
                }
            }
        }
        Ok(())
    }

    /// The index terms a query token stands for: itself, every term with its prefix, or
    /// (for a longer letter word in no field) every term one typo away.
    fn expand(&self, searcher: &Searcher, token: &QueryToken) -> tantivy::Result<Vec<String>> {
        match token {
            QueryToken::Exact(t) if super::analyzer::is_letter_word(t) && t.len() >= super::analyzer::TYPO_MIN_LEN => {
                // A longer word that is in no field stands for the words one typo away.
                let mut found = false;
                let mut near = std::collections::BTreeSet::new();
                for seg in searcher.segment_readers() {
                    for f in &self.fields {
                        let inv = seg.inverted_index(*f)?;
                        if inv.terms().get(t.as_bytes())?.is_some() {
                            found = true;
                        }
                        let mut stream = inv.terms().stream()?;
                        while !found && stream.advance() {
                            if let Ok(term) = std::str::from_utf8(stream.key()) {
                                if super::analyzer::one_typo_apart(t, term) {
                                    near.insert(term.to_string());
                                }
                            }
                        }
                    }
                }
                Ok(if found { vec![t.clone()] } else { near.into_iter().collect() })
            }
            QueryToken::Exact(t) => Ok(vec![t.clone()]),
            QueryToken::Prefix(p) => {
                let mut terms = std::collections::BTreeSet::new();
                for seg in searcher.segment_readers() {
                    for f in &self.fields {
                        let inv = seg.inverted_index(*f)?;
                        let mut stream = inv.terms().range().ge(p.as_bytes()).into_stream()?;
                        while stream.advance() {
                            let key = stream.key();
                            if !key.starts_with(p.as_bytes()) {
                                break;
                            }
                            terms.insert(String::from_utf8_lossy(key).into_owned());
                        }
                    }
                }
                Ok(terms.into_iter().collect())
            }
        }
    }
}

/// BM25 as tantivy computes it (k1 = 1.2, b = 0.75) for one field of the one segment.
struct FieldScorer {
    field: Field,
    inv: std::sync::Arc<InvertedIndexReader>,
    norms: FieldNormReader,
    boost: f64,
    avg: f64,
    n: usize,
}

/// One document of a term's postings in a field: its frequency, the number of documents
/// with the term in the field, and (when asked for) its positions.
struct Posted {
    doc: usize,
    tf: u32,
    count: u32,
    positions: Vec<u32>,
}

const K1: f64 = 1.2;
const B: f64 = 0.75;

impl FieldScorer {
    fn postings(&self, term: &str, positions: bool) -> tantivy::Result<Vec<Posted>> {
        let t = Term::from_field_text(self.field, term);
        let option = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
        let Some(mut postings) = self.inv.read_postings(&t, option)? else { return Ok(Vec::new()) };
        let count = self.inv.doc_freq(&t)?;
        let mut out = Vec::new();
        while postings.doc() != TERMINATED {
            let mut at = Vec::new();
            if positions {
                postings.positions(&mut at);
            }
            out.push(Posted { doc: postings.doc() as usize, tf: postings.term_freq(), count, positions: at });
            postings.advance();
        }
        Ok(out)
    }

    /// One term's score in one document (`search.js`, `scoreTerm`).
    fn score(&self, doc: usize, tf: u32, count: u32) -> f64 {
        let (n, c, tf) = (self.n as f64, f64::from(count), f64::from(tf));
        let idf = (1.0 + (n - c + 0.5) / (c + 0.5)).ln();
        let len = f64::from(FieldNormReader::id_to_fieldnorm(self.norms.fieldnorm_id(doc as u32)));
        self.boost * idf * (1.0 + K1) * tf / (tf + K1 * (1.0 - B + B * len / self.avg))
    }
}

/// The documents in which the pieces (each a bigram's postings in one field, by document)
/// form a phrase: every piece is followed by the next at the next position, somewhere
/// (`search.js` checks the same with the characters that follow each bigram). With each
/// document, the place of its posting in each piece.
fn phrase_docs(pieces: &[Vec<Posted>]) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    let Some((first, rest)) = pieces.split_first() else { return out };
    let mut cursors = vec![0usize; rest.len()];
    'docs: for (i0, p0) in first.iter().enumerate() {
        let mut at = vec![i0];
        for (piece, cursor) in rest.iter().zip(cursors.iter_mut()) {
            while *cursor < piece.len() && piece[*cursor].doc < p0.doc {
                *cursor += 1;
            }
            if *cursor == piece.len() || piece[*cursor].doc != p0.doc {
                continue 'docs;
            }
            at.push(*cursor);
        }
        let linked = pieces.windows(2).zip(at.windows(2)).all(|(w, a)| {
            let next = &w[1][a[1]].positions;
            w[0][a[0]].positions.iter().any(|p| next.binary_search(&(p + 1)).is_ok())
        });
        if linked {
            out.push((p0.doc, at));
        }
    }
    out
}

/// A document's text in each of [`FIELDS`], in order. The body field starts with the
/// item's 分野, region, kind and tags.
pub fn field_texts<'d>(d: &'d Doc, body: &'d Rendered) -> [Cow<'d, str>; 3] {
    let [(_, title), (_, summary), (_, meta), (_, text)] = field_pieces(d, Cow::Borrowed(&body.text));
    [title, summary, Cow::Owned(format!("{meta}\n{text}"))]
}

/// [`field_texts`] as the parallel indexer takes them, as (field number, text): the body
/// field in two pieces, so its text (`text`, the body's) is not copied once more to put
/// the other two in front.
pub fn field_pieces<'d>(d: &'d Doc, text: Cow<'d, str>) -> [(usize, Cow<'d, str>); 4] {
    [
        (0, Cow::Borrowed(d.common.title.as_str())),
        (1, Cow::Borrowed(d.common.summary.as_deref().unwrap_or(""))),
        (2, Cow::Owned(meta_text(d))),
        (2, text),
    ]
}

/// What the results list and the facets show of every document, in document order.
pub fn doc_infos(site: &Site, bodies: &[crate::bodies::Body]) -> Vec<DocInfo> {
    site.docs.par_iter().zip(bodies).map(|(d, b)| doc_info(d, b)).collect()
}

/// Text that describes an item without being in its body: 分野, region, kind, tags.
fn meta_text(d: &Doc) -> String {
    let mut parts: Vec<&str> = d.domains().iter().map(String::as_str).collect();
    parts.extend(d.common.tags.iter().map(String::as_str));
    if let Some(p) = d.prefecture() {
        parts.push(p);
    }
    parts.extend(d.municipalities());
    match &d.meta {
        Meta::Case(c) => {
            parts.extend(c.area.as_deref());
            parts.extend(c.partners.iter().map(String::as_str));
        }
        Meta::Actor(a) => {
            parts.push(&a.kind);
            parts.extend(a.core_business.as_deref());
            parts.extend(a.address.as_deref());
        }
        Meta::Event(e) => {
            parts.push(&e.kind);
            parts.extend(e.venue.as_deref());
        }
        Meta::Policy(p) => {
            parts.extend(p.ministry.as_deref());
        }
        Meta::Guide(g) => parts.extend(g.audience.as_deref()),
        Meta::Plain {} => {}
    }
    parts.join(" ")
}

fn doc_info(d: &Doc, body: &Rendered) -> DocInfo {
    let (text, _) = body.lead.flat_start(SNIPPET_CHARS);
    DocInfo {
        title: d.common.title.clone(),
        url: d.url.clone(),
        collection: d.collection,
        summary: d.common.summary.clone().unwrap_or_default(),
        text,
        domains: d.domains().to_vec(),
        prefecture: d.prefecture().map(str::to_string),
        municipalities: d.municipalities().into_iter().map(str::to_string).collect(),
        kind: d.actor().map(|a| a.kind.clone()),
    }
}

/// Facet filters shared by the CLI and the browser.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub collection: Option<String>,
    pub domain: Option<String>,
    pub prefecture: Option<String>,
    pub municipality: Option<String>,
    pub kind: Option<String>,
}

impl Filters {
    pub fn matches(&self, d: &DocInfo) -> bool {
        self.collection.as_deref().is_none_or(|c| d.collection.name() == c || d.collection.folder() == c)
            && self.domain.as_deref().is_none_or(|x| d.domains.iter().any(|y| y == x))
            && self.prefecture.as_deref().is_none_or(|x| d.prefecture.as_deref() == Some(x))
            && self.municipality.as_deref().is_none_or(|x| d.municipalities.iter().any(|y| y == x))
            && self.kind.as_deref().is_none_or(|x| d.kind.as_deref() == Some(x))
    }
}
