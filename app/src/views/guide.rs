//! The guided path through the decision tree. It starts on the empty page with the article's
//! first question; each answer narrows the path exactly as pasted evidence does (an answer that
//! states an output is added as an input of its own, see `guided`). Steps the evidence settles
//! show what settled them; once a cause is proven, the path asks only what could still change it
//! and ends with the check after the fix. The state (answers, step, URL) is kept at the root.

use std::collections::BTreeMap;

use diagnosis::report::Form;
use diagnosis::wizard::{Step, StepKind, StepStatus};
use leptos::prelude::*;

use super::command::CommandView;
use super::share::SharedNote;
use super::text::{RichText, Where};
use crate::bridge::Engine;
use crate::context::{use_engine, use_guide, use_ui};
use crate::guided::GuideState;
use crate::texts::{t, t_named, Text};
use crate::ui::lang_text;
use diagnosis::knowledge::Lang;

#[component]
pub fn Guide() -> impl IntoView {
    let ui = use_ui();
    let lang = ui.lang;
    let (engine, guide) = (use_engine(), use_guide());
    let answers = guide.answers;
    let selected = guide.step;

    // Before the engine has walked anything (the empty page): its first question, answerable.
    let walk = Memo::new(move |_| {
        let steps = guide.steps.get();
        if steps.is_empty() {
            first_walk(lang.get())
        } else {
            steps
        }
    });
    let current = Memo::new(move |_| {
        let walk = walk.get();
        let open = walk.iter().position(|s| s.status == StepStatus::Ask).unwrap_or(walk.len().saturating_sub(1));
        selected.get().and_then(|id| walk.iter().position(|s| s.id == id)).unwrap_or(open)
    });
    let go = move |i: usize| selected.set(walk.with_untracked(|w| w.get(i).map(|s| s.id.clone())));
    // Inputs that prove a cause leave only the check after the fix to ask: the path folds away,
    // open on request (the verdict above says what matters). A person walking it by answering
    // keeps it open, to the check after the fix.
    let settled = move || {
        answers.with(BTreeMap::is_empty)
            && walk.with(|w| w.len() > 1 && w.iter().all(|s| s.status != StepStatus::Ask || s.kind == StepKind::Verify))
    };
    let progress = move || {
        let (done, total) = walk.with(|w| {
            (
                w.iter().filter(|s| s.status == StepStatus::Answered).count(),
                w.iter().filter(|s| s.kind != StepKind::Verify).count(),
            )
        });
        t(Text::GuideProgress, lang.get()).replace("{done}", &done.to_string()).replace("{total}", &total.to_string())
    };
    // Named, because a `>` inside a view! attribute would end the tag.
    let at_start = move || current.get() == 0;
    let at_end = move || current.get() + 1 >= walk.with(Vec::len);
    // A fleet's guided path is a node's: it waits for a node opened from the table, instead of
    // walking the first of thousands under the fleet view.
    let fleet_without_node =
        move || engine.report.with(|r| r.form == Form::Fleet) && engine.detail.with(Option::is_none);
    view! {
        <Show
            when=move || !fleet_without_node()
            fallback=move || {
                view! {
                    <p class="muted" data-testid="guide-fleet-note">
                        {lang_text(Text::GuideFleet, lang)}
                    </p>
                }
            }
        >
            <details class="guide" data-testid="guide" open=move || !settled()>
                <summary data-testid="guide-summary">
                    <h3 id="guide-heading">{lang_text(Text::Guide, lang)}</h3>
                    <span class="muted guide-progress">{progress}</span>
                </summary>
                <SharedNote />
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
                                            title=step.id.clone()
                                            aria-current=move || (current.get() == i).then_some("step")
                                            on:click=move |_| go(i)
                                        >
                                            {step.title.clone()}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
                {move || {
                    walk.get().get(current.get()).cloned().map(|step| view! { <StepView step engine guide /> })
                }}
                <div class="actions">
                    <button
                        class="secondary"
                        data-testid="guide-back"
                        disabled=at_start
                        on:click=move |_| go(current.get().saturating_sub(1))
                    >
                        {lang_text(Text::GuideBack, lang)}
                    </button>
                    <button
                        class="secondary"
                        data-testid="guide-next"
                        disabled=at_end
                        on:click=move |_| go(current.get() + 1)
                    >
                        {lang_text(Text::GuideNext, lang)}
                    </button>
                </div>
            </details>
        </Show>
    }
}

/// The walk of the empty page, as build.rs walked it: the first question with its choices and
/// command, before the engine is loaded.
fn first_walk(lang: Lang) -> Vec<Step> {
    let bytes: &[u8] = match lang {
        Lang::En => include_bytes!(concat!(env!("OUT_DIR"), "/first_walk_en.bin")),
        Lang::ZhCn => include_bytes!(concat!(env!("OUT_DIR"), "/first_walk_zh-CN.bin")),
    };
    postcard::from_bytes(bytes).unwrap_or_default()
}

fn status_name(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Answered => "answered",
        StepStatus::Ask => "ask",
        StepStatus::Later => "later",
        StepStatus::Optional => "optional",
    }
}

#[component]
fn StepView(step: Step, engine: Engine, guide: GuideState) -> impl IntoView {
    let lang = use_ui().lang;
    let answers = guide.answers;
    let status = status_name(step.status);
    let status_key = if step.by_you { "guide_answered_by_you".to_string() } else { format!("guide_{status}") };
    let draft = RwSignal::new(String::new());
    let add = move |_| {
        let text = draft.get_untracked();
        if engine.add_paste(&wasm_bindgen::JsValue::from_str(&text)) {
            draft.set(String::new());
        }
    };
    view! {
        <div class="step" data-testid="guide-step" data-id=step.id.clone() data-status=status>
            <p class="step-status">{move || t_named(&status_key, lang.get())}</p>
            <p class="step-question">
                <RichText text=step.question.clone() />
            </p>
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
                                            <RichText text=a.title.clone() />
                                            <ol class="evidence-inline">
                                                {a
                                                    .evidence
                                                    .iter()
                                                    .map(|e| {
                                                        view! {
                                                            <li>
                                                                <Where input=e.input.clone() line=e.line />
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
                                    let choose = move |_| {
                                        answers
                                            .update(|a| {
                                                a.insert(step_id.clone(), value.clone());
                                            });
                                        guide.step.set(None);
                                    };
                                    let is_pressed = move || {
                                        answers.with(|a| a.get(&pressed_step) == Some(&pressed))
                                    };
                                    // An answer narrows the path; one that states an output is added as
                                    // an input (replacing an earlier answer to this step).
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
            {(step.status != StepStatus::Answered && step.command.is_some())
                .then(|| {
                    view! {
                        <p class="muted">{lang_text(Text::GuideRun, lang)}</p>
                        {step.command.clone().map(|command| view! { <CommandView command /> })}
                        // The step's code means nothing to a screen reader: the question above
                        // says what to paste.
                        <label class="visually-hidden" for="guide-answer">
                            {lang_text(Text::GuidePaste, lang)}
                        </label>
                        <textarea
                            id="guide-answer"
                            class="answer"
                            data-testid="guide-answer"
                            spellcheck="false"
                            placeholder=lang_text(Text::GuidePaste, lang)
                            prop:value=move || draft.get()
                            on:input:target=move |ev| draft.set(ev.target().value())
                        ></textarea>
                        <button class="primary" data-testid="guide-add" on:click=add>
                            {lang_text(Text::GuideAdd, lang)}
                        </button>
                    }
                })}
        </div>
    }
}
