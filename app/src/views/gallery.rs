//! Built-in examples, one per main branch, so a newcomer can try the app with no data.

use diagnosis::knowledge::Lang;
use leptos::prelude::*;

use crate::examples;
use crate::state::Inputs;
use crate::texts::t;

#[component]
pub fn Gallery(inputs: RwSignal<Inputs>, lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <nav class="gallery" aria-labelledby="gallery-heading">
            <h2 id="gallery-heading">{move || t("examples", lang.get())}</h2>
            <ul>
                {examples::all()
                    .iter()
                    .map(|example| {
                        view! {
                            <li>
                                <button
                                    class="chip"
                                    data-testid="example"
                                    data-file=example.file
                                    on:click=move |_| inputs.update(|i| {
                                        i.clear();
                                        i.add_example(example.file, example.text);
                                    })
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
