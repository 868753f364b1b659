//! A text of the knowledge base, with its `backticked` parts shown as code.

use leptos::prelude::*;

use crate::state::code_spans;

#[component]
pub fn RichText(#[prop(into)] text: String) -> impl IntoView {
    code_spans(&text)
        .into_iter()
        .map(|(part, code)| if code { view! { <code>{part}</code> }.into_any() } else { part.into_any() })
        .collect_view()
}

/// Where an evidence line was read: the input's human name and the line number.
#[component]
pub fn Where(#[prop(into)] input: String, line: Option<u32>) -> impl IntoView {
    let (lang, engine) = (crate::context::use_ui().lang, crate::context::use_engine());
    let raw = input.clone();
    let label = move || engine.origin_named(&input).map_or_else(|| input.clone(), |o| o.label(lang.get()));
    view! {
        <span class="where" title=raw>
            {move || match line {
                Some(line) => format!("{} · {line}", label()),
                None => label(),
            }}
        </span>
    }
}
