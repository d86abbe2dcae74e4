//! Profiling aid: `cargo run --release --example index_bench -- SITE [RUNS]` loads SITE,
//! renders its Markdown once, then builds the browser's inverted index RUNS times (default
//! 5) on every core and on one, printing each run's time and the token count. It measures
//! the indexer alone, without the rendering that shares the cores in a real build.
use kyoso::pipeline::{load_site, BuildOptions};
use kyoso::search::analyzer::Analyzer;
use kyoso::search::index::{field_pieces, field_texts, FIELDS};
use kyoso::search::postings::Inverted;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("site folder"));
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let opts = BuildOptions { root, today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23), ..Default::default() };
    let (site, _) = load_site(&opts, &mut Vec::new()).expect("site loads");
    let bodies = kyoso::bodies::render_bodies(&site, None);
    let analyzer = Analyzer::new(&site.config.search.synonyms);
    let build = || Inverted::build(&analyzer, site.docs.len(), FIELDS.len(), |i| field_pieces(&site.docs[i], std::borrow::Cow::Borrowed(&bodies[i].text)));
    parts(&site, &bodies, &analyzer);
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    for (label, single) in [("all cores", false), ("one core", true)] {
        let mut times = Vec::new();
        let mut tokens = 0;
        let mut terms = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let inv = if single { one.install(build) } else { build() };
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            tokens = inv.total_tokens.iter().sum::<u64>();
            terms = inv.terms.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{label:>9}: median {:.1} ms (min {:.1}, max {:.1}) for {} documents, {tokens} tokens, {terms} terms, {:.1} ns/token",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            site.docs.len(),
            times[times.len() / 2] * 1e6 / tokens as f64
        );
    }
}

/// The indexer's first steps timed one by one, on one core: the texts as tantivy gets
/// them (joined), normalisation, folding (normalisation included) and cutting tokens.
fn parts(site: &kyoso::site::Site, bodies: &[kyoso::bodies::Body], analyzer: &Analyzer) {
    let t = Instant::now();
    let texts: Vec<String> = (0..site.docs.len()).flat_map(|i| field_texts(&site.docs[i], &bodies[i]).map(|c| c.into_owned())).collect();
    println!("field texts {:.1} ms, {} MB", t.elapsed().as_secs_f64() * 1e3, texts.iter().map(|s| s.len()).sum::<usize>() / 1_000_000);
    let t = Instant::now();
    let n: usize = texts.iter().map(|s| kyoso::search::spelling::normalize(s).len()).sum();
    println!("normalize {:.1} ms ({n})", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let folded: Vec<String> = texts.iter().map(|s| analyzer.fold(s)).collect();
    println!("fold {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let n: usize = folded.iter().map(|s| kyoso::search::analyzer::index_token_ranges(s).len()).sum();
    println!("ranges {:.1} ms ({n})", t.elapsed().as_secs_f64() * 1e3);
}
