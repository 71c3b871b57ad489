//! What the rule runs came to, as text, Markdown and JSON, and the exit status they imply.

use std::io::{self, Write};

use serde::Serialize;

use super::run::{RunOutcome, RunResult};
use crate::exit::ExitStatus;

/// The version of the JSON rendering.
pub const FORMAT_VERSION: u32 = 1;

/// The rule runs of one command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunsReport {
    pub format_version: u32,
    pub runs: Vec<RunResult>,
}

/// A name as it may appear in a terminal line: hidden characters shown escaped.
fn plain(name: &str) -> String {
    crate::escape::terminal(name).into_owned()
}

fn territories(result: &RunResult, quote: fn(&str) -> String) -> String {
    let names: Vec<String> = result
        .run
        .territories
        .iter()
        .map(|name| quote(name))
        .collect();
    names.join(", ")
}

/// What happened, and for anything short of completion, what to do.
fn describe(result: &RunResult) -> (String, Option<String>) {
    let module = result.run.module.module();
    let again = format!("run `territoryctl rules run --module {module}` once Zoho is idle");
    match &result.outcome {
        RunOutcome::Completed { job_id } => (format!("job {job_id} completed"), None),
        RunOutcome::Failed { job_id } => (
            format!("job {job_id} failed"),
            Some(format!("Zoho's rule job failed; {again}")),
        ),
        RunOutcome::TimedOut { job_id, status } => (
            format!("job {job_id} still {status} when the wait ran out"),
            Some(format!(
                "the job may still finish: look again later (Setup > Territories in Zoho), or raise `--rules-timeout`; if it never finishes, {again}"
            )),
        ),
        RunOutcome::NotStarted => (
            "not started: another rule run was still going".to_owned(),
            Some(again),
        ),
        RunOutcome::Refused { code, message } => (
            format!("refused with {}: {}", plain(code), plain(message)),
            Some(if code.contains("scope") {
                "the token needs the scope ZohoCRM.settings.territories.ALL to run rules".to_owned()
            } else if code == "FEATURE_NOT_ENABLED" {
                format!(
                    "enable {module} territory rules in Zoho (Setup > Territories), then {again}"
                )
            } else {
                again
            }),
        ),
    }
}

/// The plan's last wave when rules run after it: one `run_rules` request per module and 100
/// territories, each followed by polls of its job until it ends. Nothing when no territory's
/// rules change.
///
/// # Errors
/// Failures to write to `out`.
pub fn write_planned(
    planned: &std::collections::BTreeMap<crate::model::RuleModule, Vec<String>>,
    markdown: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let runs: Vec<(crate::model::RuleModule, &[String])> = crate::model::RuleModule::ALL
        .into_iter()
        .filter_map(|module| planned.get(&module).map(|names| (module, names)))
        .flat_map(|(module, names)| {
            names
                .chunks(crate::zoho::RUN_RULES_MAX_TERRITORIES)
                .map(move |chunk| (module, chunk))
        })
        .collect();
    if runs.is_empty() {
        return Ok(());
    }
    let request = "POST /crm/v8/settings/territories/actions/run_rules";
    let poll = "GET …/actions/scheduled_run_rule_jobs until the job ends";
    if markdown {
        writeln!(out)?;
        writeln!(
            out,
            "**Last wave: rule runs** ({} request{}, one at a time, after the territory changes)",
            runs.len(),
            if runs.len() == 1 { "" } else { "s" }
        )?;
        writeln!(out)?;
        for (module, names) in runs {
            let names: Vec<String> = names
                .iter()
                .map(|name| crate::escape::code_span(name))
                .collect();
            writeln!(
                out,
                "- `{request}` {} rules of {} (with children), then `{poll}`",
                module.module(),
                names.join(", ")
            )?;
        }
    } else {
        writeln!(out)?;
        writeln!(
            out,
            "Last wave: rule runs ({} request{}, one at a time, after the territory changes):",
            runs.len(),
            if runs.len() == 1 { "" } else { "s" }
        )?;
        for (module, names) in runs {
            let names: Vec<String> = names
                .iter()
                .map(|name| format!("\"{}\"", plain(name)))
                .collect();
            writeln!(
                out,
                "  {request}: {} rules of {} (with children), then {poll}",
                module.module(),
                names.join(", ")
            )?;
        }
    }
    Ok(())
}

