//! Whether a conjunction of criteria can match any record, decided without records.
//!
//! The criteria are put in disjunctive normal form; a term (a conjunction of rules) is
//! unsatisfiable when the rules on one field contradict each other. Decided exactly for
//! equality and membership (`equal`, `not_equal`, `in`, `not_in`), numeric and date ranges
//! (`less_than` ... `between`, `not_between`), checkboxes, and `${EMPTY}` / `${NOTEMPTY}`;
//! text operators (`contains`, `starts_with`, `ends_with`, `like`) only say that the field is
//! not empty, so two text operators are never called contradictory. Whatever cannot be decided
//! (date literals, datetimes, lookups by name, a term too large) counts as satisfiable: a
//! "can never match" is only ever said when no record can match.
//!
//! Field types are unknown offline. A multi-select picklist holds several values, so two
//! `in` lists that do not overlap may still both match one record: they are called
//! contradictory only when a field is known to hold one value ([`Kinds`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::impact::calendar::{civil, parse_day};
use crate::model::{Comparator, Criteria, GroupOperator, Rule, RuleValue, Scalar};

/// Most terms a criteria's normal form may have before the analysis gives up (and claims
/// nothing).
const MAX_TERMS: usize = 512;

/// What is known of the fields' types: the api names (lower case) of fields that hold more
/// than one value (multi-select picklists and lookups). `None`: nothing is known (offline),
/// so any field may.
#[derive(Clone, Debug, Default)]
pub struct Kinds {
    pub multi_valued: Option<BTreeSet<String>>,
}

impl Kinds {
    fn single_valued(&self, field: &str) -> bool {
        self.multi_valued
            .as_ref()
            .is_some_and(|multi| !multi.contains(field))
    }
}

/// The criteria's normal form: a list of terms, each a list of rules all of which must hold.
/// `None` when it has more than [`MAX_TERMS`] terms.
fn terms(criteria: &Criteria) -> Option<Vec<Vec<&Rule>>> {
    match criteria {
        Criteria::Rule(rule) => Some(vec![vec![rule]]),
        Criteria::Group {
            operator: GroupOperator::Or,
            items,
        } => {
            let mut out = Vec::new();
            for item in items {
                out.extend(terms(item)?);
                if out.len() > MAX_TERMS {
                    return None;
                }
            }
            Some(out)
        }
        Criteria::Group {
            operator: GroupOperator::And,
            items,
        } => conjunction(&items.iter().collect::<Vec<_>>()),
    }
}

/// The terms of a conjunction of criteria.
fn conjunction<'a>(all: &[&'a Criteria]) -> Option<Vec<Vec<&'a Rule>>> {
    let mut out: Vec<Vec<&Rule>> = vec![Vec::new()];
    for criteria in all {
        let next = terms(criteria)?;
        if out.len() * next.len() > MAX_TERMS {
            return None;
        }
        out = out
            .iter()
            .flat_map(|left| {
                next.iter().map(move |right| {
                    let mut term = left.clone();
                    term.extend(right.iter().copied());
                    term
                })
            })
            .collect();
    }
    Some(out)
}

/// Whether no record can meet every one of `all`: `true` only when that is certain.
#[must_use]
pub fn never_matches(all: &[&Criteria], kinds: &Kinds) -> bool {
    conjunction(all).is_some_and(|terms| terms.iter().all(|term| solve_term(term, kinds).is_none()))
}

/// A record (field values by api name) that may meet every one of `all`, to be checked with
/// the evaluator: one per satisfiable term, at most `limit`.
#[must_use]
pub fn candidates(all: &[&Criteria], kinds: &Kinds, limit: usize) -> Vec<BTreeMap<String, Value>> {
    conjunction(all)
        .map(|terms| {
            terms
                .iter()
                .filter_map(|term| solve_term(term, kinds))
                .take(limit)
                .collect()
        })
        .unwrap_or_default()
}

/// A value as compared: a number when it reads as one, else its text in lower case.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
enum Canon {
    Number(f64),
    Text(String),
}

/// A value as equality sees it. Dates become their day number; `None` for what equality
/// cannot decide: date literals (`${TODAY}` and `${THISMONTH}` share days), datetimes (a date
/// field compares their day), checkboxes.
fn canon(scalar: &Scalar) -> Option<(Canon, Value)> {
    let (text, original) = match scalar {
        Scalar::Text(text) => (text.as_str(), json!(text)),
        Scalar::Number(text) => (text.as_str(), json!(text.parse::<f64>().ok()?)),
        Scalar::Lookup { id, .. } => (id.as_str(), json!({"id": id})),
        Scalar::Bool(_) => return None,
    };
    if text.starts_with("${") || crate::impact::calendar::parse_instant(text).is_some() {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "day numbers are small")]
    if let Some(day) = parse_day(text) {
        return Some((Canon::Number(day as f64), original));
    }
    Some(match text.trim().parse::<f64>() {
        Ok(number) if number.is_finite() => (Canon::Number(number), original),
        _ => (Canon::Text(text.to_lowercase()), original),
    })
}

