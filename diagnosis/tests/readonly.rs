//! "A check is read-only": every command template that is not marked with `changes`, the command
//! that confirms a weak finding, and every command of the collector scripts only read. A marked
//! command really changes something, so the marks are honest both ways.
//!
//! Read-only is decided by an allow-list of verbs (`describe-`, `Get-`, `tail`, `yum check`, …)
//! applied to every simple command a text runs, including those inside `sh -c '…'`, `$(…)` and
//! PowerShell script blocks. A command the list does not know is not read-only: adding one means
//! deciding here what it does.

use diagnosis::collect::{self, Script, Target};
use diagnosis::knowledge::{Knowledge, Shell, Template};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Dialect {
    Bash,
    PowerShell,
}

/// The simple commands `text` runs, each as its words (quotes removed). A template's `{slot}`
/// stands for one validated or quoted value.
fn simple_commands(text: &str, dialect: Dialect) -> Vec<Vec<String>> {
    let slot = regex_lite::Regex::new(r"\{[a-z_]+\}").unwrap();
    let text = slot.replace_all(text, "SLOT");
    let chars: Vec<char> = text.chars().collect();
    let mut commands: Vec<Vec<String>> = Vec::new();
    let mut command: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut i = 0;
    let end_word = |word: &mut String, quoted: &mut bool, command: &mut Vec<String>| {
        if !word.is_empty() || *quoted {
            command.push(std::mem::take(word));
        }
        *quoted = false;
    };
    let end_command = |command: &mut Vec<String>, commands: &mut Vec<Vec<String>>| {
        if !command.is_empty() {
            commands.push(std::mem::take(command));
        }
    };
    // The text up to the bracket that closes the one at `open` (quote-aware enough for our texts).
    let closing = |open: usize, left: char, right: char| -> usize {
        let (mut depth, mut j, mut quote) = (0, open, None::<char>);
        while j < chars.len() {
            let c = chars[j];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '\'' || c == '"' => quote = Some(c),
                None if c == left => depth += 1,
                None if c == right => {
                    depth -= 1;
                    if depth == 0 {
                        return j;
                    }
                }
                None => {}
            }
            j += 1;
        }
        chars.len()
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' => end_word(&mut word, &mut quoted, &mut command),
            '\'' => {
                let close = chars[i + 1..].iter().position(|&c| c == '\'').map_or(chars.len(), |p| i + 1 + p);
                word.extend(&chars[i + 1..close]);
                quoted = true;
                i = close;
            }
            '"' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    let escape = if dialect == Dialect::Bash { '\\' } else { '`' };
                    if chars[j] == escape && j + 1 < chars.len() {
                        word.push(chars[j + 1]);
                        j += 2;
                        continue;
                    }
                    // A substitution inside double quotes runs.
                    if chars[j] == '$' && chars.get(j + 1) == Some(&'(') {
                        let close = closing(j + 1, '(', ')');
                        let inner: String = chars[j + 2..close.min(chars.len())].iter().collect();
                        commands.extend(simple_commands(&inner, dialect));
                        word.push_str("$SUB");
                        j = close + 1;
                        continue;
                    }
                    word.push(chars[j]);
                    j += 1;
                }
                quoted = true;
                i = j;
            }
            '$' if next == Some('(') => {
                let close = closing(i + 1, '(', ')');
                let inner: String = chars[i + 2..close.min(chars.len())].iter().collect();
                commands.extend(simple_commands(&inner, dialect));
                word.push_str("$SUB");
                i = close;
            }
            '$' | '@' if next == Some('{') => {
                let close = closing(i + 1, '{', '}');
                word.extend(&chars[i..=close.min(chars.len() - 1)]);
                i = close;
            }
            '{' if next == Some('}') => {
                word.push_str("{}");
                i += 1;
            }
            ';' | '\n' | '(' | ')' | '{' | '}' => {
                end_word(&mut word, &mut quoted, &mut command);
                end_command(&mut command, &mut commands);
            }
            '|' => {
                end_word(&mut word, &mut quoted, &mut command);
                end_command(&mut command, &mut commands);
                if next == Some('|') {
                    i += 1;
                }
            }
            '&' if next == Some('&') => {
                end_word(&mut word, &mut quoted, &mut command);
                end_command(&mut command, &mut commands);
                i += 1;
            }
            _ => word.push(c),
        }
        i += 1;
    }
    end_word(&mut word, &mut quoted, &mut command);
    end_command(&mut command, &mut commands);
    commands
}

