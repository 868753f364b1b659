//! The diagnosis: one card per managed node with its verdict and findings.

use diagnosis::knowledge::Lang;
use leptos::prelude::*;

use super::finding::FindingView;
use crate::state::{role_counts, NodeGroup, ShellChoice};
use crate::texts::t;

#[component]
pub fn Results(
    groups: Memo<Vec<NodeGroup>>,
    lang: RwSignal<Lang>,
    shell: RwSignal<ShellChoice>,
    /// Shown above the node cards (the fleet table).
    children: Children,
) -> impl IntoView {
    view! {
        <section class="panel results" aria-labelledby="results-heading">
                        <h2 id="results-heading">{move || t("results", lang.get())}</h2>
            {children()}
            // Screen readers hear the new verdicts when a diagnosis finishes.
            <div aria-live="polite" data-testid="results">
                <Show
                    when=move || groups.with(|g| !g.is_empty())
                    fallback=move || view! { <p class="muted">{move || t("no_findings", lang.get())}</p> }
                >
                    {move || groups.get().into_iter().map(|group| view! { <NodeCard group lang shell /> }).collect_view()}
                </Show>
            </div>
        </section>
    }
}

#[component]
fn NodeCard(group: NodeGroup, lang: RwSignal<Lang>, shell: RwSignal<ShellChoice>) -> impl IntoView {
    let (causes, checks, notes) = role_counts(&group.findings);
    let node_label = group.node.clone();
    let has_placeholders = group.findings.iter().any(|f| f.commands.iter().any(|c| !c.placeholders.is_empty()));
    let verdict = group.verdict.clone();
    view! {
        <article class="node-card" data-testid="node-card" data-node=group.node.clone().unwrap_or_default()>
            <header class="node-head">
                <h3 class="node-id">
                    {move || node_label.clone().unwrap_or_else(|| t("general", lang.get()))}
                </h3>
                <p class="counts">
                    {move || {
                        t("summary", lang.get())
                            .replace("{causes}", &causes.to_string())
                            .replace("{checks}", &checks.to_string())
                            .replace("{notes}", &notes.to_string())
                    }}
                </p>
                {verdict.map(|v| view! { <p class="verdict" data-testid="verdict">{v}</p> })}
                {has_placeholders
                    .then(|| view! { <p class="placeholder-note">{move || t("placeholder_note", lang.get())}</p> })}
            </header>
            {group.findings.into_iter().map(|finding| view! { <FindingView finding lang shell /> }).collect_view()}
        </article>
    }
}
