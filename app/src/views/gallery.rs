//! Built-in examples, one per main branch, so a newcomer can try the app with no data.

use leptos::prelude::*;

use crate::context::{use_engine, use_ui};
use crate::examples;
use crate::texts::Text;
use crate::ui::lang_text;

#[component]
pub fn Gallery() -> impl IntoView {
    let lang = use_ui().lang;
    let engine = use_engine();
    view! {
        <nav class="gallery" aria-labelledby="gallery-heading">
            <h2 id="gallery-heading">{lang_text(Text::Examples, lang)}</h2>
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
                                        engine.reveal.set_value(true);
                                        engine.load(example.file, &examples::url(example.file));
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
