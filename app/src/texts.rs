//! The app's own interface texts, from `texts.toml` (both languages side by side), and the
//! titles of the examples; build.rs turns both into constants.

use diagnosis::knowledge::Lang;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/texts.rs"));
}

pub use generated::{Text, EXAMPLES};

/// The text in `lang`.
pub fn t(text: Text, lang: Lang) -> String {
    text_in(text, lang).to_string()
}

/// The text in `lang`, as the page holds it.
pub fn text_in(text: Text, lang: Lang) -> &'static str {
    // TEXTS and Text are generated in the same order.
    let (_, en, zh) = generated::TEXTS[text as usize];
    match lang {
        Lang::En => en,
        Lang::ZhCn => zh,
    }
}

/// A text named at run time (a role, a status, a category): its key must be in texts.toml; an
/// unknown one gives an empty text, never the key on screen (a test names every such key).
pub fn t_named(key: &str, lang: Lang) -> String {
    generated::TEXTS.iter().position(|(k, _, _)| *k == key).map(|at| t(Text::ALL[at], lang)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_sorted_for_the_lookup_and_found() {
        assert!(generated::TEXTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(t(Text::Cancel, Lang::ZhCn), "取消");
        assert_eq!(t_named("cancel", Lang::ZhCn), "取消");
        assert_eq!(t_named("no such key", Lang::En), "");
        assert_eq!(Text::ALL.len(), generated::TEXTS.len());
    }

    #[test]
    fn every_text_named_at_run_time_exists() {
        use diagnosis::ingest::{InputKind, Status};
        let mut keys: Vec<String> = Vec::new();
        keys.extend(["cause", "check", "note"].map(|r| format!("role_{r}")));
        keys.extend(["answered", "ask", "later", "optional", "answered_by_you"].map(|s| format!("guide_{s}")));
        keys.extend(
            [Status::Ok, Status::Repaired, Status::Unrecognized, Status::Rejected].map(|s| format!("status_{s}")),
        );
        keys.extend(InputKind::ALL.iter().map(|k| format!("kind_{}", k.name())));
        keys.extend(["kind_mixed".to_string(), "kind_unrecognized".to_string()]);
        keys.extend(diagnosis::redact::Category::ALL.iter().map(|c| format!("cat_{}", c.name())));
        for count in ["count_cause", "count_check", "count_note"] {
            keys.extend([format!("{count}_one"), format!("{count}_many")]);
        }
        let missing: Vec<&String> = keys.iter().filter(|k| t_named(k, Lang::En).is_empty()).collect();
        assert!(missing.is_empty(), "{missing:?}");
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
    }
}
