//! Typed documents. A `Doc` is one published (or draft) item after its front matter has
//! been checked against the schema; only schema fields survive, so unknown fields and
//! `private:` memos never reach a template.

use crate::schema::Collection;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The folder of a site that holds its documents and their files.
pub const CONTENT_DIR: &str = "content";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Common {
    pub title: String,
    pub summary: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub publish_date: Option<String>,
    pub images: Vec<Image>,
    pub aliases: Vec<String>,
    pub slug: Option<String>,
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Image {
    pub src: String,
    #[serde(default)]
    pub alt: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseMeta {
    pub prefecture: String,
    pub municipality: Option<String>,
    pub area: Option<String>,
    pub actors: Vec<String>,
    pub partners: Vec<String>,
    pub domains: Vec<String>,
    pub business_relation: Option<String>,
    pub steps: Vec<u8>,
    pub started: Option<String>,
    pub source: Option<String>,
    pub video: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActorMeta {
    pub kind: String,
    pub core_business: Option<String>,
    pub domains: Vec<String>,
    pub prefecture: String,
    pub municipalities: Vec<String>,
    pub address: Option<String>,
    pub location: Option<Location>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub registered: Option<String>,
    pub scale: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GuideMeta {
    pub audience: Option<String>,
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EventMeta {
    pub kind: String,
    pub start: String,
    pub end: Option<String>,
    pub venue: Option<String>,
    pub online: bool,
    pub prefecture: Option<String>,
    pub registration: Option<String>,
    pub video: Option<String>,
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyMeta {
    pub ministry: Option<String>,
    pub fiscal_year: Option<String>,
    pub budget: Option<String>,
    pub url: Option<String>,
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Meta {
    Case(CaseMeta),
    Actor(ActorMeta),
    Guide(GuideMeta),
    Event(EventMeta),
    Policy(PolicyMeta),
    Plain {},
}

/// One content item.
#[derive(Debug, Clone)]
pub struct Doc {
    pub collection: Collection,
    pub slug: String,
    /// For chapters: the slug of their guide.
    pub guide: Option<String>,
    /// Source path relative to the site root, as editors see it.
    pub source: PathBuf,
    pub common: Common,
    pub meta: Meta,
    /// Markdown; shared, so copies of a document (the cache of `serve`) do not copy it.
    /// A `String` behind the `Arc` (not `Arc<str>`): the text stays in the buffer it was
    /// read into instead of being copied into the `Arc`'s own allocation.
    pub body: std::sync::Arc<String>,
    pub body_first_line: usize,
    /// Where each front-matter field is written, for messages about the item.
    pub locator: crate::frontmatter::Locator,
    /// Output path relative to the site root (`cases/foo/index.html`), or for an
    /// aggregated item the absolute address of its page on the source site.
    pub url: String,
    /// Set for items listed from another kyoso site's exported data.
    pub external: Option<External>,
    /// Fingerprints of the source, so `serve` can tell what an edit changed.
    pub stamp: Stamp,
}

/// Hashes of a document's front matter and body, taken when it is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub front: u64,
    pub body: u64,
}

/// A 64-bit fingerprint of anything hashable (not stable across kyoso versions; only
/// compared within one running process). FxHash, not SipHash: nothing here needs to
/// resist chosen collisions, and every build hashes every Markdown body (130 MB at
/// 10,000 documents), which SipHash took 90 ms of a core for.
pub fn fingerprint<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// Where an aggregated item comes from.
#[derive(Debug, Clone, Serialize)]
pub struct External {
    /// Names of the sources listing it (an actor listed by two is shown once).
    pub sources: Vec<String>,
}

impl Doc {
    pub fn domains(&self) -> &[String] {
        match &self.meta {
            Meta::Case(m) => &m.domains,
            Meta::Actor(m) => &m.domains,
            Meta::Guide(m) => &m.domains,
            Meta::Event(m) => &m.domains,
            Meta::Policy(m) => &m.domains,
            Meta::Plain {} => &[],
        }
    }

    /// Prefecture the item belongs to, if any.
    pub fn prefecture(&self) -> Option<&str> {
        match &self.meta {
            Meta::Case(m) => Some(&m.prefecture),
            Meta::Actor(m) => Some(&m.prefecture),
            Meta::Event(m) => m.prefecture.as_deref(),
            _ => None,
        }
    }

    /// Municipalities the item is in or serves.
    pub fn municipalities(&self) -> Vec<&str> {
        match &self.meta {
            Meta::Case(m) => m.municipality.iter().map(String::as_str).collect(),
            Meta::Actor(m) => m.municipalities.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    pub fn case(&self) -> Option<&CaseMeta> {
        match &self.meta {
            Meta::Case(m) => Some(m),
            _ => None,
        }
    }

    pub fn actor(&self) -> Option<&ActorMeta> {
        match &self.meta {
            Meta::Actor(m) => Some(m),
            _ => None,
        }
    }

    pub fn event(&self) -> Option<&EventMeta> {
        match &self.meta {
            Meta::Event(m) => Some(m),
            _ => None,
        }
    }

    pub fn policy(&self) -> Option<&PolicyMeta> {
        match &self.meta {
            Meta::Policy(m) => Some(m),
            _ => None,
        }
    }

    /// The date lists sort by: the item's date, or its event start.
    pub fn sort_date(&self) -> &str {
        match (&self.common.date, &self.meta) {
            (Some(d), _) => d,
            (None, Meta::Event(e)) => &e.start,
            (None, Meta::Actor(a)) => a.registered.as_deref().unwrap_or(""),
            _ => "",
        }
    }
}

/// A 関連リンク entry from `content/links.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
}
