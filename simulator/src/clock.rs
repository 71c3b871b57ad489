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

fn parse_offset(offset: &str) -> Option<i64> {
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
fn civil_from_days(days: i64) -> (i64, u32, u32) {
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

#[cfg(test)]
mod tests {
    use super::format_unix;

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
