//! Command-line declarations only: the doc comments are the `--help` text.
//! `app` turns these into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Keep a Zoho CRM territory hierarchy in git.
///
/// Describe territories in YAML, review the difference against the live org with `plan`, and
/// make the org match with `apply`.
#[derive(Debug, Parser)]
// The version and the commit it was built from (build.rs).
#[command(
    name = "territoryctl",
    version = env!("TERRITORYCTL_VERSION"),
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to use colour: `auto` uses it on a terminal unless `NO_COLOR` is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Say more: `-v` logs each API request (method, path, status, time; never a secret).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// Where and how to reach Zoho. Credentials come from the environment only: `ZOHO_ACCESS_TOKEN`,
/// or `ZOHO_CLIENT_ID` + `ZOHO_CLIENT_SECRET` + `ZOHO_REFRESH_TOKEN`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionArgs {
    /// The Zoho data centre the account lives in (sets the API and accounts domains).
    /// Default `us`. `--api-domain`/`ZOHO_API_DOMAIN` and `--accounts-url`/`ZOHO_ACCOUNTS_URL`
    /// take precedence over it.
    #[arg(long, global = true, value_enum)]
    pub dc: Option<DataCentreArg>,

    /// Which org of the account: production, or one of Zoho's own sandbox or developer orgs
    /// (real Zoho orgs on other hosts; for the built-in simulator see `--simulator`).
    #[arg(long, global = true, value_enum, default_value_t = EnvironmentArg::Production)]
    pub environment: EnvironmentArg,

    /// Use this API base URL instead of the data centre's (https, or http to loopback only).
    /// Read from `ZOHO_API_DOMAIN` when not given, as `sandbox serve` prints it.
    #[arg(long, global = true, value_name = "URL")]
    pub api_domain: Option<String>,

    /// Use this OAuth token endpoint instead of the data centre's accounts server. Read from
    /// `ZOHO_ACCOUNTS_URL` when not given.
    #[arg(long, global = true, value_name = "URL")]
    pub accounts_url: Option<String>,

    /// Run against the built-in Zoho CRM simulator (not a Zoho org), started on a loopback
    /// port from this state file. The file is not changed unless `--simulator-persist` is
    /// given. No account needed. Cannot be combined with `--api-domain` or `--dc`.
    /// `--sandbox` is an older name for it.
    #[arg(
        long = "simulator",
        alias = "sandbox",
        global = true,
        value_name = "FILE"
    )]
    pub sandbox: Option<PathBuf>,

    /// With `--simulator`: write the simulator's changes back to its state file (as
    /// `sandbox serve` does unless `--read-only`). `--sandbox-persist` is an older name.
    #[arg(
        long = "simulator-persist",
        alias = "sandbox-persist",
        global = true,
        requires = "sandbox"
    )]
    pub sandbox_persist: bool,

    /// At most this many API requests in flight. The default stays well under the lowest paid
    /// Zoho edition's limit of 10 concurrent calls, leaving room for other integrations.
    #[arg(long, global = true, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=25))]
    pub concurrency: u16,
}

/// Zoho data centres.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DataCentreArg {
    Us,
    Eu,
    In,
    Au,
    Jp,
    Cn,
    Ca,
    Sa,
}

