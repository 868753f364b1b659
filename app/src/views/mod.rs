//! Components. Each wires signals to the plain functions in `state`.

mod collect;
mod command;
mod finding;
mod fleet;
mod gallery;
mod guide;
mod input_panel;
mod print;
mod results;
mod share;
mod text;
mod verdict;

pub use collect::CollectPanel;
pub use fleet::Fleet;
pub use gallery::Gallery;
pub use guide::Guide;
pub use input_panel::InputPanel;
pub use print::PrintReport;
pub use results::Results;
pub use share::Share;
pub use verdict::Verdict;
