//! Territory names to ids, against the org's territories, before any write.

use std::collections::BTreeMap;

use super::error::RecordsError;
use super::request::Request;
use crate::model::{LiveTerritory, Module, NameKey};

/// A territory as the command sends it: its id, and its name as the org spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// The request with every name resolved: per module and record, the territories to send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    pub records: BTreeMap<Module, BTreeMap<String, Vec<Named>>>,
}

/// Resolves every name of `request` among `territories` (case-insensitively, as Zoho compares
/// names).
///
/// # Errors
/// [`RecordsError::UnknownTerritories`] naming every unknown name, with "did you mean" for
/// those close to a real one.
pub fn resolve(request: &Request, territories: &[LiveTerritory]) -> Result<Resolved, RecordsError> {
    let by_key: BTreeMap<NameKey, &LiveTerritory> = territories
        .iter()
        .map(|territory| (NameKey::new(&territory.name), territory))
        .collect();
    let mut unknown: Vec<String> = Vec::new();
    for name in request.names() {
        if !by_key.contains_key(&NameKey::new(name))
            && !unknown
                .iter()
                .any(|known| NameKey::new(known) == NameKey::new(name))
        {
            unknown.push(name.to_owned());
        }
    }
    if !unknown.is_empty() {
        return Err(RecordsError::unknown_territories(
            unknown,
            territories.iter().map(|t| t.name.as_str()),
        ));
    }
    let mut resolved = Resolved::default();
    for (module, records) in &request.records {
        for (record_id, names) in records {
            let named = names
                .iter()
                .filter_map(|name| by_key.get(&NameKey::new(name)))
                .map(|territory| Named {
                    id: territory.id.clone(),
                    name: territory.name.clone(),
                })
                .collect();
            resolved
                .records
                .entry(*module)
                .or_default()
                .insert(record_id.clone(), named);
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Permission;

    fn territory(id: &str, name: &str) -> LiveTerritory {
        LiveTerritory {
            id: id.into(),
            fields: crate::model::Fields::new(name, Some("1".into()), Permission::ReadOnly),
            modified_time: None,
        }
    }

    #[test]
    fn names_resolve_case_insensitively_and_unknown_ones_get_suggestions() {
        let org = [territory("11", "South"), territory("12", "North America")];
        let request = Request::from_args(
            "Accounts",
            &["5".into()],
            &["south".into(), "NORTH america".into()],
        )
        .unwrap();
        let resolved = resolve(&request, &org).unwrap();
        let named = &resolved.records[&Module::Accounts]["5"];
        assert_eq!(
            named[0],
            Named {
                id: "11".into(),
                name: "South".into()
            }
        );
        assert_eq!(named[1].id, "12");

        let request =
            Request::from_args("Accounts", &["5".into()], &["Sout".into(), "Mars".into()]).unwrap();
        let Err(RecordsError::UnknownTerritories { names, suggestions }) = resolve(&request, &org)
        else {
            panic!("unknown names must be refused");
        };
        assert_eq!(names, ["Sout", "Mars"]);
        assert_eq!(suggestions, ["`Sout`: did you mean `South`?"]);
    }
}
