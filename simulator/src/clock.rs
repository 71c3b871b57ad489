//! Zoho's timestamp format: ISO-8601 with the org's offset, no milliseconds.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `2024-07-09T20:50:29+05:30` in the given offset (`+HH:MM` / `-HH:MM`).
pub(crate) fn now(offset: &str) -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_unix(secs as i64, offset)
}

/// Formats unix seconds in the given offset; an unparsable offset falls back to `+00:00`.
pub(crate) fn format_unix(secs: i64, offset: &str) -> String {
    let (offset_secs, offset) = match parse_offset(offset) {
        Some(parsed) => (parsed, offset),
        None => (0, "+00:00"),
    };
    let local = secs + offset_secs;
    let days = local.div_euclid(86_400);
    let of_day = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{offset}",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

pub(crate) fn parse_offset(offset: &str) -> Option<i64> {
    let (sign, rest) = match offset.as_bytes().first()? {
        b'+' => (1, &offset[1..]),
        b'-' => (-1, &offset[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = minutes.parse().ok()?;
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// Howard Hinnant's civil-to-days algorithm, the inverse of `civil_from_days`.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `yyyy-MM-dd` into days since 1970-01-01 (a real calendar date only).
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i64 = text[..4].parse().ok()?;
    let month: u32 = text[5..7].parse().ok()?;
    let day: u32 = text[8..10].parse().ok()?;
    let days = days_from_civil(year, month, day);
    (civil_from_days(days) == (year, month, day)).then_some(days)
}

/// Parses `yyyy-MM-ddTHH:mm:ss±HH:MM` (or `Z`) into unix seconds.
pub(crate) fn parse_datetime(text: &str) -> Option<i64> {
    let days = parse_date(text.get(..10)?)?;
    let rest = text.get(10..)?.strip_prefix('T')?;
    let time = rest.get(..8)?;
    let zone = rest.get(8..)?;
    let mut parts = time.split(':');
    let hours: i64 = parts.next()?.parse().ok()?;
    let minutes: i64 = parts.next()?.parse().ok()?;
    let seconds: i64 = parts.next()?.parse().ok()?;
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let offset = if zone == "Z" { 0 } else { parse_offset(zone)? };
    Some(days * 86_400 + hours * 3600 + minutes * 60 + seconds - offset)
}

/// The simulator's clock: the system's, or one a test sets and moves by hand. Rule jobs move
/// through their states on it, and date literals (`${TODAY}`, `${THISFQ}`) are read from it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) enum Clock {
    #[default]
    System,
    /// Stopped at these unix seconds until set or advanced again.
    Manual(i64),
}

impl Clock {
    /// Unix seconds now.
    pub(crate) fn now(self) -> i64 {
        match self {
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            Clock::Manual(secs) => secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{format_unix, parse_date, parse_datetime};

    #[test]
    fn parses_dates_and_datetimes() {
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-2-29"), None);
        assert_eq!(
            parse_datetime("2024-07-09T20:50:29+05:30"),
            Some(1_720_538_429)
        );
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_datetime("1970-01-01T24:00:00Z"), None);
    }

    #[test]
    fn formats_with_offset() {
        assert_eq!(
            format_unix(1_720_538_429, "+05:30"),
            "2024-07-09T20:50:29+05:30"
        );
        assert_eq!(format_unix(0, "+00:00"), "1970-01-01T00:00:00+00:00");
        assert_eq!(format_unix(0, "-08:00"), "1969-12-31T16:00:00-08:00");
        assert_eq!(format_unix(0, "bogus"), "1970-01-01T00:00:00+00:00");
    }
}
