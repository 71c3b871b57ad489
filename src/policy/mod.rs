//! Policy checks of a desired state (`policy:` in the files): each check `error` (fails
//! `validate` and `plan`, exit 1, every finding listed) or `warning` (shown, also in the
//! pull-request comment). Pure: [`check`] reads only the desired state and the rule
//! analysis's findings.

mod check;

pub use check::{PolicyFinding, PolicyReport, check};

use crate::model::Origin;

/// How a finding counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Error,
    Warning,
}

/// One check: its level, its setting, and where the files set it.
#[derive(Clone, Debug)]
pub struct Setting<T> {
    pub level: Level,
    pub value: T,
    pub origin: Option<Origin>,
}

/// A name pattern, as written and compiled.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub source: String,
    pub regex: regex::Regex,
}

/// The checks the files turn on.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    pub manager_required: Option<Setting<()>>,
    pub max_depth: Option<Setting<u32>>,
    pub name_pattern: Option<Setting<Pattern>>,
    /// The most users a territory with `users:` may have, its manager counted.
    pub max_users: Option<Setting<u32>>,
    pub leaf_rules_required: Option<Setting<()>>,
    pub no_analysis_warnings: Option<Setting<()>>,
}

impl Policy {
    /// Whether any check is on.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.manager_required.is_none()
            && self.max_depth.is_none()
            && self.name_pattern.is_none()
            && self.max_users.is_none()
            && self.leaf_rules_required.is_none()
            && self.no_analysis_warnings.is_none()
    }
}
