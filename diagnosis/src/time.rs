//! Timestamps in both AWS CLI styles: epoch floats (CLI v1, `wire`) and ISO 8601 with offset
//! (CLI v2), without a date library. Impossible dates (`2021-08-046T...`, as in one AWS docs
//! sample) are kept as text with `epoch: None` so the caller can say so. A leaf module: it
//! depends on nothing else in the crate.

/// A point in time, from either CLI style (epoch float or ISO 8601), kept with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Timestamp {
    /// Seconds since the Unix epoch (UTC); None when the text is not a real date.
    pub epoch: Option<f64>,
    pub text: String,
}

impl Timestamp {
    /// A CLI v1 (`wire`) epoch value, shown in ISO form next to CLI v2 values.
    pub fn from_epoch(epoch: f64) -> Timestamp {
        Timestamp { epoch: Some(epoch), text: format_epoch(epoch) }
    }
}

/// A time's text trimmed, and its seconds since the epoch when it is a real date.
pub fn parse_parts(text: &str) -> (Option<f64>, &str) {
    let trimmed = text.trim();
    (trimmed.parse::<f64>().ok().or_else(|| parse_iso(trimmed)), trimmed)
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH:MM|±HHMM]`; a date alone is midnight UTC.
pub fn parse_iso(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) as f64 * 86_400.0;
    if b.len() == 10 {
        return Some(secs);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (h, m, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    secs += (h * 3600 + m * 60 + sec) as f64;
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i;
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        secs += s[start..i].parse::<f64>().unwrap_or(0.0);
    }
    match b.get(i) {
        None => Some(secs),
        Some(b'Z' | b'z') if i + 1 == b.len() => Some(secs),
        Some(sign @ (b'+' | b'-')) => {
            // The offset's digits, read by `num`: only ASCII digits where they are, so an offset
            // cut inside a character (`+\u{FFFD}0`, from bytes that were not UTF-8) is none,
            // where slicing the text there panicked.
            let at = i + 1;
            let (oh, om) = match b.len() - at {
                5 if b[at + 2] == b':' => (num(at, 2)?, num(at + 3, 2)?),
                4 => (num(at, 2)?, num(at + 2, 2)?),
                2 => (num(at, 2)?, 0),
                _ => return None,
            };
            let offset = (oh * 3600 + om * 60) as f64;
            Some(if *sign == b'+' { secs - offset } else { secs + offset })
        }
        _ => None,
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// ISO 8601 durations as Run Command prints them (`PT0.091S`, `PT1H2M3.5S`, `P1DT2H`), in
/// seconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    let rest = text.trim().strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = 0.0;
    let mut read = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
            } else {
                let (_, scale) = units.iter().find(|(u, _)| *u == c)?;
                total += number.parse::<f64>().ok()? * scale;
                number.clear();
            }
        }
        number.is_empty().then_some(())
    };
    read(date, &[('D', 86_400.0), ('W', 604_800.0)])?;
    read(time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
    Some(total)
}

/// ISO 8601 UTC rendering of an epoch, for display next to CLI v1 values.
pub fn format_epoch(epoch: f64) -> String {
    let secs = epoch.floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The text of an ISO 8601 time, `YYYY-MM-DDTHH:MM:SS[.f…][Z|±HH:MM]`, in 15 bytes: its
/// digits two to a byte. A fleet's findings quote a time each (`2026-10-04T21:54:53.341390+00:00`,
/// 32 bytes: past what a short text holds inline), so each would otherwise be an allocation.
/// Written back, it is the same text, byte for byte ([`PackedTime::pack`] checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PackedTime([u8; 15]);

/// The separators of `YYYY-MM-DDTHH:MM:SS` (14 digits), by position.
const LAYOUT: &[u8; 19] = b"0000-00-00T00:00:00";
/// How the text ends: `Z`, an offset (`+` or `-`), or nothing.
const ZONES: [u8; 4] = [b'Z', b'+', b'-', 0];

/// The longest text a packed time writes: `YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM`.
const PACKED_TEXT: usize = 35;

impl PackedTime {
    /// The packed text, if it has that form. Allocates nothing: a fleet packs one per finding.
    pub fn pack(text: &str) -> Option<PackedTime> {
        let b = text.as_bytes();
        if b.len() < LAYOUT.len() || b.len() > PACKED_TEXT {
            return None;
        }
        let mut digits = [0u8; 28];
        let mut count = 0;
        let mut push = |c: u8| {
            digits[count] = c - b'0';
            count += 1;
        };
        for (&c, &l) in b.iter().zip(LAYOUT) {
            match l {
                b'0' if c.is_ascii_digit() => push(c),
                _ if l != b'0' && c == l => {}
                _ => return None,
            }
        }
        let mut rest = &b[LAYOUT.len()..];
        let mut fraction = 0;
        if let Some(after) = rest.strip_prefix(b".") {
            fraction = after.iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&fraction) {
                return None;
            }
            after[..fraction].iter().for_each(|&c| push(c));
            rest = &after[fraction..];
        }
        let zone = match rest {
            [] => 3,
            [b'Z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) => {
                [h1, h2, m1, m2].iter().for_each(|&&c| push(c));
                if *sign == b'+' {
                    1
                } else {
                    2
                }
            }
            _ => return None,
        };
        let mut packed = [0u8; 15];
        packed[0] = fraction as u8 | (zone << 4);
        for (i, pair) in digits[..count].chunks(2).enumerate() {
            packed[1 + i] = pair[0] << 4 | pair.get(1).copied().unwrap_or(0);
        }
        let packed = PackedTime(packed);
        // The form read is the form written: the layout's separators, 1-9 fraction digits,
        // and the zone as given (`pack_is_the_form_written_back`, a proptest, holds it to that).
        debug_assert!(packed.written_is(b), "{text} packs and writes back");
        Some(packed)
    }

    /// Whether it writes `text` back, byte for byte.
    fn written_is(&self, text: &[u8]) -> bool {
        let (written, len) = self.written();
        written[..len] == *text
    }

    /// The text it holds, as bytes, and their length.
    fn written(&self) -> ([u8; PACKED_TEXT], usize) {
        let fraction = usize::from(self.0[0] & 0x0f);
        let zone = ZONES[usize::from(self.0[0] >> 4) & 3];
        // The digits two to a byte after the first, the high half first.
        let digit = |i: usize| {
            let byte = self.0.get(1 + i / 2).copied().unwrap_or(0);
            b'0' + if i.is_multiple_of(2) { byte >> 4 } else { byte & 0x0f }
        };
        let mut text = [0u8; PACKED_TEXT];
        let mut next = 0;
        for (at, &l) in LAYOUT.iter().enumerate() {
            text[at] = if l == b'0' {
                next += 1;
                digit(next - 1)
            } else {
                l
            };
        }
        let mut len = LAYOUT.len();
        if fraction > 0 {
            text[len] = b'.';
            for k in 0..fraction {
                text[len + 1 + k] = digit(next + k);
            }
            len += 1 + fraction;
            next += fraction;
        }
        match zone {
            0 => {}
            b'Z' => {
                text[len] = b'Z';
                len += 1;
            }
            sign => {
                let [h1, h2, m1, m2] = [0, 1, 2, 3].map(|k| digit(next + k));
                text[len..len + 6].copy_from_slice(&[sign, h1, h2, b':', m1, m2]);
                len += 6;
            }
        }
        (text, len)
    }
}

impl std::fmt::Display for PackedTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (text, len) = self.written();
        // Only digits and the layout's ASCII were written.
        f.write_str(std::str::from_utf8(&text[..len]).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_cli_styles_agree() {
        // CLI v2 prints the offset; v1 prints the same instant as an epoch float.
        let iso = parse_iso("2021-08-04T11:03:50.590000-07:00").unwrap();
        assert!((iso - 1_628_100_230.59).abs() < 1e-6, "{iso}");
        assert_eq!(format_epoch(1_550_408_470.0), "2019-02-17T13:01:10Z");
        assert_eq!(parse_iso("2020-02-19T18:18:03.419Z").map(|s| s.floor()), Some(1_582_136_283.0));
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert_eq!(parse_iso("2021-08-046T11:03:50.590000-07:00"), None);
        assert_eq!(parse_iso("2021-02-30T00:00:00Z"), None);
        assert!(parse_parts(" 2021-08-046T11:03:50").0.is_none());
        assert_eq!(parse_parts(" 2021-08-04T11:03:50Z ").1, "2021-08-04T11:03:50Z");
    }

    #[test]
    fn iso_durations() {
        assert_eq!(parse_duration("PT0.091S"), Some(0.091));
        assert_eq!(parse_duration("PT1H2M3S"), Some(3723.0));
        assert_eq!(parse_duration("P1DT1S"), Some(86_401.0));
        assert_eq!(parse_duration("1 second"), None);
    }

    /// An offset is two digits, a colon and two, four digits or two; anything else in its
    /// place, a character of several bytes among it included, is no time (and no panic: the
    /// logs fuzz target found `+\u{FFFD}0`, four bytes, sliced inside its first character).
    #[test]
    fn an_offset_is_digits_or_no_time() {
        for (text, want) in [
            ("2026-11-19T03:00:05+01:30", Some(1_795_051_805.0)),
            ("2026-11-19T03:00:05+0130", Some(1_795_051_805.0)),
            ("2026-11-19T03:00:05-05", Some(1_795_075_205.0)),
            ("2026-11-19T03:00:05+\u{FFFD}0", None),
            ("2026-11-19T03:00:05+0\u{FFFD}", None),
            ("2026-11-19T03:00:05+é:00", None),
            ("2026-11-19T03:00:05+1é0", None),
            ("2026-11-19T03:00:05++1:00", None),
            ("2026-11-19T03:00:05+01:3", None),
        ] {
            assert_eq!(parse_iso(text), want, "{text}");
        }
    }

    #[test]
    fn windows_epoch_zero_with_seven_digit_fraction() {
        assert_eq!(parse_iso("1970-01-01T00:00:00.0000000Z"), Some(0.0));
    }

    proptest::proptest! {
        /// What packs is exactly the ISO form (JSON's times: the layout, 1-9 fraction digits,
        /// `Z`, an offset or no zone), and it writes back byte for byte; nothing else packs.
        #[test]
        fn pack_is_the_form_written_back(
            text in r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{0,11})?(Z|[+-][0-9]{2}:?[0-9]{2}|x|)( ?)",
        ) {
            let form = regex::Regex::new(
                r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?$",
            )
            .unwrap();
            let packed = super::PackedTime::pack(&text);
            proptest::prop_assert_eq!(packed.is_some(), form.is_match(&text), "{}", text);
            if let Some(packed) = packed {
                proptest::prop_assert_eq!(packed.to_string(), text);
            }
        }
    }

    #[test]
    fn a_packed_time_writes_back_its_own_text() {
        for text in [
            "2026-10-04T21:54:53.341390+00:00",
            "2021-09-13T17:20:35.563000-07:00",
            "2024-02-29T00:00:00Z",
            "2024-02-29T23:59:59.123456789Z",
            "2026-01-01T00:00:01.5+05:30",
            "1999-12-31T23:59:59",
        ] {
            let packed = super::PackedTime::pack(text).unwrap_or_else(|| panic!("{text} packs"));
            assert_eq!(packed.to_string(), text);
        }
        // What is not that form stays text.
        for text in [
            "",
            "yesterday",
            "2026-10-04 21:54:53Z",
            "2026-10-04T21:54:53.+00:00",
            "2026-10-04T21:54:53.1234567890Z",
            "2026-10-04T21:54:53+0000",
            "2026-10-04T21:54:53Z ",
            "2021-08-046T10:00:00Z",
            "1629900000.5",
        ] {
            assert_eq!(super::PackedTime::pack(text), None, "{text}");
        }
    }
}
