//! The tolerant JSON reader (repairs missing commas, trailing text, cut documents) and the fast
//! strict one: any text, any start. Reading proving (a document only presumed strict), the fast
//! reader must accept nothing serde_json's skim refuses, and end where it ends.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = diagnosis::ingest::json::parse(text);
    let start = text.find(['{', '[']).unwrap_or(0);
    let _ = diagnosis::ingest::json::probe_at(text, start, 1, 8);
    let skim = diagnosis::ingest::json_fast::strict_end(text, start);
    if text[start..].starts_with(['{', '[']) {
        if let Ok(doc) = diagnosis::ingest::json_fast::parse_proving(text, start, 1, &mut |_, row| Some(row)) {
            assert_eq!(skim, Some(doc.end), "read proving, but serde_json's skim says otherwise: {text:?}");
        }
    }
});
