//! Patch branch P0–P7: patch state counts, patch lists and baselines.

use super::nodes::{block_node, the_only_node, Attribution};
use super::{Cites, Tree, Var, Vars};
use crate::commands::Slots;
use crate::evidence::{Evidence, PatchStateRow};
use crate::ids::BaselineId;
use crate::ingest::InputKind;
use crate::knowledge::{Code, Hint};
use crate::model::{Cite, Origin, PatchState};

/// A fleet of at least this many patch-state rows is decided on two threads where there are
/// threads: below it, a thread costs more than it saves.
pub(super) const SPLIT_FROM_ROWS: usize = 4096;

/// The branch, with the rows of a large fleet decided on two threads when `threads`.
pub fn run(tree: &mut Tree, threads: bool) {
    let rows = tree.ev.patch_states.len();
    patch_states(tree, (threads && rows >= SPLIT_FROM_ROWS).then_some(rows / 2));
    let ev = tree.ev;
    // An empty describe-instance-patch-states answer is a fact: nothing was ever reported.
    for (cite, kind) in &ev.empty_lists {
        if *kind == InputKind::InstancePatchStates {
            let node = tree.slots(None).instance.map(String::from);
            let slots = tree.slots(node.as_deref());
            tree.add(Code::PatchDataMissing, node.as_deref(), &[], vec![*cite], slots);
        }
    }
    payload_summaries(tree);
    patch_list(tree);
    baselines(tree);
    competing_scanners(tree);
}

/// Each patch-state row's findings. With `split`, the rows from `split` on are decided in a
/// part of the tree on a second thread while this thread decides the rows before it; the part
/// is then absorbed, so the findings are those of deciding the rows one by one, in order.
fn patch_states(tree: &mut Tree, split: Option<usize>) {
    let ev = tree.ev;
    let rows = ev.patch_states.len();
    if tree.sets.is_some() {
        return super::sets::decide_rows(tree, split.is_some());
    }
    let Some(split) = split else {
        tree.reserve_rows(rows);
        ev.patch_states.iter().for_each(|row| patch_state(tree, row));
        return;
    };
    tree.reserve_rows(split);
    let mut part = tree.part();
    part.reserve_rows(rows - split);
    let first = ev.patch_states.iter().take(split);
    let rest = ev.patch_states.iter().skip(split);
    crate::beside::beside(
        true,
        || first.for_each(|row| patch_state(tree, row)),
        || rest.for_each(|row| patch_state(&mut part, row)),
    );
    tree.absorb(part);
}

/// The payload's own summary of a run (`…, Missing count: 2, …`): each non-compliant count is
/// that state's finding (P3–P6), for the node whose output it is, with the state filled in.
fn payload_summaries(tree: &mut Tree) {
    let ev = tree.ev;
    for summary in &ev.payload_summaries {
        let attribution = match summary.origin {
            Origin::Block(b) => block_node(ev, &ev.text_blocks[b]),
            Origin::Command(c) => match ev.command_runs[c].instance_ids.first() {
                Some(id) => Attribution::Node(id.clone()),
                None => the_only_node(ev),
            },
        };
        let node = attribution.node();
        let operation = summary.operation.clone().unwrap_or_default();
        for (state, count) in summary.counts.iter().filter(|(s, c)| s.is_non_compliant() && c.value > 0) {
            let mut slots = tree.slots(node);
            slots.state = Some(*state);
            let mut vars: Vars = vec![
                ("count", Var::count(count.value)),
                ("operation", operation.as_str().into()),
                ("state", Var::word(state.wire())),
            ];
            let code = match state {
                PatchState::Failed => Code::PatchFailed,
                PatchState::InstalledPendingReboot => {
                    vars.push(("reboot_hint", String::new().into()));
                    Code::PatchPendingReboot
                }
                PatchState::InstalledRejected => Code::PatchInstalledRejected,
                _ => {
                    vars.push(("missing_hint", missing_hint(&operation, false)));
                    Code::PatchMissing
                }
            };
            tree.add_vars(code, node, vars, vec![count.cite], slots);
        }
    }
}

/// The patches a finding is about, as `{items}` (a phrase in brackets of the report's language)
/// and `{item_names}` (the first ten and how many more: `KB890830, openssl +3`); nothing when
/// there are none (the entry's default `{items}` is empty).
pub(super) fn item_vars<'a>(names: impl Iterator<Item = &'a str>) -> Vars {
    let names = items(names);
    if names.is_empty() {
        return Vec::new();
    }
    vec![("item_names", names.into()), ("items", Hint::ItemList.into())]
}

