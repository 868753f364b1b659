//! The page: input panel on one side, diagnosis on the other. The state is made in `context`
//! and reaches the components through it; the logic is in `state` and the `diagnosis` crate.

use diagnosis::knowledge::Lang;
use leptos::prelude::*;

use crate::browser;
use crate::context::{use_ui, Ui};
use crate::state::{group_by_node, Field, NodeGroup, ShellChoice, Theme, Typed};
use crate::texts::{t, Text};
use crate::ui::lang_text;
use crate::views::{CollectPanel, Fleet, Gallery, Guide, InputPanel, PrintReport, Results, Share, Verdict};

const THEME_KEY: &str = "ssm-compliance-doctor-theme";

#[component]
pub fn App() -> impl IntoView {
    let ui = Ui {
        lang: RwSignal::new(initial_lang()),
        shell: RwSignal::new(ShellChoice::default()),
        typed: RwSignal::new(Typed::default()),
    };
    let engine = crate::context::provide(ui);
    // The engine (the worker's wasm, compiled as it downloads) is ready before the first input:
    // it loads when the page idles after its first paint, not on the first paste.
    browser::when_idle(move || engine.warm_up());
    let Ui { lang, shell, typed } = ui;
    let theme = RwSignal::new(browser::stored(THEME_KEY).map(|v| Theme::parse(&v)).unwrap_or_default());

    // The theme is an attribute on <html> (the CSS reads it); "system" removes it.
    Effect::new(move |_| {
        let theme = theme.get();
        browser::set_root_attribute("data-theme", (theme != Theme::System).then_some(theme.name()));
        browser::store(THEME_KEY, theme.name());
    });
    Effect::new(move |_| {
        browser::set_root_attribute("lang", Some(lang.get().code()));
        browser::set_title(&t(Text::AppTitle, lang.get()));
    });
    // The node cards: every node of a small report; for a fleet, the node opened from its table.
    let groups = Memo::new(move |_| {
        let mut groups = engine.report.with(group_by_node);
        if let Some((node, findings)) = engine.detail.get() {
            groups.insert(0, NodeGroup { node: Some(node), verdict: None, findings });
        }
        groups
    });

    // The first frame holds what a person starts with: the settings and the input panel (paste,
    // files, drop). The panels below and beside it are built once that frame is painted: each
    // distinct view is a wasm function the browser compiles on its first call, and building them
    // all at start kept the input panel from listening for half as long again.
    let rest = RwSignal::new(false);
    browser::after_first_paint(rest);
    view! {
        <header class="topbar">
            <div class="brand">
                <h1>{lang_text(Text::AppTitle, lang)}</h1>
                <p class="tagline">{lang_text(Text::Tagline, lang)}</p>
            </div>
            // On a phone the settings fold into one line; on a wide screen they start open.
            <details class="settings" open=browser::is_wide()>
                <summary data-testid="settings">
                    <span class="settings-label">{lang_text(Text::Settings, lang)}</span>
                    <span class="settings-now">{move || settings_line(lang.get(), shell.get(), &typed.get())}</span>
                </summary>
                <div class="toolbar">
                    <label class="select">
                        <span>{lang_text(Text::Language, lang)}</span>
                        <select
                            data-testid="lang"
                            on:change:target=move |ev| lang.set(Lang::parse(&ev.target().value()).unwrap_or_default())
                        >
                            <option value="en" selected=move || lang.get() == Lang::En>
                                "English"
                            </option>
                            <option value="zh-CN" selected=move || lang.get() == Lang::ZhCn>
                                "简体中文"
                            </option>
                        </select>
                    </label>
                    <TypedField field=Field::Region />
                    <TypedField field=Field::Instance />
                    <TypedField field=Field::Profile />
                    <label class="select">
                        <span>{lang_text(Text::Theme, lang)}</span>
                        <select
                            data-testid="theme"
                            on:change:target=move |ev| theme.set(Theme::parse(&ev.target().value()))
                        >
                            <option value="system" selected=move || theme.get() == Theme::System>
                                {lang_text(Text::ThemeSystem, lang)}
                            </option>
                            <option value="light" selected=move || theme.get() == Theme::Light>
                                {lang_text(Text::ThemeLight, lang)}
                            </option>
                            <option value="dark" selected=move || theme.get() == Theme::Dark>
                                {lang_text(Text::ThemeDark, lang)}
                            </option>
                        </select>
                    </label>
                    <label class="select">
                        <span>{lang_text(Text::Shell, lang)}</span>
                        <select
                            data-testid="shell"
                            on:change:target=move |ev| {
                                shell
                                    .set(
                                        if ev.target().value() == "powershell" {
                                            ShellChoice::PowerShell
                                        } else {
                                            ShellChoice::Bash
                                        },
                                    )
                            }
                        >
                            <option value="bash">"bash"</option>
                            <option value="powershell">"PowerShell"</option>
                        </select>
                    </label>
                </div>
            </details>
        </header>
        <main class="layout">
            <div class="side">
                <InputPanel />
                {move || {
                    rest.get()
                        .then(|| {
                            view! {
                                <Gallery />
                                <CollectPanel />
                            }
                        })
                }}
            </div>
            <Results groups>
                {move || {
                    rest.get()
                        .then(|| {
                            view! {
                                <Verdict />
                                <Fleet />
                                <Guide />
                            }
                        })
                }}
            </Results>
        </main>
        // Folded until opened, and empty until a report is printed: cheap to build at once.
        <aside class="share-area">
            <Share />
        </aside>
        <PrintReport />
        <footer class="footer">{lang_text(Text::Privacy, lang)}</footer>
    }
}

