//! A command with its label and a copy button that shows whether copying worked.

use diagnosis::commands::Command;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::use_ui;
use crate::browser::copy_text;
use crate::state::ShellChoice;
use crate::texts::t;

#[derive(Clone, Copy, PartialEq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

#[component]
pub fn CommandView(command: Command) -> impl IntoView {
    let ui = use_ui();
    let (lang, shell) = (ui.lang, ui.shell);
    let state = RwSignal::new(CopyState::Idle);
    let shell_name = command.shell.name();
    let bash_text = command.text.clone();
    let ps_text = command.powershell.clone();
    // AWS CLI calls follow the shell switch; on-node commands are for the node's own shell.
    let text = Signal::derive(move || match (shell.get(), &ps_text) {
        (ShellChoice::PowerShell, Some(ps)) => ps.clone(),
        _ => bash_text.clone(),
    });
    let copy = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            state.set(if copy_text(&value).await { CopyState::Copied } else { CopyState::Failed });
        });
    };
    // A command that changes something (reboots, installs, removes, runs on every target,
    // costs money) says so before it can be copied.
    let changes = command.changes.clone();
    let changing = changes.is_some();
    let class = if changing { "command changes" } else { "command" };
    view! {
        <figure class=class data-testid="command" data-shell=shell_name data-changes=changing>
            <figcaption>
                <span class="shell-tag">{shell_name}</span>
                {changing
                    .then(|| {
                        view! {
                            <span class="badge badge-changes" data-testid="changes-badge">
                                {move || t("changes_badge", lang.get())}
                            </span>
                        }
                    })}
                {command.label.clone()}
            </figcaption>
            {changes
                .map(|what| {
                    view! {
                        <p class="changes-warning" data-testid="changes-warning">
                            {move || t("changes_warning", lang.get()).replace("{changes}", &what)}
                        </p>
                    }
                })}
            <div class="command-body">
                <pre>
                    <code data-testid="command-text">
                        {move || {
                            split_placeholders(&text.get())
                                .into_iter()
                                .map(|(part, is_placeholder)| {
                                    if is_placeholder {
                                        view! { <mark class="placeholder">{part}</mark> }.into_any()
                                    } else {
                                        part.into_any()
                                    }
                                })
                                .collect_view()
                        }}
                    </code>
                </pre>
                <button
                    class="copy"
                    data-testid="copy"
                    data-state=move || match state.get() {
                        CopyState::Idle => "idle",
                        CopyState::Copied => "copied",
                        CopyState::Failed => "failed",
                    }
                    on:click=copy
                >
                    {move || match state.get() {
                        CopyState::Idle => t("copy", lang.get()),
                        CopyState::Copied => t("copied", lang.get()),
                        CopyState::Failed => t("copy_failed", lang.get()),
                    }}
                </button>
            </div>
        </figure>
    }
}

/// Splits a command into text and `<placeholder>` runs so placeholders can be highlighted.
fn split_placeholders(text: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let Some(len) = rest[open..].find('>') else { break };
        let inner = &rest[open + 1..open + len];
        // Only `<lower-case-words>` are placeholders; `2>&1` or `<<EOF` are shell syntax.
        if inner.is_empty() || !inner.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            parts.push((rest[..open + 1].to_string(), false));
            rest = &rest[open + 1..];
            continue;
        }
        parts.push((rest[..open].to_string(), false));
        parts.push((rest[open..=open + len].to_string(), true));
        rest = &rest[open + len + 1..];
    }
    parts.push((rest.to_string(), false));
    parts.retain(|(p, _)| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::split_placeholders;

    #[test]
    fn placeholders_are_split_out_but_shell_syntax_is_not() {
        let parts = split_placeholders("aws ssm x --instance-ids <instance-id> --region <region> 2>&1");
        let marked: Vec<&str> = parts.iter().filter(|(_, p)| *p).map(|(s, _)| s.as_str()).collect();
        assert_eq!(marked, ["<instance-id>", "<region>"]);
        let joined: String = parts.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(joined, "aws ssm x --instance-ids <instance-id> --region <region> 2>&1");
    }
}
