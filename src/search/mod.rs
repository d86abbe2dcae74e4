//! Stage 6: search. [`analyzer`] is the Japanese analysis chain shared with the browser;
//! [`index`] puts every published document into a tantivy index with it and answers
//! `kyoso search`; [`export`] streams that index into the small script files under
//! `public/search/` that the browser runtime loads lazily (also from `file://`).

pub mod analyzer;
pub mod export;
pub mod index;
