//! The interface settings every component may read or set.

use diagnosis::knowledge::Lang;
use leptos::prelude::*;

use crate::state::{ShellChoice, Typed};
use crate::texts::{text_in, Text};

/// The interface language, the shell commands are shown for, and the region, instance and
/// profile typed in.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    pub shell: RwSignal<ShellChoice>,
    pub typed: RwSignal<Typed>,
}

/// `text` in the language set, as a view or an attribute's value that follows it, borrowed
/// from the page's texts (no copy each time the language changes). Every text of the page is
/// this one closure type, so its reactive code is in the page's wasm once: a closure per text,
/// 83 of them, made the wasm 6.5 KB larger (0.8 KB gzip).
pub fn lang_text(text: Text, lang: RwSignal<Lang>) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || text_in(text, lang.get())
}
