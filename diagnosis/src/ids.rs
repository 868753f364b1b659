//! The identifiers the diagnosis reads, fills into commands and redacts, each with its one rule.
//!
//! A value becomes one of these types only through `parse`, so a type in a signature is proof the
//! value was validated: an `InstanceId` can go into a command line as it is. The rules are
//! hand-written (no regex) because the browser's main bundle validates what people type, and the
//! scanners that find ids in free text use the same functions on candidate tokens.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `value.trim()`, without walking its characters when it starts and ends with a visible ASCII
/// character, as an id read from a fleet's rows does (the walk, made for every node of every
/// group, was a fiftieth of the page's time to a fleet's result).
fn trimmed(value: &str) -> &str {
    match (value.as_bytes().first(), value.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => value,
        _ => value.trim(),
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $valid:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        // Boxed, not a String: an id never grows, and a fleet's findings hold millions of them
        // (a third less room each).
        pub struct $name(Box<str>);

        impl $name {
            /// The value, trimmed, if it follows the rule; `None` otherwise.
            pub fn parse(value: &str) -> Option<Self> {
                Self::valid(value).map(|value| Self(value.into()))
            }

            /// What [`Self::parse`] would hold, borrowed: nothing copied.
            pub fn valid(value: &str) -> Option<&str> {
                let value = trimmed(value);
                $valid(value).then_some(value)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, String> {
                Self::parse(&value).ok_or_else(|| format!("`{value}` is not a valid {}", stringify!($name)))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.into_string()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// An EC2 instance (`i-` and 8 hex digits, or 17 letters and digits: AWS documentation
    /// writes `i-02573cafcfEXAMPLE`) or a hybrid managed node (`mi-` and 17).
    InstanceId,
    is_instance_id
);
id_type!(
    /// An AWS region (`eu-west-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-5`).
    Region,
    is_region
);
id_type!(
    /// An AWS CLI named profile. The CLI allows more, but only these characters are safe to
    /// write into a command line unquoted in both bash and PowerShell.
    Profile,
    is_profile
);
id_type!(
    /// A command, association or execution id: a UUID whose last group may read `…EXAMPLE` as
    /// in AWS documentation.
    Uuid,
    is_uuid
);
id_type!(
    /// A patch baseline id (`pb-` and 17 letters and digits) or an AWS-managed baseline's ARN.
    BaselineId,
    is_baseline_id
);

impl InstanceId {
    /// A hybrid (on-premises) managed node: no EC2 API applies to it.
    pub fn is_hybrid(&self) -> bool {
        is_hybrid(&self.0)
    }
}

/// Whether an instance id ([`InstanceId::valid`]) names a hybrid (on-premises) node.
pub fn is_hybrid(id: &str) -> bool {
    id.starts_with("mi-")
}

impl Region {
    /// The partition's S3 domain suffix and whether the region is in China or GovCloud, which
    /// changes the patch buckets' URLs (domain.md §B.10).
    pub fn partition(&self) -> Partition {
        if self.0.starts_with("cn-") {
            Partition::China
        } else if self.0.starts_with("us-gov-") {
            Partition::GovCloud
        } else {
            Partition::Commercial
        }
    }
}

impl Region {
    /// Where AWS-RunPatchBaseline downloads its Linux payload from in this region (domain.md
    /// §B.10, as the document's wrapper computes it): the regions older than the
    /// `aws-patch-manager-<region>` buckets use `aws-ssm-<region>`; China and GovCloud have their
    /// own endpoints; newer regions use the accelerated endpoint.
    pub fn patch_payload_url(&self) -> String {
        const OLD_BUCKET_REGIONS: [&str; 25] = [
            "ap-east-1",
            "us-gov-east-1",
            "us-gov-west-1",
            "cn-northwest-1",
            "cn-north-1",
            "ca-central-1",
            "ap-southeast-2",
            "ap-southeast-1",
            "us-west-1",
            "us-west-2",
            "ap-northeast-1",
            "eu-west-2",
            "ap-northeast-2",
            "us-east-1",
            "sa-east-1",
            "eu-central-1",
            "eu-west-1",
            "us-east-2",
            "eu-west-3",
            "ap-south-1",
            "eu-north-1",
            "me-south-1",
            "af-south-1",
            "eu-south-1",
            "ap-northeast-3",
        ];
        const SPECIAL_BUCKETS: [(&str, &str); 4] = [
            ("me-south-1", "aws-patch-manager-me-south-1-a53fc9dce"),
            ("af-south-1", "aws-patch-manager-af-south-1-bdd5f65a9"),
            ("eu-south-1", "aws-patch-manager-eu-south-1-c52f3f594"),
            ("ap-northeast-3", "aws-patch-manager-ap-northeast-3-67373598a"),
        ];
        const PREFIX: &str = "patchbaselineoperations/linux/payloads/";
        let r = self.as_str();
        let old = OLD_BUCKET_REGIONS.contains(&r);
        let bucket = match SPECIAL_BUCKETS.iter().find(|(region, _)| *region == r) {
            Some((_, bucket)) => bucket.to_string(),
            None if old || self.partition() != Partition::Commercial => format!("aws-ssm-{r}"),
            None => format!("aws-patch-manager-{r}"),
        };
        match self.partition() {
            Partition::China => format!("https://s3.{r}.amazonaws.com.cn/{bucket}/{PREFIX}"),
            Partition::GovCloud => format!("https://s3-fips-{r}.amazonaws.com/{bucket}/{PREFIX}"),
            Partition::Commercial if old => format!("https://s3.dualstack.{r}.amazonaws.com/{bucket}/{PREFIX}"),
            Partition::Commercial => format!("https://{bucket}.s3-accelerate.dualstack.amazonaws.com/{PREFIX}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    Commercial,
    China,
    GovCloud,
}

fn all(s: &str, f: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(f)
}

pub fn is_instance_id(s: &str) -> bool {
    if let Some(body) = s.strip_prefix("i-") {
        (body.len() == 8 && all(body, |b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
            || (body.len() == 17 && all(body, |b| b.is_ascii_alphanumeric()))
    } else if let Some(body) = s.strip_prefix("mi-") {
        body.len() == 17 && all(body, |b| b.is_ascii_alphanumeric())
    } else {
        false
    }
}

/// The compass part of every region name.
const DIRECTIONS: &[&str] =
    &["central", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"];

/// `xx-direction-N`, with an optional `gov`/`iso*` part after the two-letter area.
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let (area, middle, direction, number) = match parts.as_slice() {
        [area, direction, number] => (*area, None, *direction, *number),
        [area, middle, direction, number] => (*area, Some(*middle), *direction, *number),
        _ => return false,
    };
    area.len() == 2
        && all(area, |b| b.is_ascii_lowercase())
        && middle
            .is_none_or(|m| m == "gov" || (m.starts_with("iso") && m.len() <= 5 && all(m, |b| b.is_ascii_lowercase())))
        && DIRECTIONS.contains(&direction)
        && (1..=2).contains(&number.len())
        && all(number, |b| b.is_ascii_digit())
}

pub fn is_profile(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && all(s, |b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n)
        && groups[..4].iter().all(|g| all(g, |b| b.is_ascii_hexdigit()))
        && all(groups[4], |b| b.is_ascii_alphanumeric())
}

pub fn is_baseline_id(s: &str) -> bool {
    let short =
        |id: &str| id.strip_prefix("pb-").is_some_and(|b| b.len() == 17 && all(b, |c| c.is_ascii_alphanumeric()));
    if short(s) {
        return true;
    }
    // arn:aws[-cn|-us-gov]:ssm:<region>:<12 digits>:patchbaseline/pb-…
    let Some(rest) = s.strip_prefix("arn:") else { return false };
    let fields: Vec<&str> = rest.splitn(5, ':').collect();
    match fields.as_slice() {
        [partition, "ssm", region, account, resource] => {
            partition.starts_with("aws")
                && all(partition, |b| b.is_ascii_lowercase() || b == b'-')
                && is_region(region)
                && account.len() == 12
                && all(account, |b| b.is_ascii_digit())
                && resource.strip_prefix("patchbaseline/").is_some_and(short)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids() {
        for ok in ["i-0123456789abcdef0", "i-1234abcd", "mi-0123456789abcdef0", "i-02573cafcfEXAMPLE"] {
            assert!(InstanceId::parse(ok).is_some(), "{ok}");
        }
        for bad in
            ["i-11111111111", "i-0123456789abcdef0; rm -rf /", "i-1234ABCD", "mi-1234abcd", "x-0123456789abcdef0", ""]
        {
            assert!(InstanceId::parse(bad).is_none(), "{bad}");
        }
        assert!(InstanceId::parse("mi-0123456789abcdef0").unwrap().is_hybrid());
    }

    /// An id pasted with spaces, tabs, a line end or Unicode spaces around it is the id; an id
    /// with a visible character at either end is read as it is.
    #[test]
    fn ids_are_trimmed_as_str_trim_trims() {
        for text in [
            "i-0123456789abcdef0",
            " i-0123456789abcdef0",
            "i-0123456789abcdef0\r\n",
            "\u{a0}i-0123456789abcdef0\u{3000}",
            "\ti-1234abcd ",
            "\"i-1234abcd\"",
            "é",
            "",
            "   ",
        ] {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
        }
        assert_eq!(InstanceId::valid("\u{2003}i-1234abcd\n"), Some("i-1234abcd"));
        assert_eq!(InstanceId::valid("i-1234abcd."), None);
    }

    #[test]
    fn regions() {
        for ok in ["eu-west-1", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "us-isob-east-1", "il-central-1"] {
            assert!(Region::parse(ok).is_some(), "{ok}");
        }
        for bad in ["eu-west", "us-east-1 && curl x", "EU-WEST-1", "europe-west-1", "us-east-123", "<region>"] {
            assert!(Region::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Region::parse("cn-northwest-1").unwrap().partition(), Partition::China);
    }

    #[test]
    fn the_patch_bucket_follows_the_partition_and_the_region_age() {
        let url = |r: &str| Region::parse(r).unwrap().patch_payload_url();
        assert_eq!(
            url("eu-west-1"),
            "https://s3.dualstack.eu-west-1.amazonaws.com/aws-ssm-eu-west-1/patchbaselineoperations/linux/payloads/"
        );
        assert_eq!(
            url("cn-north-1"),
            "https://s3.cn-north-1.amazonaws.com.cn/aws-ssm-cn-north-1/patchbaselineoperations/linux/payloads/"
        );
        assert_eq!(
            url("us-gov-west-1"),
            "https://s3-fips-us-gov-west-1.amazonaws.com/aws-ssm-us-gov-west-1/patchbaselineoperations/linux/payloads/"
        );
        assert_eq!(url("ap-southeast-5"), "https://aws-patch-manager-ap-southeast-5.s3-accelerate.dualstack.amazonaws.com/patchbaselineoperations/linux/payloads/");
        assert!(url("me-south-1").contains("/aws-patch-manager-me-south-1-a53fc9dce/"));
    }

    #[test]
    fn profiles_uuids_and_baselines() {
        assert!(Profile::parse("prod-admin").is_some() && Profile::parse("x; rm -rf ~").is_none());
        assert!(Uuid::parse("97fff367-fc5a-4299-aed8-0123456789ab").is_some());
        assert!(Uuid::parse("fa94c678-85c6-4d40-926b-7c791EXAMPLE").is_some());
        assert!(Uuid::parse("97fff367-fc5a-4299-aed8").is_none());
        assert!(BaselineId::parse("pb-0c10e65780EXAMPLE").is_some());
        assert!(BaselineId::parse("arn:aws:ssm:us-east-2:733109147000:patchbaseline/pb-0123fdb36e334a3b2").is_some());
        assert!(BaselineId::parse("pb-0123").is_none());
    }
}
