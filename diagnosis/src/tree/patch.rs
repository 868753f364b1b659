//! Patch branch P0–P7: patch state counts, patch lists and baselines.

use std::collections::BTreeMap;

use super::Tree;
use crate::commands::Slots;
use crate::ingest::InputKind;
use crate::model::{Cite, InstancePatchState, PatchState};

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    for row in &ev.patch_states {
        patch_state(tree, row);
    }
    // An empty describe-instance-patch-states answer is a fact: nothing was ever reported.
    for (cite, kind) in &ev.empty_lists {
        if *kind == InputKind::InstancePatchStates {
            let node = tree.slots(None).instance;
            let slots = tree.slots(node.as_deref());
            tree.add("patch-data-missing", node.as_deref(), &[], vec![*cite], slots);
        }
    }
    patch_list(tree);
    baselines(tree);
    competing_scanners(tree);
}

fn patch_state(tree: &mut Tree, row: &InstancePatchState) {
    let node = row.instance_id.value.as_str();
    let operation = row.operation.as_ref().map(|o| o.value.clone()).unwrap_or_default();
    let op_cite: Vec<Cite> = row.operation.iter().map(|o| o.cite).collect();
    let mut any = false;
    for state in [
        PatchState::Failed,
        PatchState::InstalledPendingReboot,
        PatchState::InstalledRejected,
        PatchState::Missing,
        PatchState::AvailableSecurityUpdate,
    ] {
        let Some(count) = row.count(state).filter(|c| c.value > 0) else {
            continue;
        };
        any = true;
        let mut slots = tree.slots(Some(node));
        slots.state = Some(state.wire().to_string());
        let mut cites = vec![count.cite];
        let mut vars = vec![
            ("count", count.value.to_string()),
            ("operation", operation.clone()),
            ("state", state.wire().to_string()),
        ];
        let code = match state {
            PatchState::Failed => {
                cites.extend(&op_cite);
                // Correlate: the failed patch runs of this node explain the Failed patches.
                cites.extend(
                    patch_runs(tree, node)
                        .filter(|c| !c.status.value.eq_ignore_ascii_case("Success"))
                        .map(|c| c.status.cite),
                );
                "patch-failed"
            }
            PatchState::InstalledPendingReboot => {
                let hint = reboot_hint(tree, row);
                cites.extend(row.reboot_option.iter().map(|r| r.cite));
                cites.extend(row.last_no_reboot_install.iter().map(|r| r.cite));
                // Correlate: an Install with NoReboot in the command history is the same cause.
                cites.extend(
                    patch_runs(tree, node)
                        .filter_map(|c| c.reboot_option.as_ref())
                        .filter(|r| r.value.eq_ignore_ascii_case("NoReboot"))
                        .map(|r| r.cite),
                );
                vars.push(("reboot_hint", hint));
                "patch-pending-reboot"
            }
            PatchState::InstalledRejected => "patch-installed-rejected",
            PatchState::Missing => {
                cites.extend(&op_cite);
                vars.push(("missing_hint", missing_hint(tree, &operation, row.install_override_list.is_some())));
                "patch-missing"
            }
            _ => "patch-available-security-update",
        };
        if state == PatchState::Missing && operation.eq_ignore_ascii_case("Install") {
            let mut w5 = tree.slots(Some(node));
            w5.state = Some(state.wire().to_string());
            tree.add("install-succeeded-still-missing", Some(node), &vars, cites.clone(), w5);
        }
        tree.add(code, Some(node), &vars, cites, slots);
    }
    stale(tree, row, &operation);
    if any {
        if let Some(baseline) = &row.baseline_id {
            let group = row.patch_group.as_ref().map(|g| g.value.clone()).filter(|g| !g.is_empty());
            let mut slots = tree.slots(Some(node));
            slots.baseline = Some(baseline.value.clone());
            slots.patch_group = group.clone();
            let vars = [
                ("baseline", baseline.value.clone()),
                ("patch_group", group.unwrap_or_else(|| tree.t("none", "无").to_string())),
            ];
            let mut cites = vec![baseline.cite];
            cites.extend(row.patch_group.iter().map(|g| g.cite));
            tree.add("patch-baseline-check", Some(node), &vars, cites, slots);
        }
    } else {
        let ended = row.operation_end.as_ref().map(|t| t.value.text.clone()).unwrap_or_default();
        let mut cites: Vec<Cite> =
            row.counts.iter().filter(|(s, _)| s.is_non_compliant()).map(|(_, f)| f.cite).collect();
        cites.truncate(4);
        let slots = tree.slots(Some(node));
        tree.add("patch-compliant", Some(node), &[("operation", operation), ("ended", ended)], cites, slots);
    }
}

