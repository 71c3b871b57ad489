//! The final report of an apply: per change done, scheduled, failed (with Zoho's code, its
//! message and what to do), skipped (and why) or unknown; then a summary. Rendered as text,
//! Markdown or JSON, like the plan.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::executor::Execution;
use super::outcome::Outcome;
use crate::exit::ExitStatus;
use crate::plan::{Action, Change};

/// Version of the JSON report's shape; bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

/// What an apply did, change by change, in plan order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub format_version: u32,
    pub summary: Summary,
    pub changes: Vec<Entry>,
}

/// One change of the plan and its outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub key: String,
    /// `create`, `update`, `delete`, `assign` or `remove`.
    pub action: &'static str,
    /// The territory's name (after a rename), or `Module record-id`.
    pub title: String,
    pub wave: usize,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Counts per outcome, and the cost of the run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub done: usize,
    pub scheduled: usize,
    pub failed: usize,
    pub skipped: usize,
    pub unknown: usize,
    /// Batches sent, one request each before retries.
    pub batches: usize,
    /// HTTP requests sent, retries and read-backs included.
    pub requests: u64,
    pub elapsed_ms: u128,
    /// Ctrl-C stopped the run early.
    pub interrupted: bool,
}

impl Report {
    /// The report of `execution`, which ran `changes`.
    #[must_use]
    pub fn new(changes: &[Change], execution: &Execution) -> Self {
        let mut summary = Summary {
            batches: execution.batches,
            requests: execution.requests,
            elapsed_ms: execution.elapsed.as_millis(),
            interrupted: execution.interrupted,
            ..Summary::default()
        };
        let entries: Vec<Entry> = changes
            .iter()
            .map(|change| {
                let outcome = execution
                    .outcomes
                    .get(&change.key)
                    .cloned()
                    .unwrap_or_else(|| Outcome::Skipped {
                        because: "it was not reached".into(),
                    });
                match &outcome {
                    Outcome::Done { .. } => summary.done += 1,
                    Outcome::Scheduled { .. } => summary.scheduled += 1,
                    Outcome::Failed(_) => summary.failed += 1,
                    Outcome::Skipped { .. } => summary.skipped += 1,
                    Outcome::Unknown { .. } => summary.unknown += 1,
                }
                Entry {
                    key: change.key.clone(),
                    action: action_name(&change.action),
                    title: change.title(),
                    wave: change.wave,
                    outcome,
                }
            })
            .collect();
        Self {
            format_version: FORMAT_VERSION,
            summary,
            changes: entries,
        }
    }

