//! The simulated org: everything the simulator knows, as one serde value that is also the
//! `--state` file format (see simulator/README.md).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The whole simulated org. `Clone` gives a snapshot; the server owns the live copy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub org: Org,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub flags: Flags,
    /// The next id to hand out; ids are allocated monotonically, as Zoho's are.
    #[serde(default = "default_next_id")]
    pub next_id: u64,
    pub users: Vec<User>,
    /// Every territory, the root included (the one with `reporting_to: null`).
    pub territories: Vec<Territory>,
    /// Field metadata per module api name (`Accounts`, `Leads`, `Deals`, `Contacts`).
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<Field>>,
    /// Records per module api name.
    #[serde(default)]
    pub records: BTreeMap<String, Vec<Record>>,
    /// Background jobs scheduled by assign/remove when `flags.offload_parent_territory` is set.
    #[serde(default)]
    pub jobs: Vec<Job>,
    /// OAuth clients that may use the refresh-token grant.
    #[serde(default)]
    pub oauth_clients: Vec<OAuthClient>,
}

fn default_next_id() -> u64 {
    5_725_767_000_001_000_000
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Org {
    pub id: String,
    pub company_name: String,
    /// The id of the user the access tokens act as (`type=CurrentUser`, `created_by`).
    pub current_user: String,
    /// The offset every timestamp carries, e.g. `+05:30`.
    #[serde(default = "default_offset")]
    pub time_zone_offset: String,
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
}

fn default_offset() -> String {
    "+00:00".to_owned()
}

fn default_time_zone() -> String {
    "GMT".to_owned()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Org-wide territory count, the root included (Zoho's example: 250).
    pub territories: usize,
    /// Items per create/update/delete/transfer call and records per assign/remove call.
    pub batch: usize,
    /// Rules in one criteria (Zoho: 25).
    pub criteria_rules: usize,
    pub users_per_territory: usize,
    /// Territories per record outside Deals (Deals take one).
    pub territories_per_record: usize,
    pub per_page: usize,
    /// Lifetime of minted access tokens, in seconds.
    pub access_token_lifetime_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            territories: 250,
            batch: 10,
            criteria_rules: 25,
            users_per_territory: 100,
            territories_per_record: 10,
            per_page: 200,
            access_token_lifetime_secs: 3600,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Flags {
    pub territories_enabled: bool,
    pub lead_rules_enabled: bool,
    pub deal_rules_enabled: bool,
    /// Assign/remove answer 202 with a `job_id` instead of applying synchronously.
    pub offload_parent_territory: bool,
    /// Answer territory-user DELETE with the nested `users: [[...]]` array that Zoho's docs
    /// show, instead of the flat array the official SDK parses.
    pub nested_territory_user_delete: bool,
    /// Accept update items without `permission_type` (the update page marks it mandatory).
    pub permission_type_optional_on_update: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Self {
            territories_enabled: true,
            lead_rules_enabled: true,
            deal_rules_enabled: true,
            offload_parent_territory: false,
            nested_territory_user_delete: false,
            permission_type_optional_on_update: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub first_name: Option<String>,
    pub last_name: String,
    pub email: String,
    /// `active`, `inactive`, `deleted`, ...: Zoho's user status words.
    pub status: String,
    #[serde(default)]
    pub role: Option<NamedRef>,
    #[serde(default)]
    pub profile: Option<NamedRef>,
    #[serde(default)]
    pub zuid: Option<String>,
}

impl User {
    pub fn full_name(&self) -> String {
        match &self.first_name {
            Some(first) => format!("{first} {}", self.last_name),
            None => self.last_name.clone(),
        }
    }

    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedRef {
    pub name: String,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Territory {
    pub id: String,
    pub name: String,
    pub api_name: String,
    /// Parent territory id; `None` only for the root.
    pub reporting_to: Option<String>,
    /// Manager user id.
    #[serde(default)]
    pub manager: Option<String>,
    pub permission_type: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub account_rule_criteria: Option<Value>,
    #[serde(default)]
    pub lead_rule_criteria: Option<Value>,
    #[serde(default)]
    pub deal_rule_criteria: Option<Value>,
    pub created_time: String,
    pub modified_time: String,
    pub created_by: String,
    pub modified_by: String,
    /// Ids of the users associated with the territory.
    #[serde(default)]
    pub users: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub api_name: String,
    pub field_label: String,
    /// Zoho's data type word: text, picklist, currency, lookup, ...
    pub data_type: String,
    #[serde(default)]
    pub pick_list_values: Vec<String>,
    #[serde(default)]
    pub custom_field: bool,
    #[serde(default)]
    pub length: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub id: String,
    /// Other field values, echoed by GET (`Account_Name`, `Billing_Country`, ...).
    #[serde(default)]
    pub fields: BTreeMap<String, Value>,
    #[serde(default)]
    pub territories: Vec<RecordTerritory>,
    /// A locked record refuses assign/remove with RECORD_LOCKED.
    #[serde(default)]
    pub locked: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordTerritory {
    pub id: String,
    /// `manually` or `automatically` (system-assigned by rules).
    pub assigned: String,
    /// The assigning user's id; `None` for automatic assignments.
    #[serde(default)]
    pub assigned_by: Option<String>,
    pub assigned_time: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    pub job_id: String,
    pub module: String,
    pub record_id: String,
    /// `manual_territory_assignment` or `manual_territory_removal`.
    pub source: String,
    pub status: String,
    pub scheduled_time: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: String,
    pub refresh_token: String,
    pub scopes: Vec<String>,
}

impl State {
    /// A fresh org with its root territory and one active admin user.
    pub fn new_org(name: &str) -> State {
        let admin = User {
            id: "5725767000000411001".to_owned(),
            first_name: Some("Patricia".to_owned()),
            last_name: "Boyle".to_owned(),
            email: "patricia.boyle@example.com".to_owned(),
            status: "active".to_owned(),
            role: Some(NamedRef {
                name: "CEO".to_owned(),
                id: "5725767000000031151".to_owned(),
            }),
            profile: Some(NamedRef {
                name: "Administrator".to_owned(),
                id: "5725767000000031157".to_owned(),
            }),
            zuid: Some("60019394663".to_owned()),
        };
        let now = "2024-07-09T20:50:29+00:00".to_owned();
        let root = Territory {
            id: "5725767000000500001".to_owned(),
            name: name.to_owned(),
            api_name: crate::rules::name::api_name(name),
            reporting_to: None,
            manager: Some(admin.id.clone()),
            permission_type: "read_only".to_owned(),
            description: Some(ROOT_DESCRIPTION.to_owned()),
            account_rule_criteria: None,
            lead_rule_criteria: None,
            deal_rule_criteria: None,
            created_time: now.clone(),
            modified_time: now,
            created_by: admin.id.clone(),
            modified_by: admin.id.clone(),
            users: Vec::new(),
        };
        State {
            org: Org {
                id: "5725767000000000001".to_owned(),
                company_name: name.to_owned(),
                current_user: admin.id.clone(),
                time_zone_offset: default_offset(),
                time_zone: default_time_zone(),
            },
            limits: Limits::default(),
            flags: Flags::default(),
            next_id: default_next_id(),
            users: vec![admin],
            territories: vec![root],
            fields: BTreeMap::new(),
            records: BTreeMap::new(),
            jobs: Vec::new(),
            oauth_clients: Vec::new(),
        }
    }

    /// Hands out the next id, as Zoho's 19-digit strings.
    pub fn allocate_id(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        id.to_string()
    }

    pub fn root(&self) -> Option<&Territory> {
        self.territories.iter().find(|t| t.reporting_to.is_none())
    }

    pub fn territory(&self, id: &str) -> Option<&Territory> {
        self.territories.iter().find(|t| t.id == id)
    }

    pub fn territory_mut(&mut self, id: &str) -> Option<&mut Territory> {
        self.territories.iter_mut().find(|t| t.id == id)
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn children(&self, id: &str) -> impl Iterator<Item = &Territory> {
        self.territories
            .iter()
            .filter(move |t| t.reporting_to.as_deref() == Some(id))
    }

    /// Whether `candidate` is `id` itself or lies below it.
    pub fn is_self_or_descendant(&self, id: &str, candidate: &str) -> bool {
        let mut cursor = Some(candidate.to_owned());
        // The hop bound guards against a cyclic state file looping forever.
        for _ in 0..=self.territories.len() {
            match cursor {
                Some(current) if current == id => return true,
                Some(current) => {
                    cursor = self
                        .territory(&current)
                        .and_then(|t| t.reporting_to.clone());
                }
                None => return false,
            }
        }
        false
    }

    /// Checks what the server relies on: exactly one root, parents exist, no cycles, unique ids.
    pub fn check(&self) -> Result<(), String> {
        let roots = self
            .territories
            .iter()
            .filter(|t| t.reporting_to.is_none())
            .count();
        if roots != 1 {
            return Err(format!(
                "expected exactly one root territory (`reporting_to: null`), found {roots}"
            ));
        }
        let mut ids = std::collections::BTreeSet::new();
        for territory in &self.territories {
            if !ids.insert(territory.id.as_str()) {
                return Err(format!("territory id {} appears twice", territory.id));
            }
        }
        for territory in &self.territories {
            if let Some(parent) = &territory.reporting_to {
                if self.territory(parent).is_none() {
                    return Err(format!(
                        "territory `{}` reports to unknown territory id {parent}",
                        territory.name
                    ));
                }
                if self.is_self_or_descendant(&territory.id, parent) {
                    return Err(format!("territory `{}` is part of a cycle", territory.name));
                }
            }
        }
        if self.user(&self.org.current_user).is_none() {
            return Err(format!(
                "org.current_user {} is not a user",
                self.org.current_user
            ));
        }
        Ok(())
    }
}

/// The description Zoho gives the root territory.
pub const ROOT_DESCRIPTION: &str = "Organization Parent Territory";