fn items<'a>(names: impl Iterator<Item = &'a str>) -> String {
    const SHOWN: usize = 10;
    let mut unique: Vec<&str> = Vec::new();
    let mut more = 0;
    for name in names.filter(|n| !n.is_empty()) {
        if unique.contains(&name) {
            continue;
        }
        if unique.len() < SHOWN {
            unique.push(name);
        } else {
            more += 1;
        }
    }
    match (unique.is_empty(), more) {
        (true, _) => String::new(),
        (false, 0) => unique.join(", "),
        (false, more) => format!("{} +{more}", unique.join(", ")),
    }
}

pub(super) fn patch_state(tree: &mut Tree, row: PatchStateRow) {
    let node = row.instance_id().value;
    // What every command of this node's findings fills in, looked up and shared once for the
    // row (its findings differ only by the state, held beside them).
    let node_slots = tree.row_node_slots(row);
    for code in row_codes(tree, row).iter() {
        let RowFinding { code, vars, cites, state } = row_finding(tree.row_scope(), row, code);
        if code == Code::PatchBaselineCheck {
            let slots = baseline_check_slots(row, &node_slots);
            tree.add_vars(code, Some(node), vars, cites, slots);
        } else {
            tree.add_for_node(code, node, vars, cites, &node_slots, state);
        }
    }
}

/// The slots of a row's P7 check: its commands name the row's baseline and patch group.
pub(super) fn baseline_check_slots(row: PatchStateRow, node_slots: &super::NodeSlots) -> Slots {
    let mut slots = node_slots.to_slots(row.instance_id().value);
    slots.baseline = row.baseline_id().and_then(|b| BaselineId::parse(b.value));
    slots.patch_group = patch_group(row).map(Into::into);
    slots
}

/// A finding a patch-state row has, decided from the row and the evidence beside it, in the
/// order a row's findings are added. A row's findings are its codes ([`row_codes`]), each
/// written out by [`row_finding`]: one rule for both, which findings as sets (a fleet's rows
/// kept as their codes, their findings written when a report needs them) start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowCode {
    /// P3: patches failed to install.
    Failed,
    /// P4: installed, waiting for a reboot.
    PendingReboot,
    /// P5: a rejected patch is installed.
    Rejected,
    /// W5: still missing after an Install said it succeeded (before P6).
    StillMissing,
    /// P6: approved patches are missing.
    Missing,
    /// Available security updates that the baseline counts as non-compliant.
    SecurityUpdate,
    /// Available security updates, the baseline unseen: a check.
    SecurityUpdateUnconfirmed,
    /// P0: the patch data is more than a week old.
    Stale,
    /// P9: a Scan overwrote an Install's results.
    Overwritten,
    /// P7: the baseline of a non-compliant row, to check.
    BaselineCheck,
    /// Nothing non-compliant.
    Compliant,
}

impl RowCode {
    /// The code of its finding: one rule for [`row_finding`] and the sets.
    pub(super) fn code(self) -> Code {
        match self {
            RowCode::Failed => Code::PatchFailed,
            RowCode::PendingReboot => Code::PatchPendingReboot,
            RowCode::Rejected => Code::PatchInstalledRejected,
            RowCode::StillMissing => Code::InstallSucceededStillMissing,
            RowCode::Missing => Code::PatchMissing,
            RowCode::SecurityUpdate => Code::PatchAvailableSecurityUpdate,
            RowCode::SecurityUpdateUnconfirmed => Code::PatchAvailableSecurityUpdateUnconfirmed,
            RowCode::Stale => Code::PatchDataStale,
            RowCode::Overwritten => Code::PatchComplianceOverwritten,
            RowCode::BaselineCheck => Code::PatchBaselineCheck,
            RowCode::Compliant => Code::PatchCompliant,
        }
    }

    /// The patch state its finding's commands fill in: the state whose count it is, if any.
    pub(super) fn state(self) -> Option<PatchState> {
        match self {
            RowCode::Failed => Some(PatchState::Failed),
            RowCode::PendingReboot => Some(PatchState::InstalledPendingReboot),
            RowCode::Rejected => Some(PatchState::InstalledRejected),
            RowCode::StillMissing | RowCode::Missing => Some(PatchState::Missing),
            RowCode::SecurityUpdate | RowCode::SecurityUpdateUnconfirmed => Some(PatchState::AvailableSecurityUpdate),
            RowCode::Stale | RowCode::Overwritten | RowCode::BaselineCheck | RowCode::Compliant => None,
        }
    }

    const ALL: [RowCode; 11] = [
        RowCode::Failed,
        RowCode::PendingReboot,
        RowCode::Rejected,
        RowCode::StillMissing,
        RowCode::Missing,
        RowCode::SecurityUpdate,
        RowCode::SecurityUpdateUnconfirmed,
        RowCode::Stale,
        RowCode::Overwritten,
        RowCode::BaselineCheck,
        RowCode::Compliant,
    ];
}

