//! The built-in examples, one per main branch, with their titles from `examples/index.toml`.
//! The files are served beside the page (trunk copies `examples/`) and fetched when one is
//! chosen, so the first visit does not download them.

use diagnosis::knowledge::Lang;

/// Where an example is served, relative to the page.
pub fn url(file: &str) -> String {
    format!("./examples/{file}")
}

/// An example of the gallery: its file and its title in both languages.
#[derive(Clone, Copy)]
pub struct Example {
    pub file: &'static str,
    en: &'static str,
    zh_cn: &'static str,
}

impl Example {
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhCn => self.zh_cn,
        }
    }
}

/// The examples in the order of `examples/index.toml`.
pub fn all() -> impl Iterator<Item = Example> {
    crate::texts::EXAMPLES.iter().map(|&(file, en, zh_cn)| Example { file, en, zh_cn })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files the page serves, read here as the test's own copy.
    fn text(file: &str) -> String {
        std::fs::read_to_string(format!("{}/examples/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn every_example_is_listed_and_diagnoses_the_deepest_cause_of_its_branch() {
        assert_eq!(
            all().count(),
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap().count() - 1
        );
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
            let example = all().find(|e| e.file == file).unwrap();
            let text = text(example.file);
            let report = diagnosis::diagnose(&[diagnosis::Source { name: file, bytes: text.as_bytes() }], Lang::En);
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
