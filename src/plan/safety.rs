//! Safety rails: plans too destructive or too surprising to hand to `apply` unnoticed.

use miette::Diagnostic;
use thiserror::Error;

use super::change::{Action, Change};
use crate::model::{Desired, Live};

/// The default for [`Policy::max_change_percent`].
pub const DEFAULT_MAX_CHANGE_PERCENT: u32 = 30;

/// The change threshold applies only to orgs with at least this many territories (root
/// included): in a small org a single change is a large share.
pub const THRESHOLD_MIN_TERRITORIES: usize = 10;

/// A live read counts as suspiciously small when the desired state has at least this many
/// territories...
pub const SMALL_LIVE_MIN_DESIRED: usize = 10;

/// ...and fewer than one live territory (below the root) for every this many desired ones.
pub const SMALL_LIVE_RATIO: usize = 10;

/// What the safety rails allow, from the command line (`--max-change-percent`,
/// `--allow-empty`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Refuse when more than this percentage of the org's territories would be updated, moved,
    /// renamed or deleted (only in orgs with at least [`THRESHOLD_MIN_TERRITORIES`]).
    pub max_change_percent: u32,
    /// Allow an empty desired state and a live org that looks unread (see [`Refusal`]).
    pub allow_empty: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_change_percent: DEFAULT_MAX_CHANGE_PERCENT,
            allow_empty: false,
        }
    }
}

/// A safety rail refused the plan. Each rail has its own message; all exit with code 3.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("refusing to plan: the desired state has no territories")]
    #[diagnostic(
        code("plan::empty-desired"),
        help(
            "an empty desired state would make every territory unmanaged; if that is really meant, pass `--allow-empty`"
        )
    )]
    EmptyDesired,

    #[error("refusing to plan: the live org returned no territories, not even the root")]
    #[diagnostic(
        code("plan::empty-live"),
        help(
            "every Zoho org with territory management has a root territory; check that territory management is enabled and that the token's user can read territories"
        )
    )]
    EmptyLive,

    #[error(
        "refusing to plan: the live org has only {live} territories below the root, but the desired state has {desired}; the read may be incomplete"
    )]
    #[diagnostic(
        code("plan::small-live"),
        help(
            "check the org and the token's permissions; when the org really is new (a first apply), pass `--allow-empty`"
        )
    )]
    SmallLive { live: usize, desired: usize },

    #[error(
        "refusing to plan: {touched} of the org's {existing} territories would be updated or deleted ({percent}%), more than the {max}% allowed"
    )]
    #[diagnostic(
        code("plan::too-many-changes"),
        help(
            "review the desired state; if the change is intended, pass `--max-change-percent {percent}` or more"
        )
    )]
    TooManyChanges {
        touched: usize,
        existing: usize,
        percent: usize,
        max: u32,
    },
}

/// Checks the inputs before anything is planned.
///
/// # Errors
/// [`Refusal::EmptyDesired`] and [`Refusal::SmallLive`] unless `allow_empty`;
/// [`Refusal::EmptyLive`] always (without a root there is nothing to plan against).
pub(crate) fn check_inputs(desired: &Desired, live: &Live, policy: &Policy) -> Result<(), Refusal> {
    if live.root().is_none() {
        return Err(Refusal::EmptyLive);
    }
    if policy.allow_empty {
        return Ok(());
    }
    if desired.territories.is_empty() {
        return Err(Refusal::EmptyDesired);
    }
    // Below the root. A desired state much larger than the live org is what a truncated or
    // failed read looks like (and the same as a first apply into a fresh org, which is why
    // `--allow-empty` lets it through).
    let below_root = live.territories.len() - 1;
    let desired_count = desired.territories.len();
    if desired_count >= SMALL_LIVE_MIN_DESIRED && below_root * SMALL_LIVE_RATIO < desired_count {
        return Err(Refusal::SmallLive {
            live: below_root,
            desired: desired_count,
        });
    }
    Ok(())
}

/// Checks the planned changes against the change threshold.
///
/// # Errors
/// [`Refusal::TooManyChanges`] when more than `max_change_percent` of the org's territories
/// (root included) are updated (any field, moves and renames included) or deleted, and the org
/// has at least [`THRESHOLD_MIN_TERRITORIES`].
pub(crate) fn check_changes(
    changes: &[Change],
    live: &Live,
    policy: &Policy,
) -> Result<(), Refusal> {
    let existing = live.territories.len();
    if existing < THRESHOLD_MIN_TERRITORIES {
        return Ok(());
    }
    let touched = changes
        .iter()
        .filter(|change| matches!(change.action, Action::Update(_) | Action::Delete(_)))
        .count();
    if touched * 100 > existing * policy.max_change_percent as usize {
        return Err(Refusal::TooManyChanges {
            touched,
            existing,
            percent: (touched * 100).div_ceil(existing),
            max: policy.max_change_percent,
        });
    }
    Ok(())
}
