//! With several nodes, the fleet view: each finding once, with how many nodes it concerns (and,
//! for a fleet report, its commands written once); then the table of nodes, which for a fleet
//! is virtualised: only the rows in view are in the page, asked from the worker page by page.

use leptos::html;
use leptos::prelude::*;
use worker::protocol::NodeSort;

use super::command::CommandView;
use super::text::RichText;
use crate::bridge::Engine;
use crate::context::{use_engine, use_ui};
use crate::state::{fleet_rows, FleetSort};
use crate::texts::{t, t_named, Text};
use crate::ui::lang_text;
use diagnosis::report::Form;

#[component]
pub fn Fleet() -> impl IntoView {
    let lang = use_ui().lang;
    let engine = use_engine();
    let report = engine.report;
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new(FleetSort::default());
    let rows = Memo::new(move |_| report.with(|r| fleet_rows(r, &filter.get(), sort.get())));
    let fleet = move || report.with(|r| r.form == Form::Fleet);
    let many = move || fleet() || report.with(|r| r.nodes.len() > 1);
    view! {
        <Show when=many>
            <section class="fleet" aria-labelledby="fleet-heading" data-testid="fleet">
                <h3 id="fleet-heading">{lang_text(Text::Fleet, lang)}</h3>
                <div class="collect-fields">
                    <label class="field">
                        <span>{lang_text(Text::FleetFilter, lang)}</span>
                        <input
                            data-testid="fleet-filter"
                            prop:value=move || filter.get()
                            on:input:target=move |ev| filter.set(ev.target().value())
                        />
                    </label>
                    <label class="field">
                        <span>{lang_text(Text::FleetSort, lang)}</span>
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
                            <option value="worst">{lang_text(Text::FleetSortWorst, lang)}</option>
                            <option value="nodes">{lang_text(Text::FleetSortNodes, lang)}</option>
                            <option value="ref">{lang_text(Text::FleetSortRef, lang)}</option>
                        </select>
                    </label>
                </div>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{lang_text(Text::FleetFinding, lang)}</th>
                            <th scope="col">{lang_text(Text::FleetNodes, lang)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let fleet = fleet();
                            rows.get()
                                .into_iter()
                                .map(|g| {
                                    let count = g.node_count.max(g.nodes.len());
                                    let more = count.saturating_sub(g.nodes.len());
                                    view! {
                                        <tr
                                            data-testid="fleet-row"
                                            data-ref=g.reference.clone()
                                            data-role=g.role.name()
                                            data-count=count
                                        >
                                            <td>
                                                // The role in words; the code in its tooltip.
                                                <span class=format!("badge badge-{}", g.role) title=g.reference.clone()>
                                                    {
                                                        let key = format!("role_{}", g.role);
                                                        move || t_named(&key, lang.get())
                                                    }
                                                </span>
                                                " "
                                                <RichText text=g.title.clone() />
                                                // A fleet's commands are written once per finding.
                                                {(fleet && !g.commands.is_empty())
                                                    .then(|| {
                                                        let commands = g.commands.clone();
                                                        let node_file = g.node_file.clone();
                                                        let open = RwSignal::new(false);
                                                        // Written into the page when opened: a fleet's groups
                                                        // hold dozens of commands.
                                                        view! {
                                                            <details
                                                                class="group-commands"
                                                                data-testid="group-commands"
                                                                on:toggle:target=move |ev| open.set(ev.target().open())
                                                            >
                                                                <summary>{lang_text(Text::Commands, lang)}</summary>
                                                                {move || {
                                                                    open.get()
                                                                        .then(|| {
                                                                            let note = node_file
                                                                                .clone()
                                                                                .map(|file| node_file_note(engine, file, count));
                                                                            let shown = commands
                                                                                .clone()
                                                                                .into_iter()
                                                                                .map(|command| view! { <CommandView command /> })
                                                                                .collect_view();
                                                                            view! {
                                                                                {note}
                                                                                {shown}
                                                                            }
                                                                        })
                                                                }}
                                                            </details>
                                                        }
                                                    })}
                                            </td>
                                            <td>
                                                {if count == 0 {
                                                    view! { <span aria-label="none">"—"</span> }.into_any()
                                                } else {
                                                    let nodes = g.nodes;
                                                    let open = RwSignal::new(false);
                                                    view! {
                                                        <details on:toggle:target=move |ev| {
                                                            open.set(ev.target().open())
                                                        }>
                                                            <summary>{count}</summary>
                                                            {move || {
                                                                open.get()
                                                                    .then(|| {
                                                                        view! {
                                                                            <ul class="node-list">
                                                                                {nodes
                                                                                    .clone()
                                                                                    .into_iter()
                                                                                    .map(|n| {
                                                                                        view! {
                                                                                            <li>
                                                                                                <code>{n.to_string()}</code>
                                                                                            </li>
                                                                                        }
                                                                                    })
                                                                                    .collect_view()}
                                                                                {(more > 0)
                                                                                    .then(|| {
                                                                                        view! {
                                                                                            <li class="muted">
                                                                                                {move || {
                                                                                                    t(Text::AndMore, lang.get())
                                                                                                        .replace("{n}", &more.to_string())
                                                                                                }}
                                                                                            </li>
                                                                                        }
                                                                                    })}
                                                                            </ul>
                                                                        }
                                                                    })
                                                            }}
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
                <Show when=fleet>
                    <NodeTable />
                </Show>
            </section>
        </Show>
    }
}

/// Each row is exactly this tall (the CSS says so too), so the scroll position says which rows
/// are in view.
const ROW_PX: usize = 40;
/// Rows in view in the table's box (its height is `VISIBLE_ROWS` rows).
const VISIBLE_ROWS: usize = 12;
/// Rows rendered above and below the view, so a short scroll shows no gap.
const BUFFER_ROWS: usize = 8;
/// Rows asked from the worker at once (the first of them come with a fleet's report).
const PAGE_ROWS: usize = worker::protocol::NODE_PAGE_ROWS;

/// The fleet's nodes, virtualised: the page holds the rows in view, however many nodes there are.
/// Where a large group's commands read their ids from, and the file to download: the page
/// holds only the first ids of a group; the worker writes the whole file.
fn node_file_note(engine: Engine, file: String, total: usize) -> impl IntoView {
    let lang = use_ui().lang;
    let total = total.to_string();
    let about = {
        let (file, total) = (file.clone(), total.clone());
        move || t(Text::GroupCommandsFile, lang.get()).replace("{file}", &file).replace("{total}", &total)
    };
    let label = {
        let file = file.clone();
        move || t(Text::GroupNodeFile, lang.get()).replace("{file}", &file).replace("{total}", &total)
    };
    view! {
        <p class="muted">{about}</p>
        <button
            class="secondary"
            data-testid="group-node-file"
            on:click=move |_| engine.download_node_file(file.clone())
        >
            {label}
        </button>
    }
}

#[component]
fn NodeTable() -> impl IntoView {
    let lang = use_ui().lang;
    let engine = use_engine();
    let filter = RwSignal::new(String::new());
    let sort = RwSignal::new(NodeSort::default());
    let scroll_top = RwSignal::new(0usize);
    let scroller = NodeRef::<html::Div>::new();
    // The node the person opened: its card is brought into view when its findings arrive (a
    // report re-asking for an open node does not move the page).
    let opening = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let arrived = engine.detail.with(|d| d.as_ref().map(|(node, _)| node.clone()));
        if arrived.is_some() && opening.with_value(|o| *o == arrived) {
            opening.set_value(None);
            crate::browser::reveal_node_card(&arrived.unwrap_or_default());
        }
    });
    let total = move || engine.nodes.with(|p| p.as_ref().map_or_else(|| engine.node_total(), |p| p.total));
    let window = move || {
        let first = scroll_top.get() / ROW_PX;
        (first.saturating_sub(BUFFER_ROWS), first + VISIBLE_ROWS + BUFFER_ROWS)
    };
    // What was asked last: a scroll inside the loaded page asks nothing, and an answer on its
    // way is not asked for twice. A new report (its epoch) asks again.
    let asked = StoredValue::new(None::<(u32, String, NodeSort, usize)>);
    Effect::new(move |_| {
        let (start, end) = window();
        let (filter, sort, epoch) = (filter.get(), sort.get(), engine.epoch.get());
        let covered = engine.nodes.with(|page| {
            page.as_ref().is_some_and(|p| {
                p.filter == filter
                    && p.sort == sort
                    && p.offset <= start
                    && (end <= p.offset + p.rows.len() || p.offset + p.rows.len() >= p.total)
            })
        });
        let offset = start / (PAGE_ROWS / 2) * (PAGE_ROWS / 2);
        let key = (epoch, filter.clone(), sort, offset);
        if covered || asked.with_value(|a| a.as_ref() == Some(&key)) {
            return;
        }
        asked.set_value(Some(key));
        engine.request_nodes(filter, sort, offset, PAGE_ROWS);
    });
    // A new filter or order starts at the top (not on the first run: setting the scroll
    // position forces a layout, which cost a paste's first result 30 ms).
    Effect::new(move |first: Option<()>| {
        let _ = (filter.get(), sort.get());
        if first.is_none() {
            return;
        }
        scroll_top.set(0);
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
    });
    // Every row of the window is in the page, loaded or not yet (then empty): the table's height
    // never changes under the scroll position.
    let rows = move || {
        let (start, end) = window();
        let end = end.min(total());
        engine.nodes.with(|page| {
            (start..end)
                .map(|i| {
                    let row =
                        page.as_ref().and_then(|p| i.checked_sub(p.offset).and_then(|at| p.rows.get(at))).cloned();
                    (i, row)
                })
                .collect::<Vec<_>>()
        })
    };
    let above = move || window().0.min(total()) * ROW_PX;
    let below = move || total().saturating_sub(window().1) * ROW_PX;
    view! {
        <div class="node-table" data-testid="node-table">
            <h3 id="nodes-heading">{move || t(Text::NodesHeading, lang.get()).replace("{n}", &total().to_string())}</h3>
            <div class="collect-fields">
                <label class="field">
                    <span>{lang_text(Text::NodesFilter, lang)}</span>
                    <input
                        data-testid="node-filter"
                        prop:value=move || filter.get()
                        on:input:target=move |ev| filter.set(ev.target().value())
                    />
                </label>
                <label class="field">
                    <span>{lang_text(Text::FleetSort, lang)}</span>
                    <select
                        data-testid="node-sort"
                        on:change:target=move |ev| {
                            sort.set(if ev.target().value() == "node" { NodeSort::Node } else { NodeSort::Worst })
                        }
                    >
                        <option value="worst">{lang_text(Text::NodesSortWorst, lang)}</option>
                        <option value="node">{lang_text(Text::NodesSortId, lang)}</option>
                    </select>
                </label>
            </div>
            <div
                class="node-scroll"
                node_ref=scroller
                tabindex="0"
                aria-labelledby="nodes-heading"
                on:scroll=move |_| {
                    if let Some(el) = scroller.get_untracked() {
                        scroll_top.set(el.scroll_top().max(0) as usize);
                    }
                }
            >
                <table aria-rowcount=move || total() + 1>
                    <thead>
                        <tr aria-rowindex="1">
                            <th scope="col">{lang_text(Text::Node, lang)}</th>
                            <th scope="col">{lang_text(Text::Verdict, lang)}</th>
                            <th scope="col">{lang_text(Text::NodeCauses, lang)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", above())></tr>
                        <For each=rows key=|(i, row)| (*i, row.as_ref().map(|r| r.node.clone())) let:item>
                            {
                                let (index, row) = item;
                                match row {
                                    Some(row) => {
                                        let node = row.node.clone();
                                        view! {
                                            <tr
                                                class="node-row"
                                                data-testid="node-row"
                                                data-node=row.node.clone()
                                                aria-rowindex=index + 2
                                            >
                                                <td>
                                                    <button
                                                        class="link"
                                                        on:click=move |_| {
                                                            opening.set_value(Some(node.clone()));
                                                            engine.open_node(&node);
                                                        }
                                                    >
                                                        <code>{row.node.clone()}</code>
                                                    </button>
                                                </td>
                                                <td class="verdict" title=row.verdict.clone()>
                                                    {row.verdict.clone()}
                                                </td>
                                                // How many causes; the codes are for those who look
                                                // for them (and the filter), in the tooltip.
                                                <td title=row.refs.join(" ")>{row.causes}</td>
                                            </tr>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! {
                                            <tr class="node-row loading" aria-rowindex=index + 2 aria-busy="true">
                                                <td colspan="3"></td>
                                            </tr>
                                        }
                                            .into_any()
                                    }
                                }
                            }
                        </For>
                        <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", below())></tr>
                    </tbody>
                </table>
            </div>
        </div>
    }
}