fn values(value: &RuleValue) -> &[Scalar] {
    match value {
        RuleValue::One(one) => std::slice::from_ref(one),
        RuleValue::Many(many) => many,
    }
}

/// A point on an ordered axis (a number, or a day number for dates).
fn ordinal(scalar: &Scalar) -> Option<(f64, bool)> {
    match scalar {
        Scalar::Number(text) => text.parse().ok().map(|n| (n, false)),
        Scalar::Text(text) => match text.trim().parse::<f64>() {
            Ok(number) => Some((number, false)),
            #[expect(clippy::cast_precision_loss, reason = "day numbers are small")]
            Err(_) => parse_day(text).map(|day| (day as f64, true)),
        },
        Scalar::Bool(_) | Scalar::Lookup { .. } => None,
    }
}

/// One side of an interval.
#[derive(Clone, Copy, Debug)]
struct Bound {
    at: f64,
    closed: bool,
}

/// What the rules of one term say about one field.
#[derive(Default)]
struct Field {
    needs_value: bool,
    needs_empty: bool,
    /// Give up on this field: it is satisfiable as far as the analysis knows.
    unknown: bool,
    // Checkbox values still possible (`None`: no checkbox rule).
    checkbox: Option<BTreeSet<bool>>,
    // Equality and membership.
    equal_one: Vec<(Canon, Value)>,
    in_sets: Vec<Vec<(Canon, Value)>>,
    /// From `not_in`: none of these (on a multi-select: holds none of them).
    excluded: Vec<Canon>,
    /// From `not_equal`, per rule: not this value (on a multi-select: not exactly this set).
    not_equal: Vec<Vec<Canon>>,
    // Ranges.
    ordered: bool,
    dates: bool,
    low: Option<Bound>,
    high: Option<Bound>,
    out_of: Vec<(f64, f64)>,
    // Text operators, for building an example.
    prefix: Option<String>,
    suffix: Option<String>,
    parts: Vec<String>,
}

fn tighter_low(current: Option<Bound>, new: Bound) -> Option<Bound> {
    Some(match current {
        Some(old) if old.at > new.at || (old.at == new.at && !old.closed) => old,
        _ => new,
    })
}

fn tighter_high(current: Option<Bound>, new: Bound) -> Option<Bound> {
    Some(match current {
        Some(old) if old.at < new.at || (old.at == new.at && !old.closed) => old,
        _ => new,
    })
}

impl Field {
    fn add(&mut self, rule: &Rule) {
        let given = values(&rule.value);
        if let [Scalar::Text(marker)] = given {
            match (marker.as_str(), rule.comparator) {
                ("${EMPTY}", Comparator::Equal) => {
                    self.needs_empty = true;
                    return;
                }
                ("${EMPTY}", Comparator::NotEqual) | ("${NOTEMPTY}", _) => {
                    self.needs_value = true;
                    return;
                }
                _ => {}
            }
        }
        if given.iter().any(|scalar| matches!(scalar, Scalar::Bool(_))) {
            self.add_checkbox(rule.comparator, given);
            return;
        }
        if given
            .iter()
            .any(|scalar| matches!(scalar, Scalar::Text(text) if parse_day(text).is_some()))
        {
            self.dates = true;
        }
        use Comparator as C;
        match rule.comparator {
            C::Equal | C::In => {
                self.needs_value = true;
                let set: Option<Vec<(Canon, Value)>> = given.iter().map(canon).collect();
                match set {
                    Some(set) if set.len() == 1 && rule.comparator == C::Equal => {
                        self.equal_one.extend(set);
                    }
                    Some(set) => self.in_sets.push(set),
                    None => self.unknown = true,
                }
            }
            C::NotEqual | C::NotIn => match given.iter().map(canon).collect::<Option<Vec<_>>>() {
                Some(set) if rule.comparator == C::NotIn => {
                    self.excluded
                        .extend(set.into_iter().map(|(canon, _)| canon));
                }
                Some(set) => self
                    .not_equal
                    .push(set.into_iter().map(|(canon, _)| canon).collect()),
                None => self.unknown = true,
            },
            C::LessThan | C::LessEqual | C::GreaterThan | C::GreaterEqual => {
                self.needs_value = true;
                self.ordered = true;
                let Some((at, date)) = given.first().and_then(ordinal) else {
                    // A date literal or a datetime: not decided, only "not empty".
                    return;
                };
                self.dates |= date;
                let closed = matches!(rule.comparator, C::LessEqual | C::GreaterEqual);
                let bound = Bound { at, closed };
                if matches!(rule.comparator, C::LessThan | C::LessEqual) {
                    self.high = tighter_high(self.high, bound);
                } else {
                    self.low = tighter_low(self.low, bound);
                }
            }
            C::Between | C::NotBetween => {
                let pair: Option<Vec<(f64, bool)>> = given.iter().map(ordinal).collect();
                let positive = rule.comparator == C::Between;
                self.needs_value |= positive;
                self.ordered = true;
                let Some([(low, date_low), (high, date_high)]) = pair.as_deref() else {
                    return;
                };
                self.dates |= *date_low || *date_high;
                if positive {
                    self.low = tighter_low(
                        self.low,
                        Bound {
                            at: *low,
                            closed: true,
                        },
                    );
                    self.high = tighter_high(
                        self.high,
                        Bound {
                            at: *high,
                            closed: true,
                        },
                    );
                } else {
                    self.out_of.push((*low, *high));
                }
            }
            C::StartsWith | C::EndsWith | C::Contains | C::Like => {
                self.needs_value = true;
                let text = given.iter().find_map(|scalar| match scalar {
                    Scalar::Text(text) | Scalar::Number(text) => Some(text.clone()),
                    _ => None,
                });
                if let Some(text) = text {
                    match rule.comparator {
                        C::StartsWith => self.prefix = Some(text),
                        C::EndsWith => self.suffix = Some(text),
                        _ => self.parts.push(text),
                    }
                }
            }
            C::IncludeAll | C::IncludeAny => self.needs_value = true,
            C::NotContains | C::NotLike | C::ExcludeAll | C::ExcludeAny => {}
        }
    }

