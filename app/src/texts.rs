//! The app's own interface texts, from `texts.toml` (both languages side by side), and the
//! titles of the examples; build.rs turns both into constants.

use diagnosis::knowledge::Lang;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/texts.rs"));
}

pub use generated::EXAMPLES;

/// The text for `key` in `lang`; the key itself when missing, so a gap is visible, not fatal.
pub fn t(key: &str, lang: Lang) -> String {
    match generated::TEXTS.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
        Ok(at) => {
            let (_, en, zh) = generated::TEXTS[at];
            match lang {
                Lang::En => en,
                Lang::ZhCn => zh,
            }
            .to_string()
        }
        Err(_) => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_sorted_for_the_lookup_and_found() {
        assert!(generated::TEXTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(t("cancel", Lang::ZhCn), "取消");
        assert_eq!(t("no such key", Lang::En), "no such key");
    }

    #[test]
    fn chinese_texts_use_full_width_punctuation() {
        let chinese = generated::TEXTS.iter().map(|(key, _, zh)| (*key, *zh));
        let titles = EXAMPLES.iter().map(|(file, _, zh)| (*file, *zh));
        let slips: Vec<String> = chinese
            .chain(titles)
            .filter_map(|(key, zh)| {
                diagnosis::knowledge::half_width_in_chinese(zh).map(|(at, c)| format!("{key}: `{c}` at {at} in {zh:?}"))
            })
            .collect();
        assert!(slips.is_empty(), "{}", slips.join("\n"));
        // The names the page gives inputs follow the same rule.
        let named = crate::state::input_label("your answer (P2)", Lang::ZhCn);
        assert_eq!(diagnosis::knowledge::half_width_in_chinese(&named), None, "{named}");
    }
}
