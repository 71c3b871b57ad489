//! `export`: the org, read whole, as YAML.

use std::io::Write;

use crate::cli::{ExportArgs, GlobalArgs, SplitBy};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::model::Live;

use super::{connect, runtime};

/// `export` of the org the connection flags name: loads it whole (read only), then [`export`].
///
/// # Errors
/// As [`export`], and a failed connection or read.
pub fn export_org(
    global: &GlobalArgs,
    args: &ExportArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    // Checked before connecting, so that a typo costs no request.
    let records = crate::export::assignment_request(&args.with_assignments)?;
    let live = runtime()?.block_on(async {
        let connection = connect(global).await?;
        let client = connection.read_client()?;
        Ok::<_, Error>(crate::zoho::load_whole_org(&client, &records).await?)
    })?;
    export(args, &live, stdout, stderr)
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
    use crate::export::{Destination, ExportOptions, Split};

    let split = match args.split_by {
        Some(SplitBy::TopLevel) => Split::TopLevel,
        None => Split::Single,
    };
    let destination = Destination::of(args.out.as_deref(), split);
    let directory = Destination::directory(destination.as_ref());
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
