//! "Collect everything": the read-only collection script for a node, ready to copy.

use diagnosis::collect::{script, Script, Target, TargetError};
use leptos::prelude::*;

use super::command::use_copy;
use super::text::RichText;
use crate::context::{use_engine, use_ui};
use crate::texts::{t, Text};
use crate::ui::lang_text;

#[component]
pub fn CollectPanel() -> impl IntoView {
    let ui = use_ui();
    let lang = ui.lang;
    let report = use_engine().report;
    // One instance field for the page: the settings bar's (every command) and this one's.
    let typed = ui.typed;
    let kind = RwSignal::new("aws-bash".to_string());
    let (copied, copy_now) = use_copy();
    // The node from the inputs, until the person types another.
    let instance = Signal::derive(move || {
        let typed = typed.with(|t| t.instance.clone());
        if typed.trim().is_empty() {
            report.with(|r| r.nodes.first().map(|n| n.node.clone()).unwrap_or_default())
        } else {
            typed
        }
    });
    let output = Signal::derive(move || {
        let which = match kind.get().as_str() {
            "aws-ps" => Script::AwsPowerShell,
            "node-linux" => Script::NodeLinux,
            "node-macos" => Script::NodeMacOs,
            "node-windows" => Script::NodeWindows,
            _ => Script::AwsBash,
        };
        // The region typed above, else the one the inputs name; the profile typed above.
        let (region, profile) = ui.typed.with(|s| (s.region.clone(), s.profile.clone()));
        let region =
            if region.trim().is_empty() { report.with(|r| r.region.clone()).unwrap_or_default() } else { region };
        Target::parse(&instance.get(), &region, &profile).map(|target| script(which, &target))
    });
    let copy = move |_| {
        if let Ok(text) = output.get_untracked() {
            copy_now(text);
        }
    };
    view! {
        <details class="panel collect" data-testid="collect">
            <summary>
                <h2>{lang_text(Text::Collect, lang)}</h2>
            </summary>
            <p class="muted">{lang_text(Text::CollectIntro, lang)}</p>
            <div class="collect-fields">
                <label class="field">
                    <span>{lang_text(Text::CollectInstance, lang)}</span>
                    <input
                        data-testid="collect-instance"
                        spellcheck="false"
                        placeholder="i-0123456789abcdef0"
                        prop:value=move || instance.get()
                        on:input:target=move |ev| typed.update(|t| t.instance = ev.target().value())
                    />
                </label>
                <label class="field">
                    <span>{lang_text(Text::CollectKind, lang)}</span>
                    <select data-testid="collect-kind" on:change:target=move |ev| kind.set(ev.target().value())>
                        <option value="aws-bash">{lang_text(Text::CollectAwsBash, lang)}</option>
                        <option value="aws-ps">{lang_text(Text::CollectAwsPs, lang)}</option>
                        <option value="node-linux">{lang_text(Text::CollectNodeLinux, lang)}</option>
                        <option value="node-macos">{lang_text(Text::CollectNodeMacos, lang)}</option>
                        <option value="node-windows">{lang_text(Text::CollectNodeWindows, lang)}</option>
                    </select>
                </label>
            </div>
            {move || match output.get() {
                Ok(text) => {
                    view! {
                        <div class="command-body">
                            // Scrollable, so it must be reachable and named for keyboard users.
                            <pre tabindex="0" role="region" aria-label=lang_text(Text::Collect, lang)>
                                <code data-testid="collect-script">{text}</code>
                            </pre>
                            <button
                                class="copy"
                                data-testid="collect-copy"
                                data-state=move || copied.get().name()
                                on:click=copy
                            >
                                {move || t(copied.get().label_key(), lang.get())}
                            </button>
                        </div>
                    }
                        .into_any()
                }
                Err(TargetError::Instance(typed)) if typed.is_empty() => {
                    // Nothing typed and no node in the inputs yet: nothing to complain about.
                    view! {
                        <p class="muted" data-testid="collect-waiting">
                            {lang_text(Text::CollectWaiting, lang)}
                        </p>
                    }
                        .into_any()
                }
                Err(error) => {
                    let (key, value) = match error {
                        TargetError::Instance(v) => (Text::CollectBadInstance, v),
                        TargetError::Region(v) => (Text::CollectBadRegion, v),
                        TargetError::Profile(v) => (Text::CollectBadProfile, v),
                    };
                    view! {
                        <p class="error" role="alert" data-testid="collect-error">
                            {move || {
                                let text = t(key, lang.get()).replace("{value}", &value);
                                view! { <RichText text /> }
                            }}
                        </p>
                    }
                        .into_any()
                }
            }}
        </details>
    }
}