/// A row's codes, as bits in [`RowCode::ALL`]'s order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct RowCodes(u16);

impl RowCodes {
    /// Both codes' sets together.
    pub(super) fn union(self, other: RowCodes) -> RowCodes {
        RowCodes(self.0 | other.0)
    }

    fn with(self, code: RowCode) -> RowCodes {
        RowCodes(self.0 | 1 << code as u16)
    }

    /// The codes, in the order their findings are added.
    pub(super) fn iter(self) -> impl Iterator<Item = RowCode> {
        RowCode::ALL.into_iter().filter(move |code| self.0 & (1 << *code as u16) != 0)
    }
}

/// The non-compliant states whose counts are findings, in the order they are added.
const NON_COMPLIANT: [PatchState; 5] = [
    PatchState::Failed,
    PatchState::InstalledPendingReboot,
    PatchState::InstalledRejected,
    PatchState::Missing,
    PatchState::AvailableSecurityUpdate,
];

/// What a row says: its codes.
pub(super) fn row_codes(tree: &Tree, row: PatchStateRow) -> RowCodes {
    let scope = tree.row_scope();
    let operation = row.operation().map_or("", |o| o.value);
    let mut codes = RowCodes::default();
    let mut any = false;
    for state in NON_COMPLIANT {
        if row.count(state).is_none_or(|c| c.value <= 0) {
            continue;
        }
        any = true;
        codes = match state {
            PatchState::Failed => codes.with(RowCode::Failed),
            PatchState::InstalledPendingReboot => codes.with(RowCode::PendingReboot),
            PatchState::InstalledRejected => codes.with(RowCode::Rejected),
            PatchState::Missing if operation.eq_ignore_ascii_case("Install") => {
                codes.with(RowCode::StillMissing).with(RowCode::Missing)
            }
            PatchState::Missing => codes.with(RowCode::Missing),
            _ => match security_updates_count(scope, row) {
                Some(_) => codes.with(RowCode::SecurityUpdate),
                None => codes.with(RowCode::SecurityUpdateUnconfirmed),
            },
        };
    }
    if staleness(scope, row).is_some() {
        codes = codes.with(RowCode::Stale);
    }
    if overwrite(scope, row).is_some() {
        codes = codes.with(RowCode::Overwritten);
    }
    match (any, row.baseline_id()) {
        (true, Some(_)) => codes.with(RowCode::BaselineCheck),
        (true, None) => codes,
        (false, _) => codes.with(RowCode::Compliant),
    }
}

/// What a row's findings read besides the row: the rest of the evidence (the baselines, the
/// command history) and the caller's clock. A fleet's set rows read it again when their
/// findings are made, after the tree is gone.
#[derive(Clone, Copy)]
pub(super) struct RowScope<'a> {
    pub ev: &'a Evidence,
    pub now: Option<f64>,
}

/// One of a row's findings, written out: its code's finding, values and lines, and the patch
/// state its commands fill in.
pub(super) struct RowFinding {
    pub code: Code,
    pub vars: Vars,
    pub cites: Cites,
    pub state: Option<PatchState>,
}

