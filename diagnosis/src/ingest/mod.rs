//! Ingest: input bytes → decoded text → classified parts. Nothing here decides anything about
//! compliance; it only says what each part is and reads it faithfully.

pub mod csv;
pub mod decode;
pub mod json;
pub mod kind;
pub mod split;
pub mod text_output;

pub use kind::InputKind;
pub use split::{Body, Part};

/// How well an input could be read (report contract `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Repaired,
    Unrecognized,
    Rejected,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Repaired => "repaired",
            Status::Unrecognized => "unrecognized",
            Status::Rejected => "rejected",
        }
    }
}

/// One input as the user gave it (a file, or one paste), read into parts.
#[derive(Debug)]
pub struct Input {
    pub name: String,
    pub size: usize,
    pub text: String,
    pub status: Status,
    pub messages: Vec<String>,
    pub parts: Vec<Part>,
}

impl Input {
    /// The input's kind for the report: the one kind of its parts (command lines aside), `mixed`
    /// when a paste held several, or `unrecognized`.
    pub fn kind_name(&self) -> &'static str {
        let mut kinds: Vec<InputKind> = self.parts.iter().filter_map(|p| p.kind).collect();
        kinds.sort();
        kinds.dedup();
        let outputs: Vec<InputKind> = kinds.iter().copied().filter(|k| *k != InputKind::CliCommand).collect();
        match (outputs.as_slice(), kinds.as_slice()) {
            ([one], _) => one.name(),
            ([], [InputKind::CliCommand]) => InputKind::CliCommand.name(),
            ([], _) => "unrecognized",
            _ => "mixed",
        }
    }
}

/// Reads one input. Never fails: unreadable input comes back `rejected` with a message.
pub fn read(name: &str, bytes: &[u8]) -> Input {
    read_decoded(name, bytes.len(), decode::decode(bytes))
}

/// Like [`read`], taking the bytes so that clean UTF-8 is not copied.
pub fn read_owned(name: &str, bytes: Vec<u8>) -> Input {
    let size = bytes.len();
    read_decoded(name, size, decode::decode_owned(bytes))
}

fn read_decoded(name: &str, size: usize, decoded: Result<decode::DecodedText, decode::Rejection>) -> Input {
    let decoded = match decoded {
        Ok(decoded) => decoded,
        Err(rejection) => {
            return Input {
                name: name.to_string(),
                size,
                text: String::new(),
                status: Status::Rejected,
                messages: vec![rejection.0],
                parts: Vec::new(),
            }
        }
    };
    let mut messages = decoded.notes;
    if decoded.text.trim().is_empty() {
        messages.push("The input is empty. Paste AWS CLI output or a log.".to_string());
        return Input {
            name: name.to_string(),
            size,
            text: decoded.text,
            status: Status::Unrecognized,
            messages,
            parts: Vec::new(),
        };
    }
    let parts = split::split(&decoded.text);
    let recognised = parts.iter().filter(|p| p.kind.is_some()).count();
    let repaired = parts.iter().any(|p| p.repaired);
    for part in &parts {
        let label = match part.kind {
            Some(kind) => kind.name(),
            None => "unrecognised part",
        };
        for message in &part.messages {
            let prefix = if parts.len() > 1 {
                format!("{label} (lines {}-{}): ", part.first_line, part.last_line)
            } else {
                String::new()
            };
            messages.push(format!("{prefix}{message}"));
        }
    }
    let status = if recognised == 0 {
        Status::Unrecognized
    } else if repaired {
        Status::Repaired
    } else {
        Status::Ok
    };
    Input { name: name.to_string(), size, text: decoded.text, status, messages, parts }
}
