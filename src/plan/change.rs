//! One planned change and what it refers to.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Attribute, Criteria, Fields, Module, Permission, Refer, RuleModule, Value};

/// One change the plan makes, with its place in the schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// Unique and stable within the plan: `create:<name>`, `update:<id>`, `delete:<id>`,
    /// `remove:<Module>:<record>`, `assign:<Module>:<record>`. Batches and placeholders refer to
    /// changes by this key.
    pub key: String,
    /// The wave (1-based) that carries the change out.
    pub wave: usize,
    /// Depth in the hierarchy: the root is 0. Desired depth for creates and updates, live depth
    /// for deletes, 0 for record changes.
    pub depth: usize,
    /// Names of the territory's ancestors, root first, as the plan leaves them: the desired
    /// hierarchy for creates and updates; for deletes, the deleted live ancestors below the
    /// nearest surviving one, under that one's desired path. Empty for record changes.
    pub path: Vec<String>,
    pub action: Action,
}

impl Change {
    /// The territory or record name the change is listed under.
    #[must_use]
    pub fn title(&self) -> String {
        match &self.action {
            Action::Create(create) => create.name.clone(),
            Action::Update(update) => update.new_name().to_owned(),
            Action::Delete(delete) => delete.name.clone(),
            Action::Remove(records) | Action::Assign(records) => {
                format!("{} {}", records.module, records.record_id)
            }
        }
    }
}

/// What a change does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Action {
    /// Create a territory (`POST /settings/territories`).
    Create(Box<Create>),
    /// Change fields of an existing territory, its parent included (`PUT /settings/territories`).
    Update(Update),
    /// Delete a territory (`DELETE`, or `transfer_and_delete` when children survive it).
    Delete(Delete),
    /// Remove manual territories from a record (`POST /{Module}/actions/remove_territories`).
    Remove(RecordTerritories),
    /// Assign territories to a record (`POST /{Module}/actions/assign_territories`).
    Assign(RecordTerritories),
}

/// A territory a change refers to: one that exists, or one the plan creates.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerritoryRef {
    /// A live territory, by id.
    Existing { id: String, name: String },
    /// A territory created by the change `change`: its id is known after apply, and apply
    /// substitutes it once that change succeeds.
    AfterApply { change: String, name: String },
}

impl TerritoryRef {
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Existing { name, .. } | Self::AfterApply { name, .. } => name,
        }
    }

    /// The live id, when the territory exists already.
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Existing { id, .. } => Some(id),
            Self::AfterApply { .. } => None,
        }
    }
}

/// A territory's manager: the user id Zoho wants, with the email and name reviewers read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Manager {
    pub id: String,
    /// `None` when the user is not an active user (only a name came with the territory).
    pub email: Option<String>,
    pub name: Option<String>,
}

impl Manager {
    /// How the manager is shown: the email when known, else the name, else the id.
    #[must_use]
    pub fn label(&self) -> String {
        match (&self.email, &self.name) {
            (Some(email), _) => email.clone(),
            (None, Some(name)) => format!("{name} (user {})", self.id),
            (None, None) => format!("user {}", self.id),
        }
    }
}

/// How a plan refers to territories ([`TerritoryRef`]) and users ([`Manager`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByPlan;

impl Refer for ByPlan {
    type Territory = TerritoryRef;
    type User = Manager;
}

/// A territory to create, with everything `POST` needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Create {
    #[serde(flatten)]
    pub fields: Fields<ByPlan>,
}

impl std::ops::Deref for Create {
    type Target = Fields<ByPlan>;

    fn deref(&self) -> &Fields<ByPlan> {
        &self.fields
    }
}

impl std::ops::DerefMut for Create {
    fn deref_mut(&mut self) -> &mut Fields<ByPlan> {
        &mut self.fields
    }
}

/// Field changes of one existing territory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Update {
    pub id: String,
    /// The territory's name in the live org, before any rename.
    pub name: String,
    /// Changed fields only, in the order name, parent, manager, permission, description, rules.
    pub fields: Vec<FieldChange>,
    /// The territory's permission after the update, changed or not: Zoho requires
    /// `permission_type` in every update item (seeds/update-territories.txt). `None` for the
    /// root, of which only the name can be updated.
    pub permission: Option<Permission>,
}

