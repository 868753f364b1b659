//! The opt-in that keeps the inputs in the tab's session storage, so a reload does not lose
//! them. Off by default: nothing pasted is stored anywhere unless the person asks. Answers are
//! not kept here (the URL fragment brings them back).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::bridge::Engine;
use crate::browser::{self, session};
use crate::sharing::ShareState;
use crate::state::{InputOrigin, Keeping, KEEP_LIMIT};

const KEEP_KEY: &str = "ssm-compliance-doctor-keep";
const ORIGINS_KEY: &str = "ssm-compliance-doctor-origins";

fn input_key(i: usize) -> String {
    format!("ssm-compliance-doctor-input-{i}")
}

/// Brings back the inputs kept by an earlier load of this tab, and keeps them up to date while
/// the opt-in is on.
pub fn start(engine: Engine, share: ShareState) {
    if session::get(KEEP_KEY).as_deref() == Some("1") {
        share.keeping.set(Keeping::On);
        // Each input under its origin's key ("paste:2", "file:agent.log").
        let keys = session::get(ORIGINS_KEY).unwrap_or_default();
        for (i, key) in keys.lines().enumerate() {
            if let (Some(origin), Some(text)) = (InputOrigin::from_key(key), session::get(&input_key(i))) {
                engine.add_text(origin, &text);
            }
        }
    }
    Effect::new(move |_| {
        engine.listed.track();
        if share.keeping.get_untracked() != Keeping::Off {
            save(engine, share);
        }
    });
}

/// Turns the opt-in on (the inputs are stored now) or off (everything stored is removed).
pub fn set(engine: Engine, share: ShareState, on: bool) {
    if on {
        save(engine, share);
    } else {
        forget();
        share.keeping.set(Keeping::Off);
    }
}

fn forget() {
    let count = session::get(ORIGINS_KEY).map_or(0, |n| n.lines().count());
    for i in 0..count {
        session::remove(&input_key(i));
    }
    session::remove(ORIGINS_KEY);
    session::remove(KEEP_KEY);
}

/// Stores every input but the answers; over the storage's size, or refused, nothing is kept
/// and the person is told why.
fn save(engine: Engine, share: ShareState) {
    let sources: Vec<_> =
        engine.sources().into_iter().filter_map(|(origin, blob)| origin.key().map(|key| (key, blob))).collect();
    let total: f64 = sources.iter().map(|(_, blob)| blob.size()).sum();
    if total > KEEP_LIMIT {
        forget();
        share.keeping.set(Keeping::TooLarge(total));
        return;
    }
    spawn_local(async move {
        let mut texts = Vec::with_capacity(sources.len());
        for (key, blob) in &sources {
            texts.push((key.clone(), browser::text_of_blob(blob).await.unwrap_or_default()));
        }
        forget();
        let keys: Vec<&str> = texts.iter().map(|(key, _)| key.as_str()).collect();
        let stored = session::set(KEEP_KEY, "1").is_ok()
            && session::set(ORIGINS_KEY, &keys.join("\n")).is_ok()
            && texts.iter().enumerate().all(|(i, (_, text))| session::set(&input_key(i), text).is_ok());
        if stored {
            share.keeping.set(Keeping::On);
        } else {
            forget();
            share.keeping.set(Keeping::Refused);
        }
    });
}
