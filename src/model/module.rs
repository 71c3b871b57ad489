use std::fmt;

/// Whether `text` can be a Zoho record id: a 64-bit number, so 1 to 20 ASCII digits. The one
/// check of a record id (YAML assignments and lookups, `records`, `export` requests).
#[must_use]
pub fn is_record_id(text: &str) -> bool {
    (1..=20).contains(&text.len()) && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// A CRM module whose records can sit in territories.
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
pub enum Module {
    Accounts,
    Contacts,
    Deals,
    Leads,
}

impl Module {
    pub const ALL: [Self; 4] = [Self::Accounts, Self::Contacts, Self::Deals, Self::Leads];

    /// The module's API name, as in URLs (`/crm/v8/Accounts/...`) and in YAML.
    #[must_use]
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Accounts => "Accounts",
            Self::Contacts => "Contacts",
            Self::Deals => "Deals",
            Self::Leads => "Leads",
        }
    }

    /// Parses an API name, case-insensitively as Zoho does.
    #[must_use]
    pub fn from_api_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|module| module.api_name().eq_ignore_ascii_case(name))
    }

    /// How many territories one record of this module may sit in (Zoho: Deals 1, others 10).
    #[must_use]
    pub fn max_territories_per_record(self) -> usize {
        match self {
            Self::Deals => 1,
            Self::Accounts | Self::Contacts | Self::Leads => 10,
        }
    }

    /// Whether the API can assign territories to records of this module by hand.
    /// Zoho answers `TERRITORY_NOT_ENABLED` for Leads.
    #[must_use]
    pub fn assignable_through_api(self) -> bool {
        !matches!(self, Self::Leads)
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// A module that territory assignment rules can be written for.
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
pub enum RuleModule {
    Accounts,
    Leads,
    Deals,
}

impl RuleModule {
    pub const ALL: [Self; 3] = [Self::Accounts, Self::Leads, Self::Deals];

    /// The key under `rules:` in YAML.
    #[must_use]
    pub fn yaml_key(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Leads => "leads",
            Self::Deals => "deals",
        }
    }

    /// The territory's criteria key on the wire.
    #[must_use]
    pub fn wire_key(self) -> &'static str {
        match self {
            Self::Accounts => "account_rule_criteria",
            Self::Leads => "lead_rule_criteria",
            Self::Deals => "deal_rule_criteria",
        }
    }

    /// The module whose fields the criteria refer to.
    #[must_use]
    pub fn module(self) -> Module {
        match self {
            Self::Accounts => Module::Accounts,
            Self::Leads => Module::Leads,
            Self::Deals => Module::Deals,
        }
    }
}

impl fmt::Display for RuleModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.yaml_key())
    }
}

#[cfg(test)]
mod record_id_tests {
    use super::is_record_id;

    #[test]
    fn a_record_id_is_one_to_twenty_digits() {
        assert!(is_record_id("4150868000000225013"));
        assert!(is_record_id(&"9".repeat(20)));
        assert!(!is_record_id(&"9".repeat(21)));
        assert!(!is_record_id(""));
        assert!(!is_record_id("12a"));
        assert!(!is_record_id(" 12"));
        assert!(!is_record_id("١٢"), "only ASCII digits");
    }
}
