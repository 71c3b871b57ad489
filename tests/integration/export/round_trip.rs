//! Export, then parse back with `config::load`: the result describes the live org exactly,
//! except for what the export warned about.

use std::collections::{BTreeMap, BTreeSet};

use territoryctl::export::{ExportOptions, Split, Warning, to_yaml};
use territoryctl::model::{Module, RuleModule};

use super::equivalence::differences;
use super::fixture::{ACCOUNT_RECORD, CONTACT_RECORD, MISSING_DEAL, sample_live};
use super::support::load_back;

fn options(split: Split) -> ExportOptions {
    ExportOptions {
        schema: "../schema/territories.schema.json".to_owned(),
        split,
        assignments: BTreeMap::from([
            (
                Module::Accounts,
                BTreeSet::from([ACCOUNT_RECORD.to_owned()]),
            ),
            (
                Module::Contacts,
                BTreeSet::from([CONTACT_RECORD.to_owned()]),
            ),
            (Module::Deals, BTreeSet::from([MISSING_DEAL.to_owned()])),
        ]),
    }
}

#[test]
fn the_sample_org_reads_back_as_itself_from_one_file() {
    let live = sample_live();
    let export = to_yaml(&live, &options(Split::Single)).expect("the org has a root");
    let desired = load_back(&export, Split::Single);
    assert_eq!(differences(&desired, &live), Vec::<String>::new());
    assert_eq!(desired.territories.len(), 9);
    // Parents come before their children.
    let names: Vec<&str> = desired
        .territories
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Americas",
            "North: West",
            "123",
            "Yes",
            "São Paulo (Região 2)",
            "EMEA",
            "DACH",
            "Zürich – Nord",
            "日本 and APAC",
        ]
    );
}

#[test]
fn the_sample_org_reads_back_as_itself_from_a_split_directory() {
    let live = sample_live();
    let single = to_yaml(&live, &options(Split::Single)).expect("the org has a root");
    let split = to_yaml(&live, &options(Split::TopLevel)).expect("the org has a root");
    let paths: Vec<String> = split
        .files
        .iter()
        .map(|file| file.path.display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "_root.yaml",
            "americas.yaml",
            "emea.yaml",
            "日本-and-apac.yaml"
        ]
    );
    let from_split = load_back(&split, Split::TopLevel);
    assert_eq!(differences(&from_split, &live), Vec::<String>::new());
    let from_single = load_back(&single, Split::Single);
    assert_eq!(from_split.assignments, from_single.assignments);
    assert_eq!(split.warnings, single.warnings);
}

#[test]
fn manual_assignments_of_the_requested_records_read_back() {
    let live = sample_live();
    let export = to_yaml(&live, &options(Split::Single)).expect("the org has a root");
    let desired = load_back(&export, Split::Single);
    assert_eq!(
        desired.assignments,
        BTreeMap::from([
            (
                Module::Accounts,
                BTreeMap::from([(
                    ACCOUNT_RECORD.to_owned(),
                    vec![
                        "São Paulo (Região 2)".to_owned(),
                        "Zürich – Nord".to_owned()
                    ],
                )]),
            ),
            (
                Module::Contacts,
                BTreeMap::from([(CONTACT_RECORD.to_owned(), Vec::new())]),
            ),
        ])
    );
}

#[test]
fn what_cannot_be_expressed_is_warned_about_and_left_as_comments() {
    let live = sample_live();
    let export = to_yaml(&live, &options(Split::Single)).expect("the org has a root");
    assert_eq!(
        export.warnings,
        [
            Warning::InactiveManager {
                territory: "North: West".to_owned(),
                manager_id: "7000000000009".to_owned(),
                manager_name: Some("Dana Former".to_owned()),
            },
            Warning::DeletedField {
                territory: "EMEA".to_owned(),
                module: RuleModule::Leads,
                field: "Legacy_Region".to_owned(),
            },
            Warning::DeletedField {
                territory: "Zürich – Nord".to_owned(),
                module: RuleModule::Deals,
                field: "Legacy_Region".to_owned(),
            },
            Warning::Unreachable {
                territory: "Lost Territory".to_owned(),
                id: "1099".to_owned(),
                parent: Some("4242".to_owned()),
            },
            Warning::RecordNotFound {
                module: Module::Deals,
                id: MISSING_DEAL.to_owned(),
            },
        ]
    );
    let text = &export.files[0].text;
    assert!(text.contains("# manager: Dana Former (id 7000000000009) is not an active user"));
    assert!(
        text.contains("      # leads: { field: Legacy_Region, comparator: equal, value: EU }\n")
    );
    assert!(text.contains("Lost Territory"));
}

#[test]
fn an_org_with_only_its_root_reads_back_from_one_file_and_from_a_split_directory() {
    let live = territoryctl::model::Live {
        territories: vec![super::fixture::territory("1", "Zylker", None)],
        ..territoryctl::model::Live::default()
    };
    for split in [Split::Single, Split::TopLevel] {
        let options = ExportOptions {
            split,
            ..ExportOptions::default()
        };
        let export = to_yaml(&live, &options).expect("a root");
        assert_eq!(export.files.len(), 1, "{split:?}");
        let desired = load_back(&export, split);
        assert_eq!(desired.root, "Zylker");
        assert!(desired.territories.is_empty());
        assert_eq!(differences(&desired, &live), Vec::<String>::new());
    }
}
