//! `validate`, offline and `--online`.

use std::io::Write;

use crate::cli::{GlobalArgs, ValidateArgs};
use crate::error::Error;
use crate::exit::ExitStatus;

use super::{connect, print_warnings, runtime};

/// `validate`, offline: prints the verdict and hands the desired state on (to `--online`).
///
/// # Errors
/// A desired state with errors, a policy that refuses it, a failed write.
pub fn offline(
    args: &ValidateArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<crate::config::Loaded, Error> {
    let github = GithubAnnotations::from_env();
    let loaded = match crate::config::load(&args.paths) {
        Ok(loaded) => loaded,
        Err(report) => {
            github.write(&report.errors, stdout)?;
            return Err(report.into());
        }
    };
    github.write(&loaded.warnings, stdout)?;
    print_warnings(&loaded, stderr);
    let analysis = crate::analysis::analyse(&loaded.desired, None);
    let policy = crate::policy::check(&loaded.policy, &loaded.desired, &analysis);
    let findings = crate::analysis::report::locate(analysis);
    github.write_findings(&findings, stdout)?;
    let finding_count = findings.len();
    print_findings(findings, stderr);
    let policy_warnings = print_policy(&policy, stderr);
    if let Some(report) = crate::policy::PolicyReport::of(&policy) {
        return Err(report.into());
    }
    let warnings = match loaded.warnings.len() + finding_count + policy_warnings {
        0 => String::new(),
        1 => " (1 warning)".to_owned(),
        count => format!(" ({count} warnings)"),
    };
    let territories = match loaded.desired.territories.len() {
        1 => "1 territory".to_owned(),
        count => format!("{count} territories"),
    };
    // With `--online` this is only the first half of the verdict: say so, so that a failure
    // of the online checks that follows does not contradict it.
    let verdict = if args.online {
        "offline checks passed"
    } else {
        "valid"
    };
    writeln!(
        stdout,
        "{territories} under `{}`: {verdict}{warnings}.",
        crate::escape::terminal(&loaded.desired.root)
    )
    .map_err(Error::Stdout)?;
    Ok(loaded)
}

/// `validate`'s workflow commands for GitHub Actions: on when `GITHUB_ACTIONS=true`, with
/// paths made relative to `GITHUB_WORKSPACE`.
struct GithubAnnotations {
    enabled: bool,
    workspace: Option<std::path::PathBuf>,
}

impl GithubAnnotations {
    fn from_env() -> Self {
        Self {
            enabled: crate::annotate::enabled(std::env::var("GITHUB_ACTIONS").ok().as_deref()),
            workspace: std::env::var_os("GITHUB_WORKSPACE").map(Into::into),
        }
    }

    fn write(
        &self,
        problems: &[crate::config::Problem],
        stdout: &mut dyn Write,
    ) -> Result<(), Error> {
        if !self.enabled {
            return Ok(());
        }
        let diagnostics = problems
            .iter()
            .map(|problem| problem as &dyn miette::Diagnostic);
        crate::annotate::write(diagnostics, self.workspace.as_deref(), stdout)
            .map_err(Error::Stdout)
    }
}

impl GithubAnnotations {
    fn write_findings(
        &self,
        findings: &[crate::analysis::report::Located],
        stdout: &mut dyn Write,
    ) -> Result<(), Error> {
        if !self.enabled {
            return Ok(());
        }
        let diagnostics = findings
            .iter()
            .map(|finding| finding as &dyn miette::Diagnostic);
        crate::annotate::write(diagnostics, self.workspace.as_deref(), stdout)
            .map_err(Error::Stdout)
    }
}

/// Prints the policy's warning findings to stderr; how many there were.
fn print_policy(findings: &[crate::policy::PolicyFinding], stderr: &mut dyn Write) -> usize {
    let warnings: Vec<&crate::policy::PolicyFinding> = findings
        .iter()
        .filter(|finding| finding.level == crate::policy::Level::Warning)
        .collect();
    for finding in &warnings {
        let warning = finding.warning();
        let at = warning
            .location
            .map(|at| format!(" {at}:"))
            .unwrap_or_default();
        let _ = writeln!(
            stderr,
            "warning[{}]{at} {}\n  hint: {}",
            finding.code,
            crate::escape::terminal(&finding.message),
            crate::escape::terminal(&finding.help)
        );
    }
    warnings.len()
}

/// Prints rule-analysis findings to stderr, as warnings.
fn print_findings(findings: Vec<crate::analysis::report::Located>, stderr: &mut dyn Write) {
    for finding in findings {
        let _ = writeln!(stderr, "{:?}", miette::Report::new(finding));
    }
}

/// `validate --online`, after the offline checks passed: the desired state against the live
/// org, read only.
///
/// # Errors
/// A failed connection or read, a desired state that does not fit the org, a failed write.
pub fn online(
    global: &GlobalArgs,
    loaded: &crate::config::Loaded,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let desired = &loaded.desired;
    let live = runtime()?.block_on(async {
        let connection = connect(global).await?;
        let client = connection.read_client()?;
        let live = crate::zoho::load_live(&client, desired).await?;
        // Only when a listed user is not an active one: which users are inactive or deleted.
        let not_active = if crate::config::online::any_unknown(desired, &live) {
            client.users_not_active().await?
        } else {
            Vec::new()
        };
        Ok::<_, Error>((live, not_active))
    })?;
    let (live, not_active) = live;
    crate::config::online::check_with(desired, &loaded.sources, &live, &not_active)?;
    // With the org's field types the analysis knows more (fields that hold one value, fields
    // no sibling uses): print what the offline pass did not already say.
    let offline = crate::analysis::analyse(desired, None);
    let more: Vec<crate::analysis::Finding> = crate::analysis::analyse(desired, Some(&live.fields))
        .into_iter()
        .filter(|finding| !offline.contains(finding))
        .collect();
    let count = more.len();
    print_findings(crate::analysis::report::locate(more), stderr);
    writeln!(
        stdout,
        "Online checks passed: every manager, rule field and value fits the org: valid{}.",
        match count {
            0 => String::new(),
            1 => " (1 more warning)".to_owned(),
            count => format!(" ({count} more warnings)"),
        }
    )
    .map_err(Error::Stdout)?;
    Ok(ExitStatus::Success)
}
