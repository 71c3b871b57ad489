//! What counts as "the same" when desired meets live: Zoho echoes values differently from how
//! they were sent, and an applied config must never show a diff again.
//!
//! The rules (zoho-api.md section 3, "Normalisation advice"):
//! - Group operators are an enum in the model, so their case is already gone; `type: value` and
//!   `$disrupted` never reach the model.
//! - Field api_names compare ASCII-case-insensitively, as Zoho resolves them.
//! - Numbers compare by value as decimal text: `1001`, `"1001"`, `1001.0`, `1.001e3` and `+01001`
//!   are equal.
//!   A text value is read as a number only when the other side is a number, so two texts
//!   (`"007"` and `"7"`, postal codes) still compare as text. Booleans and `"true"`/`"false"`
//!   likewise.
//! - Lookup values compare by id; the name Zoho adds is for display.
//! - A list of one value equals that value for comparators that take either (`equal`, `like`...).
//! - The items of an AND/OR group and the values of a value list other than `between`'s pair are
//!   compared regardless of order (repeats count): order has no meaning to Zoho, which may echo
//!   them reordered.
//! - A `None` description equals `""` (Zoho returns either for "no description").
//! - A group of one item means that item.

use super::{ByPlan, Manager, TerritoryRef};
use crate::model::{self, Comparator, Criteria, LiveTerritory, RuleValue, Scalar, ValueShape};

/// Whether two optional criteria mean the same to Zoho.
#[must_use]
pub fn same_criteria(desired: Option<&Criteria>, live: Option<&Criteria>) -> bool {
    match (desired, live) {
        (None, None) => true,
        (Some(desired), Some(live)) => canonical(desired) == canonical(live),
        _ => false,
    }
}

/// Whether two descriptions are the same, `None` and `""` being equal.
#[must_use]
pub fn same_description(desired: Option<&str>, live: Option<&str>) -> bool {
    desired.unwrap_or_default() == live.unwrap_or_default()
}

/// Whether the desired value `new` and the live value `old` of one attribute are the same to
/// Zoho: a parent or manager by id, a description with `""` as none, criteria after Zoho's echo
/// differences, users as a set of ids (not managed, `None`, being the same as anything).
#[must_use]
pub fn same_value(new: &model::Value<ByPlan>, old: &model::Value<ByPlan>) -> bool {
    use model::Value as V;
    fn ids(users: &[Manager]) -> std::collections::BTreeSet<&str> {
        users.iter().map(|user| user.id.as_str()).collect()
    }
    // By `new` alone, so that a new attribute cannot compile without its comparison.
    match new {
        V::Name(new) => matches!(old, V::Name(old) if new == old),
        V::Parent(new) => matches!(old, V::Parent(old) if new.id() == old.id()),
        V::Manager(new) => matches!(old, V::Manager(old)
            if new.as_ref().map(|manager| &manager.id) == old.as_ref().map(|manager| &manager.id)),
        V::Permission(new) => matches!(old, V::Permission(old) if new == old),
        V::Description(new) => matches!(old, V::Description(old)
            if same_description(new.as_deref(), old.as_deref())),
        V::Rules(module, new) => matches!(old, V::Rules(old_module, old)
            if module == old_module && same_criteria(new.as_ref(), old.as_ref())),
        // Not managed is the same as anything.
        V::Users(None) => matches!(old, V::Users(_)),
        V::Users(Some(new)) => {
            matches!(old, V::Users(Some(old)) if ids(new) == ids(old))
        }
    }
}

/// Whether the live territory holds `value` already, compared as [`same_value`] compares: by
/// id, so the value's references must be to live territories (one the plan creates is never
/// held).
#[must_use]
pub fn holds(live: &LiveTerritory, value: &model::Value<ByPlan>) -> bool {
    let by_id = live
        .get(value.attribute())
        .map::<ByPlan, std::convert::Infallible>(
            |parent| {
                Ok(TerritoryRef::Existing {
                    id: parent.clone().unwrap_or_default(),
                    name: String::new(),
                })
            },
            |user| {
                Ok(Manager {
                    id: user.id.clone(),
                    email: None,
                    name: None,
                })
            },
        );
    let Ok(by_id) = by_id;
    same_value(value, &by_id)
}

