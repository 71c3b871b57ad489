//! Scenario builder: a desired state, the live org that matches it exactly (as Zoho would echo
//! it back after an apply), and helpers to change one thing on either side.

use std::collections::BTreeMap;

use territoryctl::model::{
    AssignedHow, Comparator, Criteria, Desired, DesiredTerritory, Fields, GroupOperator, Live,
    LiveRecord, LiveTerritory, Module, NameKey, Permission, RecordTerritory, Rule, RuleValue,
    Scalar, Unmanaged, User, UserRef,
};
use territoryctl::plan::{Plan, PlanError, Policy};

pub(crate) const ACCOUNT: &str = "4150868000004522032";
pub(crate) const DEAL: &str = "4150868000009000001";

pub(crate) struct Scenario {
    pub(crate) desired: Desired,
    pub(crate) live: Live,
    pub(crate) policy: Policy,
}

pub(crate) fn rule(field: &str, comparator: Comparator, value: RuleValue) -> Criteria {
    Criteria::Rule(Rule {
        field: field.to_owned(),
        comparator,
        value,
    })
}

pub(crate) fn text(value: &str) -> Scalar {
    Scalar::Text(value.to_owned())
}

pub(crate) fn territory(name: &str, parent: &str) -> DesiredTerritory {
    DesiredTerritory {
        fields: Fields::new(name, parent.to_owned(), Permission::ReadWriteDelete),
        previously: Vec::new(),
        origins: Default::default(),
    }
}

fn users() -> Vec<User> {
    [
        (
            "2276164000000471001",
            "patricia.boyle@acme.example",
            "Patricia Boyle",
        ),
        (
            "2276164000000471002",
            "marco.rossi@acme.example",
            "Marco Rossi",
        ),
        ("2276164000000471003", "amy.chen@acme.example", "Amy Chen"),
    ]
    .into_iter()
    .map(|(id, email, name)| User {
        id: id.to_owned(),
        email: email.to_owned(),
        full_name: name.to_owned(),
    })
    .collect()
}

/// Acme Corp: two regions with countries below them, managers, rules on two modules, a
/// description, and manual assignments of an Account and a Deal.
pub(crate) fn acme() -> Desired {
    let mut north_america = territory("North America", "Acme Corp");
    north_america.manager = Some("patricia.boyle@acme.example".into());
    north_america.description = Some("Everything north of the Rio Grande, and Mexico.".into());
    north_america.rules.accounts = Some(Criteria::Group {
        operator: GroupOperator::And,
        items: vec![
            rule(
                "Billing_Country",
                Comparator::In,
                RuleValue::Many(vec![text("United States"), text("Canada")]),
            ),
            rule(
                "Annual_Revenue",
                Comparator::GreaterThan,
                RuleValue::One(Scalar::Number("1000000".into())),
            ),
        ],
    });
    let mut united_states = territory("United States", "North America");
    united_states.manager = Some("patricia.boyle@acme.example".into());
    united_states.rules.deals = Some(rule(
        "Owner",
        Comparator::Equal,
        RuleValue::One(Scalar::Lookup {
            id: "2276164000000471001".into(),
            name: None,
        }),
    ));
    let canada = territory("Canada", "North America");
    let mut europe = territory("Europe", "Acme Corp");
    europe.manager = Some("marco.rossi@acme.example".into());
    europe.permission = Permission::ReadOnly;
    let germany = territory("Germany", "Europe");
    let france = territory("France", "Europe");
    let mut assignments = BTreeMap::new();
    assignments.insert(
        Module::Accounts,
        BTreeMap::from([(ACCOUNT.to_owned(), vec!["United States".to_owned()])]),
    );
    assignments.insert(
        Module::Deals,
        BTreeMap::from([(DEAL.to_owned(), vec!["Germany".to_owned()])]),
    );
    Desired {
        root: "Acme Corp".into(),
        root_origin: None,
        unmanaged: Unmanaged::Report,
        territories: vec![
            north_america,
            united_states,
            canada,
            europe,
            germany,
            france,
        ],
        assignments,
    }
}

