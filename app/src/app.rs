//! The page: input panel on one side, diagnosis on the other. State lives here as signals; the
//! logic is in `state`.

use diagnosis::knowledge::Lang;
use leptos::prelude::*;

use crate::state::{group_by_node, Inputs, ShellChoice};
use crate::texts::t;
use crate::views::{InputPanel, Results};

#[component]
pub fn App() -> impl IntoView {
    let inputs = RwSignal::new(Inputs::default());
    let lang = RwSignal::new(initial_lang());
    let shell = RwSignal::new(ShellChoice::default());
    // Re-diagnosed only when the inputs or the language change.
    let report = Memo::new(move |_| inputs.with(|i| i.diagnose(lang.get(), Some(js_sys::Date::now() / 1000.0))));
    let groups = Memo::new(move |_| report.with(group_by_node));

    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().code());
        }
        document().set_title(&t("app_title", lang.get()));
    });

    view! {
        <header class="topbar">
            <div class="brand">
                <h1>{move || t("app_title", lang.get())}</h1>
                <p class="tagline">{move || t("tagline", lang.get())}</p>
            </div>
            <div class="toolbar">
                <label class="select">
                    <span>{move || t("language", lang.get())}</span>
                    <select
                        data-testid="lang"
                        on:change:target=move |ev| lang.set(Lang::parse(&ev.target().value()).unwrap_or_default())
                    >
                        <option value="en" selected=move || lang.get() == Lang::En>"English"</option>
                        <option value="zh-CN" selected=move || lang.get() == Lang::ZhCn>"简体中文"</option>
                    </select>
                </label>
                <label class="select">
                    <span>{move || t("shell", lang.get())}</span>
                    <select
                        data-testid="shell"
                        on:change:target=move |ev| {
                            shell.set(if ev.target().value() == "powershell" { ShellChoice::PowerShell } else { ShellChoice::Bash })
                        }
                    >
                        <option value="bash">"bash"</option>
                        <option value="powershell">"PowerShell"</option>
                    </select>
                </label>
            </div>
        </header>
        <main class="layout">
            <InputPanel inputs report lang />
            <Results groups lang shell />
        </main>
        <footer class="footer">{move || t("privacy", lang.get())}</footer>
    }
}

/// The browser's preferred language picks the first interface language.
fn initial_lang() -> Lang {
    let preferred = window().navigator().language().unwrap_or_default();
    if preferred.to_ascii_lowercase().starts_with("zh") {
        Lang::ZhCn
    } else {
        Lang::En
    }
}