/// The finding of `code`, one of `row`'s codes ([`row_codes`]).
pub(super) fn row_finding(scope: RowScope, row: PatchStateRow, row_code: RowCode) -> RowFinding {
    let node = row.instance_id().value;
    let operation = row.operation().map_or("", |o| o.value);
    let op_cite: Option<Cite> = row.operation().map(|o| o.cite);
    // The state its commands fill in, and whose count it is if any: one rule, `RowCode::state`.
    let state = row_code.state();
    let counted = || {
        let state = state.expect("a row code of a counted state");
        let count = row.count(state).expect("a row's code of a state it counts");
        // Room for the hint a state adds (and a reboot hint's time): no regrowth per finding.
        let hints = match state {
            PatchState::InstalledPendingReboot => 2,
            PatchState::Missing => 1,
            _ => 0,
        };
        let mut vars: Vars = Vec::with_capacity(3 + hints);
        vars.extend([
            ("count", Var::count(count.value)),
            ("operation", operation.into()),
            ("state", Var::word(state.wire())),
        ]);
        (vars, smallvec::smallvec![count.cite])
    };
    let (vars, cites): (Vars, Cites) = match row_code {
        RowCode::Failed => {
            let (vars, mut cites) = counted();
            cites.extend(op_cite);
            // Correlate: the failed patch runs of this node explain the Failed patches.
            cites.extend(
                patch_runs(scope.ev, node)
                    .filter(|c| !c.status.value.eq_ignore_ascii_case("Success"))
                    .map(|c| c.status.cite),
            );
            (vars, cites)
        }
        RowCode::PendingReboot => {
            let (mut vars, mut cites) = counted();
            vars.extend(reboot_hint(row, operation));
            cites.extend(row.reboot_option().map(|r| r.cite));
            cites.extend(row.last_no_reboot_install().map(|r| r.cite));
            // Correlate: an Install with NoReboot in the command history is the same cause.
            cites.extend(
                patch_runs(scope.ev, node)
                    .filter_map(|c| c.reboot_option.as_ref())
                    .filter(|r| r.value.eq_ignore_ascii_case("NoReboot"))
                    .map(|r| r.cite),
            );
            (vars, cites)
        }
        RowCode::Rejected => counted(),
        // The same values as P6's, under W5.
        RowCode::StillMissing | RowCode::Missing => {
            let (mut vars, mut cites) = counted();
            cites.extend(op_cite);
            vars.push(("missing_hint", missing_hint(operation, row.install_override_list().is_some())));
            (vars, cites)
        }
        // Available security updates make a node NON_COMPLIANT only when its baseline says
        // so; without the baseline, this is a check, never a cause.
        RowCode::SecurityUpdate | RowCode::SecurityUpdateUnconfirmed => {
            let (vars, mut cites) = counted();
            if row_code == RowCode::SecurityUpdate {
                cites.extend(security_updates_count(scope, row));
            }
            (vars, cites)
        }
        RowCode::Stale => {
            let (days, end) = staleness(scope, row).expect("a stale row");
            let vars: Vars = vec![
                ("node", node.into()),
                ("days", Var::count(days)),
                ("operation", operation.into()),
                ("ended", Var::time(&end.value.text)),
            ];
            (vars, Cites::from_slice(&[end.cite]))
        }
        RowCode::Overwritten => {
            let Overwrite { end, install, writer } = overwrite(scope, row).expect("an overwritten row");
            let writer_text = match writer {
                Some(w) => Var::from(format!("{} {} (Scan)", w.document.value, w.command_id)),
                None => Hint::OverwrittenByUnlisted.into(),
            };
            let mut cites: Cites = smallvec::smallvec![end.cite];
            cites.extend(op_cite);
            cites.push(install.cite);
            cites.extend(writer.map(|w| w.cite));
            let vars: Vars = vec![
                ("scan_time", Var::time(&end.value.text)),
                ("install_time", install.requested.as_ref().map_or_else(|| Var::from(""), |t| Var::time(&t.text))),
                ("install", install.command_id.clone().into()),
                ("writer", writer_text),
            ];
            (vars, cites)
        }
        RowCode::BaselineCheck => {
            let baseline = row.baseline_id().expect("a row's baseline");
            let group = patch_group(row);
            let vars =
                vec![("baseline", baseline.value.into()), ("patch_group", group.map_or(Hint::None.into(), Var::from))];
            let mut cites: Cites = smallvec::smallvec![baseline.cite];
            cites.extend(row.patch_group().map(|g| g.cite));
            (vars, cites)
        }
        RowCode::Compliant => {
            let ended = row.operation_end().map(|t| t.value.text).unwrap_or_default();
            let cites: Cites =
                row.counts().filter(|(s, _)| s.is_non_compliant()).map(|(_, f)| f.cite).take(4).collect();
            let vars = vec![("operation", operation.into()), ("ended", Var::time(&ended))];
            (vars, cites)
        }
    };
    RowFinding { code: row_code.code(), vars, cites, state }
}

/// The row's patch group, when it names one (an empty one is none).
fn patch_group<'a>(row: PatchStateRow<'a>) -> Option<&'a str> {
    row.patch_group().map(|g| g.value).filter(|g| !g.is_empty())
}

/// The line of the row's baseline that counts available security updates as non-compliant.
fn security_updates_count(scope: RowScope, row: PatchStateRow) -> Option<Cite> {
    let baseline = row.baseline_id().map(|b| b.value);
    let status = scope
        .ev
        .baselines
        .iter()
        .find(|b| Some(b.baseline_id.as_str()) == baseline)
        .and_then(|b| b.available_security_updates_status.as_ref())?;
    status.value.eq_ignore_ascii_case("NON_COMPLIANT").then_some(status.cite)
}

/// The node's AWS-RunPatchBaseline(-like) runs from the command history.
fn patch_runs<'a>(ev: &'a Evidence, node: &'a str) -> impl Iterator<Item = &'a crate::model::CommandRun> + 'a {
    ev.command_runs
        .iter()
        .filter(move |c| super::is_patch_document(&c.document.value) && c.instance_ids.iter().any(|i| i == node))
}

