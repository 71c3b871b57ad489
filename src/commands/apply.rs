//! `apply`.

use std::io::{IsTerminal, Write};

use crate::cli::GlobalArgs;
use crate::error::Error;
use crate::exit::ExitStatus;

use super::plan::{connect_after, desired_and_live, plan_or_refused, rails, start_config};
use super::prompt::Refusal;
use super::{Color, Formatted, note_simulator_copy, print_warnings, runtime};

/// `apply`: plans (or reads a saved plan, plans again and checks the two agree), shows the plan,
/// checks `--allow-delete`, confirms, executes with progress on stderr, and writes the report
/// to `stdout`. The exit status is the report's: 0 when everything is done, 5 otherwise.
///
/// # Errors
/// A failed connection, read or write of the report; a saved plan that no longer holds; a
/// refusal of a safety rail or of the prompt.
pub fn apply(
    global: &GlobalArgs,
    args: &crate::cli::ApplyArgs,
    color: Color,
    stdout: &mut dyn Write,
    stderr: &mut (dyn Write + Send),
) -> Result<ExitStatus, Error> {
    use crate::apply::{self, ApplyError, Cancel, Options, Report, Wait};
    use crate::cli::PlanFormat;

    runtime()?.block_on(async {
        // A saved plan is checked, never followed: plan again from the desired state and the
        // org now, and go on only when that gives the saved plan (less what an earlier apply
        // of it did). What is applied, and every rail below, comes from the fresh plan.
        let saved = if apply::saved::is_plan_file(&args.paths) {
            Some(apply::saved::read(&args.paths[0])?)
        } else {
            None
        };
        let paths = match &saved {
            Some(saved) => apply::saved::desired_paths(&args.paths, saved)?,
            None => args.paths.clone(),
        };
        let mut config = start_config(&paths);
        let connection = connect_after(global, &mut config).await?;
        let client = connection.write_client()?;
        note_simulator_copy(&global.connection, stderr);
        let (loaded, live) = desired_and_live(&client, config).await?;
        print_warnings(&loaded, stderr);
        let run_rules = args.run_rules || loaded.run_rules;
        let policy = rails(args.max_change_percent, args.allow_empty);
        let (plan, threshold) = match &saved {
            None => plan_or_refused(&loaded.desired, &live, &policy)?,
            Some(saved) => match crate::plan::verify(saved, &loaded.desired, &live, &policy) {
                Ok(verified) => {
                    if !verified.done.is_empty() {
                        let _ = writeln!(
                            stderr,
                            "territoryctl: {} of the saved plan's {} changes are done already \
                             (an earlier apply of this plan); applying the {} left.",
                            verified.done.len(),
                            saved.changes.len(),
                            verified.plan.changes.len()
                        );
                    }
                    (verified.plan, None)
                }
                Err(crate::plan::Rejected::Stale(stale)) => return Err(stale.into()),
                Err(crate::plan::Rejected::Plan(error)) => return Err(error.into()),
            },
        };
        // A refused plan is still shown whole, the refusal at its top, and nothing is sent.
        let refused: Option<Error> = threshold
            .map_or_else(
                || crate::plan::check_deletions(&plan, args.allow_delete).err(),
                Some,
            )
            .map(|refusal| crate::plan::PlanError::Refused(refusal).into());
        let notes = crate::render::Notes {
            refusal: refused
                .as_ref()
                .map(|refused| crate::render::Refused::of(refused)),
            renames: crate::render::renames(&plan, &live),
            ..crate::render::Notes::default()
        };

        // In JSON the report alone is the output (the plan is `plan --format json`'s).
        let shown = (args.format != PlanFormat::Json)
            .then(|| super::plan::render(args.format, &plan, &notes, color));
        if let Some(shown) = &shown {
            stdout.write_all(shown.as_bytes()).map_err(Error::Stdout)?;
            if !plan.has_changes() {
                return Ok(ExitStatus::Success);
            }
            if run_rules {
                let markdown = args.format == PlanFormat::Markdown;
                crate::rules::write_planned(
                    &crate::rules::planned(&plan.changes),
                    markdown,
                    stdout,
                )
                .map_err(Error::Stdout)?;
            }
            writeln!(stdout).map_err(Error::Stdout)?;
        }
        if let Some(refused) = refused {
            return Err(refused);
        }
        if plan.has_changes() && !args.allow_member_removal {
            crate::plan::check_members(&plan, &live, args.max_change_percent)?;
        }
        if plan.has_changes() && !args.yes {
            super::prompt::ask_terminal("Apply these changes to the org?", stderr).map_err(
                |refusal| match refusal {
                    Refusal::NoTerminal => ApplyError::NeedsConfirmation,
                    Refusal::Declined => ApplyError::Declined,
                    Refusal::Unreadable(error) => ApplyError::ReadAnswer(error),
                },
            )?;
        }

        let cancel = Cancel::new();
        let ctrl_c = cancel.on_ctrl_c();
        // Said at once, so that the wait for the batches in flight does not look like a hang.
        let notice = {
            let cancel = cancel.clone();
            tokio::spawn(async move {
                cancel.cancelled().await;
                let _ = writeln!(
                    std::io::stderr(),
                    "territoryctl: Ctrl-C: no new batch is sent; waiting for the batches in \
                     flight to answer, then reporting what was done and what was not."
                );
            })
        };
        // Bars only on a terminal (where they draw themselves), else a line per step.
        let mut progress: Box<dyn apply::Progress + '_> = if std::io::stderr().is_terminal() {
            Box::new(apply::Bars::new())
        } else {
            Box::new(apply::Lines::new(&mut *stderr))
        };
        let options = Options {
            concurrency: usize::from(global.connection.concurrency),
            delete_previous_forecasts: true,
            ..Options::default()
        };
        let mut execution = apply::execute(
            &client,
            &plan.changes,
            &plan.schedule,
            &options,
            progress.as_mut(),
            &cancel,
        )
        .await;
        // Every wave has finished its bar or line; stderr is free for the rule runs.
        drop(progress);
        if args.wait {
            let wait = Wait {
                timeout: std::time::Duration::from_secs(args.wait_timeout),
                ..Wait::default()
            };
            apply::wait_for_jobs(&client, &plan.changes, &mut execution.outcomes, &wait).await;
        }
        ctrl_c.abort();
        notice.abort();

        let report = Report::new(&plan.changes, &execution);
        if run_rules && !execution.interrupted {
            let affected = crate::rules::affected(&plan.changes, &execution.outcomes);
            let runs = crate::rules::runs(&affected);
            let policy = crate::rules::RunPolicy::with_timeout(std::time::Duration::from_secs(
                args.rules_timeout,
            ));
            let results = crate::rules::execute(&client, &runs, policy, stderr).await;
            let runs = crate::rules::RunsReport::new(results);
            write_apply_with_runs(&report, &runs, args.format, stdout)?;
            return Ok(worst(report.exit_status(), runs.exit_status()));
        }
        report.write_as(args.format, stdout)?;
        Ok(report.exit_status())
    })
}

