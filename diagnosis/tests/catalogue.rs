//! The knowledge base is complete and honest: every entry has a ref, texts in both languages, a
//! fix, at least one command, and at least one sample input that really triggers it.

use diagnosis::knowledge::Knowledge;
use diagnosis::{diagnose_with, Lang, Options, Source};

/// 2026-11-26T00:00:00Z: a fixed "now" so age checks are reproducible.
const NOW: f64 = 1_795_651_200.0;

#[test]
fn every_entry_is_complete_in_both_languages() {
    let knowledge = Knowledge::get();
    let mut problems = Vec::new();
    for e in &knowledge.entries {
        if e.reference.is_empty() {
            problems.push(format!("{}: no ref", e.code));
        }
        for (what, text) in [("title", &e.title), ("why", &e.why), ("fix", &e.fix)] {
            if text.en.trim().is_empty() || text.zh_cn.trim().is_empty() {
                problems.push(format!("{}: {what} missing in a language", e.code));
            }
        }
        if e.commands.is_empty() {
            problems.push(format!("{}: no command", e.code));
        }
        if e.samples.is_empty() {
            problems.push(format!("{}: no sample", e.code));
        }
    }
    let mut codes: Vec<&str> = knowledge.entries.iter().map(|e| e.code.name()).collect();
    codes.sort();
    codes.dedup();
    if codes.len() != knowledge.entries.len() {
        problems.push("duplicate codes".into());
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_sample_triggers_its_entry() {
    let mut problems = Vec::new();
    for e in &Knowledge::get().entries {
        for sample in &e.samples {
            let options = Options { lang: Lang::En, now: Some(NOW), ..Options::default() };
            let report = diagnose_with(&[Source { name: "sample", bytes: sample.as_bytes() }], &options);
            match report.findings.iter().find(|f| f.code == e.code) {
                Some(f) if f.reference == e.reference && f.role == e.role.name() => {}
                Some(f) => problems.push(format!("{}: produced as {}/{}", e.code, f.reference, f.role)),
                None => {
                    let got: Vec<&str> = report.findings.iter().map(|f| f.code.name()).collect();
                    problems.push(format!(
                        "{}: sample `{}` gave {got:?}",
                        e.code,
                        sample.chars().take(80).collect::<String>()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Next to each sample, a line that looks like it (the same words in a healthy context, a
/// waiting message, the exit code of a non-patch command, the line with its recovery) must not
/// fire the entry at its role. A weaker role is allowed: a weak line alone is a check.
#[test]
fn no_near_miss_fires_its_entry() {
    let mut problems = Vec::new();
    let mut tested = 0;
    for e in &Knowledge::get().entries {
        for near_miss in &e.near_misses {
            tested += 1;
            let options = Options { lang: Lang::En, now: Some(NOW), ..Options::default() };
            let report = diagnose_with(&[Source { name: "near-miss", bytes: near_miss.as_bytes() }], &options);
            if let Some(f) = report.findings.iter().find(|f| f.code == e.code && f.role == e.role) {
                problems.push(format!(
                    "{}: near miss `{}` fired it as {}",
                    e.code,
                    near_miss.chars().take(80).collect::<String>(),
                    f.role.name()
                ));
            }
        }
    }
    assert!(tested >= Knowledge::get().signatures.len(), "{tested} near misses");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn benign_signatures_are_never_causes() {
    for code in [
        "sni-warning",
        "kernel-access-warning",
        "identity-config-warning",
        "billing-info-noise",
        "inventory-nothing-new",
    ] {
        assert_eq!(
            Knowledge::get().entry(diagnosis::knowledge::Code::from_name(code).expect("a code")).role.name(),
            "note",
            "{code}"
        );
    }
}

/// Every decision-tree node of domain.md §C.2 and every catalogue entry of §B is implemented:
/// some entry carries its id as ref or alias (and the tests above prove each entry fires).
#[test]
fn every_domain_id_is_implemented() {
    let mut ids: Vec<String> =
        ["N0", "N1", "M0", "M0.1", "M0.2", "M0.3", "M0.4", "AS0", "AS1", "AS2", "AS3", "INV0", "CU0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    ids.extend((0..=9).map(|n| format!("P{n}")));
    ids.extend((1..=36).map(|n| format!("L{n}")));
    ids.extend((1..=13).map(|n| format!("W{n}")));
    ids.extend((1..=13).map(|n| format!("A{n}")));
    ids.extend((1..=11).map(|n| format!("I{n}")));
    ids.push("CU1".to_string());
    ids.extend((1..=17).map(|n| format!("G{n}")));
    let entries = &Knowledge::get().entries;
    let missing: Vec<&String> =
        ids.iter().filter(|id| !entries.iter().any(|e| &e.reference == *id || e.aliases.contains(id))).collect();
    assert!(missing.is_empty(), "not implemented: {missing:?}");
}

/// AWS's official zh-CN terms (the seed article and the console): 有效负载 ("payload"; 负载 alone
/// reads as "load"), 节流 (throttling), 合规性条目 (compliance items), 被拒绝的补丁列表; a node that
/// cannot reach Systems Manager "无法与 Systems Manager 通信", not "签入".
#[test]
fn chinese_texts_use_the_official_terms() {
    let knowledge = Knowledge::get();
    let mut texts: Vec<(String, &str)> = Vec::new();
    for e in &knowledge.entries {
        for (what, text) in [("title", &e.title), ("why", &e.why), ("fix", &e.fix)] {
            texts.push((format!("{} {what}", e.code), text.zh_cn.as_str()));
        }
    }
    for t in diagnosis::knowledge::Template::ALL {
        texts.push((format!("command {}", t.name()), knowledge.command(t).label.zh_cn.as_str()));
    }
    texts.extend(diagnosis::knowledge::hints().iter().map(|h| ("hint".to_string(), h.zh_cn.as_str())));
    texts.extend(
        diagnosis::knowledge::Notice::ALL
            .iter()
            .map(|n| (format!("notice {}", n.name()), diagnosis::knowledge::notice(*n).zh_cn.as_str())),
    );
    let app_texts = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../app/texts.toml")).unwrap();
    texts.extend(app_texts.lines().filter(|l| l.contains("zh-CN")).map(|l| ("app/texts.toml".to_string(), l)));
    let mut problems = Vec::new();
    for (at, text) in &texts {
        let bare_payload =
            text.match_indices("负载").any(|(i, _)| !text[..i].ends_with("有效") && !text[i..].starts_with("负载均衡"));
        for (wrong, right, found) in [
            ("负载", "有效负载", bare_payload),
            ("签入", "与 Systems Manager 通信", text.contains("签入")),
            ("限流", "节流", text.contains("限流")),
            ("合规性行", "合规性条目", text.contains("合规性行")),
            ("已修复", "已自动修正格式 (an input whose format was repaired)", text.contains("已修复")),
            // The zh-CN console and user guide keep the tools' names in English.
            ("补丁管理器", "Patch Manager", text.contains("补丁管理器")),
            ("状态管理器", "State Manager", text.contains("状态管理器")),
            ("快速设置", "Quick Setup", text.contains("快速设置")),
            ("会话管理器", "Session Manager", text.contains("会话管理器")),
        ] {
            if found {
                problems.push(format!("{at}: {wrong} → {right}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Every Simplified Chinese text of the knowledge base uses Chinese punctuation (，：？（）),
/// as AWS's zh-CN documentation does.
#[test]
fn chinese_texts_use_full_width_punctuation() {
    fn walk(at: &str, value: &toml::Value, slips: &mut Vec<String>) {
        match value {
            toml::Value::Table(table) => {
                for (key, value) in table {
                    match (key.as_str(), value) {
                        ("zh-CN", toml::Value::String(text)) => {
                            if let Some((i, c)) = diagnosis::knowledge::half_width_in_chinese(text) {
                                slips.push(format!("{at}: `{c}` at {i} in {text:?}"));
                            }
                        }
                        _ => walk(&format!("{at}.{key}"), value, slips),
                    }
                }
            }
            toml::Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, v)| walk(&format!("{at}[{i}]"), v, slips))
            }
            _ => {}
        }
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge");
    let mut slips = Vec::new();
    let mut texts = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        texts += source.matches("zh-CN").count();
        let value: toml::Value = toml::from_str(&source).unwrap();
        walk(&path.file_name().unwrap().to_string_lossy(), &value, &mut slips);
    }
    assert!(texts > 400, "the knowledge base's Chinese texts were found ({texts})");
    assert!(slips.is_empty(), "{}", slips.join("\n"));
}
