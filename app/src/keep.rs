//! The opt-in that keeps the inputs in the tab's session storage, so a reload does not lose
//! them. Off by default: nothing pasted is stored anywhere unless the person asks. Answers are
//! not kept here (the URL fragment brings them back).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::Workspace;
use crate::browser::{self, session};
use crate::state::{is_answer, Keeping, KEEP_LIMIT};

const KEEP_KEY: &str = "ssm-compliance-doctor-keep";
const NAMES_KEY: &str = "ssm-compliance-doctor-inputs";

fn input_key(i: usize) -> String {
    format!("ssm-compliance-doctor-input-{i}")
}

/// Brings back the inputs kept by an earlier load of this tab, and keeps them up to date while
/// the opt-in is on.
pub fn start(workspace: Workspace) {
    if session::get(KEEP_KEY).as_deref() == Some("1") {
        workspace.keeping.set(Keeping::On);
        let names = session::get(NAMES_KEY).unwrap_or_default();
        for (i, name) in names.lines().enumerate().filter(|(_, n)| !n.is_empty()) {
            if let Some(text) = session::get(&input_key(i)) {
                workspace.add_kept(name, &text);
            }
        }
    }
    Effect::new(move |_| {
        workspace.listed.track();
        if workspace.keeping.get_untracked() != Keeping::Off {
            save(workspace);
        }
    });
}

/// Turns the opt-in on (the inputs are stored now) or off (everything stored is removed).
pub fn set(workspace: Workspace, on: bool) {
    if on {
        save(workspace);
    } else {
        forget();
        workspace.keeping.set(Keeping::Off);
    }
}

fn forget() {
    let count = session::get(NAMES_KEY).map_or(0, |n| n.lines().count());
    for i in 0..count {
        session::remove(&input_key(i));
    }
    session::remove(NAMES_KEY);
    session::remove(KEEP_KEY);
}

/// Stores every input but the answers; over the storage's size, or refused, nothing is kept
/// and the person is told why.
fn save(workspace: Workspace) {
    let sources: Vec<_> = workspace.sources().into_iter().filter(|(name, _)| !is_answer(name)).collect();
    let total: f64 = sources.iter().map(|(_, blob)| blob.size()).sum();
    if total > KEEP_LIMIT {
        forget();
        workspace.keeping.set(Keeping::TooLarge(total));
        return;
    }
    spawn_local(async move {
        let mut texts = Vec::with_capacity(sources.len());
        for (name, blob) in &sources {
            texts.push((name.replace('\n', " "), browser::text_of_blob(blob).await.unwrap_or_default()));
        }
        forget();
        let names: Vec<&str> = texts.iter().map(|(name, _)| name.as_str()).collect();
        let stored = session::set(KEEP_KEY, "1").is_ok()
            && session::set(NAMES_KEY, &names.join("\n")).is_ok()
            && texts.iter().enumerate().all(|(i, (_, text))| session::set(&input_key(i), text).is_ok());
        if stored {
            workspace.keeping.set(Keeping::On);
        } else {
            forget();
            workspace.keeping.set(Keeping::Refused);
        }
    });
}
