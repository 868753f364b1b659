//! CSV exports (the console's compliance downloads), quoted fields and all.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = diagnosis::ingest::csv::read(text, 1);
});
