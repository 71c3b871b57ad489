//! Zoho's date literals (`${TODAY}`, `${LASTMONTH}`, `${THISFQ}`, `${AGEINDAYS}+3`, ...) as
//! ranges of days, read from the simulator's clock in the org's time zone.

use crate::clock::{civil_from_days, days_from_civil};

/// "Now" as rules see it: the clock's unix seconds, the org's offset and fiscal year.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Now {
    pub(crate) secs: i64,
    /// The org's offset from UTC, in seconds.
    pub(crate) offset: i64,
    /// The month (1-12) the fiscal year starts in.
    pub(crate) fiscal_start: u32,
}

impl Now {
    /// Today in the org's time zone, as days since 1970-01-01.
    pub(crate) fn today(&self) -> i64 {
        self.local_day(self.secs)
    }

    /// The org-local day of an instant.
    pub(crate) fn local_day(&self, secs: i64) -> i64 {
        (secs + self.offset).div_euclid(86_400)
    }
}

/// Days from `start` to `end`, both included; `None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Days {
    pub(crate) start: Option<i64>,
    pub(crate) end: Option<i64>,
}

impl Days {
    fn span(start: i64, end: i64) -> Days {
        Days {
            start: Some(start),
            end: Some(end),
        }
    }

    fn day(day: i64) -> Days {
        Days::span(day, day)
    }
}

/// What a date literal stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Literal {
    Days(Days),
    /// `${AGEINDAYS}+n`: the date lies n days in the past; ordering compares the age.
    Age(i64),
    /// `${DUEINDAYS}+n`: the date lies n days ahead; ordering compares the days left.
    Due(i64),
}

/// The first day of the month `months` after (or before) `year`-`month`.
fn month_start(year: i64, month: u32, months: i64) -> i64 {
    let index = year * 12 + i64::from(month) - 1 + months;
    days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1)
}

/// The whole months from `months` to `months + count` after `year`-`month`'s start.
fn months(year: i64, month: u32, months: i64, count: i64) -> Days {
    Days::span(
        month_start(year, month, months),
        month_start(year, month, months + count) - 1,
    )
}

/// Parses a literal; `None` when `text` is not one the simulator knows.
pub(crate) fn literal(text: &str, now: Now) -> Option<Literal> {
    let inner = text.strip_prefix("${")?;
    if let Some(days) = inner.strip_prefix("AGEINDAYS}+") {
        return days.parse().ok().map(Literal::Age);
    }
    if let Some(days) = inner.strip_prefix("DUEINDAYS}+") {
        return days.parse().ok().map(Literal::Due);
    }
    let name = inner.strip_suffix('}')?;
    let today = now.today();
    let (year, month, _) = civil_from_days(today);
    // GUESS: weeks start on Sunday (Zoho's default locale); Zoho's docs do not say.
    let week_start = today - (today + 4).rem_euclid(7);
    let fiscal_start = now.fiscal_start.clamp(1, 12);
    let fiscal_year = if month >= fiscal_start {
        year
    } else {
        year - 1
    };
    let into_fiscal_year = i64::from((month + 12 - fiscal_start) % 12);
    let quarter = into_fiscal_year / 3 * 3;
    if let Some((period, count)) = name.split_once(':') {
        let count: i64 = count.parse().ok()?;
        let range = match period {
            "LAST_N_DAYS" => Days::span(today - count, today - 1),
            "NEXT_N_DAYS" => Days::span(today + 1, today + count),
            "LAST_N_WEEKS" => Days::span(week_start - 7 * count, week_start - 1),
            "NEXT_N_WEEKS" => Days::span(week_start + 7, week_start + 7 + 7 * count - 1),
            "LAST_N_MONTHS" => months(year, month, -count, count),
            "NEXT_N_MONTHS" => months(year, month, 1, count),
            "LAST_N_YEARS" => months(year, 1, -12 * count, 12 * count),
            "NEXT_N_YEARS" => months(year, 1, 12, 12 * count),
            _ => return None,
        };
        return Some(Literal::Days(range));
    }
    let range = match name {
        "TODAY" => Days::day(today),
        "TOMORROW" => Days::day(today + 1),
        "YESTERDAY" => Days::day(today - 1),
        "TOMORROWPLUS" => Days {
            start: Some(today + 1),
            end: None,
        },
        "YESTERDAYMINUS" => Days {
            start: None,
            end: Some(today - 1),
        },
        "LASTWEEK" => Days::span(week_start - 7, week_start - 1),
        "THISWEEK" => Days::span(week_start, week_start + 6),
        "NEXTWEEK" => Days::span(week_start + 7, week_start + 13),
        "LASTMONTH" => months(year, month, -1, 1),
        "THISMONTH" => months(year, month, 0, 1),
        "NEXTMONTH" => months(year, month, 1, 1),
        "LASTYEAR" => months(year, 1, -12, 12),
        "THISYEAR" => months(year, 1, 0, 12),
        "NEXTYEAR" => months(year, 1, 12, 12),
        "PREVFY" => months(fiscal_year, fiscal_start, -12, 12),
        "THISFY" => months(fiscal_year, fiscal_start, 0, 12),
        "NEXTFY" => months(fiscal_year, fiscal_start, 12, 12),
        "PREVFQ" => months(fiscal_year, fiscal_start, quarter - 3, 3),
        "THISFQ" => months(fiscal_year, fiscal_start, quarter, 3),
        "NEXTFQ" => months(fiscal_year, fiscal_start, quarter + 3, 3),
        _ => return None,
    };
    Some(Literal::Days(range))
}

