//! Which operating system and package manager the node runs, from what the agent reports, the
//! baseline's operating system, the kinds of logs pasted and the package-manager words in them.
//! On-node commands are only offered for the node's own shell and package manager.

use super::Evidence;
use crate::ingest::InputKind;
pub use crate::model::{PackageManager, Platform};

/// Package-manager words looked for in patch output, and the family each names.
pub(super) const PACKAGE_WORDS: &[&str] =
    &["dpkg", "apt-get", "apt.cache", "Apt requires", "yum", "dnf", "rpm -", "zypper"];

impl Evidence {
    pub(super) fn note_package_words(&mut self, said: super::text::Said) {
        for word in PACKAGE_WORDS {
            if !self.package_words.iter().any(|w| w == word) && said.has(word) {
                self.package_words.push(word.to_ascii_lowercase());
            }
        }
    }

    pub(super) fn infer_platform(&mut self) {
        let from_nodes = self.nodes.iter().find_map(|n| n.platform_type.as_deref()).map(Platform::from_platform_type);
        let from_text = || {
            let kinds: Vec<InputKind> = self.text_blocks.iter().filter_map(|b| b.kind).collect();
            if kinds.contains(&InputKind::PatchWindowsOutput) || kinds.contains(&InputKind::WindowsServiceEvents) {
                Some(Platform::Windows)
            } else if kinds.contains(&InputKind::PatchLinuxOutput) {
                Some(Platform::Linux)
            } else if self.baselines.iter().any(|b| b.operating_system == "WINDOWS")
                || self.patches.iter().any(|p| p.kb_id.starts_with("KB"))
            {
                Some(Platform::Windows)
            } else {
                None
            }
        };
        self.context.platform = from_nodes.or_else(from_text);
        self.context.package_manager = self.infer_package_manager();
    }

    fn infer_package_manager(&self) -> Option<PackageManager> {
        if self.context.platform == Some(Platform::Windows) {
            return None;
        }
        let words = &self.package_words;
        let said = |needles: &[&str]| words.iter().any(|w| needles.iter().any(|n| w.contains(n)));
        self.nodes
            .iter()
            .find_map(|n| n.platform_name.as_deref().and_then(PackageManager::from_os_name))
            .or_else(|| self.baselines.iter().find_map(|b| PackageManager::from_os_name(&b.operating_system)))
            .or_else(|| {
                if said(&["dpkg", "apt"]) {
                    Some(PackageManager::Apt)
                } else if said(&["zypper"]) {
                    Some(PackageManager::Zypper)
                } else if said(&["yum", "dnf", "rpm"]) {
                    Some(PackageManager::Yum)
                } else {
                    None
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_names_name_their_package_manager() {
        assert_eq!(PackageManager::from_os_name("Ubuntu"), Some(PackageManager::Apt));
        assert_eq!(PackageManager::from_os_name("AMAZON_LINUX_2023"), Some(PackageManager::Yum));
        assert_eq!(PackageManager::from_os_name("SUSE Linux Enterprise Server"), Some(PackageManager::Zypper));
        assert_eq!(PackageManager::from_os_name("MACOS"), Some(PackageManager::MacOs));
        assert_eq!(PackageManager::from_os_name("WINDOWS"), None);
        assert_eq!(Platform::from_platform_type("MacOS").patch_plugin(), "PatchMacOS");
    }
}
