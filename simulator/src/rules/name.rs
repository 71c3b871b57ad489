//! Territory names: length, characters, and the `api_name` derived from them (derived in
//! `state`, which names the root territory too).

use serde_json::json;

pub(crate) use crate::state::api_name;
use crate::wire::Outcome;

/// Zoho's name limit (OAS `maxLength: 50`).
pub(crate) const MAX_NAME: usize = 50;
/// Zoho's description limit (OAS `maxLength: 250`).
pub(crate) const MAX_DESCRIPTION: usize = 250;

/// The characters the update-territories doc page forbids in names (the seed page wins over
/// the OAS's longer list).
pub(crate) const FORBIDDEN: &[char] = &[
    '^', '~', '`', '#', '%', '&', '+', '=', '[', ']', '{', '}', '|', '\\', ';', '"', '\'', '<',
    '>', ',',
];

/// Checks a name's length and characters.
pub(crate) fn check(name: &str, json_path: &str) -> Result<(), Outcome> {
    let invalid = |extra: serde_json::Value| {
        let mut details = json!({"api_name": "name", "json_path": json_path});
        if let (Some(details), Some(extra)) = (details.as_object_mut(), extra.as_object()) {
            details.extend(extra.clone());
        }
        Outcome::error("INVALID_DATA", details, "invalid data")
    };
    if name.trim().is_empty() {
        return Err(invalid(json!({})));
    }
    if name.chars().count() > MAX_NAME {
        return Err(invalid(json!({"maximum_length": MAX_NAME})));
    }
    if name.contains(FORBIDDEN) {
        return Err(invalid(json!({})));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{api_name, check};

    #[test]
    fn api_names() {
        assert_eq!(api_name("North America"), "North_America");
        assert_eq!(api_name("R&D / Labs"), "R_D_Labs");
    }

    #[test]
    fn names() {
        assert!(check("Texas", "$.t").is_ok());
        assert!(check("A+B", "$.t").is_err());
        assert!(check(&"x".repeat(51), "$.t").is_err());
        assert!(check("  ", "$.t").is_err());
    }
}
