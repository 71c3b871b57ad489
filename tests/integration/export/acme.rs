//! examples/acme as an org that has been applied: its desired state turned into the live
//! state `apply` would leave (ids in hierarchy order, managers as users), exported, snapshotted,
//! and read back to the same desired state. The lead's end-to-end test does the same through
//! the simulator; this one needs no network.

use std::collections::BTreeMap;
use std::path::PathBuf;

use territoryctl::export::{ExportOptions, Split, to_yaml};
use territoryctl::model::{Desired, Live, LiveTerritory, NameKey, OrgInfo, UserRef};

use super::equivalence::{assert_plan_has_no_changes, differences};
use super::fixture::{territory, user};
use super::support::load_back;

fn acme() -> Desired {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    territoryctl::config::load(&[path])
        .expect("examples/acme is valid")
        .desired
}

/// The live org after applying `desired` to an empty org whose root is already named.
fn applied(desired: &Desired) -> Live {
    let mut users = BTreeMap::new();
    for email in desired
        .territories
        .iter()
        .filter_map(|t| t.manager.as_ref())
    {
        let id = format!("41508680000002{:05}", users.len() + 1);
        users
            .entry(email.to_lowercase())
            .or_insert_with(|| user(&id, email, email.split('@').next().unwrap_or(email)));
    }
    let mut ids = BTreeMap::from([(
        NameKey::new(&desired.root),
        "4150868000000100000".to_owned(),
    )]);
    let mut territories = vec![territory("4150868000000100000", &desired.root, None)];
    for declared in &desired.territories {
        let id = format!("41508680000001{:05}", territories.len());
        ids.insert(NameKey::new(&declared.name), id.clone());
        let parent = ids
            .get(&NameKey::new(&declared.parent))
            .expect("acme lists parents first");
        let mut live = territory(&id, &declared.name, Some(parent));
        live.permission = declared.permission;
        live.description = declared.description.clone();
        live.rules = declared.rules.clone();
        live.manager = declared.manager.as_ref().map(|email| {
            let user = &users[&email.to_lowercase()];
            UserRef {
                id: user.id.clone(),
                name: Some(user.full_name.clone()),
            }
        });
        territories.push(live);
    }
    territories.sort_by(|a: &LiveTerritory, b| a.id.cmp(&b.id));
    Live {
        org: Some(OrgInfo {
            id: "4150868000000000001".to_owned(),
            name: "Acme Corp".to_owned(),
        }),
        territories,
        users: users.into_values().collect(),
        fields: BTreeMap::new(),
        records: BTreeMap::new(),
    }
}

#[test]
fn acme_applied_then_exported() {
    let live = applied(&acme());
    let options = ExportOptions {
        schema: "../../schema/territories.schema.json".to_owned(),
        ..ExportOptions::default()
    };
    let export = to_yaml(&live, &options).expect("acme has a root");
    assert_eq!(export.warnings, []);
    insta::assert_snapshot!(export.files[0].text);

    let desired = load_back(&export, Split::Single);
    assert_eq!(differences(&desired, &live), Vec::<String>::new());
    assert_plan_has_no_changes(&desired, &live, "acme");
    // The same territories, rules and all, as the example declares (renames aside, which
    // only the YAML's history knows).
    let mut example = acme();
    for territory in &mut example.territories {
        territory.previously.clear();
    }
    let by_name = |desired: &Desired| {
        desired
            .territories
            .iter()
            .map(|t| {
                (
                    NameKey::new(&t.name),
                    (
                        t.parent.clone(),
                        t.manager.clone(),
                        t.permission,
                        t.description.clone(),
                        t.rules.clone(),
                    ),
                )
            })
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(by_name(&desired), by_name(&example));
}
