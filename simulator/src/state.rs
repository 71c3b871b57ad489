//! The simulated org: everything the simulator knows, as one serde value that is also the
//! `--state` file format (see simulator/README.md).

use std::collections::{BTreeMap, HashMap};

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
    /// Every territory, the root included (the one with `reporting_to: null`). Boxed so that
    /// deleting one moves pointers, not whole territories, down the list.
    pub territories: Vec<Box<Territory>>,
    /// Field metadata per module api name (`Accounts`, `Leads`, `Deals`, `Contacts`).
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<Field>>,
    /// Records per module api name.
    #[serde(default)]
    pub records: BTreeMap<String, Vec<Record>>,
    /// Background jobs scheduled by assign/remove when `flags.offload_parent_territory` is set.
    #[serde(default)]
    pub jobs: Vec<Job>,
    /// Territory rule runs (`run_rules`), oldest first.
    #[serde(default)]
    pub rule_jobs: Vec<RuleJob>,
    /// OAuth clients that may use the refresh-token grant.
    #[serde(default)]
    pub oauth_clients: Vec<OAuthClient>,
    /// Lookups by id and by name, derived from `territories`.
    #[serde(skip)]
    index: Index,
}

/// Where each territory sits in [`State::territories`], by id and by name (case-insensitive),
/// so that a lookup does not scan the org: without it, creating or listing the territories
/// of a 20,000-territory org is quadratic.
///
/// Derived data: not serialized, not compared. Built by [`State::reindex`] (the server does
/// so when it takes a state, and after [`Server::update_state`](crate::Server::update_state));
/// the server's own changes keep it current through [`State::add_territory`],
/// [`State::rename`] and [`State::remove_territory`]. Until it is built, lookups scan.
#[derive(Clone, Default)]
struct Index {
    built: bool,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    /// How many territories report to each id (absent: none).
    children: HashMap<String, usize>,
}

impl PartialEq for Index {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("built", &self.built)
            .finish_non_exhaustive()
    }
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
    /// The month (1-12) the fiscal year starts in, for `${THISFY}`, `${THISFQ}` and their
    /// neighbours. GUESS: January, Zoho's default fiscal year.
    #[serde(default = "default_fiscal_year_start")]
    pub fiscal_year_start_month: u32,
}

fn default_fiscal_year_start() -> u32 {
    1
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
    /// How long a rule run stays SCHEDULED, then IN_PROGRESS, in seconds of the simulator's
    /// clock. GUESS: Zoho gives no figure; a few seconds keeps a waiting client honest.
    pub rule_job_scheduled_secs: u64,
    pub rule_job_running_secs: u64,
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
            rule_job_scheduled_secs: 1,
            rule_job_running_secs: 1,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Flags {
    /// Territory management was enabled for the org (`false`: never enabled).
    pub territories_enabled: bool,
    /// Territory management was enabled once and has been switched off; wins over
    /// `territories_enabled`. Writes answer 403 `TERRITORY_DISABLED` instead of
    /// `TERRITORY_NOT_ENABLED`.
    pub territories_disabled: bool,
    pub lead_rules_enabled: bool,
    pub deal_rules_enabled: bool,
    /// Assign/remove answer 202 with a `job_id` instead of applying synchronously.
    pub offload_parent_territory: bool,
    /// Answer territory-user DELETE with the nested `users: [[...]]` array that Zoho's docs
    /// show, instead of the flat array the official SDK parses.
    pub nested_territory_user_delete: bool,
    /// Accept update items without `permission_type` (the update page marks it mandatory).
    pub permission_type_optional_on_update: bool,
    /// Which territory a Deal gets when the rules of several match it (a Deal takes one).
    pub deal_tie_break: DealTieBreak,
    /// Rule runs end FAILED and change nothing (a fault for tests of the waiting client).
    pub rule_runs_fail: bool,
    /// The OpenAPI file's reading of transfer_and_delete: an item for a territory without
    /// children may omit `transfer_to_id` (the doc pages mark it mandatory).
    pub transfer_target_optional: bool,
    /// Read "current parent territory" in the transfer_and_delete errors as the deleted
    /// territory itself, so its own parent is a valid target (by default it is the deleted
    /// territory's parent, and the target must be above it).
    pub transfer_to_parent_allowed: bool,
}

/// Zoho's docs do not say which of several matching territories a Deal gets. GUESS: the
/// first in hierarchy order (depth first, siblings in the order they were created); `skip`
/// leaves such a Deal without an automatic territory instead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealTieBreak {
    #[default]
    First,
    Skip,
}

