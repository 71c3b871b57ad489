//! Territory membership in a plan, apart from how the plan holds it: which removals and
//! additions read as a user moving between territories ([`moves`]), and the safety rails on
//! removals ([`check_removals`]). Pure: no I/O.

mod moves;
mod rails;

pub use moves::{Move, moves};
pub use rails::{MemberChange, MembershipRefusal, THRESHOLD_MIN_MEMBERSHIPS, check_removals};
