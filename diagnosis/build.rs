//! Converts the knowledge base from TOML (written by people) to JSON (read by the program), so
//! the browser bundle carries no TOML parser. A TOML error stops the build with its location.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    for name in ["tree", "signatures", "commands", "wizard", "collect"] {
        let path = format!("knowledge/{name}.toml");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = serde_json::to_string(&value).expect("TOML values are JSON values");
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json).expect("write OUT_DIR");
    }
}
