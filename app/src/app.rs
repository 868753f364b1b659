//! The page: input panel on one side, diagnosis on the other. State lives here as signals; the
//! logic is in `state`.

use diagnosis::knowledge::Lang;
use leptos::prelude::*;

use crate::state::{group_by_node, Inputs, Settings, ShellChoice, Theme};
use crate::texts::t;
use crate::views::{CollectPanel, Fleet, Gallery, Guide, InputPanel, Results};

const THEME_KEY: &str = "ssm-compliance-doctor-theme";

#[component]
pub fn App() -> impl IntoView {
    let inputs = RwSignal::new(Inputs::default());
    let lang = RwSignal::new(initial_lang());
    let shell = RwSignal::new(ShellChoice::default());
    let settings = RwSignal::new(Settings::default());
    let theme = RwSignal::new(stored_theme());
    // Re-diagnosed only when the inputs, the language or the settings change.
    let report = Memo::new(move |_| {
        let now = Some(js_sys::Date::now() / 1000.0);
        settings.with(|s| inputs.with(|i| i.diagnose(lang.get(), now, s)))
    });

    // The theme is an attribute on <html> (the CSS reads it); "system" removes it.
    Effect::new(move |_| {
        let theme = theme.get();
        if let Some(root) = document().document_element() {
            let _ = match theme {
                Theme::System => root.remove_attribute("data-theme"),
                other => root.set_attribute("data-theme", other.name()),
            };
        }
        if let Ok(Some(storage)) = window().local_storage() {
            // Not fatal: private windows may refuse storage.
            let _ = storage.set_item(THEME_KEY, theme.name());
        }
    });
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
                    <span>{move || t("region", lang.get())}</span>
                    <input
                        data-testid="region"
                        class="short"
                        spellcheck="false"
                        placeholder=move || t("region_placeholder", lang.get())
                        prop:value=move || settings.with(|s| s.region.clone())
                        on:input:target=move |ev| settings.update(|s| s.region = ev.target().value())
                    />
                </label>
                <label class="select">
                    <span>{move || t("profile", lang.get())}</span>
                    <input
                        data-testid="profile"
                        class="short"
                        spellcheck="false"
                        placeholder=move || t("profile_placeholder", lang.get())
                        prop:value=move || settings.with(|s| s.profile.clone())
                        on:input:target=move |ev| settings.update(|s| s.profile = ev.target().value())
                    />
                </label>
                <label class="select">
                    <span>{move || t("theme", lang.get())}</span>
                    <select data-testid="theme" on:change:target=move |ev| theme.set(Theme::parse(&ev.target().value()))>
                        <option value="system" selected=move || theme.get() == Theme::System>{move || t("theme_system", lang.get())}</option>
                        <option value="light" selected=move || theme.get() == Theme::Light>{move || t("theme_light", lang.get())}</option>
                        <option value="dark" selected=move || theme.get() == Theme::Dark>{move || t("theme_dark", lang.get())}</option>
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
            <div class="side">
                <InputPanel inputs report lang />
                <Gallery inputs lang />
                <CollectPanel report settings lang />
            </div>
                                    <Results groups lang shell>
                <Guide report inputs settings lang shell />
                <Fleet report lang />
            </Results>
        </main>
        <footer class="footer">{move || t("privacy", lang.get())}</footer>
    }
}

fn stored_theme() -> Theme {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .map(|v| Theme::parse(&v))
        .unwrap_or_default()
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
