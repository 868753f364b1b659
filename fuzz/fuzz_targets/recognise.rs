//! Input recognition: decoding, splitting a paste into its outputs, naming each one's kind and
//! reading it, whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = diagnosis::ingest::read("fuzz", data);
    for part in &input.parts {
        assert!(part.first_line <= part.last_line.max(part.first_line));
    }
});