    fn add_checkbox(&mut self, comparator: Comparator, given: &[Scalar]) {
        let named: BTreeSet<bool> = given
            .iter()
            .filter_map(|scalar| match scalar {
                Scalar::Bool(flag) => Some(*flag),
                _ => None,
            })
            .collect();
        let allowed: BTreeSet<bool> = match comparator {
            Comparator::Equal => named,
            Comparator::NotEqual => [true, false]
                .into_iter()
                .filter(|flag| !named.contains(flag))
                .collect(),
            _ => {
                self.unknown = true;
                return;
            }
        };
        let now = self.checkbox.get_or_insert_with(|| [true, false].into());
        now.retain(|flag| allowed.contains(flag));
    }

    /// A value meeting every rule on the field, `Some(None)` for "left empty", `None` when
    /// there is none.
    fn solve(&self, single_valued: bool) -> Option<Option<Value>> {
        if self.unknown {
            return Some(self.guess());
        }
        if let Some(checkbox) = &self.checkbox {
            let mixed = self.needs_empty
                || self.needs_value
                || !self.equal_one.is_empty()
                || !self.in_sets.is_empty();
            if mixed {
                return Some(None);
            }
            // An unticked checkbox reads as `false`.
            return checkbox.iter().next().map(|flag| Some(json!(flag)));
        }
        if self.needs_empty && self.needs_value {
            return None;
        }
        if !self.needs_value {
            return Some(None);
        }
        if self.ordered {
            return self.solve_ordered();
        }
        if let Some((first, original)) = self.equal_one.first() {
            let one_value = self.equal_one.iter().all(|(canon, _)| canon == first);
            let in_all = self
                .in_sets
                .iter()
                .all(|set| set.iter().any(|(canon, _)| canon == first));
            // On a multi-select, `equal v` means exactly {v}: a `not_equal` excludes it only
            // when it names v alone.
            let not_equal = self.not_equal.iter().any(|list| {
                if single_valued {
                    list.contains(first)
                } else {
                    list.iter().all(|canon| canon == first)
                }
            });
            let kept = !self.excluded.contains(first) && !not_equal;
            return (one_value && in_all && kept).then(|| Some(original.clone()));
        }
        let open = |set: &Vec<(Canon, Value)>| -> Vec<(Canon, Value)> {
            set.iter()
                .filter(|(canon, _)| {
                    let not_equal =
                        single_valued && self.not_equal.iter().any(|l| l.contains(canon));
                    !(self.excluded.contains(canon) || not_equal)
                })
                .cloned()
                .collect()
        };
        if single_valued {
            let mut common: Option<Vec<(Canon, Value)>> = None;
            for set in &self.in_sets {
                let set = open(set);
                common = Some(match common {
                    None => set,
                    Some(before) => before
                        .into_iter()
                        .filter(|(canon, _)| set.iter().any(|(other, _)| other == canon))
                        .collect(),
                });
            }
            return match common {
                Some(common) => common.first().map(|(_, value)| Some(value.clone())),
                None => Some(self.guess()),
            };
        }
        // May hold several values: each list needs one value that is not excluded.
        let mut held = Vec::new();
        for set in &self.in_sets {
            let set = open(set);
            held.push(set.first()?.1.clone());
        }
        Some(match held.len() {
            0 => self.guess(),
            1 => Some(held.remove(0)),
            _ => Some(Value::Array(held)),
        })
    }

