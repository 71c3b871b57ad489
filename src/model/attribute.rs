//! The managed attributes of a territory: the one list that field diffing, request building,
//! read-back comparison and fingerprinting follow from.
//!
//! A territory's fields are held once, in [`Fields`], generic over how the territory refers to
//! other territories and to users ([`Refer`]): by name and email in the desired state
//! ([`ByName`]), by live reference in Zoho's model ([`ByLive`]), by id in a request ([`ById`]),
//! and by plan reference in a plan (`plan::ByPlan`). One attribute's value, in any of those, is
//! a [`Value`]; a partial update is a [`Patch`] (the values it sets).
//!
//! # Adding a managed attribute
//! 1. A variant in [`Attribute`] and its place in [`Attribute::ALL`] (the order of plan fields,
//!    request keys and fingerprints), a field in [`Fields`] (fingerprints hash it: an attribute
//!    managed only when present should be `Option` with `skip_serializing_if`, so hashes of
//!    states without it stay), a variant in [`Value`], its arms in [`Fields::get`],
//!    [`Fields::set`], [`Fields::map`] and [`Value::map`] below, and its default in
//!    [`Fields::new`] (which tests and fixtures build on, so they need no edit).
//! 2. Its wire key in `zoho/write.rs` (`wire_entry`, `applied`) and its reading in
//!    `zoho/convert.rs`; its old/new pair in `plan/change.rs` (`FieldChange`, with
//!    `FieldChange::between`) and how the plan compares it in `plan/diff.rs` (`same`).
//! 3. The language: `config/raw` (YAML and schema), `config/validate` (checks), and the
//!    renderings of its `FieldChange` in `render/`.
//!
//! An attribute applied through endpoints of its own rather than the territory body (the
//! territory's users: `PUT`/`DELETE /settings/territories/{id}/users`) is still listed here,
//! and is left out of [`Attribute::IN_BODY`], so request building skips it and gives it its
//! own operation.

use std::fmt::Debug;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Criteria, Permission, RuleModule, Rules, TerritoryId, UserRef};

/// One managed attribute of a territory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attribute {
    Name,
    Parent,
    Manager,
    Permission,
    Description,
    /// One module's assignment-rule criteria.
    Rules(RuleModule),
    /// The territory's users (its members), managed only when the desired state lists them.
    Users,
}

impl Attribute {
    /// Every managed attribute, in the order plans list them and requests send them.
    pub const ALL: [Self; 9] = [
        Self::Name,
        Self::Parent,
        Self::Manager,
        Self::Permission,
        Self::Description,
        Self::Rules(RuleModule::Accounts),
        Self::Rules(RuleModule::Leads),
        Self::Rules(RuleModule::Deals),
        Self::Users,
    ];

    /// The attributes sent in the territory's own `POST`/`PUT` body: all but the users, which
    /// go through `/settings/territories/{id}/users` (`plan::Operation::Members`).
    pub const IN_BODY: [Self; 8] = [
        Self::Name,
        Self::Parent,
        Self::Manager,
        Self::Permission,
        Self::Description,
        Self::Rules(RuleModule::Accounts),
        Self::Rules(RuleModule::Leads),
        Self::Rules(RuleModule::Deals),
    ];
}

/// How a territory refers to other territories (its parent) and to users (its manager).
pub trait Refer {
    type Territory: Clone + Debug + PartialEq;
    type User: Clone + Debug + PartialEq;
}

/// The desired state: the parent by name, the manager by email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByName;

impl Refer for ByName {
    type Territory = String;
    type User = String;
}

/// A request to Zoho: the parent and the manager by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ById;

impl Refer for ById {
    type Territory = TerritoryId;
    type User = String;
}

/// A territory as Zoho holds it: the parent's id (`None` only for the root), the manager as
/// Zoho embeds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByLive;

impl Refer for ByLive {
    type Territory = Option<TerritoryId>;
    type User = UserRef;
}

