//! One finding: role, title, why, the symptoms it explains, fix, the quoted evidence lines and
//! the commands.

use diagnosis::report::{EvidenceLine, FindingReport};
use leptos::prelude::*;

use super::command::CommandView;
use super::text::{RichText, Where};
use crate::context::use_ui;
use crate::texts::{t, t_named, Text};
use crate::ui::lang_text;

/// How many of a finding's evidence lines are built in the frame a new report arrives in, when
/// the rest may wait for it to be painted: a long log's first three causes quoted 66 lines, 350
/// elements built before any finding showed.
const FIRST_LINES: usize = 5;

#[component]
pub fn FindingView(
    finding: FindingReport,
    /// Set once the report's first frame is painted: the evidence lines past the first few are
    /// built then (all at once without).
    rest_after: Option<RwSignal<bool>>,
) -> impl IntoView {
    let lang = use_ui().lang;
    let role = finding.role.name();
    let role_key = format!("role_{role}");
    let (shown, per_os) = crate::state::split_commands(&finding.commands);
    view! {
        <section
            class=format!("finding role-{role}")
            data-testid="finding"
            data-code=finding.code.name()
            data-ref=finding.reference.clone()
            data-role=role
        >
            // The code and the role are for those who look for them: in the tooltip.
            <h4 class="finding-title" title=format!("{} · {}", finding.reference, role)>
                <span class=format!("badge badge-{role}")>{move || t_named(&role_key, lang.get())}</span>
                <span class="title-text">
                    <RichText text=finding.title.clone() />
                </span>
            </h4>
            <p class="why">
                <RichText text=finding.why.clone() />
            </p>
            {(!finding.supporting.is_empty())
                .then(|| {
                    view! {
                        <div class="supporting" data-testid="supporting">
                            {lang_text(Text::Explains, lang)}
                            <ul>
                                {finding
                                    .supporting
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <li data-ref=s.reference.clone() title=s.reference.clone()>
                                                <RichText text=s.title.clone() />
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })}
            <p class="fix">
                // The punctuation is the language's own (a full-width colon in Chinese).
                <strong>{lang_text(Text::Fix, lang)}</strong>
                <RichText text=finding.fix.clone() />
            </p>
            // No lines, no "Why we think so (0)".
            {(!finding.evidence.is_empty())
                .then(|| {
                    let count = finding.evidence.len().to_string();
                    let mut now = finding.evidence;
                    let later = rest_after
                        .filter(|_| now.len() > FIRST_LINES)
                        .map(|whole| (now.split_off(FIRST_LINES), whole));
                    view! {
                        <details class="evidence" open=finding.role == diagnosis::Role::Cause>
                            <summary>{move || t(Text::Evidence, lang.get()).replace("{n}", &count)}</summary>
                            <ol>
                                {evidence_lines(now)}
                                {later.map(|(later, whole)| move || whole.get().then(|| evidence_lines(later.clone())))}
                            </ol>
                        </details>
                    }
                })}
            <div class="commands">
                {shown.into_iter().map(|command| view! { <CommandView command /> }).collect_view()}
                {(!per_os.is_empty())
                    .then(|| {
                        let n = per_os.len().to_string();
                        view! {
                            <details class="on-node" data-testid="on-node-commands">
                                <summary>{move || t(Text::OnNodeCommands, lang.get()).replace("{n}", &n)}</summary>
                                {per_os.into_iter().map(|command| view! { <CommandView command /> }).collect_view()}
                            </details>
                        }
                    })}
            </div>
        </section>
    }
}

/// Quoted evidence lines: one function for those built at once and those built after the first
/// paint.
fn evidence_lines(lines: Vec<EvidenceLine>) -> AnyView {
    lines
        .into_iter()
        .map(|e| {
            view! {
                <li data-testid="evidence-line">
                    <Where input=e.input line=e.line />
                    <mark>
                        <code>{e.text}</code>
                    </mark>
                </li>
            }
        })
        .collect_view()
        .into_any()
}
