//! Calendar arithmetic for rule evaluation: civil dates as day numbers (days since
//! 1970-01-01, proleptic Gregorian), Zoho's date and datetime texts, and "now" as rules see it.

/// "Now" as a territory rule sees it: an instant, the org's offset from UTC and the month its
/// fiscal year starts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    /// Unix seconds.
    pub unix: i64,
    /// The org's offset from UTC, in seconds.
    pub offset_secs: i64,
    /// 1 (January) to 12.
    pub fiscal_start_month: u32,
}

impl Clock {
    /// The org-local day number of an instant.
    #[must_use]
    pub fn day_of(&self, unix: i64) -> i64 {
        (unix + self.offset_secs).div_euclid(86_400)
    }

    /// Today, in the org's time zone.
    #[must_use]
    pub fn today(&self) -> i64 {
        self.day_of(self.unix)
    }
}

/// The day number of a civil date (Hinnant's `days_from_civil`).
#[must_use]
pub fn day_number(year: i64, month: u32, day: u32) -> i64 {
    let shifted_year = if month > 2 { year } else { year - 1 };
    let era = shifted_year.div_euclid(400);
    let year_of_era = shifted_year - era * 400;
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date of a day number (Hinnant's `civil_from_days`).
#[must_use]
pub fn civil(day: i64) -> (i64, u32, u32) {
    let shifted = day + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day_of_month = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month as u32, day_of_month as u32)
}

/// `yyyy-MM-dd` as a day number; `None` when it is not a real date in that form.
#[must_use]
pub fn parse_day(text: &str) -> Option<i64> {
    let (year, rest) = text.split_once('-')?;
    let (month, day) = rest.split_once('-')?;
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(year) && all_digits(month) && all_digits(day)) {
        return None;
    }
    let (year, month, day) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    let number = day_number(year, month, day);
    (civil(number) == (year, month, day)).then_some(number)
}

/// `+HH:MM` or `-HH:MM` as seconds.
#[must_use]
pub fn parse_offset(text: &str) -> Option<i64> {
    let sign = match text.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let (hours, minutes) = text[1..].split_once(':')?;
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = minutes.parse().ok()?;
    (hours <= 14 && (0..60).contains(&minutes)).then_some(sign * (hours * 3_600 + minutes * 60))
}

/// `yyyy-MM-ddTHH:mm:ss` with `Z` or `±HH:MM`, as unix seconds.
#[must_use]
pub fn parse_instant(text: &str) -> Option<i64> {
    let (date, time) = text.split_once('T')?;
    let day = parse_day(date)?;
    let clock = time.get(..8)?;
    let zone = time.get(8..)?;
    let parts: Vec<&str> = clock.split(':').collect();
    let [hours, minutes, seconds] = parts.as_slice() else {
        return None;
    };
    let (hours, minutes, seconds): (i64, i64, i64) = (
        hours.parse().ok()?,
        minutes.parse().ok()?,
        seconds.parse().ok()?,
    );
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let offset = if zone == "Z" { 0 } else { parse_offset(zone)? };
    Some(day * 86_400 + hours * 3_600 + minutes * 60 + seconds - offset)
}

#[cfg(test)]
mod tests {
    use super::{civil, day_number, parse_day, parse_instant, parse_offset};

    #[test]
    fn days_round_trip_across_leap_years_and_eras() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2000, 2, 29), 11_016);
        for day in -800_000..800_000 {
            if day % 997 == 0 {
                let (y, m, d) = civil(day);
                assert_eq!(day_number(y, m, d), day);
            }
        }
    }

    #[test]
    fn texts_parse_only_when_real() {
        assert_eq!(parse_day("2026-02-11"), Some(day_number(2026, 2, 11)));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("2026-2-11"), None);
        assert_eq!(parse_offset("+05:30"), Some(19_800));
        assert_eq!(parse_offset("05:30"), None);
        assert_eq!(
            parse_instant("2026-02-11T20:00:00+05:30"),
            Some(day_number(2026, 2, 11) * 86_400 + 20 * 3_600 - 19_800)
        );
        assert_eq!(parse_instant("2026-02-11T24:00:00Z"), None);
        assert_eq!(parse_instant("2026-02-11"), None);
    }
}
