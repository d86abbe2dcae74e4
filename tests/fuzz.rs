//! Fuzzing on the stable toolchain: the fuzz targets of `fuzz/` (front matter, Markdown,
//! the search analyzer, import) run on inputs mutated from their seeds and from a
//! dictionary of what hostile content is made of. libFuzzer needs nightly features; this
//! harness needs nothing, so every test run fuzzes a little:
//!
//! - `cargo test --test fuzz` runs 1,500 inputs per target (a few seconds);
//! - `KYOSO_FUZZ_RUNS=200000 KYOSO_FUZZ_SEED=7 cargo test --release --test fuzz -- --nocapture`
//!   runs longer by hand and prints executions per target.
//!
//! A panic is a finding: the harness prints the input that caused it (and writes it to
//! `fuzz/artifacts/<target>/`) before failing.

#[path = "../fuzz/fuzz_targets/targets.rs"]
mod targets;

use std::path::Path;

/// SplitMix64: deterministic for a seed, so a finding can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces that hostile or careless content is made of: Markdown and YAML syntax, HTML
/// that runs script, deep nesting, control and multi-byte characters, CSV quoting.
const DICTIONARY: &[&str] = &[
    "---\n", "+++\n", "\n", "\r\n", "\t", ": ", "：", "- ", "[", "]", "{", "}", "\"", "'", "|\n  ", ">\n  ", "&", "*", "#", "## ", "{#map-config}",
    "{.x #y onclick=alert(1)}", "{autofocus tabindex=0 onfocus=alert(1)}", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">", "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "![x](data:text/html,<script>)",
    "<svg onload=alert(1)>", "<p id=\"map-config\">", "<iframe src=x>", "<style>", "<!--", "-->", "<![CDATA[", "]]>", "`", "```\n", "$$",
    "[^1]", "| a | b |\n|---|---|\n", "\u{0}", "\u{b}", "\u{1b}", "\u{85}", "\u{feff}", "\u{200b}", "\u{fffe}", "ｶﾞ", "ヴ", "コーディネイター",
    "買い物", "ー", "〜", "𠮷", "👨‍👩‍👧", "title: ", "domains: [", "date: 2026-13-45", "start: ", "lat: 1e400", "actors: [a, a, a]",
    "!!binary", "&anchor", "*anchor", "<<: *a", "? ", ",\"\"\"", "\"\r\n\"", "=SUM(A1)", "+81", "@x",
];

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    seeds.push(Vec::new());
    seeds
}

/// One input: a seed with 1–8 mutations.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 => data.splice(at..at, DICTIONARY[rng.below(DICTIONARY.len())].bytes()).for_each(drop),
            1 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            2 => data.insert(at, rng.next() as u8),
            3 if at < data.len() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            4 if at < data.len() => {
                // A piece repeated: long runs and deep nesting.
                let end = (at + 1 + rng.below(8)).min(data.len());
                let piece = data[at..end].to_vec();
                for _ in 0..rng.below(200) {
                    data.splice(at..at, piece.iter().copied()).for_each(drop);
                }
            }
            5 => {
                // Spliced with another seed.
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                data.splice(at..at, other[from..].iter().copied().take(64)).for_each(drop);
            }
            _ => {
                let piece = DICTIONARY[rng.below(DICTIONARY.len())];
                for _ in 0..rng.below(100) {
                    data.splice(at..at, piece.bytes()).for_each(drop);
                }
            }
        }
    }
    data
}

fn runs() -> usize {
    std::env::var("KYOSO_FUZZ_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(1500)
}

fn fuzz(target: &str, run: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let seed: u64 = std::env::var("KYOSO_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let mut rng = Rng(seed ^ target.len() as u64);
    let seeds = seeds(target);
    let start = std::time::Instant::now();
    let n = runs();
    for i in 0..n {
        let input = mutate(&mut rng, &seeds);
        if let Err(e) = std::panic::catch_unwind(|| run(&input)) {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/artifacts").join(target);
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("seed{seed}-{i}"));
            let _ = std::fs::write(&file, &input);
            std::panic::resume_unwind(Box::new(format!("{target}: input {i} (seed {seed}) panicked, saved as {}: {:?}", file.display(), e.downcast_ref::<String>())));
        }
    }
    eprintln!("{target}: {n} inputs in {:.1} s, no finding", start.elapsed().as_secs_f64());
}

#[test]
fn fuzz_front_matter() {
    fuzz("frontmatter", targets::frontmatter);
}

#[test]
fn fuzz_markdown() {
    fuzz("markdown", |data| targets::markdown(&String::from_utf8_lossy(data)));
}

#[test]
fn fuzz_analyzer() {
    fuzz("analyzer", |data| targets::analyzer(&String::from_utf8_lossy(data)));
}

#[test]
fn fuzz_import() {
    fuzz("import", targets::import);
}

/// The Markdown check itself: it must see script in each payload, or it proves nothing.
#[test]
fn the_markdown_check_sees_script() {
    for html in [
        "<p>a</p><script>x</script>",
        "<h2 id=\"a\" onfocus=\"alert(1)\">x</h2>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"java\nscript:alert(1)\">x</a>",
        "<a href=\"\u{1}  javascript:alert(1)\">x</a>",
        "<svg/onload=alert(1)>",
    ] {
        assert!(targets::active_html(html).is_some(), "{html}");
    }
    for html in ["<p>onclick=alert(1) is text</p>", "<a href=\"https://example.jp/\" title=\"x onclick=y\">a</a>", "<h2 id=\"onfocus\">x</h2>", "<a href=\"javascrip\u{1b}t:x\">a</a>"] {
        assert!(targets::active_html(html).is_none(), "{html}");
    }
}
