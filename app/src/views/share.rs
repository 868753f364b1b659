//! Sharing without leaking: a link to the guide's step (the path and the findings' names, no
//! data), the report to send (redacted, previewed exactly as it leaves, each category switchable,
//! copied, downloaded or printed), a reply with pseudonyms restored, and the opt-in that keeps
//! the inputs in the tab. The worker redacts; this only wires the panel to it.
//!
//! The panel's texts are written once per language (the panel is drawn again when the language
//! changes, which is rare): far less code in the page's bundle than one closure per text.

use diagnosis::knowledge::{Lang, VERSION};
use diagnosis::redact::{Category, Found};
use leptos::prelude::*;

use super::command::use_copy;
use super::text::RichText;
use crate::bridge::Engine;
use crate::browser;
use crate::context::{use_engine, use_guide, use_share, use_ui};
use crate::guided::GuideState;
use crate::keep;
use crate::sharing::ShareState;
use crate::state::{shared_answers, shared_codes, size_words, Keeping, Route, Shared};
use crate::texts::{t, t_named, Text};
use crate::ui::lang_text;

/// What the share panel works with: the engine (the export, the restore), the guide (the
/// answers a link carries) and the share state.
#[derive(Clone, Copy)]
struct Panel {
    engine: Engine,
    guide: GuideState,
    share: ShareState,
}

impl Panel {
    fn new() -> Panel {
        Panel { engine: use_engine(), guide: use_guide(), share: use_share() }
    }
}

#[component]
pub fn Share() -> impl IntoView {
    let lang = use_ui().lang;
    let panel = Panel::new();
    let open = RwSignal::new(false);
    // The categories the person chose to leave in clear, and the reply being restored: kept
    // when the panel is drawn again.
    let keep = RwSignal::new(Vec::<Category>::new());
    let draft = RwSignal::new(String::new());

    // The report to send, written again whenever what it holds changes, while the panel is open.
    Effect::new(move |_| {
        panel.engine.epoch.track();
        panel.guide.steps.track();
        lang.track();
        let keep = keep.get();
        if open.get() && !panel.engine.is_empty() {
            panel.engine.request_export(keep);
        }
    });
    view! {
        <details class="panel share" data-testid="share" on:toggle:target=move |ev| open.set(ev.target().open())>
            <summary>
                <h3>{lang_text(Text::Share, lang)}</h3>
                <span class="muted">{lang_text(Text::ShareSummary, lang)}</span>
            </summary>
            {move || open.get().then(|| body(lang.get(), panel, keep, draft))}
        </details>
    }
}

fn body(lang: Lang, panel: Panel, keep: RwSignal<Vec<Category>>, draft: RwSignal<String>) -> impl IntoView {
    let link = move || {
        let route = Route {
            answers: panel.engine.report.with(|r| shared_answers(r, &panel.guide.answers.get())),
            step: panel.guide.step.get(),
            shared: Some(Shared { version: VERSION.to_string(), findings: panel.engine.report.with(shared_codes) }),
        };
        format!("{}#{}", browser::address(), route.fragment())
    };
    let (link_state, copy_link) = use_copy();
    view! {
        <section aria-labelledby="share-link-heading">
            <h4 id="share-link-heading">{t(Text::ShareLink, lang)}</h4>
            <p class="muted">{t(Text::ShareLinkAbout, lang)}</p>
            <div class="share-row">
                <input data-testid="share-link" readonly aria-labelledby="share-link-heading" prop:value=link />
                <button
                    class="copy"
                    data-testid="share-link-copy"
                    data-state=move || link_state.get().name()
                    on:click=move |_| copy_link(link())
                >
                    {move || t(link_state.get().label_key(), lang)}
                </button>
            </div>
        </section>
        {move || {
            (!panel.engine.is_empty())
                .then(|| {
                    view! {
                        {export(lang, panel, keep)}
                        {restore(lang, panel, draft)}
                    }
                })
        }}
        {keep_inputs(lang, panel)}
    }
}

