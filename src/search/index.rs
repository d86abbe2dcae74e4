//! The build-time tantivy index: one document per published item, text fields analysed
//! with [`Analyzer`], BM25 scoring. `kyoso search` queries it; the browser index is
//! exported from it, and the browser scores with the same formula and statistics.

use super::analyzer::{Analyzer, QueryToken};
use crate::markdown::Rendered;
use crate::model::{Doc, Meta};
use crate::schema::Collection;
use crate::site::Site;
use rayon::prelude::*;
use std::borrow::Cow;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{doc, Index, IndexReader, Searcher, TantivyDocument, Term};

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
        let indexing = TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::WithFreqs);
        let text = TextOptions::default().set_indexing_options(indexing);
        let fields: Vec<Field> = FIELDS.iter().map(|(name, _)| builder.add_text_field(name, text.clone())).collect();
        let id_field = builder.add_u64_field("id", STORED | FAST);
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register(TOKENIZER, tantivy::tokenizer::TextAnalyzer::from(KyosoTokenizer(std::sync::Arc::new(analyzer.clone()))));

        let docs = doc_infos(site, bodies);
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
        Ok(SearchIndex { analyzer, index, reader, fields, id_field, docs })
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Every document matching all query tokens, best first (ties: document order). An
    /// empty query matches everything, unscored.
    pub fn search(&self, query: &str) -> tantivy::Result<(Vec<QueryToken>, Vec<Hit>)> {
        let tokens = self.analyzer.query_tokens(query);
        let searcher = self.searcher();
        if tokens.is_empty() {
            return Ok((tokens, (0..self.docs.len()).map(|doc| Hit { doc, score: 0.0 }).collect()));
        }
        let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in &tokens {
            let mut shoulds: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for term_text in self.expand(&searcher, t)? {
                for (f, (_, boost)) in self.fields.iter().zip(FIELDS) {
                    let tq = TermQuery::new(Term::from_field_text(*f, &term_text), IndexRecordOption::WithFreqs);
                    shoulds.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), *boost))));
                }
            }
            if shoulds.is_empty() {
                return Ok((tokens, Vec::new()));
            }
            musts.push((Occur::Must, Box::new(BooleanQuery::new(shoulds))));
        }
        let q = BooleanQuery::new(musts);
        let top = searcher.search(&q, &TopDocs::with_limit(self.docs.len().max(1)))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let stored: TantivyDocument = searcher.doc(addr)?;
            let id = stored.get_first(self.id_field).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
            hits.push(Hit { doc: id, score });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        Ok((tokens, hits))
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
