//! Converts the interface texts and the examples index from TOML to JSON at build time, so the
//! browser bundle carries no TOML parser.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    for (path, name) in [("texts.toml", "texts.json"), ("examples/index.toml", "examples.json")] {
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        std::fs::write(Path::new(&out).join(name), serde_json::to_string(&value).expect("json"))
            .expect("write OUT_DIR");
    }
}