/// Zoho environments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EnvironmentArg {
    Production,
    Sandbox,
    Developer,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check desired-state files offline: syntax, names, hierarchy, rules, assignments.
    ///
    /// Reports every problem at once, each with its file, line and column. Exits 1 when
    /// there is an error; warnings do not fail.
    Validate(ValidateArgs),

    /// Show what `apply` would change in the org: creates, updates, moves, renames, deletions
    /// and record assignments, in the order they would go out.
    ///
    /// Reads the org only. Exits 0 (no changes, or changes without `--detailed-exitcode`),
    /// 1 on an error, 2 with `--detailed-exitcode` when there are changes, 3 when a safety rail
    /// refuses the plan.
    Plan(PlanArgs),

    /// Make the org match the desired state: plan, confirm, then send the changes.
    ///
    /// Given desired-state files, it plans, shows the plan and asks for confirmation on a
    /// terminal (`--yes` skips that; without a terminal `--yes` is required). Given a plan file
    /// from `plan --out`, it first checks that the org has not changed since (exit 4 if it
    /// has). Exits 0 when every change is done, 5 when any failed, 3 when deletions are not
    /// allowed.
    Apply(ApplyArgs),

    /// Write the desired-state YAML of the live org, so that `plan` right after shows no changes.
    ///
    /// Territories are written parents first, each subtree together, siblings by name; managers
    /// by email; rules in their shortest form. What the YAML cannot express (a manager who is
    /// not an active user, a rule on a deleted field) is written as a comment and reported as a
    /// warning. Writes to standard output unless `--out` is given; never overwrites a file
    /// without `--force`; files are replaced atomically.
    Export(ExportArgs),

    /// Read, assign and remove the territories of individual records.
    #[command(subcommand)]
    Records(RecordsCommand),

    /// Run Zoho's territory assignment rules on the org's existing records.
    #[command(subcommand)]
    Rules(RulesCommand),

    /// Run the built-in Zoho CRM simulator.
    #[command(subcommand)]
    Sandbox(SandboxCommand),

    /// Print the JSON Schema of the desired-state YAML (the same as schema/territories.schema.json).
    Schema,

    /// Print a shell completion script, e.g. `territoryctl completions bash > /etc/bash_completion.d/territoryctl`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Desired-state files or directories (every `*.yaml` and `*.yml` in a directory, merged).
    #[arg(default_value = ".", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Also check against the live org (read only): managers are active users, rule fields
    /// exist, comparators and values fit the fields' types, picklist values exist.
    #[arg(long)]
    pub online: bool,
}

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Serve a simulated Zoho CRM org over HTTP on a loopback port until Ctrl-C.
    ///
    /// Prints the base URL and a ready-to-use access token; point territoryctl at it with
    /// `--api-domain URL` and `ZOHO_ACCESS_TOKEN`.
    Serve(SandboxServeArgs),
}

#[derive(Debug, Args)]
pub struct SandboxServeArgs {
    /// The org's state file (JSON); changes are written back to it (unlike `--simulator`,
    /// which leaves it alone unless `--simulator-persist`), unless `--read-only`.
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,

    /// The address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub addr: std::net::SocketAddr,

    /// Serve without writing changes back to the state file.
    #[arg(long)]
    pub read_only: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to this file instead of standard output (with `--split-by`, into this directory).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,

    /// Split the export: `top-level` writes `_root.yaml` plus one file per top-level territory
    /// and its subtree into the `--out` directory, which loads back as one desired state.
    #[arg(long, value_enum, value_name = "LAYOUT", requires = "out")]
    pub split_by: Option<SplitBy>,

    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,

    /// Also write the manual territory assignments of these records, e.g.
    /// `--with-assignments Accounts 4150868000004522032`. Repeat for more modules.
    #[arg(long, num_args = 2.., value_names = ["MODULE", "ID"], action = clap::ArgAction::Append)]
    pub with_assignments: Vec<String>,
}

/// How `export --split-by` lays files out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SplitBy {
    /// One file per top-level territory.
    TopLevel,
}

/// `plan`: show what `apply` would change.
///
/// Exits 0 when there is nothing to change (or, without `--detailed-exitcode`, when there is),
/// 1 on an error, 2 with `--detailed-exitcode` when there are changes, and 3 when a safety rail
/// refuses the plan.
#[derive(Clone, Debug, Args)]
pub struct PlanArgs {
    /// Desired-state files or directories (every `*.yaml` and `*.yml` in a directory, merged).
    #[arg(default_value = ".", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to show the plan: `text` for a terminal, `markdown` for a pull-request comment
    /// (at most 65,535 characters), `json` for machines.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// Also save the plan file (JSON) here, for `apply FILE`: it records the desired state's
    /// hash and fingerprints of the live territories it touches, and holds no secret.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Exit 2 (instead of 0) when the plan has changes: for drift checks in CI.
    #[arg(long)]
    pub detailed_exitcode: bool,

