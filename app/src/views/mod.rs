//! Components. Each wires signals to the plain functions in `state`.

mod command;
mod finding;
mod input_panel;
mod results;

pub use input_panel::InputPanel;
pub use results::Results;
