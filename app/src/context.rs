//! What the components may reach through context, each piece on its own so a component takes
//! only what it uses (the Leptos todomvc way): the interface settings (`Ui`), the engine bridge
//! (inputs, worker, report, progress), the guided path's state and the share state. These are
//! the page's roots; none of them imports a view. The modules form no cycle: `ui`, `state`,
//! `sharing` and `guided` hold data; `bridge` drives the worker with them; `route` and `keep`
//! keep them in step with the URL and the tab; this module makes them; the views read them.

use leptos::prelude::*;

use crate::bridge::Engine;
use crate::guided::GuideState;
use crate::sharing::ShareState;
pub use crate::ui::Ui;

pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

pub fn use_engine() -> Engine {
    expect_context::<Engine>()
}

pub fn use_guide() -> GuideState {
    expect_context::<GuideState>()
}

pub fn use_share() -> ShareState {
    expect_context::<ShareState>()
}

/// Makes the page's state and starts what keeps it in step (the URL, the tab's storage).
pub fn provide(ui: Ui) -> Engine {
    provide_context(ui);
    let guide = GuideState::new();
    let share = ShareState::new();
    let engine = Engine::new(ui, guide, share);
    provide_context(guide);
    provide_context(share);
    provide_context(engine);
    crate::route::start(guide, engine, share);
    crate::keep::start(engine, share);
    engine
}
