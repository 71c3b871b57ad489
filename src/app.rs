//! The entry point: parses the command line and dispatches to the command's module in
//! [`crate::commands`].

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command, RecordsCommand, RulesCommand, SandboxCommand};
use crate::commands::{self, Color};
use crate::error::Error;
use crate::exit::ExitStatus;

/// Parses the command line, runs the command, reports errors and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Diagnostics go to stderr and results to stdout: each is coloured by its own terminal.
    commands::install_report_handler(Color::resolve(
        cli.global.color,
        std::io::stderr().is_terminal(),
    ));
    let color = Color::resolve(cli.global.color, std::io::stdout().is_terminal());
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr();
    match run(cli, color, &mut stdout, &mut stderr) {
        Ok(status) => status.into(),
        Err(error) => {
            let status = error.exit_status();
            let _ = writeln!(stderr, "{:?}", miette::Report::new(error));
            status.into()
        }
    }
}

/// Runs one parsed command, writing its output to `stdout` and its warnings, notes, prompts
/// and `apply`'s progress lines to `stderr` (`Send`, as the progress writer is). The progress
/// bars of a terminal, the Ctrl-C notice and the `-v` request log, written from other tasks,
/// go to the process's stderr.
///
/// # Errors
/// Any error of any layer, to be rendered by the caller.
pub fn run(
    cli: Cli,
    color: Color,
    stdout: &mut dyn Write,
    stderr: &mut (dyn Write + Send),
) -> Result<ExitStatus, Error> {
    let global = &cli.global;
    match cli.command {
        Command::Validate(args) if args.online => {
            let loaded = commands::validate::offline(&args, stdout, stderr)?;
            commands::validate::online(global, &loaded, stdout, stderr)
        }
        Command::Validate(args) => {
            commands::validate::offline(&args, stdout, stderr).map(|_| ExitStatus::Success)
        }
        Command::Sandbox(SandboxCommand::Serve(args)) => {
            commands::sandbox::serve(&args, stdout, stderr)
        }
        Command::Records(RecordsCommand::Get(args)) => {
            commands::records::get(global, &args, stdout)
        }
        Command::Records(RecordsCommand::Assign(args)) => commands::records::change(
            global,
            &args,
            crate::records::Action::Assign,
            stdout,
            stderr,
        ),
        Command::Records(RecordsCommand::Remove(args)) => commands::records::change(
            global,
            &args,
            crate::records::Action::Remove,
            stdout,
            stderr,
        ),
        Command::Rules(RulesCommand::Run(args)) => {
            commands::rules::run(global, &args, stdout, stderr)
        }
        Command::Plan(args) => commands::plan::plan(global, &args, color, stdout, stderr),
        Command::Apply(args) => commands::apply::apply(global, &args, color, stdout, stderr),
        Command::Export(args) => commands::export::export_org(global, &args, stdout, stderr),
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
