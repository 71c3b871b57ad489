//! The evaluator against tables: every (data type, comparator) pair, date literals on a fixed
//! clock, the cascade and the per-module limits.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::cascade::{Hierarchy, matched, replace_automatic, within_limits};
use super::dates::Now;
use super::job;
use super::matches::{Env, matches};
use crate::clock::parse_datetime;
use crate::rules::field_kind::{comparators, kind};
use crate::state::{DealTieBreak, Field, Record, RecordTerritory, RuleScope, State, Territory};

/// Wednesday 2026-02-11 20:00 UTC.
fn now() -> Now {
    Now {
        secs: parse_datetime("2026-02-11T20:00:00Z").expect("a datetime"),
        offset: 0,
        fiscal_start: 1,
    }
}

fn field(api_name: &str, data_type: &str) -> Field {
    Field {
        id: format!("9{}", api_name.len()),
        api_name: api_name.to_owned(),
        field_label: api_name.to_owned(),
        data_type: data_type.to_owned(),
        pick_list_values: Vec::new(),
        custom_field: false,
        length: None,
    }
}

/// One field of every data type the simulator has, named after its type.
const DATA_TYPES: &[&str] = &[
    "text",
    "picklist",
    "multiselectpicklist",
    "integer",
    "double",
    "currency",
    "boolean",
    "date",
    "datetime",
    "lookup",
    "ownerlookup",
    "multiselectlookup",
];

fn org() -> State {
    let mut state = State::new_org("Acme");
    let fields = DATA_TYPES.iter().map(|t| field(t, t)).collect();
    state.fields.insert("Accounts".to_owned(), fields);
    state.reindex();
    state
}

fn record(fields: Value) -> Record {
    Record {
        id: "1".to_owned(),
        fields: serde_json::from_value(fields).expect("an object"),
        territories: Vec::new(),
        locked: false,
    }
}

fn rule(data_type: &str, comparator: &str, value: Value) -> Value {
    json!({"field": {"api_name": data_type}, "comparator": comparator, "value": value})
}

/// (data type, comparator, criteria value, record value, matches).
type Case = (&'static str, &'static str, Value, Value, bool);

