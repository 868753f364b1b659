//! A command with its label and a copy button that shows whether copying worked.

use diagnosis::commands::Command;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

use crate::browser::copy_text;
use crate::context::use_ui;
use crate::state::ShellChoice;
use crate::texts::{t, Text};
use crate::ui::lang_text;

#[derive(Clone, Copy, PartialEq)]
pub enum CopyState {
    Idle,
    Copied,
    Failed,
}

impl CopyState {
    pub fn name(self) -> &'static str {
        match self {
            CopyState::Idle => "idle",
            CopyState::Copied => "copied",
            CopyState::Failed => "failed",
        }
    }

    pub fn label_key(self) -> Text {
        match self {
            CopyState::Idle => Text::Copy,
            CopyState::Copied => Text::Copied,
            CopyState::Failed => Text::CopyFailed,
        }
    }
}

/// A copy button's state and the action that copies a text: "Copied" (or "Copy failed") shows
/// for two seconds, then the button reads "Copy" again, so a second copy is seen too.
pub fn use_copy() -> (RwSignal<CopyState>, impl Fn(String) + Copy) {
    let state = RwSignal::new(CopyState::Idle);
    let generation = StoredValue::new(0u32);
    let copy = move |value: String| {
        spawn_local(async move {
            let outcome = if copy_text(&value).await { CopyState::Copied } else { CopyState::Failed };
            let now = generation.get_value().wrapping_add(1);
            generation.set_value(now);
            state.set(outcome);
            set_timeout(
                move || {
                    if generation.try_get_value() == Some(now) {
                        state.try_set(CopyState::Idle);
                    }
                },
                Duration::from_secs(2),
            );
        });
    };
    (state, copy)
}

#[component]
pub fn CommandView(command: Command) -> impl IntoView {
    let ui = use_ui();
    let (lang, shell) = (ui.lang, ui.shell);
    let (state, copy_now) = use_copy();
    let shell_name = command.shell.name();
    let bash_text = command.text.clone();
    let ps_text = command.powershell.clone();
    // AWS CLI calls follow the shell switch; on-node commands are for the node's own shell.
    let text = Signal::derive(move || match (shell.get(), &ps_text) {
        (ShellChoice::PowerShell, Some(ps)) => ps.clone(),
        _ => bash_text.clone(),
    });
    let copy = move |_| copy_now(text.get_untracked());
    // A command that changes something (reboots, installs, removes, runs on every target,
    // costs money) says so before it can be copied.
    let changes = command.changes.clone();
    let changing = changes.is_some();
    let class = if changing { "command changes" } else { "command" };
    view! {
        <figure class=class data-testid="command" data-shell=shell_name data-changes=changing>
            // The copy button on the caption's row: the command below has the full width.
            <figcaption class="command-head">
                <span class="command-label">
                    <span class="shell-tag">{shell_name}</span>
                    {changing
                        .then(|| {
                            view! {
                                <span class="badge badge-changes" data-testid="changes-badge">
                                    {lang_text(Text::ChangesBadge, lang)}
                                </span>
                            }
                        })}
                    // `Patch Group` in a label is code, not literal backticks.
                    <super::text::RichText text=command.label.clone() />
                </span>
                <button class="copy" data-testid="copy" data-state=move || state.get().name() on:click=copy>
                    {move || t(state.get().label_key(), lang.get())}
                </button>
            </figcaption>
            {changes
                .map(|what| {
                    view! {
                        <p class="changes-warning" data-testid="changes-warning">
                            {move || t(Text::ChangesWarning, lang.get()).replace("{changes}", &what)}
                        </p>
                    }
                })}
            // Lines break at spaces only; a longer token scrolls inside the block, which can
            // then be scrolled from the keyboard.
            <pre tabindex="0">
                <code data-testid="command-text">
                    {move || {
                        tokens(&text.get())
                            .into_iter()
                            .map(|(run, is_token)| {
                                if !is_token {
                                    return run.into_any();
                                }
                                let parts = split_placeholders(&run)
                                    .into_iter()
                                    .map(|(part, is_placeholder)| {
                                        if is_placeholder {
                                            view! { <mark class="placeholder">{part}</mark> }.into_any()
                                        } else {
                                            part.into_any()
                                        }
                                    })
                                    .collect_view();
                                view! { <span class="tok">{parts}</span> }.into_any()
                            })
                            .collect_view()
                    }}
                </code>
            </pre>
        </figure>
    }
}

/// Splits a command into its tokens and the whitespace between them (true for a token): each
/// token is kept on one line (`--instance-id`, `Key=State,Values=…` never break inside), so a
/// line breaks only at a space.
fn tokens(text: &str) -> Vec<(String, bool)> {
    let mut runs: Vec<(String, bool)> = Vec::new();
    for c in text.chars() {
        let is_token = !c.is_whitespace();
        match runs.last_mut() {
            Some((run, kind)) if *kind == is_token => run.push(c),
            _ => runs.push((c.to_string(), is_token)),
        }
    }
    runs
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
    use super::{split_placeholders, tokens};

    #[test]
    fn commands_split_into_tokens_at_whitespace_only() {
        let text = "aws ssm describe-instance-patches --instance-id <instance-id>  --filters Key=State,Values=Failed\n  --region eu-west-1";
        let runs = tokens(text);
        let words: Vec<&str> = runs.iter().filter(|(_, t)| *t).map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            words,
            [
                "aws",
                "ssm",
                "describe-instance-patches",
                "--instance-id",
                "<instance-id>",
                "--filters",
                "Key=State,Values=Failed",
                "--region",
                "eu-west-1"
            ]
        );
        assert!(runs.iter().filter(|(_, t)| !*t).all(|(s, _)| s.chars().all(char::is_whitespace)));
        // Nothing is lost: the page shows (and copies) exactly the command.
        assert_eq!(runs.iter().map(|(s, _)| s.as_str()).collect::<String>(), text);
    }

    #[test]
    fn placeholders_are_split_out_but_shell_syntax_is_not() {
        let parts = split_placeholders("aws ssm x --instance-ids <instance-id> --region <region> 2>&1");
        let marked: Vec<&str> = parts.iter().filter(|(_, p)| *p).map(|(s, _)| s.as_str()).collect();
        assert_eq!(marked, ["<instance-id>", "<region>"]);
        let joined: String = parts.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(joined, "aws ssm x --instance-ids <instance-id> --region <region> 2>&1");
    }
}
