//! The redactor on any text: it never panics, and restoring what it wrote gives the text back
//! (when the text holds no pseudonym-shaped word of its own).
#![no_main]
use diagnosis::redact::{Category, Redactor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut redactor = Redactor::new();
    let hidden = redactor.text(text);
    let has_own_pseudonym = ["ACCOUNT-", "INSTANCE-", "RESOURCE-", "ID-", "IP-", "HOST-", "ARN-", "BUCKET-", "EMAIL-", "KEY-", "SECRET-"]
        .iter()
        .any(|p| text.contains(p));
    if !has_own_pseudonym {
        assert_eq!(redactor.restore(&hidden), text);
    }
    // A category left in clear changes nothing of it.
    let mut pass = redactor.pass(&Category::ALL);
    assert_eq!(pass.text(text), text);
});
