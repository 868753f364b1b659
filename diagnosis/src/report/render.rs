//! The Markdown and text renderings of a report: the same content as the JSON, for people.

use std::fmt::Write as _;

use super::{EvidenceLine, Form, Report, SupportingReport};
use crate::commands::Command;
use crate::knowledge::{fill, label, Label, Lang, Role, Shell};

/// How many of a fleet's nodes the Markdown report lists (the groups name them all by count).
const MARKDOWN_NODES: usize = 200;

impl Report {
    pub fn to_markdown(&self, lang: Lang) -> String {
        let l = Labels::of(lang);
        let mut out = format!("# {}\n\n", l.heading);
        if self.form == Form::Fleet {
            let with_cause = self.nodes_with_cause();
            let _ = writeln!(out, "{}\n", l.fleet_summary(self.nodes.len(), with_cause));
        } else {
            for n in &self.nodes {
                let _ = writeln!(out, "- **{}**{}{}", n.node, l.colon, n.verdict);
            }
        }
        let _ =
            write!(out, "\n## {}\n\n| {} | kind | status | {} |\n|---|---|---|---|\n", l.inputs, l.name, l.messages);
        for i in &self.inputs {
            let messages = i.messages.join("<br>").replace('|', "\\|");
            let name = code_span(&i.name).replace('|', "\\|");
            let _ = writeln!(out, "| {name} | {} | {} | {messages} |", i.kind.name(), i.status.name());
        }
        let node = |node: &str| format!("{}{}`{node}`", l.node, l.colon);
        for block in self.blocks(&l, node) {
            block.markdown(&mut out, &l);
        }
        if self.form == Form::Fleet {
            let _ = write!(out, "\n## {}\n\n| {} | {} | refs |\n|---|---|---|\n", l.nodes, l.node, l.verdict);
            // A report to paste into a support case: the nodes with a cause first, and at most
            // MARKDOWN_NODES of them (20,000 rows made a 2.4 MB report); the JSON lists every node.
            let with_cause = self.nodes.iter().filter(|n| n.causes > 0);
            let shown: Vec<_> =
                with_cause.chain(self.nodes.iter().filter(|n| n.causes == 0)).take(MARKDOWN_NODES).collect();
            for n in &shown {
                let _ = writeln!(out, "| `{}` | {} | {} |", n.node, n.verdict.replace('|', "\\|"), n.refs.join(", "));
            }
            if self.nodes.len() > shown.len() {
                let _ = writeln!(out, "\n{}", l.more_nodes(self.nodes.len() - shown.len()));
            }
        }
        out
    }

    pub fn to_text(&self, lang: Lang) -> String {
        let l = Labels::of(lang);
        let mut out = String::new();
        if self.form == Form::Fleet {
            let with_cause = self.nodes_with_cause();
            let _ = writeln!(out, "{}", l.fleet_summary(self.nodes.len(), with_cause));
        } else {
            for n in &self.nodes {
                let _ = writeln!(out, "{}: {}", n.node, n.verdict);
            }
        }
        for i in &self.inputs {
            let _ = writeln!(out, "{} {}: {} ({})", l.input, i.name, i.kind.name(), i.status.name());
            for m in &i.messages {
                let _ = writeln!(out, "    {m}");
            }
        }
        for block in self.blocks(&l, str::to_string) {
            block.text(&mut out, &l);
        }
        if self.form == Form::Fleet {
            let _ = writeln!(out, "\n{}:", l.nodes);
            for n in &self.nodes {
                let _ = writeln!(out, "{}: {} [{}]", n.node, n.verdict, n.refs.join(", "));
            }
        }
        out
    }

    /// What both renderings show, in order: a fleet's groups, then the findings written in full;
    /// `node` words the node a finding is about.
    fn blocks<'a>(&'a self, l: &'a Labels, node: impl Fn(&str) -> String + 'a) -> impl Iterator<Item = Block<'a>> + 'a {
        let groups = if self.form == Form::Fleet { &self.groups[..] } else { &[] };
        let groups = groups.iter().map(|g| Block {
            role: g.role,
            title: &g.title,
            reference: &g.reference,
            about: Some(l.group_nodes(g)),
            why: &g.why,
            fix: &g.fix,
            evidence: &g.evidence,
            supporting: &[],
            commands: &g.commands,
        });
        let findings = self.findings.iter().map(move |f| Block {
            role: f.role,
            title: &f.title,
            reference: &f.reference,
            about: f.node.as_deref().map(&node),
            why: &f.why,
            fix: &f.fix,
            evidence: &f.evidence,
            supporting: &f.supporting,
            commands: &f.commands,
        });
        groups.chain(findings)
    }
}

/// A finding, or a group of findings, as people read it.
struct Block<'a> {
    role: Role,
    title: &'a str,
    reference: &'a str,
    /// The node it is about, or the nodes of a group.
    about: Option<String>,
    why: &'a str,
    fix: &'a str,
    evidence: &'a [EvidenceLine],
    supporting: &'a [SupportingReport],
    commands: &'a [Command],
}

