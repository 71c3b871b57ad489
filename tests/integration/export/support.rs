//! Writing an export to a temporary directory and reading it back through `config::load`.

use std::path::{Path, PathBuf};

use clap::Parser;
use territoryctl::app::run;
use territoryctl::cli::Cli;
use territoryctl::commands::Color;

use territoryctl::export::{Destination, Export, Split, write};
use territoryctl::model::Desired;

/// `territoryctl export --sandbox STATE_FILE --out OUT`, run in process; panics with `what`
/// unless it succeeds. Its stdout and stderr.
pub(crate) fn export_sandbox(state_file: &Path, out: &Path, what: &str) -> (Vec<u8>, Vec<u8>) {
    let cli = Cli::try_parse_from([
        "territoryctl",
        "export",
        "--sandbox",
        state_file.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ])
    .expect("valid command line");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    run(cli, Color(false), &mut stdout, &mut stderr).expect(what);
    (stdout, stderr)
}

/// Writes `export` where its layout says (a file, or a directory) and loads it back.
/// Panics with the rendered diagnostics when the files do not load.
pub(crate) fn load_back(export: &Export, split: Split) -> Desired {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let (destination, load_path) = match split {
        Split::Single => {
            let file = directory.path().join("territories.yaml");
            (Destination::File(file.clone()), file)
        }
        Split::TopLevel => {
            let out = directory.path().join("org");
            (Destination::Directory(out.clone()), out)
        }
    };
    write(export, &destination, false).expect("the export is written");
    load(&load_path, export)
}

fn load(path: &PathBuf, export: &Export) -> Desired {
    match territoryctl::config::load(std::slice::from_ref(path)) {
        Ok(loaded) => loaded.desired,
        Err(report) => {
            let handler = miette::GraphicalReportHandler::new_themed(
                miette::GraphicalTheme::unicode_nocolor(),
            )
            .with_width(100);
            let mut rendered = String::new();
            let _ = handler.render_report(&mut rendered, &report);
            let files: Vec<String> = export
                .files
                .iter()
                .map(|file| format!("--- {}\n{}", file.path.display(), file.text))
                .collect();
            panic!(
                "the export does not load:\n{rendered}\n{}",
                files.join("\n")
            );
        }
    }
}
