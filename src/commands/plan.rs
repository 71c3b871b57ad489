//! `plan`, and the impact preview of `plan --impact`; the loading and planning `apply` shares.

use std::io::Write;

use crate::cli::{GlobalArgs, PlanFormat};
use crate::error::Error;
use crate::exit::ExitStatus;

use super::{Color, connect, print_warnings, runtime};

/// `plan`: the desired state against the live org, read only.
///
/// # Errors
/// As [`show_plan`], and a failed connection or read, a desired state with errors or that
/// the policy refuses.
pub fn plan(
    global: &GlobalArgs,
    args: &crate::cli::PlanArgs,
    color: Color,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let (loaded, live, impact) = runtime()?.block_on(async {
        let mut config = start_config(&args.paths);
        let connection = connect_after(global, &mut config).await?;
        let client = connection.read_client()?;
        let (loaded, live) = desired_and_live(&client, config).await?;
        // Managers, rule fields and values against the org, with spans into the YAML, before
        // the plan (which would otherwise only name an unknown manager, without a location),
        // and before the preview reads any record.
        crate::config::online::check(&loaded.desired, &loaded.sources, &live)?;
        let impact = match &args.impact {
            Some(modules) => {
                Some(impact_preview(&client, &loaded.desired, &live, modules, args).await?)
            }
            None => None,
        };
        Ok::<_, Error>((loaded, live, impact))
    })?;
    print_warnings(&loaded, stderr);
    let loaded_policy = loaded.policy;
    let desired = loaded.desired;
    let args = crate::cli::PlanArgs {
        run_rules: args.run_rules || loaded.run_rules,
        ..args.clone()
    };
    // Rule analysis with the org's field types: exact for fields that hold one value; then
    // the policy, whose errors stop the plan (every one listed).
    let analysis = crate::analysis::analyse(&desired, Some(&live.fields));
    let policy = crate::policy::check(&loaded_policy, &desired, &analysis);
    if let Some(report) = crate::policy::PolicyReport::of(&policy) {
        return Err(report.into());
    }
    let mut warnings: Vec<crate::analysis::report::Warning> =
        analysis.iter().map(Into::into).collect();
    warnings.extend(policy.iter().map(crate::policy::PolicyFinding::warning));
    show_plan_with(
        &desired,
        &live,
        &args,
        Extra {
            impact: impact.as_ref(),
            warnings: &warnings,
        },
        color,
        stdout,
        stderr,
    )
}

/// `plan --impact`: the modules asked for, or those whose rules the plan changes (as
/// `--run-rules` would run them), read and evaluated at the current time.
async fn impact_preview(
    client: &crate::zoho::ReadClient,
    desired: &crate::model::Desired,
    live: &crate::model::Live,
    modules: &[crate::model::RuleModule],
    args: &crate::cli::PlanArgs,
) -> Result<crate::impact::preview::Preview, Error> {
    // A plan that fails is reported by `show_plan` with its reasons: read no record for it.
    let Ok(plan) = crate::plan::plan(
        desired,
        live,
        &rails(args.max_change_percent, args.allow_empty),
    ) else {
        return Ok(crate::impact::preview::Preview::default());
    };
    let scope = crate::rules::planned(&plan.changes);
    let mut modules = modules.to_vec();
    if modules.is_empty() {
        modules = scope.keys().copied().collect();
    }
    modules.sort();
    modules.dedup();
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        });
    // Zoho gives the org's time zone as a name and its fiscal year elsewhere; the preview
    // reads date literals in UTC with a January fiscal year, and says so when one is used.
    let clock = crate::impact::Clock {
        unix,
        offset_secs: 0,
        fiscal_start_month: 1,
    };
    Ok(crate::impact::read::preview(
        client,
        desired,
        live,
        &modules,
        &scope,
        args.impact_max_records,
        clock,
    )
    .await?)
}

/// The desired state at some paths, being loaded on a blocking thread (see
/// [`desired_and_live`]).
pub(crate) struct PendingConfig(
    tokio::task::JoinHandle<Result<crate::config::Loaded, crate::config::ConfigReport>>,
);

