//! The guided path's state, kept at the root: the person's answers and the step they moved to
//! (both in the URL fragment, see `route`), and the walk the worker last sent. The view reads it.

use std::collections::BTreeMap;

use diagnosis::wizard::Step;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct GuideState {
    /// The person's answers by step id (N1's is the branch).
    pub answers: RwSignal<BTreeMap<String, String>>,
    /// The step the person moved to (None: the first one still to answer).
    pub step: RwSignal<Option<String>>,
    /// The steps as the worker walked them.
    pub steps: RwSignal<Vec<Step>>,
}

impl Default for GuideState {
    fn default() -> GuideState {
        GuideState::new()
    }
}

impl GuideState {
    pub fn new() -> GuideState {
        GuideState {
            answers: RwSignal::new(BTreeMap::new()),
            step: RwSignal::new(None),
            steps: RwSignal::new(Vec::new()),
        }
    }

    /// Forgets every answer (the inputs were cleared).
    pub fn clear(&self) {
        self.answers.set(BTreeMap::new());
        self.step.set(None);
    }
}
