//! SSM Compliance Doctor in the browser. Views, signals and browser glue only: every decision
//! about compliance is made by the `diagnosis` crate, which runs in the worker (`worker/`).

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: rlsf::GlobalTlsf = rlsf::GlobalTlsf::new();

mod app;
mod bridge;
mod browser;
mod context;
mod examples;
mod guided;
mod keep;
mod route;
mod sharing;
mod state;
mod texts;
mod ui;
mod views;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// The page's modules form no import cycle: each module's `crate::` imports (a folder counts as
/// one module) make a graph with no cycle, and no root module imports the views.
#[cfg(test)]
mod module_graph {
    use std::collections::{BTreeMap, BTreeSet};

    fn graph() -> BTreeMap<String, BTreeSet<String>> {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut read = |module: String, path: std::path::PathBuf| {
            let text = std::fs::read_to_string(path).unwrap();
            let uses = graph.entry(module.clone()).or_default();
            for (at, _) in text.match_indices("crate::") {
                let name: String = text[at + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !name.is_empty() && name != module {
                    uses.insert(name);
                }
            }
        };
        for entry in std::fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                for file in std::fs::read_dir(&path).unwrap() {
                    read(name.clone(), file.unwrap().path());
                }
            } else if name != "main" {
                read(name, path);
            }
        }
        graph
    }

    /// A cycle through `from`, if there is one.
    fn cycle(graph: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>) -> Option<Vec<String>> {
        let last = path.last().unwrap().clone();
        for next in graph.get(&last).into_iter().flatten() {
            if let Some(at) = path.iter().position(|p| p == next) {
                return Some(path[at..].iter().cloned().chain([next.clone()]).collect());
            }
            path.push(next.clone());
            if let Some(found) = cycle(graph, path) {
                return Some(found);
            }
            path.pop();
        }
        None
    }

    #[test]
    fn the_page_s_modules_form_no_import_cycle() {
        let graph = graph();
        assert!(graph.len() >= 10 && graph["views"].contains("context"), "{graph:?}");
        for module in graph.keys() {
            if let Some(found) = cycle(&graph, &mut vec![module.clone()]) {
                panic!("import cycle: {}", found.join(" → "));
            }
        }
        let roots = ["bridge", "context", "guided", "keep", "route", "sharing", "state", "ui"];
        for root in roots {
            assert!(!graph[root].contains("views") && !graph[root].contains("app"), "{root} imports a view");
        }
    }
}