#[cfg(test)]
mod tests {
    use super::{Days, Literal, Now, literal};
    use crate::clock::{parse_date, parse_datetime};

    fn day(text: &str) -> i64 {
        parse_date(text).expect("a date")
    }

    fn span(start: &str, end: &str) -> Literal {
        Literal::Days(Days {
            start: Some(day(start)),
            end: Some(day(end)),
        })
    }

    /// Wednesday 2026-02-11, 20:00 UTC: already Thursday the 12th in India.
    fn now(offset: i64, fiscal_start: u32) -> Now {
        Now {
            secs: parse_datetime("2026-02-11T20:00:00Z").expect("a datetime"),
            offset,
            fiscal_start,
        }
    }

    #[test]
    fn every_literal_against_a_fixed_clock() {
        let utc = now(0, 1);
        let cases: &[(&str, Literal)] = &[
            ("${TODAY}", span("2026-02-11", "2026-02-11")),
            ("${TOMORROW}", span("2026-02-12", "2026-02-12")),
            ("${YESTERDAY}", span("2026-02-10", "2026-02-10")),
            (
                "${TOMORROWPLUS}",
                Literal::Days(Days {
                    start: Some(day("2026-02-12")),
                    end: None,
                }),
            ),
            (
                "${YESTERDAYMINUS}",
                Literal::Days(Days {
                    start: None,
                    end: Some(day("2026-02-10")),
                }),
            ),
            ("${LASTWEEK}", span("2026-02-01", "2026-02-07")),
            ("${THISWEEK}", span("2026-02-08", "2026-02-14")),
            ("${NEXTWEEK}", span("2026-02-15", "2026-02-21")),
            ("${LASTMONTH}", span("2026-01-01", "2026-01-31")),
            ("${THISMONTH}", span("2026-02-01", "2026-02-28")),
            ("${NEXTMONTH}", span("2026-03-01", "2026-03-31")),
            ("${LASTYEAR}", span("2025-01-01", "2025-12-31")),
            ("${THISYEAR}", span("2026-01-01", "2026-12-31")),
            ("${NEXTYEAR}", span("2027-01-01", "2027-12-31")),
            ("${PREVFY}", span("2025-01-01", "2025-12-31")),
            ("${THISFY}", span("2026-01-01", "2026-12-31")),
            ("${NEXTFY}", span("2027-01-01", "2027-12-31")),
            ("${PREVFQ}", span("2025-10-01", "2025-12-31")),
            ("${THISFQ}", span("2026-01-01", "2026-03-31")),
            ("${NEXTFQ}", span("2026-04-01", "2026-06-30")),
            ("${LAST_N_DAYS:3}", span("2026-02-08", "2026-02-10")),
            ("${NEXT_N_DAYS:2}", span("2026-02-12", "2026-02-13")),
            ("${LAST_N_WEEKS:2}", span("2026-01-25", "2026-02-07")),
            ("${NEXT_N_WEEKS:1}", span("2026-02-15", "2026-02-21")),
            ("${LAST_N_MONTHS:2}", span("2025-12-01", "2026-01-31")),
            ("${NEXT_N_MONTHS:11}", span("2026-03-01", "2027-01-31")),
            ("${LAST_N_YEARS:2}", span("2024-01-01", "2025-12-31")),
            ("${NEXT_N_YEARS:1}", span("2027-01-01", "2027-12-31")),
            ("${AGEINDAYS}+4", Literal::Age(4)),
            ("${DUEINDAYS}+0", Literal::Due(0)),
        ];
        for (text, expected) in cases {
            assert_eq!(literal(text, utc), Some(*expected), "{text}");
        }
        for unknown in ["${SOMEDAY}", "TODAY", "${LAST_N_DAYS:x}", "${EMPTY}"] {
            assert_eq!(literal(unknown, utc), None, "{unknown}");
        }
    }

    #[test]
    fn the_org_time_zone_decides_what_today_is() {
        let india = now(19_800, 1);
        assert_eq!(
            literal("${TODAY}", india),
            Some(span("2026-02-12", "2026-02-12"))
        );
        let los_angeles = now(-28_800, 1);
        assert_eq!(
            literal("${TODAY}", los_angeles),
            Some(span("2026-02-11", "2026-02-11"))
        );
    }

    #[test]
    fn fiscal_quarters_follow_the_fiscal_year_start() {
        // A fiscal year starting in April: February is in Q4 of FY 2025-26.
        let april = now(0, 4);
        assert_eq!(
            literal("${THISFY}", april),
            Some(span("2025-04-01", "2026-03-31"))
        );
        assert_eq!(
            literal("${THISFQ}", april),
            Some(span("2026-01-01", "2026-03-31"))
        );
        assert_eq!(
            literal("${NEXTFQ}", april),
            Some(span("2026-04-01", "2026-06-30"))
        );
        assert_eq!(
            literal("${PREVFQ}", april),
            Some(span("2025-10-01", "2025-12-31"))
        );
        assert_eq!(
            literal("${PREVFY}", april),
            Some(span("2024-04-01", "2025-03-31"))
        );
        // Starting in February: the 11th is the first day-range of Q1.
        let february = now(0, 2);
        assert_eq!(
            literal("${THISFQ}", february),
            Some(span("2026-02-01", "2026-04-30"))
        );
        assert_eq!(
            literal("${PREVFQ}", february),
            Some(span("2025-11-01", "2026-01-31"))
        );
    }
}
