//! M0: managed-node prerequisites (listed, online, agent version, diagnostics checks).

use super::{version_lt, Tree, Var, Vars};
use crate::ingest::InputKind;
use crate::knowledge::{Code, Hint};
use crate::model::{Cite, Platform};

/// AWS-RunPatchBaseline needs at least this agent (domain.md §B.8 G5).
const MIN_AGENT_FOR_PATCHING: &str = "2.0.834.0";

/// `ssm-cli get-diagnostics` checks of endpoints a node does not need to be managed, patch or
/// report compliance (Session Manager, KMS, CloudWatch Logs and metrics).
const OPTIONAL_ENDPOINTS: [&str; 4] = ["ssmmessages", "kms", "logs", "monitoring"];

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    for node in &ev.nodes {
        let id = node.instance_id.as_str();
        let slots = tree.slots(Some(id));
        let agent = node.agent_version.as_ref().map(|a| a.value.clone()).unwrap_or_default();
        match &node.ping_status {
            Some(ping) if !ping.value.eq_ignore_ascii_case("Online") => {
                tree.add(
                    Code::NodeNotOnline,
                    Some(id),
                    &[("status", ping.value.to_string())],
                    vec![ping.cite],
                    slots.clone(),
                );
            }
            Some(ping) => {
                let mut cites = vec![ping.cite];
                cites.extend(node.agent_version.iter().map(|a| a.cite));
                // The version when the output names one: never "(agent )".
                let mut vars: Vars = vec![("agent", Var::from(agent.as_str()))];
                if !agent.is_empty() {
                    vars.push(("agent_version", Hint::AgentVersion.into()));
                }
                tree.add_vars(Code::NodeOnline, Some(id), vars, cites, slots.clone());
            }
            None => {}
        }
        // The row sums up the node's associations: Failed is a failed association, whichever
        // it is (describe-instance-associations-status names it, and explains this).
        if let Some(status) = node.association_status.as_ref().filter(|s| s.value.eq_ignore_ascii_case("Failed")) {
            tree.add(
                Code::NodeAssociationFailed,
                Some(id),
                &[("status", status.value.to_string())],
                vec![status.cite],
                slots.clone(),
            );
        }
        if let Some(version) = &node.agent_version {
            // IsLatestVersion is only meaningful for Linux agents (domain.md §A.4.1).
            let windows = tree.facts_of(Some(id)).platform == Some(Platform::Windows);
            let behind = (node.is_latest_version == Some(false) && !windows).then_some(None);
            agent_version(tree, Some(id), &version.value, behind, version.cite);
        }
    }
    ec2_instances(tree);
    activations(tree);
    network(tree);
    status_checks(tree);
    not_listed(tree);
    for (cite, kind) in &ev.empty_lists {
        if *kind == InputKind::InstanceAssociationsStatus {
            no_associations(tree, *cite);
        }
    }
    diagnostics(tree);
}

/// G5 / M0.2, one rule for every source of an agent version: older than what patching needs is
/// a cause; older than the latest is a note. `behind`: Some(latest) when the source says the
/// agent is not the latest (Some(None) when it says so without naming the latest).
fn agent_version(tree: &mut Tree, node: Option<&str>, agent: &str, behind: Option<Option<&str>>, cite: Cite) {
    let slots = tree.slots(node);
    if version_lt(agent, MIN_AGENT_FOR_PATCHING) {
        let vars = [
            ("agent", agent.to_string()),
            ("minimum", MIN_AGENT_FOR_PATCHING.to_string()),
            ("feature", "AWS-RunPatchBaseline".to_string()),
        ];
        tree.add(Code::AgentTooOld, node, &vars, vec![cite], slots);
    } else if let Some(latest) = behind {
        let latest = latest.map_or(Hint::NewerAvailable.into(), Var::from);
        let vars = vec![("agent", agent.to_string().into()), ("latest", latest)];
        tree.add_vars(Code::AgentNotLatest, node, vars, vec![cite], slots);
    }
}

