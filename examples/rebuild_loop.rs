//! Profiling aid: `cargo run --release --example rebuild_loop -- SITE N` builds SITE with
//! the incremental engine, then appends to one case N times, rebuilding after each, and
//! prints each rebuild's stage timings (the search index is finished between edits).
use kyoso::incremental::Engine;
use kyoso::pipeline::BuildOptions;
use std::io::Write;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("site folder"));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let out = std::env::temp_dir().join("kyoso-rebuild-loop");
    let mut engine = Engine::new(BuildOptions { root: root.clone(), output: Some(out), ..Default::default() }).expect("an empty output folder");
    engine.rebuild(None).expect("first build");
    engine.wait().expect("side files");
    let case = std::fs::read_dir(root.join("content/cases")).unwrap().flatten().map(|e| e.path()).min().unwrap();
    let original = std::fs::read(&case).unwrap();
    for i in 0..n {
        std::fs::OpenOptions::new().append(true).open(&case).unwrap().write_all(format!("\n追記{i}\n").as_bytes()).unwrap();
        let t = std::time::Instant::now();
        let rel = case.strip_prefix(&root).unwrap().to_path_buf();
        let u = engine.rebuild(Some(&[rel])).expect("rebuild");
        let stages: Vec<String> = u.timings.iter().map(|(s, t)| format!("{s} {:.0}", t.as_secs_f64() * 1000.0)).collect();
        engine.wait().expect("side files");
        println!("{} pages written, {:.0} ms ({})", u.written, t.elapsed().as_secs_f64() * 1000.0, stages.join(" / "));
    }
    std::fs::write(&case, original).unwrap();
}
