//! The terminal rendering: Terraform-like symbols, per-field `old -> new`, word diffs of
//! descriptions, line diffs of criteria, the schedule, the unmanaged report and a summary line.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::attention::{self, Attention, Category, Part};
use super::field::{self, Changed, Shown};
use super::notes::{Notes, Refused};
use super::{criteria, summary_line, symbol};
use crate::model::{Criteria, Unmanaged};
use crate::plan::{
    Action, Change, Create, Delete, Manager, MemberMove, Plan, RecordTerritories, Update,
    batch_count,
};

/// ANSI styling, or none at all.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    color: bool,
}

impl Style {
    pub(crate) fn new(color: bool) -> Self {
        Self { color }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    }

    /// A change's headline, in its kind's colour from the symbol to the end of the line:
    /// green creates and assignments, yellow updates, cyan moves, red deletes and removals.
    fn entry(self, action: &Action, line: &str) -> String {
        self.paint(kind_colour(symbol(action)), line)
    }

    fn added(self, text: &str) -> String {
        self.paint("32", text)
    }

    fn removed(self, text: &str) -> String {
        self.paint("31", text)
    }

    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

fn kind_colour(symbol: &str) -> &'static str {
    match symbol {
        "+" => "32",
        "-" => "31",
        "->" => "36",
        _ => "33",
    }
}

/// The plan for a terminal. `color` adds ANSI colours; without it the output has none, and
/// reads the same (symbols and `[-removed-]{+added+}` markers carry the meaning).
#[must_use]
pub fn text(plan: &Plan, color: bool) -> String {
    text_with(plan, &Notes::default(), color)
}

/// [`text`] with the notes: a refusal first, then what needs attention (renames included),
/// then the changes.
#[must_use]
pub fn text_with(plan: &Plan, notes: &Notes, color: bool) -> String {
    // Names and values come from YAML and from Zoho: shown with hidden characters escaped.
    let plan = &*crate::escape::every_string(plan);
    let renames = &*crate::escape::every_string(&notes.renames);
    let style = Style::new(color);
    let mut out = String::new();
    if let Some(refused) = &notes.refusal {
        refusal(refused, style, &mut out);
    }
    if plan.has_changes() {
        let _ = writeln!(out, "Plan for `{}`:\n", plan.root);
        out.push_str(&attention(&attention::of(plan, renames), style));
        out.push_str(&changes(plan, style));
        out.push_str(&schedule(plan));
        out.push('\n');
    }
    out.push_str(&unmanaged(plan));
    out.push_str(&members_not_managed(plan));
    out.push_str(&style.bold(&summary_line(&plan.summary)));
    out.push('\n');
    out
}

/// The refusal, before anything else: the plan below it is for review, and `apply` refuses
/// it the same way until the rail is lifted.
fn refusal(refused: &Refused, style: Style, out: &mut String) {
    let _ = writeln!(
        out,
        "{}",
        style.paint(
            "1;31",
            &format!(
                "Refused ({}): {}",
                refused.code,
                crate::escape::terminal(&refused.message)
            )
        )
    );
    if let Some(help) = &refused.help {
        let _ = writeln!(out, "  help: {}", crate::escape::terminal(help));
    }
    out.push_str("  The whole plan follows, for review; nothing is applied while it is refused (exit 3).\n\n");
}

/// "Needs attention": the counts per category, then one line an item, in reading order.
fn attention(attention: &Attention, style: Style) -> String {
    if attention.is_empty() {
        return String::new();
    }
    let mut out = format!("Needs attention ({}):\n", attention.counts_line());
    for item in &attention.items {
        let words: String = item
            .parts
            .iter()
            .map(|part| match part {
                Part::Words(words) => words.as_str(),
                Part::Name(name) => name.as_str(),
            })
            .collect();
        // `!` starts every item, so that no item reads as a change of the list below.
        let colour = match item.category {
            Category::Delete | Category::RecordRemoval | Category::MemberRemoval => {
                kind_colour("-")
            }
            Category::Move | Category::MemberMove => kind_colour("->"),
            Category::Rename | Category::Manager | Category::Permission | Category::Rules => {
                kind_colour("~")
            }
        };
        let line = format!("! {} {words}", item.category.label());
        let _ = writeln!(out, "  {}", style.paint(colour, &line));
    }
    out.push('\n');
    out
}

/// The change list: territories, then records.
pub(crate) fn changes(plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    let (records, territories): (Vec<&Change>, Vec<&Change>) = plan
        .changes
        .iter()
        .partition(|change| matches!(change.action, Action::Remove(_) | Action::Assign(_)));
    if !territories.is_empty() {
        out.push_str("Territories:\n");
        for change in territories {
            territory(change, &plan.member_moves, style, &mut out);
        }
        out.push('\n');
    }
    if !records.is_empty() {
        out.push_str("Record territories (manual assignments):\n");
        for change in records {
            record(change, style, &mut out);
        }
        out.push('\n');
    }
    out
}

const FIELD: usize = 13;

