//! The one orchestrator: a function per command, wiring config, zoho, plan, render and apply.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{
    Cli, ColorChoice, Command, ConnectionArgs, DataCentreArg, EnvironmentArg, ExportArgs,
    GlobalArgs, SandboxCommand, SandboxServeArgs, SplitBy, ValidateArgs,
};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::model::Live;

/// Parses the command line, runs the command, reports errors and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Diagnostics go to stderr and results to stdout: each is coloured by its own terminal.
    install_report_handler(Color::resolve(
        cli.global.color,
        std::io::stderr().is_terminal(),
    ));
    let color = Color::resolve(cli.global.color, std::io::stdout().is_terminal());
    let mut stdout = std::io::stdout().lock();
    match run(cli, color, &mut stdout) {
        Ok(status) => status.into(),
        Err(error) => {
            let status = error.exit_status();
            let _ = writeln!(std::io::stderr(), "{:?}", miette::Report::new(error));
            status.into()
        }
    }
}

/// Whether output is coloured, decided once from `--color`, `NO_COLOR` and the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color(pub bool);

impl Color {
    /// `--color`, for a stream that is or is not a terminal.
    fn resolve(choice: ColorChoice, terminal: bool) -> Self {
        match choice {
            ColorChoice::Always => Self(true),
            ColorChoice::Never => Self(false),
            ColorChoice::Auto => {
                Self(std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()) && terminal)
            }
        }
    }
}

fn install_report_handler(color: Color) {
    let _ = miette::set_hook(Box::new(move |_| {
        let theme = if color.0 {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        Box::new(miette::GraphicalReportHandler::new_themed(theme))
    }));
}

/// Runs one parsed command, writing its output to `stdout`.
///
/// # Errors
/// Any error of any layer, to be rendered by the caller.
pub fn run(cli: Cli, color: Color, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    match cli.command {
        Command::Validate(args) if args.online => {
            let loaded = validate(&args, stdout)?;
            validate_online(&cli.global, &loaded, stdout)
        }
        Command::Sandbox(SandboxCommand::Serve(args)) => sandbox_serve(&args, stdout),
        Command::Records(crate::cli::RecordsCommand::Get(args)) => {
            records_get(&cli.global, &args, stdout)
        }
        Command::Records(crate::cli::RecordsCommand::Assign(args)) => {
            records_change(&cli.global, &args, crate::records::Action::Assign, stdout)
        }
        Command::Records(crate::cli::RecordsCommand::Remove(args)) => {
            records_change(&cli.global, &args, crate::records::Action::Remove, stdout)
        }
        Command::Rules(crate::cli::RulesCommand::Run(args)) => {
            rules_run(&cli.global, &args, stdout)
        }
        Command::Validate(args) => validate(&args, stdout).map(|_| ExitStatus::Success),
        Command::Plan(args) => plan(&cli.global, &args, color, stdout),
        Command::Apply(args) => apply(&cli.global, &args, color, stdout),
        Command::Export(args) => export_org(&cli.global, &args, stdout),
        Command::Schema => {
            writeln!(stdout, "{}", crate::config::schema_json()).map_err(Error::Stdout)?;
            Ok(ExitStatus::Success)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "territoryctl", stdout);
            Ok(ExitStatus::Success)
        }
    }
}

