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

/// The four handles, provided as one context value: each lookup by type costs the page's
/// bundle its own code (about 800 bytes), and a component still takes only what it names.
#[derive(Clone, Copy)]
struct Handles {
    ui: Ui,
    engine: Engine,
    guide: GuideState,
    share: ShareState,
}

fn handles() -> Handles {
    expect_context::<Handles>()
}

pub fn use_ui() -> Ui {
    handles().ui
}

pub fn use_engine() -> Engine {
    handles().engine
}

pub fn use_guide() -> GuideState {
    handles().guide
}

pub fn use_share() -> ShareState {
    handles().share
}

/// Makes the page's state and starts what keeps it in step (the URL, the tab's storage).
pub fn provide(ui: Ui) -> Engine {
    let guide = GuideState::new();
    let share = ShareState::new();
    let engine = Engine::new(ui, guide, share);
    provide_context(Handles { ui, engine, guide, share });
    crate::route::start(guide, engine, share);
    crate::keep::start(engine, share);
    engine
}
