//! Deterministic, realistic large inputs (CLI v2 shape) for benchmarks and tests:
//! `ssm-doctor generate --kind KIND --instances N [--seed S]`.

use std::fmt::Write;

/// SplitMix64: tiny, fast, and the same sequence on every platform for a seed.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(crate) fn hex(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from_digit(self.below(16) as u32, 16).expect("hex digit")).collect()
    }
    pub(crate) fn uuid(&mut self) -> String {
        format!("{}-{}-{}-{}-{}", self.hex(8), self.hex(4), self.hex(4), self.hex(4), self.hex(12))
    }
}

pub const KINDS: &[&str] = &[
    "instance-patch-states",
    "compliance-items",
    "resource-compliance-summaries",
    "instance-patches",
    "instance-information",
    "securityhub-findings",
];

/// The on-node logs the generator writes; for these, `instances` is the number of lines.
pub const LOG_KINDS: &[&str] = &["agent-log"];

#[derive(Debug)]
pub struct UnknownKind(pub String);

impl std::fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot generate kind `{}` (known: {}, {})", self.0, KINDS.join(", "), LOG_KINDS.join(", "))
    }
}

pub fn generate(kind: &str, instances: usize, seed: u64) -> Result<String, UnknownKind> {
    if kind == "agent-log" {
        return Ok(agent_log(instances, seed));
    }
    let mut rng = Rng(seed);
    let mut out = String::new();
    let ids: Vec<String> = (0..instances).map(|_| format!("i-0{}", rng.hex(16))).collect();
    let time = |rng: &mut Rng| {
        format!(
            "2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00",
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60),
            rng.below(1_000_000)
        )
    };
    match kind {
        "instance-patch-states" => {
            out.push_str("{\n    \"InstancePatchStates\": [\n");
            for (i, id) in ids.iter().enumerate() {
                let noncompliant = rng.below(3) == 0;
                let c = |rng: &mut Rng, max: u64| if noncompliant { rng.below(max) } else { 0 };
                let (missing, failed, reboot, rejected) =
                    (c(&mut rng, 8), c(&mut rng, 3), c(&mut rng, 3), c(&mut rng, 2));
                let op = if rng.below(2) == 0 { "Scan" } else { "Install" };
                let reboot_option = if rng.below(2) == 0 { "RebootIfNeeded" } else { "NoReboot" };
                let _ = write!(
                    out,
                    "        {{\n            \"InstanceId\": \"{id}\",\n            \"PatchGroup\": \"group-{}\",\n            \"BaselineId\": \"pb-0{}\",\n            \"SnapshotId\": \"{}\",\n            \"OwnerInformation\": \"\",\n            \"InstalledCount\": {},\n            \"InstalledOtherCount\": {},\n            \"InstalledPendingRebootCount\": {reboot},\n            \"InstalledRejectedCount\": {rejected},\n            \"MissingCount\": {missing},\n            \"FailedCount\": {failed},\n            \"UnreportedNotApplicableCount\": {},\n            \"NotApplicableCount\": {},\n            \"OperationStartTime\": \"{}\",\n            \"OperationEndTime\": \"{}\",\n            \"Operation\": \"{op}\",\n            \"RebootOption\": \"{reboot_option}\",\n            \"CriticalNonCompliantCount\": {},\n            \"SecurityNonCompliantCount\": {},\n            \"OtherNonCompliantCount\": {}\n        }}{}\n",
                    rng.below(4),
                    rng.hex(16),
                    rng.uuid(),
                    rng.below(500),
                    rng.below(700),
                    rng.below(300),
                    rng.below(3000),
                    time(&mut rng),
                    time(&mut rng),
                    rng.below(missing + 1),
                    rng.below(missing + 1),
                    rng.below(failed + 1),
                    if i + 1 < ids.len() { "," } else { "" }
                );
            }
            out.push_str("    ]\n}\n");
        }
        "compliance-items" | "resource-compliance-summaries" => {
            let key = if kind == "compliance-items" { "ComplianceItems" } else { "ResourceComplianceSummaryItems" };
            let _ = writeln!(out, "{{\n    \"{key}\": [");
            for (i, id) in ids.iter().enumerate() {
                let types = ["Patch", "Association", "Custom:AVCheck"];
                let ty = types[rng.below(3) as usize];
                let status = if rng.below(3) == 0 { "NON_COMPLIANT" } else { "COMPLIANT" };
                let sep = if i + 1 < ids.len() { "," } else { "" };
                if kind == "compliance-items" {
                    let doc = ["AWS-GatherSoftwareInventory", "AWS-RunPatchBaselineAssociation", "AWS-UpdateSSMAgent"]
                        [rng.below(3) as usize];
                    let _ = write!(out, "        {{\n            \"ComplianceType\": \"{ty}\",\n            \"ResourceType\": \"ManagedInstance\",\n            \"ResourceId\": \"{id}\",\n            \"Id\": \"{}\",\n            \"Title\": \"\",\n            \"Status\": \"{status}\",\n            \"Severity\": \"UNSPECIFIED\",\n            \"ExecutionSummary\": {{\n                \"ExecutionTime\": \"{}\"\n            }},\n            \"Details\": {{\n                \"DocumentName\": \"{doc}\",\n                \"DocumentVersion\": \"1\"\n            }}\n        }}{sep}\n", rng.uuid(), time(&mut rng));
                } else {
                    let nc = if status == "NON_COMPLIANT" { 1 + rng.below(9) } else { 0 };
                    let _ = write!(out, "        {{\n            \"ComplianceType\": \"{ty}\",\n            \"ResourceType\": \"ManagedInstance\",\n            \"ResourceId\": \"{id}\",\n            \"Status\": \"{status}\",\n            \"OverallSeverity\": \"UNSPECIFIED\",\n            \"ExecutionSummary\": {{\n                \"ExecutionTime\": \"{}\"\n            }},\n            \"CompliantSummary\": {{\n                \"CompliantCount\": {},\n                \"SeveritySummary\": {{\"CriticalCount\": 0, \"HighCount\": 0, \"MediumCount\": 0, \"LowCount\": 0, \"InformationalCount\": 0, \"UnspecifiedCount\": 0}}\n            }},\n            \"NonCompliantSummary\": {{\n                \"NonCompliantCount\": {nc},\n                \"SeveritySummary\": {{\"CriticalCount\": 0, \"HighCount\": 0, \"MediumCount\": 0, \"LowCount\": 0, \"InformationalCount\": 0, \"UnspecifiedCount\": {nc}}}\n            }}\n        }}{sep}\n", time(&mut rng), rng.below(400));
                }
            }
            out.push_str("    ]\n}\n");
        }
        "instance-patches" => {
            out.push_str("{\n    \"Patches\": [\n");
            let states =
                ["Installed", "InstalledOther", "Missing", "Failed", "NotApplicable", "InstalledPendingReboot"];
            for i in 0..instances {
                let state = states[rng.below(states.len() as u64) as usize];
                let kb = 4_000_000 + rng.below(999_999);
                let _ = write!(out, "        {{\n            \"Title\": \"Update for Windows (KB{kb})\",\n            \"KBId\": \"KB{kb}\",\n            \"Classification\": \"SecurityUpdates\",\n            \"Severity\": \"Important\",\n            \"State\": \"{state}\",\n            \"InstalledTime\": \"{}\"\n        }}{}\n", time(&mut rng), if i + 1 < instances { "," } else { "" });
            }
            out.push_str("    ]\n}\n");
        }
        "instance-information" => {
            out.push_str("{\n    \"InstanceInformationList\": [\n");
            for (i, id) in ids.iter().enumerate() {
                let ping = if rng.below(5) == 0 { "ConnectionLost" } else { "Online" };
                let _ = write!(out, "        {{\n            \"InstanceId\": \"{id}\",\n            \"PingStatus\": \"{ping}\",\n            \"LastPingDateTime\": \"{}\",\n            \"AgentVersion\": \"3.3.{}.0\",\n            \"IsLatestVersion\": false,\n            \"PlatformType\": \"Linux\",\n            \"PlatformName\": \"Amazon Linux\",\n            \"PlatformVersion\": \"2023\",\n            \"ResourceType\": \"EC2Instance\"\n        }}{}\n", time(&mut rng), 1000 + rng.below(900), if i + 1 < ids.len() { "," } else { "" });
            }
            out.push_str("    ]\n}\n");
        }
        "securityhub-findings" => {
            // An export of Security Hub's Systems Manager controls for a fleet: mostly SSM.2
            // failures, some SSM.3 and SSM.1, some passing, some evaluated with no data.
            out.push_str("{\n    \"Findings\": [\n");
            for (i, id) in ids.iter().enumerate() {
                let roll = rng.below(100);
                let (control, status, reasons) = match roll {
                    0..=59 => ("SSM.2", "FAILED", ""),
                    60..=74 => ("SSM.3", "FAILED", ""),
                    75..=84 => ("SSM.1", "FAILED", ""),
                    85..=94 => ("SSM.2", "PASSED", ""),
                    _ => ("SSM.2", "PASSED", ", \"StatusReasons\": [{\"ReasonCode\": \"CONFIG_EVALUATIONS_EMPTY\", \"Description\": \"AWS Config evaluated your resources based on the rule. The rule did not apply to the AWS resources in its scope.\"}]"),
                };
                let account = format!("1234567890{:02}", rng.below(4));
                let time = time(&mut rng);
                let _ = write!(
                    out,
                    "        {{\n            \"SchemaVersion\": \"2018-10-08\",\n            \"Id\": \"arn:aws:securityhub:eu-west-1:{account}:security-control/{control}/finding/{}\",\n            \"ProductArn\": \"arn:aws:securityhub:eu-west-1::product/aws/securityhub\",\n            \"GeneratorId\": \"security-control/{control}\",\n            \"AwsAccountId\": \"{account}\",\n            \"Region\": \"eu-west-1\",\n            \"UpdatedAt\": \"{time}\",\n            \"Severity\": {{\"Label\": \"HIGH\"}},\n            \"Title\": \"{control}\",\n            \"Resources\": [{{\"Type\": \"AwsEc2Instance\", \"Id\": \"arn:aws:ec2:eu-west-1:{account}:instance/{id}\", \"Region\": \"eu-west-1\"}}],\n            \"Compliance\": {{\"Status\": \"{status}\", \"SecurityControlId\": \"{control}\"{reasons}}},\n            \"RecordState\": \"ACTIVE\"\n        }}{}\n",
                    rng.uuid(),
                    if i + 1 < ids.len() { "," } else { "" }
                );
            }
            out.push_str("    ]\n}\n");
        }
        other => return Err(UnknownKind(other.to_string())),
    }
    Ok(out)
}