fn field(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "      {:<FIELD$}{value}", format!("{name}:"));
}

fn territory(change: &Change, moves: &[MemberMove], style: Style, out: &mut String) {
    // The schedule says which wave carries each change: no `wave:` line per entry.
    let headline = format!("{} {}", symbol(&change.action), change.title());
    let _ = writeln!(out, "  {}", style.entry(&change.action, &headline));
    match &change.action {
        Action::Create(create) => create_fields(create, out, moves, style),
        Action::Update(update) => update_fields(update, moves, style, out),
        Action::Delete(delete) => delete_fields(delete, out),
        Action::Remove(_) | Action::Assign(_) => {}
    }
}

fn create_fields(create: &Create, out: &mut String, moves: &[MemberMove], style: Style) {
    for (label, shown) in field::created(create) {
        match shown {
            Shown::Line(line) => self::field(out, &label, &line),
            Shown::Text(text) => self::field(out, &label, &field::quoted(Some(&text))),
            Shown::Criteria(criteria) => {
                let _ = writeln!(out, "      {label}:");
                for line in criteria::lines(&criteria) {
                    let _ = writeln!(out, "          {line}");
                }
            }
            Shown::Users(users) => {
                let added: Vec<&Manager> = users.iter().collect();
                members(out, &label, &create.name, &added, &[], moves, style);
            }
        }
    }
}

/// The users a change adds (`+`) and removes (`-`), one a line, a move said where it is.
fn members(
    out: &mut String,
    label: &str,
    territory: &str,
    added: &[&Manager],
    removed: &[&Manager],
    moves: &[MemberMove],
    style: Style,
) {
    if added.is_empty() && removed.is_empty() {
        field(out, label, "(none)");
        return;
    }
    let moved = |user: &str| {
        moves
            .iter()
            .find(|found| {
                found.user.eq_ignore_ascii_case(user)
                    && (found.to == territory || found.from == territory)
            })
            .map(|found| format!(" (moves from {} to {})", found.from, found.to))
            .unwrap_or_default()
    };
    let mut first = true;
    for (sign, users) in [("+", added), ("-", removed)] {
        for user in users {
            let user = user.label();
            let line = format!("{sign} {user}{}", moved(&user));
            let line = if sign == "+" {
                style.added(&line)
            } else {
                style.removed(&line)
            };
            if first {
                field(out, label, &line);
                first = false;
            } else {
                let _ = writeln!(out, "      {:<FIELD$}{line}", "");
            }
        }
    }
}

fn update_fields(update: &Update, moves: &[MemberMove], style: Style, out: &mut String) {
    for change in &update.fields {
        let (label, changed) = field::changed(change);
        match changed {
            Changed::Name { old, new } => field(out, &label, &format!("{old:?} -> {new:?}")),
            Changed::Line { old, new } => field(out, &label, &format!("{old} -> {new}")),
            Changed::Text {
                old: Some(old),
                new: Some(new),
            } => field(out, &label, &word_diff(&old, &new, style)),
            Changed::Text { old, new } => field(
                out,
                &label,
                &format!(
                    "{} -> {}",
                    field::quoted(old.as_deref()),
                    field::quoted(new.as_deref())
                ),
            ),
            Changed::Criteria { old, new } => {
                let _ = writeln!(out, "      {label}:");
                for line in criteria_diff(old.as_ref(), new.as_ref(), style) {
                    let _ = writeln!(out, "        {line}");
                }
            }
            Changed::Users { added, removed } => {
                let added: Vec<&Manager> = added.iter().collect();
                let removed: Vec<&Manager> = removed.iter().collect();
                members(
                    out,
                    &label,
                    update.new_name(),
                    &added,
                    &removed,
                    moves,
                    style,
                );
            }
        }
    }
}

fn delete_fields(delete: &Delete, out: &mut String) {
    field(out, "parent", &field::reference(&delete.parent));
    if let Some(target) = &delete.transfer_to {
        field(
            out,
            "children",
            &format!(
                "{} handed to {} (transfer_and_delete)",
                delete.transferred_children.join(", "),
                field::reference(target)
            ),
        );
    }
}

fn record(change: &Change, style: Style, out: &mut String) {
    let (verb, records): (&str, &RecordTerritories) = match &change.action {
        Action::Assign(records) => ("assign", records),
        Action::Remove(records) => ("remove", records),
        _ => return,
    };
    let names: Vec<String> = records.territories.iter().map(field::reference).collect();
    let headline = format!(
        "{} {} {}: {verb} {}",
        symbol(&change.action),
        records.module,
        records.record_id,
        names.join(", ")
    );
    let _ = writeln!(out, "  {}", style.entry(&change.action, &headline));
    if !records.automatic.is_empty() {
        field(
            out,
            "kept",
            &format!("{} (assigned by rules)", records.automatic.join(", ")),
        );
    }
}

