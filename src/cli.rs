//! Command-line declarations only: the doc comments are the `--help` text.
//! `app` turns these into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Keep a Zoho CRM territory hierarchy in git.
///
/// Describe territories in YAML, review the difference against the live org with `plan`, and
/// make the org match with `apply`.
#[derive(Debug, Parser)]
#[command(name = "territoryctl", version, propagate_version = true)]
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
