//! Three renderings of one [`Plan`](crate::plan::Plan): text for terminals, Markdown for pull-request comments,
//! JSON for machines and as the saved plan file. Each is a pure function returning a `String`:
//! the same plan always renders to the same bytes, and the caller decides where it goes.

mod attention;
pub mod criteria;
mod diff_block;
mod field;
mod json;
mod markdown;
mod mermaid;
mod notes;
mod text;
pub mod tree;

pub use json::{PlanFileError, json, json_with, parse, schema_json};
pub use markdown::{MAX_COMMENT_LEN, markdown, markdown_with};
pub use notes::{Notes, Refused, RenameHint, renames};
pub use text::{text, text_with};

use crate::plan::{Action, Summary};

/// The symbol of a change: `+` create or assign, `~` update, `->` move, `-` delete or remove.
#[must_use]
pub fn symbol(action: &Action) -> &'static str {
    match action {
        Action::Create(_) | Action::Assign(_) => "+",
        Action::Update(update) if update.parent_change().is_some() => "->",
        Action::Update(_) => "~",
        Action::Delete(_) | Action::Remove(_) => "-",
    }
}

/// `Plan: 3 to add, 2 to change, 1 to move, 1 to delete, 4 record assignments.`, or
/// `No changes.`. Record counts appear only when there are some.
#[must_use]
pub fn summary_line(summary: &Summary) -> String {
    if summary.is_empty() {
        return "No changes.".to_owned();
    }
    let mut line = format!(
        "Plan: {} to add, {} to change, {} to move, {} to delete",
        summary.add, summary.change, summary.moves, summary.delete
    );
    for (count, what) in [
        (summary.record_assignments, "record assignment"),
        (summary.record_removals, "record removal"),
        (summary.member_additions, "membership added"),
        (summary.member_removals, "membership removed"),
    ] {
        if count > 0 {
            let what = match what.split_once(' ') {
                Some(("membership", done)) if count != 1 => format!("memberships {done}"),
                _ => format!("{what}{}", text_plural(count)),
            };
            line.push_str(&format!(", {count} {what}"));
        }
    }
    line.push('.');
    line
}

fn text_plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
