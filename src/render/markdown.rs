//! The Markdown rendering for pull-request comments: the summary first, what needs a
//! reviewer's attention (deletions, moves, manager and permission changes) next, then the
//! affected hierarchy as a tree, and the details folded in `<details>`.

use std::fmt::Write as _;

use super::attention::{self, Attention, Item, Part};
use super::notes::{Notes, Refused};
use super::text::{self, plural};
use super::{diff_block, mermaid, summary_line, tree};
use crate::escape;
use crate::plan::{Plan, batch_count};

/// GitHub refuses comments longer than 65,536 characters; the rendering stays below this many
/// bytes (so also below that many characters).
pub const MAX_COMMENT_LEN: usize = 65_535;

/// The plan as a pull-request comment, at most [`MAX_COMMENT_LEN`] bytes. When the details do
/// not fit they are cut at a line, their fence closed, and a note says so.
#[must_use]
pub fn markdown(plan: &Plan) -> String {
    markdown_with(plan, &Notes::default())
}

/// [`markdown`] with the notes: a refusal first, possible renames under "Needs attention", the
/// impact preview of `plan --impact` (its losses under "Needs attention") and the warnings of
/// rule analysis and policy, all in the head, where a cut never reaches them.
#[must_use]
pub fn markdown_with(plan: &Plan, notes: &Notes) -> String {
    markdown_within(plan, notes, MAX_COMMENT_LEN)
}

/// The affected tree is folded when it has more lines than this.
const TREE_UNFOLDED_LINES: usize = 25;

pub(crate) fn markdown_within(plan: &Plan, notes: &Notes, limit: usize) -> String {
    // Names and values come from YAML and from Zoho: hidden characters are escaped in the
    // plan first, and every name outside a code block is a code span (no markup, HTML,
    // mention or link).
    let plan = &*escape::every_string(plan);
    let renames = &*escape::every_string(&notes.renames);
    let mut head = format!("### territoryctl plan for {}\n\n", code(&plan.root));
    if let Some(refused) = &notes.refusal {
        refusal(refused, &mut head);
    }
    let _ = writeln!(head, "**{}**\n", summary_line(&plan.summary));
    let attention = attention::of(plan, renames);
    let impact = notes.impact.as_ref();
    let losses = impact
        .map(crate::impact::render::attention)
        .unwrap_or_default();
    if !attention.is_empty() || !losses.is_empty() {
        let mut counts = attention.counts_line();
        if !losses.is_empty() {
            if !counts.is_empty() {
                counts.push_str(", ");
            }
            let _ = write!(
                counts,
                "{} territor{} losing records",
                losses.len(),
                if losses.len() == 1 { "y" } else { "ies" }
            );
        }
        let _ = writeln!(head, "**Needs attention** ({counts})\n");
        needs_attention(&attention, &mut head);
        if !losses.is_empty() {
            // The losses go on the items' list: a blank line would start a second one.
            if !attention.is_empty() && head.ends_with("\n\n") && !head.ends_with("</details>\n\n")
            {
                head.pop();
            }
            for line in &losses {
                let _ = writeln!(head, "- {line}");
            }
            head.push('\n');
        }
    }
    head.push_str(
        &impact
            .map(crate::impact::render::markdown_table)
            .unwrap_or_default(),
    );
    head.push_str(&crate::analysis::report::markdown(&notes.warnings));
    head.push_str(&text::members_not_managed(plan));
    if let Some(root) = tree::nodes(plan) {
        affected(&root, &mut head);
    }
    let mut sections: Vec<(String, &str, String)> = Vec::new();
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
            "text",
            text::schedule(plan),
        ));
        let subtrees = attention::deleted_subtrees(plan);
        for (kind, (body, count)) in diff_block::sections(&plan.changes, &subtrees) {
            let count = match kind {
                diff_block::Kind::Records => format!("{count} record{}", plural(count)),
                _ => count.to_string(),
            };
            sections.push((format!("{} ({count})", kind.title()), "diff", body));
        }
    }
    let unmanaged = text::unmanaged(plan);
    if !unmanaged.is_empty() {
        sections.push((
            format!("Unmanaged territories ({})", plan.unmanaged.len()),
            "text",
            unmanaged,
        ));
    }
    fit(&head, &sections, limit)
}

