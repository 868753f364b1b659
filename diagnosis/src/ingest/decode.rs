//! Bytes → text. Handles what Windows and terminals really produce (UTF-8 with or without BOM,
//! UTF-16 LE/BE as written by PowerShell 5's `Out-File`, CRLF, stray NULs) and refuses, with a
//! reason and a remedy, what is not text at all (gzip, zip, other binaries, oversized input).

/// Inputs above this size are refused rather than read: the browser tab would run out of memory
/// long before a diagnosis, and no single CLI output or log worth pasting is this large.
pub const MAX_INPUT_BYTES: usize = 512 * 1024 * 1024;

use crate::notice::{Message, Notice};

/// Text decoded from an input, with notes on what had to be done to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedText {
    pub text: String,
    /// What had to be done ("decoded from UTF-16 LE", "3 NUL bytes removed").
    pub notes: Vec<Message>,
    /// The text is the one given, byte for byte (a text [`decode_text`] had nothing to do to):
    /// what was found in it as it arrived holds.
    pub as_given: bool,
}

/// Why an input could not be read as text; the message says what it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection(pub Message);

/// Like [`decode`], but takes the bytes: clean UTF-8 (the common case) becomes the text without
/// a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<DecodedText, Rejection> {
    if plain(&bytes) {
        match String::from_utf8(bytes) {
            Ok(text) => return Ok(clean_text(text, false)),
            Err(e) => return decode(e.as_bytes()),
        }
    }
    decode(&bytes)
}

/// Like [`decode_owned`], for bytes already proven UTF-8 (the worker proves each slice of a file
/// as it arrives): the same checks, and the same text, without proving it again. `clean`: the
/// text was found, as it arrived, to hold no NUL and no carriage return, so it is not searched
/// for them again.
pub fn decode_text(text: String, clean: bool) -> Result<DecodedText, Rejection> {
    if plain(text.as_bytes()) {
        return Ok(clean_text(text, clean));
    }
    decode(text.as_bytes())
}

/// Bytes that are text as they are, if UTF-8: not too large, no BOM, no archive, not UTF-16
/// without a BOM, not binary.
fn plain(bytes: &[u8]) -> bool {
    bytes.len() <= MAX_INPUT_BYTES
        && !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        && !bytes.starts_with(&[0xFF, 0xFE])
        && !bytes.starts_with(&[0xFE, 0xFF])
        && archive_kind(bytes).is_none()
        && bomless_utf16(bytes).is_none()
        && !looks_binary(bytes)
}

/// The text cleaned (`clean`: known to need nothing but its BOM removed, found as it arrived).
fn clean_text(text: String, clean: bool) -> DecodedText {
    let mut notes = Vec::new();
    let (text, as_given) = match clean {
        true => without_bom(text),
        false => self::clean(text, &mut notes),
    };
    DecodedText { text, notes, as_given }
}

pub fn decode(bytes: &[u8]) -> Result<DecodedText, Rejection> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Rejection(
            Message::new(Notice::InputTooLarge)
                .with("size", bytes.len() / (1024 * 1024))
                .with("limit", MAX_INPUT_BYTES / (1024 * 1024)),
        ));
    }
    if let Some(what) = archive_kind(bytes) {
        return Err(Rejection(Message::new(Notice::NotText).nest("what", Message::new(what))));
    }
    let mut notes = Vec::new();
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        utf8_lossy(rest, &mut notes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        notes.push(Message::new(Notice::Utf16LeBom));
        utf16(rest, u16::from_le_bytes, &mut notes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        notes.push(Message::new(Notice::Utf16BeBom));
        utf16(rest, u16::from_be_bytes, &mut notes)
    } else if let Some(order) = bomless_utf16(bytes) {
        match order {
            Endian::Little => {
                notes.push(Message::new(Notice::Utf16LeGuessed));
                utf16(bytes, u16::from_le_bytes, &mut notes)
            }
            Endian::Big => {
                notes.push(Message::new(Notice::Utf16BeGuessed));
                utf16(bytes, u16::from_be_bytes, &mut notes)
            }
        }
    } else {
        if looks_binary(bytes) {
            return Err(Rejection(Message::new(Notice::BinaryFile)));
        }
        utf8_lossy(bytes, &mut notes)
    };
    let (text, _) = clean(text, &mut notes);
    Ok(DecodedText { text, notes, as_given: false })
}

fn archive_kind(bytes: &[u8]) -> Option<Notice> {
    const SIGNATURES: &[(&[u8], Notice)] = &[
        (&[0x1F, 0x8B], Notice::FileGzip),
        (b"PK\x03\x04", Notice::FileZip),
        (b"7z\xBC\xAF\x27\x1C", Notice::File7z),
        (b"BZh", Notice::FileBzip2),
        (&[0xFD, b'7', b'z', b'X', b'Z', 0x00], Notice::FileXz),
        (&[0x28, 0xB5, 0x2F, 0xFD], Notice::FileZstd),
        (b"%PDF-", Notice::FilePdf),
        (b"\x89PNG", Notice::FilePng),
        (&[0xFF, 0xD8, 0xFF], Notice::FileJpeg),
        (b"\x7FELF", Notice::FileElf),
        (b"MZ", Notice::FileExe),
        (b"ElfFile\0", Notice::FileEvtx),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
        // "MZ" and "BZh" are short: only believe them when the rest is not text.
        .filter(|what| !matches!(what, Notice::FileExe | Notice::FileElf | Notice::FileBzip2) || looks_binary(bytes))
}

enum Endian {
    Little,
    Big,
}

/// PowerShell and some editors write UTF-16 without a BOM. ASCII-heavy UTF-16 has a zero in every
/// other byte, which UTF-8 text never has.
fn bomless_utf16(bytes: &[u8]) -> Option<Endian> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_odd = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zero_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    if zero_odd * 10 >= pairs * 7 && zero_even * 10 < pairs {
        Some(Endian::Little)
    } else if zero_even * 10 >= pairs * 7 && zero_odd * 10 < pairs {
        Some(Endian::Big)
    } else {
        None
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.is_empty() {
        return false;
    }
    let control = sample.iter().filter(|b| matches!(**b, 0..=8 | 14..=26 | 28..=31 | 127)).count();
    control * 10 > sample.len()
}

fn utf8_lossy(bytes: &[u8], notes: &mut Vec<Message>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let replaced = text.matches('\u{FFFD}').count();
            notes.push(Message::new(Notice::InvalidUtf8).with("n", replaced));
            text
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, notes: &mut Vec<Message>) -> String {
    if bytes.len() % 2 == 1 {
        notes.push(Message::new(Notice::Utf16OddLength));
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut bad = 0usize;
    let text: String = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                bad += 1;
                '\u{FFFD}'
            })
        })
        .collect();
    if bad > 0 {
        notes.push(Message::new(Notice::Utf16Unpaired).with("n", bad));
    }
    text
}

