//! [`Request`]: what the user asked for, per module and record, before names are resolved.

use std::collections::BTreeMap;

use super::error::RecordsError;
use crate::model::{Module, NameKey};

/// Assign or remove.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Assign,
    Remove,
}

impl Action {
    /// The past tense for results: "assigned", "removed".
    #[must_use]
    pub fn done(self) -> &'static str {
        match self {
            Self::Assign => "assigned",
            Self::Remove => "removed",
        }
    }
}

/// Per module and record id, the territory names to assign or remove, each name once
/// (compared as Zoho compares names: case-insensitively), in the order first given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub records: BTreeMap<Module, BTreeMap<String, Vec<String>>>,
}

impl Request {
    /// The same territories for every record, from the command line.
    ///
    /// # Errors
    /// An unknown module or a record id that is not a number.
    pub fn from_args(
        module: &str,
        record_ids: &[String],
        territories: &[String],
    ) -> Result<Self, RecordsError> {
        let module = parse_module(module)?;
        let mut request = Self::default();
        for record_id in record_ids {
            check_record_id(record_id)?;
            for name in territories {
                request.add(module, record_id, name);
            }
        }
        Ok(request)
    }

    /// Adds one record-territory pair; a name already listed for the record is skipped, as
    /// Zoho refuses the same territory twice (`ALREADY_USED`).
    pub fn add(&mut self, module: Module, record_id: &str, name: &str) {
        let names = self
            .records
            .entry(module)
            .or_default()
            .entry(record_id.to_owned())
            .or_default();
        let key = NameKey::new(name);
        if !names.iter().any(|known| NameKey::new(known) == key) {
            names.push(name.trim().to_owned());
        }
    }

    /// How many records the request changes.
    #[must_use]
    pub fn record_count(&self) -> usize {
        self.records.values().map(BTreeMap::len).sum()
    }

    /// Every territory name, as first given.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.records
            .values()
            .flat_map(BTreeMap::values)
            .flatten()
            .map(String::as_str)
    }
}

/// A module by its API name, case-insensitively.
///
/// # Errors
/// [`RecordsError::UnknownModule`].
pub fn parse_module(given: &str) -> Result<Module, RecordsError> {
    Module::from_api_name(given.trim()).ok_or_else(|| RecordsError::UnknownModule {
        given: given.to_owned(),
    })
}

/// Zoho's record ids are 64-bit numbers; anything else would only come back as INVALID_DATA.
///
/// # Errors
/// [`RecordsError::BadRecordId`].
pub fn check_record_id(given: &str) -> Result<(), RecordsError> {
    if crate::model::is_record_id(given) {
        Ok(())
    } else {
        Err(RecordsError::BadRecordId {
            given: given.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept_once_per_record_case_insensitively() {
        let request = Request::from_args(
            "accounts",
            &["1".into(), "2".into()],
            &["East".into(), "east".into(), "West".into()],
        )
        .unwrap();
        assert_eq!(request.record_count(), 2);
        assert_eq!(request.records[&Module::Accounts]["1"], ["East", "West"]);
    }

    #[test]
    fn bad_modules_and_ids_are_refused() {
        assert!(matches!(
            Request::from_args("Tasks", &["1".into()], &["East".into()]),
            Err(RecordsError::UnknownModule { .. })
        ));
        assert!(matches!(
            Request::from_args("Deals", &["12ab".into()], &["East".into()]),
            Err(RecordsError::BadRecordId { .. })
        ));
    }
}
