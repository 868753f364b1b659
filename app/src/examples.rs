//! The built-in examples, one per main branch, with their titles from `examples/index.toml`.

use std::sync::OnceLock;

use diagnosis::knowledge::{Lang, Text};
use serde::Deserialize;

/// The example files, compiled in (the gallery works offline).
const FILES: &[(&str, &str)] = &[
    ("missing.txt", include_str!("../examples/missing.txt")),
    ("failed.txt", include_str!("../examples/failed.txt")),
    ("pending-reboot.txt", include_str!("../examples/pending-reboot.txt")),
    ("rejected.txt", include_str!("../examples/rejected.txt")),
    ("association.txt", include_str!("../examples/association.txt")),
    ("inventory.txt", include_str!("../examples/inventory.txt")),
    ("custom.txt", include_str!("../examples/custom.txt")),
    ("not-managed.txt", include_str!("../examples/not-managed.txt")),
];

#[derive(Deserialize)]
struct Index {
    example: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    file: String,
    title: Text,
}

pub struct Example {
    pub file: &'static str,
    pub text: &'static str,
    title: &'static Text,
}

impl Example {
    pub fn title(&self, lang: Lang) -> &'static str {
        self.title.get(lang)
    }
}

pub fn all() -> &'static [Example] {
    static INDEX: OnceLock<Index> = OnceLock::new();
    static EXAMPLES: OnceLock<Vec<Example>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let index = INDEX.get_or_init(|| {
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/examples.json"))).expect("examples/index.toml")
        });
        index
            .example
            .iter()
            .filter_map(|e| {
                let (file, text) = FILES.iter().find(|(f, _)| *f == e.file)?;
                Some(Example { file, text, title: &e.title })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_listed_and_diagnoses_a_cause_of_its_branch() {
        assert_eq!(all().len(), FILES.len());
        let expected = [
            ("missing.txt", "P6"),
            ("failed.txt", "P3"),
            ("pending-reboot.txt", "P4"),
            ("rejected.txt", "P5"),
            ("association.txt", "AS0"),
            ("inventory.txt", "INV0"),
            ("custom.txt", "CU0"),
            ("not-managed.txt", "G1"),
        ];
        for (file, reference) in expected {
            let example = all().iter().find(|e| e.file == file).unwrap();
            let report =
                diagnosis::diagnose(&[diagnosis::Source { name: file, bytes: example.text.as_bytes() }], Lang::En);
            assert!(
                report.findings.iter().any(|f| f.reference == reference && f.role == "cause"),
                "{file}: {:?}",
                report.findings.iter().map(|f| &f.reference).collect::<Vec<_>>()
            );
        }
    }
}