/// Why `text` is not read-only, or Ok.
fn read_only(text: &str, dialect: Dialect) -> Result<(), String> {
    for command in simple_commands(text, dialect) {
        check(&command, dialect).map_err(|why| format!("`{}`: {why}", command.join(" ")))?;
    }
    Ok(())
}

/// Redirections that write nothing anyone keeps.
const HARMLESS_REDIRECTS: &[&str] = &["2>/dev/null", ">/dev/null", "2>&1", "&>/dev/null", "2>$null", ">$null"];

fn check(words: &[String], dialect: Dialect) -> Result<(), String> {
    let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut environment: Vec<&str> = Vec::new();
    // Shell grammar around the commands.
    while let Some(first) = words.first() {
        match (*first, dialect) {
            ("do" | "then" | "else" | "!", Dialect::Bash) => {
                words.remove(0);
            }
            ("sudo", _) => {
                words.remove(0);
                if words.first() == Some(&"-u") {
                    words.drain(..2.min(words.len()));
                }
            }
            ("env", Dialect::Bash) => {
                words.remove(0);
            }
            (w, Dialect::Bash) if is_assignment(w) => {
                environment.push(words.remove(0));
            }
            (w, Dialect::PowerShell) if w.starts_with('$') && words.get(1) == Some(&"=") => {
                words.drain(..2);
            }
            _ => break,
        }
    }
    // `sh -c '…'` runs its argument: that is what must read only.
    if matches!(words.as_slice(), ["sh" | "bash", "-c", _]) {
        return read_only(words[2], Dialect::Bash);
    }
    let mut kept = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if HARMLESS_REDIRECTS.contains(&w) {
            i += 1;
            continue;
        }
        if matches!(w, "2>" | ">") && matches!(words.get(i + 1), Some(&("/dev/null" | "$null"))) {
            i += 2;
            continue;
        }
        if w.contains('>') {
            return Err(format!("redirects into a file ({w})"));
        }
        kept.push(w);
        i += 1;
    }
    let words = kept;
    let Some(&name) = words.first() else { return Ok(()) };
    let args = &words[1..];
    let has = |flag: &str| args.contains(&flag);
    let sub = args.iter().find(|a| !a.starts_with('-')).copied().unwrap_or("");
    match dialect {
        Dialect::Bash => match name {
            "for" | "done" | "fi" | "if" | "continue" | "[" | "test" | "true" | "echo" | "printf" | "type" => Ok(()),
            // Arithmetic ($(( $(date +%s) - 172800 ))): numbers and operators run nothing.
            _ if words.iter().all(|w| *w == "$SUB" || w.parse::<i64>().is_ok() || ["+", "-", "*", "/"].contains(w)) => {
                Ok(())
            }
            "date" if !args.iter().any(|a| a.starts_with("-s") || a.starts_with("--set")) => Ok(()),
            "needs-restarting" | "ls" => Ok(()),
            "apt-mark" if matches!(sub, "showhold" | "showmanual" | "showauto") => Ok(()),
            "kpatch" if matches!(sub, "list" | "info") => Ok(()),
            "snap" if matches!(sub, "list" | "info") => Ok(()),
            "tail" | "head" | "cat" | "grep" | "ps" | "df" | "cut" | "sort" | "lsof" | "stat" | "uname" | "wc"
            | "findmnt" | "journalctl" | "command" => Ok(()),
            "aws" => aws(args),
            "find" => match args.iter().position(|a| *a == "-exec") {
                _ if args.iter().any(|a| ["-delete", "-fprint", "-fprintf", "-fls", "-ok", "-execdir"].contains(a)) => {
                    Err("find writes or deletes".into())
                }
                Some(at) if !matches!(args.get(at + 1), Some(&("stat" | "cat" | "ls"))) => {
                    Err("find -exec runs a command".into())
                }
                _ => Ok(()),
            },
            "sed" if args.iter().any(|a| a.starts_with("-i")) => Err("sed -i edits a file".into()),
            "sed" => Ok(()),
            // IMDSv2: the PUT asks the instance's own metadata service for a session token.
            "curl" if args.iter().any(|a| a.starts_with("http://169.254.169.254/")) => Ok(()),
            "curl" => {
                let writes = args.iter().enumerate().any(|(i, a)| match *a {
                    "-o" | "--output" => args.get(i + 1) != Some(&"/dev/null"),
                    "-O" | "-T" | "--upload-file" | "-F" | "--form" => true,
                    "-X" | "--request" => !matches!(args.get(i + 1), Some(&("GET" | "HEAD"))),
                    a => a.starts_with("-d") || a.starts_with("--data"),
                });
                if writes {
                    Err("curl sends or saves data".into())
                } else {
                    Ok(())
                }
            }
            "python3" | "python" | "python2" | "/usr/libexec/platform-python" => match args {
                ["-c", code] if code.starts_with("import ") && !code.contains([';', '\n']) => Ok(()),
                _ => Err("runs Python code".into()),
            },
            name if name.rsplit('/').next() == Some("ssm-cli") && sub == "get-diagnostics" => Ok(()),
            "yum" | "dnf" => match sub {
                _ if has("-y") || has("--assumeyes") => Err("yum -y answers yes".into()),
                "repolist" | "check" | "list" | "info" | "check-update" | "updateinfo" => Ok(()),
                "history" if matches!(args.get(1), None | Some(&("list" | "info"))) => Ok(()),
                "update" | "upgrade" if has("--assumeno") => Ok(()),
                other => Err(format!("yum {other} changes the node")),
            },
            "apt-get" if has("-s") || has("--simulate") || has("--dry-run") => Ok(()),
            "apt-cache" if matches!(sub, "policy" | "show" | "madison" | "search") => Ok(()),
            "dpkg" if args.iter().all(|a| ["--audit", "-C", "-l", "--list", "-s", "--status", "-L"].contains(a)) => {
                Ok(())
            }
            "zypper" => match sub {
                _ if has("-n") || has("--non-interactive") => Err("zypper -n answers yes".into()),
                "locks" | "ll" | "lr" | "repos" | "search" | "se" | "info" | "lu" | "lp" | "patches" | "products"
                | "needs-rebooting" | "ps" => Ok(()),
                "verify" | "ve" if has("--dry-run") => Ok(()),
                other => Err(format!("zypper {other} changes the node")),
            },
            "softwareupdate" if args == ["--list"] || args == ["-l"] => Ok(()),
            "brew" if args == ["--prefix"] => Ok(()),
            "brew" if matches!(sub, "outdated" | "list" | "info") => {
                // brew auto-updates itself before most commands unless told not to.
                if environment.contains(&"HOMEBREW_NO_AUTO_UPDATE=1") {
                    Ok(())
                } else {
                    Err("brew may auto-update".into())
                }
            }
            "systemctl" if matches!(sub, "status" | "is-active" | "show") => Ok(()),
            "rpm" if args.first().is_some_and(|a| a.starts_with("-q")) => Ok(()),
            other => Err(format!("`{other}` is not known to be read-only")),
        },
        Dialect::PowerShell => {
            // Expressions (a variable, a string, a method call, a loop header) run nothing.
            // A number (a method's argument) or a cast to a URI is an expression too.
            if name.starts_with('$')
                || name.starts_with('.')
                || name.starts_with("[uri]")
                || name.starts_with("[DateTimeOffset]::UtcNow")
                || name.parse::<f64>().is_ok()
                || matches!(name, "foreach" | "if" | "else" | "in")
            {
                return Ok(());
            }
            match name {
                "aws" => aws(args),
                // Windows' own tools, in their reading forms only.
                "dism" if args.iter().any(|a| a.eq_ignore_ascii_case("/get-packages")) => Ok(()),
                "findstr" => Ok(()),
                "w32tm" if args.first().is_some_and(|a| a.eq_ignore_ascii_case("/query")) => Ok(()),
                "netsh" if args.len() >= 2 && args[0] == "winhttp" && args[1] == "show" => Ok(()),
                "&" if args.first().is_some_and(|p| p.ends_with("ssm-cli.exe"))
                    && args.get(1) == Some(&"get-diagnostics") =>
                {
                    Ok(())
                }
                // The instance's own metadata service (IMDSv2 token and reads) changes nothing.
                "Invoke-RestMethod" if args.iter().any(|a| a.starts_with("http://169.254.169.254/")) => Ok(()),
                // It writes the merged log where it is told: a temporary file is all it may touch.
                "Get-WindowsUpdateLog" => match args {
                    ["-LogPath", path] if path.starts_with("$env:TEMP") => Ok(()),
                    _ => Err("Get-WindowsUpdateLog writes its log outside the temporary folder".into()),
                },
                cmdlet => {
                    let verb = cmdlet.split('-').next().unwrap_or("");
                    let read_verbs = [
                        "Get",
                        "Test",
                        "Select",
                        "Where",
                        "Sort",
                        "Format",
                        "Measure",
                        "Resolve",
                        "ConvertFrom",
                        "ConvertTo",
                    ];
                    if cmdlet.contains('-') && read_verbs.contains(&verb) || cmdlet == "Out-String" {
                        Ok(())
                    } else {
                        Err(format!("`{cmdlet}` is not known to be read-only"))
                    }
                }
            }
        }
    }
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=')
        .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// An AWS CLI call reads when its operation describes, lists, gets or looks up.