    fn solve_ordered(&self) -> Option<Option<Value>> {
        let mut sets: Vec<Vec<f64>> = Vec::new();
        for set in self
            .equal_one
            .iter()
            .map(std::slice::from_ref)
            .chain(self.in_sets.iter().map(Vec::as_slice))
        {
            let numbers: Vec<f64> = set.iter().filter_map(number).collect();
            if numbers.len() != set.len() {
                // A text among the values of a range: not a field the analysis can order.
                return Some(self.guess());
            }
            sets.push(numbers);
        }
        let points: Vec<f64> = match sets.split_first() {
            None => Vec::new(),
            Some((first, rest)) => first
                .iter()
                .copied()
                .filter(|point| rest.iter().all(|set| set.contains(point)))
                .collect(),
        };
        let pinned = !self.equal_one.is_empty() || !self.in_sets.is_empty();
        let inside = |at: f64| {
            let above = self
                .low
                .is_none_or(|low| at > low.at || (low.closed && at == low.at));
            let below = self
                .high
                .is_none_or(|high| at < high.at || (high.closed && at == high.at));
            let excluded = self
                .excluded
                .iter()
                .chain(self.not_equal.iter().flatten())
                .any(|canon| *canon == Canon::Number(at));
            let outside = self
                .out_of
                .iter()
                .all(|(low, high)| at < *low || at > *high);
            above && below && !excluded && outside
        };
        if pinned {
            return points
                .into_iter()
                .find(|at| inside(*at))
                .map(|at| Some(self.shown(at)));
        }
        // Candidates: the bounds, just inside them, around every excluded range.
        let mut tries: Vec<f64> = vec![0.0];
        for bound in [self.low, self.high].into_iter().flatten() {
            tries.extend([
                bound.at,
                bound.at + 1.0,
                bound.at - 1.0,
                bound.at + 0.5,
                bound.at - 0.5,
            ]);
        }
        if let (Some(low), Some(high)) = (self.low, self.high) {
            tries.push(f64::midpoint(low.at, high.at));
        }
        for (low, high) in &self.out_of {
            tries.extend([low - 1.0, high + 1.0, low - 0.5, high + 0.5]);
        }
        if let Some(found) = tries.into_iter().find(|at| inside(*at)) {
            return Some(Some(self.shown(found)));
        }
        // The interval may still hold points between the tries: only a provably empty one is
        // a contradiction.
        let empty_interval = match (self.low, self.high) {
            (Some(low), Some(high)) => {
                low.at > high.at || (low.at == high.at && !(low.closed && high.closed))
            }
            _ => false,
        };
        let covered = self.out_of.iter().any(|(low, high)| {
            self.low.is_some_and(|l| l.at >= *low) && self.high.is_some_and(|h| h.at <= *high)
        });
        if empty_interval || covered {
            None
        } else {
            Some(None)
        }
    }

    fn shown(&self, at: f64) -> Value {
        if self.dates {
            #[expect(clippy::cast_possible_truncation, reason = "a day number")]
            let (year, month, day) = civil(at.round() as i64);
            json!(format!("{year:04}-{month:02}-{day:02}"))
        } else {
            json!(at)
        }
    }

    /// A plausible value when nothing pins the field: built from its text operators.
    fn guess(&self) -> Option<Value> {
        if !self.needs_value {
            return None;
        }
        let text = format!(
            "{}{}{}",
            self.prefix.as_deref().unwrap_or_default(),
            self.parts.join(""),
            self.suffix.as_deref().unwrap_or("x"),
        );
        Some(json!(text))
    }
}

fn number(value: &(Canon, Value)) -> Option<f64> {
    match value.0 {
        Canon::Number(number) => Some(number),
        Canon::Text(_) => None,
    }
}

/// A record (field values) that may meet `term`, or `None` when none can.
fn solve_term(term: &[&Rule], kinds: &Kinds) -> Option<BTreeMap<String, Value>> {
    let mut fields: BTreeMap<String, Field> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for rule in term {
        let key = rule.field.to_lowercase();
        names
            .entry(key.clone())
            .or_insert_with(|| rule.field.clone());
        fields.entry(key).or_default().add(rule);
    }
    let mut record = BTreeMap::new();
    for (key, field) in &fields {
        if let Some(value) = field.solve(kinds.single_valued(key))? {
            record.insert(names[key].clone(), value);
        }
    }
    Some(record)
}