impl PendingConfig {
    async fn finish(&mut self) -> Result<crate::config::Loaded, Error> {
        // `config::load` does not panic on any input; if it ever did, that is a bug to surface.
        Ok((&mut self.0)
            .await
            .expect("loading the desired state does not panic")?)
    }
}

/// Starts reading, parsing and validating the desired state at `paths`, off the runtime's
/// workers, so that the org can be read meanwhile.
pub(crate) fn start_config(paths: &[std::path::PathBuf]) -> PendingConfig {
    let paths = paths.to_vec();
    PendingConfig(tokio::task::spawn_blocking(move || {
        crate::config::load(&paths)
    }))
}

/// Connects; when that fails, a broken desired state is what gets reported (it is the
/// problem to fix first, and the one a pull request's check is about).
pub(crate) async fn connect_after(
    global: &GlobalArgs,
    config: &mut PendingConfig,
) -> Result<crate::zoho::Connection, Error> {
    match connect(global).await {
        Ok(connection) => Ok(connection),
        Err(error) => {
            config.finish().await?;
            Err(error)
        }
    }
}

/// The desired state and the live org, loaded together: the org's territory pages (read one
/// after another, the longest part of a plan on a large org) are read while the YAML is
/// parsed; the reads that depend on the desired state (field metadata, records) follow it.
/// A desired state with errors stops the reads.
pub(crate) async fn desired_and_live(
    client: &crate::zoho::ReadClient,
    mut config: PendingConfig,
) -> Result<(crate::config::Loaded, crate::model::Live), Error> {
    let preload = crate::zoho::Preload::start(client);
    let loaded = config.finish().await?;
    let live = crate::zoho::load_live_after(client, &loaded.desired, preload).await?;
    Ok((loaded, live))
}

/// The safety rails `plan` and `apply` run with, from their flags (`--max-change-percent`,
/// `--allow-empty`).
#[must_use]
pub fn rails(max_change_percent: u32, allow_empty: bool) -> crate::plan::Policy {
    crate::plan::Policy {
        max_change_percent,
        allow_empty,
    }
}

/// The plan, and the refusal of the change threshold when it refuses: the plan is then made
/// again with the threshold lifted, so that a reviewer sees what was refused (as Atlantis
/// shows a plan whose policy check failed). The refusals of the inputs (an empty desired
/// state, a live read that looks incomplete) have no plan worth showing, and stay errors.
///
/// # Errors
/// Every [`crate::plan::PlanError`] but [`crate::plan::Refusal::TooManyChanges`].
pub fn plan_or_refused(
    desired: &crate::model::Desired,
    live: &crate::model::Live,
    policy: &crate::plan::Policy,
) -> Result<(crate::plan::Plan, Option<crate::plan::Refusal>), Error> {
    use crate::plan::{PlanError, Refusal};
    match crate::plan::plan(desired, live, policy) {
        Ok(plan) => Ok((plan, None)),
        Err(PlanError::Refused(refusal @ Refusal::TooManyChanges { .. })) => {
            // Updates and deletes touch existing territories only, so at 100% none is too many.
            let lifted = crate::plan::Policy {
                max_change_percent: 100,
                ..*policy
            };
            Ok((crate::plan::plan(desired, live, &lifted)?, Some(refusal)))
        }
        Err(error) => Err(error.into()),
    }
}

/// `plan` once desired and live are loaded: computes the plan, writes it to `stdout` in the
/// chosen format, saves the plan file when asked, and says how to exit.
///
/// # Errors
/// A refusal by a safety rail, a desired state that does not fit the org, or a failed write.
pub fn show_plan(
    desired: &crate::model::Desired,
    live: &crate::model::Live,
    args: &crate::cli::PlanArgs,
    color: Color,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    show_plan_with(desired, live, args, Extra::default(), color, stdout, stderr)
}

/// What `plan` shows besides the plan: the impact preview and the warnings of the analysis and
/// the policy.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extra<'a> {
    pub impact: Option<&'a crate::impact::preview::Preview>,
    pub warnings: &'a [crate::analysis::report::Warning],
}