fn cases() -> Vec<Case> {
    let owner = json!({"id": "5725767000000411001", "name": "Patricia Boyle"});
    let other = json!({"id": "77", "name": "Someone Else"});
    let tags = json!([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]);
    vec![
        // text
        ("text", "equal", json!("Japan"), json!("japan"), true),
        (
            "text",
            "equal",
            json!(["Korea", "Japan"]),
            json!("Japan"),
            true,
        ),
        ("text", "equal", json!("Japan"), json!("Japanese"), false),
        ("text", "not_equal", json!("Japan"), json!("Korea"), true),
        ("text", "not_equal", json!("Japan"), json!("JAPAN"), false),
        ("text", "not_equal", json!("Japan"), Value::Null, true),
        ("text", "contains", json!("pan"), json!("Japan"), true),
        ("text", "contains", json!("xyz"), json!("Japan"), false),
        ("text", "not_contains", json!("xyz"), json!("Japan"), true),
        ("text", "not_contains", json!("PAN"), json!("Japan"), false),
        ("text", "starts_with", json!("ja"), json!("Japan"), true),
        ("text", "starts_with", json!("pan"), json!("Japan"), false),
        ("text", "ends_with", json!("AN"), json!("Japan"), true),
        ("text", "ends_with", json!("Ja"), json!("Japan"), false),
        (
            "text",
            "in",
            json!(["Korea", "Japan"]),
            json!("Japan"),
            true,
        ),
        ("text", "in", json!(["Korea"]), json!("Japan"), false),
        ("text", "not_in", json!(["Korea"]), json!("Japan"), true),
        ("text", "not_in", json!(["Japan"]), json!("Japan"), false),
        ("text", "equal", json!("${EMPTY}"), json!(""), true),
        ("text", "equal", json!("${EMPTY}"), json!("x"), false),
        ("text", "not_equal", json!("${EMPTY}"), json!("x"), true),
        ("text", "equal", json!("${NOTEMPTY}"), json!("x"), true),
        (
            "text",
            "not_equal",
            json!("${NOTEMPTY}"),
            Value::Null,
            false,
        ),
        ("text", "equal", json!("Japan"), Value::Null, false),
        // picklist
        (
            "picklist",
            "equal",
            json!("Banking"),
            json!("Banking"),
            true,
        ),
        (
            "picklist",
            "equal",
            json!("Banking"),
            json!("Retail"),
            false,
        ),
        (
            "picklist",
            "not_equal",
            json!("Banking"),
            json!("Retail"),
            true,
        ),
        (
            "picklist",
            "not_equal",
            json!("Banking"),
            json!("Banking"),
            false,
        ),
        ("picklist", "contains", json!("ank"), json!("Banking"), true),
        (
            "picklist",
            "contains",
            json!("tai"),
            json!("Banking"),
            false,
        ),
        (
            "picklist",
            "not_contains",
            json!("tai"),
            json!("Banking"),
            true,
        ),
        (
            "picklist",
            "not_contains",
            json!("ank"),
            json!("Banking"),
            false,
        ),
        (
            "picklist",
            "starts_with",
            json!("Ban"),
            json!("Banking"),
            true,
        ),
        (
            "picklist",
            "starts_with",
            json!("Ret"),
            json!("Banking"),
            false,
        ),
        (
            "picklist",
            "ends_with",
            json!("ing"),
            json!("Banking"),
            true,
        ),
        (
            "picklist",
            "ends_with",
            json!("ail"),
            json!("Banking"),
            false,
        ),
        (
            "picklist",
            "in",
            json!(["Retail", "Banking"]),
            json!("Banking"),
            true,
        ),
        ("picklist", "in", json!(["Retail"]), json!("Banking"), false),
        (
            "picklist",
            "not_in",
            json!(["Retail"]),
            json!("Banking"),
            true,
        ),
        (
            "picklist",
            "not_in",
            json!(["Banking"]),
            json!("Banking"),
            false,
        ),
        // multi-select picklist
        (
            "multiselectpicklist",
            "equal",
            json!(["B", "A"]),
            json!(["a", "b"]),
            true,
        ),
        (
            "multiselectpicklist",
            "equal",
            json!("A"),
            json!(["A", "B"]),
            false,
        ),
        (
            "multiselectpicklist",
            "not_equal",
            json!("A"),
            json!(["A", "B"]),
            true,
        ),
        (
            "multiselectpicklist",
            "not_equal",
            json!("A"),
            json!(["A"]),
            false,
        ),
        (
            "multiselectpicklist",
            "contains",
            json!("lph"),
            json!(["Alpha", "Beta"]),
            true,
        ),
        (
            "multiselectpicklist",
            "contains",
            json!("zz"),
            json!(["Alpha"]),
            false,
        ),
        (
            "multiselectpicklist",
            "not_contains",
            json!("zz"),
            json!(["Alpha"]),
            true,
        ),
        (
            "multiselectpicklist",
            "not_contains",
            json!("et"),
            json!(["Beta"]),
            false,
        ),
        (
            "multiselectpicklist",
            "in",
            json!(["Beta", "Gamma"]),
            json!("Alpha;Beta"),
            true,
        ),
        (
            "multiselectpicklist",
            "in",
            json!(["Gamma"]),
            json!(["Alpha", "Beta"]),
            false,
        ),
        // numbers
        ("integer", "equal", json!("10"), json!(10), true),
        ("integer", "equal", json!("10"), json!(11), false),
        ("integer", "not_equal", json!("10"), json!(11), true),
        ("integer", "not_equal", json!("10"), json!("10"), false),
        ("integer", "less_than", json!("10"), json!(9), true),
        ("integer", "less_than", json!("10"), json!(10), false),
        ("integer", "less_equal", json!("10"), json!(10), true),
        ("integer", "less_equal", json!("10"), json!(11), false),
        ("integer", "greater_than", json!("10"), json!(11), true),
        ("integer", "greater_than", json!("10"), json!(10), false),
        ("integer", "greater_equal", json!("10"), json!(10), true),
        ("integer", "greater_equal", json!("10"), json!(9), false),
        ("integer", "between", json!(["5", "10"]), json!(5), true),
        ("integer", "between", json!(["5", "10"]), json!(11), false),
        (
            "integer",
            "not_between",
            json!(["5", "10"]),
            json!(11),
            true,
        ),
        (
            "integer",
            "not_between",
            json!(["5", "10"]),
            json!(10),
            false,
        ),
        ("integer", "in", json!(["1", "2"]), json!(2), true),
        ("integer", "in", json!(["1", "2"]), json!(3), false),
        ("integer", "not_in", json!(["1", "2"]), json!(3), true),
        ("integer", "not_in", json!(["1", "2"]), json!(1), false),
        ("integer", "greater_than", json!("10"), Value::Null, false),
        ("double", "equal", json!("2.5"), json!(2.5), true),
        ("double", "equal", json!("2.5"), json!(2.25), false),
        ("double", "not_equal", json!("2.5"), json!(2.25), true),
        ("double", "not_equal", json!("2.5"), json!("2.5"), false),
        ("double", "less_than", json!("2.5"), json!(2.25), true),
        ("double", "less_than", json!("2.5"), json!(2.5), false),
        ("double", "less_equal", json!("2.5"), json!(2.5), true),
        ("double", "less_equal", json!("2.5"), json!(2.75), false),
        ("double", "greater_than", json!("2.5"), json!(2.75), true),
        ("double", "greater_than", json!("2.5"), json!(2.5), false),
        ("double", "greater_equal", json!("2.5"), json!(2.5), true),
        ("double", "greater_equal", json!("2.5"), json!(2.25), false),
        ("double", "between", json!(["1.5", "2.5"]), json!(2.5), true),
        (
            "double",
            "between",
            json!(["1.5", "2.5"]),
            json!(1.25),
            false,
        ),
        (
            "double",
            "not_between",
            json!(["1.5", "2.5"]),
            json!(1.25),
            true,
        ),
        (
            "double",
            "not_between",
            json!(["1.5", "2.5"]),
            json!(1.5),
            false,
        ),
        ("double", "in", json!(["1.5", "2.5"]), json!(1.5), true),
        ("double", "in", json!(["1.5"]), json!(2.5), false),
        ("double", "not_in", json!(["1.5"]), json!(2.5), true),
        ("double", "not_in", json!(["1.5"]), json!(1.5), false),
        (
            "currency",
            "equal",
            json!("1000000"),
            json!(1_000_000),
            true,
        ),
        ("currency", "equal", json!("1000000"), json!(999_999), false),
        (
            "currency",
            "not_equal",
            json!("1000000"),
            json!(999_999),
            true,
        ),
        (
            "currency",
            "not_equal",
            json!("1000000"),
            json!(1_000_000.0),
            false,
        ),
        (
            "currency",
            "less_than",
            json!("1000000"),
            json!(999_999.99),
            true,
        ),
        (
            "currency",
            "less_than",
            json!("1000000"),
            json!(1_000_000),
            false,
        ),
        (
            "currency",
            "less_equal",
            json!("1000000"),
            json!(1_000_000),
            true,
        ),
        (
            "currency",
            "less_equal",
            json!("1000000"),
            json!(1_000_000.01),
            false,
        ),
        (
            "currency",
            "greater_than",
            json!("1000000"),
            json!(1_000_000.01),
            true,
        ),
        (
            "currency",
            "greater_than",
            json!("1000000"),
            json!(1_000_000),
            false,
        ),
        (
            "currency",
            "greater_equal",
            json!("1000000"),
            json!(1_000_000),
            true,
        ),
        (
            "currency",
            "greater_equal",
            json!("1000000"),
            json!(1),
            false,
        ),
        (
            "currency",
            "between",
            json!(["1000", "5000"]),
            json!("5000"),
            true,
        ),
        (
            "currency",
            "between",
            json!(["1000", "5000"]),
            json!(999),
            false,
        ),
        (
            "currency",
            "not_between",
            json!(["1000", "5000"]),
            json!(999),
            true,
        ),
        (
            "currency",
            "not_between",
            json!(["1000", "5000"]),
            json!(1000),
            false,
        ),
        ("currency", "in", json!(["1000", "5000"]), json!(5000), true),
        ("currency", "in", json!(["1000"]), json!(5000), false),
        ("currency", "not_in", json!(["1000"]), json!(5000), true),
        ("currency", "not_in", json!(["1000"]), json!(1000), false),
        // boolean
        ("boolean", "equal", json!(true), json!(true), true),
        ("boolean", "equal", json!(true), json!(false), false),
        ("boolean", "equal", json!(false), Value::Null, true),
        ("boolean", "not_equal", json!(true), json!(false), true),
        ("boolean", "not_equal", json!(true), json!(true), false),
        // date, against literals and plain dates (today is Wednesday 2026-02-11)
        (
            "date",
            "equal",
            json!("2026-02-11"),
            json!("2026-02-11"),
            true,
        ),
        (
            "date",
            "equal",
            json!("2026-02-11"),
            json!("2026-02-12"),
            false,
        ),
        (
            "date",
            "equal",
            json!("${TODAY}"),
            json!("2026-02-11"),
            true,
        ),
        (
            "date",
            "equal",
            json!("${TOMORROW}"),
            json!("2026-02-12"),
            true,
        ),
        (
            "date",
            "equal",
            json!("${YESTERDAY}"),
            json!("2026-02-11"),
            false,
        ),
        (
            "date",
            "equal",
            json!("${TOMORROWPLUS}"),
            json!("2027-01-01"),
            true,
        ),
        (
            "date",
            "equal",
            json!("${TOMORROWPLUS}"),
            json!("2026-02-11"),
            false,
        ),
        (
            "date",
            "less_equal",
            json!("${YESTERDAYMINUS}"),
            json!("2026-02-10"),
            true,
        ),
        (
            "date",
            "less_equal",
            json!("${YESTERDAYMINUS}"),
            json!("2026-02-11"),
            false,
        ),
        (
            "date",
            "equal",
            json!("${AGEINDAYS}+3"),
            json!("2026-02-08"),
            true,
        ),
        (
            "date",
            "equal",
            json!("${AGEINDAYS}+3"),
            json!("2026-02-09"),
            false,
        ),
        (
            "date",
            "less_than",
            json!("${AGEINDAYS}+3"),
            json!("2026-02-09"),
            true,
        ),
        (
            "date",
            "greater_than",
            json!("${AGEINDAYS}+3"),
            json!("2026-02-01"),
            true,
        ),
        (
            "date",
            "greater_than",
            json!("${AGEINDAYS}+3"),
            json!("2026-02-10"),
            false,
        ),
        (
            "date",
            "equal",
            json!("${DUEINDAYS}+2"),
            json!("2026-02-13"),
            true,
        ),
        (
            "date",
            "less_equal",
            json!("${DUEINDAYS}+2"),
            json!("2026-02-14"),
            false,
        ),
        ("date", "equal", json!("${EMPTY}"), Value::Null, true),
        (
            "date",
            "not_equal",
            json!("2026-02-11"),
            json!("2026-02-10"),
            true,
        ),
        (
            "date",
            "not_equal",
            json!("${THISMONTH}"),
            json!("2026-02-28"),
            false,
        ),
        (
            "date",
            "less_than",
            json!("2026-02-11"),
            json!("2026-02-10"),
            true,
        ),
        (
            "date",
            "less_than",
            json!("${THISMONTH}"),
            json!("2026-02-01"),
            false,
        ),
        (
            "date",
            "less_equal",
            json!("${THISMONTH}"),
            json!("2026-02-28"),
            true,
        ),
        (
            "date",
            "less_equal",
            json!("2026-02-11"),
            json!("2026-02-12"),
            false,
        ),
        (
            "date",
            "greater_than",
            json!("${THISMONTH}"),
            json!("2026-03-01"),
            true,
        ),
        (
            "date",
            "greater_than",
            json!("2026-02-11"),
            json!("2026-02-11"),
            false,
        ),
        (
            "date",
            "greater_equal",
            json!("${THISMONTH}"),
            json!("2026-02-01"),
            true,
        ),
        (
            "date",
            "greater_equal",
            json!("2026-02-11"),
            json!("2026-02-10"),
            false,
        ),
        (
            "date",
            "between",
            json!("${LASTMONTH}"),
            json!("2026-01-31"),
            true,
        ),
        (
            "date",
            "between",
            json!("${LASTMONTH}"),
            json!("2026-02-01"),
            false,
        ),
        (
            "date",
            "between",
            json!("${THISFQ}"),
            json!("2026-03-31"),
            true,
        ),
        (
            "date",
            "between",
            json!("${NEXTFQ}"),
            json!("2026-03-31"),
            false,
        ),
        (
            "date",
            "between",
            json!("${THISWEEK}"),
            json!("2026-02-08"),
            true,
        ),
        (
            "date",
            "between",
            json!("${THISYEAR}"),
            json!("2025-12-31"),
            false,
        ),
        (
            "date",
            "between",
            json!(["2026-01-01", "${TODAY}"]),
            json!("2026-02-11"),
            true,
        ),
        (
            "date",
            "between",
            json!(["2026-01-01", "2026-01-31"]),
            json!("2026-02-01"),
            false,
        ),
        (
            "date",
            "not_between",
            json!(["2026-01-01", "2026-01-31"]),
            json!("2026-02-01"),
            true,
        ),
        (
            "date",
            "not_between",
            json!("${NEXTMONTH}"),
            json!("2026-03-15"),
            false,
        ),
        // datetime: literals compare the org-local day, datetimes the instant
        (
            "datetime",
            "equal",
            json!("${TODAY}"),
            json!("2026-02-11T23:59:59+00:00"),
            true,
        ),
        (
            "datetime",
            "equal",
            json!("${TODAY}"),
            json!("2026-02-11T23:59:59-05:00"),
            false,
        ),
        (
            "datetime",
            "equal",
            json!("2026-02-11T10:00:00+00:00"),
            json!("2026-02-11T15:30:00+05:30"),
            true,
        ),
        (
            "datetime",
            "not_equal",
            json!("2026-02-11T10:00:00+00:00"),
            json!("2026-02-11T10:00:01+00:00"),
            true,
        ),
        (
            "datetime",
            "not_equal",
            json!("${THISMONTH}"),
            json!("2026-02-01T00:00:00+00:00"),
            false,
        ),
        (
            "datetime",
            "less_than",
            json!("2026-02-11T10:00:00+00:00"),
            json!("2026-02-11T09:59:59+00:00"),
            true,
        ),
        (
            "datetime",
            "less_than",
            json!("${TODAY}"),
            json!("2026-02-11T00:00:00+00:00"),
            false,
        ),
        (
            "datetime",
            "less_equal",
            json!("2026-02-11T10:00:00+00:00"),
            json!("2026-02-11T10:00:00+00:00"),
            true,
        ),
        (
            "datetime",
            "less_equal",
            json!("${YESTERDAY}"),
            json!("2026-02-11T00:00:00+00:00"),
            false,
        ),
        (
            "datetime",
            "greater_than",
            json!("${YESTERDAY}"),
            json!("2026-02-11T00:00:00+00:00"),
            true,
        ),
        (
            "datetime",
            "greater_than",
            json!("2026-02-11T10:00:00+00:00"),
            json!("2026-02-11T10:00:00+00:00"),
            false,
        ),
        (
            "datetime",
            "greater_equal",
            json!("${TODAY}"),
            json!("2026-02-11T00:00:00+00:00"),
            true,
        ),
        (
            "datetime",
            "greater_equal",
            json!("${TOMORROW}"),
            json!("2026-02-11T23:00:00+00:00"),
            false,
        ),
        (
            "datetime",
            "between",
            json!("${LAST_N_DAYS:7}"),
            json!("2026-02-04T08:00:00+00:00"),
            true,
        ),
        (
            "datetime",
            "between",
            json!("${LAST_N_DAYS:7}"),
            json!("2026-02-11T08:00:00+00:00"),
            false,
        ),
        (
            "datetime",
            "between",
            json!(["2026-02-01T00:00:00+00:00", "2026-02-02T00:00:00+00:00"]),
            json!("2026-02-01T12:00:00+00:00"),
            true,
        ),
        (
            "datetime",
            "between",
            json!(["2026-02-01T00:00:00+00:00", "2026-02-02T00:00:00+00:00"]),
            json!("2026-02-02T00:00:01+00:00"),
            false,
        ),
        (
            "datetime",
            "not_between",
            json!("${NEXTWEEK}"),
            json!("2026-02-11T08:00:00+00:00"),
            true,
        ),
        (
            "datetime",
            "not_between",
            json!("${THISFY}"),
            json!("2026-07-01T08:00:00+00:00"),
            false,
        ),
        // lookups: ids for equality, the name for text comparators
        ("lookup", "equal", json!({"id": "77"}), other.clone(), true),
        (
            "lookup",
            "equal",
            json!([{"id": "1"}, {"id": "77"}]),
            other.clone(),
            true,
        ),
        ("lookup", "equal", json!({"id": "78"}), other.clone(), false),
        (
            "lookup",
            "not_equal",
            json!({"id": "78"}),
            other.clone(),
            true,
        ),
        (
            "lookup",
            "not_equal",
            json!({"id": "77"}),
            other.clone(),
            false,
        ),
        ("lookup", "contains", json!("else"), other.clone(), true),
        ("lookup", "contains", json!("boyle"), other.clone(), false),
        (
            "lookup",
            "not_contains",
            json!("boyle"),
            other.clone(),
            true,
        ),
        (
            "lookup",
            "not_contains",
            json!("some"),
            other.clone(),
            false,
        ),
        ("lookup", "starts_with", json!("some"), other.clone(), true),
        ("lookup", "starts_with", json!("else"), other.clone(), false),
        ("lookup", "ends_with", json!("else"), other.clone(), true),
        ("lookup", "ends_with", json!("some"), other.clone(), false),
        (
            "ownerlookup",
            "equal",
            json!({"name": "${CURRENTUSER}"}),
            owner.clone(),
            true,
        ),
        (
            "ownerlookup",
            "equal",
            json!({"name": "${CURRENTUSER}"}),
            other.clone(),
            false,
        ),
        (
            "ownerlookup",
            "equal",
            json!({"id": "${CURRENTUSERROLE}"}),
            owner.clone(),
            true,
        ),
        (
            "ownerlookup",
            "equal",
            json!({"id": "${CURRENTUSERROLE}"}),
            other.clone(),
            false,
        ),
        (
            "ownerlookup",
            "not_equal",
            json!({"id": "5725767000000411001"}),
            other.clone(),
            true,
        ),
        (
            "ownerlookup",
            "not_equal",
            json!({"id": "5725767000000411001"}),
            owner.clone(),
            false,
        ),
        (
            "ownerlookup",
            "contains",
            json!("boyle"),
            json!({"id": "5725767000000411001"}),
            true,
        ),
        ("ownerlookup", "contains", json!("zz"), owner.clone(), false),
        (
            "ownerlookup",
            "not_contains",
            json!("zz"),
            owner.clone(),
            true,
        ),
        (
            "ownerlookup",
            "not_contains",
            json!("pat"),
            owner.clone(),
            false,
        ),
        (
            "ownerlookup",
            "starts_with",
            json!("pat"),
            owner.clone(),
            true,
        ),
        (
            "ownerlookup",
            "starts_with",
            json!("boy"),
            owner.clone(),
            false,
        ),
        (
            "ownerlookup",
            "ends_with",
            json!("boyle"),
            owner.clone(),
            true,
        ),
        (
            "ownerlookup",
            "ends_with",
            json!("pat"),
            owner.clone(),
            false,
        ),
        // multi-select lookup
        (
            "multiselectlookup",
            "include_all",
            json!([{"id": "a"}, {"id": "b"}]),
            tags.clone(),
            true,
        ),
        (
            "multiselectlookup",
            "include_all",
            json!([{"id": "a"}, {"id": "c"}]),
            tags.clone(),
            false,
        ),
        (
            "multiselectlookup",
            "include_any",
            json!([{"id": "c"}, {"id": "b"}]),
            tags.clone(),
            true,
        ),
        (
            "multiselectlookup",
            "include_any",
            json!([{"id": "c"}]),
            tags.clone(),
            false,
        ),
        (
            "multiselectlookup",
            "exclude_all",
            json!([{"id": "c"}, {"id": "d"}]),
            tags.clone(),
            true,
        ),
        (
            "multiselectlookup",
            "exclude_all",
            json!([{"id": "c"}, {"id": "a"}]),
            tags.clone(),
            false,
        ),
        (
            "multiselectlookup",
            "exclude_any",
            json!([{"id": "a"}, {"id": "c"}]),
            tags.clone(),
            true,
        ),
        (
            "multiselectlookup",
            "exclude_any",
            json!([{"id": "a"}, {"id": "b"}]),
            tags.clone(),
            false,
        ),
        (
            "multiselectlookup",
            "exclude_all",
            json!([{"id": "a"}]),
            Value::Null,
            true,
        ),
        (
            "multiselectlookup",
            "equal",
            json!([{"id": "b"}, {"id": "a"}]),
            tags.clone(),
            true,
        ),
        (
            "multiselectlookup",
            "equal",
            json!([{"id": "a"}]),
            tags.clone(),
            false,
        ),
        (
            "multiselectlookup",
            "not_equal",
            json!([{"id": "a"}]),
            tags.clone(),
            true,
        ),
        (
            "multiselectlookup",
            "not_equal",
            json!([{"id": "a"}, {"id": "b"}]),
            tags.clone(),
            false,
        ),
        (
            "multiselectpicklist",
            "not_in",
            json!(["Gamma"]),
            json!(["Alpha", "Beta"]),
            true,
        ),
        (
            "multiselectpicklist",
            "not_in",
            json!(["Beta", "Gamma"]),
            json!("Alpha;Beta"),
            false,
        ),
    ]
}

