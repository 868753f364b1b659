//! The app's own interface texts, loaded from `texts.toml` (both languages side by side).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use diagnosis::knowledge::{Lang, Text};

fn table() -> &'static BTreeMap<String, Text> {
    static TEXTS: OnceLock<BTreeMap<String, Text>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/texts.json"))).expect("texts.toml is valid")
    })
}

/// The text for `key` in `lang`; the key itself when missing, so a gap is visible, not fatal.
pub fn t(key: &str, lang: Lang) -> String {
    table().get(key).map(|text| text.get(lang).to_string()).unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages() {
        for (key, text) in table() {
            assert!(!text.en.trim().is_empty() && !text.zh_cn.trim().is_empty(), "{key}");
        }
    }
}
