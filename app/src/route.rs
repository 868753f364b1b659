//! The guided path kept in step: with the URL fragment (read on load and on Back/Forward,
//! written when the path moves), with the worker (asked for the walk of the node in view), and
//! with the inputs (an answer that states an output is an input of its own).

use std::collections::BTreeMap;

use diagnosis::wizard::Step;
use leptos::ev;
use leptos::prelude::*;

use crate::bridge::Engine;
use crate::browser;
use crate::guided::GuideState;
use crate::sharing::ShareState;
use crate::state::{InputOrigin, Route};

/// Keeps the guide's state in step with the URL fragment, the worker and the inputs.
pub fn start(guide: GuideState, engine: Engine, share: ShareState) {
    let GuideState { answers, step, steps } = guide;
    // The URL fragment: read on load and on Back/Forward, written when the path moves.
    let restore = move || {
        let route = Route::parse(&browser::fragment());
        if answers.with_untracked(|a| *a != route.answers) {
            answers.set(route.answers);
        }
        if step.with_untracked(|s| *s != route.step) {
            step.set(route.step);
        }
        if route.shared.is_some() && share.shared.with_untracked(|s| *s != route.shared) {
            share.shared.set(route.shared);
        }
    };
    restore();
    let _ = window_event_listener(ev::hashchange, move |_| restore());
    Effect::new(move |_| {
        let fragment = Route { answers: answers.get(), step: step.get(), shared: share.shared.get() }.fragment();
        if browser::fragment() != fragment {
            browser::set_fragment(&fragment);
        }
    });
    // The worker walks the tree (it holds the findings): for the first node, or in a fleet
    // the one opened from its table, with the person's answers.
    Effect::new(move |_| {
        let node = engine.detail.with(|d| d.as_ref().map(|(node, _)| node.clone()));
        engine.request_guide(node, answers.get());
    });
    // Answers that state an output are inputs of their own, kept in step with the answers.
    let given = StoredValue::new(BTreeMap::<String, String>::new());
    Effect::new(move |_| reconcile(engine, &steps.get(), &answers.get(), given));
}

/// Adds, replaces or takes back the inputs that answers stand for.
fn reconcile(
    engine: Engine,
    walk: &[Step],
    answers: &BTreeMap<String, String>,
    given: StoredValue<BTreeMap<String, String>>,
) {
    let wanted: BTreeMap<String, String> = walk
        .iter()
        .filter_map(|step| {
            let value = answers.get(&step.id)?;
            let text = step.choices.iter().find(|c| &c.value == value)?.asserts.clone()?;
            Some((step.id.clone(), text))
        })
        .collect();
    let had = given.get_value();
    for (step, text) in &wanted {
        if had.get(step) != Some(text) {
            engine.add_text(InputOrigin::Answer(step.clone()), text);
        }
    }
    for step in had.keys().filter(|step| !wanted.contains_key(*step)) {
        // Taken back only when the answer changed, not while the walk is being rewritten.
        if !answers.contains_key(step) || walk.iter().any(|s| &s.id == step) {
            engine.remove_origin(&InputOrigin::Answer(step.clone()));
        }
    }
    given.set_value(wanted);
}
