//! One module per command (`validate`, `plan`, `apply`, `export`, `records`, `rules run`,
//! `sandbox serve`), each wiring config, zoho, plan, render and apply for its command, and the
//! glue they share: colour, the runtime, the connection, warnings on stderr.

pub mod apply;
pub mod export;
pub mod plan;
pub mod prompt;
pub mod records;
pub mod rules;
pub mod sandbox;
pub mod validate;

use std::io::Write;

use crate::cli::{
    ColorChoice, ConnectionArgs, DataCentreArg, EnvironmentArg, GlobalArgs, PlanFormat,
};
use crate::error::Error;

/// Whether output is coloured, decided once from `--color`, `NO_COLOR` and the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color(pub bool);

impl Color {
    /// `--color`, for a stream that is or is not a terminal.
    pub fn resolve(choice: ColorChoice, terminal: bool) -> Self {
        match choice {
            ColorChoice::Always => Self(true),
            ColorChoice::Never => Self(false),
            ColorChoice::Auto => {
                Self(std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()) && terminal)
            }
        }
    }
}

pub fn install_report_handler(color: Color) {
    let _ = miette::set_hook(Box::new(move |_| {
        let theme = if color.0 {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        Box::new(miette::GraphicalReportHandler::new_themed(theme))
    }));
}

/// Prints the desired state's warnings to stderr: warnings go where errors go, so that stdout
/// holds only the result.
pub(crate) fn print_warnings(loaded: &crate::config::Loaded, stderr: &mut dyn Write) {
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
pub(crate) fn note_simulator_copy(args: &ConnectionArgs, stderr: &mut dyn Write) {
    if let Some(path) = &args.sandbox
        && !args.sandbox_persist
    {
        let _ = writeln!(
            stderr,
            "note: `--simulator` changes a copy of `{}` in memory; nothing is written back to \
             the file (add `--simulator-persist` to keep the changes)",
            path.display()
        );
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)
}

/// A report a command writes in the format asked for (`apply`'s, `rules run`'s).
pub(crate) trait Formatted {
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()>;
    fn write_markdown(&self, out: &mut dyn Write) -> std::io::Result<()>;
    fn write_json(&self, out: &mut dyn Write) -> std::io::Result<()>;

    /// Writes the report in `format` to `stdout`.
    fn write_as(&self, format: PlanFormat, stdout: &mut dyn Write) -> Result<(), Error> {
        match format {
            PlanFormat::Text => self.write_text(stdout),
            PlanFormat::Markdown => self.write_markdown(stdout),
            PlanFormat::Json => self.write_json(stdout),
        }
        .map_err(Error::Stdout)
    }
}

/// The reports' own `write_text`, `write_markdown` and `write_json`, as [`Formatted`].
macro_rules! formatted {
    ($($report:ty),*) => {$(
        impl Formatted for $report {
            fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
                self.write_text(out)
            }
            fn write_markdown(&self, out: &mut dyn Write) -> std::io::Result<()> {
                self.write_markdown(out)
            }
            fn write_json(&self, out: &mut dyn Write) -> std::io::Result<()> {
                self.write_json(out)
            }
        }
    )*};
}

formatted!(crate::apply::Report, crate::rules::RunsReport);