/// The refusal as a GitHub alert, before the summary: the plan below is there to be reviewed.
/// The message and its help can hold names (the territories a plan deletes), so they are in
/// a code block, hidden characters escaped.
fn refusal(refused: &Refused, out: &mut String) {
    let mut body = escape::terminal(&refused.message).into_owned();
    if let Some(help) = &refused.help {
        body.push_str("\nhelp: ");
        body.push_str(&escape::terminal(help));
    }
    let fence = escape::fence_for(&body);
    let _ = writeln!(
        out,
        "> [!CAUTION]\n> **Refused by a safety rail** ({}). The whole plan follows for review; nothing is applied while it is refused (exit 3). docs/gitops.md (\"Refusals\") says how a reviewer approves it.\n>\n> {fence}text",
        code(&refused.code)
    );
    for line in body.lines() {
        let _ = writeln!(out, "> {line}");
    }
    let _ = writeln!(out, "> {fence}\n");
}

/// The affected tree as a text block (folded when long), and a Mermaid diagram of it when it
/// is small enough to read.
fn affected(root: &tree::Node, out: &mut String) {
    let drawn = tree::draw_tree(root);
    let fence = escape::fence_for(&drawn);
    let lines = drawn.lines().count();
    let block = format!("{fence}text\n{drawn}{fence}\n\n");
    if lines > TREE_UNFOLDED_LINES {
        let _ = write!(
            out,
            "<details><summary>Affected territories ({lines})</summary>\n\n{block}</details>\n\n"
        );
    } else {
        let _ = write!(out, "**Affected territories**\n\n{block}");
    }
    let nodes = root.count();
    if nodes <= mermaid::MAX_NODES {
        let _ = write!(out, "```mermaid\n{}```\n\n", mermaid::flowchart(root));
    } else {
        let _ = writeln!(
            out,
            "_No diagram: the affected tree has {nodes} territories, more than the {} a diagram stays readable with._\n",
            mermaid::MAX_NODES
        );
    }
}

/// A category shows this many items; the rest are folded below them.
const ATTENTION_UNFOLDED: usize = 10;

/// The items, category by category: the first [`ATTENTION_UNFOLDED`] of each as a list, the
/// rest of it folded (`<details>`), so that one long category does not hide the next.
fn needs_attention(attention: &Attention, out: &mut String) {
    let mut index = 0;
    while index < attention.items.len() {
        let category = attention.items[index].category;
        let end = attention.items[index..]
            .iter()
            .position(|item| item.category != category)
            .map_or(attention.items.len(), |length| index + length);
        let items = &attention.items[index..end];
        for item in items.iter().take(ATTENTION_UNFOLDED) {
            let _ = writeln!(out, "- {}", item_line(item));
        }
        if items.len() > ATTENTION_UNFOLDED {
            let rest = &items[ATTENTION_UNFOLDED..];
            let _ = writeln!(
                out,
                "\n<details><summary>{} more {}</summary>\n",
                rest.len(),
                category.noun(rest.len())
            );
            for item in rest {
                let _ = writeln!(out, "- {}", item_line(item));
            }
            out.push_str("\n</details>\n\n");
        }
        index = end;
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// One item of "Needs attention": the category in bold, every name a code span.
fn item_line(item: &Item) -> String {
    let parts: String = item
        .parts
        .iter()
        .map(|part| match part {
            Part::Words(words) => md_text(words),
            Part::Name(name) => code(name),
        })
        .collect();
    format!("**{}** {parts}", item.category.label())
}

/// Words of territoryctl's own (never a name) in Markdown text: backslash-escaped where
/// Markdown would read them as markup.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '@' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Assembles the comment, cutting section bodies at line boundaries so the whole stays within
/// `limit` bytes.
fn fit(head: &str, sections: &[(String, &str, String)], limit: usize) -> String {
    let render = |title: &str, language: &str, body: &str| {
        let body = body.trim_end();
        let fence = escape::fence_for(body);
        format!(
            "<details><summary>{title}</summary>\n\n{fence}{language}\n{body}\n{fence}\n\n</details>\n\n"
        )
    };
    let full: String = sections
        .iter()
        .map(|(title, language, body)| render(title, language, body))
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
    for (title, language, body) in sections {
        let empty = render(title, language, "");
        if empty.len() >= budget {
            break;
        }
        let body = cut_lines(body, budget - empty.len());
        if body.trim().is_empty() {
            break;
        }
        let section = render(title, language, &body);
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

/// A name as an inline code span. The plan's strings are escaped already; `code_span` leaves
/// them as they are and only chooses the backticks (and escapes `|`).
fn code(text: &str) -> String {
    escape::code_span(text)
}