/// A canonical form: equal canonical forms mean equal criteria.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Canonical {
    Rule {
        field: String,
        comparator: Comparator,
        values: Vec<Value>,
    },
    Group {
        operator: crate::model::GroupOperator,
        items: Vec<Canonical>,
    },
}

/// A canonical scalar. Text that could be a number keeps both readings, and equality tries the
/// numeric one only against a number.
#[derive(Debug, Eq)]
enum Value {
    Text(String),
    Number(String),
    Bool(bool),
    Lookup(String),
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Text(left), Self::Text(right)) | (Self::Number(left), Self::Number(right)) => {
                left == right
            }
            (Self::Text(text), Self::Number(number)) | (Self::Number(number), Self::Text(text)) => {
                canonical_number(text).as_deref() == Some(number.as_str())
            }
            (Self::Bool(left), Self::Bool(right)) => left == right,
            (Self::Text(text), Self::Bool(value)) | (Self::Bool(value), Self::Text(text)) => {
                text.eq_ignore_ascii_case(if *value { "true" } else { "false" })
            }
            (Self::Lookup(left), Self::Lookup(right)) => left == right,
            _ => false,
        }
    }
}

impl Value {
    /// What values sort by: values that can be equal get the same key, so that sorting a set
    /// on either side puts equal values in the same place.
    ///
    /// Ties (a number and a text that reads as the same number) are broken by kind, then by
    /// the text as written, so that Zoho's echo (all text) pairs up in the same order.
    fn sort_key(&self) -> (String, u8, String) {
        match self {
            Self::Text(text) => (
                canonical_number(text).unwrap_or_else(|| text.to_ascii_lowercase()),
                1,
                text.clone(),
            ),
            Self::Number(number) => (number.clone(), 0, number.clone()),
            Self::Bool(value) => (value.to_string(), 2, String::new()),
            Self::Lookup(id) => (format!("lookup {id}"), 3, String::new()),
        }
    }
}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn canonical(criteria: &Criteria) -> Canonical {
    match criteria {
        Criteria::Rule(rule) => {
            let mut values: Vec<Value> = match &rule.value {
                RuleValue::One(scalar) => vec![value(scalar)],
                RuleValue::Many(scalars) => scalars.iter().map(value).collect(),
            };
            // `between` takes an ordered [low, high] pair; every other list is a set.
            // As a multiset: Zoho echoes every item it was sent, in any order, so repeats are
            // compared too rather than merged (a number and a text that reads as it are two
            // items, echoed as two texts).
            if rule.comparator.value_shape() != ValueShape::Pair {
                values.sort();
            }
            Canonical::Rule {
                field: rule.field.to_ascii_lowercase(),
                comparator: rule.comparator,
                values,
            }
        }
        // A group of one means its item. Zoho refuses such groups, and the YAML language has
        // none, but an export writes the item alone, and the two must not differ.
        Criteria::Group { items, .. } if items.len() == 1 => canonical(&items[0]),
        Criteria::Group { operator, items } => {
            let mut items: Vec<Canonical> = items.iter().map(canonical).collect();
            items.sort();
            Canonical::Group {
                operator: *operator,
                items,
            }
        }
    }
}

fn value(scalar: &Scalar) -> Value {
    match scalar {
        Scalar::Text(text) => Value::Text(text.clone()),
        Scalar::Number(number) => {
            Value::Number(canonical_number(number).unwrap_or_else(|| number.trim().to_owned()))
        }
        Scalar::Bool(value) => Value::Bool(*value),
        Scalar::Lookup { id, .. } => Value::Lookup(id.clone()),
    }
}