impl Block<'_> {
    fn markdown(&self, out: &mut String, l: &Labels) {
        let _ = write!(out, "\n## [{}] {} ({})\n\n", self.role.name(), self.title, self.reference);
        if let Some(about) = &self.about {
            let _ = write!(out, "{about}\n\n");
        }
        let _ = write!(out, "{}\n\n**{}**{}{}\n\n", self.why, l.fix, l.colon, self.fix);
        for e in self.evidence {
            // Quoted as code: pasted markup or links show as they are wherever the report is read.
            let at = code_span(&format!("{}:{}", e.input, e.line.unwrap_or(0)));
            let _ = writeln!(out, "> {at} {}", code_span(&e.text));
        }
        if !self.supporting.is_empty() {
            let _ = writeln!(out, "\n{}:", l.explains);
            for s in self.supporting {
                let _ = writeln!(out, "- {} ({})", s.title, s.reference);
            }
        }
        if !self.commands.is_empty() {
            out.push('\n');
            for c in self.commands {
                let changes =
                    c.changes.as_ref().map(|what| format!(" **⚠ {}{}{what}**", l.changes, l.colon)).unwrap_or_default();
                let fence = if c.shell == Shell::Powershell { "powershell" } else { "bash" };
                let _ = write!(out, "- {}{changes}\n\n  ```{fence}\n  {}\n  ```\n", c.label, c.text);
            }
        }
    }

    fn text(&self, out: &mut String, l: &Labels) {
        let about = self.about.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
        let _ = writeln!(out, "\n[{}] {} {}{about}", self.role.name().to_uppercase(), self.reference, self.title);
        let _ = writeln!(out, "    {}\n    {}{}{}", self.why, l.fix, l.colon, self.fix);
        for e in self.evidence {
            let _ = writeln!(out, "    {}:{}: {}", e.input, e.line.unwrap_or(0), e.text);
        }
        for s in self.supporting {
            let _ = writeln!(out, "    {}{}{} ({})", l.explains, l.colon, s.title, s.reference);
        }
        for c in self.commands {
            if let Some(what) = &c.changes {
                let _ = writeln!(out, "    ! {}{}{what}", l.changes, l.colon);
            }
            let _ = writeln!(out, "    $ {}", c.text);
        }
    }
}

/// The words the reports are laid out with, in one language (labels.toml).
struct Labels {
    heading: &'static str,
    inputs: &'static str,
    input: &'static str,
    name: &'static str,
    messages: &'static str,
    node: &'static str,
    fix: &'static str,
    /// Heads the symptoms a cause explains.
    explains: &'static str,
    /// Marks a command that changes something.
    changes: &'static str,
    nodes: &'static str,
    verdict: &'static str,
    /// ": " in English, "：" (full width, no space) in Chinese.
    colon: &'static str,
    lang: Lang,
}

impl Labels {
    fn of(lang: Lang) -> Labels {
        let word = |l: Label| label(l).get(lang);
        Labels {
            heading: word(Label::Heading),
            inputs: word(Label::Inputs),
            input: word(Label::Input),
            name: word(Label::Name),
            messages: word(Label::Messages),
            node: word(Label::Node),
            fix: word(Label::Fix),
            explains: word(Label::Explains),
            changes: word(Label::Changes),
            nodes: word(Label::Nodes),
            verdict: word(Label::Verdict),
            colon: word(Label::Colon),
            lang,
        }
    }

    fn text(&self, l: Label, vars: &[(&str, String)]) -> String {
        fill(label(l).get(self.lang), vars)
    }
}

/// How many ids of a group's nodes are written out in Markdown and text.
const NODES_SHOWN: usize = 20;

impl Labels {
    fn more_nodes(&self, more: usize) -> String {
        self.text(Label::MoreNodes, &[("more", more.to_string())])
    }

    fn fleet_summary(&self, nodes: usize, with_cause: usize) -> String {
        self.text(Label::FleetSummary, &[("nodes", nodes.to_string()), ("with_cause", with_cause.to_string())])
    }

    /// `1,234 nodes: i-…, i-… +1,214` (and which of them the commands list).
    fn group_nodes(&self, group: &super::FindingGroup) -> String {
        let nodes = &group.nodes;
        let shown: Vec<&str> = nodes.iter().take(NODES_SHOWN).map(|n| &**n).collect();
        let more = nodes.len().saturating_sub(NODES_SHOWN);
        let more = if more > 0 { format!(" +{more}") } else { String::new() };
        let looped = |file: &str| group.commands.iter().any(|c| c.text.contains(file));
        let listing = match group.node_file.as_deref() {
            Some(file) => {
                let which = if looped(file) { Label::GroupNodesLooped } else { Label::GroupNodesFile };
                let vars = [
                    ("n", group.command_nodes.to_string()),
                    ("per_call", crate::commands::IDS_PER_CALL.to_string()),
                    ("file", file.to_string()),
                ];
                self.text(which, &vars)
            }
            None => String::new(),
        };
        let ids = shown.join(label(Label::IdSeparator).get(self.lang));
        self.text(
            Label::GroupNodes,
            &[("count", nodes.len().to_string()), ("ids", ids), ("more", more), ("listing", listing)],
        )
    }
}

/// `text` as one Markdown code span, on one line: a fence of more backticks than the text holds
/// in a row, padded when the text starts or ends with one.
fn code_span(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::code_span;

    #[test]
    fn pasted_text_is_one_code_span_whatever_it_holds() {
        assert_eq!(code_span("\"Status\": \"Failed\","), "`\"Status\": \"Failed\",`");
        assert_eq!(code_span("<script>x</script> [a](javascript:y)"), "`<script>x</script> [a](javascript:y)`");
        // Padded on both sides: CommonMark strips one space from each.
        assert_eq!(code_span("run `yum check`"), "`` run `yum check` ``");
        assert_eq!(code_span("``x``"), "``` ``x`` ```");
    }
}