/// A Scan that wrote over an Install's results: the record's end, the Install, and the Scan run
/// that wrote the record when the history holds it.
struct Overwrite<'a> {
    end: crate::model::Field<crate::evidence::Time<'a>>,
    install: &'a crate::model::CommandRun,
    writer: Option<&'a crate::model::CommandRun>,
}

/// P9: the node's last patch record is a Scan that ended after an Install in the pasted history:
/// that Scan wrote the compliance the dashboard shows, replacing the Install's results (AWS's
/// "Avoiding unintentional patch compliance data overwrites"). Names the run that wrote it when
/// the history holds it. A check: with the same baseline the Scan only confirms the Install.
fn overwrite<'a>(scope: RowScope<'a>, row: PatchStateRow<'a>) -> Option<Overwrite<'a>> {
    if !row.operation().is_some_and(|o| o.value.eq_ignore_ascii_case("Scan")) {
        return None;
    }
    let end = row.operation_end()?;
    let ended = end.value.epoch?;
    let node = row.instance_id().value;
    // The node's patch runs, and those that name no node when the inputs are about this one.
    let unnamed = (the_only_node(scope.ev).node() == Some(node))
        .then(|| {
            scope
                .ev
                .command_runs
                .iter()
                .filter(|c| c.instance_ids.is_empty() && super::is_patch_document(&c.document.value))
        })
        .into_iter()
        .flatten();
    let at = |c: &crate::model::CommandRun| c.requested.as_ref().and_then(|t| t.epoch);
    let runs: Vec<(&crate::model::CommandRun, f64)> =
        patch_runs(scope.ev, node).chain(unnamed).filter_map(|c| Some((c, at(c)?))).collect();
    let op_is =
        |c: &crate::model::CommandRun, op: &str| c.operation.as_ref().is_some_and(|o| o.value.eq_ignore_ascii_case(op));
    let latest = |wanted: &dyn Fn(&crate::model::CommandRun, f64) -> bool| {
        runs.iter().filter(|(c, t)| wanted(c, *t)).max_by(|a, b| a.1.total_cmp(&b.1)).copied()
    };
    // The last Install requested before the Scan ended.
    let (install, installed) = latest(&|c, t| op_is(c, "Install") && t < ended)?;
    // The Scan run that wrote the record: requested after the Install and before the record ended.
    let writer = latest(&|c, t| op_is(c, "Scan") && t > installed && t <= ended).map(|(w, _)| w);
    Some(Overwrite { end, install, writer })
}

/// P0: patch data older than a week, relative to the caller's clock: how many days, and the
/// record's end.
fn staleness<'a>(
    scope: RowScope,
    row: PatchStateRow<'a>,
) -> Option<(i64, crate::model::Field<crate::evidence::Time<'a>>)> {
    const WEEK: f64 = 7.0 * 86_400.0;
    let (now, end) = (scope.now?, row.operation_end()?);
    let epoch = end.value.epoch?;
    (now - epoch > WEEK).then(|| (((now - epoch) / 86_400.0).floor() as i64, end))
}

/// A scan source: the document that reported, and its baseline.
type Source<'a> = (&'a str, &'a str);

/// P8: more than one scan source (or baseline) reports patch compliance for a node.
fn competing_scanners(tree: &mut Tree) {
    let ev = tree.ev;
    let rows = ev.patch_states.len();
    // Every report of a node that has several, as (node, which): a patch-state row (`which` <
    // rows), or a compliance item of the association's document. Sorted, each node's reports are
    // side by side in the order read. Nodes are counted by the rows' symbols first: a fleet of
    // 150,000 nodes that nearly all have one report is not sorted by id (that sort was 3% of
    // the worker's run), and sources are read only for nodes with several reports.
    let mut reports_of = ev.patch_states.rows_per_node();
    let index = |sym: Option<crate::intern::Sym>| sym.map(crate::intern::Sym::index);
    // An item is counted with the rows of its node; an item of a node no row names is kept
    // for the sort, with the others of its kind.
    let mut reports: Vec<(&str, u32)> = Vec::new();
    let mut items: Vec<(usize, &str, u32)> = Vec::new();
    for (item, which) in ev.compliance_items.iter().zip(rows as u32..) {
        if item.document_name.as_ref().is_some_and(|d| d.value == "AWS-RunPatchBaselineAssociation") {
            let node = item.resource_id.as_str();
            match index(ev.patch_states.find(node)) {
                Some(n) => {
                    reports_of[n] += 1;
                    items.push((n, node, which));
                }
                None => reports.push((node, which)),
            }
        }
    }
    let several = |n: usize| reports_of[n] >= 2;
    for (s, which) in ev.patch_states.iter().zip(0..) {
        if index(s.node_sym()).is_some_and(several) {
            reports.push((s.instance_id().value, which));
        }
    }
    reports.extend(items.into_iter().filter(|&(n, ..)| several(n)).map(|(_, node, which)| (node, which)));
    reports.sort_unstable();
    // A report's scan source (the document that reported, and its baseline) and its line.
    let source = |which: u32| -> (Source, Option<Cite>) {
        match ev.patch_states.get(which as usize) {
            Some(s) => {
                let baseline = s.baseline_id().map_or("?", |b| b.value);
                (("AWS-RunPatchBaseline", baseline), s.baseline_id().map(|b| b.cite))
            }
            None => {
                let item = &ev.compliance_items[which as usize - rows];
                let baseline = item.patch_baseline_id.as_deref().unwrap_or("?");
                (("AWS-RunPatchBaselineAssociation", baseline), item.document_name.as_ref().map(|d| d.cite))
            }
        }
    };
    for node_reports in reports.chunk_by(|a, b| a.0 == b.0) {
        let node = node_reports[0].0;
        if node.is_empty() || node_reports.len() < 2 {
            continue;
        }
        let read: Vec<(Source, Option<Cite>)> = node_reports.iter().map(|&(_, which)| source(which)).collect();
        let mut sources: Vec<Source> = Vec::new();
        for (source, _) in &read {
            if !sources.contains(source) {
                sources.push(*source);
            }
        }
        if sources.len() < 2 {
            continue;
        }
        let mut sources: Vec<String> = sources.iter().map(|(doc, baseline)| format!("{doc} ({baseline})")).collect();
        sources.sort();
        let cites = read.iter().filter_map(|(_, cite)| *cite).collect::<super::Cites>();
        let slots = tree.slots(Some(node));
        tree.add(Code::CompetingScanners, Some(node), &[("sources", sources.join(", "))], cites, slots);
    }
}