impl Update {
    /// The name after the change.
    #[must_use]
    pub fn new_name(&self) -> &str {
        self.fields
            .iter()
            .find_map(|field| match field {
                FieldChange::Name { new, .. } => Some(new.as_str()),
                _ => None,
            })
            .unwrap_or(&self.name)
    }

    /// The parent change, when the territory moves.
    #[must_use]
    pub fn parent_change(&self) -> Option<(&TerritoryRef, &TerritoryRef)> {
        self.fields.iter().find_map(|field| match field {
            FieldChange::Parent { old, new, .. } => Some((old, new)),
            _ => None,
        })
    }

    /// The key of the delete change whose `transfer_and_delete` carries out this move, if any.
    #[must_use]
    pub fn transferred_by(&self) -> Option<&str> {
        self.fields.iter().find_map(|field| match field {
            FieldChange::Parent {
                by_transfer_of: Some(key),
                ..
            } => Some(key.as_str()),
            _ => None,
        })
    }

    /// Whether some field must be sent in a `PUT` (everything but a parent change that a
    /// `transfer_and_delete` carries out, and the users, which have calls of their own).
    #[must_use]
    pub fn needs_put(&self) -> bool {
        self.fields.iter().any(|field| {
            !matches!(
                field,
                FieldChange::Parent {
                    by_transfer_of: Some(_),
                    ..
                } | FieldChange::Users { .. }
            )
        })
    }

    /// The users added and removed, when the update changes them.
    #[must_use]
    pub fn members(&self) -> Option<(Vec<&Manager>, Vec<&Manager>)> {
        self.fields.iter().find_map(FieldChange::members)
    }
}

/// One changed field: its value in the live org and the desired value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "field")]
pub enum FieldChange {
    Name {
        old: String,
        new: String,
    },
    /// A move. `by_transfer_of` names the delete change whose `transfer_and_delete` re-parents
    /// the territory: then no `PUT` sends `reporting_to`.
    Parent {
        old: TerritoryRef,
        new: TerritoryRef,
        by_transfer_of: Option<String>,
    },
    Manager {
        old: Option<Manager>,
        new: Option<Manager>,
    },
    Permission {
        old: Permission,
        new: Permission,
    },
    Description {
        old: Option<String>,
        new: Option<String>,
    },
    /// One module's assignment-rule criteria; `None` is no rule (sent as `null` to clear it).
    Rules {
        module: RuleModule,
        old: Option<Criteria>,
        new: Option<Criteria>,
    },
    /// The territory's users (the manager among them), each list sorted by how it is shown;
    /// applied through the territory-users calls after the territory's own `PUT`.
    Users {
        old: Vec<Manager>,
        new: Vec<Manager>,
    },
}

impl FieldChange {
    /// The attribute the change is to.
    #[must_use]
    pub fn attribute(&self) -> Attribute {
        self.new_value().attribute()
    }

    /// The value the change sets.
    #[must_use]
    pub fn new_value(&self) -> Value<ByPlan> {
        match self {
            Self::Name { new, .. } => Value::Name(new.clone()),
            Self::Parent { new, .. } => Value::Parent(new.clone()),
            Self::Manager { new, .. } => Value::Manager(new.clone()),
            Self::Permission { new, .. } => Value::Permission(*new),
            Self::Description { new, .. } => Value::Description(new.clone()),
            Self::Rules { module, new, .. } => Value::Rules(*module, new.clone()),
            Self::Users { new, .. } => Value::Users(Some(new.clone())),
        }
    }

    /// For a change of users: those added and those removed (by id), in the lists' order.
    #[must_use]
    pub fn members(&self) -> Option<(Vec<&Manager>, Vec<&Manager>)> {
        let Self::Users { old, new } = self else {
            return None;
        };
        let added = new
            .iter()
            .filter(|user| !old.iter().any(|was| was.id == user.id))
            .collect();
        let removed = old
            .iter()
            .filter(|user| !new.iter().any(|now| now.id == user.id))
            .collect();
        Some((added, removed))
    }

