//! Paste area, file picker and page-wide drop zone, and the list of inputs with what each was
//! recognised as.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use web_sys::FileList;
use worker::protocol::Stage;

use std::time::Duration;

use crate::browser::{files_of, pasted_text, text_of};
use crate::context::{use_engine, use_ui};
use crate::state::{size_words, InputOrigin};
use crate::texts::{t, t_named, Text};
use crate::ui::lang_text;

/// Typing is diagnosed after this pause.
const TYPING_PAUSE: Duration = Duration::from_millis(1200);

#[component]
pub fn InputPanel() -> impl IntoView {
    let lang = use_ui().lang;
    let engine = use_engine();
    let report = engine.report;
    let paste = NodeRef::<html::Textarea>::new();
    let file_input = NodeRef::<html::Input>::new();
    // Enter/leave events fire for every child element: count them so the overlay does not flicker.
    let drag_depth = RwSignal::new(0i32);

    // Files go to the worker as they are (blobs), read there slice by slice.
    let add_files = move |list: Option<FileList>| {
        let Some(list) = list else { return };
        engine.reveal.set_value(true);
        for file in files_of(&list) {
            engine.add(InputOrigin::File(file.name()), file.into());
        }
    };

    let typed_at = StoredValue::new(0u32);
    let diagnose_now = move || {
        // A paste and the pause after it are one input, not two.
        typed_at.set_value(typed_at.get_value().wrapping_add(1));
        let Some(area) = paste.get_untracked() else { return };
        if engine.add_paste(&text_of(&area)) {
            // Emptying a box that holds a megabyte costs the browser ~40 ms of layout; deferring
            // it made the pasted blob's first read ten times slower, so it is done here.
            area.set_value("");
        }
    };
    let diagnose = move |_| diagnose_now();

    let _ = window_event_listener(ev::dragenter, move |e| {
        e.prevent_default();
        engine.warm_up();
        drag_depth.update(|d| *d += 1);
    });
    let _ = window_event_listener(ev::dragleave, move |_| drag_depth.update(|d| *d = (*d - 1).max(0)));
    let _ = window_event_listener(ev::dragover, move |e| e.prevent_default());
    let _ = window_event_listener(ev::drop, move |e| {
        e.prevent_default();
        drag_depth.set(0);
        add_files(e.data_transfer().and_then(|d| d.files()));
    });

    view! {
        <section class="panel inputs" aria-labelledby="inputs-heading">
            <label for="paste" class="label">
                {lang_text(Text::PasteLabel, lang)}
            </label>
            // The engine is fetched when the person starts to give it something, not before.
            <textarea
                id="paste"
                data-testid="paste"
                spellcheck="false"
                node_ref=paste
                placeholder=lang_text(Text::PastePlaceholder, lang)
                on:focus=move |_| engine.warm_up()
                // A paste is diagnosed at once; typing, when the person pauses. Into an empty
                // box the pasted text goes to the engine as it is, never into the box: the
                // browser would lay out a megabyte of text, then take 30 ms to empty the box.
                // Into a box that holds text, the whole box is read once the paste is in it.
                on:paste=move |ev| {
                    engine.reveal.set_value(true);
                    let empty = paste.get_untracked().is_some_and(|area| text_of(&area).is_falsy());
                    if empty && pasted_text(&ev).is_some_and(|text| engine.add_paste(&text)) {
                        ev.prevent_default();
                    } else {
                        set_timeout(diagnose_now, Duration::ZERO)
                    }
                }
                on:input=move |_| {
                    let at = typed_at.get_value().wrapping_add(1);
                    typed_at.set_value(at);
                    set_timeout(
                        move || {
                            if typed_at.get_value() == at {
                                diagnose_now();
                            }
                        },
                        TYPING_PAUSE,
                    );
                }
            ></textarea>
            <div class="actions">
                <button class="primary" data-testid="diagnose" on:click=diagnose>
                    {lang_text(Text::Diagnose, lang)}
                </button>
                <button
                    class="secondary"
                    data-testid="choose-files"
                    on:click=move |_| {
                        engine.warm_up();
                        if let Some(input) = file_input.get() {
                            input.click();
                        }
                    }
                >
                    {lang_text(Text::ChooseFiles, lang)}
                </button>
                <span class="hint">{lang_text(Text::DropHint, lang)}</span>
                // Hidden input behind the visible button; its value is cleared after reading so
                // the same file can be chosen again.
                <input
                    type="file"
                    multiple
                    class="visually-hidden"
                    tabindex="-1"
                    aria-hidden="true"
                    data-testid="file-input"
                    node_ref=file_input
                    on:change:target=move |ev| {
                        let input = ev.target();
                        add_files(input.files());
                        input.set_value("");
                    }
                />
            </div>
            <ProgressBar />
            <div class=move || overlay_class(drag_depth.get()) aria-hidden="true">
                {lang_text(Text::DropHere, lang)}
            </div>
            <h2 id="inputs-heading">{lang_text(Text::Inputs, lang)}</h2>
            <Show
                // An answer is what the person said, shown in the guide: never listed as an input.
                when=move || engine.listed.with(|l| l.iter().any(|i| !i.origin.is_answer()))
                fallback=move || view! { <p class="muted">{lang_text(Text::NoInputs, lang)}</p> }
            >
                <ul class="input-list" data-testid="input-list">
                    {move || {
                        let listed = engine.listed.get();
                        let rows = report.with(|r| r.inputs.clone());
                        rows.into_iter()
                            .zip(engine.input_ids())
                            .filter_map(|(row, id)| {
                                let origin = listed.iter().find(|i| i.id == id)?.origin.clone();
                                (!origin.is_answer()).then_some((id, origin, row))
                            })
                            .map(|(id, origin, row)| {
                                let status_key = format!("status_{}", row.status);
                                let name = row.name.clone();
                                // The report's rows come with the page's id of each: its origin says
                                // what it is (an answer is not listed).
                                // The report says what each input was read as; the page knows its id.
                                view! {
                                    <li
                                        class="input-row"
                                        data-testid="input-row"
                                        data-kind=row.kind.name()
                                        data-status=row.status.name()
                                    >
                                        <div class="input-head">
                                            <strong class="input-name" title=row.name.clone()>
                                                {move || origin.label(lang.get())}
                                            </strong>
                                            <span class="kind" title=row.kind.name()>
                                                {
                                                    let kind_key = format!("kind_{}", row.kind.name());
                                                    move || t_named(&kind_key, lang.get())
                                                }
                                            </span>
                                            <span class=format!(
                                                "status status-{}",
                                                row.status,
                                            )>{move || t_named(&status_key, lang.get())}</span>
                                            <span class="size">{size_words(row.size)}</span>
                                            <button
                                                class="link"
                                                data-testid="remove-input"
                                                aria-label=move || format!("{} {}", t(Text::Remove, lang.get()), name)
                                                on:click=move |_| engine.remove(id)
                                            >
                                                {lang_text(Text::Remove, lang)}
                                            </button>
                                        </div>
                                        <ul class="messages">
                                            {row.messages.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
                                        </ul>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <button class="link" data-testid="clear-inputs" on:click=move |_| engine.clear()>
                    {lang_text(Text::ClearAll, lang)}
                </button>
            </Show>
            <FailedInputs />
        </section>
    }
}

/// What the worker is doing with a large input: a bar (the share of the bytes sent, then the
/// stage), and a button that stops it.
#[component]
fn ProgressBar() -> impl IntoView {
    let lang = use_ui().lang;
    let engine = use_engine();
    let progress = engine.progress;
    // Always present (empty when idle), so showing progress does not move the page.
    view! {
        <div class="busy" role="status">
            {move || {
                progress
                    .get()
                    .map(|p| {
                        let reading = p.total > 0.0 && p.sent < p.total;
                        let label = match (&p.stage, reading) {
                            (_, true) => {
                                t(Text::BusyReadingFile, lang.get())
                                    .replace(
                                        "{name}",
                                        &p.input.as_ref().map(|i| i.label(lang.get())).unwrap_or_default(),
                                    )
                                    .replace("{done}", &size_words(p.sent as usize))
                                    .replace("{size}", &size_words(p.total as usize))
                            }
                            (Some(Stage::Diagnosing), _) => t(Text::BusyDiagnosingAll, lang.get()),
                            _ => {
                                t(Text::BusyReadingName, lang.get())
                                    .replace(
                                        "{name}",
                                        &p.input.as_ref().map(|i| i.label(lang.get())).unwrap_or_default(),
                                    )
                            }
                        };
                        let value = reading.then(|| ((p.sent / p.total.max(1.0) * 1000.0) as u32).to_string());
                        // In thousandths, formatted as an integer (no float formatting in the bundle).
                        view! {
                            <div class="progress" data-testid="busy">
                                <progress
                                    max="1000"
                                    value=value
                                    aria-label=label.clone()
                                    data-testid="progress"
                                ></progress>
                                <span class="progress-label">{label}</span>
                                <button class="secondary" data-testid="cancel" on:click=move |_| engine.cancel()>
                                    {lang_text(Text::Cancel, lang)}
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

fn overlay_class(depth: i32) -> &'static str {
    if depth > 0 {
        "drop-overlay visible"
    } else {
        "drop-overlay"
    }
}

/// Inputs the engine crashed on: set aside, named, with what it said to copy into a bug report
/// (never the input itself). The other inputs, the answers and the settings are kept.
#[component]
fn FailedInputs() -> impl IntoView {
    let lang = use_ui().lang;
    let engine = use_engine();
    move || {
        let lang = lang.get();
        let failed = engine.failed.get();
        (!failed.is_empty()).then(|| {
            let rows = failed
                .into_iter()
                .enumerate()
                .map(|(at, (origin, message))| {
                    let name = origin.name();
                    let (state, copy) = super::command::use_copy();
                    let details = format!(
                        "SSM Compliance Doctor {} (knowledge {})\ninput: {name}\n{message}",
                        env!("CARGO_PKG_VERSION"),
                        diagnosis::knowledge::VERSION
                    );
                    view! {
                        <li class="input-row failed" data-testid="failed-input">
                            <div class="input-head">
                                <strong class="input-name">{origin.label(lang)}</strong>
                                <span class="status status-rejected">{t(Text::Failed, lang)}</span>
                            </div>
                            <p class="messages" role="alert">
                                {t(Text::FailedAbout, lang)}
                            </p>
                            <div class="actions">
                                <button
                                    class="copy"
                                    data-testid="failed-copy"
                                    data-state=move || state.get().name()
                                    on:click=move |_| copy(details.clone())
                                >
                                    {move || {
                                        if state.get() == super::command::CopyState::Idle {
                                            t(Text::CopyDetails, lang)
                                        } else {
                                            t(state.get().label_key(), lang)
                                        }
                                    }}
                                </button>
                                <button
                                    class="link"
                                    data-testid="failed-dismiss"
                                    on:click=move |_| {
                                        engine
                                            .failed
                                            .update(|f| {
                                                f.remove(at);
                                            })
                                    }
                                >
                                    {t(Text::SharedDismiss, lang)}
                                </button>
                            </div>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ul class="input-list" data-testid="failed-inputs">
                    {rows}
                </ul>
            }
        })
    }
}
