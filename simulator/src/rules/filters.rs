//! The `filters` query parameter of the territory list: Zoho's criteria grammar over a few keys.

use serde_json::{Value, json};

use crate::state::Territory;
use crate::wire::Outcome;

#[derive(Debug)]
pub(crate) enum Filter {
    Rule {
        key: Key,
        comparator: String,
        values: Vec<String>,
    },
    Group {
        all: bool,
        items: Vec<Filter>,
    },
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Key {
    Name,
    Id,
    ReportingTo,
    Manager,
    PermissionType,
}

fn error(message: &str) -> Outcome {
    Outcome::error("INVALID_DATA", json!({"param_name": "filters"}), message)
}

impl Filter {
    pub(crate) fn parse(raw: &str) -> Result<Filter, Outcome> {
        let value: Value = serde_json::from_str(raw).map_err(|_| error("invalid data"))?;
        Filter::from_value(&value)
    }

    fn from_value(value: &Value) -> Result<Filter, Outcome> {
        if let Some(group) = value.get("group") {
            let operator = value
                .get("group_operator")
                .and_then(Value::as_str)
                .unwrap_or("");
            let all = match operator.to_ascii_uppercase().as_str() {
                "AND" => true,
                "OR" => false,
                _ => return Err(error("invalid data")),
            };
            let items = group
                .as_array()
                .ok_or_else(|| error("invalid data"))?
                .iter()
                .map(Filter::from_value)
                .collect::<Result<_, _>>()?;
            return Ok(Filter::Group { all, items });
        }
        let api_name = value
            .get("field")
            .and_then(|field| field.get("api_name"))
            .and_then(Value::as_str)
            .ok_or_else(|| error("Specify Atleast one field"))?;
        let (key, comparators): (Key, &[&str]) = match api_name {
            "name" => (
                Key::Name,
                &[
                    "equal",
                    "not_equal",
                    "starts_with",
                    "ends_with",
                    "contains",
                    "not_contains",
                ],
            ),
            "id" => (Key::Id, &["equal", "not_equal"]),
            "reporting_to.id" => (Key::ReportingTo, &["equal", "not_equal"]),
            "manager.id" => (Key::Manager, &["equal", "not_equal"]),
            "permission_type" => (Key::PermissionType, &["equal", "not_equal"]),
            other => {
                return Err(error(&format!(
                    "The given api_name({other}) is not supported"
                )));
            }
        };
        let comparator = value
            .get("comparator")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !comparators.contains(&comparator) {
            return Err(error("invalid data"));
        }
        let values = match value.get("value") {
            Some(Value::String(text)) => vec![text.clone()],
            Some(Value::Number(number)) => vec![number.to_string()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(text) => Ok(text.clone()),
                    Value::Number(number) => Ok(number.to_string()),
                    _ => Err(error("invalid data")),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(error("invalid data")),
        };
        Ok(Filter::Rule {
            key,
            comparator: comparator.to_owned(),
            values,
        })
    }

    pub(crate) fn matches(&self, territory: &Territory) -> bool {
        match self {
            Filter::Group { all: true, items } => items.iter().all(|f| f.matches(territory)),
            Filter::Group { all: false, items } => items.iter().any(|f| f.matches(territory)),
            Filter::Rule {
                key,
                comparator,
                values,
            } => {
                let actual = match key {
                    Key::Name => territory.name.to_lowercase(),
                    Key::Id => territory.id.clone(),
                    Key::ReportingTo => territory.reporting_to.clone().unwrap_or_default(),
                    Key::Manager => territory.manager.clone().unwrap_or_default(),
                    Key::PermissionType => territory.permission_type.clone(),
                };
                let test = |expected: &String| {
                    let expected = expected.to_lowercase();
                    match comparator.as_str() {
                        "equal" | "not_equal" => actual == expected,
                        "starts_with" => actual.starts_with(&expected),
                        "ends_with" => actual.ends_with(&expected),
                        _ => actual.contains(&expected),
                    }
                };
                let any = values.iter().any(test);
                if comparator.starts_with("not_") {
                    !any
                } else {
                    any
                }
            }
        }
    }
}