    /// The change from `old` to `new`, two values of the same attribute; `None` when they are
    /// of different attributes. A move starts with no `by_transfer_of`.
    #[must_use]
    pub fn between(old: Value<ByPlan>, new: Value<ByPlan>) -> Option<Self> {
        // By `new` alone, so that a new attribute cannot compile without its change.
        Some(match new {
            Value::Name(new) => {
                let Value::Name(old) = old else { return None };
                Self::Name { old, new }
            }
            Value::Parent(new) => {
                let Value::Parent(old) = old else { return None };
                Self::Parent {
                    old,
                    new,
                    by_transfer_of: None,
                }
            }
            Value::Manager(new) => {
                let Value::Manager(old) = old else {
                    return None;
                };
                Self::Manager { old, new }
            }
            Value::Permission(new) => {
                let Value::Permission(old) = old else {
                    return None;
                };
                Self::Permission { old, new }
            }
            Value::Description(new) => {
                let Value::Description(old) = old else {
                    return None;
                };
                Self::Description { old, new }
            }
            Value::Rules(module, new) => {
                let Value::Rules(same, old) = old else {
                    return None;
                };
                if module != same {
                    return None;
                }
                Self::Rules { module, old, new }
            }
            Value::Users(new) => {
                let (Value::Users(old), Some(new)) = (old, new) else {
                    return None;
                };
                Self::Users {
                    old: old.unwrap_or_default(),
                    new,
                }
            }
        })
    }
}

/// A territory to delete.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Delete {
    pub id: String,
    pub name: String,
    /// Its parent in the live org.
    pub parent: TerritoryRef,
    /// Set when children survive the deletion and its parent is deleted too: they are handed
    /// to this territory, the nearest surviving ancestor, by `transfer_and_delete`. Unset, the
    /// deletion is a plain `DELETE` (surviving children were moved first).
    pub transfer_to: Option<TerritoryRef>,
    /// Names of the surviving children the transfer re-parents, sorted.
    pub transferred_children: Vec<String>,
}

/// Manual territories to remove from, or assign to, one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordTerritories {
    pub module: Module,
    pub record_id: String,
    /// The territories removed or assigned, sorted by name.
    pub territories: Vec<TerritoryRef>,
    /// Territories the record has automatically (by rules): shown, never removed. Sorted.
    pub automatic: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, email: Option<&str>, name: Option<&str>) -> Manager {
        Manager {
            id: id.to_owned(),
            email: email.map(str::to_owned),
            name: name.map(str::to_owned),
        }
    }

    fn update(fields: Vec<FieldChange>) -> Update {
        Update {
            id: "7".to_owned(),
            name: "West".to_owned(),
            fields,
            permission: Some(Permission::ReadOnly),
        }
    }

    #[test]
    fn a_user_is_shown_by_email_else_by_name_and_id_else_by_id() {
        assert_eq!(user("1", Some("a@x.com"), Some("A")).label(), "a@x.com");
        assert_eq!(user("1", None, Some("Ann Lee")).label(), "Ann Lee (user 1)");
        assert_eq!(user("1", None, None).label(), "user 1");
    }

    #[test]
    fn the_new_name_is_the_renamed_one_or_the_live_one() {
        let permission = FieldChange::Permission {
            old: Permission::ReadOnly,
            new: Permission::ReadWriteDelete,
        };
        assert_eq!(update(vec![permission.clone()]).new_name(), "West");
        let rename = FieldChange::Name {
            old: "West".to_owned(),
            new: "Pacific".to_owned(),
        };
        assert_eq!(update(vec![permission, rename]).new_name(), "Pacific");
    }

    #[test]
    fn a_change_of_users_lists_those_added_and_removed_by_id() {
        let (kept, gone, new) = (
            user("1", Some("kept@x.com"), None),
            user("2", Some("gone@x.com"), None),
            user("3", Some("new@x.com"), None),
        );
        // The same id under another email is the same user: neither added nor removed.
        let renamed = user("1", Some("kept.renamed@x.com"), None);
        let users = FieldChange::Users {
            old: vec![kept, gone.clone()],
            new: vec![renamed, new.clone()],
        };
        let (added, removed) = users.members().expect("a change of users");
        assert_eq!(added, [&new]);
        assert_eq!(removed, [&gone]);
        let update = update(vec![
            FieldChange::Name {
                old: "West".to_owned(),
                new: "Pacific".to_owned(),
            },
            users,
        ]);
        assert_eq!(update.members(), Some((vec![&new], vec![&gone])));
        let name_only = FieldChange::Name {
            old: "a".to_owned(),
            new: "b".to_owned(),
        };
        assert_eq!(name_only.members(), None, "not a change of users");
        assert_eq!(self::update(vec![name_only]).members(), None);
    }
}
