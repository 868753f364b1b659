//! The report as the browser prints it (to paper or PDF): the redacted export the share panel
//! shows, laid out as the page lays out a diagnosis, with the decision path after it. Hidden on
//! screen; when it exists, the print stylesheet prints it alone.

use diagnosis::wizard::StepStatus;
use leptos::prelude::*;

use super::results::NodeCard;
use super::text::RichText;
use crate::context::{use_share, use_ui};
use crate::state::group_by_node;
use crate::texts::Text;
use crate::ui::lang_text;

/// How many nodes' verdicts head the print-out (a fleet's are in its groups).
const PRINTED_VERDICTS: usize = 20;

/// The time the report is printed, in UTC, to the minute: `2026-12-02 18:25 UTC`.
fn printed_at() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    format!("{} {} UTC", iso.get(..10).unwrap_or_default(), iso.get(11..16).unwrap_or_default())
}

#[component]
pub fn PrintReport() -> impl IntoView {
    let lang = use_ui().lang;
    let export = use_share().export;
    move || {
        export.get().map(|export| {
            let groups = group_by_node(&export.report);
            let verdicts: Vec<(String, String)> = export
                .report
                .nodes
                .iter()
                .take(PRINTED_VERDICTS)
                .map(|n| (n.node.clone(), n.verdict.clone()))
                .collect();
            let inputs = export.report.inputs.clone();
            let path: Vec<_> = export
                .walk
                .into_iter()
                .filter(|s| matches!(s.status, StepStatus::Answered | StepStatus::Ask))
                .collect();
            view! {
                <article class="print-report" data-testid="print-report">
                    <h1>{lang_text(Text::PrintHeading, lang)}</h1>
                    // When it was written, and the verdict per node, before anything else.
                    <p class="print-meta" data-testid="print-date">
                        {printed_at()}
                    </p>
                    <ul class="print-verdicts" data-testid="print-verdicts">
                        {verdicts
                            .into_iter()
                            .map(|(node, verdict)| {
                                view! {
                                    <li>
                                        <strong>{node}</strong>
                                        {lang_text(Text::Colon, lang)}
                                        <RichText text=verdict />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <h2>{lang_text(Text::Inputs, lang)}</h2>
                    <ul>
                        {inputs
                            .into_iter()
                            .map(|i| {
                                view! { <li>{format!("{} · {} · {}", i.name, i.kind.name(), i.status.name())}</li> }
                            })
                            .collect_view()}
                    </ul>
                    {groups.into_iter().map(|group| view! { <NodeCard group /> }).collect_view()}
                    {(!path.is_empty())
                        .then(|| {
                            view! {
                                <h2>{lang_text(Text::Guide, lang)}</h2>
                                <ol class="print-path">
                                    {path
                                        .into_iter()
                                        .map(|step| {
                                            let said = if step.status == StepStatus::Ask {
                                                step.question.clone()
                                            } else {
                                                step.answers
                                                    .iter()
                                                    .map(|a| a.title.clone())
                                                    .collect::<Vec<_>>()
                                                    .join(" · ")
                                            };
                                            view! {
                                                <li>
                                                    <strong>{step.title.clone()}</strong>
                                                    " — "
                                                    <RichText text=said />
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                        })}
                </article>
            }
        })
    }
}