/// An empty `InstanceAssociationStatusInfos`: normal for an Online node nothing targets; proof
/// the node is not registered only beside a describe-instance-information that does not list
/// it; alone, a check that names what tells the two apart.
fn no_associations(tree: &mut Tree, cite: Cite) {
    let ev = tree.ev;
    let node = tree.slots(None).instance.map(String::from);
    let slots = tree.slots(node.as_deref());
    let information_read =
        !ev.nodes.is_empty() || ev.empty_lists.iter().any(|(_, k)| *k == InputKind::InstanceInformation);
    let listed = node.as_deref().is_some_and(|n| ev.nodes.iter().any(|m| m.instance_id == n))
        || (node.is_none() && !ev.nodes.is_empty());
    let code = if tree.is_online(node.as_deref()) {
        Code::NoAssociationsOnline
    } else if information_read && !listed {
        Code::NodeNotRegistered
    } else {
        Code::NodeMaybeUnregistered
    };
    let mut cites = vec![cite];
    if code == Code::NodeNotRegistered {
        cites.extend(ev.empty_lists.iter().filter(|(_, k)| *k == InputKind::InstanceInformation).map(|(c, _)| *c));
    }
    tree.add(code, node.as_deref(), &[], cites, slots);
}

/// `ssm-cli get-diagnostics`: a failed check the node needs is a cause; a failed optional one a
/// note; all passing is a note. The agent version check follows the agent-version rule.
fn diagnostics(tree: &mut Tree) {
    let ev = tree.ev;
    if ev.diagnostics.is_empty() {
        return;
    }
    let node = ev
        .diagnostics
        .iter()
        .find(|d| d.check.contains("IMDS"))
        .and_then(|d| ev.context.instance_ids.iter().find(|i| d.note.contains(&i.value)))
        .map(|i| i.value.clone())
        .or_else(|| tree.slots(None).instance.map(String::from));
    let mut failed = false;
    for check in &ev.diagnostics {
        let name = check.check.to_ascii_lowercase();
        let optional = OPTIONAL_ENDPOINTS.iter().any(|e| name == format!("connectivity to {e} endpoint"));
        if check.status.eq_ignore_ascii_case("Failed") {
            let slots = tree.slots(node.as_deref());
            // S3 is "optional" for registration but required for patching (M0.4).
            let code = if name.contains("s3 endpoint") {
                Code::S3Unreachable
            } else if optional {
                Code::DiagnosticsOptionalCheckFailed
            } else {
                Code::DiagnosticsCheckFailed
            };
            failed |= !optional;
            let vars = [("check", check.check.clone()), ("note", check.note.clone())];
            tree.add(code, node.as_deref(), &vars, vec![check.cite], slots);
        }
        if check.check.contains("SSM Agent version") {
            // "SSM Agent version is 3.0.1209.0, latest available agent version is 3.1.192.0"
            let versions: Vec<&str> = check
                .note
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|w| w.matches('.').count() >= 2)
                .collect();
            if let [current, latest, ..] = versions.as_slice() {
                let behind = version_lt(current, latest).then_some(Some(*latest));
                agent_version(tree, node.as_deref(), current, behind, check.cite);
            }
        }
    }
    if !failed {
        let cites = ev
            .diagnostics
            .iter()
            .filter(|d| d.status.eq_ignore_ascii_case("Success"))
            .map(|d| d.cite)
            .take(12)
            .collect::<super::Cites>();
        let slots = tree.slots(node.as_deref());
        tree.add(Code::DiagnosticsAllPassed, node.as_deref(), &[], cites, slots);
    }
}

/// M0.1: a describe-instance-information answer that does not list a node the other inputs are
/// about (or lists nothing at all).
fn not_listed(tree: &mut Tree) {
    let ev = tree.ev;
    for (cite, kind) in &ev.empty_lists {
        if *kind == InputKind::InstanceInformation {
            let node = tree.slots(None).instance.map(String::from);
            let slots = tree.slots(node.as_deref());
            let label = match &node {
                Some(id) => Var::from(id.as_str()),
                None => Hint::TheNode.into(),
            };
            tree.add_vars(Code::NodeNotListed, node.as_deref(), vec![("node", label)], vec![*cite], slots);
        }
    }
    if ev.nodes.is_empty() {
        return;
    }
    let listed_ids: rustc_hash::FxHashSet<&str> = ev.nodes.iter().map(|n| n.instance_id.as_str()).collect();
    let listed = |id: &str| listed_ids.contains(id);
    let mut about: Vec<(&str, Cite)> = Vec::new();
    about.extend(ev.patch_states.iter().map(|s| (s.instance_id().value, s.instance_id().cite)));
    about.extend(ev.compliance_items.iter().map(|i| (i.resource_id.as_str(), i.cite)));
    about.extend(ev.resource_summaries.iter().map(|r| (r.resource_id.as_str(), r.cite)));
    for (id, cite) in about {
        if !id.is_empty() && !listed(id) {
            let slots = tree.slots(Some(id));
            let mut cites = vec![cite];
            cites.extend(ev.nodes.first().map(|n| n.cite));
            tree.add(Code::NodeNotListed, Some(id), &[("node", id.to_string())], cites, slots);
        }
    }
}