/// The report to send: the categories, the exact text, and what can be done with it.
fn export(lang: Lang, panel: Panel, keep: RwSignal<Vec<Category>>) -> impl IntoView {
    let (state, copy) = use_copy();
    let markdown = move || panel.share.export.with(|e| e.as_ref().map(|e| e.markdown.clone()));
    let ready = move || panel.share.export.with(Option::is_none);
    view! {
        <section aria-labelledby="export-heading">
            <h4 id="export-heading">{t(Text::Export, lang)}</h4>
            <p class="muted">{t(Text::ExportAbout, lang)}</p>
            {move || panel.share.export.with(|e| e.as_ref().map(|e| categories(lang, &e.found, keep)))}
            <textarea
                class="export-preview"
                data-testid="export-preview"
                aria-labelledby="export-heading"
                readonly
                spellcheck="false"
                prop:value=move || markdown().unwrap_or_else(|| t(Text::ExportWait, lang))
            ></textarea>
            <div class="actions">
                <button
                    class="primary"
                    data-testid="export-copy"
                    data-state=move || state.get().name()
                    disabled=ready
                    on:click=move |_| {
                        if let Some(text) = markdown() {
                            copy(text)
                        }
                    }
                >
                    {move || t(state.get().label_key(), lang)}
                </button>
                <button
                    class="secondary"
                    data-testid="export-download"
                    disabled=ready
                    on:click=move |_| {
                        if let Some(text) = markdown() {
                            browser::download("ssm-compliance-report.md", &text, "text/markdown;charset=utf-8");
                        }
                    }
                >
                    {t(Text::Download, lang)}
                </button>
                <button class="secondary" data-testid="export-print" disabled=ready on:click=move |_| browser::print()>
                    {t(Text::Print, lang)}
                </button>
            </div>
        </section>
    }
}

