//! "Collect everything": the read-only collection script for a node, ready to copy.

use diagnosis::collect::{script, Script};

use diagnosis::knowledge::Lang;
use diagnosis::report::Report;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::copy_text;
use crate::state::{command_slots, Settings};
use crate::texts::t;

#[component]
pub fn CollectPanel(report: Memo<Report>, settings: RwSignal<Settings>, lang: RwSignal<Lang>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let kind = RwSignal::new("aws-bash".to_string());
    let copied = RwSignal::new(false);
    // The node from the inputs, until the person types another.
    let instance = Signal::derive(move || {
        let typed = typed.get();
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
            "node-windows" => Script::NodeWindows,
            _ => Script::AwsBash,
        };
        let slots = settings.with(|s| report.with(|r| command_slots(r, s, Some(instance.get()))));
        script(which, &slots)
    });
    let copy = move |_| {
        if let Ok(text) = output.get_untracked() {
            spawn_local(async move { copied.set(copy_text(&text).await) });
        }
    };
    view! {
        <details class="panel collect" data-testid="collect">
            <summary><h2>{move || t("collect", lang.get())}</h2></summary>
            <p class="muted">{move || t("collect_intro", lang.get())}</p>
            <div class="collect-fields">
                <label class="field">
                    <span>{move || t("collect_instance", lang.get())}</span>
                    <input
                        data-testid="collect-instance"
                        spellcheck="false"
                        placeholder="i-0123456789abcdef0"
                        prop:value=move || instance.get()
                        on:input:target=move |ev| typed.set(ev.target().value())
                    />
                </label>
                <label class="field">
                    <span>{move || t("collect_kind", lang.get())}</span>
                    <select data-testid="collect-kind" on:change:target=move |ev| kind.set(ev.target().value())>
                        <option value="aws-bash">{move || t("collect_aws_bash", lang.get())}</option>
                        <option value="aws-ps">{move || t("collect_aws_ps", lang.get())}</option>
                        <option value="node-linux">{move || t("collect_node_linux", lang.get())}</option>
                        <option value="node-windows">{move || t("collect_node_windows", lang.get())}</option>
                    </select>
                </label>
            </div>
            {move || match output.get() {
                Ok(text) => view! {
                    <div class="command-body">
                                                // Scrollable, so it must be reachable and named for keyboard users.
                        <pre tabindex="0" role="region" aria-label=move || t("collect", lang.get())>
                            <code data-testid="collect-script">{text}</code>
                        </pre>
                        <button class="copy" data-testid="collect-copy" data-state=move || if copied.get() { "copied" } else { "idle" } on:click=copy>
                            {move || if copied.get() { t("copied", lang.get()) } else { t("copy", lang.get()) }}
                        </button>
                    </div>
                }
                .into_any(),
                Err(message) => view! { <p class="error" role="alert" data-testid="collect-error">{message}</p> }.into_any(),
            }}
        </details>
    }
}