/// The canonical decimal text of a number, or `None` when `text` is not a decimal number.
/// An exponent (`1e3`, `2.5E-2`) is applied, so `1e3` and `1000` are the same; `${...}`
/// placeholders and anything else are not numbers here.
fn canonical_number(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let plain = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !plain(whole) || !plain(fraction) {
        return None;
    }
    // Where the decimal point sits in `digits`, after the exponent moved it. Exponents beyond
    // any field's range are not numbers Zoho stores, and would make huge strings.
    let shift = match exponent {
        None => 0,
        Some(exponent) => {
            let value: i64 = exponent.parse().ok()?;
            if exponent.is_empty() || value.abs() > 400 {
                return None;
            }
            value
        }
    };
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let point = i64::try_from(whole.len()).ok()? + shift;
    let (whole, fraction) = if point <= 0 {
        let zeros = "0".repeat(usize::try_from(-point).ok()?);
        (String::new(), format!("{zeros}{digits}"))
    } else {
        let point = usize::try_from(point).ok()?;
        if point >= digits.len() {
            (
                format!("{digits}{}", "0".repeat(point - digits.len())),
                String::new(),
            )
        } else {
            (digits[..point].to_owned(), digits[point..].to_owned())
        }
    };
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(whole.is_empty() && fraction.is_empty()) {
        out.push('-');
    }
    out.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GroupOperator, Rule};

    fn rule(field: &str, comparator: Comparator, value: RuleValue) -> Criteria {
        Criteria::Rule(Rule {
            field: field.to_owned(),
            comparator,
            value,
        })
    }

    fn one(scalar: Scalar) -> RuleValue {
        RuleValue::One(scalar)
    }

    #[test]
    fn booleans_compare_by_value_and_with_their_text() {
        let paid = |value: Scalar| rule("Paid", Comparator::Equal, one(value));
        let yes = paid(Scalar::Bool(true));
        assert!(same_criteria(Some(&yes), Some(&paid(Scalar::Bool(true)))));
        assert!(!same_criteria(Some(&yes), Some(&paid(Scalar::Bool(false)))));
        assert!(same_criteria(
            Some(&yes),
            Some(&paid(Scalar::Text("TRUE".into())))
        ));
        assert!(!same_criteria(
            Some(&yes),
            Some(&paid(Scalar::Text("false".into())))
        ));
    }

    #[test]
    fn numbers_compare_by_value_and_text_only_against_numbers() {
        let number = rule(
            "Annual_Revenue",
            Comparator::GreaterThan,
            one(Scalar::Number("1001".into())),
        );
        for echoed in ["1001", "1001.0", "+01001", " 1001 "] {
            let text = rule(
                "Annual_Revenue",
                Comparator::GreaterThan,
                one(Scalar::Text(echoed.into())),
            );
            assert!(same_criteria(Some(&number), Some(&text)), "{echoed}");
        }
        let other = rule(
            "Annual_Revenue",
            Comparator::GreaterThan,
            one(Scalar::Text("1002".into())),
        );
        assert!(!same_criteria(Some(&number), Some(&other)));
        let zip = |text: &str| rule("Zip", Comparator::Equal, one(Scalar::Text(text.into())));
        assert!(!same_criteria(Some(&zip("007")), Some(&zip("7"))));
        assert_eq!(canonical_number("-0.50"), Some("-0.5".into()));
        assert_eq!(canonical_number("-0"), Some("0".into()));
        assert_eq!(canonical_number("${TODAY}"), None);
    }

    #[test]
    fn lookups_compare_by_id_and_single_lists_equal_scalars() {
        let with_name = rule(
            "Owner",
            Comparator::Equal,
            one(Scalar::Lookup {
                id: "42".into(),
                name: Some("Patricia".into()),
            }),
        );
        let bare = rule(
            "owner",
            Comparator::Equal,
            RuleValue::Many(vec![Scalar::Lookup {
                id: "42".into(),
                name: None,
            }]),
        );
        assert!(same_criteria(Some(&with_name), Some(&bare)));
    }

    #[test]
    fn groups_and_value_lists_are_sets_but_between_is_ordered() {
        let a = rule(
            "Billing_Country",
            Comparator::In,
            RuleValue::Many(vec![Scalar::Text("US".into()), Scalar::Text("CA".into())]),
        );
        let a_reordered = rule(
            "Billing_Country",
            Comparator::In,
            RuleValue::Many(vec![Scalar::Text("CA".into()), Scalar::Text("US".into())]),
        );
        let b = rule("Paid", Comparator::Equal, one(Scalar::Bool(true)));
        let b_text = rule("Paid", Comparator::Equal, one(Scalar::Text("true".into())));
        let group = |items| Criteria::Group {
            operator: GroupOperator::And,
            items,
        };
        assert!(same_criteria(
            Some(&group(vec![a.clone(), b])),
            Some(&group(vec![b_text, a_reordered]))
        ));
        let between = |low: &str, high: &str| {
            rule(
                "Amount",
                Comparator::Between,
                RuleValue::Many(vec![
                    Scalar::Number(low.into()),
                    Scalar::Number(high.into()),
                ]),
            )
        };
        assert!(!same_criteria(
            Some(&between("1", "5")),
            Some(&between("5", "1"))
        ));
        assert!(!same_criteria(Some(&a), None));
    }

    #[test]
    fn empty_description_is_no_description() {
        assert!(same_description(None, Some("")));
        assert!(!same_description(None, Some("x")));
    }

    #[test]
    fn number_boundaries() {
        let ones = |count: usize| "0".repeat(count);
        for (text, expected) in [
            // The exponent's bound: 400 either way is a number, 401 is not.
            ("1e399", Some(format!("1{}", ones(399)))),
            ("1e400", Some(format!("1{}", ones(400)))),
            ("1e401", None),
            ("1e-400", Some(format!("0.{}1", ones(399)))),
            ("1e-401", None),
            // The decimal point moved to exactly the start, or exactly the end, of the digits.
            ("5e-1", Some("0.5".to_owned())),
            ("5e-2", Some("0.05".to_owned())),
            ("12e0", Some("12".to_owned())),
            ("12e-1", Some("1.2".to_owned())),
            ("1.2e1", Some("12".to_owned())),
            ("1.2e2", Some("120".to_owned())),
            // A point with digits on one side only, or none.
            (".5", Some("0.5".to_owned())),
            ("5.", Some("5".to_owned())),
            (".", None),
            ("", None),
            ("-", None),
            // Signs: one, leading; a negative zero is zero.
            ("-0.0", Some("0".to_owned())),
            ("-0.01", Some("-0.01".to_owned())),
            ("+7", Some("7".to_owned())),
            ("--1", None),
            ("+-1", None),
            ("1-", None),
            ("1e+", None),
            ("1.5.2", None),
            ("0x10", None),
        ] {
            assert_eq!(canonical_number(text), expected, "{text:?}");
        }
    }

    #[test]
    fn exponents_are_applied_and_groups_of_one_mean_their_item() {
        for (text, expected) in [
            ("1e3", Some("1000")),
            ("1E+3", Some("1000")),
            ("2.5e-2", Some("0.025")),
            ("-1.50e1", Some("-15")),
            ("0e5", Some("0")),
            ("12.5e1", Some("125")),
            ("1e", None),
            ("e3", None),
            ("1e999", None),
            ("${TODAY}", None),
        ] {
            assert_eq!(canonical_number(text).as_deref(), expected, "{text}");
        }
        let single = rule(
            "Amount",
            Comparator::GreaterThan,
            one(Scalar::Number("1e3".into())),
        );
        let group = Criteria::Group {
            operator: GroupOperator::Or,
            items: vec![rule(
                "amount",
                Comparator::GreaterThan,
                one(Scalar::Text("1000".into())),
            )],
        };
        assert!(same_criteria(Some(&single), Some(&group)));
        let other = rule(
            "Amount",
            Comparator::GreaterThan,
            one(Scalar::Number("1e4".into())),
        );
        assert!(!same_criteria(Some(&other), Some(&group)));
    }
}
