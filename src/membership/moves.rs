//! A user who leaves one territory and joins another in the same plan is a move, shown as
//! "moves from A to B" wherever the plan is rendered.

use std::collections::BTreeMap;

use super::rails::MemberChange;

/// One user's move between territories.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    /// The user as the plan shows them (the first spelling met).
    pub user: String,
    pub from: String,
    pub to: String,
}

/// The moves among `changes`, by user (lower-cased): a user removed from exactly one
/// territory and added to exactly one other. A user added to or removed from several is
/// listed as those adds and removals, since no single "from" or "to" would be true.
#[must_use]
pub fn moves(changes: &[MemberChange<'_>]) -> BTreeMap<String, Move> {
    let mut left: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    let mut joined: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    for change in changes {
        for user in change.removed {
            left.entry(user.to_lowercase())
                .or_default()
                .push((user, change.territory));
        }
        for user in change.added {
            joined
                .entry(user.to_lowercase())
                .or_default()
                .push((user, change.territory));
        }
    }
    left.into_iter()
        .filter_map(|(key, from)| {
            let to = joined.get(&key)?;
            match (from.as_slice(), to.as_slice()) {
                ([(user, from)], [(_, to)]) if from != to => Some((
                    key,
                    Move {
                        user: (*user).to_owned(),
                        from: (*from).to_owned(),
                        to: (*to).to_owned(),
                    },
                )),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change<'a>(
        territory: &'a str,
        added: &'a [String],
        removed: &'a [String],
    ) -> MemberChange<'a> {
        MemberChange {
            territory,
            before: removed.len(),
            added,
            removed,
        }
    }

    fn emails(list: &[&str]) -> Vec<String> {
        list.iter().map(|email| (*email).to_owned()).collect()
    }

    #[test]
    fn one_leave_and_one_join_is_a_move_whatever_the_case() {
        let (east_added, east_removed) = (
            emails(&[]),
            emails(&["Pat@acme.example", "kim@acme.example"]),
        );
        let (west_added, west_removed) = (emails(&["pat@ACME.example"]), emails(&[]));
        let changes = [
            change("East", &east_added, &east_removed),
            change("West", &west_added, &west_removed),
        ];
        let moves = moves(&changes);
        assert_eq!(moves.len(), 1);
        assert_eq!(
            moves["pat@acme.example"],
            Move {
                user: "Pat@acme.example".into(),
                from: "East".into(),
                to: "West".into()
            }
        );
    }

    #[test]
    fn joining_two_territories_is_not_one_move() {
        let removed = emails(&["pat@acme.example"]);
        let added = emails(&["pat@acme.example"]);
        let none = emails(&[]);
        let changes = [
            change("East", &none, &removed),
            change("West", &added, &none),
            change("North", &added, &none),
        ];
        assert!(moves(&changes).is_empty());
    }
}
