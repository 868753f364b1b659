//! The interface settings every component may read or set.

use diagnosis::knowledge::Lang;
use leptos::prelude::*;

use crate::state::{ShellChoice, Typed};

/// The interface language, the shell commands are shown for, and the region, instance and
/// profile typed in.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    pub shell: RwSignal<ShellChoice>,
    pub typed: RwSignal<Typed>,
}
