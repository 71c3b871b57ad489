//! `--from-file FILE.csv`: `module,record_id,territory`, one record-territory pair a line.
//!
//! No CSV crate: none of the three columns can hold a comma or a double quote (Zoho forbids
//! both in territory names; modules are words and ids digits), so a field is the text between
//! commas, trimmed, with surrounding quotes taken off for files spreadsheets wrote.

use std::path::Path;

use super::error::RecordsError;
use super::request::{Request, check_record_id, parse_module};

const HEADER: [&str; 3] = ["module", "record_id", "territory"];

/// Reads the file into a [`Request`], grouping rows per module and record. Every bad row is
/// reported, with its line number, before anything is sent.
///
/// # Errors
/// [`RecordsError::BadCsv`] listing every bad row; [`RecordsError::NothingToDo`] for a file
/// with no rows.
pub fn parse_csv(path: &Path, text: &str) -> Result<Request, RecordsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut request = Request::default();
    let mut problems = Vec::new();
    let mut header_seen = false;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(field).collect();
        if !header_seen {
            header_seen = true;
            let header: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
            if header != HEADER {
                problems.push(format!(
                    "line {number}: the header is `{}`, expected `module,record_id,territory`",
                    line.trim()
                ));
                break;
            }
            continue;
        }
        let [module, record_id, territory] = fields.as_slice() else {
            problems.push(format!(
                "line {number}: {} fields, expected 3 (module,record_id,territory)",
                fields.len()
            ));
            continue;
        };
        let module = match parse_module(module) {
            Ok(module) => module,
            Err(_) => {
                problems.push(format!(
                    "line {number}: unknown module `{module}` (Accounts, Contacts, Deals or Leads)"
                ));
                continue;
            }
        };
        if check_record_id(record_id).is_err() {
            problems.push(format!(
                "line {number}: `{record_id}` is not a record id (a number)"
            ));
            continue;
        }
        if territory.is_empty() {
            problems.push(format!("line {number}: the territory is empty"));
            continue;
        }
        request.add(module, record_id, territory);
    }
    if !problems.is_empty() {
        return Err(RecordsError::BadCsv {
            path: path.to_owned(),
            problems,
        });
    }
    if request.record_count() == 0 {
        return Err(RecordsError::NothingToDo);
    }
    Ok(request)
}

fn field(raw: &str) -> &str {
    let trimmed = raw.trim();
    trimmed
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .map_or(trimmed, str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Module;

    #[test]
    fn rows_group_per_record_and_bad_rows_name_their_lines() {
        let path = Path::new("pairs.csv");
        let request = parse_csv(
            path,
            "\u{feff}module,record_id,territory\r\nAccounts,1,East\n\"deals\",2,\"West\"\nAccounts,1,North\n",
        )
        .unwrap();
        assert_eq!(request.records[&Module::Accounts]["1"], ["East", "North"]);
        assert_eq!(request.records[&Module::Deals]["2"], ["West"]);

        let Err(RecordsError::BadCsv { problems, .. }) = parse_csv(
            path,
            "module,record_id,territory\nTasks,1,East\nAccounts,x1,East\nAccounts,1\nAccounts,1,East\n",
        ) else {
            panic!("bad rows must be refused");
        };
        assert_eq!(
            problems,
            [
                "line 2: unknown module `Tasks` (Accounts, Contacts, Deals or Leads)",
                "line 3: `x1` is not a record id (a number)",
                "line 4: 2 fields, expected 3 (module,record_id,territory)",
            ]
        );
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let Err(RecordsError::BadCsv { problems, .. }) =
            parse_csv(Path::new("x.csv"), "id,name\n1,East\n")
        else {
            panic!("a wrong header must be refused");
        };
        assert!(problems[0].starts_with("line 1: the header is `id,name`"));
    }
}
