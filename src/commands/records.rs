//! `records get`, `records assign` and `records remove`.

use std::io::Write;

use crate::cli::GlobalArgs;
use crate::error::Error;
use crate::exit::ExitStatus;

use super::prompt::Refusal;
use super::{connect, note_simulator_copy, runtime};

/// `records get`: the territories of records, read only. Missing records are shown as such and
/// end the command with an error after the output.
///
/// # Errors
/// A bad module or record id, a failed connection or read, missing records.
pub fn get(
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
///
/// # Errors
/// A bad request or file, an unknown territory, a refused prompt, a failed connection.
pub fn change(
    global: &GlobalArgs,
    args: &crate::cli::RecordsChangeArgs,
    action: crate::records::Action,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
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
    note_simulator_copy(&global.connection, stderr);
    // Names are resolved before any write: an unknown name stops the command untouched.
    let territories = runtime.block_on(client.territories())?;
    let resolved = crate::records::resolve(&request, &territories)?;
    let count = request.record_count();
    if count > crate::records::CONFIRM_ABOVE && !args.yes {
        let verb = match action {
            crate::records::Action::Assign => "Assign territories to",
            crate::records::Action::Remove => "Remove territories from",
        };
        super::prompt::ask_terminal(&format!("{verb} {count} records?"), stderr).map_err(
            |refusal| match refusal {
                Refusal::NoTerminal => RecordsError::NeedsConfirmation { count },
                Refusal::Declined | Refusal::Unreadable(_) => RecordsError::Cancelled,
            },
        )?;
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
