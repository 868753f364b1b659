//! With several nodes, the fleet table: one row per finding (grouped by cause across nodes),
//! filterable and sortable, each row listing its instances.

use leptos::prelude::*;

use crate::app::{use_ui, use_workspace};
use crate::state::{fleet_rows, FleetSort};
use crate::texts::t;

#[component]
pub fn Fleet() -> impl IntoView {
    let lang = use_ui().lang;
    let report = use_workspace().report;
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new(FleetSort::default());
    let rows = Memo::new(move |_| report.with(|r| fleet_rows(r, &filter.get(), sort.get())));
    let many = move || report.with(|r| r.nodes.len() > 1);
    view! {
        <Show when=many>
            <section class="fleet" aria-labelledby="fleet-heading" data-testid="fleet">
                <h3 id="fleet-heading">{move || t("fleet", lang.get())}</h3>
                <div class="collect-fields">
                    <label class="field">
                        <span>{move || t("fleet_filter", lang.get())}</span>
                        <input
                            data-testid="fleet-filter"
                            prop:value=move || filter.get()
                            on:input:target=move |ev| filter.set(ev.target().value())
                        />
                    </label>
                    <label class="field">
                        <span>{move || t("fleet_sort", lang.get())}</span>
                        <select
                            data-testid="fleet-sort"
                            on:change:target=move |ev| {
                                sort.set(
                                    match ev.target().value().as_str() {
                                        "nodes" => FleetSort::Nodes,
                                        "ref" => FleetSort::Ref,
                                        _ => FleetSort::Worst,
                                    },
                                )
                            }
                        >
                            <option value="worst">{move || t("fleet_sort_worst", lang.get())}</option>
                            <option value="nodes">{move || t("fleet_sort_nodes", lang.get())}</option>
                            <option value="ref">{move || t("fleet_sort_ref", lang.get())}</option>
                        </select>
                    </label>
                </div>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{move || t("fleet_finding", lang.get())}</th>
                            <th scope="col">{move || t("fleet_nodes", lang.get())}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows.get()
                                .into_iter()
                                .map(|g| {
                                    let count = g.nodes.len();
                                    view! {
                                        <tr
                                            data-testid="fleet-row"
                                            data-ref=g.reference.clone()
                                            data-role=g.role.name()
                                            data-count=count
                                        >
                                            <td>
                                                <span class=format!(
                                                    "badge badge-{}",
                                                    g.role,
                                                )>{g.reference.clone()}</span>
                                                " "
                                                {g.title.clone()}
                                            </td>
                                            <td>
                                                {if count == 0 {
                                                    view! { <span aria-label="none">"—"</span> }.into_any()
                                                } else {
                                                    view! {
                                                        <details>
                                                            <summary>{count}</summary>
                                                            <ul class="node-list">
                                                                {g
                                                                    .nodes
                                                                    .into_iter()
                                                                    .map(|n| {
                                                                        view! {
                                                                            <li>
                                                                                <code>{n}</code>
                                                                            </li>
                                                                        }
                                                                    })
                                                                    .collect_view()}
                                                            </ul>
                                                        </details>
                                                    }
                                                        .into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </section>
        </Show>
    }
}
