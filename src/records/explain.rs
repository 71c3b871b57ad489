//! Zoho's per-record codes, in words: what happened and what to do
//! (seeds/assign-territories-to-records.txt, remove-territories-of-records.txt).

use super::request::Action;
use crate::model::Module;
use crate::zoho::ItemError;

/// A sentence for a record Zoho refused: the code, what it means here, and what to do.
/// `territories` are the names sent for the record, in request order, so that a `json_path`
/// like `$.data[0].Territories[1].id` can name the territory.
#[must_use]
pub fn explain(
    error: &ItemError,
    action: Action,
    module: Module,
    territories: &[String],
) -> String {
    let named =
        territory_at(error, territories).map_or_else(String::new, |name| format!(" `{name}`"));
    let about_record = error.message.to_lowercase().contains("record")
        || error
            .details
            .get("json_path")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|path| path.ends_with("].id") && !path.contains("Territories"))
        || error.details.contains_key("resource_path_index");
    let words = match error.code.as_str() {
        "LIMIT_EXCEEDED" => format!(
            "too many territories: a Deal can have one territory and other records ten, automatic ones included{}; remove one first",
            match module {
                Module::Deals => " (this is a Deal)".to_owned(),
                _ => String::new(),
            }
        ),
        "TERRITORY_NOT_ENABLED" | "FEATURE_NOT_ENABLED" => match module {
            Module::Leads => "Zoho does not let the API assign or remove territories of Leads; Zoho support can enable it for an org".to_owned(),
            _ => format!("territory management is not enabled for {module} in this org; an administrator enables it in Setup"),
        },
        "TERRITORY_DISABLED" => "territory management has been disabled in this org (it was enabled once); an administrator switches it back on in Setup".to_owned(),
        "NOT_ALLOWED" => format!(
            "the territory{named} was assigned automatically by its rules (system-assigned); only territories assigned manually can be removed"
        ),
        "INVALID_DATA" if about_record => format!("there is no {module} record with this id"),
        "INVALID_DATA" => match action {
            Action::Remove => format!(
                "the territory{named} is not assigned to this record (or no longer exists)"
            ),
            Action::Assign => format!("the territory{named} no longer exists in the org"),
        },
        "DUPLICATE_DATA" => format!("the record already has the territory{named}"),
        "ALREADY_USED" => format!("the territory{named} was named twice for this record"),
        "RECORD_LOCKED" => "the record is locked (for example by an approval process); run again once it is unlocked".to_owned(),
        "NO_PERMISSION" | "AUTHORIZATION_FAILED" | "PERMISSION_DENIED" => format!(
            "the user the token belongs to may not change the territories of this record; an administrator can grant the permission to update {module}"
        ),
        "ALREADY_SCHEDULED" => "a territory job for this record is still running; wait for it to finish (see `--wait`) and run again".to_owned(),
        "MANDATORY_NOT_FOUND" => "Zoho says the record id or the territories were missing from the request; this is a bug in territoryctl, please report it".to_owned(),
        "INTERNAL_ERROR" | "INTERNAL_SERVER_ERROR" => "Zoho failed with an internal error and did not change the record; run again".to_owned(),
        "NOT_APPLIED" => format!("{}; run again", error.message),
        _ => format!("Zoho refused it: {}", error.message),
    };
    format!("{}: {words}", error.code)
}

/// The territory a `json_path` such as `$.data[0].Territories[1].id` points at.
fn territory_at<'a>(error: &ItemError, territories: &'a [String]) -> Option<&'a str> {
    let path = error.details.get("json_path")?.as_str()?;
    let (_, rest) = path.split_once("Territories[")?;
    let (index, _) = rest.split_once(']')?;
    territories
        .get(index.parse::<usize>().ok()?)
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: &str, message: &str, details: serde_json::Value) -> ItemError {
        let serde_json::Value::Object(details) = details else {
            panic!("details are an object")
        };
        ItemError {
            code: code.into(),
            message: message.into(),
            details,
        }
    }

    fn names() -> Vec<String> {
        vec!["East".into(), "West".into()]
    }

    #[test]
    fn codes_zoho_cannot_be_made_to_send_by_the_simulator_read_clearly() {
        let no_permission = error(
            "NO_PERMISSION",
            "User has no permission to add / remove the Territories",
            serde_json::json!({}),
        );
        assert_eq!(
            explain(&no_permission, Action::Assign, Module::Accounts, &names()),
            "NO_PERMISSION: the user the token belongs to may not change the territories of this record; an administrator can grant the permission to update Accounts"
        );
        let authorization = error(
            "AUTHORIZATION_FAILED",
            "User does not have sufficient privilege to update records",
            serde_json::json!({}),
        );
        assert!(
            explain(&authorization, Action::Remove, Module::Deals, &names())
                .starts_with("AUTHORIZATION_FAILED: the user the token belongs to may not change")
        );
        let scheduled = error(
            "ALREADY_SCHEDULED",
            "already scheduled",
            serde_json::json!({"job_id": "4"}),
        );
        assert_eq!(
            explain(&scheduled, Action::Assign, Module::Accounts, &names()),
            "ALREADY_SCHEDULED: a territory job for this record is still running; wait for it to finish (see `--wait`) and run again"
        );
        let twice = error(
            "ALREADY_USED",
            "duplicate territory id found",
            serde_json::json!({"api_name": "id", "json_path": "$.data[0].Territories[1].id"}),
        );
        assert_eq!(
            explain(&twice, Action::Assign, Module::Accounts, &names()),
            "ALREADY_USED: the territory `West` was named twice for this record"
        );
    }

    #[test]
    fn invalid_data_tells_a_bad_record_from_a_territory_not_assigned() {
        let record = error(
            "INVALID_DATA",
            "The record Id given seems to be invalid",
            serde_json::json!({"api_name": "id", "json_path": "$.data[0].id"}),
        );
        assert_eq!(
            explain(&record, Action::Remove, Module::Contacts, &names()),
            "INVALID_DATA: there is no Contacts record with this id"
        );
        let territory = error(
            "INVALID_DATA",
            "the id given seems to be invalid",
            serde_json::json!({"api_name": "id", "json_path": "$.data[0].Territories[0].id"}),
        );
        assert_eq!(
            explain(&territory, Action::Remove, Module::Contacts, &names()),
            "INVALID_DATA: the territory `East` is not assigned to this record (or no longer exists)"
        );
    }
}
