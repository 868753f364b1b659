//! "Collect everything": the read-only collection script for a node, ready to copy.

use diagnosis::collect::{script, Script, Target, TargetError};
use leptos::prelude::*;

use super::command::use_copy;
use super::text::RichText;
use crate::context::{use_engine, use_ui};
use crate::texts::{t, Text};

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
                <h2>{move || t(Text::Collect, lang.get())}</h2>
            </summary>
            <p class="muted">{move || t(Text::CollectIntro, lang.get())}</p>
            <div class="collect-fields">
                <label class="field">
                    <span>{move || t(Text::CollectInstance, lang.get())}</span>
                    <input
                        data-testid="collect-instance"
                        spellcheck="false"
                        placeholder="i-0123456789abcdef0"
                        prop:value=move || instance.get()
                        on:input:target=move |ev| typed.update(|t| t.instance = ev.target().value())
                    />
                </label>
                <label class="field">
                    <span>{move || t(Text::CollectKind, lang.get())}</span>
                    <select data-testid="collect-kind" on:change:target=move |ev| kind.set(ev.target().value())>
                        <option value="aws-bash">{move || t(Text::CollectAwsBash, lang.get())}</option>
                        <option value="aws-ps">{move || t(Text::CollectAwsPs, lang.get())}</option>
                        <option value="node-linux">{move || t(Text::CollectNodeLinux, lang.get())}</option>
                        <option value="node-macos">{move || t(Text::CollectNodeMacos, lang.get())}</option>
                        <option value="node-windows">{move || t(Text::CollectNodeWindows, lang.get())}</option>
                    </select>
                </label>
            </div>
            {move || match output.get() {
                Ok(text) => {
                    view! {
                        <div class="command-body">
                            // Scrollable, so it must be reachable and named for keyboard users.
                            <pre tabindex="0" role="region" aria-label=move || t(Text::Collect, lang.get())>
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
                            {move || t(Text::CollectWaiting, lang.get())}
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
