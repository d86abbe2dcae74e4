//! Where a build's memory goes: builds a site with a counting allocator (the system
//! allocator underneath, not mimalloc, so the figures are live heap bytes, not pages an
//! allocator keeps) and prints live and peak bytes every half second, then the stage
//! times. Read the two together: the live bytes at a stage's end are what it holds.
//!
//! `cargo run --release --example mem_profile -- SITE OUTPUT`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is passed to the system allocator as it is; only counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            grew(l.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, n) };
        if !q.is_null() {
            if n > l.size() {
                grew(n - l.size());
            } else {
                LIVE.fetch_sub(l.size() - n, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, site, output] = &args[..] else {
        eprintln!("使い方: mem_profile サイトのフォルダ 出力先");
        std::process::exit(2);
    };
    let start = std::time::Instant::now();
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        println!("{:6.1} s  live {:5} MiB  peak {:5} MiB", start.elapsed().as_secs_f64(), LIVE.load(Relaxed) >> 20, PEAK.load(Relaxed) >> 20);
    });
    let opts = kyoso::pipeline::BuildOptions {
        root: site.into(),
        output: Some(output.into()),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23),
        ..Default::default()
    };
    let report = kyoso::pipeline::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    for (stage, took) in &report.timings {
        println!("stage {stage:<10} {:.2} s", took.as_secs_f64());
    }
    println!("peak live heap {} MiB", PEAK.load(Relaxed) >> 20);
}
