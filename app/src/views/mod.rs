//! Components. Each wires signals to the plain functions in `state`.

mod collect;
mod command;
mod finding;
mod fleet;
mod gallery;
mod guide;
mod input_panel;
mod results;
mod text;
mod verdict;

pub use collect::CollectPanel;
pub use fleet::Fleet;
pub use gallery::Gallery;
pub use guide::Guide;
pub use input_panel::InputPanel;
pub use results::Results;
pub use verdict::Verdict;
