//! The scenarios: what the org looks like, what the desired state asks for, and the least
//! work the API allows for it.

use zoho_crm_sim::State;

use super::org::{Edit, Org, RULE_MODULES};

/// Items per write request (Zoho's batch limit).
pub(crate) const BATCH: usize = 10;

/// Territories per list page (Zoho's `per_page` limit).
pub(crate) const PER_PAGE: usize = 200;

/// The territoryctl command a scenario runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Command {
    Plan,
    Apply,
    Export,
}

/// One write a naive script would send.
#[derive(Clone, Debug)]
pub(crate) enum Write {
    Create(usize),
    Reparent(usize, usize),
    Delete(usize),
}

/// One scenario at one size.
pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) command: Command,
    pub(crate) live: State,
    /// The desired-state files (none for export).
    pub(crate) desired: Vec<String>,
    /// The changes of each wave, in the order they must go out (parents before children for
    /// creates, children before parents for deletes).
    pub(crate) waves: Vec<Vec<Write>>,
    /// Field-metadata reads the command needs (one per rule module it must check).
    pub(crate) field_modules: usize,
    /// Whether the command reads the membership of every territory (`users:` in the desired
    /// state, or an export).
    pub(crate) members: bool,
    /// Territories whose membership the command changes: one user added (`PUT`) and one
    /// removed (`DELETE`) in each.
    pub(crate) member_changes: usize,
    /// Accounts records in the live org that `plan --impact Accounts` reads (0: no impact
    /// preview).
    pub(crate) impact_records: usize,
}

/// Accounts records per territory in `plan-impact`.
pub(crate) const IMPACT_RECORDS_PER_TERRITORY: usize = 10;

/// Every scenario's name, in the order they run.
pub(crate) const NAMES: &[&str] = &[
    "plan-unchanged",
    "plan-10pct",
    "export",
    "apply-create-all",
    "apply-reparent",
    "apply-delete-subtree",
    "apply-delete-keep-children",
    "plan-members",
    "apply-members",
    "plan-impact",
];