    /// Exit 0 only when every change is done or scheduled; 5 otherwise.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        let summary = &self.summary;
        if summary.failed + summary.skipped + summary.unknown == 0 && !summary.interrupted {
            ExitStatus::Success
        } else {
            ExitStatus::ApplyFailed
        }
    }

    /// Whether anything is left for another run.
    #[must_use]
    pub fn complete(&self) -> bool {
        self.exit_status() == ExitStatus::Success
    }

    /// The terminal rendering.
    ///
    /// # Errors
    /// Failures to write to `out`.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        for entry in &self.changes {
            let symbol = symbol(entry.action);
            // Names come from YAML and Zoho, messages from Zoho: hidden characters escaped.
            let (action, title) = (entry.action, terminal(&entry.title));
            match &entry.outcome {
                Outcome::Failed(failure) => {
                    writeln!(
                        out,
                        "{symbol} {action} {title}: failed with {}: {}",
                        terminal(&failure.code),
                        terminal(&failure.message)
                    )?;
                    writeln!(out, "    what to do: {}", terminal(&failure.hint))?;
                }
                outcome => writeln!(
                    out,
                    "{symbol} {action} {title}: {}",
                    terminal(&describe(outcome))
                )?,
            }
        }
        if !self.changes.is_empty() {
            writeln!(out)?;
        }
        writeln!(out, "{}", self.summary_line())?;
        if let Some(line) = self.interrupted_line() {
            writeln!(out, "{line}")?;
        }
        if !self.complete() {
            writeln!(
                out,
                "Run `territoryctl plan` to see what remains, then `territoryctl apply` again."
            )?;
        }
        Ok(())
    }

    /// The pull-request rendering: summary first, failures next, then every change.
    ///
    /// # Errors
    /// Failures to write to `out`.
    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "### {}", self.summary_line())?;
        if let Some(line) = self.interrupted_line() {
            writeln!(out)?;
            writeln!(out, "**{line}**")?;
        }
        let failures: Vec<&Entry> = self
            .changes
            .iter()
            .filter(|entry| matches!(entry.outcome, Outcome::Failed(_) | Outcome::Unknown { .. }))
            .collect();
        if !failures.is_empty() {
            writeln!(out)?;
            writeln!(out, "**Failed or unknown**")?;
            writeln!(out)?;
            for entry in failures {
                match &entry.outcome {
                    // Names and Zoho's words as code spans: no markup, HTML, mention or link.
                    Outcome::Failed(failure) => writeln!(
                        out,
                        "- {} {}: failed with {}: {} *What to do:* {}",
                        entry.action,
                        code_span(&entry.title),
                        code_span(&failure.code),
                        code_span(&sentence(&failure.message)),
                        // territoryctl's own words, from the code alone.
                        failure.hint
                    )?,
                    outcome => writeln!(
                        out,
                        "- {} {}: {}",
                        entry.action,
                        code_span(&entry.title),
                        code_span(&describe(outcome))
                    )?,
                }
            }
        }
        if !self.changes.is_empty() {
            writeln!(out)?;
            writeln!(out, "| | Change | Result |")?;
            writeln!(out, "|---|---|---|")?;
            for entry in &self.changes {
                writeln!(
                    out,
                    "| `{}` | {} {} | {} |",
                    symbol(entry.action),
                    entry.action,
                    code_cell(&entry.title),
                    code_cell(&describe(&entry.outcome))
                )?;
            }
        }
        if !self.complete() {
            writeln!(out)?;
            writeln!(
                out,
                "Run `territoryctl plan` to see what remains, then `territoryctl apply` again."
            )?;
        }
        Ok(())
    }

    /// The machine rendering, with a `format_version`.
    ///
    /// # Errors
    /// Failures to write to `out`.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }

    /// `Apply: 3 done, 1 failed, 2 skipped. 4 batches, 7 requests in 1.2s.`
    #[must_use]
    /// After Ctrl-C: what was done and what was not, in one line. `None` when not interrupted.
    fn interrupted_line(&self) -> Option<String> {
        if !self.summary.interrupted {
            return None;
        }
        let not_sent = self
            .changes
            .iter()
            .filter(|entry| {
                matches!(&entry.outcome, Outcome::Skipped { because }
                    if because == super::executor::INTERRUPTED)
            })
            .count();
        let total = self.changes.len();
        let other = total - self.summary.done - self.summary.scheduled - not_sent;
        let mut line = format!(
            "Interrupted (Ctrl-C): {} of {total} change{} done{}",
            self.summary.done,
            if total == 1 { "" } else { "s" },
            self.done_by_kind()
        );
        if self.summary.scheduled > 0 {
            let _ = write!(line, ", {} scheduled", self.summary.scheduled);
        }
        let _ = write!(
            line,
            "; {not_sent} not sent (the batches in flight were let finish, no new one started)"
        );
        if other > 0 {
            let _ = write!(line, "; {other} failed, skipped or unknown");
        }
        line.push_str(". Run `territoryctl apply` again to carry on.");
        Some(line)
    }

    /// ` (3 created, 2 updated, ...)`: what the done changes were, kind by kind; empty when
    /// none is done.
    fn done_by_kind(&self) -> String {
        let kinds = [
            ("create", "created"),
            ("update", "updated"),
            ("delete", "deleted"),
            ("assign", "assigned"),
            ("remove", "removed"),
        ];
        let parts: Vec<String> = kinds
            .iter()
            .filter_map(|(action, word)| {
                let count = self
                    .changes
                    .iter()
                    .filter(|entry| {
                        entry.action == *action && matches!(entry.outcome, Outcome::Done { .. })
                    })
                    .count();
                (count > 0).then(|| format!("{count} {word}"))
            })
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    }

    pub fn summary_line(&self) -> String {
        let summary = &self.summary;
        let mut line = String::from("Apply:");
        let counts = [
            (summary.done, "done"),
            (summary.scheduled, "scheduled"),
            (summary.failed, "failed"),
            (summary.skipped, "skipped"),
            (summary.unknown, "unknown"),
        ];
        let parts: Vec<String> = counts
            .iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, word)| match *word {
                "done" => format!("{count} {word}{}", self.done_by_kind()),
                _ => format!("{count} {word}"),
            })
            .collect();
        if parts.is_empty() {
            line.push_str(" nothing to do.");
        } else {
            let _ = write!(line, " {}.", parts.join(", "));
        }
        let _ = write!(
            line,
            " {} {}, {} {} in {:.1}s.",
            summary.batches,
            plural(summary.batches, "batch", "batches"),
            summary.requests,
            plural(summary.requests as usize, "request", "requests"),
            summary.elapsed_ms as f64 / 1000.0
        );
        line
    }
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Create(_) => "create",
        Action::Update(_) => "update",
        Action::Delete(_) => "delete",
        Action::Assign(_) => "assign",
        Action::Remove(_) => "remove",
    }
}

