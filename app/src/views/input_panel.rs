//! Paste area, file picker and page-wide drop zone, and the list of inputs with what each was
//! recognised as.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

use web_sys::FileList;

use crate::app::{use_ui, use_workspace};
use crate::browser::{files_of, read_files};
use crate::texts::t;

#[component]
pub fn InputPanel() -> impl IntoView {
    let lang = use_ui().lang;
    let workspace = use_workspace();
    let report = workspace.report;
    let draft = RwSignal::new(String::new());
    let file_input = NodeRef::<html::Input>::new();
    // Enter/leave events fire for every child element: count them so the overlay does not flicker.
    let drag_depth = RwSignal::new(0i32);
    // What is being read or diagnosed right now, for large inputs.
    let busy = RwSignal::new(None::<String>);

    let add_files = move |list: Option<FileList>| {
        let Some(list) = list else { return };
        let files = files_of(&list);
        if files.is_empty() {
            return;
        }
        busy.set(Some(t("busy_reading", lang.get_untracked()).replace("{n}", &files.len().to_string())));
        spawn_local(async move {
            for (name, bytes) in read_files(files).await {
                match bytes {
                    Ok(bytes) => workspace.add(&name, bytes),
                    Err(error) => workspace.add_unreadable(&name, &error),
                }
            }
            // After the diagnosis the update triggered has run.
            set_timeout(move || busy.set(None), Duration::ZERO);
        });
    };

    let diagnose = move |_| {
        let text = draft.get_untracked();
        if text.len() < LARGE {
            if workspace.add_paste(&text) {
                draft.set(String::new());
            }
            return;
        }
        // Say so first, and let the browser paint it, then do the heavy work.
        busy.set(Some(t("busy_diagnosing", lang.get_untracked()).replace("{size}", &format_size(text.len()))));
        set_timeout(
            move || {
                workspace.add_paste(&text);
                draft.set(String::new());
                set_timeout(move || busy.set(None), Duration::ZERO);
            },
            Duration::from_millis(30),
        );
    };

    let _ = window_event_listener(ev::dragenter, move |e| {
        e.prevent_default();
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
                {move || t("paste_label", lang.get())}
            </label>
            <textarea
                id="paste"
                data-testid="paste"
                spellcheck="false"
                placeholder=move || t("paste_placeholder", lang.get())
                prop:value=move || draft.get()
                on:input:target=move |ev| draft.set(ev.target().value())
            ></textarea>
            <div class="actions">
                <button class="primary" data-testid="diagnose" on:click=diagnose>
                    {move || t("diagnose", lang.get())}
                </button>
                <button
                    class="secondary"
                    data-testid="choose-files"
                    on:click=move |_| {
                        if let Some(input) = file_input.get() {
                            input.click();
                        }
                    }
                >
                    {move || t("choose_files", lang.get())}
                </button>
                <span class="hint">{move || t("drop_hint", lang.get())}</span>
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
            // Always present (empty when idle), so showing progress does not move the page.
            <p class="busy" role="status">
                {move || {
                    busy.get()
                        .map(|message| {
                            view! {
                                <span data-testid="busy">
                                    <span class="spinner" aria-hidden="true"></span>
                                    {message}
                                </span>
                            }
                        })
                }}
            </p>
            <div class=move || overlay_class(drag_depth.get()) aria-hidden="true">
                {move || t("drop_here", lang.get())}
            </div>
            <h2 id="inputs-heading">{move || t("inputs", lang.get())}</h2>
            <Show
                when=move || !workspace.is_empty()
                fallback=move || view! { <p class="muted">{move || t("no_inputs", lang.get())}</p> }
            >
                <ul class="input-list" data-testid="input-list">
                    {move || {
                        let ids = workspace.ids();
                        let rows = report.with(|r| r.inputs.clone());
                        ids.into_iter()
                            .zip(rows)
                            .map(|(id, row)| {
                                let status_key = format!("status_{}", row.status);
                                let name = row.name.clone();
                                view! {
                                    <li
                                        class="input-row"
                                        data-testid="input-row"
                                        data-kind=row.kind.name()
                                        data-status=row.status.name()
                                    >
                                        <div class="input-head">
                                            <strong class="input-name">{row.name.clone()}</strong>
                                            <span class="kind">{row.kind.name()}</span>
                                            <span class=format!(
                                                "status status-{}",
                                                row.status,
                                            )>{move || t(&status_key, lang.get())}</span>
                                            <span class="size">{format_size(row.size)}</span>
                                            <button
                                                class="link"
                                                data-testid="remove-input"
                                                aria-label=move || format!("{} {}", t("remove", lang.get()), name)
                                                on:click=move |_| workspace.remove(id)
                                            >
                                                {move || t("remove", lang.get())}
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
                <button class="link" data-testid="clear-inputs" on:click=move |_| workspace.clear()>
                    {move || t("clear_all", lang.get())}
                </button>
            </Show>
        </section>
    }
}

/// Pastes above this size are diagnosed after the busy state is painted.
const LARGE: usize = 256 * 1024;

fn overlay_class(depth: i32) -> &'static str {
    if depth > 0 {
        "drop-overlay visible"
    } else {
        "drop-overlay"
    }
}

fn format_size(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}
