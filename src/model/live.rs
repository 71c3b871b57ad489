use std::collections::BTreeMap;

use super::attribute::{ByLive, Fields};
use super::{DataType, Module, RuleModule};

/// A territory's id in Zoho: a 64-bit number, always carried as a string.
pub type TerritoryId = String;

/// Everything `plan` needs to know about the org, as loaded by `zoho::load_live`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    pub org: Option<OrgInfo>,
    /// Every territory, root included, ordered by id.
    pub territories: Vec<LiveTerritory>,
    /// Active users (the only ones that can manage a territory).
    pub users: Vec<User>,
    /// Field metadata of the modules the desired state's rules name.
    pub fields: BTreeMap<RuleModule, Vec<FieldMeta>>,
    /// The records named in the desired `assignments`, with their territories.
    pub records: BTreeMap<Module, BTreeMap<String, LiveRecord>>,
}

impl Live {
    /// The root territory: the one with no parent.
    #[must_use]
    pub fn root(&self) -> Option<&LiveTerritory> {
        self.territories
            .iter()
            .find(|territory| territory.parent.is_none())
    }

    /// A territory by id. A binary search when `territories` is ordered by id, as the loader
    /// leaves it (a linear scan per lookup made planning 20,000 territories quadratic), and a
    /// scan otherwise, so a hand-built `Live` in any order still answers right.
    #[must_use]
    pub fn territory(&self, id: &str) -> Option<&LiveTerritory> {
        match self
            .territories
            .binary_search_by(|territory| territory.id.as_str().cmp(id))
        {
            Ok(index) => Some(&self.territories[index]),
            Err(_) => self.territories.iter().find(|territory| territory.id == id),
        }
    }

    /// An active user by email, case-insensitively.
    #[must_use]
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|user| user.email.eq_ignore_ascii_case(email))
    }

    #[must_use]
    pub fn user_by_id(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|user| user.id == id)
    }
}

/// The org itself (`GET /org`).
#[derive(Clone, Debug, PartialEq)]
pub struct OrgInfo {
    pub id: String,
    pub name: String,
}

/// A territory as Zoho holds it, criteria already converted to the model (operators upper-cased,
/// fields by api_name, lookup values as `Scalar::Lookup`). Numbers may still be strings: the
/// plan normalises those, since only it knows both sides. Its fields (`territory.name`, ...)
/// are those of [`Fields`]; `None` and `""` descriptions are the same to Zoho, and the loader
/// maps `""` to `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveTerritory {
    pub id: TerritoryId,
    pub fields: Fields<ByLive>,
    /// `modified_time` as Zoho gives it: part of the fingerprint a saved plan is checked against.
    pub modified_time: Option<String>,
}

impl std::ops::Deref for LiveTerritory {
    type Target = Fields<ByLive>;

    fn deref(&self) -> &Fields<ByLive> {
        &self.fields
    }
}

impl std::ops::DerefMut for LiveTerritory {
    fn deref_mut(&mut self) -> &mut Fields<ByLive> {
        &mut self.fields
    }
}

/// A reference to a user as Zoho embeds it (`{"id", "name"}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRef {
    pub id: String,
    pub name: Option<String>,
}

/// A user reference serialises as its id: the name is for display, and a territory's
/// fingerprint must not change when only the user's name does.
impl serde::Serialize for UserRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.id.serialize(serializer)
    }
}

/// An active CRM user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub full_name: String,
}

/// Field metadata (`GET /settings/fields?module=`), as much as criteria checks need.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldMeta {
    pub api_name: String,
    pub id: String,
    /// Zoho's `data_type`: text, picklist, integer, currency, date, lookup, ...
    pub data_type: DataType,
    pub picklist: Vec<PicklistValue>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PicklistValue {
    pub display_value: String,
    pub actual_value: String,
}

/// A record's territories.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveRecord {
    pub id: String,
    pub territories: Vec<RecordTerritory>,
}

/// One territory of a record (`Territories` on a record).
#[derive(Clone, Debug, PartialEq)]
pub struct RecordTerritory {
    pub id: TerritoryId,
    pub name: String,
    pub how: AssignedHow,
    /// Who assigned it by hand (`$assigned_by`), when known.
    pub assigned_by: Option<UserRef>,
    /// When (`$assigned_time`).
    pub assigned_time: Option<String>,
}

/// How a record got a territory (`$assigned`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AssignedHow {
    /// Assigned by hand or through the API; territoryctl manages these.
    Manually,
    /// Assigned by the territory's rules; never removed by territoryctl.
    Automatically,
}

/// A user who is not active: inactive, deleted, or another of Zoho's statuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InactiveUser {
    pub id: String,
    pub email: String,
    /// Zoho's word: `inactive`, `deleted`, `disabled`, ...
    pub status: String,
}
