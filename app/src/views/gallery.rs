//! Built-in examples, one per main branch, so a newcomer can try the app with no data.

use leptos::prelude::*;

use crate::app::{use_ui, use_workspace};
use crate::examples;
use crate::texts::{t, Text};

#[component]
pub fn Gallery() -> impl IntoView {
    let lang = use_ui().lang;
    let workspace = use_workspace();
    view! {
        <nav class="gallery" aria-labelledby="gallery-heading">
            <h2 id="gallery-heading">{move || t(Text::Examples, lang.get())}</h2>
            <ul>
                {examples::all()
                    .map(|example| {
                        view! {
                            <li>
                                <button
                                    class="chip"
                                    data-testid="example"
                                    data-file=example.file
                                    on:click=move |_| {
                                        workspace.reveal.set_value(true);
                                        workspace.load(example.file, &examples::url(example.file));
                                    }
                                >
                                    {move || example.title(lang.get())}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
