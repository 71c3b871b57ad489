//! Rule analysis through `config::load` (real files, real origins): each finding kind, and
//! the cases that must not be reported; the warnings `validate` prints, located.

use std::collections::BTreeMap;

use territoryctl::analysis::{Finding, FindingKind, analyse};
use territoryctl::model::{FieldMeta, RuleModule};

/// The findings of a desired state whose territories are `body` (under root `Acme`).
fn findings_with(
    body: &str,
    fields: Option<&BTreeMap<RuleModule, Vec<FieldMeta>>>,
) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("territories.yaml");
    std::fs::write(
        &path,
        format!("version: 1\nroot: Acme\nterritories:\n{body}"),
    )
    .unwrap();
    let loaded = territoryctl::config::load(&[path]).expect("a valid desired state");
    analyse(&loaded.desired, fields)
}

fn findings(body: &str) -> Vec<(FindingKind, String)> {
    findings_with(body, None)
        .into_iter()
        .map(|f| (f.kind, f.territory))
        .collect()
}

/// A parent and a child with these Accounts rules.
fn parent_child(parent: &str, child: &str) -> Vec<(FindingKind, String)> {
    findings(&format!(
        "  - name: Parent\n    parent: Acme\n    rules:\n      accounts: {parent}\n\
         \x20 - name: Child\n    parent: Parent\n    rules:\n      accounts: {child}\n"
    ))
}

const NEVER: FindingKind = FindingKind::NeverMatches;

#[test]
fn a_child_whose_rules_contradict_its_parents_can_never_match() {
    let contradictions = [
        // equality
        (
            "{ field: Billing_Country, comparator: equal, value: Japan }",
            "{ field: Billing_Country, comparator: equal, value: Korea }",
        ),
        // membership
        (
            "{ field: Billing_Country, comparator: in, value: [Japan, Korea] }",
            "{ field: Billing_Country, comparator: equal, value: Canada }",
        ),
        (
            "{ field: Billing_Country, comparator: not_in, value: [Japan, Korea] }",
            "{ field: Billing_Country, comparator: equal, value: japan }",
        ),
        // numeric ranges
        (
            "{ field: Annual_Revenue, comparator: greater_than, value: 1000000 }",
            "{ field: Annual_Revenue, comparator: between, value: [0, 1000000] }",
        ),
        // dates
        (
            "{ field: Closing_Date, comparator: greater_equal, value: 2026-06-01 }",
            "{ field: Closing_Date, comparator: less_than, value: 2026-06-01 }",
        ),
        // checkboxes
        (
            "{ field: Is_Partner, comparator: equal, value: true }",
            "{ field: Is_Partner, comparator: not_equal, value: true }",
        ),
        // empty
        (
            "{ field: Billing_State, comparator: starts_with, value: C }",
            "{ field: Billing_State, comparator: equal, value: \"${EMPTY}\" }",
        ),
    ];
    for (parent, child) in contradictions {
        assert_eq!(
            parent_child(parent, child),
            [(NEVER, "Child".to_owned())],
            "{parent} / {child}"
        );
    }
}

#[test]
fn what_may_overlap_is_never_called_disjoint() {
    let satisfiable = [
        // Text operators are never decided: "Ja..." and "Ko..." may look disjoint.
        (
            "{ field: Billing_Country, comparator: starts_with, value: Ja }",
            "{ field: Billing_Country, comparator: starts_with, value: Ko }",
        ),
        (
            "{ field: Billing_Country, comparator: contains, value: an }",
            "{ field: Billing_Country, comparator: equal, value: Korea }",
        ),
        (
            "{ field: Billing_Country, comparator: equal, value: Japan }",
            "{ any: [ { field: Billing_Country, comparator: equal, value: Korea }, { field: Annual_Revenue, comparator: greater_than, value: 5 } ] }",
        ),
        // A multi-select may hold both values (offline the field type is unknown).
        (
            "{ field: Tags, comparator: in, value: [Gold] }",
            "{ field: Tags, comparator: in, value: [Silver] }",
        ),
        // Date literals are not decided.
        (
            "{ field: Closing_Date, comparator: equal, value: \"${TODAY}\" }",
            "{ field: Closing_Date, comparator: equal, value: \"${THISMONTH}\" }",
        ),
        // Negations match an empty field.
        (
            "{ field: Billing_Country, comparator: not_equal, value: Japan }",
            "{ field: Billing_Country, comparator: not_in, value: [Korea] }",
        ),
        (
            "{ field: Annual_Revenue, comparator: greater_than, value: 10 }",
            "{ field: Annual_Revenue, comparator: less_than, value: 11 }",
        ),
    ];
    for (parent, child) in satisfiable {
        assert_eq!(parent_child(parent, child), [], "{parent} / {child}");
    }
}

#[test]
fn a_territory_whose_own_rules_contradict_is_reported_once_not_its_children() {
    let found = findings(
        "  - name: Broken\n    parent: Acme\n    rules:\n      accounts: { all: [ \
         { field: Annual_Revenue, comparator: less_than, value: 10 }, \
         { field: Annual_Revenue, comparator: greater_than, value: 20 } ] }\n\
         \x20 - name: Below\n    parent: Broken\n    rules:\n      accounts: { field: Billing_Country, comparator: equal, value: Japan }\n",
    );
    assert_eq!(found, [(NEVER, "Broken".to_owned())]);
}