/// The node's AWS-RunPatchBaseline(-like) runs from the command history.
fn patch_runs<'a>(tree: &Tree<'a>, node: &'a str) -> impl Iterator<Item = &'a crate::model::CommandRun> + 'a {
    tree.ev
        .command_runs
        .iter()
        .filter(move |c| super::is_patch_document(&c.document.value) && c.instance_ids.iter().any(|i| i == node))
}

/// P0: patch data older than a week, relative to the caller's clock.
fn stale(tree: &mut Tree, row: &InstancePatchState, operation: &str) {
    const WEEK: f64 = 7.0 * 86_400.0;
    let (Some(now), Some(end)) = (tree.options.now, row.operation_end.as_ref()) else { return };
    let Some(epoch) = end.value.epoch else { return };
    if now - epoch <= WEEK {
        return;
    }
    let node = row.instance_id.value.as_str();
    let days = ((now - epoch) / 86_400.0).floor() as i64;
    let slots = tree.slots(Some(node));
    let vars = [
        ("node", node.to_string()),
        ("days", days.to_string()),
        ("operation", operation.to_string()),
        ("ended", end.value.text.clone()),
    ];
    tree.add("patch-data-stale", Some(node), &vars, vec![end.cite], slots);
}

/// P8: more than one scan source (or baseline) reports patch compliance for a node.
fn competing_scanners(tree: &mut Tree) {
    let ev = tree.ev;
    // Node → the scan sources that reported for it, with their lines; one pass over the data.
    let mut by_node: BTreeMap<&str, (Vec<String>, Vec<Cite>)> = BTreeMap::new();
    for s in &ev.patch_states {
        let entry = by_node.entry(s.instance_id.value.as_str()).or_default();
        let baseline = s.baseline_id.as_ref().map(|b| b.value.as_str()).unwrap_or("?");
        entry.0.push(format!("AWS-RunPatchBaseline ({baseline})"));
        entry.1.extend(s.baseline_id.iter().map(|b| b.cite));
    }
    for i in &ev.compliance_items {
        if i.document_name.as_ref().is_some_and(|d| d.value == "AWS-RunPatchBaselineAssociation") {
            let entry = by_node.entry(i.resource_id.as_str()).or_default();
            entry
                .0
                .push(format!("AWS-RunPatchBaselineAssociation ({})", i.patch_baseline_id.as_deref().unwrap_or("?")));
            entry.1.extend(i.document_name.iter().map(|d| d.cite));
        }
    }
    for (node, (mut sources, cites)) in by_node {
        sources.sort();
        sources.dedup();
        if !node.is_empty() && sources.len() > 1 {
            let slots = tree.slots(Some(node));
            tree.add("competing-scanners", Some(node), &[("sources", sources.join(", "))], cites, slots);
        }
    }
}

fn reboot_hint(tree: &Tree, row: &InstancePatchState) -> String {
    let option = row.reboot_option.as_ref().map(|r| r.value.as_str()).unwrap_or("");
    if option.eq_ignore_ascii_case("NoReboot") {
        tree.t(
            "The patches were installed with RebootOption NoReboot, so no reboot followed.",
            "这些补丁是以 RebootOption NoReboot 安装的,因此之后没有重启。",
        )
        .to_string()
    } else if let Some(time) = &row.last_no_reboot_install {
        match tree.lang {
            crate::knowledge::Lang::En => {
                format!("An Install with NoReboot ran at {}; no reboot and Scan have followed it.", time.value.text)
            }
            crate::knowledge::Lang::ZhCn => {
                format!("一次 NoReboot 安装于 {} 运行;此后尚未重启并扫描。", time.value.text)
            }
        }
    } else {
        tree.t(
            "RebootIfNeeded was set, so the reboot was blocked or the agent did not resume after it (exit 194/196, or the agent service not starting on Windows).",
            "已设置 RebootIfNeeded,说明重启被阻止,或重启后 SSM Agent 未恢复运行(退出代码 194/196,或 Windows 上 SSM Agent 服务未启动)。",
        )
        .to_string()
    }
}

