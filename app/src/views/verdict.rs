//! The answer first: per instance, what is wrong, why we think so (the strongest evidence line)
//! and what to do now (the first command, with copy); for a fleet, one line, with the fleet
//! table below. Causes come before checks and notes; an answer that rests only on the person's
//! own answers to the guide says so.

use diagnosis::knowledge::{Code, Role};
use diagnosis::report::{FindingReport, Form};
use leptos::prelude::*;

use super::command::CommandView;
use super::text::{RichText, Where};
use crate::context::{use_engine, use_guide, use_ui};
use crate::state::{group_by_node, InputOrigin, NodeGroup};
use crate::texts::{t, Text};
use crate::ui::lang_text;

#[component]
pub fn Verdict() -> impl IntoView {
    let lang = use_ui().lang;
    let engine = use_engine();
    let report = engine.report;
    let fleet = move || report.with(|r| r.form == Form::Fleet);
    let answers = Memo::new(move |_| {
        report.with(|r| {
            if r.form == Form::Fleet {
                return Vec::new();
            }
            group_by_node(r).into_iter().filter_map(|g| top(&g).map(|f| (g.node.clone(), f))).collect::<Vec<_>>()
        })
    });
    // A paste, a file or an example brings the answer into view once it is there.
    let here = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let has = answers.with(|a| !a.is_empty()) || fleet();
        let busy = engine.progress.with(Option::is_some);
        if has && !busy && engine.reveal.get_value() {
            engine.reveal.set_value(false);
            if let Some(element) = here.get_untracked() {
                crate::browser::reveal(&element);
            }
        }
    });
    view! {
        <div class="answers" data-testid="answers" node_ref=here>
            <Show when=fleet>
                <p class="fleet-summary" data-testid="fleet-summary">
                    {move || {
                        let (total, with_cause) = (engine.node_total(), engine.with_cause());
                        let top = report
                            .with(|r| {
                                r.groups.iter().find(|g| g.role == Role::Cause).map(|g| (g.title.clone(), g.node_count))
                            });
                        let mut line = t(Text::FleetSummaryLine, lang.get())
                            .replace("{n}", &total.to_string())
                            .replace("{with_cause}", &with_cause.to_string());
                        if let Some((title, count)) = top {
                            line.push(' ');
                            line.push_str(
                                &t(Text::FleetSummaryTop, lang.get())
                                    .replace("{title}", &title)
                                    .replace("{count}", &count.to_string()),
                            );
                        }
                        line
                    }}
                </p>
            </Show>
            // Rebuilt with each report: the commands follow the region, profile and language.
            {move || {
                answers.get().into_iter().map(|(node, finding)| view! { <Answer node finding /> }).collect_view()
            }}
            // Sharing is what a support engineer does next: reachable from the answer, not six
            // screens below it.
            <Show when=move || fleet() || answers.with(|a| !a.is_empty())>
                <button class="secondary" data-testid="go-share" on:click=move |_| crate::browser::open_panel("share")>
                    {lang_text(Text::GoShare, lang)}
                </button>
            </Show>
        </div>
    }
}

/// A node's finding that answers "what is wrong": its first cause, else what to check next,
/// else what was found.
fn top(group: &NodeGroup) -> Option<FindingReport> {
    [Role::Cause, Role::Check, Role::Note]
        .into_iter()
        .find_map(|role| group.findings.iter().find(|f| f.role == role && f.code != Code::RegionUnknown))
        .cloned()
}

#[component]
fn Answer(node: Option<String>, finding: FindingReport) -> impl IntoView {
    let lang = use_ui().lang;
    let (engine, guide) = (use_engine(), use_guide());
    // The title of a step and the label of the choice the person made there.
    let said = move |step: &str| {
        let value = guide.answers.with_untracked(|a| a.get(step).cloned())?;
        guide.steps.with_untracked(|walk| {
            let step = walk.iter().find(|s| s.id == step)?;
            let choice = step.choices.iter().find(|c| c.value == value)?;
            Some((step.title.clone(), choice.label.clone()))
        })
    };
    let what_key = match finding.role {
        Role::Cause => Text::AnswerWhat,
        Role::Check => Text::AnswerCheck,
        Role::Note => Text::AnswerFound,
    };
    // Which input each line is from, by the page's record of where it came from.
    let origins: Vec<Option<InputOrigin>> = finding.evidence.iter().map(|e| engine.origin_named(&e.input)).collect();
    let yours = !origins.is_empty() && origins.iter().all(|o| o.as_ref().is_some_and(InputOrigin::is_answer));
    let evidence = finding.evidence.first().cloned();
    let command = finding.commands.first().cloned();
    let role = finding.role.name();
    let node_attr = node.clone().unwrap_or_default();
    view! {
        <article
            class=format!("answer role-{role}")
            data-testid="answer"
            data-node=node_attr
            data-ref=finding.reference.clone()
            data-from=if yours { "answers" } else { "inputs" }
        >
            <p class="answer-node">
                {node.map(|n| view! { <code>{n}</code> })}
                {yours
                    .then(|| {
                        view! {
                            <span class="badge badge-yours" data-testid="from-your-answers">
                                {lang_text(Text::FromYourAnswers, lang)}
                            </span>
                        }
                    })}
            </p>
            <h3 class="answer-title" title=format!("{} · {}", finding.reference, role)>
                <span class="answer-label">{lang_text(what_key, lang)}</span>
                <RichText text=finding.title.clone() />
            </h3>
            {evidence
                .map(|e| {
                    let said = origins[0].as_ref().and_then(InputOrigin::answer_step).and_then(said);
                    let quote = match said {
                        Some((step, choice)) => {
                            // An answer is quoted in the words the person chose, not as the output it stands for.
                            view! {
                                <p data-testid="you-said">
                                    {lang_text(Text::YouSaid, lang)} " " <q>{choice}</q> " · "
                                    <span class="where">{step}</span>
                                </p>
                            }
                                .into_any()
                        }
                        None => {
                            view! {
                                <p>
                                    <mark>
                                        <code>{e.text.clone()}</code>
                                    </mark>
                                    " "
                                    <Where input=e.input.clone() line=e.line />
                                </p>
                            }
                                .into_any()
                        }
                    };
                    view! {
                        <div class="answer-why">
                            <span class="answer-label">{lang_text(Text::AnswerWhy, lang)}</span>
                            {quote}
                        </div>
                    }
                })}
            <div class="answer-do">
                <span class="answer-label">{lang_text(Text::AnswerDo, lang)}</span>
                <p>
                    <RichText text=finding.fix.clone() />
                </p>
                {command.map(|command| view! { <CommandView command /> })}
            </div>
        </article>
    }
}
