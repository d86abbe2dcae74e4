//! Problems found in a site's sources, reported the way editors need them.
//!
//! Editors are prefecture staff and SCs, not programmers. Every problem names the file, the
//! line and column, the front-matter field as they wrote it, what is wrong (in Japanese) and
//! what to do about it. A build collects *all* problems of a run before it stops, so one
//! round of fixes is enough.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors stop the build, warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One problem in one place of one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the editor sees it, relative to the site root (`content/cases/foo.md`).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// Front-matter field as written, or empty.
    pub field: String,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, message)
    }

    pub fn warning(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, message)
    }

    pub fn info(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, path, message)
    }

    fn new(severity: Severity, path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            path: path.as_ref().to_path_buf(),
            line: 0,
            column: 0,
            field: String::new(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:column: field: message` then the hint on its own indented line, the
    /// form compilers use, so editors' tools can jump to the place.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
            Severity::Info => "情報",
        };
        write!(f, "{}", self.path.display().to_string().replace('\\', "/"))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": ")?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{}: {}", label, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n    → {}", hint)?;
        }
        Ok(())
    }
}

/// All problems of one run, kept in a stable order (by file, then line).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity).cmp(&(&b.path, b.line, b.column, b.severity))
        });
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

/// An error and all its causes on one line: template engines hide the real cause (which
/// variable, which include) in the source chain, and editors need it.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(" ← ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Levenshtein distance over characters (not bytes), so 買物/買い物 is 1.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate to `word`, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if c.contains(word) || word.contains(c) { 1 } else { edit_distance(word, c) };
        let limit = (len.max(c.chars().count()) / 2).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_characters() {
        assert_eq!(edit_distance("買物", "買い物"), 1);
        assert_eq!(edit_distance("title", "titel"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggests_close_words_only() {
        let words = ["買い物", "見守り", "移動"];
        assert_eq!(did_you_mean("買物", words), Some("買い物"));
        assert_eq!(did_you_mean("見守", words), Some("見守り"));
        assert_eq!(did_you_mean("農業体験", words), None);
    }

    #[test]
    fn display_has_path_line_field_and_hint() {
        let d = Diagnostic::error("content/cases/a.md", "ありません")
            .at(3, 5)
            .field("domains")
            .hint("直してください");
        assert_eq!(
            d.to_string(),
            "content/cases/a.md:3:5: domains: エラー: ありません\n    → 直してください"
        );
    }
}