impl Scenario {
    /// The scenario `name` over `org`; `None` for an unknown name.
    #[must_use]
    pub(crate) fn build(name: &str, org: &Org) -> Option<Scenario> {
        let count = org.nodes.len();
        let full = || org.live(|_| true);
        let scenario = match name {
            "plan-unchanged" => Scenario {
                name: "plan-unchanged",
                command: Command::Plan,
                live: full(),
                desired: org.desired_files(&Edit::default()),
                waves: Vec::new(),
                field_modules: RULE_MODULES,
                members: false,
                member_changes: 0,
                impact_records: 0,
            },
            "plan-10pct" => {
                let redescribe: Vec<usize> = (1..count).filter(|index| index % 10 == 0).collect();
                Scenario {
                    name: "plan-10pct",
                    command: Command::Plan,
                    live: full(),
                    desired: org.desired_files(&Edit {
                        redescribe,
                        ..Edit::default()
                    }),
                    // A plan writes nothing; the waves are what the naive script reads for.
                    waves: Vec::new(),
                    field_modules: RULE_MODULES,
                    members: false,
                    member_changes: 0,
                    impact_records: 0,
                }
            }
            "export" => Scenario {
                name: "export",
                command: Command::Export,
                live: full(),
                desired: Vec::new(),
                waves: Vec::new(),
                // Export reads all three rule modules' fields, to flag criteria on deleted
                // fields, and every territory's users.
                field_modules: 3,
                members: true,
                member_changes: 0,
                impact_records: 0,
            },
            "apply-create-all" => {
                let mut waves: Vec<Vec<Write>> = vec![Vec::new(); org.depth()];
                for (index, node) in org.nodes.iter().enumerate().skip(1) {
                    waves[node.depth - 1].push(Write::Create(index));
                }
                Scenario {
                    name: "apply-create-all",
                    command: Command::Apply,
                    live: org.live(|_| false),
                    desired: org.desired_files(&Edit::default()),
                    waves,
                    field_modules: RULE_MODULES,
                    members: false,
                    member_changes: 0,
                    impact_records: 0,
                }
            }
            "apply-reparent" => {
                // Every child of the first top-level territory (with their whole subtrees)
                // moves under the second: one wave of moves.
                let (from, to) = (1, 2.min(count - 1));
                let moves: Vec<(usize, usize)> = org
                    .children(from)
                    .into_iter()
                    .map(|child| (child, to))
                    .collect();
                Scenario {
                    name: "apply-reparent",
                    command: Command::Apply,
                    live: full(),
                    desired: org.desired_files(&Edit {
                        reparent: moves.clone(),
                        ..Edit::default()
                    }),
                    waves: vec![
                        moves
                            .iter()
                            .map(|&(child, to)| Write::Reparent(child, to))
                            .collect(),
                    ],
                    field_modules: RULE_MODULES,
                    members: false,
                    member_changes: 0,
                    impact_records: 0,
                }
            }
            "apply-delete-subtree" => {
                // The first top-level territory whose subtree is at most a quarter of the org
                // (under the default 30% change rail), with everything below it, deepest
                // first.
                let tops = org.children(0);
                let subtree = tops
                    .iter()
                    .map(|&top| org.subtree(top))
                    .find(|subtree| subtree.len() * 4 <= count)
                    .unwrap_or_else(|| org.subtree(tops.last().copied().unwrap_or(1)));
                let top = subtree[0];
                let deepest = subtree
                    .iter()
                    .map(|&index| org.nodes[index].depth)
                    .max()
                    .unwrap_or(1);
                let top_depth = org.nodes[top].depth;
                let mut waves: Vec<Vec<Write>> = vec![Vec::new(); deepest - top_depth + 1];
                for &index in &subtree {
                    waves[deepest - org.nodes[index].depth].push(Write::Delete(index));
                }
                Scenario {
                    name: "apply-delete-subtree",
                    command: Command::Apply,
                    live: full(),
                    desired: org.desired_files(&Edit {
                        omit: subtree,
                        ..Edit::default()
                    }),
                    waves,
                    field_modules: RULE_MODULES,
                    members: false,
                    member_changes: 0,
                    impact_records: 0,
                }
            }
            "apply-delete-keep-children" => {
                // The first top-level territory goes; its children stay, under the root. Its
                // parent (the root) survives, so no transfer target satisfies Zoho's rules on
                // every reading: the children move by PUT, then a plain DELETE.
                let top = org.children(0).first().copied().unwrap_or(1);
                let moves: Vec<(usize, usize)> = org
                    .children(top)
                    .into_iter()
                    .map(|child| (child, 0))
                    .collect();
                Scenario {
                    name: "apply-delete-keep-children",
                    command: Command::Apply,
                    live: full(),
                    desired: org.desired_files(&Edit {
                        reparent: moves.clone(),
                        omit: vec![top],
                        ..Edit::default()
                    }),
                    waves: vec![
                        moves
                            .iter()
                            .map(|&(child, to)| Write::Reparent(child, to))
                            .collect(),
                        vec![Write::Delete(top)],
                    ],
                    field_modules: RULE_MODULES,
                    members: false,
                    member_changes: 0,
                    impact_records: 0,
                }
            }
            "plan-members" | "apply-members" => {
                // Every territory's users managed, every tenth one's changed: a user replaced.
                let remember: Vec<usize> = (1..count).filter(|index| index % 10 == 0).collect();
                let edit = Edit {
                    members: true,
                    remember,
                    ..Edit::default()
                };
                let member_changes = edit
                    .remember
                    .iter()
                    .filter(|&&index| org.members(index) != org.desired_members(index, &edit))
                    .count();
                let apply = name == "apply-members";
                Scenario {
                    name: if apply {
                        "apply-members"
                    } else {
                        "plan-members"
                    },
                    command: if apply { Command::Apply } else { Command::Plan },
                    live: full(),
                    desired: org.desired_files(&edit),
                    waves: Vec::new(),
                    field_modules: RULE_MODULES,
                    members: true,
                    member_changes: if apply { member_changes } else { 0 },
                    impact_records: 0,
                }
            }
            "plan-impact" => {
                // Every tenth territory's Accounts rule asks for another country: its
                // accounts leave it. `plan --impact Accounts` reads every account.
                let records = count * IMPACT_RECORDS_PER_TERRITORY;
                let mut live = full();
                live.records
                    .insert("Accounts".to_owned(), org.accounts(records));
                Scenario {
                    name: "plan-impact",
                    command: Command::Plan,
                    live,
                    desired: org.desired_files(&Edit {
                        recountry: (1..count).filter(|index| index % 10 == 0).collect(),
                        ..Edit::default()
                    }),
                    waves: Vec::new(),
                    field_modules: RULE_MODULES,
                    members: false,
                    member_changes: 0,
                    impact_records: records,
                }
            }
            _ => return None,
        };
        Some(scenario)
    }

