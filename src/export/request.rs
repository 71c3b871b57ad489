//! Reading `--with-assignments MODULE ID...` into the records to export assignments for.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Module;

use super::ExportError;

/// Turns the words of every `--with-assignments MODULE ID...` into module -> record ids.
/// Record ids are numbers and module names are not, so each word that is not a number starts
/// the next module: `Accounts 1 2 Deals 3` is two groups. A module named twice gets the ids of
/// both.
///
/// # Errors
/// [`ExportError::UnknownModule`] for a module that is not `Accounts`, `Contacts`, `Deals` or
/// `Leads` (an id with a typo, or an id before any module, reads as one);
/// [`ExportError::MissingRecordIds`] for a module without ids.
pub fn assignment_request(
    words: &[String],
) -> Result<BTreeMap<Module, BTreeSet<String>>, ExportError> {
    let mut request: BTreeMap<Module, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<(Module, usize)> = None;
    for word in words {
        if crate::model::is_record_id(word) {
            let Some((module, count)) = &mut current else {
                // The first word must name a module.
                return Err(ExportError::UnknownModule { name: word.clone() });
            };
            request.entry(*module).or_default().insert(word.clone());
            *count += 1;
            continue;
        }
        let module = Module::from_api_name(word)
            .ok_or_else(|| ExportError::UnknownModule { name: word.clone() })?;
        if let Some((previous, 0)) = current {
            return Err(ExportError::MissingRecordIds {
                module: previous.to_string(),
            });
        }
        current = Some((module, 0));
    }
    if let Some((module, 0)) = current {
        return Err(ExportError::MissingRecordIds {
            module: module.to_string(),
        });
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| (*word).to_owned()).collect()
    }

    #[test]
    fn groups_merge_by_module_case_insensitively() {
        let request = assignment_request(&words(&[
            "Accounts", "2", "1", "deals", "3", "ACCOUNTS", "1", "4",
        ]))
        .expect("valid");
        assert_eq!(
            request,
            BTreeMap::from([
                (
                    Module::Accounts,
                    BTreeSet::from(["1".into(), "2".into(), "4".into()])
                ),
                (Module::Deals, BTreeSet::from(["3".into()])),
            ])
        );
    }

    #[test]
    fn unknown_modules_and_modules_without_ids_are_refused() {
        let error = assignment_request(&words(&["Acounts", "1"])).expect_err("unknown");
        assert_eq!(
            error.to_string(),
            "`Acounts` is not a module with territories"
        );
        let error = assignment_request(&words(&["Accounts", "12a"])).expect_err("typo");
        assert_eq!(error.to_string(), "`12a` is not a module with territories");
        let error = assignment_request(&words(&["Accounts", "Deals", "1"])).expect_err("no ids");
        assert_eq!(
            error.to_string(),
            "`--with-assignments Accounts` names no record ids"
        );
        let error = assignment_request(&words(&["1", "Deals"])).expect_err("no module");
        assert_eq!(error.to_string(), "`1` is not a module with territories");
    }
}
