//! A realistic Resource Data Sync tree for tests and benchmarks:
//! `ssm-doctor generate --kind resource-data-sync --accounts N --regions M --instances K --out DIR`.
//! Every branch the fleet rules know is represented (terminated and stopped nodes, silent
//! inventory, a stale patch record, no patch record, failed, pending reboot, rejected, missing
//! after a Scan and after an Install, failed associations), with the shapes the sync writes:
//! one object per single-item type, one per line for compliance items, some counts as strings,
//! and the `test.json` probe per account.

use crate::generate::Rng;

/// 2026-12-01T00:00:00Z: the generated tree's "now" (its fresh records are from the two days
/// before).
pub const NOW: &str = "2026-12-01T00:00:00Z";
const NOW_EPOCH: i64 = 1_796_083_200;

const REGIONS: &[&str] = &[
    "eu-west-1",
    "us-east-1",
    "ap-southeast-2",
    "eu-central-1",
    "us-west-2",
    "ap-northeast-1",
    "sa-east-1",
    "ca-central-1",
];

fn iso(epoch: i64) -> String {
    crate::time::Timestamp::from_epoch(epoch as f64).text.replace("+00:00", "Z")
}

/// Writes the tree through `write(relative path, content)`, node by node (a million nodes are
/// never held at once). Returns the number of nodes.
pub fn tree(accounts: usize, regions: usize, instances: usize, seed: u64, mut write: impl FnMut(&str, &str)) -> usize {
    let mut rng = Rng(seed);
    let mut nodes = 0;
    for a in 0..accounts {
        let account = format!("{:012}", 100_000_000_000u64 + a as u64 * 7_919);
        write(&format!("AWS:InstanceInformation/accountid={account}/test.json"), "{}\n");
        for region in REGIONS.iter().cycle().take(regions.max(1)) {
            for _ in 0..instances {
                nodes += 1;
                let node = format!("i-0{}", rng.hex(16));
                let dir = |type_name: &str| {
                    format!("{type_name}/accountid={account}/region={region}/resourcetype=ManagedInstanceInventory/{node}.json")
                };
                let fresh = NOW_EPOCH - rng.below(2 * 86_400) as i64;
                let roll = rng.below(100);
                let status = match roll {
                    0..=2 => "Terminated",
                    3..=4 => "Stopped",
                    _ => "Active",
                };
                // Silent inventory (3 %), a stale patch record (4 %), no patch record (5 %).
                let info_capture = if (5..=7).contains(&roll) { fresh - 20 * 86_400 } else { fresh };
                let patch_capture = if (8..=11).contains(&roll) { fresh - 30 * 86_400 } else { fresh };
                let has_patch = !(12..=16).contains(&roll);
                write(
                    &dir("AWS:InstanceInformation"),
                    &format!(
                        "{{\"AgentType\":\"amazon-ssm-agent\",\"AgentVersion\":\"3.3.{}.0\",\"ComputerName\":\"ip-10-{}-{}-{}.ec2.internal\",\"InstanceId\":\"{node}\",\"InstanceStatus\":\"{status}\",\"IpAddress\":\"10.{}.{}.{}\",\"PlatformName\":\"Amazon Linux\",\"PlatformType\":\"Linux\",\"PlatformVersion\":\"2023\",\"ResourceType\":\"EC2Instance\",\"resourceId\":\"{node}\",\"captureTime\":\"{}\",\"schemaVersion\":\"1.0\"}}\n",
                        1000 + rng.below(900),
                        rng.below(256),
                        rng.below(256),
                        rng.below(256),
                        rng.below(256),
                        rng.below(256),
                        rng.below(256),
                        iso(info_capture)
                    ),
                );
                let count = |rng: &mut Rng, percent: u64, max: u64| {
                    if rng.below(100) < percent {
                        1 + rng.below(max)
                    } else {
                        0
                    }
                };
                let (failed, reboot, rejected) = (count(&mut rng, 10, 3), count(&mut rng, 8, 4), count(&mut rng, 4, 2));
                let missing = count(&mut rng, 18, 9);
                let operation = if rng.below(3) == 0 { "Install" } else { "Scan" };
                if has_patch {
                    // Some syncs write counts as strings.
                    let n = |rng: &mut Rng, v: u64| if rng.below(10) == 0 { format!("\"{v}\"") } else { v.to_string() };
                    write(
                        &dir("AWS:PatchSummary"),
                        &format!(
                            "{{\"PatchGroup\":\"\",\"BaselineId\":\"pb-0{}\",\"SnapshotId\":\"{}\",\"InstalledCount\":{},\"InstalledOtherCount\":{},\"InstalledPendingRebootCount\":{},\"InstalledRejectedCount\":{},\"NotApplicableCount\":{},\"MissingCount\":{},\"FailedCount\":{},\"OperationType\":\"{operation}\",\"OperationStartTime\":\"{}\",\"OperationEndTime\":\"{}\",\"RebootOption\":\"RebootIfNeeded\",\"resourceId\":\"{node}\",\"captureTime\":\"{}\",\"schemaVersion\":\"1.0\"}}\n",
                            rng.hex(16),
                            rng.uuid(),
                            rng.below(400),
                            rng.below(50),
                            n(&mut rng, reboot),
                            n(&mut rng, rejected),
                            rng.below(2000),
                            n(&mut rng, missing),
                            n(&mut rng, failed),
                            iso(patch_capture - 900),
                            iso(patch_capture - 60),
                            iso(patch_capture)
                        ),
                    );
                }
                // Compliance items: the patch items a run wrote, and the node's associations.
                let mut items = String::new();
                for k in 0..(failed + missing).min(3) {
                    let state = if k < failed { "Failed" } else { "Missing" };
                    items.push_str(&format!(
                        "{{\"ComplianceType\":\"Patch\",\"ExecutionId\":\"{}\",\"ExecutionType\":\"Command\",\"ExecutionTime\":\"{}\",\"Id\":\"ALAS2023-2026-{}\",\"Title\":\"openssl-libs.x86_64:1:3.0.8-1.amzn2023.0.{}\",\"Status\":\"NON_COMPLIANT\",\"Severity\":\"HIGH\",\"PatchState\":\"{state}\",\"resourceId\":\"{node}\",\"captureTime\":\"{}\",\"schemaVersion\":\"1.0\"}}\n",
                        rng.hex(8),
                        iso(patch_capture),
                        100 + rng.below(900),
                        rng.below(20),
                        iso(patch_capture)
                    ));
                }
                let documents = ["AWS-GatherSoftwareInventory", "AWS-UpdateSSMAgent", "Custom-HardenSshd"];
                for document in documents.iter().take(1 + rng.below(3) as usize) {
                    let failing = rng.below(100) < 7;
                    items.push_str(&format!(
                        "{{\"ComplianceType\":\"Association\",\"ExecutionId\":\"{}\",\"ExecutionType\":\"\",\"ExecutionTime\":\"{}\",\"Id\":\"{}\",\"Title\":\"\",\"Status\":\"{}\",\"Severity\":\"UNSPECIFIED\",\"DocumentName\":\"{document}\",\"DocumentVersion\":\"1\",\"resourceId\":\"{node}\",\"captureTime\":\"{}\",\"schemaVersion\":\"1.0\"}}\n",
                        rng.hex(8),
                        iso(info_capture),
                        rng.uuid(),
                        if failing { "NON_COMPLIANT" } else { "COMPLIANT" },
                        iso(info_capture)
                    ));
                }
                write(&dir("AWS:ComplianceItem"), &items);
            }
        }
    }
    nodes
}