/// A word diff: removed words in `[-...-]`, added ones in `{+...+}`. Neighbouring changes, and
/// changes separated only by white space, read as one replaced phrase.
fn word_diff(old: &str, new: &str, style: Style) -> String {
    let diff = TextDiff::from_words(old, new);
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let value = change.value().replace('\n', "\\n");
        match runs.last_mut() {
            Some((tag, text)) if *tag == change.tag() => text.push_str(&value),
            _ => runs.push((change.tag(), value)),
        }
    }
    let mut out = String::new();
    let mut index = 0;
    while index < runs.len() {
        if runs[index].0 == ChangeTag::Equal {
            out.push_str(&runs[index].1);
            index += 1;
            continue;
        }
        let (mut removed, mut added) = (String::new(), String::new());
        let (mut any_removed, mut any_added) = (false, false);
        loop {
            let (tag, text) = &runs[index];
            match tag {
                ChangeTag::Delete => {
                    removed.push_str(text);
                    any_removed = true;
                }
                ChangeTag::Insert => {
                    added.push_str(text);
                    any_added = true;
                }
                ChangeTag::Equal => {
                    removed.push_str(text);
                    added.push_str(text);
                }
            }
            index += 1;
            let next_changes = runs
                .get(index)
                .is_some_and(|(tag, _)| *tag != ChangeTag::Equal);
            let white_then_change = runs
                .get(index)
                .is_some_and(|(tag, text)| *tag == ChangeTag::Equal && text.trim().is_empty())
                && runs
                    .get(index + 1)
                    .is_some_and(|(tag, _)| *tag != ChangeTag::Equal);
            if !next_changes && !white_then_change {
                break;
            }
        }
        if any_removed {
            out.push_str(&style.removed(&format!("[-{removed}-]")));
        }
        if any_added {
            out.push_str(&style.added(&format!("{{+{added}+}}")));
        }
    }
    out
}

/// Readable criteria, line-diffed: `- ` removed lines, `+ ` added ones, `  ` unchanged.
pub(crate) fn criteria_diff(
    old: Option<&Criteria>,
    new: Option<&Criteria>,
    style: Style,
) -> Vec<String> {
    let render = |criteria: Option<&Criteria>| {
        criteria.map_or_else(
            || "(no rule)\n".to_owned(),
            |criteria| {
                let mut text = criteria::lines(criteria).join("\n");
                text.push('\n');
                text
            },
        )
    };
    let (old, new) = (render(old), render(new));
    let diff = TextDiff::from_lines(&old, &new);
    diff.iter_all_changes()
        .map(|change| {
            let line = change.value().trim_end_matches('\n');
            match change.tag() {
                ChangeTag::Equal => format!("  {line}"),
                ChangeTag::Delete => style.removed(&format!("- {line}")),
                ChangeTag::Insert => style.added(&format!("+ {line}")),
            }
        })
        .collect()
}

/// The waves and their batches.
pub(crate) fn schedule(plan: &Plan) -> String {
    let mut out = String::new();
    let waves = plan.schedule.len();
    let batches = batch_count(&plan.schedule);
    let _ = writeln!(
        out,
        "Schedule: {waves} wave{}, {batches} request{}:",
        plural(waves),
        plural(batches)
    );
    for wave in &plan.schedule {
        let mut parts: Vec<(String, Vec<usize>)> = Vec::new();
        for batch in &wave.batches {
            let module = batch
                .operation
                .module()
                .map(|module| format!(" {module}"))
                .unwrap_or_default();
            let label = format!("{}{module}", batch.operation.label());
            match parts.last_mut() {
                Some((last, sizes)) if *last == label => sizes.push(batch.changes.len()),
                _ => parts.push((label, vec![batch.changes.len()])),
            }
        }
        let parts: Vec<String> = parts
            .into_iter()
            .map(|(label, sizes)| {
                let sizes: Vec<String> = sizes.iter().map(ToString::to_string).collect();
                if sizes.len() == 1 {
                    format!("{label} ({})", sizes[0])
                } else {
                    format!("{} x {label} ({})", sizes.len(), sizes.join(", "))
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "  wave {:<3}{:<27}{}",
            wave.number,
            wave.phase.label(),
            parts.join(", ")
        );
    }
    out
}

/// The unmanaged report, empty unless `unmanaged: report` found some.
pub(crate) fn unmanaged(plan: &Plan) -> String {
    if plan.unmanaged.is_empty() || plan.unmanaged_policy != Unmanaged::Report {
        return String::new();
    }
    let mut out = String::from(
        "Unmanaged territories (not in the desired state; left alone, `unmanaged: report`):\n",
    );
    for territory in &plan.unmanaged {
        let _ = writeln!(out, "  ? {} (under {})", territory.name, territory.parent);
    }
    out.push('\n');
    out
}

/// The one line that says which territories' membership the plan leaves alone.
pub(crate) fn members_not_managed(plan: &Plan) -> String {
    match plan.members_not_managed {
        0 => String::new(),
        count => format!(
            "Users of {count} territor{} not managed (no `users:`): left as they are.\n\n",
            if count == 1 { "y" } else { "ies" }
        ),
    }
}

pub(crate) fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
