//! Zoho's date literals in rule values (`${TODAY}`, `${LASTMONTH}`, `${THISFQ}`,
//! `${LAST_N_DAYS:7}`, `${AGEINDAYS}+3`, ...), as the days they stand for on a [`Clock`].
//!
//! Weeks start on Sunday and fiscal quarters count from the fiscal year's first month; the
//! Update Territories page lists the literals, not these details.

use super::calendar::{Clock, civil, day_number};

/// Days from `first` to `last`, both included; `None` is open-ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRange {
    pub first: Option<i64>,
    pub last: Option<i64>,
}

impl DayRange {
    fn closed(first: i64, last: i64) -> Self {
        Self {
            first: Some(first),
            last: Some(last),
        }
    }

    /// One day.
    #[must_use]
    pub fn single(day: i64) -> Self {
        Self::closed(day, day)
    }
}

/// What a literal means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateLiteral {
    Range(DayRange),
    /// `${AGEINDAYS}+n`: compared as the date's age in days.
    AgeInDays(i64),
    /// `${DUEINDAYS}+n`: compared as the days until the date.
    DueInDays(i64),
}

/// Whether a text is written as a literal at all (`${...}`), known or not.
#[must_use]
pub fn looks_like_literal(text: &str) -> bool {
    text.starts_with("${")
}

/// The range of `count` whole months starting `from` months after the month `(year, month)`.
fn month_span(year: i64, month: u32, from: i64, count: i64) -> DayRange {
    let first_of = |offset: i64| {
        let index = year * 12 + i64::from(month - 1) + offset;
        day_number(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
    };
    DayRange::closed(first_of(from), first_of(from + count) - 1)
}

/// Reads a date literal; `None` for any other text (including `${EMPTY}`).
#[must_use]
pub fn date_literal(text: &str, clock: &Clock) -> Option<DateLiteral> {
    let body = text.strip_prefix("${")?;
    if let Some(n) = body.strip_prefix("AGEINDAYS}+") {
        return n.parse().ok().map(DateLiteral::AgeInDays);
    }
    if let Some(n) = body.strip_prefix("DUEINDAYS}+") {
        return n.parse().ok().map(DateLiteral::DueInDays);
    }
    let name = body.strip_suffix('}')?;
    let today = clock.today();
    let (year, month, _) = civil(today);
    // 1970-01-01 was a Thursday: (day + 4) mod 7 is 0 on Sundays.
    let sunday = today - (today + 4).rem_euclid(7);
    let fiscal_month = clock.fiscal_start_month.clamp(1, 12);
    let fiscal_year = if month >= fiscal_month {
        year
    } else {
        year - 1
    };
    let months_into_fiscal_year = i64::from((month + 12 - fiscal_month) % 12);
    let quarter_start = months_into_fiscal_year - months_into_fiscal_year % 3;
    let range = if let Some((period, n)) = name.split_once(':') {
        let n: i64 = n.parse().ok()?;
        match period {
            "LAST_N_DAYS" => DayRange::closed(today - n, today - 1),
            "NEXT_N_DAYS" => DayRange::closed(today + 1, today + n),
            "LAST_N_WEEKS" => DayRange::closed(sunday - 7 * n, sunday - 1),
            "NEXT_N_WEEKS" => DayRange::closed(sunday + 7, sunday + 6 + 7 * n),
            "LAST_N_MONTHS" => month_span(year, month, -n, n),
            "NEXT_N_MONTHS" => month_span(year, month, 1, n),
            "LAST_N_YEARS" => month_span(year, 1, -12 * n, 12 * n),
            "NEXT_N_YEARS" => month_span(year, 1, 12, 12 * n),
            _ => return None,
        }
    } else {
        match name {
            "TODAY" => DayRange::single(today),
            "TOMORROW" => DayRange::single(today + 1),
            "YESTERDAY" => DayRange::single(today - 1),
            "TOMORROWPLUS" => DayRange {
                first: Some(today + 1),
                last: None,
            },
            "YESTERDAYMINUS" => DayRange {
                first: None,
                last: Some(today - 1),
            },
            "LASTWEEK" => DayRange::closed(sunday - 7, sunday - 1),
            "THISWEEK" => DayRange::closed(sunday, sunday + 6),
            "NEXTWEEK" => DayRange::closed(sunday + 7, sunday + 13),
            "LASTMONTH" => month_span(year, month, -1, 1),
            "THISMONTH" => month_span(year, month, 0, 1),
            "NEXTMONTH" => month_span(year, month, 1, 1),
            "LASTYEAR" => month_span(year, 1, -12, 12),
            "THISYEAR" => month_span(year, 1, 0, 12),
            "NEXTYEAR" => month_span(year, 1, 12, 12),
            "PREVFY" => month_span(fiscal_year, fiscal_month, -12, 12),
            "THISFY" => month_span(fiscal_year, fiscal_month, 0, 12),
            "NEXTFY" => month_span(fiscal_year, fiscal_month, 12, 12),
            "PREVFQ" => month_span(fiscal_year, fiscal_month, quarter_start - 3, 3),
            "THISFQ" => month_span(fiscal_year, fiscal_month, quarter_start, 3),
            "NEXTFQ" => month_span(fiscal_year, fiscal_month, quarter_start + 3, 3),
            _ => return None,
        }
    };
    Some(DateLiteral::Range(range))
}

#[cfg(test)]
mod tests {
    use super::{DateLiteral, DayRange, date_literal};
    use crate::impact::calendar::{Clock, parse_day, parse_instant};

    fn clock(offset_secs: i64, fiscal_start_month: u32) -> Clock {
        Clock {
            unix: parse_instant("2026-02-11T20:00:00Z").unwrap(),
            offset_secs,
            fiscal_start_month,
        }
    }

    fn days(first: &str, last: &str) -> Option<DateLiteral> {
        Some(DateLiteral::Range(DayRange {
            first: parse_day(first),
            last: parse_day(last),
        }))
    }

    #[test]
    fn literals_on_a_wednesday_in_february() {
        let utc = clock(0, 1);
        for (text, expected) in [
            ("${TODAY}", days("2026-02-11", "2026-02-11")),
            ("${THISWEEK}", days("2026-02-08", "2026-02-14")),
            ("${LASTMONTH}", days("2026-01-01", "2026-01-31")),
            ("${THISFQ}", days("2026-01-01", "2026-03-31")),
            ("${LAST_N_WEEKS:2}", days("2026-01-25", "2026-02-07")),
            ("${NEXT_N_MONTHS:11}", days("2026-03-01", "2027-01-31")),
            ("${PREVFY}", days("2025-01-01", "2025-12-31")),
            ("${AGEINDAYS}+4", Some(DateLiteral::AgeInDays(4))),
            ("${EMPTY}", None),
            ("${LAST_N_DAYS:x}", None),
        ] {
            assert_eq!(date_literal(text, &utc), expected, "{text}");
        }
        // Already Thursday in India; an April fiscal year puts February in its last quarter.
        assert_eq!(
            date_literal("${TODAY}", &clock(19_800, 1)),
            days("2026-02-12", "2026-02-12")
        );
        assert_eq!(
            date_literal("${THISFY}", &clock(0, 4)),
            days("2025-04-01", "2026-03-31")
        );
        assert_eq!(
            date_literal("${NEXTFQ}", &clock(0, 4)),
            days("2026-04-01", "2026-06-30")
        );
    }
}
