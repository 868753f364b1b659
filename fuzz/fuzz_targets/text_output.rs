//! `--output text` (tab-separated rows with upper-case record names) and tables.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = diagnosis::ingest::text_output::read(text, 1);
});