    /// Fail (exit 2, with a message on stderr) when the plan has any change: for the nightly
    /// drift check, where any difference means someone changed the org outside git.
    #[arg(long)]
    pub expect_no_changes: bool,

    /// Refuse when more than this percentage of the org's territories would be updated or
    /// deleted (checked in orgs of 10 territories or more).
    #[arg(long, value_name = "N", default_value_t = crate::plan::DEFAULT_MAX_CHANGE_PERCENT,
          value_parser = clap::value_parser!(u32).range(0..=100))]
    pub max_change_percent: u32,

    /// Allow an empty desired state, and a live org far smaller than the desired state (a
    /// first apply into a new org).
    #[arg(long)]
    pub allow_empty: bool,

    /// Show the rule runs `apply --run-rules` would start after the territory changes (the
    /// territories created, moved or given new rules, per module) as the plan's last wave, with
    /// their requests; in the plan file as `rule_runs`. `run_rules: true` in the files does the
    /// same without the flag.
    #[arg(long)]
    pub run_rules: bool,

    /// Preview the records each territory would gain and lose after `apply --run-rules`: reads
    /// the module's records (read only; only the fields the rules use, 200 a page), evaluates
    /// the desired rules on each, and shows the moves per territory (every record in JSON, a
    /// few examples otherwise) and the requests it took. MODULE: Accounts, Leads, Deals
    /// (several allowed; put them after the paths); default: the modules whose rules the plan
    /// changes.
    #[arg(long, value_name = "MODULE", num_args = 0.., value_parser = impact_module)]
    pub impact: Option<Vec<crate::model::RuleModule>>,

    /// Stop reading a module's records for `--impact` after this many; the preview then says
    /// it is partial.
    #[arg(long, value_name = "N", default_value_t = crate::impact::read::DEFAULT_MAX_RECORDS)]
    pub impact_max_records: usize,
}

/// A module `--impact` can preview: one with territory rules.
fn impact_module(text: &str) -> Result<crate::model::RuleModule, String> {
    match crate::model::Module::from_api_name(text) {
        Some(crate::model::Module::Contacts) => Err(
            "Contacts have no territory rules of their own (they follow their accounts): \
             preview `Accounts`"
                .to_owned(),
        ),
        Some(module) => crate::model::RuleModule::ALL
            .into_iter()
            .find(|rule| rule.module() == module)
            .ok_or_else(|| format!("`{text}` has no territory rules")),
        None => Err(format!(
            "`{text}` is not a module with territory rules: use Accounts, Leads or Deals (put \
             the desired-state paths before `--impact`)"
        )),
    }
}

/// The renderings of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Markdown,
    Json,
}

/// `apply`: carry out a plan.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Desired-state files or directories, or one plan file (`*.json`) saved by `plan --out`,
    /// then the desired-state paths to check it against (default: the paths `plan` was given).
    /// A saved plan is planned again and applied only when that gives the same plan (exit 4
    /// otherwise).
    #[arg(default_value = ".", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Apply without asking (for CI); review the plan first.
    #[arg(long)]
    pub yes: bool,

    /// Allow the plan to delete territories (their forecasts go with them).
    #[arg(long)]
    pub allow_delete: bool,

    /// Allow the plan to remove every member of a territory that has members, or more than
    /// `--max-change-percent` of the memberships read.
    #[arg(long)]
    pub allow_member_removal: bool,

    /// How to show the result: `text` for a terminal, `markdown` for a pull-request comment,
    /// `json` for machines (then only the report is printed, not the plan).
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// Wait for record assignments Zoho runs in the background (offloaded jobs) to finish.
    #[arg(long)]
    pub wait: bool,

    /// With `--wait`: give up waiting after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300, requires = "wait")]
    pub wait_timeout: u64,

    /// Refuse when more than this percentage of the org's territories would be updated or
    /// deleted (checked in orgs of 10 territories or more).
    #[arg(long, value_name = "N", default_value_t = crate::plan::DEFAULT_MAX_CHANGE_PERCENT,
          value_parser = clap::value_parser!(u32).range(0..=100))]
    pub max_change_percent: u32,

    /// Allow an empty desired state, and a live org far smaller than the desired state (a
    /// first apply into a new org).
    #[arg(long)]
    pub allow_empty: bool,

    /// After the territory changes, run the territory rules of every territory created, moved
    /// or given new rules (with its children), per module, and wait for the jobs: existing
    /// records move as the new rules say. Without it Zoho applies new rules only to records
    /// created or edited afterwards. A job that fails or does not finish in time exits 5.
    #[arg(long)]
    pub run_rules: bool,

    /// With `--run-rules`: give up waiting for the rule jobs after this many seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 600,
        requires = "run_rules"
    )]
    pub rules_timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run the territory rules of some territories (and everything below them) on existing
    /// records, e.g. after a data import, and wait for Zoho's jobs to finish.
    ///
    /// One run per module, one at a time; a run Zoho says is already going is waited for
    /// and asked again. Exits 0 when every job completed, 5 when one failed, was refused or
    /// did not finish within `--timeout`.
    Run(RulesRunArgs),
}

