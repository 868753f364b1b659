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
            let rest = &s[i + 1..];
            let (oh, om) = match rest.len() {
                5 if rest.as_bytes()[2] == b':' => (rest[..2].parse::<i64>().ok()?, rest[3..].parse::<i64>().ok()?),
                4 => (rest[..2].parse::<i64>().ok()?, rest[2..].parse::<i64>().ok()?),
                2 => (rest.parse::<i64>().ok()?, 0),
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

    #[test]
    fn windows_epoch_zero_with_seven_digit_fraction() {
        assert_eq!(parse_iso("1970-01-01T00:00:00.0000000Z"), Some(0.0));
    }
}
