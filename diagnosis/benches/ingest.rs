//! Table 1 of `scripts/bench.sh`: native ingest and diagnosis of each main input kind at given
//! sizes, in MB/s and peak heap, next to serde_json parsing the same text into a `Value` in the
//! same run (the baseline). Prints numbers and ratios; asserts nothing (timing is not a test).
//!
//! `cargo bench -p diagnosis --bench ingest -- [SIZE_MB ...]` (default: 1 20 150).

// Peak heap is measured with a counting `GlobalAlloc`, which is unsafe to implement: the one
// place the workspace's `unsafe_code` lint is allowed.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` and returns (seconds, peak heap above what was live before, in bytes).
fn measure<T>(f: impl FnOnce() -> T) -> (f64, usize, T) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let out = f();
    let secs = start.elapsed().as_secs_f64();
    (secs, PEAK.load(Ordering::Relaxed) - base, out)
}

/// A generated input of `kind` of about `mb` megabytes.
fn input_of(kind: &str, mb: f64) -> String {
    let sample = diagnosis::generate::generate(kind, 1000, 42).expect("kind");
    let per_instance = sample.len() as f64 / 1000.0;
    let instances = ((mb * 1e6) / per_instance).round().max(1.0) as usize;
    diagnosis::generate::generate(kind, instances, 42).expect("kind")
}

fn main() {
    let sizes: Vec<f64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1.0, 20.0, 150.0] } else { sizes };
    println!("Table 1: native ingest + diagnosis (report written), against serde_json::from_slice::<Value> of the same bytes");
    println!(
        "{:<31} {:>7} {:>9} {:>10} {:>7} {:>7} {:>10} {:>7} {:>10}",
        "kind", "MB", "MB/s", "serde MB/s", "speed x", "scale", "peak MiB", "x input", "findings"
    );
    for kind in diagnosis::generate::KINDS {
        let mut before: Option<f64> = None;
        for &mb in &sizes {
            let text = input_of(kind, mb);
            let size = text.len() as f64 / 1e6;
            // The whole path a person's file takes: decode, split, read, diagnose, write the
            // report. The bytes are owned by the input, as in the CLI and the worker.
            let owned = text.clone().into_bytes();
            let (secs, peak, findings) = measure(move || {
                let input = diagnosis::ingest::read_owned("bench", owned);
                let inputs = std::slice::from_ref(&input);
                let report = diagnosis::Report::build(
                    inputs,
                    &diagnosis::Diagnosis::of(inputs, None),
                    diagnosis::Lang::En,
                    &Default::default(),
                );
                report.findings.len() + report.nodes.iter().map(|n| n.findings.len()).sum::<usize>()
            });
            let (serde_secs, _, value) =
                measure(|| serde_json::from_slice::<serde_json::Value>(text.as_bytes()).expect("valid json"));
            drop(value);
            let speed = size / secs;
            let scale = before.map_or_else(|| "-".to_string(), |b| format!("{:.2}", speed / b));
            before = Some(speed);
            println!(
                "{:<31} {:>7.1} {:>9.1} {:>10.1} {:>7.2} {:>7} {:>10.1} {:>7.2} {:>10}",
                kind,
                size,
                speed,
                size / serde_secs,
                serde_secs / secs,
                scale,
                peak as f64 / 1048576.0,
                (peak + text.len()) as f64 / text.len() as f64,
                findings,
            );
        }
    }
    println!("speed x: the whole diagnosis against serde_json's parse alone (> 1: faster). x input: peak memory");
    println!("(the input's bytes included) over the input's size. scale: MB/s against the same kind's size before");
    println!("(about 1 where time grows with the size; far less, a cost that grows faster: compliance-items read");
    println!("7.2 MB/s at 150 MB against 58.9 at 20, 0.12, before the slots it shared were hashed whole).");
    literal_search(sizes.iter().copied().fold(1.0, f64::max));
}

/// The ids of free text are found after nine literals: one pass of the shift table
/// (`literals::LiteralSet::new`) against one memmem pass per literal (what free text uses,
/// `LiteralSet::per_literal`), on a fleet export that names none.
fn literal_search(mb: f64) {
    const LITERALS: [&str; 9] = diagnosis::evidence::scan::FREE_TEXT_LITERALS;
    let text = input_of("instance-patch-states", mb);
    let set = diagnosis::literals::LiteralSet::new(LITERALS);
    let (one, _, found) = measure(|| {
        let mut found = 0;
        set.find(text.as_bytes(), |_, _| found += 1);
        found
    });
    let (each, _, found_each) = measure(|| {
        LITERALS.iter().map(|l| memchr::memmem::find_iter(text.as_bytes(), l.as_bytes()).count()).sum::<usize>()
    });
    assert_eq!(found, found_each, "the same occurrences either way");
    println!(
        "free-text literals over {:.1} MB: one pass {:.1} ms, a memmem pass per literal {:.1} ms ({:.2}x)",
        text.len() as f64 / 1e6,
        one * 1e3,
        each * 1e3,
        each / one
    );
}
