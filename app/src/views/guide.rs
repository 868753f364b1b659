//! The guided path through the decision tree for the first instance: answered steps show what
//! answered them; the first open step asks, with choices, the command that answers it, and a box
//! to paste its output into the diagnosis. Back and next move along; answers can be changed.

use diagnosis::wizard::{Step, StepStatus};
use leptos::prelude::*;

use super::command::CommandView;
use crate::app::{use_ui, use_workspace, Workspace};
use crate::texts::t;

#[component]
pub fn Guide() -> impl IntoView {
    let ui = use_ui();
    let lang = ui.lang;
    let workspace = use_workspace();
    let chosen = RwSignal::new(None::<String>);
    // Answers given by choosing, per step (the asserted output is an input of its own).
    let picked = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    // None: follow the first open step; Some(i): the step the person moved to.
    let selected = RwSignal::new(None::<usize>);
    let answer = RwSignal::new(String::new());
    // The worker walks the tree (it holds the findings): for the first node, or in a fleet the
    // one opened from its table, with the branch the person chose.
    Effect::new(move |_| {
        let node = workspace.detail.with(|d| d.as_ref().map(|(node, _)| node.clone()));
        workspace.request_guide(node, chosen.get());
    });
    let walk = workspace.guide;
    let current = Memo::new(move |_| {
        let walk = walk.get();
        let open = walk.iter().position(|s| s.status == StepStatus::Ask).unwrap_or(walk.len().saturating_sub(1));
        selected.get().filter(|i| *i < walk.len()).unwrap_or(open)
    });
    let has_inputs = move || !workspace.is_empty();
    // Named, because a `>` inside a view! attribute would end the tag.
    let at_start = move || current.get() == 0;
    let at_end = move || current.get() + 1 >= walk.with(Vec::len);
    view! {
        <Show when=has_inputs>
            <section class="guide" aria-labelledby="guide-heading" data-testid="guide">
                <h3 id="guide-heading">{move || t("guide", lang.get())}</h3>
                <ol class="breadcrumb">
                    {move || {
                        walk.get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, step)| {
                                let status = status_name(step.status);
                                view! {
                                    <li>
                                        <button
                                            class=format!("crumb crumb-{status}")
                                            data-testid="guide-crumb"
                                            data-id=step.id.clone()
                                            data-status=status
                                            aria-current=move || (current.get() == i).then_some("step")
                                            on:click=move |_| selected.set(Some(i))
                                        >
                                            <span class="crumb-id">{step.id.clone()}</span>
                                            " "
                                            {step.title.clone()}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
                {move || {
                    walk.get()
                        .get(current.get())
                        .cloned()
                        .map(|step| view! { <StepView step workspace chosen picked answer /> })
                }}
                <div class="actions">
                    <button
                        class="secondary"
                        data-testid="guide-back"
                        disabled=at_start
                        on:click=move |_| selected.set(Some(current.get().saturating_sub(1)))
                    >
                        {move || t("guide_back", lang.get())}
                    </button>
                    <button
                        class="secondary"
                        data-testid="guide-next"
                        disabled=at_end
                        on:click=move |_| selected.set(Some(current.get() + 1))
                    >
                        {move || t("guide_next", lang.get())}
                    </button>
                </div>
            </section>
        </Show>
    }
}

fn status_name(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Answered => "answered",
        StepStatus::Ask => "ask",
        StepStatus::Later => "later",
    }
}

#[component]
fn StepView(
    step: Step,
    workspace: Workspace,
    chosen: RwSignal<Option<String>>,
    picked: RwSignal<std::collections::BTreeMap<String, String>>,
    answer: RwSignal<String>,
) -> impl IntoView {
    let lang = use_ui().lang;
    let status = status_name(step.status);
    let status_key = format!("guide_{status}");
    let id = step.id.clone();
    let add = move |_| {
        let text = answer.get_untracked();
        if workspace.add_paste(&wasm_bindgen::JsValue::from_str(&text)) {
            answer.set(String::new());
        }
    };
    view! {
        <div class="step" data-testid="guide-step" data-id=step.id.clone() data-status=status>
            <p class="step-status">{move || t(&status_key, lang.get())}</p>
            <p class="step-question">{step.question.clone()}</p>
            {(!step.answers.is_empty())
                .then(|| {
                    view! {
                        <ul class="step-answers">
                            {step
                                .answers
                                .iter()
                                .map(|a| {
                                    view! {
                                        <li data-testid="guide-answer-item">
                                            {a.title.clone()}
                                            <ol class="evidence-inline">
                                                {a
                                                    .evidence
                                                    .iter()
                                                    .map(|e| {
                                                        view! {
                                                            <li>
                                                                <span class="where">
                                                                    {format!("{}:{}", e.input, e.line.unwrap_or(0))}
                                                                </span>
                                                                <mark>
                                                                    <code>{e.text.clone()}</code>
                                                                </mark>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ol>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {(!step.choices.is_empty())
                .then(|| {
                    view! {
                        <div class="choices" role="group" aria-label=step.question.clone()>
                            {step
                                .choices
                                .iter()
                                .map(|choice| {
                                    let value = choice.value.clone();
                                    let pressed = value.clone();
                                    let step_id = step.id.clone();
                                    let pressed_step = step_id.clone();
                                    let asserts = choice.asserts.clone();
                                    let choose = move |_| match &asserts {
                                        Some(text) => {
                                            let name = format!("your answer ({step_id})");
                                            workspace.add_text(&name, text);
                                            picked
                                                .update(|p| {
                                                    p.insert(step_id.clone(), value.clone());
                                                });
                                        }
                                        None => chosen.set(Some(value.clone())),
                                    };
                                    let is_pressed = move || {
                                        chosen.get().as_deref() == Some(pressed.as_str())
                                            || picked.with(|p| p.get(&pressed_step) == Some(&pressed))
                                    };
                                    // The answer stands for an output: add it (replacing an earlier answer
                                    // to this step) so the diagnosis reads it like any paste.
                                    view! {
                                        <button
                                            class="chip"
                                            data-testid="guide-choice"
                                            data-value=choice.value.clone()
                                            aria-pressed=move || if is_pressed() { "true" } else { "false" }
                                            on:click=choose
                                        >
                                            {choice.label.clone()}
                                        </button>
                                    }
                                })
                                .collect_view()}
                        </div>
                    }
                })}
            {(step.status != StepStatus::Answered)
                .then(|| {
                    let label = format!("{} ({id})", t("guide_paste", lang.get_untracked()));
                    view! {
                        <p class="muted">{move || t("guide_run", lang.get())}</p>
                        {step.command.clone().map(|command| view! { <CommandView command /> })}
                        <label class="visually-hidden" for="guide-answer">
                            {label}
                        </label>
                        <textarea
                            id="guide-answer"
                            class="answer"
                            data-testid="guide-answer"
                            spellcheck="false"
                            placeholder=move || t("guide_paste", lang.get())
                            prop:value=move || answer.get()
                            on:input:target=move |ev| answer.set(ev.target().value())
                        ></textarea>
                        <button class="primary" data-testid="guide-add" on:click=add>
                            {move || t("guide_add", lang.get())}
                        </button>
                    }
                })}
        </div>
    }
}