/// An agent log (`/var/log/amazon/ssm/amazon-ssm-agent.log`) of `lines` lines: the agent's
/// routine INFO lines, and about one line in forty one of the failures the agent logs when it
/// cannot reach or authenticate to Systems Manager (the shapes of signatures G1, G2, G6 and G7).
fn agent_log(lines: usize, seed: u64) -> String {
    const ROUTINE: &[&str] = &[
        "INFO [ssm-agent-worker] [HealthCheck] HealthCheck reporting agent health.",
        "INFO [ssm-agent-worker] [MessagingDeliveryService] Starting message polling",
        "INFO [ssm-agent-worker] [MessagingDeliveryService] [Association] Schedule manager refreshed with 2 associations, 0 new associations associated",
        "INFO [ssm-agent-worker] [LongRunningPluginsManager] there aren't any long running plugin to execute",
        "INFO [ssm-agent-worker] [MessageGatewayService] SSM Agent is trying to setup control channel for Session Manager module.",
        "DEBUG [ssm-agent-worker] [MessagingDeliveryService] [EngineProcessor] Initial processing",
        "INFO [amazon-ssm-agent] [LongRunningWorkerContainer] Monitor long running worker health every 60 seconds",
        "INFO [ssm-agent-worker] [OfflineService] Starting send replies to MDS",
    ];
    let mut rng = Rng(seed);
    let id = format!("i-0{}", rng.hex(16));
    let account = format!("1234567890{:02}", rng.below(100));
    let mut out = String::with_capacity(lines * 110);
    let (mut minute, mut second) = (0u64, 0u64);
    for _ in 0..lines {
        second += 1 + rng.below(20);
        minute += second / 60;
        second %= 60;
        let _ = write!(
            out,
            "2026-11-{:02} {:02}:{:02}:{second:02} ",
            1 + (minute / 1440) % 28,
            (minute / 60) % 24,
            minute % 60
        );
        let _ = match rng.below(160) {
            0 => writeln!(out, "ERROR [ssm-agent-worker] [HealthCheck] Health ping failed with error - AccessDeniedException: User: arn:aws:sts::{account}:assumed-role/ssm-role/{id} is not authorized to perform: ssm:UpdateInstanceInformation on resource: arn:aws:ec2:eu-west-1:{account}:instance/{id}"),
            1 => writeln!(out, "ERROR [ssm-agent-worker] ssm.eu-west-1.amazonaws.com is not reachable: dial tcp 10.0.{}.{}:443: i/o timeout", rng.below(256), rng.below(256)),
            2 => writeln!(out, "INFO [amazon-ssm-agent] Entering SSM Agent hibernate - RequestError: send request failed\ncaused by: Post \"https://ssm.eu-west-1.amazonaws.com/\": dial tcp 10.0.{}.{}:443: i/o timeout", rng.below(256), rng.below(256)),
            3 => writeln!(out, "ERROR [ssm-agent-worker] [MessagingDeliveryService] GetMessages Error: AccessDeniedException: User: arn:aws:sts::{account}:assumed-role/ssm-role/{id} is not authorized to perform: ec2messages:GetMessages"),
            n => writeln!(out, "{}", ROUTINE[n as usize % ROUTINE.len()]),
        };
    }
    out
}
