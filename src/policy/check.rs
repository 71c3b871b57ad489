//! Running the policy's checks over a desired state.

use std::collections::{BTreeMap, BTreeSet};

use miette::Diagnostic;
use thiserror::Error;

use super::{Level, Policy, Setting};
use crate::analysis::Finding;
use crate::analysis::report::{Warning, location};
use crate::model::{Desired, NameKey, Origin};

/// One territory that fails one check.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PolicyFinding {
    pub level: Level,
    /// `policy::manager-required`, `policy::max-depth`, `policy::name-pattern`,
    /// `policy::max-users`, `policy::leaf-rules-required`, `policy::no-analysis-warnings`.
    pub code: &'static str,
    pub territory: String,
    pub message: String,
    pub help: String,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

impl PolicyFinding {
    /// As the plan shows warnings.
    #[must_use]
    pub fn warning(&self) -> Warning {
        Warning {
            code: self.code.to_owned(),
            message: self.message.clone(),
            help: self.help.clone(),
            location: self.origin.as_ref().and_then(location),
        }
    }
}

/// The policy's error findings, all of them: `validate` and `plan` fail with this.
#[derive(Debug, Diagnostic, Error)]
#[error("the desired state breaks its policy ({} finding{})", .findings.len(), if .findings.len() == 1 { "" } else { "s" })]
#[diagnostic(
    code("policy::failed"),
    help("fix each territory listed, or set the check to `level: warning` in `policy:`")
)]
pub struct PolicyReport {
    /// One line per finding: `code at file:line:col: message`.
    #[related]
    pub findings: Vec<PolicyLine>,
}

/// One error finding in a [`PolicyReport`].
#[derive(Debug, Diagnostic, Error)]
#[error("{line}")]
pub struct PolicyLine {
    pub line: String,
}

impl PolicyReport {
    /// The report of `findings`' errors, or `None` when there are none.
    #[must_use]
    pub fn of(findings: &[PolicyFinding]) -> Option<Self> {
        let lines: Vec<PolicyLine> = findings
            .iter()
            .filter(|finding| finding.level == Level::Error)
            .map(|finding| {
                let warning = finding.warning();
                let at = warning
                    .location
                    .map(|at| format!(" at {at}"))
                    .unwrap_or_default();
                PolicyLine {
                    line: crate::escape::terminal(&format!(
                        "[{}]{at}: {} ({})",
                        finding.code, finding.message, finding.help
                    ))
                    .into_owned(),
                }
            })
            .collect();
        (!lines.is_empty()).then_some(Self { findings: lines })
    }
}

fn depth_of(desired: &Desired) -> BTreeMap<NameKey, u32> {
    let parent_of: BTreeMap<NameKey, NameKey> = desired
        .territories
        .iter()
        .map(|t| (NameKey::new(&t.name), NameKey::new(&t.parent)))
        .collect();
    let mut out = BTreeMap::new();
    for territory in &desired.territories {
        let mut depth = 1;
        let mut at = NameKey::new(&territory.parent);
        while let Some(next) = parent_of.get(&at) {
            depth += 1;
            at = next.clone();
            if depth as usize > desired.territories.len() {
                break;
            }
        }
        out.insert(NameKey::new(&territory.name), depth);
    }
    out
}

/// Whether the territory has a manager its `users:` do not list.
fn manager_unlisted(territory: &crate::model::DesiredTerritory) -> bool {
    let users = territory.users.as_deref().unwrap_or_default();
    territory.manager.as_ref().is_some_and(|manager| {
        let manager = manager.to_lowercase();
        !users.iter().any(|user| user.to_lowercase() == manager)
    })
}

/// A territory's users, its manager counted as Zoho counts it (listed or not), or `None`
/// when its `users:` are not managed. Emails compare case-insensitively.
fn user_count(territory: &crate::model::DesiredTerritory) -> Option<usize> {
    let users = territory.users.as_ref()?;
    let distinct: BTreeSet<String> = users.iter().map(|user| user.to_lowercase()).collect();
    Some(distinct.len() + usize::from(manager_unlisted(territory)))
}