fn aws(args: &[&str]) -> Result<(), String> {
    let (service, operation) = (args.first().copied().unwrap_or(""), args.get(1).copied().unwrap_or(""));
    let reads = ["describe-", "list-", "get-", "lookup-", "head-"].iter().any(|p| operation.starts_with(p))
        || (service, operation) == ("configure", "get")
        || (service, operation) == ("s3", "ls");
    if reads {
        Ok(())
    } else {
        Err(format!("aws {service} {operation} changes something"))
    }
}

fn dialect(shell: Shell) -> Dialect {
    match shell {
        Shell::AwsCli | Shell::Bash => Dialect::Bash,
        Shell::Powershell => Dialect::PowerShell,
    }
}

#[test]
fn the_verb_list_tells_reading_from_changing() {
    let changing = [
        ("sudo apt-get update", Dialect::Bash),
        ("sudo yum clean all && sudo yum makecache", Dialect::Bash),
        ("sudo yum update -y", Dialect::Bash),
        ("sudo dpkg --configure -a", Dialect::Bash),
        ("rm -rf /var/lib/amazon/ssm/x", Dialect::Bash),
        ("echo x > /etc/yum.conf", Dialect::Bash),
        ("sudo sh -c 'tail -n 5 a; rm -f b'", Dialect::Bash),
        ("f=$(find / -name x -delete); echo $f", Dialect::Bash),
        ("sudo systemctl reboot", Dialect::Bash),
        ("curl -sS -o /tmp/payload.tgz https://example.com", Dialect::Bash),
        ("brew outdated", Dialect::Bash),
        ("aws ssm send-command --document-name AWS-RunPatchBaseline", Dialect::Bash),
        ("aws ec2 reboot-instances --instance-ids i-0123456789abcdef0", Dialect::Bash),
        (
            "for r in $(aws ec2 describe-regions); do aws ssm start-associations-once --association-ids x; done",
            Dialect::Bash,
        ),
        ("Restart-Computer -Force", Dialect::PowerShell),
        ("wusa /uninstall /kb:5005565 /quiet /norestart", Dialect::PowerShell),
        ("Get-WindowsUpdateLog", Dialect::PowerShell),
        ("Get-Content a.log | Out-File b.log", Dialect::PowerShell),
        ("foreach ($r in (aws ec2 describe-regions)) { aws ssm send-command --document-name X }", Dialect::PowerShell),
    ];
    for (text, dialect) in changing {
        assert!(read_only(text, dialect).is_err(), "{text} was taken for read-only");
    }
    let reading = [
        ("sudo tail -n 200 /var/log/amazon/ssm/amazon-ssm-agent.log", Dialect::Bash),
        ("df -h /var && ps -ef | grep -E 'yum|dnf' | grep -v grep", Dialect::Bash),
        ("curl -sS -o /dev/null -w '%{http_code}\\n' --max-time 15 https://example.com", Dialect::Bash),
        ("sudo yum check && sudo yum update --assumeno", Dialect::Bash),
        (
            "Get-Service AmazonSSMAgent; Get-WinEvent -FilterHashtable @{LogName='System'; Id=7000} -MaxEvents 30",
            Dialect::PowerShell,
        ),
    ];
    for (text, dialect) in reading {
        assert_eq!(read_only(text, dialect), Ok(()), "{text}");
    }
}

