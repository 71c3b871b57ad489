//! Orgs and desired territories for the plan's unit tests.

use crate::model::{DesiredTerritory, Fields, Live, LiveTerritory, Permission, User};

/// An org of `territories` (id, name, parent id), read-only, and the active users `users`
/// (`<id>@x.com`, named `<ID>`).
pub(crate) fn org(territories: &[(&str, &str, Option<&str>)], users: &[&str]) -> Live {
    Live {
        territories: territories
            .iter()
            .map(|&(id, name, parent)| LiveTerritory {
                id: id.to_owned(),
                fields: Fields::new(name, parent.map(str::to_owned), Permission::ReadOnly),
                modified_time: None,
            })
            .collect(),
        users: users
            .iter()
            .map(|id| User {
                id: (*id).to_owned(),
                email: format!("{id}@x.com"),
                full_name: id.to_uppercase(),
            })
            .collect(),
        ..Live::default()
    }
}

/// A desired read-only territory `name` under `parent`, with nothing else set.
pub(crate) fn territory(name: &str, parent: &str) -> DesiredTerritory {
    DesiredTerritory {
        fields: Fields::new(name, parent.to_owned(), Permission::ReadOnly),
        previously: Vec::new(),
        origins: Default::default(),
    }
}

/// Org (1) > A (2) > A1 (3), Org > B (4) > B1 (5); users u1 and u2.
pub(crate) fn two_branches() -> Live {
    org(
        &[
            ("1", "Org", None),
            ("2", "A", Some("1")),
            ("3", "A1", Some("2")),
            ("4", "B", Some("1")),
            ("5", "B1", Some("4")),
        ],
        &["u1", "u2"],
    )
}