/// Why a reboot has not happened yet, from the reboot option and the last NoReboot install.
fn reboot_hint(row: PatchStateRow, operation: &str) -> Vars {
    let option = row.reboot_option().map_or("", |r| r.value);
    if option.eq_ignore_ascii_case("NoReboot") {
        vec![("reboot_hint", Hint::RebootNoreboot.into())]
    } else if let Some(time) = row.last_no_reboot_install() {
        vec![("reboot_hint", Hint::RebootNorebootAt.into()), ("time", Var::time(&time.value.text))]
    } else if operation.eq_ignore_ascii_case("Scan") {
        // A Scan never reboots: it found updates installed earlier (a NoReboot Install, or
        // outside Patch Manager by Windows Update, WSUS or a package manager).
        vec![("reboot_hint", Hint::RebootAfterScan.into())]
    } else if operation.eq_ignore_ascii_case("Install") && option.eq_ignore_ascii_case("RebootIfNeeded") {
        vec![("reboot_hint", Hint::RebootIfNeeded.into())]
    } else {
        vec![("reboot_hint", Hint::RebootUnknown.into())]
    }
}

/// Why approved patches are still missing, from the last operation.
fn missing_hint(operation: &str, override_list: bool) -> Var {
    if operation.eq_ignore_ascii_case("Scan") {
        Hint::MissingAfterScan.into()
    } else if operation.eq_ignore_ascii_case("Install") && override_list {
        Var::Hints(Box::new([Hint::MissingAfterInstall, Hint::MissingOverrideList]))
    } else if operation.eq_ignore_ascii_case("Install") {
        Hint::MissingAfterInstall.into()
    } else {
        Hint::MissingNoOperation.into()
    }
}

/// `describe-instance-patches`: per-state groups. NotApplicable and empty states never count.
fn patch_list(tree: &mut Tree) {
    let ev = tree.ev;
    let mut nodes: Vec<Option<&str>> = ev.patches.iter().map(|p| p.instance_id.as_deref()).collect();
    nodes.sort();
    nodes.dedup();
    for node in nodes {
        patch_list_of(tree, node);
    }
}