    /// Territories in the live org before the command runs, the root included.
    #[must_use]
    pub(crate) fn live_territories(&self) -> usize {
        self.live.territories.len()
    }

    /// The least number of read requests: every territory page, the active users, the org,
    /// and one field-metadata read per rule module; with membership, the pages of
    /// `associated_users_count` and the cheaper of reading each territory's users and each
    /// active user's territories; with an impact preview, ceil(records / 200) record pages.
    #[must_use]
    pub(crate) fn read_lower_bound(&self) -> usize {
        self.live_territories().div_ceil(PER_PAGE)
            + 1
            + 1
            + self.field_modules
            + self.member_reads()
            + self.impact_pages()
    }

    /// The record pages of the impact preview: ceil(records / 200) for its one module.
    #[must_use]
    pub(crate) fn impact_pages(&self) -> usize {
        self.impact_records.div_ceil(PER_PAGE)
    }

    /// The membership reads: `associated_users_count` pages, then the cheaper way (by
    /// territory: a page per 200 users of each territory with users; by user: a page per 200
    /// territories of each active user, one at least).
    #[must_use]
    pub(crate) fn member_reads(&self) -> usize {
        if !self.members {
            return 0;
        }
        let counts: Vec<usize> = self
            .live
            .territories
            .iter()
            .map(|territory| territory.users.len())
            .filter(|count| *count > 0)
            .collect();
        let count_pages = counts.len().div_ceil(PER_PAGE).max(1);
        let by_territory: usize = counts.iter().map(|count| count.div_ceil(PER_PAGE)).sum();
        let by_user: usize = self
            .live
            .users
            .iter()
            .filter(|user| user.status == "active")
            .map(|user| {
                let of_user = self
                    .live
                    .territories
                    .iter()
                    .filter(|territory| territory.users.contains(&user.id))
                    .count();
                of_user.div_ceil(PER_PAGE).max(1)
            })
            .sum();
        count_pages + by_territory.min(by_user)
    }

    /// The least number of write requests: per wave, its changes in batches of ten; and per
    /// territory whose membership changes, one `PUT` of users and one `DELETE`.
    #[must_use]
    pub(crate) fn write_lower_bound(&self) -> usize {
        self.waves
            .iter()
            .map(|wave| wave.len().div_ceil(BATCH))
            .sum::<usize>()
            + 2 * self.member_changes
    }

    /// The wall time of a perfect run in units of one request's latency: territory pages are
    /// sequential (each page says whether there is a next), the other reads overlap them within
    /// `concurrency`, and each wave's write batches go out `concurrency` at a time.
    #[must_use]
    pub(crate) fn ideal_round_trips(&self, concurrency: usize) -> usize {
        let concurrency = concurrency.max(1);
        let pages = self.live_territories().div_ceil(PER_PAGE);
        let reads = pages.max(
            (self.read_lower_bound() - self.member_reads() - self.impact_pages())
                .div_ceil(concurrency),
        );
        let writes: usize = self
            .waves
            .iter()
            .map(|wave| wave.len().div_ceil(BATCH).div_ceil(concurrency))
            .sum();
        // The membership reads need the territories' ids first (counts and users after the
        // pages); the membership writes are one wave after the territory waves.
        let members = self.member_reads().div_ceil(concurrency)
            + (2 * self.member_changes).div_ceil(concurrency);
        // Record pages follow one another too (each gives the next page's token).
        reads + writes + members + self.impact_pages()
    }
}