/// The apply report followed by the rule runs (text, Markdown), or with them under
/// `rule_runs` (JSON).
fn write_apply_with_runs(
    report: &crate::apply::Report,
    runs: &crate::rules::RunsReport,
    format: crate::cli::PlanFormat,
    stdout: &mut dyn Write,
) -> Result<(), Error> {
    use crate::cli::PlanFormat;
    match format {
        PlanFormat::Text => report
            .write_text(stdout)
            .and_then(|()| writeln!(stdout))
            .and_then(|()| runs.write_text(stdout)),
        PlanFormat::Markdown => report
            .write_markdown(stdout)
            .and_then(|()| writeln!(stdout))
            .and_then(|()| runs.write_markdown(stdout)),
        PlanFormat::Json => {
            let mut value = serde_json::to_value(report)
                .map_err(|error| Error::Stdout(std::io::Error::other(error)))?;
            if let Some(object) = value.as_object_mut() {
                object.insert(
                    "rule_runs".to_owned(),
                    serde_json::to_value(&runs.runs)
                        .map_err(|error| Error::Stdout(std::io::Error::other(error)))?,
                );
            }
            serde_json::to_writer_pretty(&mut *stdout, &value)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(stdout))
        }
    }
    .map_err(Error::Stdout)
}

/// The worse of two exit statuses of a command that did two things.
fn worst(first: ExitStatus, second: ExitStatus) -> ExitStatus {
    if first == ExitStatus::Success {
        second
    } else {
        first
    }
}