/// Removes NULs and a leading BOM character, turns CRLF into LF. Line numbers are unchanged
/// because a CRLF pair is one line end either way; a lone CR (old Mac) becomes a line end too.
/// Also says whether the text is the one given (there was nothing to do).
fn clean(text: String, notes: &mut Vec<Message>) -> (String, bool) {
    if !needs_cleaning(text.as_bytes()) {
        return without_bom(text);
    }
    let (text, _) = without_bom(text);
    let nuls = text.matches('\0').count();
    if nuls > 0 {
        notes.push(Message::new(Notice::NulRemoved).with("n", nuls));
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\0' => {}
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            c => out.push(c),
        }
    }
    (out, false)
}

/// Whether bytes hold what [`clean`] removes or turns into a line end: a NUL or a carriage
/// return. Most inputs have neither: one vectorised scan, not a char-by-char search; the CLI
/// asks it of each piece of a large file as it is read (`Arrived::clean`).
pub fn needs_cleaning(bytes: &[u8]) -> bool {
    memchr::memchr2(b'\0', b'\r', bytes).is_some()
}

/// The text without its leading BOM character; whether it is the text given.
fn without_bom(text: String) -> (String, bool) {
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (rest.to_string(), false),
        None => (text, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text proven UTF-8 as it arrived reads exactly as its bytes do: clean, with a BOM, CRLF,
    /// NULs, UTF-16 without a BOM (zeros are UTF-8), binary, and an archive's magic; so does a
    /// text found clean as it arrived.
    #[test]
    fn a_text_decodes_as_its_bytes_do() {
        let utf16_without_bom: String =
            utf16le("Patch state: Missing\r\n", false).iter().map(|&b| char::from(b)).collect();
        for text in [
            "plain\nlines",
            "\u{FEFF}with a BOM",
            "windows\r\nline ends\r\n",
            "nul\0bytes\0",
            "日本語 and é",
            utf16_without_bom.as_str(),
            "\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}",
            "PK\u{3}\u{4} not a zip",
            "",
        ] {
            let bytes = decode_owned(text.as_bytes().to_vec());
            assert_eq!(decode_text(text.to_string(), false), bytes, "{text:?}");
            // Found clean as it arrived: the same, without searching it again.
            if !text.contains(['\0', '\r']) {
                assert_eq!(decode_text(text.to_string(), true), bytes, "{text:?}");
            }
        }
    }

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    #[test]
    fn utf16_with_and_without_bom_reads_the_same_text() {
        let text = "2024-01-01 10:00:00 INFO agent started\r\nsecond line\r\n";
        for bom in [true, false] {
            let decoded = decode(&utf16le(text, bom)).expect("text");
            assert_eq!(decoded.text, "2024-01-01 10:00:00 INFO agent started\nsecond line\n");
            assert!(decoded.notes[0].to_string().contains("UTF-16 LE"), "{:?}", decoded.notes);
        }
    }

    #[test]
    fn utf16_be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        for u in "Patch Summary for HOST".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Patch Summary for HOST");
    }

    #[test]
    fn utf8_bom_and_nuls_are_removed() {
        let decoded = decode(b"\xEF\xBB\xBF{\"a\":\x001}").unwrap();
        assert_eq!(decoded.text, "{\"a\":1}");
        assert_eq!(decoded.notes.iter().map(Message::to_string).collect::<Vec<_>>(), ["1 NUL byte removed"]);
        let two =
            decode(b"{\"InstancePatchStates\": [{\"InstanceId\":\x00 \"i-1\",\x00 \"MissingCount\": 1}]}").unwrap();
        assert_eq!(two.notes.iter().map(Message::to_string).collect::<Vec<_>>(), ["2 NUL bytes removed"]);
    }

    #[test]
    fn gzip_is_rejected_with_a_remedy() {
        let err = decode(&[0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]).unwrap_err();
        let err = err.0.to_string();
        assert!(err.contains("gzip") && err.contains("Extract"), "{err}");
    }

    #[test]
    fn binary_is_rejected() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 32) as u8).collect();
        assert!(decode(&bytes).unwrap_err().0.to_string().contains("binary"));
    }

    #[test]
    fn text_starting_with_mz_is_still_text() {
        assert_eq!(decode(b"MZ is not always an exe").unwrap().text, "MZ is not always an exe");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_noted() {
        let decoded = decode(b"caf\xE9 ok").unwrap();
        assert!(decoded.text.contains('\u{FFFD}'));
        assert!(decoded.notes[0].to_string().contains("not valid UTF-8"));
    }
}
