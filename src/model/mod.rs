//! The project's own picture of territories, independent of YAML and of Zoho's wire format.
//!
//! `config/` parses YAML into [`Desired`]; `zoho/` loads [`Live`] from the API; `plan/` compares
//! the two. Nothing in here does I/O, and nothing here knows a YAML or HTTP crate.

mod attribute;
mod criteria;
mod data_type;
mod desired;
mod live;
mod module;
mod name;
mod origin;

pub use attribute::{Attribute, ById, ByLive, ByName, Fields, Patch, Refer, Value};
pub use criteria::{Comparator, Criteria, GroupOperator, Rule, RuleValue, Scalar, ValueShape};
#[cfg(test)]
pub(crate) use data_type::shared_cases as shared_comparator_cases;
pub use data_type::{DataType, FieldKind};
pub use desired::{Assignments, Desired, DesiredTerritory, Unmanaged};
pub use live::{
    AssignedHow, FieldMeta, InactiveUser, Live, LiveRecord, LiveTerritory, OrgInfo, PicklistValue,
    RecordTerritory, TerritoryId, User, UserRef,
};
pub use module::{Module, RuleModule, is_record_id};
pub use name::{MAX_DESCRIPTION_LEN, MAX_NAME_LEN, NameKey, NameProblem, check_name};
pub use origin::{CriteriaOrigin, Origin, RuleOrigin, TerritoryOrigins};

/// Access a territory grants to its users over the records it holds (`permission_type`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ReadOnly,
    ReadWriteDelete,
}

impl Permission {
    /// The value Zoho uses on the wire and in YAML.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadOnly => "read_only",
            Self::ReadWriteDelete => "read_write_delete",
        }
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The three assignment-rule criteria of a territory, one per module that has territory rules.
///
/// `None` means "no rule for that module"; for a desired territory it means the rule is cleared.
#[derive(
    Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Rules {
    pub accounts: Option<Criteria>,
    pub leads: Option<Criteria>,
    pub deals: Option<Criteria>,
}

impl Rules {
    /// The criteria for one module.
    #[must_use]
    pub fn get(&self, module: RuleModule) -> Option<&Criteria> {
        match module {
            RuleModule::Accounts => self.accounts.as_ref(),
            RuleModule::Leads => self.leads.as_ref(),
            RuleModule::Deals => self.deals.as_ref(),
        }
    }

    /// Mutable access to the criteria of one module.
    pub fn get_mut(&mut self, module: RuleModule) -> &mut Option<Criteria> {
        match module {
            RuleModule::Accounts => &mut self.accounts,
            RuleModule::Leads => &mut self.leads,
            RuleModule::Deals => &mut self.deals,
        }
    }

    /// `(module, criteria)` for every module that has a rule, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = (RuleModule, &Criteria)> {
        RuleModule::ALL
            .into_iter()
            .filter_map(|module| self.get(module).map(|criteria| (module, criteria)))
    }
}