impl Default for Flags {
    fn default() -> Self {
        Self {
            territories_enabled: true,
            territories_disabled: false,
            lead_rules_enabled: true,
            deal_rules_enabled: true,
            offload_parent_territory: false,
            nested_territory_user_delete: false,
            permission_type_optional_on_update: false,
            deal_tie_break: DealTieBreak::First,
            rule_runs_fail: false,
            transfer_target_optional: false,
            transfer_to_parent_allowed: false,
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

/// One `run_rules` job: what it covers, when it was scheduled, and whether it has run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleJob {
    pub job_id: String,
    /// `Accounts`, `Leads` or `Deals`.
    pub module: String,
    pub scope: RuleScope,
    /// The user who scheduled it.
    pub scheduled_by: String,
    /// Unix seconds on the simulator's clock: scheduled, started (IN_PROGRESS from then),
    /// and run (COMPLETED or FAILED from then).
    pub scheduled_at: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    /// Once the job has run: `COMPLETED` or `FAILED`, and how many records it changed.
    #[serde(default)]
    pub finished: Option<String>,
    #[serde(default)]
    pub records_changed: usize,
}

/// The records a rule run re-evaluates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleScope {
    /// Records these territories (and their descendants, with `include_child`) hold or would get.
    Territories {
        ids: Vec<String>,
        include_child: bool,
    },
    /// Records that match this criteria (as validated and echoed).
    Criteria { criteria: Value },
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
            api_name: api_name(name),
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
                fiscal_year_start_month: default_fiscal_year_start(),
            },
            limits: Limits::default(),
            flags: Flags::default(),
            next_id: default_next_id(),
            users: vec![admin],
            territories: vec![Box::new(root)],
            fields: BTreeMap::new(),
            records: BTreeMap::new(),
            jobs: Vec::new(),
            rule_jobs: Vec::new(),
            oauth_clients: Vec::new(),
            index: Index::default(),
        }
    }

    /// Hands out the next id, as Zoho's 19-digit strings.
    pub fn allocate_id(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        id.to_string()
    }

    pub fn root(&self) -> Option<&Territory> {
        self.territories
            .iter()
            .map(Box::as_ref)
            .find(|t| t.reporting_to.is_none())
    }

    /// Rebuilds the lookup index from `territories`; call after changing them directly.
    pub fn reindex(&mut self) {
        let mut index = Index {
            built: true,
            by_id: HashMap::with_capacity(self.territories.len()),
            by_name: HashMap::with_capacity(self.territories.len()),
            children: HashMap::new(),
        };
        for (at, territory) in self.territories.iter().enumerate() {
            index.by_id.insert(territory.id.clone(), at);
            index.by_name.entry(name_key(&territory.name)).or_insert(at);
            if let Some(parent) = &territory.reporting_to {
                *index.children.entry(parent.clone()).or_default() += 1;
            }
        }
        self.index = index;
    }

    fn position(&self, id: &str) -> Option<usize> {
        if self.index.built {
            let at = *self.index.by_id.get(id)?;
            debug_assert_eq!(self.territories[at].id, id, "a stale territory index");
            Some(at)
        } else {
            self.territories.iter().position(|t| t.id == id)
        }
    }

    pub fn territory(&self, id: &str) -> Option<&Territory> {
        self.position(id).map(|at| &*self.territories[at])
    }

    /// For changes other than the name (see [`State::rename`]).
    pub fn territory_mut(&mut self, id: &str) -> Option<&mut Territory> {
        self.position(id).map(|at| &mut *self.territories[at])
    }

    /// The territory called `name`, compared as Zoho compares names (trimmed, any case).
    pub fn territory_named(&self, name: &str) -> Option<&Territory> {
        if self.index.built {
            let at = *self.index.by_name.get(&name_key(name))?;
            Some(&self.territories[at])
        } else {
            let key = name_key(name);
            self.territories
                .iter()
                .map(Box::as_ref)
                .find(|t| name_key(&t.name) == key)
        }
    }

    /// Whether any territory reports to `id`.
    pub fn has_children(&self, id: &str) -> bool {
        if self.index.built {
            self.index.children.get(id).is_some_and(|count| *count > 0)
        } else {
            self.children(id).next().is_some()
        }
    }

    fn count_child(&mut self, parent: Option<&str>, change: isize) {
        if let (true, Some(parent)) = (self.index.built, parent) {
            let count = self.index.children.entry(parent.to_owned()).or_default();
            *count = count.saturating_add_signed(change);
        }
    }

    /// Makes `id` report to `parent`, keeping the index current.
    pub fn set_parent(&mut self, id: &str, parent: Option<String>) {
        let Some(at) = self.position(id) else {
            return;
        };
        let old = self.territories[at].reporting_to.take();
        self.count_child(old.as_deref(), -1);
        self.count_child(parent.as_deref(), 1);
        self.territories[at].reporting_to = parent;
    }

    /// Makes every child of `id` report to `parent` instead, keeping the index current.
    pub fn move_children(&mut self, id: &str, parent: Option<&str>) {
        if !self.has_children(id) {
            return;
        }
        let mut moved = 0;
        for territory in &mut self.territories {
            if territory.reporting_to.as_deref() == Some(id) {
                territory.reporting_to = parent.map(str::to_owned);
                moved += 1;
            }
        }
        self.count_child(Some(id), -moved);
        self.count_child(parent, moved);
    }

    /// Appends a territory, keeping the index current.
    pub fn add_territory(&mut self, territory: Territory) {
        let at = self.territories.len();
        if self.index.built {
            self.index.by_id.insert(territory.id.clone(), at);
            self.index
                .by_name
                .entry(name_key(&territory.name))
                .or_insert(at);
        }
        self.count_child(territory.reporting_to.as_deref(), 1);
        self.territories.push(Box::new(territory));
    }

    /// Renames a territory, keeping the index current.
    pub fn rename(&mut self, id: &str, name: String) {
        let Some(at) = self.position(id) else {
            return;
        };
        if self.index.built {
            let old = name_key(&self.territories[at].name);
            if self.index.by_name.get(&old) == Some(&at) {
                self.index.by_name.remove(&old);
            }
            self.index.by_name.insert(name_key(&name), at);
        }
        self.territories[at].name = name;
    }

    /// Removes a territory (nothing else: its children and records are the caller's), keeping
    /// the index current.
    pub fn remove_territory(&mut self, id: &str) -> Option<Territory> {
        let at = self.position(id)?;
        let removed = self.territories.remove(at);
        self.count_child(removed.reporting_to.as_deref(), -1);
        if self.index.built {
            self.index.by_id.remove(id);
            let key = name_key(&removed.name);
            if self.index.by_name.get(&key) == Some(&at) {
                self.index.by_name.remove(&key);
            }
            for position in self
                .index
                .by_id
                .values_mut()
                .chain(self.index.by_name.values_mut())
            {
                if *position > at {
                    *position -= 1;
                }
            }
        }
        Some(*removed)
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn children(&self, id: &str) -> impl Iterator<Item = &Territory> {
        self.territories
            .iter()
            .map(Box::as_ref)
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

    /// How many territories lie above `id` (0 for the root).
    pub fn depth(&self, id: &str) -> usize {
        let mut depth = 0;
        let mut cursor = self.territory(id).and_then(|t| t.reporting_to.clone());
        // The hop bound guards against a cyclic state file looping forever.
        while let Some(current) = cursor {
            depth += 1;
            if depth > self.territories.len() {
                break;
            }
            cursor = self
                .territory(&current)
                .and_then(|t| t.reporting_to.clone());
        }
        depth
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
        let mut names = std::collections::BTreeSet::new();
        for territory in &self.territories {
            if !ids.insert(territory.id.as_str()) {
                return Err(format!("territory id {} appears twice", territory.id));
            }
            if !names.insert(name_key(&territory.name)) {
                return Err(format!(
                    "territory name `{}` appears twice (Zoho compares names ignoring case)",
                    territory.name
                ));
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

/// How Zoho compares territory names: trimmed, ignoring case (GUESS, as elsewhere in Zoho).
pub(crate) fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The description Zoho gives the root territory.
pub const ROOT_DESCRIPTION: &str = "Organization Parent Territory";

/// Derives the read-only `api_name`. GUESS (zoho-api.md 2.2): like field api names, runs of
/// characters other than letters and digits become `_`.
pub(crate) fn api_name(name: &str) -> String {
    let mut api_name = String::new();
    for character in name.trim().chars() {
        if character.is_alphanumeric() {
            api_name.push(character);
        } else if !api_name.ends_with('_') {
            api_name.push('_');
        }
    }
    api_name.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::{State, Territory};

    fn child(state: &mut State, name: &str, parent: &str) -> String {
        let id = state.allocate_id();
        let mut territory = state.root().expect("a root").clone();
        territory.id.clone_from(&id);
        territory.name = name.to_owned();
        territory.reporting_to = Some(parent.to_owned());
        state.add_territory(territory);
        id
    }

    /// Every lookup, indexed, agrees with a scan of `territories`.
    fn assert_consistent(state: &State) {
        let mut scanned = state.clone();
        scanned.index = super::Index::default();
        for territory in &state.territories {
            assert_eq!(state.territory(&territory.id), Some(&**territory));
            assert_eq!(
                state
                    .territory_named(&territory.name.to_uppercase())
                    .map(|t| &t.id),
                scanned.territory_named(&territory.name).map(|t| &t.id),
            );
        }
        let mut rebuilt = state.clone();
        rebuilt.reindex();
        assert_eq!(rebuilt.index.by_id, state.index.by_id);
        assert_eq!(rebuilt.index.by_name, state.index.by_name);
        let counted = |index: &super::Index| {
            let mut counts: Vec<(String, usize)> = index
                .children
                .iter()
                .filter(|(_, count)| **count > 0)
                .map(|(id, count)| (id.clone(), *count))
                .collect();
            counts.sort();
            counts
        };
        assert_eq!(counted(&rebuilt.index), counted(&state.index));
    }

    #[test]
    fn the_index_follows_adds_renames_and_removals() {
        let mut state = State::new_org("Acme");
        state.reindex();
        let root = state.root().expect("a root").id.clone();
        let ids: Vec<String> = (0..5)
            .map(|n| child(&mut state, &format!("T{n}"), &root))
            .collect();
        assert_consistent(&state);

        state.rename(&ids[1], " Renamed ".to_owned());
        assert!(state.territory_named("t1").is_none());
        assert_eq!(
            state.territory_named("renamed").map(|t| &t.id),
            Some(&ids[1])
        );
        assert_consistent(&state);

        let removed: Option<Territory> = state.remove_territory(&ids[2]);
        assert_eq!(removed.map(|t| t.name), Some("T2".to_owned()));
        assert!(state.territory(&ids[2]).is_none());
        assert!(state.territory_named("T2").is_none());
        assert_eq!(
            state.territory(&ids[4]).map(|t| t.name.as_str()),
            Some("T4")
        );
        assert_consistent(&state);

        assert!(state.has_children(&root) && !state.has_children(&ids[0]));
        state.set_parent(&ids[3], Some(ids[0].clone()));
        state.set_parent(&ids[4], Some(ids[0].clone()));
        assert!(state.has_children(&ids[0]));
        assert_consistent(&state);
        state.move_children(&ids[0], Some(&ids[1]));
        assert!(!state.has_children(&ids[0]) && state.has_children(&ids[1]));
        assert_eq!(state.children(&ids[1]).count(), 2);
        assert_consistent(&state);
        state.remove_territory(&ids[3]);
        assert_eq!(state.children(&ids[1]).count(), 1);
        assert_consistent(&state);
    }

    #[test]
    fn an_unbuilt_index_scans() {
        let mut state = State::new_org("Acme");
        let root = state.root().expect("a root").id.clone();
        let id = child(&mut state, "West", &root);
        assert_eq!(state.territory(&id).map(|t| t.name.as_str()), Some("West"));
        assert_eq!(state.territory_named("WEST").map(|t| &t.id), Some(&id));
    }

    #[test]
    fn check_refuses_names_that_differ_only_in_case() {
        let mut state = State::new_org("Acme");
        let root = state.root().expect("a root").id.clone();
        child(&mut state, "West", &root);
        child(&mut state, "west ", &root);
        let error = state.check().expect_err("two territories called west");
        assert!(error.contains("appears twice"), "{error}");
    }
}
