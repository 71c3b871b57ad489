//! Generated orgs: a live simulator [`State`] and a desired-state YAML of a chosen size and
//! shape, the same bytes for the same [`Shape`].
//!
//! The tree is filled breadth first: territory `i` (1-based; 0 is the root) reports to
//! territory `(i - 1) / fan_out`, so depth grows as log(N) to the base of the fan-out. Every
//! territory has a manager, a description and criteria on two rule modules (Accounts and
//! Leads), so a plan must read both modules' field metadata. Every territory has members: its
//! manager and two more users ([`Org::members`]), which a desired state lists under `users:`
//! only when [`Edit::members`] asks.

use std::fmt::Write as _;

use serde_json::{Value, json};
use zoho_crm_sim::State;

/// The root territory's name.
pub(crate) const ROOT: &str = "Bench Org";

/// The rule modules every generated territory has criteria on: the plan's lower bound reads
/// one field-metadata page for each.
pub(crate) const RULE_MODULES: usize = 2;

const TERRITORY_ID_BASE: u64 = 4_150_868_000_010_000_000;
const ACCOUNT_ID_BASE: u64 = 4_150_868_000_020_000_000;
const USER_ID_BASE: u64 = 4_150_868_000_000_411_000;
const ACCOUNT_COUNTRY_FIELD: &str = "4150868000000000013";
const LEAD_COUNTRY_FIELD: &str = "4150868000000000022";
const DEAL_NAME_FIELD: &str = "4150868000000000031";
/// Territories per desired-state file.
pub(crate) const FILE_TERRITORIES: usize = 5_000;

const STAMP: &str = "2025-01-01T00:00:00+00:00";

/// The size and shape of a generated org.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shape {
    /// Territories in the org, the root included.
    pub(crate) territories: usize,
    /// Children per territory (the last level may be partly filled).
    pub(crate) fan_out: usize,
    /// Active users, managers drawn among them.
    pub(crate) users: usize,
    /// Picks the managers and the criteria values.
    pub(crate) seed: u64,
}

/// One generated territory.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) name: String,
    /// Index of the parent; `None` for the root.
    pub(crate) parent: Option<usize>,
    /// 0 for the root.
    pub(crate) depth: usize,
    pub(crate) manager: usize,
    pub(crate) country: String,
}

/// A generated org: the full tree, from which live states and desired states are cut.
#[derive(Clone, Debug)]
pub(crate) struct Org {
    pub(crate) shape: Shape,
    pub(crate) nodes: Vec<Node>,
}

/// How a desired state differs from the full tree.
#[derive(Clone, Debug, Default)]
pub(crate) struct Edit {
    /// Territories whose description changes.
    pub(crate) redescribe: Vec<usize>,
    /// (territory, new parent) pairs.
    pub(crate) reparent: Vec<(usize, usize)>,
    /// Territories left out of the desired state, deleted under `unmanaged: delete`.
    pub(crate) omit: Vec<usize>,
    /// Write every territory's `users:` (its membership managed).
    pub(crate) members: bool,
    /// Territories whose first member besides the manager is replaced by the next user (one
    /// membership removed, one added), with `members`.
    pub(crate) remember: Vec<usize>,
    /// Territories whose Accounts rule asks for another country (`<country>-moved`), so the
    /// accounts of theirs leave them once the rules run.
    pub(crate) recountry: Vec<usize>,
}

impl Org {
    /// Generates the tree of `shape`, deterministically from its seed.
    #[must_use]
    pub(crate) fn generate(shape: Shape) -> Org {
        let fan_out = shape.fan_out.max(1);
        let users = shape.users.max(1);
        let mut random = shape.seed ^ 0x9e37_79b9_7f4a_7c15;
        let mut nodes: Vec<Node> = Vec::with_capacity(shape.territories);
        for index in 0..shape.territories {
            // xorshift64: a seed-stable stream without a dependency.
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let parent = (index > 0).then(|| (index - 1) / fan_out);
            nodes.push(Node {
                name: if index == 0 {
                    ROOT.to_owned()
                } else {
                    format!("T{index:06}")
                },
                parent,
                depth: parent.map_or(0, |parent| nodes[parent].depth + 1),
                manager: (random % users as u64) as usize,
                country: format!("C{}", random % 997),
            });
        }
        Org { shape, nodes }
    }

    /// The deepest level (the root is level 0).
    #[must_use]
    pub(crate) fn depth(&self) -> usize {
        self.nodes.iter().map(|node| node.depth).max().unwrap_or(0)
    }

