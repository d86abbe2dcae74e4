//! Stage 6: search. [`analyzer`] is the Japanese analysis chain shared with the browser;
//! [`index`] puts every published document into a tantivy index with it and answers
//! `kyoso search`; [`postings`] builds the same postings and statistics on every core, and
//! [`export`] writes them into the small script files under `public/search/` that the
//! browser runtime loads lazily (also from `file://`).

pub mod analyzer;
pub mod export;
pub mod index;
pub mod postings;
pub mod readings;
pub mod spelling;
pub mod varint;
