//! kyoso builds 生活支援共創プラットフォーム sites: case studies, actor listings,
//! guidebooks, events and policies, as plain relative-linked files that work on any web
//! hosting and from a copied folder.
//!
//! The pipeline reads top to bottom, one module per stage:
//! [`load`] (files → front matter + body) → [`validate`] (schema and site checks, with
//! editor-friendly [`diagnostics`]) → [`site`] (what is published, indexes between items) →
//! [`render`] (pages through the [`theme`]'s templates, Markdown via [`markdown`]) →
//! [`output`] (changed files staged, moved into place once the build succeeded). [`pipeline`] runs them in order;
//! [`incremental`] redoes only what an edit changed, for [`serve`].

pub mod aggregate;
pub mod assets;
pub mod bodies;
pub mod check;
pub mod checklist;
pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod edit;
pub mod feeds;
pub mod folder;
pub mod frontmatter;
pub mod gitdates;
pub mod handout;
pub mod hygiene;
pub mod import;
pub mod incremental;
pub mod load;
pub mod markdown;
pub mod model;
pub mod opendata;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod render;
pub mod schema;
pub mod serve;
pub mod site;
pub mod svg;
pub mod table;
pub mod text;
pub mod theme;
pub mod urls;
pub mod validate;
pub mod vocab;
pub mod scaffold;
pub mod search;
#[cfg(test)]
mod testing;
