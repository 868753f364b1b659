//! The diagnosis: one card per managed node with its verdict and findings.

use diagnosis::report::FindingReport;
use leptos::prelude::*;

use super::finding::FindingView;
use crate::context::{use_engine, use_ui};
use crate::state::{compliance_types, counts_line, NodeGroup};
use crate::texts::{t, Text};
use crate::ui::lang_text;

#[component]
pub fn Results(
    groups: Memo<Vec<NodeGroup>>,
    /// Shown above the node cards (the guide, the fleet table).
    children: Children,
) -> impl IntoView {
    let lang = use_ui().lang;
    let progress = use_engine().progress;
    let busy = move || progress.with(Option::is_some);
    let report = use_engine().report;
    let fleet = move || report.with(|r| r.form == diagnosis::report::Form::Fleet);
    // A fleet's cards are many; the fleet table lists every instance, the cards follow on demand.
    let show_all = RwSignal::new(false);
    // The cards show their first findings in the frame they are built in, the rest once that
    // frame is painted (`whole`): the list is busy until then.
    let whole = RwSignal::new(true);
    view! {
        <section class="panel results" aria-labelledby="results-heading">
            <h2 id="results-heading">{lang_text(Text::Results, lang)}</h2>
            {children()}
            // Screen readers hear the new verdicts when a diagnosis finishes.
            // Busy while an input is on its way or being diagnosed (tests and screen readers wait).
            <div aria-live="polite" data-testid="results" aria-busy=move || (busy() || !whole.get()).to_string()>
                <Show
                    when=move || groups.with(|g| !g.is_empty())
                    // Under a fleet's view there is always something to report: no "Nothing to report".
                    fallback=move || {
                        (!fleet()).then(|| view! { <p class="muted">{lang_text(Text::NoFindings, lang)}</p> })
                    }
                >
                    {move || {
                        let groups = groups.get();
                        let total = groups.len();
                        let shown = if show_all.get() { total } else { total.min(FIRST_CARDS) };
                        let instances = groups.iter().filter(|g| g.node.is_some()).count();
                        whole.set(false);
                        crate::browser::after_first_paint(whole);
                        let mut budget = FIRST_FINDINGS;
                        let cards = groups
                            .into_iter()
                            .take(shown)
                            .map(|group| {
                                let first = budget.min(group.findings.len());
                                budget -= first;
                                view! { <NodeCard group first=(first, whole) /> }
                            })
                            .collect_view();
                        // The button counts instances; the card of findings tied to no node is not one.
                        view! {
                            {cards}
                            {(shown < total)
                                .then(|| {
                                    view! {
                                        <button
                                            class="secondary"
                                            data-testid="show-all"
                                            on:click=move |_| show_all.set(true)
                                        >
                                            {move || {
                                                t(Text::ShowAll, lang.get()).replace("{n}", &instances.to_string())
                                            }}
                                        </button>
                                    }
                                })}
                        }
                    }}
                </Show>
            </div>
        </section>
    }
}

/// How many node cards are rendered before "show all".
const FIRST_CARDS: usize = 50;

/// How many findings a new report builds in the frame it arrives in. The rest follow once that
/// frame is painted: a long log's dozen findings, with their evidence and commands, were 1,900
/// elements built in one 38 ms task before any showed.
const FIRST_FINDINGS: usize = 3;

#[component]
pub(super) fn NodeCard(
    group: NodeGroup,
    /// How many of its findings to build now, and when the others may be (all at once without).
    #[prop(optional)]
    first: Option<(usize, RwSignal<bool>)>,
) -> impl IntoView {
    let lang = use_ui().lang;
    let counts = Signal::derive({
        let findings = group.findings.clone();
        move || counts_line(&findings, lang.get())
    });
    let types = Signal::derive({
        let findings = group.findings.clone();
        move || compliance_types(&findings, lang.get()).join(" · ")
    });
    let node_label = group.node.clone();
    let has_placeholders = group.findings.iter().any(|f| f.commands.iter().any(|c| !c.placeholders.is_empty()));
    let mut now = group.findings;
    let later = first.filter(|(n, _)| *n < now.len()).map(|(n, whole)| (now.split_off(n), whole));
    view! {
        <article class="node-card" data-testid="node-card" data-node=group.node.clone().unwrap_or_default()>
            <header class="node-head">
                <h3 class="node-id">{move || node_label.clone().unwrap_or_else(|| t(Text::General, lang.get()))}</h3>
                <p class="counts">{counts}</p>
                {move || {
                    (!types.get().is_empty())
                        .then(|| {
                            view! {
                                <p class="types" data-testid="compliance-types">
                                    {types}
                                </p>
                            }
                        })
                }}
                {has_placeholders
                    .then(|| view! { <p class="placeholder-note">{lang_text(Text::PlaceholderNote, lang)}</p> })}
            </header>
            {finding_views(now, first.map(|(_, whole)| whole))}
            {later.map(|(later, whole)| move || whole.get().then(|| finding_views(later.clone(), None)))}
        </article>
    }
}

/// A card's findings: one function for those built at once and those built after the first
/// paint (a second copy of the finding's view would cost the page's wasm 1.5 KB gzip). Those
/// built at once build their first evidence lines, and the rest once `rest_after` is set.
fn finding_views(findings: Vec<FindingReport>, rest_after: Option<RwSignal<bool>>) -> AnyView {
    findings.into_iter().map(|finding| view! { <FindingView finding rest_after /> }).collect_view().into_any()
}
