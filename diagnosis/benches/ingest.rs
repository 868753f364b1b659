//! Speed and memory of reading large inputs, against serde_json parsing the same text into a
//! `serde_json::Value` in the same run (the baseline). Prints numbers and ratios; asserts nothing
//! (timing is not a test). Run: `cargo bench --bench ingest [-- SIZES]`.

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

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000, 10_000, 50_000] } else { sizes };
    println!(
        "{:<30} {:>6} {:>9} {:>9} {:>7} {:>9} {:>9} {:>6} {:>9} {:>9} {:>8}",
        "input",
        "MiB",
        "read MB/s",
        "serde MB/s",
        "speed x",
        "read peak",
        "serde peak",
        "mem x",
        "diag MB/s",
        "diag peak",
        "findings"
    );
    for kind in ["instance-patch-states", "compliance-items"] {
        for &n in &sizes {
            let text = diagnosis::generate::generate(kind, n, 42).expect("kind");
            let mib = text.len() as f64 / (1024.0 * 1024.0);
            // Reading alone (decode, split, tolerant parse, typed evidence) is what serde_json's
            // parse into a Value compares with; the full diagnosis is reported beside it.
            // Both sides get their own copy of the bytes before the measurement starts.
            let owned = text.clone().into_bytes();
            let (read_s, read_peak, evidence) = measure(move || {
                let input = diagnosis::ingest::read_owned("bench", owned);
                let evidence = diagnosis::evidence::Evidence::collect(std::slice::from_ref(&input));
                (input, evidence)
            });
            assert_eq!(evidence.0.status, diagnosis::ingest::Status::Ok);
            drop(evidence);
            let (full_s, full_peak, report) = measure(|| {
                diagnosis::diagnose(&[diagnosis::Source { name: "bench", bytes: text.as_bytes() }], diagnosis::Lang::En)
            });
            let findings = report.findings.len();
            drop(report);
            let (serde_s, serde_peak, value) =
                measure(|| serde_json::from_slice::<serde_json::Value>(text.as_bytes()).expect("valid json"));
            drop(value);
            println!(
                "{:<30} {:>6.1} {:>9.1} {:>9.1} {:>7.2} {:>8.1}M {:>8.1}M {:>6.2} {:>9.1} {:>8.1}M {:>8}",
                format!("{kind} x{n}"),
                mib,
                mib / read_s,
                mib / serde_s,
                serde_s / read_s,
                read_peak as f64 / 1048576.0,
                serde_peak as f64 / 1048576.0,
                read_peak as f64 / serde_peak as f64,
                mib / full_s,
                full_peak as f64 / 1048576.0,
                findings,
            );
        }
    }
    println!(
        "read = decode + split + tolerant parse + streamed typed evidence, from owned bytes (no copy of clean UTF-8);"
    );
    println!("baseline = serde_json::from_slice::<Value> of the same bytes. Peaks exclude the input bytes themselves.");
    println!("speed x > 1: reading is faster than the baseline; mem x < 1: it needs less peak heap. diag = the whole diagnosis and report.");
}