#[derive(Debug, Args)]
pub struct RulesRunArgs {
    /// The module whose rules run: Accounts, Leads or Deals; repeat for several. Default: all
    /// three.
    #[arg(long, value_name = "MODULE")]
    pub module: Vec<String>,

    /// A territory by name (case-insensitive) whose rules run, with its children; repeat for
    /// several. Default: the root, i.e. the whole org.
    #[arg(long, value_name = "NAME")]
    pub territory: Vec<String>,

    /// Give up waiting for the jobs after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub timeout: u64,

    /// `text` for a terminal, `markdown` for a pull-request comment, `json` for machines.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
}

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Show the territories of records and how each got there: `manually` (by whom, when) or
    /// `automatically` (by the territory's rules).
    ///
    /// Exits 1 when a record does not exist (the others are still shown).
    Get(RecordsGetArgs),

    /// Assign territories to records by hand.
    ///
    /// Records go ten to a request. Exits 0 when every record got its territories, 5 when
    /// any record failed (each failure is explained), 3 when more than 10 records would
    /// change without `--yes` and there is no terminal to ask on.
    Assign(RecordsChangeArgs),

    /// Remove manually assigned territories from records.
    ///
    /// Territories assigned automatically by rules cannot be removed. Exit codes as `assign`.
    Remove(RecordsChangeArgs),
}

#[derive(Debug, Args)]
pub struct RecordsGetArgs {
    /// The records' module: Accounts, Contacts, Deals or Leads.
    pub module: String,

    /// Record ids.
    #[arg(required = true, value_name = "RECORD_ID")]
    pub record_ids: Vec<String>,

    /// `text` for an aligned table, `json` for machines.
    #[arg(long, value_enum, default_value_t = RecordsFormat::Text)]
    pub format: RecordsFormat,
}

#[derive(Debug, Args)]
pub struct RecordsChangeArgs {
    /// The records' module: Accounts, Contacts or Deals (Zoho refuses Leads through the API).
    #[arg(required_unless_present = "from_file", conflicts_with = "from_file")]
    pub module: Option<String>,

    /// Record ids.
    #[arg(value_name = "RECORD_ID", required_unless_present = "from_file")]
    pub record_ids: Vec<String>,

    /// A territory, by name (case-insensitive); repeat for several.
    #[arg(
        long,
        value_name = "NAME",
        required_unless_present = "from_file",
        conflicts_with = "from_file"
    )]
    pub territory: Vec<String>,

    /// Read record-territory pairs from a CSV file with the header `module,record_id,territory`.
    #[arg(long, value_name = "FILE.csv")]
    pub from_file: Option<PathBuf>,

    /// Do not ask for confirmation when more than 10 records change.
    #[arg(long)]
    pub yes: bool,

    /// Wait for changes Zoho schedules as background jobs (offloaded parent territory).
    #[arg(long)]
    pub wait: bool,

    /// With `--wait`: give up waiting after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 300, requires = "wait")]
    pub wait_timeout: u64,
}

/// The renderings of `records get`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RecordsFormat {
    Text,
    Json,
}