fn symbol(action: &str) -> &'static str {
    match action {
        "create" | "assign" => "+",
        "update" => "~",
        _ => "-",
    }
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Done { id: Some(id) } => format!("done (id {id})"),
        Outcome::Done { id: None } => "done".into(),
        Outcome::Scheduled {
            job_id,
            state: Some(state),
        } => format!("scheduled as job {job_id} ({state})"),
        Outcome::Scheduled {
            job_id,
            state: None,
        } => format!("scheduled as job {job_id}"),
        Outcome::Failed(failure) => format!("failed with {}: {}", failure.code, failure.message),
        Outcome::Skipped { because } => format!("skipped because {because}"),
        Outcome::Unknown { reason } => format!("unknown: {reason}"),
    }
}

/// Zoho's messages end with a full stop or not: end them with exactly one.
fn sentence(message: &str) -> String {
    if message.ends_with(['.', '!', '?']) {
        message.to_owned()
    } else {
        format!("{message}.")
    }
}

fn terminal(text: &str) -> std::borrow::Cow<'_, str> {
    crate::escape::terminal(text)
}

fn code_span(text: &str) -> String {
    crate::escape::code_span(text)
}

/// A code span that stays one Markdown table cell: `|` escaped as GitHub's tables need.
fn code_cell(text: &str) -> String {
    crate::escape::code_cell(text)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::Duration;

    use super::*;
    use crate::model::Module;
    use crate::plan::RecordTerritories;

    fn assign(record: &str) -> Change {
        Change {
            key: format!("assign:Accounts:{record}"),
            wave: 1,
            depth: 0,
            path: Vec::new(),
            action: Action::Assign(RecordTerritories {
                module: Module::Accounts,
                record_id: record.into(),
                territories: Vec::new(),
                automatic: Vec::new(),
            }),
        }
    }

    fn report(outcomes: &[(&str, Outcome)], interrupted: bool) -> Report {
        let changes: Vec<Change> = outcomes.iter().map(|(record, _)| assign(record)).collect();
        let execution = Execution {
            outcomes: outcomes
                .iter()
                .map(|(record, outcome)| (format!("assign:Accounts:{record}"), outcome.clone()))
                .collect::<BTreeMap<_, _>>(),
            requests: 1,
            batches: 1,
            elapsed: Duration::from_millis(1500),
            interrupted,
        };
        Report::new(&changes, &execution)
    }

    #[test]
    fn scheduled_jobs_count_as_success_and_show_their_ids() {
        let report = report(
            &[(
                "1",
                Outcome::Scheduled {
                    job_id: "77".into(),
                    state: Some("COMPLETED".into()),
                },
            )],
            false,
        );
        assert_eq!(report.exit_status(), ExitStatus::Success);
        let mut text = Vec::new();
        report.write_text(&mut text).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "+ assign Accounts 1: scheduled as job 77 (COMPLETED)\n\n\
             Apply: 1 scheduled. 1 batch, 1 request in 1.5s.\n"
        );
    }

    #[test]
    fn a_failure_or_a_skip_alone_exits_5_and_done_alone_exits_0() {
        let failed = Outcome::Failed(crate::apply::Failure::new("INVALID_DATA", "no"));
        let skipped = Outcome::Skipped {
            because: "its parent was not created".into(),
        };
        let done = Outcome::Done { id: None };
        for outcome in [failed, skipped] {
            let report = report(&[("1", outcome.clone()), ("2", done.clone())], false);
            assert_eq!(report.exit_status(), ExitStatus::ApplyFailed, "{outcome:?}");
            assert!(!report.complete());
        }
        let report = report(&[("1", done.clone()), ("2", done)], false);
        assert_eq!(report.exit_status(), ExitStatus::Success);
        assert!(report.complete());
    }

    #[test]
    fn an_interruption_counts_the_scheduled_the_not_sent_and_the_rest_apart() {
        let not_sent = || Outcome::Skipped {
            because: crate::apply::executor::INTERRUPTED.into(),
        };
        let scheduled = Outcome::Scheduled {
            job_id: "7".into(),
            state: None,
        };
        let failed = Outcome::Failed(crate::apply::Failure::new("INVALID_DATA", "no"));
        let line = |outcomes: &[(&str, Outcome)]| {
            report(outcomes, true)
                .interrupted_line()
                .expect("an interrupted apply says so")
        };
        assert_eq!(
            line(&[("1", scheduled.clone()), ("2", not_sent())]),
            "Interrupted (Ctrl-C): 0 of 2 changes done, 1 scheduled; 1 not sent (the batches in \
             flight were let finish, no new one started). Run `territoryctl apply` again to carry on."
        );
        assert_eq!(
            line(&[("1", scheduled), ("2", not_sent()), ("3", failed)]),
            "Interrupted (Ctrl-C): 0 of 3 changes done, 1 scheduled; 1 not sent (the batches in \
             flight were let finish, no new one started); 1 failed, skipped or unknown. Run \
             `territoryctl apply` again to carry on."
        );
    }

    #[test]
    fn unknown_outcomes_and_interruptions_exit_5_and_say_so() {
        let unknown = report(
            &[(
                "1",
                Outcome::Unknown {
                    reason: "lost".into(),
                },
            )],
            false,
        );
        assert_eq!(unknown.exit_status(), ExitStatus::ApplyFailed);
        assert_eq!(
            unknown.summary_line(),
            "Apply: 1 unknown. 1 batch, 1 request in 1.5s."
        );

        let interrupted = report(
            &[
                ("1", Outcome::Done { id: None }),
                (
                    "2",
                    Outcome::Skipped {
                        because: crate::apply::executor::INTERRUPTED.into(),
                    },
                ),
                (
                    "3",
                    Outcome::Skipped {
                        because: crate::apply::executor::INTERRUPTED.into(),
                    },
                ),
            ],
            true,
        );
        assert_eq!(interrupted.exit_status(), ExitStatus::ApplyFailed);
        let line = "Interrupted (Ctrl-C): 1 of 3 changes done (1 assigned); 2 not sent (the \
                    batches in flight were let finish, no new one started). Run `territoryctl \
                    apply` again to carry on.";
        let mut text = Vec::new();
        interrupted.write_text(&mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains(&format!("\n{line}\n")), "{text}");
        let mut markdown = Vec::new();
        interrupted.write_markdown(&mut markdown).unwrap();
        let markdown = String::from_utf8(markdown).unwrap();
        assert!(markdown.contains(&format!("\n**{line}**\n")), "{markdown}");
    }
}