/// [`show_plan`] with the impact preview of `plan --impact`, when there is one: after the plan
/// in text, in the comment's head in Markdown, under `impact` in JSON (not in the plan file).
///
/// # Errors
/// As [`show_plan`].
pub fn show_plan_with(
    desired: &crate::model::Desired,
    live: &crate::model::Live,
    args: &crate::cli::PlanArgs,
    extra: Extra<'_>,
    color: Color,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let (mut plan, refusal) = plan_or_refused(
        desired,
        live,
        &rails(args.max_change_percent, args.allow_empty),
    )?;
    plan.desired_paths = args
        .paths
        .iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    if args.run_rules {
        plan.rule_runs = crate::rules::planned(&plan.changes);
    }
    let notes = crate::render::Notes {
        refusal: refusal
            .as_ref()
            .map(|refusal| crate::render::Refused::of(refusal)),
        renames: crate::render::renames(&plan, live),
        impact: extra.impact.cloned(),
        warnings: extra.warnings.to_vec(),
    };
    let rendered = render(args.format, &plan, &notes, color);
    stdout
        .write_all(rendered.as_bytes())
        .map_err(Error::Stdout)?;
    if args.format != PlanFormat::Json {
        // The rule runs come after every territory wave, as `apply --run-rules` sends them.
        crate::rules::write_planned(&plan.rule_runs, args.format == PlanFormat::Markdown, stdout)
            .map_err(Error::Stdout)?;
    }
    if args.format == PlanFormat::Text {
        let after = extra
            .impact
            .map(crate::impact::render::text)
            .unwrap_or_default();
        stdout.write_all(after.as_bytes()).map_err(Error::Stdout)?;
        // In a terminal, warnings go where the files' warnings go, so that stdout holds only
        // the plan; Markdown and JSON carry them (the pull-request comment shows them).
        let _ = stderr.write_all(crate::analysis::report::text(extra.warnings).as_bytes());
    }
    if let Some(path) = &args.out {
        std::fs::write(
            path,
            crate::render::json_with(&plan, &notes.for_plan_file()),
        )
        .map_err(|source| Error::WritePlan {
            path: path.clone(),
            source,
        })?;
    }
    if let Some(refusal) = refusal {
        return Err(crate::plan::PlanError::Refused(refusal).into());
    }
    if args.expect_no_changes && plan.has_changes() {
        let _ = writeln!(
            stderr,
            "error: the org does not match the desired state ({}), but `--expect-no-changes` \
             was given: someone changed it outside git, or the files changed without an apply",
            crate::render::summary_line(&plan.summary).trim_end_matches('.')
        );
        return Ok(ExitStatus::Changes);
    }
    // A drift check: under `unmanaged: report` a territory made in the Zoho UI is no change
    // `apply` would make, and still the org no longer matches the files.
    if args.expect_no_changes && !plan.unmanaged.is_empty() {
        let names: Vec<String> = plan
            .unmanaged
            .iter()
            .map(|territory| format!("`{}`", territory.name.escape_debug()))
            .collect();
        let _ = writeln!(
            stderr,
            "error: the org has {} territor{} the desired state does not name ({}), but \
             `--expect-no-changes` was given: someone created {} outside git; add {} to the \
             files, or delete {} in Zoho",
            names.len(),
            if names.len() == 1 { "y" } else { "ies" },
            names.join(", "),
            if names.len() == 1 { "it" } else { "them" },
            if names.len() == 1 { "it" } else { "them" },
            if names.len() == 1 { "it" } else { "them" },
        );
        return Ok(ExitStatus::Changes);
    }
    Ok(if args.detailed_exitcode && plan.has_changes() {
        ExitStatus::Changes
    } else {
        ExitStatus::Success
    })
}

/// The plan in `format`, with its notes; in colour (text only) when `color` says so.
pub(crate) fn render(
    format: PlanFormat,
    plan: &crate::plan::Plan,
    notes: &crate::render::Notes,
    color: Color,
) -> String {
    match format {
        PlanFormat::Text => crate::render::text_with(plan, notes, color.0),
        PlanFormat::Markdown => crate::render::markdown_with(plan, notes),
        PlanFormat::Json => crate::render::json_with(plan, notes),
    }
}