#[test]
fn every_data_type_and_comparator() {
    let state = org();
    let env = Env::new(&state, "Accounts", now());
    let mut failures = Vec::new();
    for (data_type, comparator, value, actual, expected) in cases() {
        let criteria = rule(data_type, comparator, value.clone());
        let record = record(json!({ data_type: actual }));
        if matches(&env, &criteria, &record) != expected {
            failures.push(format!(
                "{data_type} {comparator} {value} on {actual}: expected {expected}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The table covers, for every data type, every comparator the simulator accepts for it,
/// each with a case that matches and one that does not.
#[test]
fn the_table_covers_every_pair_both_ways() {
    let covered: BTreeSet<(&str, &str, bool)> =
        cases().iter().map(|(t, c, _, _, m)| (*t, *c, *m)).collect();
    let mut missing = Vec::new();
    for data_type in DATA_TYPES {
        for comparator in comparators(kind(data_type)) {
            for expected in [true, false] {
                if !covered.contains(&(*data_type, *comparator, expected)) {
                    missing.push(format!("{data_type} {comparator} {expected}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "no case for: {}", missing.join(", "));
}

#[test]
fn groups_nest_with_and_and_or() {
    let state = org();
    let env = Env::new(&state, "Accounts", now());
    let criteria = json!({"group_operator": "AND", "group": [
        rule("text", "equal", json!("Japan")),
        {"group_operator": "or", "group": [
            rule("currency", "greater_than", json!("1000")),
            rule("boolean", "equal", json!(true)),
        ]},
    ]});
    let cases = [
        (json!({"text": "Japan", "currency": 5000}), true),
        (
            json!({"text": "Japan", "currency": 10, "boolean": true}),
            true,
        ),
        (json!({"text": "Japan", "currency": 10}), false),
        (
            json!({"text": "Korea", "currency": 5000, "boolean": true}),
            false,
        ),
    ];
    for (fields, expected) in cases {
        assert_eq!(
            matches(&env, &criteria, &record(fields.clone())),
            expected,
            "{fields}"
        );
    }
    // A rule on a field the module does not have matches nothing.
    assert!(!matches(
        &env,
        &rule("Gone", "equal", json!("x")),
        &record(json!({"Gone": "x"}))
    ));
}

/// An org: Root > {Asia [text equal Japan|Korea] > {Japan [text equal Japan] > Tokyo
/// [picklist equal Tokyo], Korea [text equal Korea]}, Open (no rules) > Banks [picklist
/// equal Banking], Big [currency greater_than 1000]}.
fn tree() -> (State, Vec<String>) {
    let mut state = org();
    let root = state.root().expect("a root").id.clone();
    let mut ids = Vec::new();
    let mut add = |state: &mut State, name: &str, parent: &str, rules: Option<Value>| {
        let id = state.allocate_id();
        let mut territory: Territory = state.root().expect("a root").clone();
        territory.id.clone_from(&id);
        territory.name = name.to_owned();
        territory.reporting_to = Some(parent.to_owned());
        territory.account_rule_criteria = rules.clone();
        territory.deal_rule_criteria = rules;
        state.add_territory(territory);
        ids.push(id.clone());
        id
    };
    let asia = add(
        &mut state,
        "Asia",
        &root,
        Some(rule("text", "in", json!(["Japan", "Korea"]))),
    );
    let japan = add(
        &mut state,
        "Japan",
        &asia,
        Some(rule("text", "equal", json!("Japan"))),
    );
    add(
        &mut state,
        "Tokyo",
        &japan,
        Some(rule("picklist", "equal", json!("Tokyo"))),
    );
    add(
        &mut state,
        "Korea",
        &asia,
        Some(rule("text", "equal", json!("Korea"))),
    );
    let open = add(&mut state, "Open", &root, None);
    add(
        &mut state,
        "Banks",
        &open,
        Some(rule("picklist", "equal", json!("Banking"))),
    );
    add(
        &mut state,
        "Big",
        &root,
        Some(rule("currency", "greater_than", json!("1000"))),
    );
    state.fields.insert(
        "Deals".to_owned(),
        state.fields.get("Accounts").cloned().unwrap_or_default(),
    );
    (state, ids)
}

fn names(state: &State, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| state.territory(id).map_or(id.clone(), |t| t.name.clone()))
        .collect()
}

#[test]
fn the_cascade_gives_the_deepest_territories_a_record_reaches() {
    let (state, _) = tree();
    let env = Env::new(&state, "Accounts", now());
    let hierarchy = Hierarchy::new(&state);
    let cases: &[(Value, &[&str])] = &[
        // Meets Asia and Japan, not Tokyo: Japan only (not Asia too).
        (json!({"text": "Japan"}), &["Japan"]),
        // Meets Asia, Japan and Tokyo: Tokyo only.
        (json!({"text": "Japan", "picklist": "Tokyo"}), &["Tokyo"]),
        // Meets Tokyo's rule but not its parents': nothing.
        (json!({"text": "China", "picklist": "Tokyo"}), &[]),
        // Open has no rules: records pass through it, it is never assigned itself.
        (json!({"picklist": "Banking"}), &["Banks"]),
        (json!({"picklist": "Retail"}), &[]),
        // Siblings all matched: every one, in hierarchy order.
        (
            json!({"text": "Korea", "picklist": "Banking", "currency": 5000}),
            &["Korea", "Banks", "Big"],
        ),
    ];
    for (fields, expected) in cases {
        let got = matched(&env, &hierarchy, "Accounts", &record(fields.clone()));
        assert_eq!(names(&state, &got), *expected, "{fields}");
    }
}

#[test]
fn a_parent_with_rules_and_no_matching_child_is_assigned_itself() {
    let (mut state, ids) = tree();
    let japan = ids[1].clone();
    // Japan's child Tokyo now catches nothing; Asia's rules still let a Korean record in.
    state
        .territory_mut(&japan)
        .expect("Japan")
        .account_rule_criteria = None;
    let env = Env::new(&state, "Accounts", now());
    let hierarchy = Hierarchy::new(&state);
    let got = matched(
        &env,
        &hierarchy,
        "Accounts",
        &record(json!({"text": "Japan"})),
    );
    // Japan is transparent now and Tokyo is not met: Asia itself is the deepest reached.
    assert_eq!(names(&state, &got), ["Asia"]);
}

fn manual(id: &str) -> RecordTerritory {
    RecordTerritory {
        id: id.to_owned(),
        assigned: "manually".to_owned(),
        assigned_by: Some("5725767000000411001".to_owned()),
        assigned_time: "2026-01-01T00:00:00+00:00".to_owned(),
    }
}

#[test]
fn accounts_take_ten_territories_manual_ones_counted_and_kept() {
    let mut state = org();
    let root = state.root().expect("a root").id.clone();
    let mut reached = Vec::new();
    for n in 0..12 {
        let id = state.allocate_id();
        let mut territory = state.root().expect("a root").clone();
        territory.id.clone_from(&id);
        territory.name = format!("T{n}");
        territory.reporting_to = Some(root.clone());
        territory.account_rule_criteria = Some(rule("boolean", "equal", json!(true)));
        state.add_territory(territory);
        reached.push(id);
    }
    let env = Env::new(&state, "Accounts", now());
    let hierarchy = Hierarchy::new(&state);
    let mut account = record(json!({"boolean": true}));
    assert_eq!(matched(&env, &hierarchy, "Accounts", &account), reached);
    let wanted = within_limits(&state, "Accounts", &account, reached.clone());
    assert_eq!(wanted, reached[..10]);

    // Two manual territories (one of them also reached by rules) leave room for eight.
    account.territories = vec![manual(&reached[0]), manual("elsewhere")];
    let wanted = within_limits(&state, "Accounts", &account, reached.clone());
    assert_eq!(wanted, reached[1..9]);
    assert!(replace_automatic(&mut account, &wanted, "now"));
    assert_eq!(account.territories.len(), 10);
    assert_eq!(account.territories[0], manual(&reached[0]));
    assert_eq!(account.territories[1], manual("elsewhere"));
    assert!(
        account.territories[2..]
            .iter()
            .all(|t| t.assigned == "automatically" && t.assigned_by.is_none())
    );
    // Nothing reached any more: the automatic ones go, the manual ones stay.
    assert!(replace_automatic(&mut account, &[], "later"));
    assert_eq!(
        account.territories,
        vec![manual(&reached[0]), manual("elsewhere")]
    );
    assert!(!replace_automatic(&mut account, &[], "later"));
}

#[test]
fn a_deal_takes_one_territory_chosen_by_the_tie_break_flag() {
    let (mut state, ids) = tree();
    let deal = record(json!({"text": "Korea", "picklist": "Banking", "currency": 5000}));
    let reached = {
        let env = Env::new(&state, "Deals", now());
        matched(&env, &Hierarchy::new(&state), "Deals", &deal)
    };
    assert_eq!(names(&state, &reached), ["Korea", "Banks", "Big"]);
    assert_eq!(
        names(
            &state,
            &within_limits(&state, "Deals", &deal, reached.clone())
        ),
        ["Korea"]
    );
    state.flags.deal_tie_break = DealTieBreak::Skip;
    assert!(within_limits(&state, "Deals", &deal, reached.clone()).is_empty());
    // One match is no tie.
    assert_eq!(
        within_limits(&state, "Deals", &deal, vec![ids[6].clone()]),
        [ids[6].clone()]
    );
    // A manual territory fills the deal's one place.
    state.flags.deal_tie_break = DealTieBreak::First;
    let mut held = deal.clone();
    held.territories = vec![manual(&ids[0])];
    assert!(within_limits(&state, "Deals", &held, reached).is_empty());
}

#[test]
fn a_territory_run_re_evaluates_the_records_its_territories_hold_or_would_get() {
    let (mut state, ids) = tree();
    let (japan, tokyo, korea, big) = (
        ids[1].clone(),
        ids[2].clone(),
        ids[3].clone(),
        ids[6].clone(),
    );
    let automatic = |id: &str| RecordTerritory {
        id: id.to_owned(),
        assigned: "automatically".to_owned(),
        assigned_by: None,
        assigned_time: "2026-01-01T00:00:00+00:00".to_owned(),
    };
    let mut stale = record(json!({"text": "Japan", "picklist": "Tokyo"}));
    stale.id = "stale".to_owned();
    stale.territories = vec![automatic(&korea), manual(&big)];
    let mut other = record(json!({"currency": 5000}));
    other.id = "other".to_owned();
    state
        .records
        .insert("Accounts".to_owned(), vec![stale, other]);
    let at = parse_datetime("2026-02-11T20:00:00Z").expect("a datetime");

    // Korea alone, without children: `stale` holds it, so it is re-evaluated in full.
    let scope = RuleScope::Territories {
        ids: vec![korea.clone()],
        include_child: false,
    };
    assert_eq!(job::run(&mut state, "Accounts", &scope, at), 1);
    let records = &state.records["Accounts"];
    let held: Vec<(&str, &str)> = records[0]
        .territories
        .iter()
        .map(|t| (t.id.as_str(), t.assigned.as_str()))
        .collect();
    assert_eq!(
        held,
        [
            (big.as_str(), "manually"),
            (tokyo.as_str(), "automatically")
        ]
    );
    assert_eq!(
        records[0].territories[1].assigned_time,
        "2026-02-11T20:00:00+00:00"
    );
    // `other` would get Big, but Big is not in the run's scope.
    assert!(records[1].territories.is_empty());

    // Japan with its children covers what Tokyo would get; running again changes nothing.
    let scope = RuleScope::Territories {
        ids: vec![japan],
        include_child: true,
    };
    assert_eq!(job::run(&mut state, "Accounts", &scope, at), 0);

    // A criteria run covers the records that meet it.
    let scope = RuleScope::Criteria {
        criteria: rule("currency", "greater_than", json!("100")),
    };
    assert_eq!(job::run(&mut state, "Accounts", &scope, at), 1);
    assert_eq!(state.records["Accounts"][1].territories[0].id, big);
}

#[test]
fn contacts_follow_their_account_after_an_accounts_run() {
    let (mut state, ids) = tree();
    let big = ids[6].clone();
    let mut account = record(json!({"currency": 5000}));
    account.id = "acc".to_owned();
    let mut contact = record(json!({"Account_Name": {"id": "acc", "name": "A"}}));
    contact.id = "con".to_owned();
    let mut loner = record(json!({}));
    loner.id = "loner".to_owned();
    state.records.insert("Accounts".to_owned(), vec![account]);
    state
        .records
        .insert("Contacts".to_owned(), vec![contact, loner]);
    let scope = RuleScope::Territories {
        ids: vec![big.clone()],
        include_child: true,
    };
    assert_eq!(job::run(&mut state, "Accounts", &scope, 0), 2);
    let contacts = &state.records["Contacts"];
    assert_eq!(contacts[0].territories.len(), 1);
    assert_eq!(contacts[0].territories[0].id, big);
    assert_eq!(contacts[0].territories[0].assigned, "automatically");
    assert!(contacts[1].territories.is_empty());
}

#[test]
fn jobs_move_through_their_states_on_the_clock() {
    let (mut state, ids) = tree();
    let mut account = record(json!({"currency": 5000}));
    account.id = "acc".to_owned();
    state.records.insert("Accounts".to_owned(), vec![account]);
    state.rule_jobs.push(crate::state::RuleJob {
        job_id: "j".to_owned(),
        module: "Accounts".to_owned(),
        scope: RuleScope::Territories {
            ids: vec![ids[6].clone()],
            include_child: false,
        },
        scheduled_by: state.org.current_user.clone(),
        scheduled_at: 100,
        starts_at: 110,
        ends_at: 130,
        finished: None,
        records_changed: 0,
    });
    let status = |state: &State, now| job::status(&state.rule_jobs[0], now).to_owned();
    assert_eq!(status(&state, 105), "SCHEDULED");
    assert!(!job::settle(&mut state, 129));
    assert_eq!(status(&state, 129), "IN_PROGRESS");
    assert!(state.records["Accounts"][0].territories.is_empty());
    assert!(job::unfinished(&state).is_some());
    assert!(job::settle(&mut state, 500));
    assert_eq!(status(&state, 500), "COMPLETED");
    assert_eq!(state.rule_jobs[0].records_changed, 1);
    assert!(job::unfinished(&state).is_none());
    // The run happened as of its end time, not when it was noticed.
    assert_eq!(
        state.records["Accounts"][0].territories[0].assigned_time,
        crate::clock::format_unix(130, "+00:00")
    );
}