impl RunsReport {
    #[must_use]
    pub fn new(runs: Vec<RunResult>) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            runs,
        }
    }

    /// 0 when every run completed, 5 otherwise.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        if self.runs.iter().all(|run| run.outcome.succeeded()) {
            ExitStatus::Success
        } else {
            ExitStatus::ApplyFailed
        }
    }

    fn summary_line(&self) -> String {
        let completed = self
            .runs
            .iter()
            .filter(|run| run.outcome.succeeded())
            .count();
        let runs = if self.runs.len() == 1 { "run" } else { "runs" };
        format!(
            "Rule runs: {} {runs}, {completed} completed, {} not completed.",
            self.runs.len(),
            self.runs.len() - completed
        )
    }

    /// One line per run, then the summary.
    ///
    /// # Errors
    /// Failures to write to `out`.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.runs.is_empty() {
            return writeln!(out, "Rule runs: none needed.");
        }
        for result in &self.runs {
            let (what, hint) = describe(result);
            let symbol = if result.outcome.succeeded() {
                "✓"
            } else {
                "✗"
            };
            writeln!(
                out,
                "{symbol} rules {} for {} (with children): {what}",
                result.run.module.module(),
                territories(result, |name| format!("\"{}\"", plain(name)))
            )?;
            if let Some(hint) = hint {
                writeln!(out, "    What to do: {hint}")?;
            }
        }
        writeln!(out, "{}", self.summary_line())
    }

    /// A table for pull-request comments.
    ///
    /// # Errors
    /// Failures to write to `out`.
    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "### {}", self.summary_line())?;
        if self.runs.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "| Module | Territories (with children) | Result |")?;
        writeln!(out, "|---|---|---|")?;
        for result in &self.runs {
            let (what, hint) = describe(result);
            let what = match hint {
                Some(hint) => format!("{what}. *What to do:* {hint}"),
                None => what,
            };
            writeln!(
                out,
                "| {} | {} | {} |",
                result.run.module.module(),
                territories(result, crate::escape::code_cell),
                what.replace('|', "\\|")
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
}

#[cfg(test)]
mod tests {
    use super::RunsReport;
    use crate::model::RuleModule;
    use crate::rules::{RuleRun, RunOutcome, RunResult};

    fn result(module: RuleModule, names: &[&str], outcome: RunOutcome) -> RunResult {
        RunResult {
            run: RuleRun {
                module,
                territory_ids: (0..names.len())
                    .map(|n| format!("41508680000005000{n:02}"))
                    .collect(),
                territories: names.iter().map(|name| (*name).to_owned()).collect(),
            },
            outcome,
        }
    }

    /// A run of every kind: done, failed, timed out, never started (already scheduled), and
    /// refused (rules off; the token's scope), with a name that tries to break a table.
    fn report() -> RunsReport {
        RunsReport::new(vec![
            result(
                RuleModule::Accounts,
                &["Japan", "São Paulo"],
                RunOutcome::Completed {
                    job_id: "4150868000006000003".into(),
                },
            ),
            result(
                RuleModule::Accounts,
                &["Tricky | `name`\nnext"],
                RunOutcome::Failed {
                    job_id: "4150868000006000004".into(),
                },
            ),
            result(
                RuleModule::Leads,
                &["EMEA"],
                RunOutcome::TimedOut {
                    job_id: "4150868000006000005".into(),
                    status: "IN_PROGRESS".into(),
                },
            ),
            result(RuleModule::Deals, &["EMEA"], RunOutcome::NotStarted),
            result(
                RuleModule::Deals,
                &["APAC"],
                RunOutcome::Refused {
                    code: "FEATURE_NOT_ENABLED".into(),
                    message: "Territory Deal Rule Disabled".into(),
                },
            ),
            result(
                RuleModule::Leads,
                &["APAC"],
                RunOutcome::Refused {
                    code: "zoho::scope-mismatch".into(),
                    message: "the token lacks a scope".into(),
                },
            ),
        ])
    }

    fn rendered(write: impl Fn(&RunsReport, &mut Vec<u8>) -> std::io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&report(), &mut out).expect("writes");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn text() {
        insta::assert_snapshot!(rendered(|r, out| r.write_text(out)));
    }

    #[test]
    fn markdown() {
        insta::assert_snapshot!(rendered(|r, out| r.write_markdown(out)));
    }

    #[test]
    fn json() {
        insta::assert_snapshot!(rendered(|r, out| r.write_json(out)));
    }

    #[test]
    fn the_planned_wave_in_text_and_markdown() {
        let planned = std::collections::BTreeMap::from([
            (RuleModule::Deals, vec!["APAC".to_owned()]),
            (
                RuleModule::Accounts,
                vec!["Japan".to_owned(), "Tricky | `name`".to_owned()],
            ),
        ]);
        let mut text = Vec::new();
        super::write_planned(&planned, false, &mut text).expect("writes");
        let mut markdown = Vec::new();
        super::write_planned(&planned, true, &mut markdown).expect("writes");
        insta::assert_snapshot!(format!(
            "{}---\n{}",
            String::from_utf8(text).expect("UTF-8"),
            String::from_utf8(markdown).expect("UTF-8")
        ));
        let mut nothing = Vec::new();
        super::write_planned(&std::collections::BTreeMap::new(), true, &mut nothing)
            .expect("writes");
        assert!(nothing.is_empty());
    }

    #[test]
    fn exit_status_is_5_unless_every_run_completed() {
        use crate::exit::ExitStatus;
        assert_eq!(report().exit_status(), ExitStatus::ApplyFailed);
        let mut done = report();
        done.runs.truncate(1);
        assert_eq!(done.exit_status(), ExitStatus::Success);
        assert_eq!(
            RunsReport::new(Vec::new()).exit_status(),
            ExitStatus::Success
        );
    }
}