/// What EC2 says of a node Systems Manager cannot reach (describe-instances): not running, no
/// instance profile, the metadata service turned off. Each is the reason behind what the node's
/// own agent log or its ping status shows, and explains them.
fn ec2_instances(tree: &mut Tree) {
    let ev = tree.ev;
    for instance in &ev.ec2_instances {
        let id = Some(instance.instance_id.as_str()).filter(|i| !i.is_empty());
        let slots = tree.slots(id);
        let state = instance.state.as_ref();
        let running = state.is_none_or(|s| matches!(s.value.as_str(), "running" | "pending"));
        if let Some(state) = state.filter(|_| !running) {
            tree.add(Code::InstanceNotRunning, id, &[("state", state.value.clone())], vec![state.cite], slots.clone());
        }
        if let Some(endpoint) = instance.metadata_endpoint.as_ref().filter(|e| e.value.eq_ignore_ascii_case("disabled"))
        {
            tree.add(Code::ImdsDisabled, id, &[], vec![endpoint.cite], slots.clone());
        }
        if running && instance.instance_profile.is_none() {
            tree.add(Code::NoInstanceProfile, id, &[], vec![instance.cite], slots);
        }
    }
}

/// Hybrid activations (describe-activations): one that expired, or whose registrations are used
/// up, can register no new node. Nodes already registered keep working, so this is a check until
/// a node fails to register.
fn activations(tree: &mut Tree) {
    let ev = tree.ev;
    for activation in &ev.activations {
        let slots = tree.slots(None);
        let id = activation.activation_id.clone();
        if let Some(expired) = activation.expired.as_ref().filter(|e| e.value) {
            tree.add(Code::ActivationExpired, None, &[("activation", id.clone())], vec![expired.cite], slots.clone());
        } else if let (Some(limit), Some(count)) = (activation.registration_limit, activation.registrations.as_ref()) {
            if count.value >= limit {
                let vars = [("activation", id), ("limit", limit.to_string())];
                tree.add(Code::ActivationUsedUp, None, &vars, vec![count.cite], slots);
            }
        }
    }
}