/// The patches of one node (`None`: describe-instance-patches, whose node is in the context).
fn patch_list_of(tree: &mut Tree, of: Option<&str>) {
    let ev = tree.ev;
    let node = match of {
        Some(n) => Some(n.to_string()),
        None => tree.slots(None).instance.map(String::from),
    };
    let patches: Vec<&crate::model::InstancePatch> =
        ev.patches.iter().filter(|p| p.instance_id.as_deref() == of).collect();
    let mut benign: Vec<Cite> = Vec::new();
    let mut benign_states: Vec<String> = Vec::new();
    for state in [
        PatchState::Failed,
        PatchState::InstalledPendingReboot,
        PatchState::InstalledRejected,
        PatchState::Missing,
        PatchState::AvailableSecurityUpdate,
    ] {
        let rows: Vec<_> = patches.iter().filter(|p| p.state == Some(state)).collect();
        if rows.is_empty() {
            continue;
        }
        let mut slots: Slots = tree.slots(node.as_deref());
        slots.state = Some(state);
        if state == PatchState::InstalledRejected {
            slots.more_mut().kb_number = rows.iter().find_map(|p| p.kb_id.strip_prefix("KB").map(Into::into));
            slots.more_mut().package =
                rows.first().map(|p| p.kb_id.as_str()).filter(|k| !k.starts_with("KB")).map(Into::into);
        }
        let count = rows.len().to_string();
        let cites: Vec<Cite> = rows.iter().map(|p| p.cite).take(20).collect();
        let (code, extra): (Code, Vars) = match state {
            PatchState::Failed => (Code::PatchFailed, vec![]),
            PatchState::InstalledPendingReboot => {
                (Code::PatchPendingReboot, vec![("reboot_hint", String::new().into())])
            }
            PatchState::InstalledRejected => (Code::PatchInstalledRejected, vec![]),
            PatchState::Missing => (Code::PatchMissing, vec![("missing_hint", Hint::MissingListed.into())]),
            _ => (Code::PatchAvailableSecurityUpdateUnconfirmed, vec![]),
        };
        let names = rows.iter().map(|p| if p.kb_id.is_empty() { p.title.as_str() } else { p.kb_id.as_str() });
        let mut vars: Vars = vec![("count", count.into()), ("operation", String::new().into())];
        vars.extend(item_vars(names));
        vars.extend(extra);
        tree.add_vars(code, node.as_deref(), vars, cites, slots);
    }
    for p in &patches {
        if !p.state.is_some_and(PatchState::is_non_compliant) && p.state != Some(PatchState::AvailableSecurityUpdate) {
            benign.push(p.cite);
            let label = if p.state_text.is_empty() { "\"\"".to_string() } else { p.state_text.clone() };
            if !benign_states.contains(&label) {
                benign_states.push(label);
            }
        }
    }
    if !benign.is_empty() {
        let slots = tree.slots(node.as_deref());
        let vars = [("count", benign.len().to_string()), ("states", benign_states.join(", "))];
        benign.truncate(20);
        tree.add(Code::PatchesNotNoncompliant, node.as_deref(), &vars, benign, slots);
    }
}

