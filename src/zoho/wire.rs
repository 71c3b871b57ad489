//! Serde types exactly as Zoho sends and accepts them (zoho-api.md sections 2, 3, 4, 5, 7).
//!
//! Our own types, shared with nothing: the simulator has its own, so that one misreading of the
//! API cannot hide on both sides. Ids are strings on the wire; a number is accepted too, as the
//! official SDK does. Conversion to the model is in `convert.rs`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// An id that Zoho sends as a string (or, leniently, as a number).
pub(crate) fn id_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected an id string, found {other}"
        ))),
    }
}

/// `{"id", "name"}` as Zoho embeds users and territories.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub(crate) struct IdName {
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) name: Option<String>,
}

/// `{"id"}` as requests reference things.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct IdRef {
    pub(crate) id: String,
}

/// Paging information of a list response; all four keys are required (OAS `InfoSchema`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub(crate) struct Info {
    pub(crate) per_page: u32,
    /// Items on this page (not the total).
    pub(crate) count: u32,
    pub(crate) page: u32,
    pub(crate) more_records: bool,
}

/// A territory as `GET /settings/territories` returns it.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Territory {
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) reporting_to: Option<IdName>,
    #[serde(default)]
    pub(crate) manager: Option<IdName>,
    pub(crate) permission_type: String,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) modified_time: Option<String>,
    #[serde(default)]
    pub(crate) account_rule_criteria: Option<CriteriaGet>,
    #[serde(default)]
    pub(crate) lead_rule_criteria: Option<CriteriaGet>,
    #[serde(default)]
    pub(crate) deal_rule_criteria: Option<CriteriaGet>,
}

/// `{"territories": [...], "info": {...}}`; `info` is absent for `ids=` and get-by-id.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct TerritoryList {
    pub(crate) territories: Vec<Territory>,
    #[serde(default)]
    pub(crate) info: Option<Info>,
}

/// A criteria as Zoho echoes it: a rule (`field`, `comparator`, `value`, maybe `type`) or a
/// group (`group_operator`, `group`), maybe with `$disrupted`. All keys are optional here;
/// conversion checks the shape.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub(crate) struct CriteriaGet {
    #[serde(default)]
    pub(crate) field: Option<FieldRefGet>,
    #[serde(default)]
    pub(crate) comparator: Option<String>,
    #[serde(default)]
    pub(crate) value: Option<Value>,
    #[serde(default, rename = "type")]
    pub(crate) kind: Option<String>,
    #[serde(default)]
    pub(crate) group_operator: Option<String>,
    #[serde(default)]
    pub(crate) group: Option<Vec<CriteriaGet>>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub(crate) struct FieldRefGet {
    pub(crate) api_name: String,
}

/// A criteria as requests carry it: fields by `api_name` only (Zoho fills the id in).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub(crate) enum CriteriaPut {
    Rule {
        field: FieldRefPut,
        comparator: String,
        value: Value,
    },
    Group {
        group_operator: String,
        group: Vec<CriteriaPut>,
    },
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct FieldRefPut {
    pub(crate) api_name: String,
}

/// One item of `POST /settings/territories/actions/transfer_and_delete`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct TransferItem {
    pub(crate) id: String,
    pub(crate) transfer_to_id: String,
    pub(crate) delete_previous_forecasts: bool,
}

/// `{"territories": [...]}` around create, update and transfer items.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TerritoriesBody<T> {
    pub(crate) territories: Vec<T>,
}

/// One per-item result (envelope B): success or error, always with these four keys.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub(crate) struct ActionResult {
    pub(crate) code: String,
    #[serde(default)]
    pub(crate) details: Map<String, Value>,
    #[serde(default)]
    pub(crate) message: String,
    pub(crate) status: String,
}

/// A top-level error (envelope A).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub(crate) struct TopLevelError {
    pub(crate) code: String,
    #[serde(default)]
    pub(crate) message: String,
    pub(crate) status: String,
}

/// A user of `GET /users`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct User {
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) email: Option<String>,
    #[serde(default)]
    pub(crate) full_name: Option<String>,
    #[serde(default)]
    pub(crate) first_name: Option<String>,
    #[serde(default)]
    pub(crate) last_name: Option<String>,
    #[serde(default)]
    pub(crate) status: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct UserList {
    pub(crate) users: Vec<User>,
    #[serde(default)]
    pub(crate) info: Option<Info>,
}

