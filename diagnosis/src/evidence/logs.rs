//! Log lines as typed events: the SSM Agent's format, the Linux patch payload's, and Windows
//! events listed with `Format-List`. The message stays in the input text (`start..end`).

use super::Evidence;
use crate::ingest::InputKind;
use crate::lines::Cite;
use crate::model::{LogEvent, LogLevel};
use crate::time;

/// Kinds whose lines carry a level.
const LOGS: [InputKind; 4] =
    [InputKind::AgentLog, InputKind::PatchLinuxOutput, InputKind::PatchWindowsOutput, InputKind::WindowsServiceEvents];

/// More events than this are not read (a log of a million errors says nothing more).
const MAX_EVENTS: usize = 1_000_000;

impl Evidence {
    /// Agent log (`2024-01-01 10:00:00[.0000] ERROR msg`), payload output
    /// (`07/07/2022 15:52:29 root [ERROR]: msg`) and Windows events (`Level : Error`).
    pub(super) fn read_log_events(
        &mut self,
        input: usize,
        kind: InputKind,
        first_line: u32,
        offset: usize,
        text: &str,
    ) {
        if !LOGS.contains(&kind) {
            return;
        }
        let mut at = 0usize;
        for (i, line) in text.split('\n').enumerate() {
            let (start, end) = (offset + at, offset + at + line.len());
            at += line.len() + 1;
            let Some((time, level)) = log_prefix(line) else { continue };
            if self.log_events.len() >= MAX_EVENTS {
                break;
            }
            self.log_events.push(LogEvent { cite: Cite::new(input, first_line + i as u32), time, level, start, end });
        }
    }
}

/// The time and level of a log line, in the agent's or the patch payload's format.
pub fn log_prefix(line: &str) -> Option<(Option<f64>, LogLevel)> {
    let level_of = |word: &str| match word.trim_matches(|c| c == '[' || c == ']' || c == ':') {
        "DEBUG" | "TRACE" => Some(LogLevel::Debug),
        "INFO" => Some(LogLevel::Info),
        "WARN" | "WARNING" => Some(LogLevel::Warning),
        "ERROR" | "CRITICAL" => Some(LogLevel::Error),
        _ => None,
    };
    let b = line.as_bytes();
    if b.len() > 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' {
        // 2024-01-01 10:00:00[.0000] LEVEL msg
        let mut words = line.splitn(4, ' ');
        let (date, clock, level) = (words.next()?, words.next()?, words.next()?);
        let time = time::parse_iso(&format!("{date}T{}Z", clock.split(['.', ',']).next()?));
        return Some((time, level_of(level)?));
    }
    if b.len() > 20 && b[2] == b'/' && b[5] == b'/' && b[10] == b' ' {
        // 07/07/2022 15:52:29 root [ERROR]: msg
        let mut words = line.splitn(5, ' ');
        let (date, clock, _logger, level) = (words.next()?, words.next()?, words.next()?, words.next()?);
        let (m, rest) = date.split_once('/')?;
        let (d, y) = rest.split_once('/')?;
        let time = time::parse_iso(&format!("{y}-{m}-{d}T{clock}Z"));
        return Some((time, level_of(level)?));
    }
    let trimmed = line.trim_start();
    let level = trimmed.strip_prefix("LevelDisplayName").or_else(|| trimmed.strip_prefix("Level"));
    if let Some(level) = level.map(|r| r.trim_start_matches([' ', ':']).trim()) {
        // Get-WinEvent | Format-List: "Level : Error"
        return match level {
            "Error" | "Critical" | "2" | "1" => Some((None, LogLevel::Error)),
            "Warning" | "3" => Some((None, LogLevel::Warning)),
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_log_formats() {
        let (t, l) = log_prefix("2022-03-29 06:57:54 ERROR [HandleAwsError @ awserr.go.49] x").unwrap();
        assert_eq!((t.is_some(), l), (true, LogLevel::Error));
        let (t, l) = log_prefix("07/07/2022 15:52:29 root [WARNING]: Unable to gain access").unwrap();
        assert_eq!((t.is_some(), l), (true, LogLevel::Warning));
        assert_eq!(log_prefix("LevelDisplayName : Error"), Some((None, LogLevel::Error)));
        assert_eq!(log_prefix("just text"), None);
    }
}
