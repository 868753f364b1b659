//! Decoding: UTF-16 with and without a byte order mark, UTF-8 with stray bytes, NULs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diagnosis::ingest::decode::decode(data);
    for bom in [&[0xFF, 0xFE][..], &[0xFE, 0xFF][..], &[0xEF, 0xBB, 0xBF][..]] {
        let mut bytes = bom.to_vec();
        bytes.extend_from_slice(data);
        let _ = diagnosis::ingest::decode::decode(&bytes);
        let _ = diagnosis::ingest::decode::decode_owned(bytes);
    }
});
