//! Writing an export to a temporary directory and reading it back through `config::load`.

use std::path::PathBuf;

use territoryctl::export::{Destination, Export, Split, write};
use territoryctl::model::Desired;

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
