//! The tolerant JSON reader (repairs missing commas, trailing text, cut documents) and the fast
//! strict one: any text, any start.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = diagnosis::ingest::json::parse(text);
    let start = text.find(['{', '[']).unwrap_or(0);
    let _ = diagnosis::ingest::json::probe_at(text, start, 1, 8);
    let _ = diagnosis::ingest::json_fast::strict_end(text, start);
});