fn baselines(tree: &mut Tree) {
    let ev = tree.ev;
    for b in &ev.baselines {
        let mut slots = tree.slots(None);
        slots.baseline = BaselineId::parse(&b.baseline_id);
        let rules = if b.rules.is_empty() { Hint::ExplicitApprovedOnly.into() } else { Var::from(b.rules.join("; ")) };
        let levels: Vec<String> = b.compliance_levels.iter().map(|l| l.value.clone()).collect();
        let mut cites = vec![b.cite];
        cites.extend(b.compliance_levels.iter().map(|l| l.cite));
        let vars = vec![
            ("baseline", b.baseline_id.clone().into()),
            ("os", b.operating_system.clone().into()),
            ("rules", rules),
            ("levels", if levels.is_empty() { "UNSPECIFIED".to_string().into() } else { levels.join(", ").into() }),
        ];
        tree.add_vars(Code::PatchBaselineSummary, None, vars, cites, slots.clone());
        if b.operating_system == "WINDOWS" && b.rules.iter().any(|r| r.contains("PRODUCT=")) {
            tree.add(
                Code::WindowsProductCheck,
                None,
                &[("baseline", b.baseline_id.clone())],
                vec![b.cite],
                slots.clone(),
            );
        }
        if let Some(action) =
            b.rejected_patches_action.as_ref().filter(|a| a.value.eq_ignore_ascii_case("ALLOW_AS_DEPENDENCY"))
        {
            tree.add(
                Code::PatchRejectedImpossible,
                None,
                &[("baseline", b.baseline_id.clone())],
                vec![action.cite],
                slots,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Evidence;

    /// P8 as it was found before nodes were counted by symbol: every report sorted by node id,
    /// then each node's sources read. The independent answer the branch is held to.
    fn competing_by_sorting_every_report(ev: &Evidence) -> Vec<(String, String, Vec<Cite>)> {
        let rows = ev.patch_states.len();
        let mut reports: Vec<(&str, u32)> =
            ev.patch_states.iter().zip(0..).map(|(s, which)| (s.instance_id().value, which)).collect();
        for (item, which) in ev.compliance_items.iter().zip(rows as u32..) {
            if item.document_name.as_ref().is_some_and(|d| d.value == "AWS-RunPatchBaselineAssociation") {
                reports.push((item.resource_id.as_str(), which));
            }
        }
        reports.sort_unstable();
        let mut found = Vec::new();
        for node_reports in reports.chunk_by(|a, b| a.0 == b.0) {
            let node = node_reports[0].0;
            if node.is_empty() || node_reports.len() < 2 {
                continue;
            }
            let read: Vec<(String, Option<Cite>)> = node_reports
                .iter()
                .map(|&(_, which)| match ev.patch_states.get(which as usize) {
                    Some(s) => {
                        let baseline = s.baseline_id().map_or("?", |b| b.value);
                        (format!("AWS-RunPatchBaseline ({baseline})"), s.baseline_id().map(|b| b.cite))
                    }
                    None => {
                        let item = &ev.compliance_items[which as usize - rows];
                        let baseline = item.patch_baseline_id.as_deref().unwrap_or("?");
                        (
                            format!("AWS-RunPatchBaselineAssociation ({baseline})"),
                            item.document_name.as_ref().map(|d| d.cite),
                        )
                    }
                })
                .collect();
            let mut sources: Vec<String> = Vec::new();
            for (source, _) in &read {
                if !sources.contains(source) {
                    sources.push(source.clone());
                }
            }
            if sources.len() >= 2 {
                sources.sort();
                let mut cites: Vec<Cite> = read.iter().filter_map(|(_, c)| *c).collect();
                cites.dedup();
                found.push((node.to_string(), sources.join(", "), cites));
            }
        }
        found
    }

    /// Competing scan sources, from rows listed twice with another baseline, from association
    /// compliance items of nodes with and without rows, and from items alone: the same findings,
    /// in the same order, as sorting every report.
    #[test]
    fn competing_sources_are_found_as_by_sorting_every_report() {
        let export = crate::generate::generate("instance-patch-states", 400, 7).expect("a generated export");
        // The second listing names every third node again with another baseline.
        let again = export.replace("\"BaselineId\": \"pb-0", "\"BaselineId\": \"pb-1");
        let ids: Vec<&str> = export.match_indices("\"i-").map(|(at, _)| &export[at + 1..at + 20]).collect();
        let item = |node: &str, baseline: &str| {
            format!(
                r#"{{"ResourceId": "{node}", "ResourceType": "ManagedInstance", "ComplianceType": "Association", "Status": "NON_COMPLIANT", "Details": {{"DocumentName": "AWS-RunPatchBaselineAssociation", "PatchBaselineId": "{baseline}"}}}}"#
            )
        };
        let mut items: Vec<String> = ids.iter().step_by(5).map(|id| item(id, "pb-0aaaaaaaaaaaaaaaa")).collect();
        items.push(item("i-0ffffffffffffffff", "pb-0aaaaaaaaaaaaaaaa"));
        items.push(item("i-0ffffffffffffffff", "pb-0bbbbbbbbbbbbbbbb"));
        items.push(item("i-0eeeeeeeeeeeeeeee", "pb-0aaaaaaaaaaaaaaaa"));
        items.push(item("", "pb-0aaaaaaaaaaaaaaaa"));
        items.push(item("", "pb-0bbbbbbbbbbbbbbbb"));
        let items = format!("{{\"ComplianceItems\": [{}]}}", items.join(",\n"));
        let again_every_third: String = {
            let doc: serde_json::Value = serde_json::from_str(&again).expect("JSON");
            let rows = doc["InstancePatchStates"].as_array().expect("rows");
            let kept: Vec<_> = rows.iter().step_by(3).cloned().collect();
            serde_json::to_string_pretty(&serde_json::json!({ "InstancePatchStates": kept })).expect("JSON")
        };
        let inputs = [
            crate::ingest::read("states.json", export.as_bytes()),
            crate::ingest::read("again.json", again_every_third.as_bytes()),
            crate::ingest::read("items.json", items.as_bytes()),
        ];
        let ev = std::sync::Arc::new(Evidence::collect(&inputs));
        let expected = competing_by_sorting_every_report(&ev);
        let found: Vec<(String, String, Vec<Cite>)> = super::super::diagnose(&ev, &inputs, None)
            .settle(std::sync::Arc::clone(&ev))
            .findings
            .iter()
            .filter(|f| f.code == Code::CompetingScanners)
            .map(|f| {
                let sources =
                    f.vars.iter().find(|(k, _)| *k == "sources").and_then(|(_, v)| v.text()).unwrap_or_default();
                (f.node.as_deref().unwrap_or_default().to_string(), sources.into_owned(), f.evidence.to_vec())
            })
            .collect();
        assert!(
            expected.len() > 150,
            "rows listed twice and items make many nodes' sources compete: {}",
            expected.len()
        );
        assert!(expected.iter().any(|(node, ..)| node == "i-0ffffffffffffffff"), "items alone compete");
        assert!(expected.iter().any(|(_, sources, _)| sources.contains("Association")), "an item and a row compete");
        assert_eq!(found, expected);
    }
}