    /// `index` and every territory below it.
    #[must_use]
    pub(crate) fn subtree(&self, index: usize) -> Vec<usize> {
        let mut inside = vec![false; self.nodes.len()];
        let mut members = Vec::new();
        // Parents come before their children in `nodes`, so one pass finds the subtree.
        for (position, node) in self.nodes.iter().enumerate() {
            let below = position == index || node.parent.is_some_and(|parent| inside[parent]);
            if below {
                inside[position] = true;
                members.push(position);
            }
        }
        members
    }

    /// The children of `index`.
    #[must_use]
    pub(crate) fn children(&self, index: usize) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&position| self.nodes[position].parent == Some(index))
            .collect()
    }

    /// The users of territory `index` (none for the root): its manager and two more, distinct,
    /// in this order.
    #[must_use]
    pub(crate) fn members(&self, index: usize) -> Vec<usize> {
        if index == 0 {
            return Vec::new();
        }
        let users = self.shape.users.max(1);
        let mut members = vec![self.nodes[index].manager];
        for candidate in [(index * 7 + 3) % users, (index * 13 + 5) % users] {
            if !members.contains(&candidate) {
                members.push(candidate);
            }
        }
        members
    }

    /// The users of territory `index` as `edit` wants them.
    #[must_use]
    pub(crate) fn desired_members(&self, index: usize, edit: &Edit) -> Vec<usize> {
        let mut members = self.members(index);
        if edit.remember.contains(&index) && members.len() > 1 {
            let users = self.shape.users.max(1);
            let mut next = (members[1] + 1) % users;
            while members.contains(&next) && users > members.len() {
                next = (next + 1) % users;
            }
            members[1] = next;
        }
        members
    }

    /// The territory's id in the live state.
    #[must_use]
    pub(crate) fn territory_id(index: usize) -> String {
        (TERRITORY_ID_BASE + index as u64).to_string()
    }

    /// The index of the territory named `name` (0 for the root).
    #[must_use]
    pub(crate) fn index_of(name: &str) -> usize {
        name.strip_prefix('T')
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(0)
    }

    /// The id of generated user `user`.
    #[must_use]
    pub(crate) fn user_id(user: usize) -> String {
        (USER_ID_BASE + user as u64).to_string()
    }

    /// The simulator's state holding the territories `keep` says to keep (the root always),
    /// with the org's territory limit raised to fit the whole tree.
    ///
    /// # Panics
    /// If the generated JSON does not fit the simulator's state (a bug in this generator).
    #[must_use]
    pub(crate) fn live(&self, keep: impl Fn(usize) -> bool) -> State {
        let users: Vec<Value> = (0..self.shape.users.max(1))
            .map(|user| {
                json!({
                    "id": Self::user_id(user),
                    "first_name": "User",
                    "last_name": format!("{user:04}"),
                    "email": email(user),
                    "status": "active",
                    "role": {"name": "Sales", "id": "4150868000000031153"},
                    "profile": {"name": "Administrator", "id": "4150868000000031157"},
                    "zuid": (700_000_000 + user).to_string(),
                })
            })
            .collect();
        let territories: Vec<Value> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|&(index, _)| index == 0 || keep(index))
            .map(|(index, node)| self.live_territory(index, node))
            .collect();
        let state = json!({
            "org": {
                "id": "4150868000000000001",
                "company_name": ROOT,
                "current_user": USER_ID_BASE.to_string(),
            },
            "limits": {"territories": self.nodes.len().max(250) + 10},
            "users": users,
            "territories": territories,
            "fields": {
                "Accounts": [field(ACCOUNT_COUNTRY_FIELD, "Billing_Country", "Billing Country")],
                "Leads": [field(LEAD_COUNTRY_FIELD, "Country", "Country")],
                "Deals": [field(DEAL_NAME_FIELD, "Deal_Name", "Deal Name")],
            },
        });
        serde_json::from_value(state).expect("the generated state fits the simulator's")
    }

    /// `count` Accounts records, each with a name and the `Billing_Country` of a territory
    /// (spread over all of them, every seventh one a country no territory has), in no
    /// territory yet.
    ///
    /// # Panics
    /// If the generated JSON does not fit the simulator's records (a bug in this generator).
    #[must_use]
    pub(crate) fn accounts(&self, count: usize) -> Vec<zoho_crm_sim::state::Record> {
        let territories = self.nodes.len().saturating_sub(1).max(1);
        (0..count)
            .map(|record| {
                let country = if record % 7 == 6 {
                    "Nowhere".to_owned()
                } else {
                    self.nodes[1 + (record * 7919) % territories]
                        .country
                        .clone()
                };
                serde_json::from_value(json!({
                    "id": (ACCOUNT_ID_BASE + record as u64).to_string(),
                    "fields": {
                        "Account_Name": format!("Account {record}"),
                        "Billing_Country": country,
                    },
                }))
                .expect("the generated record fits the simulator's")
            })
            .collect()
    }

    fn live_territory(&self, index: usize, node: &Node) -> Value {
        let user = (USER_ID_BASE + node.manager as u64).to_string();
        let (description, accounts, leads) = if index == 0 {
            (
                json!("Organization Parent Territory"),
                Value::Null,
                Value::Null,
            )
        } else {
            (
                json!(description(index)),
                criterion(ACCOUNT_COUNTRY_FIELD, "Billing_Country", &node.country),
                criterion(LEAD_COUNTRY_FIELD, "Country", &node.country),
            )
        };
        json!({
            "id": Self::territory_id(index),
            "name": node.name,
            "api_name": node.name.replace(' ', "_"),
            "reporting_to": node.parent.map(Self::territory_id),
            "manager": user,
            "permission_type": if index == 0 { "read_only" } else { "read_write_delete" },
            "description": description,
            "account_rule_criteria": accounts,
            "lead_rule_criteria": leads,
            "created_time": STAMP,
            "modified_time": STAMP,
            "created_by": USER_ID_BASE.to_string(),
            "modified_by": USER_ID_BASE.to_string(),
            "users": self.members(index).into_iter().map(Self::user_id).collect::<Vec<_>>(),
        })
    }

    /// The desired state: the whole tree with `edit` applied, as territoryctl's YAML, in files
    /// of at most [`FILE_TERRITORIES`] territories each (every file repeats the same
    /// document-level keys), since one file may hold at most 250,000 YAML values.
    #[must_use]
    pub(crate) fn desired_files(&self, edit: &Edit) -> Vec<String> {
        let mut omitted = vec![false; self.nodes.len()];
        for &index in &edit.omit {
            omitted[index] = true;
        }
        let mut revised = vec![false; self.nodes.len()];
        for &index in &edit.redescribe {
            revised[index] = true;
        }
        let unmanaged = if edit.omit.is_empty() {
            "report"
        } else {
            "delete"
        };
        let header = format!(
            "version: 1\nroot: {ROOT}\nunmanaged: {unmanaged}\ndefaults:\n  permission: read_write_delete\nterritories:\n"
        );
        let mut files = Vec::new();
        let mut out = header.clone();
        let mut in_file = 0;
        for (index, node) in self.nodes.iter().enumerate().skip(1) {
            if omitted[index] {
                continue;
            }
            if in_file == FILE_TERRITORIES {
                files.push(std::mem::replace(&mut out, header.clone()));
                in_file = 0;
            }
            in_file += 1;
            let parent = edit
                .reparent
                .iter()
                .find(|(moved, _)| *moved == index)
                .map_or(node.parent, |(_, parent)| Some(*parent))
                .map_or(ROOT, |parent| self.nodes[parent].name.as_str());
            let mut text = description(index);
            if revised[index] {
                text.push_str(" (revised)");
            }
            let account_country = if edit.recountry.contains(&index) {
                format!("{}-moved", node.country)
            } else {
                node.country.clone()
            };
            let _ = write!(
                out,
                "  - name: {}\n    parent: {parent}\n    manager: {}\n    description: {text}\n    rules:\n      accounts: {{ field: Billing_Country, comparator: equal, value: {} }}\n      leads: {{ field: Country, comparator: equal, value: {} }}\n",
                node.name,
                email(node.manager),
                account_country,
                node.country,
            );
            if edit.members {
                let mut emails: Vec<String> = self
                    .desired_members(index, edit)
                    .into_iter()
                    .map(email)
                    .collect();
                emails.sort();
                let _ = writeln!(out, "    users: [{}]", emails.join(", "));
            }
        }
        files.push(out);
        files
    }
}

fn email(user: usize) -> String {
    format!("user{user:04}@bench.example")
}

fn description(index: usize) -> String {
    format!("Generated territory {index}")
}

fn field(id: &str, api_name: &str, label: &str) -> Value {
    json!({"id": id, "api_name": api_name, "field_label": label, "data_type": "text", "length": 30})
}

fn criterion(field_id: &str, api_name: &str, value: &str) -> Value {
    json!({"comparator": "equal", "field": {"api_name": api_name, "id": field_id}, "value": value})
}
