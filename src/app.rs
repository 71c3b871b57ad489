//! The one orchestrator: a function per command, wiring config, zoho, plan, render and apply.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, ColorChoice, Command, ValidateArgs};
use crate::error::Error;
use crate::exit::ExitStatus;

/// Parses the command line, runs the command, reports errors and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = Color::resolve(cli.global.color);
    install_report_handler(color);
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
    fn resolve(choice: ColorChoice) -> Self {
        match choice {
            ColorChoice::Always => Self(true),
            ColorChoice::Never => Self(false),
            ColorChoice::Auto => Self(
                std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                    && std::io::stderr().is_terminal(),
            ),
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
        Command::Validate(args) => validate(&args, color, stdout),
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

fn validate(
    args: &ValidateArgs,
    _color: Color,
    stdout: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let loaded = crate::config::load(&args.paths)?;
    writeln!(
        stdout,
        "{} territories under `{}`: valid.",
        loaded.desired.territories.len(),
        loaded.desired.root
    )
    .map_err(Error::Stdout)?;
    Ok(ExitStatus::Success)
}

/// The safety rails `plan` and `apply` run with, from the command line.
#[must_use]
pub fn plan_policy(args: &crate::cli::PlanArgs) -> crate::plan::Policy {
    crate::plan::Policy {
        max_change_percent: args.max_change_percent,
        allow_empty: args.allow_empty,
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
    use crate::cli::PlanFormat;
    let plan = crate::plan::plan(desired, live, &plan_policy(args))?;
    let rendered = match args.format {
        PlanFormat::Text => crate::render::text(&plan, color.0),
        PlanFormat::Markdown => crate::render::markdown(&plan),
        PlanFormat::Json => crate::render::json(&plan),
    };
    stdout
        .write_all(rendered.as_bytes())
        .map_err(Error::Stdout)?;
    if let Some(path) = &args.out {
        std::fs::write(path, crate::render::json(&plan)).map_err(|source| Error::WritePlan {
            path: path.clone(),
            source,
        })?;
    }
    Ok(if args.detailed_exitcode && plan.has_changes() {
        ExitStatus::Changes
    } else {
        ExitStatus::Success
    })
}