/// A field of `GET /settings/fields?module=`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Field {
    pub(crate) api_name: String,
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    pub(crate) data_type: String,
    #[serde(default)]
    pub(crate) pick_list_values: Vec<PicklistValue>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct PicklistValue {
    pub(crate) display_value: String,
    #[serde(default)]
    pub(crate) actual_value: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct FieldList {
    pub(crate) fields: Vec<Field>,
}

/// A record of `GET /{Module}?ids=` with its `Territories`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Record {
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    #[serde(rename = "Territories", default)]
    pub(crate) territories: Option<Vec<RecordTerritory>>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct RecordTerritory {
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    #[serde(rename = "Name", default)]
    pub(crate) name: Option<String>,
    #[serde(rename = "$assigned", default)]
    pub(crate) assigned: Option<String>,
    #[serde(rename = "$assigned_by", default)]
    pub(crate) assigned_by: Option<IdName>,
    #[serde(rename = "$assigned_time", default)]
    pub(crate) assigned_time: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct RecordList {
    pub(crate) data: Vec<Record>,
}

/// `{"data": [{"id", "Territories": [{"id"}]}]}` for assign and remove.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RecordTerritoriesBody {
    pub(crate) data: Vec<RecordTerritoriesItem>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct RecordTerritoriesItem {
    pub(crate) id: String,
    #[serde(rename = "Territories")]
    pub(crate) territories: Vec<IdRef>,
}

/// `GET /org`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct OrgList {
    pub(crate) org: Vec<Org>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Org {
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) company_name: Option<String>,
}

/// The token endpoint's answer: a token, or HTTP 200 with `{"error": "invalid_code"}`.
#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    #[serde(default)]
    pub(crate) access_token: Option<String>,
    /// Seconds, unless `expires_in_sec` is present, in which case this is milliseconds.
    #[serde(default)]
    pub(crate) expires_in: Option<u64>,
    #[serde(default)]
    pub(crate) expires_in_sec: Option<u64>,
    #[serde(default)]
    pub(crate) api_domain: Option<String>,
    #[serde(default)]
    pub(crate) error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn territory_parses_as_zoho_sends_it() {
        let body = r#"{"territories":[{"created_time":"2023-06-10T12:17:53+05:30",
          "manager":{"name":"J Smith","id":"431581000000278001"},
          "account_rule_criteria":{"comparator":"equal","field":{"api_name":"Billing_City","id":"431581000000000657"},"type":"value","value":"Chennai"},
          "description":null,"lead_rule_criteria":null,
          "reporting_to":{"name":"Zoho","id":"431581000000272796"},"deal_rule_criteria":null,
          "created_by":{"name":"Patricia Boyle","id":"431581000000258001"},
          "permission_type":"read_write_delete","modified_time":"2023-06-10T12:23:23+05:30",
          "name":"Chennai","modified_by":{"name":"Patricia Boyle","id":"431581000000258001"},
          "id":431581000000744113,"api_name":"Chennai"}],
          "info":{"per_page":200,"count":1,"page":1,"more_records":false}}"#;
        let list: TerritoryList = serde_json::from_str(body).unwrap();
        let territory = &list.territories[0];
        assert_eq!(territory.id, "431581000000744113");
        assert_eq!(
            territory.reporting_to.as_ref().unwrap().id,
            "431581000000272796"
        );
        assert_eq!(
            territory
                .account_rule_criteria
                .as_ref()
                .unwrap()
                .kind
                .as_deref(),
            Some("value")
        );
        assert!(territory.lead_rule_criteria.is_none());
        assert_eq!(list.info.unwrap().count, 1);
    }

    #[test]
    fn token_error_is_a_200_with_error() {
        let response: TokenResponse = serde_json::from_str(r#"{"error":"invalid_code"}"#).unwrap();
        assert_eq!(response.error.as_deref(), Some("invalid_code"));
        assert!(response.access_token.is_none());
    }
}

/// `get_feature_specific_info?features=territory_scheduled_jobs`. Zoho documents only the keys
/// `job_id` and `source`; the envelope follows the record APIs (`data` items by record id).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct FeatureInfoList {
    pub(crate) data: Vec<FeatureInfoRecord>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct FeatureInfoRecord {
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) territory_scheduled_jobs: Vec<ScheduledJob>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct ScheduledJob {
    #[serde(deserialize_with = "id_string")]
    pub(crate) job_id: String,
    #[serde(default)]
    pub(crate) source: Option<String>,
    #[serde(default)]
    pub(crate) status: Option<String>,
}
