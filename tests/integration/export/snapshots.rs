//! What users read: the exported YAML of the sample org, whole.

use std::collections::{BTreeMap, BTreeSet};

use territoryctl::export::{ExportOptions, Split, to_yaml};
use territoryctl::model::Module;

use super::fixture::{ACCOUNT_RECORD, CONTACT_RECORD, MISSING_DEAL, sample_live};

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
            (
                Module::Leads,
                BTreeSet::from(["4150868000004550001".to_owned()]),
            ),
        ]),
    }
}

#[test]
fn sample_org_as_one_file() {
    let export = to_yaml(&sample_live(), &options(Split::Single)).expect("the org has a root");
    assert_eq!(export.files.len(), 1);
    insta::assert_snapshot!(export.files[0].text);
}

#[test]
fn sample_org_split_by_top_level_territory() {
    let export = to_yaml(&sample_live(), &options(Split::TopLevel)).expect("the org has a root");
    let rendered: Vec<String> = export
        .files
        .iter()
        .map(|file| format!("=== {}\n{}", file.path.display(), file.text))
        .collect();
    insta::assert_snapshot!(rendered.join("\n"));
}

#[test]
fn sample_org_warnings() {
    let export = to_yaml(&sample_live(), &options(Split::Single)).expect("the org has a root");
    let rendered: Vec<String> = export
        .warnings
        .iter()
        .map(|warning| format!("warning[{}]: {warning}", warning.code()))
        .collect();
    insta::assert_snapshot!(rendered.join("\n"));
}

#[test]
fn the_same_org_gives_byte_identical_output_whatever_the_input_order() {
    let live = sample_live();
    let mut shuffled = live.clone();
    shuffled.territories.reverse();
    shuffled.users.reverse();
    let options = options(Split::Single);
    assert_eq!(
        to_yaml(&live, &options).expect("root"),
        to_yaml(&shuffled, &options).expect("root")
    );
}

#[test]
fn an_org_without_a_root_is_an_error_not_an_empty_file() {
    let error = to_yaml(
        &territoryctl::model::Live::default(),
        &ExportOptions::default(),
    )
    .expect_err("no root");
    assert_eq!(
        error.to_string(),
        "the live org has no root territory, so there is nothing to export"
    );
}