#[test]
fn multi_select_lists_are_decided_when_the_org_says_the_field_holds_one_value() {
    let body = "  - name: Parent\n    parent: Acme\n    rules:\n      accounts: { field: Tags, comparator: in, value: [Gold] }\n\
                \x20 - name: Child\n    parent: Parent\n    rules:\n      accounts: { field: Tags, comparator: in, value: [Silver] }\n";
    let field = |data_type: &str| FieldMeta {
        api_name: "Tags".into(),
        id: "1".into(),
        data_type: data_type.into(),
        picklist: Vec::new(),
    };
    let picklist = BTreeMap::from([(RuleModule::Accounts, vec![field("picklist")])]);
    let multi = BTreeMap::from([(RuleModule::Accounts, vec![field("multiselectpicklist")])]);
    let kinds = |fields| -> Vec<FindingKind> {
        findings_with(body, Some(fields))
            .into_iter()
            .map(|f| f.kind)
            .collect()
    };
    assert_eq!(kinds(&picklist), [NEVER]);
    assert_eq!(kinds(&multi), []);
}

fn deals(first: &str, second: &str) -> Vec<Finding> {
    findings_with(
        &format!(
            "  - name: Big\n    parent: Acme\n    rules:\n      deals: {first}\n\
             \x20 - name: Small\n    parent: Acme\n    rules:\n      deals: {second}\n"
        ),
        None,
    )
}

#[test]
fn sibling_deals_rules_that_can_catch_one_deal_are_reported_with_an_example() {
    let found = deals(
        "{ field: Amount, comparator: greater_than, value: 10000 }",
        "{ all: [ { field: Amount, comparator: less_than, value: 50000 }, { field: Stage, comparator: equal, value: Won } ] }",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, FindingKind::OverlappingDeals);
    let example = found[0].example.as_ref().unwrap();
    let amount = example["Amount"].as_f64().unwrap();
    assert!(amount > 10_000.0 && amount < 50_000.0, "{example:?}");
    assert_eq!(example["Stage"], "Won");
    assert!(
        found[0].message.contains("`Small` and its sibling `Big`"),
        "{}",
        found[0].message
    );
    // Text operators that can overlap are shown overlapping, with a deal that does.
    let text = deals(
        "{ field: Deal_Name, comparator: starts_with, value: Big }",
        "{ field: Deal_Name, comparator: contains, value: deal }",
    );
    assert_eq!(text.len(), 1, "{text:?}");
}

#[test]
fn sibling_deals_rules_that_exclude_each_other_are_not_reported() {
    for (first, second) in [
        (
            "{ field: Stage, comparator: equal, value: Won }",
            "{ field: Stage, comparator: equal, value: Lost }",
        ),
        (
            "{ field: Amount, comparator: greater_equal, value: 10000 }",
            "{ field: Amount, comparator: less_than, value: 10000 }",
        ),
    ] {
        assert_eq!(deals(first, second), [], "{first} / {second}");
    }
    // Accounts may take ten territories: overlapping siblings there are fine.
    let accounts = findings(
        "  - name: A\n    parent: Acme\n    rules:\n      accounts: { field: Annual_Revenue, comparator: greater_than, value: 1 }\n\
         \x20 - name: B\n    parent: Acme\n    rules:\n      accounts: { field: Annual_Revenue, comparator: greater_than, value: 2 }\n",
    );
    assert_eq!(accounts, []);
}

#[test]
fn a_rule_repeating_its_parents_condition_is_redundant() {
    let found = parent_child(
        "{ field: Billing_Country, comparator: equal, value: United States }",
        "{ all: [ { field: Billing_Country, comparator: equal, value: united states }, { field: Billing_State, comparator: equal, value: CA } ] }",
    );
    assert_eq!(found, [(FindingKind::RepeatsParent, "Child".to_owned())]);
    let different = parent_child(
        "{ field: Billing_Country, comparator: equal, value: United States }",
        "{ all: [ { field: Billing_Country, comparator: in, value: [United States, Canada] }, { field: Billing_State, comparator: equal, value: CA } ] }",
    );
    assert_eq!(different, []);
}

#[test]
fn a_field_no_sibling_uses_is_a_likely_typo_online_only() {
    let body = "  - name: A\n    parent: Acme\n    rules:\n      accounts: { field: Billing_Country, comparator: equal, value: Japan }\n\
                \x20 - name: B\n    parent: Acme\n    rules:\n      accounts: { field: Billing_Country, comparator: equal, value: Korea }\n\
                \x20 - name: C\n    parent: Acme\n    rules:\n      accounts: { field: Billing_County, comparator: equal, value: Canada }\n";
    assert_eq!(
        findings_with(body, None),
        [],
        "offline, fields are not judged"
    );
    let fields = BTreeMap::from([(RuleModule::Accounts, Vec::new())]);
    let online = findings_with(body, Some(&fields));
    assert_eq!(online.len(), 1, "{online:?}");
    assert_eq!(
        (online[0].kind, online[0].territory.as_str()),
        (FindingKind::FieldNoSiblingUses, "C")
    );
    assert_eq!(
        online[0].help,
        "if `Billing_County` is a typo, write `Billing_Country`"
    );
}

#[test]
fn validate_prints_each_finding_located_with_its_code_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("territories.yaml");
    std::fs::write(
        &path,
        "version: 1\nroot: Acme\nterritories:\n  - name: Japan\n    parent: Acme\n    rules:\n      accounts: { field: Billing_Country, comparator: equal, value: Japan }\n  - name: Korea\n    parent: Japan\n    rules:\n      accounts: { field: Billing_Country, comparator: equal, value: Korea }\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(["--color", "never", "validate"])
        .arg(&path)
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "warnings do not fail validate"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout, "2 territories under `Acme`: valid (1 warning).\n");
    let stderr = String::from_utf8(output.stderr)
        .unwrap()
        .replace(&path.display().to_string(), "[FILE]");
    insta::assert_snapshot!("validate_never_matches", stderr);
}
