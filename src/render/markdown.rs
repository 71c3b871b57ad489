//! The Markdown rendering for pull-request comments: the summary first, what needs a
//! reviewer's attention (deletions, moves, manager and permission changes) next, then the
//! affected hierarchy as a tree, and the details folded in `<details>`.

use std::fmt::Write as _;

use super::text::{self, Style, plural};
use super::{summary_line, tree};
use crate::escape;
use crate::plan::{Action, FieldChange, Manager, Plan, batch_count, member_change};

/// GitHub refuses comments longer than 65,536 characters; the rendering stays below this many
/// bytes (so also below that many characters).
pub const MAX_COMMENT_LEN: usize = 65_535;

/// The plan as a pull-request comment, at most [`MAX_COMMENT_LEN`] bytes. When the details do
/// not fit they are cut at a line, their fence closed, and a note says so.
#[must_use]
pub fn markdown(plan: &Plan) -> String {
    markdown_within(plan, MAX_COMMENT_LEN)
}

pub(crate) fn markdown_within(plan: &Plan, limit: usize) -> String {
    // Names and values come from YAML and from Zoho: hidden characters are escaped in the
    // plan first, and every name outside a code block is a code span (no markup, HTML,
    // mention or link).
    let plan = &*escape::every_string(plan);
    let mut head = format!("### territoryctl plan for {}\n\n", code(&plan.root));
    let _ = writeln!(head, "**{}**\n", summary_line(&plan.summary));
    let attention = attention(plan);
    if !attention.is_empty() {
        head.push_str("**Needs attention**\n\n");
        for line in &attention {
            let _ = writeln!(head, "- {line}");
        }
        head.push('\n');
    }
    let not_managed = text::members_not_managed(plan);
    if !not_managed.is_empty() {
        head.push_str(&not_managed);
    }
    let tree = tree::affected(plan);
    if !tree.is_empty() {
        let fence = escape::fence_for(&tree);
        let _ = write!(
            head,
            "**Affected territories**\n\n{fence}text\n{tree}{fence}\n\n"
        );
    }
    let mut sections: Vec<(String, String)> = Vec::new();
    if plan.has_changes() {
        // The schedule first: it is short, so it survives when the details must be cut.
        let waves = plan.schedule.len();
        let batches = batch_count(&plan.schedule);
        sections.push((
            format!(
                "Schedule: {waves} wave{}, {batches} request{}",
                plural(waves),
                plural(batches)
            ),
            text::schedule(plan),
        ));
        sections.push((
            format!("Changes ({})", plan.changes.len()),
            text::changes(plan, Style::new(false)),
        ));
    }
    let unmanaged = text::unmanaged(plan);
    if !unmanaged.is_empty() {
        sections.push((
            format!("Unmanaged territories ({})", plan.unmanaged.len()),
            unmanaged,
        ));
    }
    fit(&head, &sections, limit)
}

/// Assembles the comment, cutting section bodies at line boundaries so the whole stays within
/// `limit` bytes.
fn fit(head: &str, sections: &[(String, String)], limit: usize) -> String {
    let render = |title: &str, body: &str| {
        let body = body.trim_end();
        let fence = escape::fence_for(body);
        format!(
            "<details><summary>{title}</summary>\n\n{fence}text\n{body}\n{fence}\n\n</details>\n\n"
        )
    };
    let full: String = sections
        .iter()
        .map(|(title, body)| render(title, body))
        .collect();
    if head.len() + full.len() <= limit {
        return format!("{head}{full}").trim_end().to_owned() + "\n";
    }
    let total = head.len() + full.len();
    let note = format!(
        "\n> [!NOTE]\n> The plan was cut to fit a GitHub comment ({total} bytes in full). Run `territoryctl plan` or read the JSON plan for everything.\n"
    );
    let mut out = String::new();
    let mut budget = limit.saturating_sub(note.len());
    let head = cut_lines(head, budget);
    budget -= head.len();
    out.push_str(&head);
    for (title, body) in sections {
        let empty = render(title, "");
        if empty.len() >= budget {
            break;
        }
        let body = cut_lines(body, budget - empty.len());
        if body.trim().is_empty() {
            break;
        }
        let section = render(title, &body);
        budget -= section.len();
        out.push_str(&section);
    }
    out.push_str(&note);
    out
}

/// The longest prefix of `text` made of whole lines and at most `budget` bytes long.
fn cut_lines(text: &str, budget: usize) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if out.len() + line.len() > budget {
            break;
        }
        out.push_str(line);
    }
    out
}

/// One line per deletion, move, manager change and permission change.
fn attention(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    for change in &plan.changes {
        match &change.action {
            Action::Delete(delete) => {
                let mut line = format!("**Delete** {}", code(&delete.name));
                if let Some(target) = &delete.transfer_to {
                    let _ = write!(
                        line,
                        " (children {} handed to {})",
                        delete
                            .transferred_children
                            .iter()
                            .map(|name| code(name))
                            .collect::<Vec<_>>()
                            .join(", "),
                        code(target.name())
                    );
                }
                lines.push(line);
            }
            Action::Update(update) => {
                for field in &update.fields {
                    match field {
                        FieldChange::Parent { old, new, .. } => lines.push(format!(
                            "**Move** {}: {} → {}",
                            code(update.new_name()),
                            code(old.name()),
                            code(new.name())
                        )),
                        FieldChange::Manager { old, new } => lines.push(format!(
                            "**Manager** of {}: {} → {}",
                            code(update.new_name()),
                            manager(old.as_ref()),
                            manager(new.as_ref())
                        )),
                        FieldChange::Permission { old, new } => lines.push(format!(
                            "**Permission** of {}: `{old}` → `{new}`",
                            code(update.new_name())
                        )),
                        _ => {}
                    }
                }
            }
            Action::Create(_) | Action::Remove(_) | Action::Assign(_) => {}
        }
        let (_, removed) = member_change(change);
        let removed: Vec<String> = removed
            .iter()
            .map(|user| user.label())
            .filter(|user| {
                !plan
                    .member_moves
                    .iter()
                    .any(|found| found.user.eq_ignore_ascii_case(user))
            })
            .map(|user| code(&user))
            .collect();
        if !removed.is_empty() {
            lines.push(format!(
                "**Remove users** from {}: {}",
                code(&change.title()),
                removed.join(", ")
            ));
        }
    }
    for found in &plan.member_moves {
        lines.push(format!(
            "**User** {} moves from {} to {}",
            code(&found.user),
            code(&found.from),
            code(&found.to)
        ));
    }
    // Deletions first, then moves, managers, permissions: the order reviewers should read.
    lines.sort_by_key(|line| {
        [
            "**Delete**",
            "**Move**",
            "**Remove users**",
            "**User**",
            "**Manager**",
            "**Permission**",
        ]
        .iter()
        .position(|prefix| line.starts_with(prefix))
    });
    lines
}

fn manager(manager: Option<&Manager>) -> String {
    manager.map_or_else(|| "(none)".to_owned(), |manager| code(&manager.label()))
}

/// A name as an inline code span. The plan's strings are escaped already; `code_span` leaves
/// them as they are and only chooses the backticks (and escapes `|`).
fn code(text: &str) -> String {
    escape::code_span(text)
}