/// A territory's managed fields, however it refers to others.
///
/// Serialises in [`Attribute::ALL`] order: the fingerprints of the desired state and of live
/// territories hash this, so a new field is covered by them without more code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(bound(
    serialize = "R::Territory: Serialize, R::User: Serialize",
    deserialize = "R::Territory: Deserialize<'de>, R::User: Deserialize<'de>"
))]
#[schemars(bound = "R::Territory: JsonSchema, R::User: JsonSchema")]
pub struct Fields<R: Refer> {
    // Plain comments, not doc comments: the plan file's JSON Schema flattens these fields into
    // `Create` and must not change with the wording here.
    pub name: String,
    // The parent: by name in the desired state (the root's name for a top-level territory).
    pub parent: R::Territory,
    // `None` means no manager.
    pub manager: Option<R::User>,
    pub permission: Permission,
    // `None` means no description (Zoho treats `""` alike).
    pub description: Option<String>,
    pub rules: Rules,
    // The members, the manager among them; `None`: membership not managed (desired) or not
    // read (live). Absent from the JSON when `None`, so fingerprints of states without it stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<R::User>>,
}

/// One attribute's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<R: Refer> {
    Name(String),
    Parent(R::Territory),
    Manager(Option<R::User>),
    Permission(Permission),
    Description(Option<String>),
    /// `None` is no rule (sent as `null` to clear it).
    Rules(RuleModule, Option<Criteria>),
    /// `None`: not managed.
    Users(Option<Vec<R::User>>),
}

/// A partial update: the values it sets, at most one per attribute, in [`Attribute::ALL`]
/// order. Attributes not listed stay as they are.
pub type Patch<R> = Vec<Value<R>>;

impl<R: Refer> Fields<R> {
    /// A territory with only what has no default: its name, its parent and its permission
    /// (Zoho has no default permission). No manager, no description, no rules, and its users
    /// not managed (`None`).
    ///
    /// The base for `Fields { manager: ..., ..Fields::new(name, parent, permission) }`, so a
    /// new attribute with a default is added here once rather than in every place that builds
    /// a territory.
    #[must_use]
    pub fn new(name: impl Into<String>, parent: R::Territory, permission: Permission) -> Self {
        Self {
            name: name.into(),
            parent,
            manager: None,
            permission,
            description: None,
            rules: Rules::default(),
            users: None,
        }
    }

    /// The value of one attribute.
    #[must_use]
    pub fn get(&self, attribute: Attribute) -> Value<R> {
        match attribute {
            Attribute::Name => Value::Name(self.name.clone()),
            Attribute::Parent => Value::Parent(self.parent.clone()),
            Attribute::Manager => Value::Manager(self.manager.clone()),
            Attribute::Permission => Value::Permission(self.permission),
            Attribute::Description => Value::Description(self.description.clone()),
            Attribute::Rules(module) => Value::Rules(module, self.rules.get(module).cloned()),
            Attribute::Users => Value::Users(self.users.clone()),
        }
    }

    /// Sets one attribute.
    pub fn set(&mut self, value: Value<R>) {
        match value {
            Value::Name(name) => self.name = name,
            Value::Parent(parent) => self.parent = parent,
            Value::Manager(manager) => self.manager = manager,
            Value::Permission(permission) => self.permission = permission,
            Value::Description(description) => self.description = description,
            Value::Rules(module, criteria) => *self.rules.get_mut(module) = criteria,
            Value::Users(users) => self.users = users,
        }
    }

    /// Every attribute's value, in [`Attribute::ALL`] order.
    pub fn values(&self) -> impl Iterator<Item = Value<R>> + '_ {
        Attribute::ALL
            .into_iter()
            .map(|attribute| self.get(attribute))
    }

    /// The same fields referring to territories and users another way.
    ///
    /// # Errors
    /// The first error of `territory` or `user`.
    pub fn map<S: Refer, E>(
        &self,
        mut territory: impl FnMut(&R::Territory) -> Result<S::Territory, E>,
        mut user: impl FnMut(&R::User) -> Result<S::User, E>,
    ) -> Result<Fields<S>, E> {
        Ok(Fields {
            name: self.name.clone(),
            parent: territory(&self.parent)?,
            manager: self.manager.as_ref().map(&mut user).transpose()?,
            permission: self.permission,
            description: self.description.clone(),
            rules: self.rules.clone(),
            users: self
                .users
                .as_ref()
                .map(|users| users.iter().map(&mut user).collect())
                .transpose()?,
        })
    }
}

