//! Agent and patch logs: the bytes after a line that makes them a log, read and diagnosed (log
//! events, levels, times, signatures and the nodes they are about).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"2024-01-01 10:00:00 INFO [ssm-agent-worker] [MessagingDeliveryService] start\n".to_vec();
    bytes.extend_from_slice(data);
    let report =
        diagnosis::diagnose(&[diagnosis::Source { name: "amazon-ssm-agent.log", bytes: &bytes }], diagnosis::Lang::En);
    let _ = report.to_text(diagnosis::Lang::En);
});
