//! Refuses structures nested deeper than any editor writes, before a parser sees them.
//!
//! serde_yaml_ng took 37 s (release) to fail on front matter nested 100,000 levels deep
//! (`a: [[[[…`, 200 KB), and the time grows faster than the size; the same holds for any
//! file read with the YAML or TOML parsers. Content comes from outside organisations, so
//! one hostile file must not stall a build or `serve`. This scan is linear and only ever
//! over-counts (brackets inside strings and comments count too), so whatever it lets
//! through nests at most [`MAX_DEPTH`] levels for the parser.

use super::Format;

/// Deepest nesting accepted. Editors' front matter nests two or three levels.
pub const MAX_DEPTH: usize = 64;

/// The first place (1-based line and column of `text`) where nesting passes [`MAX_DEPTH`].
///
/// Counts, per line: block levels (YAML indentation steps and `- ` items; TOML table
/// header and dotted-key segments) plus the open `[` and `{` of flow collections, which
/// carry over to the following lines.
pub fn too_deep(text: &str, format: Format) -> Option<(usize, usize)> {
    let mut flow = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    let mut table_depth = 0usize;
    for (i, line) in text.split('\n').enumerate() {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - trimmed.len();
        let block;
        let mut rest = trimmed;
        match format {
            Format::Yaml => {
                if !trimmed.is_empty() && !trimmed.starts_with('#') {
                    while indents.last().is_some_and(|&top| top >= indent) {
                        indents.pop();
                    }
                    indents.push(indent);
                }
                // `- - - x` opens one sequence per dash on the same line.
                let mut dashes = 0;
                while let Some(r) = rest.strip_prefix('-').filter(|r| r.is_empty() || r.starts_with([' ', '\t'])) {
                    dashes += 1;
                    if dashes + indents.len() > MAX_DEPTH {
                        return Some((i + 1, line.len() - rest.len() + 1));
                    }
                    rest = r.trim_start_matches([' ', '\t']);
                }
                block = indents.len() + dashes;
            }
            Format::Toml => {
                if flow == 0 && trimmed.starts_with('[') {
                    // A table header: its dotted segments are its depth, its brackets are not.
                    table_depth = 1 + trimmed.split(']').next().unwrap_or("").matches('.').count();
                    block = table_depth;
                    rest = "";
                } else {
                    let key = if flow == 0 { trimmed.split('=').next().unwrap_or("") } else { "" };
                    block = table_depth + key.matches('.').count() + 1;
                }
            }
        }
        if block > MAX_DEPTH {
            return Some((i + 1, indent + 1));
        }
        let offset = line.len() - rest.len();
        for (pos, b) in rest.bytes().enumerate() {
            match b {
                b'[' | b'{' => {
                    flow += 1;
                    if block + flow > MAX_DEPTH {
                        let column = line[..offset + pos].chars().count() + 1;
                        return Some((i + 1, column));
                    }
                }
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_flow_blocks_dashes_and_dotted_keys() {
        let flow = |n: usize| format!("a: {}", "[".repeat(n));
        assert_eq!(too_deep(&flow(MAX_DEPTH - 1), Format::Yaml), None, "one block level plus 63 flow levels");
        assert_eq!(too_deep(&flow(MAX_DEPTH), Format::Yaml), Some((1, 4 + MAX_DEPTH - 1)));
        assert_eq!(too_deep(&format!("x: {}1", "- ".repeat(MAX_DEPTH)), Format::Yaml), None, "`- ` after a key is text");
        assert!(too_deep(&format!("{}1", "- ".repeat(MAX_DEPTH + 1)), Format::Yaml).is_some());
        let blocks: String = (0..=MAX_DEPTH).map(|d| format!("{}k:\n", " ".repeat(d))).collect();
        assert_eq!(too_deep(&blocks, Format::Yaml), Some((MAX_DEPTH + 1, MAX_DEPTH + 1)));
        let dotted = format!("{} = 1", vec!["a"; MAX_DEPTH + 1].join("."));
        assert_eq!(too_deep(&dotted, Format::Toml), Some((1, 1)));
        let header = format!("[{}]\nb = 1", vec!["a"; MAX_DEPTH + 1].join("."));
        assert_eq!(too_deep(&header, Format::Toml), Some((1, 1)));
        assert_eq!(too_deep("[[links]]\ntitle = \"a\"\nurl = [1, [2]]\n", Format::Toml), None);
    }

    #[test]
    fn closed_brackets_do_not_add_up() {
        let many = "x: [[a], [b], {c: [d]}]\n".repeat(1000);
        assert_eq!(too_deep(&many, Format::Yaml), None);
        assert_eq!(too_deep(&"x = [[1], [2], {a = [3]}]\n".repeat(1000).replace("x =", "x1 ="), Format::Toml), None);
    }
}