/// `validate`, offline: prints the verdict and hands the desired state on (to `--online`).
fn validate(args: &ValidateArgs, stdout: &mut dyn Write) -> Result<crate::config::Loaded, Error> {
    let github = GithubAnnotations::from_env();
    let loaded = match crate::config::load(&args.paths) {
        Ok(loaded) => loaded,
        Err(report) => {
            github.write(&report.errors, stdout)?;
            return Err(report.into());
        }
    };
    github.write(&loaded.warnings, stdout)?;
    print_warnings(&loaded);
    let analysis = crate::analysis::analyse(&loaded.desired, None);
    let policy = crate::policy::check(&loaded.policy, &loaded.desired, &analysis);
    let findings = crate::analysis::report::locate(analysis);
    github.write_findings(&findings, stdout)?;
    let finding_count = findings.len();
    print_findings(findings);
    let policy_warnings = print_policy(&policy);
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
fn print_policy(findings: &[crate::policy::PolicyFinding]) -> usize {
    let mut stderr = std::io::stderr().lock();
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
fn print_findings(findings: Vec<crate::analysis::report::Located>) {
    let mut stderr = std::io::stderr().lock();
    for finding in findings {
        let _ = writeln!(stderr, "{:?}", miette::Report::new(finding));
    }
}

/// `export` of the org the connection flags name: loads it whole (read only), then [`export`].
fn export_org(
    global: &GlobalArgs,
    args: &ExportArgs,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    // Checked before connecting, so that a typo costs no request.
    let records = crate::export::assignment_request(&args.with_assignments)?;
    let live = runtime()?.block_on(async {
        let connection = connect(global).await?;
        let client = connection.read_client()?;
        Ok::<_, Error>(load_whole_org(&client, &records).await?)
    })?;
    export(args, &live, stdout, &mut std::io::stderr().lock())
}

/// Everything an export writes: all territories, active users, the org, the field metadata of
/// all three rule modules (to spot criteria on deleted fields), and the requested records.
/// Unlike [`crate::zoho::load_live`], it does not depend on a desired state.
async fn load_whole_org(
    client: &crate::zoho::ReadClient,
    records: &std::collections::BTreeMap<crate::model::Module, std::collections::BTreeSet<String>>,
) -> Result<Live, crate::zoho::RemoteError> {
    use crate::model::RuleModule;

    // A module the org does not offer (Zoho answers `INVALID_MODULE`, e.g. Leads turned off)
    // has no metadata to check criteria against; any other failure is an error.
    let fields = |module: RuleModule| async move {
        match client.fields(module.module()).await {
            Err(crate::zoho::RemoteError::Api { code, .. }) if code == "INVALID_MODULE" => {
                Ok(Vec::new())
            }
            other => other,
        }
    };
    let (mut territories, users, org, accounts, leads, deals) = tokio::try_join!(
        client.territories(),
        client.active_users(),
        client.org(),
        fields(RuleModule::Accounts),
        fields(RuleModule::Leads),
        fields(RuleModule::Deals),
    )?;
    // Every territory's users, so that the export lists them (`users:`).
    let every: std::collections::BTreeSet<String> = territories
        .iter()
        .filter(|territory| territory.parent.is_some())
        .map(|territory| territory.id.clone())
        .collect();
    crate::zoho::read_members(client, &mut territories, &users, &every).await?;
    let mut live_records: std::collections::BTreeMap<_, std::collections::BTreeMap<_, _>> =
        std::collections::BTreeMap::new();
    for (module, ids) in records {
        // Export comments out what the API cannot assign; there is nothing to read for it.
        if !module.assignable_through_api() {
            continue;
        }
        let ids: Vec<String> = ids.iter().cloned().collect();
        for record in client.records(*module, &ids).await? {
            live_records
                .entry(*module)
                .or_default()
                .insert(record.id.clone(), record);
        }
    }
    Ok(Live {
        org,
        territories,
        users,
        fields: std::collections::BTreeMap::from([
            (RuleModule::Accounts, accounts),
            (RuleModule::Leads, leads),
            (RuleModule::Deals, deals),
        ]),
        records: live_records,
    })
}

/// `export`: writes the desired state of `live` to `--out` (a file, or with `--split-by` a
/// directory) or to `stdout`; warnings and what was written go to `stderr`, so that stdout
/// holds only the YAML.
///
/// # Errors
/// A bad `--with-assignments`, a live org without a root, a file that exists (without
/// `--force`), a write that fails.
pub fn export(
    args: &ExportArgs,
    live: &Live,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    use crate::export::{Destination, ExportOptions, SINGLE_FILE, Split};

    let split = match args.split_by {
        Some(SplitBy::TopLevel) => Split::TopLevel,
        None => Split::Single,
    };
    let destination = args.out.as_ref().map(|out| match split {
        Split::TopLevel => Destination::Directory(out.clone()),
        // `--out some/dir/` (existing, or written with a trailing slash) means the usual file
        // name inside it.
        Split::Single
            if out.is_dir() || out.as_os_str().to_string_lossy().ends_with(['/', '\\']) =>
        {
            Destination::File(out.join(SINGLE_FILE))
        }
        Split::Single => Destination::File(out.clone()),
    });
    let directory = match &destination {
        Some(Destination::Directory(directory)) => directory.clone(),
        Some(Destination::File(file)) => file
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .map_or_else(|| ".".into(), std::path::Path::to_path_buf),
        // Standard output usually lands in the current directory (`> territories.yaml`).
        None => ".".into(),
    };
    let options = ExportOptions {
        schema: crate::export::schema_reference(&directory),
        split,
        assignments: crate::export::assignment_request(&args.with_assignments)?,
    };
    let export = crate::export::to_yaml(live, &options)?;
    for warning in &export.warnings {
        // Warnings name live territories and fields, which come from Zoho unchecked.
        let _ = writeln!(
            stderr,
            "warning[{}]: {}",
            warning.code(),
            crate::escape::terminal(&warning.to_string())
        );
    }
    match &destination {
        None => {
            let text = export.files.first().map_or("", |file| file.text.as_str());
            stdout.write_all(text.as_bytes()).map_err(Error::Stdout)?;
            stdout.flush().map_err(Error::Stdout)?;
        }
        Some(destination) => {
            let written = crate::export::write(&export, destination, args.force)?;
            let files = match written.as_slice() {
                [one] => format!("`{}`", one.display()),
                many => format!("{} files", many.len()),
            };
            let _ = writeln!(
                stderr,
                "Exported {} territories under `{}` to {files}.",
                export.territories,
                crate::escape::terminal(live.root().map_or("", |root| root.name.as_str()))
            );
        }
    }
    Ok(ExitStatus::Success)
}

/// Prints the desired state's warnings to stderr: warnings go where errors go, so that stdout
/// holds only the result.
fn print_warnings(loaded: &crate::config::Loaded) {
    let mut stderr = std::io::stderr().lock();
    for warning in &loaded.warnings {
        let _ = writeln!(stderr, "{:?}", miette::Report::new(warning.clone()));
    }
}

/// Turns the connection flags, `-v` and the environment into a [`crate::zoho::Connection`],
/// before any request is made. With `--sandbox` this starts the simulator.
///
/// # Errors
/// Bad URLs, missing credentials, a sandbox state file that does not load.
pub async fn connect(global: &GlobalArgs) -> Result<crate::zoho::Connection, Error> {
    let options = connect_options(&global.connection, global.verbose);
    Ok(crate::zoho::Connection::open(options, |name| std::env::var(name).ok()).await?)
}

fn connect_options(args: &ConnectionArgs, verbose: u8) -> crate::zoho::ConnectOptions {
    use crate::zoho::{DataCentre, Environment};
    let data_centre = args.dc.map(|dc| match dc {
        DataCentreArg::Us => DataCentre::Us,
        DataCentreArg::Eu => DataCentre::Eu,
        DataCentreArg::In => DataCentre::In,
        DataCentreArg::Au => DataCentre::Au,
        DataCentreArg::Jp => DataCentre::Jp,
        DataCentreArg::Cn => DataCentre::Cn,
        DataCentreArg::Ca => DataCentre::Ca,
        DataCentreArg::Sa => DataCentre::Sa,
    });
    let environment = match args.environment {
        EnvironmentArg::Production => Environment::Production,
        EnvironmentArg::Sandbox => Environment::Sandbox,
        EnvironmentArg::Developer => Environment::Developer,
    };
    let logger: Option<crate::zoho::RequestLogger> = (verbose > 0).then(|| {
        std::sync::Arc::new(|line: &crate::zoho::RequestLog| {
            let _ = writeln!(std::io::stderr(), "territoryctl: {line}");
        }) as crate::zoho::RequestLogger
    });
    crate::zoho::ConnectOptions {
        data_centre,
        environment,
        api_domain: args.api_domain.clone(),
        accounts_url: args.accounts_url.clone(),
        sandbox: args.sandbox.clone(),
        sandbox_persist: args.sandbox_persist,
        concurrency: Some(usize::from(args.concurrency)),
        logger,
    }
}

/// Says, before a command that writes, that `--simulator` without `--simulator-persist`
/// forgets its changes, which `sandbox serve` does not: the two differ on purpose (a try-out
/// should not edit the example it starts from; a served org lives as long as its file).
fn note_simulator_copy(args: &ConnectionArgs) {
    if let Some(path) = &args.sandbox
        && !args.sandbox_persist
    {
        let _ = writeln!(
            std::io::stderr(),
            "note: `--simulator` changes a copy of `{}` in memory; nothing is written back to \
             the file (add `--simulator-persist` to keep the changes)",
            path.display()
        );
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)
}

/// `validate --online`, after the offline checks passed: the desired state against the live
/// org, read only.
fn validate_online(
    global: &GlobalArgs,
    loaded: &crate::config::Loaded,
    stdout: &mut dyn Write,
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
    print_findings(crate::analysis::report::locate(more));
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

/// `sandbox serve`: the simulator on a loopback port until Ctrl-C, printing how to reach it.
fn sandbox_serve(args: &SandboxServeArgs, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    runtime()?.block_on(async {
        let sandbox =
            crate::zoho::Sandbox::start_on(&args.state, !args.read_only, args.addr).await?;
        // The token printed is the simulator's own, minted for this run: printing it is the
        // point, as `zoho-crm-sim` does.
        writeln!(stdout, "ZOHO_API_DOMAIN={}", sandbox.base_url()).map_err(Error::Stdout)?;
        writeln!(
            stdout,
            "ZOHO_ACCOUNTS_URL={}/oauth/v2/token",
            sandbox.base_url()
        )
        .map_err(Error::Stdout)?;
        writeln!(stdout, "ZOHO_ACCESS_TOKEN={}", sandbox.access_token()).map_err(Error::Stdout)?;
        stdout.flush().map_err(Error::Stdout)?;
        // On stderr, so that stdout stays a list of variables to export.
        let _ = if args.read_only {
            writeln!(
                std::io::stderr(),
                "note: read only: changes live in memory until Ctrl-C; `{}` is not written",
                args.state.display()
            )
        } else {
            writeln!(
                std::io::stderr(),
                "note: every change is written back to `{}` (`--read-only` to keep it as it is)",
                args.state.display()
            )
        };
        tokio::signal::ctrl_c().await.map_err(Error::Runtime)?;
        sandbox.shutdown().await;
        Ok(ExitStatus::Success)
    })
}

/// `plan`: the desired state against the live org, read only.
fn plan(
    global: &GlobalArgs,
    args: &crate::cli::PlanArgs,
    color: Color,
    stdout: &mut dyn Write,
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
    print_warnings(&loaded);
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
        impact.as_ref(),
        &warnings,
        color,
        stdout,
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
    let Ok(plan) = crate::plan::plan(desired, live, &plan_policy(args)) else {
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
struct PendingConfig(
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
fn start_config(paths: &[std::path::PathBuf]) -> PendingConfig {
    let paths = paths.to_vec();
    PendingConfig(tokio::task::spawn_blocking(move || {
        crate::config::load(&paths)
    }))
}

/// Connects; when that fails, a broken desired state is what gets reported (it is the
/// problem to fix first, and the one a pull request's check is about).
async fn connect_after(
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
async fn desired_and_live(
    client: &crate::zoho::ReadClient,
    mut config: PendingConfig,
) -> Result<(crate::config::Loaded, crate::model::Live), Error> {
    let preload = crate::zoho::Preload::start(client);
    let loaded = config.finish().await?;
    let live = crate::zoho::load_live_after(client, &loaded.desired, preload).await?;
    Ok((loaded, live))
}

/// The safety rails `plan` and `apply` run with, from the command line.
#[must_use]
pub fn plan_policy(args: &crate::cli::PlanArgs) -> crate::plan::Policy {
    crate::plan::Policy {
        max_change_percent: args.max_change_percent,
        allow_empty: args.allow_empty,
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
) -> Result<ExitStatus, Error> {
    show_plan_with(desired, live, args, None, &[], color, stdout)
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
    impact: Option<&crate::impact::preview::Preview>,
    warnings: &[crate::analysis::report::Warning],
    color: Color,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    use crate::cli::PlanFormat;
    let (mut plan, refusal) = plan_or_refused(desired, live, &plan_policy(args))?;
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
        impact: impact.cloned(),
        warnings: warnings.to_vec(),
    };
    let rendered = match args.format {
        PlanFormat::Text => crate::render::text_with(&plan, &notes, color.0),
        PlanFormat::Markdown => crate::render::markdown_with(&plan, &notes),
        PlanFormat::Json => crate::render::json_with(&plan, &notes),
    };
    stdout
        .write_all(rendered.as_bytes())
        .map_err(Error::Stdout)?;
    if args.format != PlanFormat::Json {
        // The rule runs come after every territory wave, as `apply --run-rules` sends them.
        crate::rules::write_planned(&plan.rule_runs, args.format == PlanFormat::Markdown, stdout)
            .map_err(Error::Stdout)?;
    }
    if args.format == PlanFormat::Text {
        let after = impact.map(crate::impact::render::text).unwrap_or_default();
        stdout.write_all(after.as_bytes()).map_err(Error::Stdout)?;
        // In a terminal, warnings go where the files' warnings go, so that stdout holds only
        // the plan; Markdown and JSON carry them (the pull-request comment shows them).
        let _ = std::io::stderr().write_all(crate::analysis::report::text(warnings).as_bytes());
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
            std::io::stderr(),
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
            std::io::stderr(),
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

/// `apply`: plans (or reads a saved plan, plans again and checks the two agree), shows the plan,
/// checks `--allow-delete`, confirms, executes with progress on stderr, and writes the report
/// to `stdout`. The exit status is the report's: 0 when everything is done, 5 otherwise.
fn apply(
    global: &GlobalArgs,
    args: &crate::cli::ApplyArgs,
    color: Color,
    stdout: &mut dyn Write,
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
        note_simulator_copy(&global.connection);
        let (loaded, live) = desired_and_live(&client, config).await?;
        print_warnings(&loaded);
        let run_rules = args.run_rules || loaded.run_rules;
        let policy = crate::plan::Policy {
            max_change_percent: args.max_change_percent,
            allow_empty: args.allow_empty,
        };
        let (plan, threshold) = match &saved {
            None => plan_or_refused(&loaded.desired, &live, &policy)?,
            Some(saved) => match crate::plan::verify(saved, &loaded.desired, &live, &policy) {
                Ok(verified) => {
                    if !verified.done.is_empty() {
                        let _ = writeln!(
                            std::io::stderr(),
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
        let refused: Option<Error> = match threshold {
            Some(refusal) => Some(crate::plan::PlanError::Refused(refusal).into()),
            None => {
                let names = plan.deletions();
                (!names.is_empty() && !args.allow_delete)
                    .then(|| ApplyError::DeletionsNotAllowed { names }.into())
            }
        };
        let notes = crate::render::Notes {
            refusal: refused
                .as_ref()
                .map(|refused| crate::render::Refused::of(refused)),
            renames: crate::render::renames(&plan, &live),
            ..crate::render::Notes::default()
        };

        let shown = match args.format {
            PlanFormat::Text => Some(crate::render::text_with(&plan, &notes, color.0)),
            PlanFormat::Markdown => Some(crate::render::markdown_with(&plan, &notes)),
            PlanFormat::Json => None,
        };
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
            member_rails(&plan, &live, args.max_change_percent)?;
        }
        if plan.has_changes() && !args.yes {
            confirm()?;
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
        let mut progress: Box<dyn apply::Progress> = if std::io::stderr().is_terminal() {
            Box::new(apply::Bars::new())
        } else {
            Box::new(apply::Lines::new(std::io::stderr()))
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
            let results =
                crate::rules::execute(&client, &runs, policy, &mut std::io::stderr()).await;
            let runs = crate::rules::RunsReport::new(results);
            write_apply_with_runs(&report, &runs, args.format, stdout)?;
            return Ok(worst(report.exit_status(), runs.exit_status()));
        }
        match args.format {
            PlanFormat::Text => report.write_text(stdout),
            PlanFormat::Markdown => report.write_markdown(stdout),
            PlanFormat::Json => report.write_json(stdout),
        }
        .map_err(Error::Stdout)?;
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

/// `rules run`: run the rules of named territories (default: the root) for the named
/// modules (default: all three), one module at a time, and report each job.
fn rules_run(
    global: &GlobalArgs,
    args: &crate::cli::RulesRunArgs,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    use crate::cli::PlanFormat;
    use crate::model::{NameKey, RuleModule};
    use crate::records::RecordsError;
    let mut modules: Vec<RuleModule> = Vec::new();
    for given in &args.module {
        let module = RuleModule::ALL
            .into_iter()
            .find(|module| {
                module
                    .module()
                    .api_name()
                    .eq_ignore_ascii_case(given.trim())
            })
            .ok_or_else(|| RecordsError::UnknownModule {
                given: given.clone(),
            })?;
        if !modules.contains(&module) {
            modules.push(module);
        }
    }
    if modules.is_empty() {
        modules = RuleModule::ALL.to_vec();
    }
    runtime()?.block_on(async {
        let connection = connect(global).await?;
        let client = connection.write_client()?;
        let territories = client.territories().await?;
        let mut chosen: Vec<(String, String)> = Vec::new();
        if args.territory.is_empty() {
            if let Some(root) = territories.iter().find(|t| t.parent.is_none()) {
                chosen.push((root.id.clone(), root.name.clone()));
            }
        }
        let mut unknown = Vec::new();
        for name in &args.territory {
            match territories
                .iter()
                .find(|t| NameKey::new(&t.name) == NameKey::new(name))
            {
                Some(found) if !chosen.iter().any(|(id, _)| *id == found.id) => {
                    chosen.push((found.id.clone(), found.name.clone()));
                }
                Some(_) => {}
                None => unknown.push(name.clone()),
            }
        }
        if !unknown.is_empty() {
            let suggestions = unknown
                .iter()
                .filter_map(|name| {
                    crate::suggest::closest(name, territories.iter().map(|t| t.name.as_str()))
                        .map(|close| format!("`{name}`: did you mean `{close}`?"))
                })
                .collect();
            return Err(RecordsError::UnknownTerritories {
                names: unknown,
                suggestions,
            }
            .into());
        }
        let by_module = modules
            .iter()
            .map(|module| (*module, chosen.clone()))
            .collect();
        let runs = crate::rules::runs(&by_module);
        let policy =
            crate::rules::RunPolicy::with_timeout(std::time::Duration::from_secs(args.timeout));
        let results = crate::rules::execute(&client, &runs, policy, &mut std::io::stderr()).await;
        let report = crate::rules::RunsReport::new(results);
        match args.format {
            PlanFormat::Text => report.write_text(stdout),
            PlanFormat::Markdown => report.write_markdown(stdout),
            PlanFormat::Json => report.write_json(stdout),
        }
        .map_err(Error::Stdout)?;
        Ok(report.exit_status())
    })
}

/// Asks on the terminal; only `yes` goes on.
fn confirm() -> Result<(), Error> {
    use crate::apply::ApplyError;
    let stdin = std::io::stdin();
    // The answer comes from stdin, so stdin is the terminal that counts: stderr (where the
    // prompt goes) may be a pipe, as in `apply 2>&1 | tee apply.log`.
    if !stdin.is_terminal() {
        return Err(ApplyError::NeedsConfirmation.into());
    }
    let mut stderr = std::io::stderr();
    // The prompt is best effort: the answer is what counts.
    let _ = write!(
        stderr,
        "Apply these changes to the org? Only `yes` is accepted: "
    );
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .read_line(&mut answer)
        .map_err(ApplyError::ReadAnswer)?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(ApplyError::Declined.into())
    }
}

/// `records get`: the territories of records, read only. Missing records are shown as such and
/// end the command with an error after the output.
fn records_get(
    global: &GlobalArgs,
    args: &crate::cli::RecordsGetArgs,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    use crate::records::{RecordsError, ShownRecord};
    let module = crate::records::parse_module(&args.module)?;
    let mut ids: Vec<String> = Vec::new();
    for id in &args.record_ids {
        crate::records::check_record_id(id)?;
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    let found = runtime()?.block_on(async {
        let connection = connect(global).await?;
        let client = connection.read_client()?;
        Ok::<_, Error>(client.records(module, &ids).await?)
    })?;
    let shown: Vec<ShownRecord> = ids
        .iter()
        .map(|id| ShownRecord {
            id: id.clone(),
            record: found.iter().find(|record| &record.id == id).cloned(),
        })
        .collect();
    let rendered = match args.format {
        crate::cli::RecordsFormat::Text => crate::records::render_table(module, &shown),
        crate::cli::RecordsFormat::Json => crate::records::render_json(module, &shown),
    };
    stdout
        .write_all(rendered.as_bytes())
        .map_err(Error::Stdout)?;
    let missing: Vec<String> = shown
        .iter()
        .filter(|shown| shown.record.is_none())
        .map(|shown| shown.id.clone())
        .collect();
    if missing.is_empty() {
        Ok(ExitStatus::Success)
    } else {
        Err(RecordsError::MissingRecords {
            module,
            ids: missing,
        }
        .into())
    }
}

/// `records assign|remove`: resolve names, confirm, send, report per record.
fn records_change(
    global: &GlobalArgs,
    args: &crate::cli::RecordsChangeArgs,
    action: crate::records::Action,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    use crate::records::{RecordsError, Request};
    let request = match (&args.from_file, &args.module) {
        (Some(path), _) => {
            // Capped like the desired-state files: `--from-file /dev/zero` must not read forever.
            let read_error = |source| RecordsError::ReadFile {
                path: path.clone(),
                source,
            };
            let bytes = crate::config::read_capped(path, crate::config::MAX_FILE_BYTES)
                .map_err(&read_error)?
                .ok_or_else(|| {
                    read_error(std::io::Error::other(format!(
                        "larger than {} MiB",
                        crate::config::MAX_FILE_BYTES / (1024 * 1024)
                    )))
                })?;
            let text = String::from_utf8(bytes).map_err(|_| {
                read_error(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "not UTF-8 text",
                ))
            })?;
            crate::records::parse_csv(path, &text)?
        }
        (None, Some(module)) => Request::from_args(module, &args.record_ids, &args.territory)?,
        (None, None) => return Err(RecordsError::NothingToDo.into()),
    };
    if request.record_count() == 0 {
        return Err(RecordsError::NothingToDo.into());
    }
    let runtime = runtime()?;
    let connection = runtime.block_on(connect(global))?;
    let client = connection.write_client()?;
    note_simulator_copy(&global.connection);
    // Names are resolved before any write: an unknown name stops the command untouched.
    let territories = runtime.block_on(client.territories())?;
    let resolved = crate::records::resolve(&request, &territories)?;
    let count = request.record_count();
    if count > crate::records::CONFIRM_ABOVE && !args.yes {
        confirm_records(count, action)?;
    }
    let mut results = runtime.block_on(crate::records::execute(&client, &resolved, action))?;
    if args.wait {
        let policy = crate::records::WaitPolicy::with_timeout(std::time::Duration::from_secs(
            args.wait_timeout,
        ));
        runtime.block_on(crate::records::wait_for_jobs(&client, &mut results, policy))?;
    }
    let (rendered, tally) = crate::records::render_results(&results, action);
    stdout
        .write_all(rendered.as_bytes())
        .map_err(Error::Stdout)?;
    Ok(if tally.failed > 0 {
        ExitStatus::ApplyFailed
    } else {
        ExitStatus::Success
    })
}

/// Asks on the terminal before changing many records; refuses without one.
fn confirm_records(count: usize, action: crate::records::Action) -> Result<(), Error> {
    use crate::records::RecordsError;
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(RecordsError::NeedsConfirmation { count }.into());
    }
    let verb = match action {
        crate::records::Action::Assign => "Assign territories to",
        crate::records::Action::Remove => "Remove territories from",
    };
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "{verb} {count} records? [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .read_line(&mut answer)
        .map_err(|_| RecordsError::Cancelled)?;
    if matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(RecordsError::Cancelled.into())
    }
}

/// The membership rails of `apply` (see [`crate::membership::check_removals`]), decided from
/// the plan's changes and the memberships read from the org.
fn member_rails(
    plan: &crate::plan::Plan,
    live: &crate::model::Live,
    max_change_percent: u32,
) -> Result<(), Error> {
    let lists: Vec<(String, usize, Vec<String>, Vec<String>)> = plan
        .changes
        .iter()
        .map(|change| {
            let before = match &change.action {
                crate::plan::Action::Update(update) => live
                    .territory(&update.id)
                    .and_then(|territory| territory.users.as_ref())
                    .map_or(0, Vec::len),
                _ => 0,
            };
            let (added, removed) = crate::plan::member_change(change);
            let labels = |users: Vec<&crate::plan::Manager>| {
                users.iter().map(|user| user.label()).collect::<Vec<_>>()
            };
            (change.title(), before, labels(added), labels(removed))
        })
        .collect();
    let changes: Vec<crate::membership::MemberChange<'_>> = lists
        .iter()
        .map(
            |(territory, before, added, removed)| crate::membership::MemberChange {
                territory,
                before: *before,
                added,
                removed,
            },
        )
        .collect();
    let existing = live
        .territories
        .iter()
        .filter_map(|territory| territory.users.as_ref())
        .map(Vec::len)
        .sum();
    crate::membership::check_removals(&changes, existing, max_change_percent)?;
    Ok(())
}