fn finding<T>(
    setting: &Setting<T>,
    code: &'static str,
    territory: &crate::model::DesiredTerritory,
    message: String,
    help: String,
) -> PolicyFinding {
    PolicyFinding {
        level: setting.level,
        code,
        territory: territory.name.clone(),
        message,
        help,
        origin: territory
            .origins
            .name
            .clone()
            .or_else(|| setting.origin.clone()),
    }
}

/// Every territory that fails a check of `policy`, errors and warnings, in file order per
/// check. `analysis` is the rule analysis's findings (for `no_analysis_warnings`).
#[must_use]
pub fn check(policy: &Policy, desired: &Desired, analysis: &[Finding]) -> Vec<PolicyFinding> {
    let mut out = Vec::new();
    if let Some(setting) = &policy.manager_required {
        for territory in desired.territories.iter().filter(|t| t.manager.is_none()) {
            out.push(finding(
                setting,
                "policy::manager-required",
                territory,
                format!("`{}` has no manager", territory.name),
                "set `manager:` to the email of an active user".to_owned(),
            ));
        }
    }
    if let Some(setting) = &policy.max_depth {
        let depth = depth_of(desired);
        for territory in &desired.territories {
            let at = depth[&NameKey::new(&territory.name)];
            if at > setting.value {
                out.push(finding(
                    setting,
                    "policy::max-depth",
                    territory,
                    format!(
                        "`{}` is {at} levels below the root, deeper than the policy's {}",
                        territory.name, setting.value
                    ),
                    "move it higher, or raise `policy.max_depth.max`".to_owned(),
                ));
            }
        }
    }
    if let Some(setting) = &policy.name_pattern {
        for territory in &desired.territories {
            if !setting.value.regex.is_match(&territory.name) {
                out.push(finding(
                    setting,
                    "policy::name-pattern",
                    territory,
                    format!(
                        "`{}` does not match the policy's name pattern `{}`",
                        territory.name, setting.value.source
                    ),
                    "rename it (keep the old name under `previously:`), or change the pattern"
                        .to_owned(),
                ));
            }
        }
    }
    if let Some(setting) = &policy.max_users {
        for territory in &desired.territories {
            let Some(count) = user_count(territory) else {
                continue;
            };
            if count > setting.value as usize {
                let counted = if manager_unlisted(territory) {
                    format!("{} users and the manager", count - 1)
                } else {
                    format!("{count} users")
                };
                let mut found = finding(
                    setting,
                    "policy::max-users",
                    territory,
                    format!(
                        "`{}` has {counted}, more than the policy's {}",
                        territory.name, setting.value
                    ),
                    format!(
                        "list {} fewer, split the territory, or raise `policy.max_users.limit`; \
                         the manager is one of a territory's users, listed or not",
                        count - setting.value as usize
                    ),
                );
                // At the list, where the fix is written.
                if let Some(first) = territory.origins.users.first() {
                    found.origin = Some(first.clone());
                }
                out.push(found);
            }
        }
    }
    if let Some(setting) = &policy.leaf_rules_required {
        let parents: BTreeSet<NameKey> = desired
            .territories
            .iter()
            .map(|t| NameKey::new(&t.parent))
            .collect();
        for territory in &desired.territories {
            let leaf = !parents.contains(&NameKey::new(&territory.name));
            if leaf && territory.rules.iter().next().is_none() {
                out.push(finding(
                    setting,
                    "policy::leaf-rules-required",
                    territory,
                    format!(
                        "`{}` has no territory below it and no rules: no record reaches it \
                         automatically",
                        territory.name
                    ),
                    "add `rules:` for at least one module".to_owned(),
                ));
            }
        }
    }
    if let Some(setting) = &policy.no_analysis_warnings {
        for found in analysis {
            out.push(PolicyFinding {
                level: setting.level,
                code: "policy::no-analysis-warnings",
                territory: found.territory.clone(),
                message: format!("{} ({})", found.message, found.kind.code()),
                help: found.help.clone(),
                origin: found.origin.clone(),
            });
        }
    }
    out
}
