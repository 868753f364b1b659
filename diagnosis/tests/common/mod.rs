//! What several test files share: every sample of tests/ (fixtures, healthy and faulty corpus).

use std::path::{Path, PathBuf};

/// (name, files) per sample: a file, or the files of a correlation scenario's folder.
pub fn samples() -> Vec<(String, Vec<PathBuf>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut out = Vec::new();
    for dir in ["fixtures", "corpus/healthy", "corpus/faulty"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".md") || name.ends_with(".toml") {
                continue;
            }
            let files = if path.is_dir() {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()).collect();
                files.sort();
                files
            } else {
                vec![path]
            };
            out.push((format!("{dir}/{name}"), files));
        }
    }
    out
}
