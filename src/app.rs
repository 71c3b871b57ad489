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
    // Warnings go where errors go, so that stdout holds only the result.
    let mut stderr = std::io::stderr().lock();
    for warning in &loaded.warnings {
        let _ = writeln!(stderr, "{:?}", miette::Report::new(warning.clone()));
    }
    let warnings = match loaded.warnings.len() {
        0 => String::new(),
        1 => " (1 warning)".to_owned(),
        count => format!(" ({count} warnings)"),
    };
    writeln!(
        stdout,
        "{} territories under `{}`: valid{warnings}.",
        loaded.desired.territories.len(),
        loaded.desired.root
    )
    .map_err(Error::Stdout)?;
    Ok(ExitStatus::Success)
}