/// A value typed once for every command (region, instance, profile): its label, the field, and
/// what is wrong with it.
#[component]
fn TypedField(field: Field) -> impl IntoView {
    let Ui { lang, typed, .. } = use_ui();
    let (label, placeholder, invalid) = match field {
        Field::Region => (Text::Region, Text::RegionPlaceholder, Text::RegionInvalid),
        Field::Instance => (Text::Instance, Text::InstancePlaceholder, Text::InstanceInvalid),
        Field::Profile => (Text::Profile, Text::ProfilePlaceholder, Text::ProfileInvalid),
    };
    let error = format!("{}-error", field.name());
    view! {
        <label class="select">
            <span>{lang_text(label, lang)}</span>
            <input
                data-testid=field.name()
                class="short"
                spellcheck="false"
                placeholder=lang_text(placeholder, lang)
                aria-invalid=move || typed.with(|s| s.invalid().contains(&field)).to_string()
                aria-describedby=error.clone()
                prop:value=move || typed.with(|s| s.value(field).to_string())
                on:input:target=move |ev| typed.update(|s| *s.value_mut(field) = ev.target().value())
            />
            <FieldError id=error field key=invalid />
        </label>
    }
}

/// Says, in the interface language, that a typed value is not valid (only once something was
/// typed: an empty field is simply unset).
#[component]
fn FieldError(id: String, field: Field, key: Text) -> impl IntoView {
    let Ui { lang, typed, .. } = use_ui();
    view! {
        <span class="field-error" id=id.clone() data-testid=id role="status">
            {move || typed.with(|s| s.invalid().contains(&field)).then(|| t(key, lang.get()))}
        </span>
    }
}

/// What the folded settings bar shows: the language, the shell and the region, if one is typed.
fn settings_line(lang: Lang, shell: ShellChoice, typed: &Typed) -> String {
    let language = if lang == Lang::ZhCn { "简体中文" } else { "English" };
    let shell = if shell == ShellChoice::PowerShell { "PowerShell" } else { "bash" };
    let region = typed.region.trim();
    if region.is_empty() {
        format!("{language} · {shell}")
    } else {
        format!("{language} · {shell} · {region}")
    }
}

/// The browser's preferred language picks the first interface language.
fn initial_lang() -> Lang {
    let preferred = browser::preferred_language().unwrap_or_default();
    if preferred.to_ascii_lowercase().starts_with("zh") {
        Lang::ZhCn
    } else {
        Lang::En
    }
}