/// One switch per category the report holds, with how many distinct values it has.
fn categories(lang: Lang, found: &Found, keep: RwSignal<Vec<Category>>) -> AnyView {
    let count = |c: Category| found.hidden.get(&c).copied().unwrap_or(0) + found.kept.get(&c).copied().unwrap_or(0);
    let present: Vec<(Category, usize)> =
        Category::ALL.into_iter().map(|c| (c, count(c))).filter(|(_, n)| *n > 0).collect();
    if present.is_empty() {
        return view! {
            <p class="muted" data-testid="export-nothing">
                {t(Text::ExportNothing, lang)}
            </p>
        }
        .into_any();
    }
    let switches = present
        .into_iter()
        .map(|(category, n)| {
            let toggle = move |_| {
                keep.update(|k| match k.iter().position(|c| *c == category) {
                    Some(at) => {
                        k.remove(at);
                    }
                    None => k.push(category),
                })
            };
            view! {
                <label class="category">
                    <input
                        type="checkbox"
                        data-testid="export-category"
                        data-category=category.name()
                        prop:checked=move || keep.with(|k| !k.contains(&category))
                        on:change=toggle
                    />
                    {match lang {
                        Lang::ZhCn => format!("{}（{n}）", t_named(&format!("cat_{}", category.name()), lang)),
                        Lang::En => format!("{} ({n})", t_named(&format!("cat_{}", category.name()), lang)),
                    }}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="categories" data-testid="export-categories">
            <legend>{t(Text::ExportHide, lang)}</legend>
            {switches}
        </fieldset>
    }
    .into_any()
}

/// A reply written with the pseudonyms, shown with the real values (the mapping never leaves
/// the worker).
fn restore(lang: Lang, panel: Panel, draft: RwSignal<String>) -> impl IntoView {
    let (state, copy) = use_copy();
    view! {
        <section aria-labelledby="restore-heading">
            <h4 id="restore-heading">{t(Text::Restore, lang)}</h4>
            <p class="muted">{t(Text::RestoreAbout, lang)}</p>
            <label for="restore-input">{t(Text::RestoreLabel, lang)}</label>
            <textarea
                id="restore-input"
                data-testid="restore-input"
                spellcheck="false"
                prop:value=move || draft.get()
                on:input:target=move |ev| draft.set(ev.target().value())
            ></textarea>
            <div class="actions">
                <button
                    class="secondary"
                    data-testid="restore-button"
                    on:click=move |_| panel.engine.restore(draft.get_untracked())
                >
                    {t(Text::RestoreButton, lang)}
                </button>
            </div>
            {move || {
                panel
                    .share
                    .restored
                    .get()
                    .map(|text| {
                        let copied = text.clone();
                        view! {
                            <figure class="restored">
                                <figcaption class="command-head">
                                    <span>{t(Text::RestoredLabel, lang)}</span>
                                    <button
                                        class="copy"
                                        data-state=move || state.get().name()
                                        on:click=move |_| copy(copied.clone())
                                    >
                                        {move || t(state.get().label_key(), lang)}
                                    </button>
                                </figcaption>
                                <pre tabindex="0" data-testid="restored">
                                    {text}
                                </pre>
                            </figure>
                        }
                    })
            }}
        </section>
    }
}

fn keep_inputs(lang: Lang, panel: Panel) -> impl IntoView {
    let keeping = panel.share.keeping;
    let message = move || match keeping.get() {
        Keeping::TooLarge(size) => {
            Some(t(Text::KeepInputsTooLarge, lang).replace("{size}", &size_words(size as usize)))
        }
        Keeping::Refused => Some(t(Text::KeepInputsRefused, lang)),
        Keeping::Off | Keeping::On => None,
    };
    view! {
        <section class="keep">
            <label class="category">
                <input
                    type="checkbox"
                    data-testid="keep-inputs"
                    prop:checked=move || keeping.get() != Keeping::Off
                    on:change:target=move |ev| keep::set(panel.engine, panel.share, ev.target().checked())
                />
                {t(Text::KeepInputs, lang)}
            </label>
            <p class="muted">{t(Text::KeepInputsAbout, lang)}</p>
            <p class="field-error" role="status" data-testid="keep-message">
                {message}
            </p>
        </section>
    }
}

/// Over the guide, when the page was opened from a share link: what the link restores (the
/// path, never data), the findings its sender saw, and whether it was made with another
/// knowledge base.
#[component]
pub fn SharedNote() -> impl IntoView {
    let lang = use_ui().lang;
    let (engine, share) = (use_engine(), use_share());
    Effect::new(move |_| {
        lang.track();
        let codes = share.shared.with(|s| s.as_ref().map(|s| s.findings.clone()).unwrap_or_default());
        if !codes.is_empty() {
            engine.request_titles(codes);
        }
    });
    move || {
        let lang = lang.get();
        share.shared.get().map(|shared| {
            let titles = move || {
                let titles = share.titles.get();
                (!titles.is_empty()).then(|| {
                    let items = titles
                        .into_iter()
                        .map(|(code, reference, title)| {
                            view! {
                                <li data-testid="shared-finding" data-code=code title=reference>
                                    <RichText text=title />
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <p>{t(Text::SharedFound, lang)}</p>
                        <ul>{items}</ul>
                    }
                })
            };
            let other_version = (shared.version != VERSION).then(|| {
                view! { <p data-testid="shared-version">{t(Text::SharedOtherVersion, lang).replace("{version}", &shared.version)}</p> }
            });
            view! {
                <div class="shared-note" role="note" data-testid="shared-note">
                    <p>{t(Text::SharedIntro, lang)}</p>
                    {titles}
                    {other_version}
                    <button class="secondary" data-testid="shared-dismiss" on:click=move |_| share.shared.set(None)>
                        {t(Text::SharedDismiss, lang)}
                    </button>
                </div>
            }
        })
    }
}