/// The live org an apply of `desired` leaves, echoed as Zoho echoes it: numbers as strings,
/// lookups with names, no description as `None`. Ids are allocated in desired order.
pub(crate) fn live_of(desired: &Desired) -> Live {
    let users = users();
    let mut ids: BTreeMap<NameKey, String> = BTreeMap::new();
    ids.insert(NameKey::new(&desired.root), "431581000000272796".into());
    for (index, territory) in desired.territories.iter().enumerate() {
        ids.insert(
            NameKey::new(&territory.name),
            format!("4315810000007{:05}", index + 1),
        );
    }
    let id = |name: &str| ids[&NameKey::new(name)].clone();
    let mut territories = vec![LiveTerritory {
        id: id(&desired.root),
        fields: Fields {
            manager: Some(UserRef {
                id: users[0].id.clone(),
                name: Some(users[0].full_name.clone()),
            }),
            description: Some("Organization Parent Territory".into()),
            ..Fields::new(desired.root.clone(), None, Permission::ReadOnly)
        },
        modified_time: Some("2024-07-09T20:50:29+05:30".into()),
    }];
    for territory in &desired.territories {
        let manager = territory.manager.as_ref().map(|email| {
            let user = users
                .iter()
                .find(|user| user.email == *email)
                .expect("scenario managers are users");
            UserRef {
                id: user.id.clone(),
                name: Some(user.full_name.clone()),
            }
        });
        let mut rules = territory.rules.clone();
        for module in territoryctl::model::RuleModule::ALL {
            if let Some(criteria) = rules.get_mut(module) {
                echo(criteria, &users);
            }
        }
        territories.push(LiveTerritory {
            id: id(&territory.name),
            fields: Fields {
                manager,
                description: territory.description.clone(),
                rules,
                ..Fields::new(
                    territory.name.clone(),
                    Some(id(&territory.parent)),
                    territory.permission,
                )
            },
            modified_time: Some("2025-01-02T10:00:00+05:30".into()),
        });
    }
    let mut records: BTreeMap<Module, BTreeMap<String, LiveRecord>> = BTreeMap::new();
    for (module, listed) in &desired.assignments {
        for (record, names) in listed {
            let territories = names
                .iter()
                .map(|name| RecordTerritory {
                    id: id(name),
                    name: name.clone(),
                    how: AssignedHow::Manually,
                    assigned_by: None,
                    assigned_time: None,
                })
                .collect();
            records.entry(*module).or_default().insert(
                record.clone(),
                LiveRecord {
                    id: record.clone(),
                    territories,
                },
            );
        }
    }
    Live {
        org: None,
        territories,
        users,
        fields: BTreeMap::new(),
        records,
    }
}

/// What Zoho does to criteria on the way back: numbers become strings, lookups gain names.
pub(crate) fn echo(criteria: &mut Criteria, users: &[User]) {
    let scalar = |scalar: &mut Scalar| match scalar {
        Scalar::Number(number) => *scalar = Scalar::Text(format!("{number}.0")),
        Scalar::Lookup { id, name } => {
            *name = users
                .iter()
                .find(|user| user.id == *id)
                .map(|user| user.full_name.clone());
        }
        Scalar::Text(_) | Scalar::Bool(_) => {}
    };
    match criteria {
        Criteria::Rule(rule) => match &mut rule.value {
            RuleValue::One(value) => scalar(value),
            RuleValue::Many(values) => values.iter_mut().for_each(scalar),
        },
        Criteria::Group { items, .. } => items.iter_mut().for_each(|item| echo(item, users)),
    }
}

impl Scenario {
    /// Acme, live = desired.
    pub(crate) fn acme() -> Self {
        Self::from_desired(acme())
    }

    pub(crate) fn from_desired(desired: Desired) -> Self {
        let live = live_of(&desired);
        Self {
            desired,
            live,
            policy: Policy::default(),
        }
    }

    pub(crate) fn desired_territory(&mut self, name: &str) -> &mut DesiredTerritory {
        let key = NameKey::new(name);
        self.desired
            .territories
            .iter_mut()
            .find(|territory| NameKey::new(&territory.name) == key)
            .expect("the scenario has this territory")
    }

    pub(crate) fn live_territory(&mut self, name: &str) -> &mut LiveTerritory {
        let key = NameKey::new(name);
        self.live
            .territories
            .iter_mut()
            .find(|territory| NameKey::new(&territory.name) == key)
            .expect("the live org has this territory")
    }

    pub(crate) fn live_id(&self, name: &str) -> String {
        let key = NameKey::new(name);
        self.live
            .territories
            .iter()
            .find(|territory| NameKey::new(&territory.name) == key)
            .map(|territory| territory.id.clone())
            .expect("the live org has this territory")
    }

    /// Adds a live territory the desired state does not have.
    pub(crate) fn add_live(&mut self, id: &str, name: &str, parent: &str) {
        let parent = self.live_id(parent);
        self.live.territories.push(LiveTerritory {
            id: id.to_owned(),
            fields: Fields::new(name, Some(parent), Permission::ReadWriteDelete),
            modified_time: Some("2025-03-04T10:00:00+05:30".into()),
        });
    }

    pub(crate) fn remove_desired(&mut self, name: &str) {
        let key = NameKey::new(name);
        self.desired
            .territories
            .retain(|territory| NameKey::new(&territory.name) != key);
    }

    pub(crate) fn plan(&self) -> Result<Plan, PlanError> {
        territoryctl::plan::plan(&self.desired, &self.live, &self.policy)
    }

    /// The plan, which the scenario expects to be made.
    pub(crate) fn planned(&self) -> Plan {
        match self.plan() {
            Ok(plan) => plan,
            Err(error) => panic!("the scenario should plan: {error}"),
        }
    }
}