impl<R: Refer> Value<R> {
    /// Which attribute this is a value of.
    #[must_use]
    pub fn attribute(&self) -> Attribute {
        match self {
            Self::Name(_) => Attribute::Name,
            Self::Parent(_) => Attribute::Parent,
            Self::Manager(_) => Attribute::Manager,
            Self::Permission(_) => Attribute::Permission,
            Self::Description(_) => Attribute::Description,
            Self::Rules(module, _) => Attribute::Rules(*module),
            Self::Users(_) => Attribute::Users,
        }
    }

    /// The same value referring to territories and users another way.
    ///
    /// # Errors
    /// The error of `territory` or `user`.
    pub fn map<S: Refer, E>(
        &self,
        territory: impl FnOnce(&R::Territory) -> Result<S::Territory, E>,
        mut user: impl FnMut(&R::User) -> Result<S::User, E>,
    ) -> Result<Value<S>, E> {
        Ok(match self {
            Self::Name(name) => Value::Name(name.clone()),
            Self::Parent(parent) => Value::Parent(territory(parent)?),
            Self::Manager(manager) => Value::Manager(manager.as_ref().map(&mut user).transpose()?),
            Self::Permission(permission) => Value::Permission(*permission),
            Self::Description(description) => Value::Description(description.clone()),
            Self::Rules(module, criteria) => Value::Rules(*module, criteria.clone()),
            Self::Users(users) => Value::Users(
                users
                    .as_ref()
                    .map(|users| users.iter().map(&mut user).collect())
                    .transpose()?,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields<ByName> {
        Fields {
            manager: Some("a@example.com".into()),
            ..Fields::new("East", "Root".into(), Permission::ReadOnly)
        }
    }

    #[test]
    fn new_sets_only_what_has_no_default() {
        let base = Fields::<ByName>::new("East", "Root".into(), Permission::ReadOnly);
        assert_eq!(base.name, "East");
        assert_eq!(base.parent, "Root");
        assert_eq!(base.permission, Permission::ReadOnly);
        assert_eq!(base.manager, None, "no manager");
        assert_eq!(base.description, None, "no description");
        assert_eq!(base.rules, Rules::default(), "no rules");
        assert_eq!(base.users, None, "users not managed");
        assert_eq!(
            Attribute::ALL.map(|attribute| base.get(attribute)),
            [
                Value::Name("East".into()),
                Value::Parent("Root".into()),
                Value::Manager(None),
                Value::Permission(Permission::ReadOnly),
                Value::Description(None),
                Value::Rules(RuleModule::Accounts, None),
                Value::Rules(RuleModule::Leads, None),
                Value::Rules(RuleModule::Deals, None),
                Value::Users(None),
            ],
            "every attribute `new` does not take is at its default"
        );

        let updated = Fields {
            manager: Some("a@example.com".into()),
            description: Some("d".into()),
            ..Fields::<ByName>::new("West", "East".into(), Permission::ReadWriteDelete)
        };
        assert_eq!(updated.name, "West");
        assert_eq!(updated.parent, "East");
        assert_eq!(updated.permission, Permission::ReadWriteDelete);
        assert_eq!(updated.manager.as_deref(), Some("a@example.com"));
        assert_eq!(updated.description.as_deref(), Some("d"));
        assert_eq!(updated.rules, Rules::default());
        assert_eq!(updated.users, None);
    }

    #[test]
    fn every_attribute_reads_back_what_was_set() {
        // Every field spelt out rather than built from `Fields::new`, so a new attribute cannot
        // compile without a value here that differs from `fields()`.
        let source = Fields::<ByName> {
            name: "West".into(),
            parent: "East".into(),
            manager: None,
            permission: Permission::ReadWriteDelete,
            description: Some("d".into()),
            rules: Rules {
                accounts: Some(Criteria::Group {
                    operator: crate::model::GroupOperator::And,
                    items: Vec::new(),
                }),
                ..Rules::default()
            },
            users: Some(vec!["b@example.com".into()]),
        };
        let mut target = fields();
        for value in source.values() {
            target.set(value);
        }
        assert_eq!(target, source);
        let attributes: Vec<_> = source.values().map(|value| value.attribute()).collect();
        assert_eq!(attributes, Attribute::ALL);
    }

    #[test]
    fn fields_serialise_in_attribute_order() {
        let json = serde_json::to_string(&fields()).unwrap();
        assert_eq!(
            json,
            r#"{"name":"East","parent":"Root","manager":"a@example.com","permission":"read_only","description":null,"rules":{"accounts":null,"leads":null,"deals":null}}"#
        );
    }
}
