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
    fn every_example_is_listed_and_diagnoses_the_deepest_cause_of_its_branch() {
        assert_eq!(all().len(), FILES.len());
        // (file, the one cause, the branch's symptom it explains)
        let expected = [
            ("missing.txt", "P6", Some("N1")),
            ("failed.txt", "L13", Some("P3")),
            ("pending-reboot.txt", "P4", None),
            ("rejected.txt", "P5", None),
            ("association.txt", "A7", Some("AS0")),
            ("inventory.txt", "I1", Some("INV0")),
            ("custom.txt", "CU0", Some("N1")),
            ("not-managed.txt", "G1", Some("M0.1")),
        ];
        for (file, reference, symptom) in expected {
            let example = all().iter().find(|e| e.file == file).unwrap();
            let report =
                diagnosis::diagnose(&[diagnosis::Source { name: file, bytes: example.text.as_bytes() }], Lang::En);
            let causes: Vec<_> = report.findings.iter().filter(|f| f.role == "cause").collect();
            assert_eq!(
                causes.iter().map(|f| f.reference.as_str()).collect::<Vec<_>>(),
                [reference],
                "{file}: one cause, the deepest"
            );
            if let Some(symptom) = symptom {
                assert!(causes[0].supporting.iter().any(|s| s.reference == symptom), "{file}: {symptom} under it");
            }
        }
    }
}