/// The node's network path to Systems Manager (describe-vpc-endpoints, describe-security-groups):
/// what breaks it for a node in a private subnet. Checks: which VPC and group the node uses is not
/// in these outputs.
fn network(tree: &mut Tree) {
    let ev = tree.ev;
    let slots = tree.slots(None);
    let managed = ["ssm", "ec2messages", "ssmmessages"];
    for endpoint in ev.vpc_endpoints.iter().filter(|e| managed.contains(&e.service.value.as_str())) {
        let vars = [("endpoint", endpoint.id.clone()), ("service", endpoint.service.value.clone())];
        if let Some(state) = endpoint.state.as_ref().filter(|s| !s.value.eq_ignore_ascii_case("available")) {
            let vars = [vars[0].clone(), vars[1].clone(), ("state", state.value.clone())];
            tree.add(Code::EndpointNotAvailable, None, &vars, vec![state.cite], slots.clone());
        }
        if let Some(dns) = endpoint.private_dns.as_ref().filter(|d| !d.value) {
            tree.add(Code::EndpointPrivateDnsOff, None, &vars, vec![dns.cite], slots.clone());
        }
    }
    // A VPC with an ssm endpoint and no ec2messages endpoint: its private nodes get no commands.
    for ssm in ev.vpc_endpoints.iter().filter(|e| e.service.value == "ssm") {
        let has = |service: &str| ev.vpc_endpoints.iter().any(|e| e.vpc == ssm.vpc && e.service.value == service);
        if !has("ec2messages") {
            let vars = [("vpc", ssm.vpc.clone())];
            tree.add(Code::EndpointEc2messagesMissing, None, &vars, vec![ssm.service.cite], slots.clone());
        }
    }
    // A running instance whose groups are all in the output and none allows outbound 443: the
    // node cannot reach Systems Manager (one cause citing both outputs). Otherwise a group that
    // allows none is a check: whose group it is, these outputs do not say.
    let mut blamed: Vec<&str> = Vec::new();
    for instance in ev.ec2_instances.iter().filter(|i| !i.security_groups.is_empty()) {
        let groups: Vec<_> =
            instance.security_groups.iter().filter_map(|id| ev.security_groups.iter().find(|g| &g.id == id)).collect();
        if groups.len() == instance.security_groups.len() && groups.iter().all(|g| !g.egress_443) {
            let node = Some(instance.instance_id.as_str()).filter(|i| !i.is_empty());
            let mut cites = vec![instance.cite];
            cites.extend(groups.iter().map(|g| g.cite));
            let vars = [("groups", instance.security_groups.join(", "))];
            tree.add(Code::GroupsBlockNode, node, &vars, cites, tree.slots(node));
            blamed.extend(groups.iter().map(|g| g.id.as_str()));
        }
    }
    for group in ev.security_groups.iter().filter(|g| !g.egress_443 && !blamed.contains(&g.id.as_str())) {
        tree.add(Code::NoEgress443, None, &[("group", group.id.clone())], vec![group.cite], slots.clone());
    }
    network_acls(tree);
}

/// Network ACLs (describe-network-acls) are stateless: the agent needs outbound TCP 443 and the
/// replies inbound on an ephemeral port. An ACL that denies either is a cause for an instance
/// describe-instances puts in one of its subnets, and a check otherwise.
fn network_acls(tree: &mut Tree) {
    let ev = tree.ev;
    for acl in &ev.network_acls {
        let denials = [(&acl.egress_443_denied, Hint::AclOutbound), (&acl.ingress_ephemeral_denied, Hint::AclInbound)];
        for (rule, direction) in denials.into_iter().filter_map(|(rule, d)| rule.as_ref().map(|r| (r, d))) {
            // 32767 is the `*` rule every ACL ends with, as the console shows it.
            let rule_name = if rule.number == 32767 { "*".to_string() } else { rule.number.to_string() };
            let vars = || -> Vars {
                vec![
                    ("acl", Var::from(acl.id.as_str())),
                    ("rule", Var::from(rule_name.as_str())),
                    ("port", Var::count(rule.port)),
                    ("direction", direction.into()),
                ]
            };
            let inside: Vec<_> = ev
                .ec2_instances
                .iter()
                .filter(|i| i.subnet.as_ref().is_some_and(|s| acl.subnets.contains(&s.value)))
                .collect();
            if inside.is_empty() {
                tree.add_vars(Code::NetworkAclDenies, None, vars(), vec![rule.cite], tree.slots(None));
            }
            for instance in inside {
                let node = Some(instance.instance_id.as_str()).filter(|i| !i.is_empty());
                let subnet = instance.subnet.as_ref().map_or(instance.cite, |s| s.cite);
                tree.add_vars(Code::NetworkAclBlocksNode, node, vars(), vec![rule.cite, subnet], tree.slots(node));
            }
        }
    }
}

/// EC2 status checks (describe-instance-status): an impaired instance or host stops the agent
/// from reaching Systems Manager whatever else is right.
fn status_checks(tree: &mut Tree) {
    let ev = tree.ev;
    for check in &ev.instance_status_checks {
        let node = Some(check.instance_id.as_str()).filter(|i| !i.is_empty());
        let statuses =
            [(&check.system_status, Hint::StatusCheckSystem), (&check.instance_status, Hint::StatusCheckInstance)];
        for (status, which) in statuses.into_iter().filter_map(|(s, w)| s.as_ref().map(|s| (s, w))) {
            if status.value.eq_ignore_ascii_case("impaired") {
                let vars = vec![("check", which.into()), ("status", Var::from(status.value.as_str()))];
                tree.add_vars(Code::StatusCheckImpaired, node, vars, vec![status.cite], tree.slots(node));
            }
        }
    }
}