#[test]
fn every_command_not_marked_as_changing_is_read_only_and_every_marked_one_changes() {
    let knowledge = Knowledge::get();
    let mut problems = Vec::new();
    for template in Template::ALL {
        let command = knowledge.command(template);
        let forms = [
            Some((command.text.as_str(), dialect(command.shell))),
            command.powershell.as_deref().map(|p| (p, Dialect::PowerShell)),
        ];
        for (text, dialect) in forms.into_iter().flatten() {
            match (read_only(text, dialect), &command.changes) {
                (Err(why), None) => problems.push(format!("{}: not marked, but {why}", template.name())),
                (Ok(()), Some(changes)) => {
                    problems.push(format!("{}: marked \"{}\", but reads only", template.name(), changes.en))
                }
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_command_that_confirms_a_weak_finding_is_a_check() {
    let knowledge = Knowledge::get();
    for entry in &knowledge.entries {
        if let Some(confirm) = entry.confirm {
            assert!(
                knowledge.command(confirm).changes.is_none(),
                "{}: confirm {} changes something",
                entry.code,
                confirm.name()
            );
        }
    }
}

#[test]
fn the_collector_scripts_only_read() {
    let target = Target::parse("i-0123456789abcdef0", "eu-west-1", "support").unwrap();
    for (script, dialect) in [
        (Script::AwsBash, Dialect::Bash),
        (Script::AwsPowerShell, Dialect::PowerShell),
        (Script::NodeLinux, Dialect::Bash),
        (Script::NodeMacOs, Dialect::Bash),
        (Script::NodeWindows, Dialect::PowerShell),
    ] {
        let commands = collect::commands(script, &target);
        assert!(commands.len() >= 5, "{script:?}");
        for command in &commands {
            assert_eq!(read_only(command, dialect), Ok(()), "{script:?}");
        }
        // The script around them writes its own output file and nothing else.
        let text = collect::script(script, &target);
        let framing: String = commands.iter().fold(text, |t, c| t.replace(c.as_str(), ""));
        for line in framing.lines().filter(|l| l.contains('>') || l.contains("Content")) {
            let to_output =
                line.contains(">> \"$out\"") || line.starts_with(": > \"$out\"") || line.contains("-Path $out");
            assert!(to_output, "{script:?} writes elsewhere: {line}");
        }
    }
}

mod common;

/// Over every sample: a finding's commands lead with its fix (or the command that confirms it),
/// then read-only checks, then what changes the system. A paid runbook never comes before the
/// checks ("Connection lost" once offered one first).
#[test]
fn checks_come_before_what_changes_the_system() {
    let mut problems = Vec::new();
    for (sample, files) in common::samples() {
        let bytes: Vec<(String, Vec<u8>)> =
            files.iter().map(|p| (p.display().to_string(), std::fs::read(p).unwrap())).collect();
        let sources: Vec<diagnosis::Source> =
            bytes.iter().map(|(n, b)| diagnosis::Source { name: n, bytes: b }).collect();
        let report = diagnosis::diagnose(&sources, diagnosis::Lang::En);
        for f in &report.findings {
            let entry = Knowledge::get().entry(f.code);
            // The first command may be the fix, which changes the system by design.
            let rest = if entry.fix_commands.is_empty() { &f.commands[..] } else { &f.commands[1..] };
            let changing = rest.iter().position(|c| c.changes.is_some()).unwrap_or(rest.len());
            if rest[changing..].iter().any(|c| c.changes.is_none()) {
                problems.push(format!(
                    "{sample} {}: {:?}",
                    f.reference,
                    f.commands.iter().map(|c| &c.label).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The fix leads where the entry names one: missing patches lead with the Install, a pending
/// reboot with the reboot.
#[test]
fn the_fix_leads_its_finding() {
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 2, "InstalledPendingRebootCount": 1, "Operation": "Scan"}]}"#;
    let report =
        diagnosis::diagnose(&[diagnosis::Source { name: "s.json", bytes: states.as_bytes() }], diagnosis::Lang::En);
    let first =
        |r: &str| report.findings.iter().find(|f| f.reference == r).map(|f| f.commands[0].text.clone()).unwrap();
    assert!(first("P6").contains("Operation=Install"), "{}", first("P6"));
    assert!(first("P4").starts_with("aws ec2 reboot-instances"), "{}", first("P4"));
}