fn missing_hint(tree: &Tree, operation: &str, override_list: bool) -> String {
    if operation.eq_ignore_ascii_case("Scan") {
        tree.t(
            "The last operation was a Scan, which only reports: it never installs. These approved patches wait for an Install operation (if they appeared recently, the baseline's approval delay has just elapsed).",
            "上次操作是扫描(Scan),它只报告而从不安装。这些已批准的补丁正在等待安装操作(如果它们是最近出现的,说明补丁基准的批准延迟刚刚到期)。",
        )
        .to_string()
    } else if operation.eq_ignore_ascii_case("Install") {
        let mut hint = tree
            .t(
                "An Install ran and they are still missing: read its output for install errors; a rejected dependency, a repository without the package or (Windows) a superseded or unapproved KB also leave patches Missing.",
                "已运行安装操作但补丁仍然缺失:请查看其输出中的安装错误;被拒绝的依赖项、软件源中没有该软件包,或(Windows)已被取代或未批准的 KB 也会导致补丁缺失。",
            )
            .to_string();
        if override_list {
            hint.push(' ');
            hint.push_str(tree.t(
                "An InstallOverrideList was used: Scan ignores it, so patches it left out stay Missing.",
                "使用了 InstallOverrideList:扫描会忽略它,因此被它排除的补丁仍显示为缺失。",
            ));
        }
        hint
    } else {
        tree.t(
            "Approved, applicable patches are not installed on the node. Run an Install operation.",
            "已批准且适用的补丁尚未安装在节点上。请运行安装操作。",
        )
        .to_string()
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
        None => tree.slots(None).instance,
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
        slots.state = Some(state.wire().to_string());
        if state == PatchState::InstalledRejected {
            slots.kb_number = rows.iter().find_map(|p| p.kb_id.strip_prefix("KB").map(str::to_string));
            slots.package = rows.first().map(|p| p.kb_id.clone()).filter(|k| !k.starts_with("KB"));
        }
        let count = rows.len().to_string();
        let cites: Vec<Cite> = rows.iter().map(|p| p.cite).take(20).collect();
        let (code, extra) = match state {
            PatchState::Failed => ("patch-failed", vec![]),
            PatchState::InstalledPendingReboot => ("patch-pending-reboot", vec![("reboot_hint", String::new())]),
            PatchState::InstalledRejected => ("patch-installed-rejected", vec![]),
            PatchState::Missing => (
                "patch-missing",
                vec![(
                    "missing_hint",
                    tree.t(
                        "Approved and applicable but not installed. Run an Install; if an Install already ran and they are still Missing, the baseline may not approve them or (Windows) the KB was superseded.",
                        "已批准且适用但尚未安装。请运行安装;如果已经运行过安装但仍缺失,可能是补丁基准未批准它们,或(Windows)该 KB 已被取代。",
                    )
                    .to_string(),
                )],
            ),
            _ => ("patch-available-security-update", vec![]),
        };
        let mut vars = vec![("count", count), ("operation", String::new())];
        vars.extend(extra);
        tree.add(code, node.as_deref(), &vars, cites, slots);
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
        tree.add("patches-not-noncompliant", node.as_deref(), &vars, benign, slots);
    }
}

fn baselines(tree: &mut Tree) {
    let ev = tree.ev;
    for b in &ev.baselines {
        let mut slots = tree.slots(None);
        slots.baseline = Some(b.baseline_id.clone());
        let rules = if b.rules.is_empty() {
            tree.t("explicit ApprovedPatches only", "仅显式 ApprovedPatches").to_string()
        } else {
            b.rules.join("; ")
        };
        let levels: Vec<String> = b.compliance_levels.iter().map(|l| l.value.clone()).collect();
        let mut cites = vec![b.cite];
        cites.extend(b.compliance_levels.iter().map(|l| l.cite));
        let vars = [
            ("baseline", b.baseline_id.clone()),
            ("os", b.operating_system.clone()),
            ("rules", rules),
            ("levels", if levels.is_empty() { "UNSPECIFIED".into() } else { levels.join(", ") }),
        ];
        tree.add("patch-baseline-summary", None, &vars, cites, slots.clone());
        if b.operating_system == "WINDOWS" && b.rules.iter().any(|r| r.contains("PRODUCT=")) {
            tree.add(
                "windows-product-check",
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
                "patch-rejected-impossible",
                None,
                &[("baseline", b.baseline_id.clone())],
                vec![action.cite],
                slots,
            );
        }
    }
}
