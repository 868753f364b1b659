//! The share state: the redacted export the worker wrote, a reply restored, what a share link
//! this page was opened from says, the session's pseudonyms and the opt-in to keep the inputs.

use diagnosis::redact::Category;
use leptos::prelude::*;
use worker::protocol::ExportView;

use crate::state::{Keeping, Shared};

#[derive(Clone, Copy)]
pub struct ShareState {
    /// The redacted report and path, as the worker last wrote them for the share panel.
    pub export: RwSignal<Option<ExportView>>,
    /// A reply with the pseudonyms turned back into the real values.
    pub restored: RwSignal<Option<String>>,
    /// What a share link this page was opened from says: its version and the titles of the
    /// findings its sender saw ((code, ref, title)), until the person dismisses it.
    pub shared: RwSignal<Option<Shared>>,
    pub titles: RwSignal<Vec<(String, String, String)>>,
    /// The session's pseudonyms: a restarted worker is given them, so a value keeps its
    /// pseudonym for the whole tab, and a reply can be restored after a cancel.
    pub mapping: StoredValue<Vec<(Category, String, String)>>,
    /// Whether the inputs are kept in the tab (the person's opt-in; see `keep`).
    pub keeping: RwSignal<Keeping>,
}

impl ShareState {
    pub fn new() -> ShareState {
        ShareState {
            export: RwSignal::new(None),
            restored: RwSignal::new(None),
            shared: RwSignal::new(None),
            titles: RwSignal::new(Vec::new()),
            mapping: StoredValue::new(Vec::new()),
            keeping: RwSignal::new(Keeping::Off),
        }
    }
}

impl Default for ShareState {
    fn default() -> ShareState {
        ShareState::new()
    }
}
