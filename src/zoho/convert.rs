//! Wire types to model types and back: the one place that knows both.

use serde_json::{Number, Value};

use super::wire;
use crate::model::{
    AssignedHow, Comparator, Criteria, DataType, FieldMeta, GroupOperator, LiveRecord,
    LiveTerritory, OrgInfo, Permission, PicklistValue, RecordTerritory, Rule, RuleModule,
    RuleValue, Rules, Scalar, User, UserRef,
};

/// Why a response could not be turned into the model.
pub(crate) type Problem = String;

pub(crate) fn territory(wire: wire::Territory) -> Result<LiveTerritory, Problem> {
    let permission = permission(&wire.permission_type).ok_or_else(|| {
        format!(
            "territory `{}` has permission_type `{}`",
            wire.name, wire.permission_type
        )
    })?;
    let mut rules = Rules::default();
    for (module, criteria) in [
        (RuleModule::Accounts, wire.account_rule_criteria),
        (RuleModule::Leads, wire.lead_rule_criteria),
        (RuleModule::Deals, wire.deal_rule_criteria),
    ] {
        if let Some(criteria) = criteria {
            *rules.get_mut(module) = Some(criteria_from_wire(&criteria).map_err(|problem| {
                format!(
                    "territory `{}`, {}: {problem}",
                    wire.name,
                    module.wire_key()
                )
            })?);
        }
    }
    Ok(LiveTerritory {
        id: wire.id,
        fields: crate::model::Fields {
            name: wire.name,
            parent: wire.reporting_to.map(|parent| parent.id),
            manager: wire.manager.map(|manager| UserRef {
                id: manager.id,
                name: manager.name,
            }),
            permission,
            // Zoho treats "" and null alike; so does the model.
            description: wire.description.filter(|text| !text.is_empty()),
            rules,
            users: None,
        },
        modified_time: wire.modified_time,
    })
}

fn permission(text: &str) -> Option<Permission> {
    [Permission::ReadOnly, Permission::ReadWriteDelete]
        .into_iter()
        .find(|permission| permission.as_str() == text)
}

/// Converts an echoed criteria: the operator's case is normalised, `type: "value"` dropped,
/// lookups become [`Scalar::Lookup`], numbers stay as Zoho sent them (number or text).
pub(crate) fn criteria_from_wire(wire: &wire::CriteriaGet) -> Result<Criteria, Problem> {
    if let Some(group) = &wire.group {
        let operator = match wire.group_operator.as_deref() {
            Some(op) if op.eq_ignore_ascii_case("and") => GroupOperator::And,
            Some(op) if op.eq_ignore_ascii_case("or") => GroupOperator::Or,
            other => return Err(format!("unknown group_operator {other:?}")),
        };
        let items = group
            .iter()
            .map(criteria_from_wire)
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Criteria::Group { operator, items });
    }
    let field = wire
        .field
        .as_ref()
        .ok_or("a criteria has neither `group` nor `field`")?;
    let comparator_text = wire
        .comparator
        .as_deref()
        .ok_or("a rule has no comparator")?;
    let comparator = Comparator::parse(comparator_text)
        .ok_or_else(|| format!("unknown comparator `{comparator_text}`"))?;
    if let Some(kind) = wire.kind.as_deref().filter(|kind| *kind != "value") {
        return Err(format!(
            "rules on `{}` compare against a {kind}, which territoryctl does not support",
            field.api_name
        ));
    }
    let value = match wire.value.as_ref().ok_or("a rule has no value")? {
        Value::Array(items) => RuleValue::Many(
            items
                .iter()
                .map(scalar_from_wire)
                .collect::<Result<_, _>>()?,
        ),
        one => RuleValue::One(scalar_from_wire(one)?),
    };
    Ok(Criteria::Rule(Rule {
        field: field.api_name.clone(),
        comparator,
        value,
    }))
}

fn scalar_from_wire(value: &Value) -> Result<Scalar, Problem> {
    match value {
        Value::String(text) => Ok(Scalar::Text(text.clone())),
        Value::Number(number) => Ok(Scalar::Number(number.to_string())),
        Value::Bool(flag) => Ok(Scalar::Bool(*flag)),
        Value::Object(object) => {
            let id = match object.get("id") {
                Some(Value::String(id)) => id.clone(),
                Some(Value::Number(id)) => id.to_string(),
                _ => return Err(format!("a lookup value without an id: {value}")),
            };
            let name = object
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned);
            Ok(Scalar::Lookup { id, name })
        }
        Value::Null | Value::Array(_) => Err(format!("unexpected rule value {value}")),
    }
}

/// A model criteria as requests carry it. Numbers go as JSON numbers when they are valid ones.
pub(crate) fn criteria_to_wire(criteria: &Criteria) -> wire::CriteriaPut {
    match criteria {
        Criteria::Rule(rule) => wire::CriteriaPut::Rule {
            field: wire::FieldRefPut {
                api_name: rule.field.clone(),
            },
            comparator: rule.comparator.as_str().to_owned(),
            value: match &rule.value {
                RuleValue::One(scalar) => scalar_to_wire(scalar),
                RuleValue::Many(scalars) => {
                    Value::Array(scalars.iter().map(scalar_to_wire).collect())
                }
            },
        },
        Criteria::Group { operator, items } => wire::CriteriaPut::Group {
            group_operator: operator.wire().to_owned(),
            group: items.iter().map(criteria_to_wire).collect(),
        },
    }
}

fn scalar_to_wire(scalar: &Scalar) -> Value {
    match scalar {
        Scalar::Text(text) => Value::String(text.clone()),
        Scalar::Number(text) => serde_json::from_str::<Number>(text)
            .map_or_else(|_| Value::String(text.clone()), Value::Number),
        Scalar::Bool(flag) => Value::Bool(*flag),
        Scalar::Lookup { id, .. } => serde_json::json!({ "id": id }),
    }
}

/// An active user with an email; anyone else cannot manage a territory.
pub(crate) fn user(wire: wire::User) -> Option<User> {
    if wire
        .status
        .as_deref()
        .is_some_and(|status| status != "active")
    {
        return None;
    }
    let email = wire.email.filter(|email| !email.is_empty())?;
    let full_name = wire.full_name.unwrap_or_else(|| {
        [wire.first_name, wire.last_name]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    Some(User {
        id: wire.id,
        email,
        full_name,
    })
}

pub(crate) fn field(wire: wire::Field) -> FieldMeta {
    FieldMeta {
        api_name: wire.api_name,
        id: wire.id,
        data_type: DataType::parse(&wire.data_type),
        picklist: wire
            .pick_list_values
            .into_iter()
            .map(|value| PicklistValue {
                actual_value: value
                    .actual_value
                    .unwrap_or_else(|| value.display_value.clone()),
                display_value: value.display_value,
            })
            .collect(),
    }
}

pub(crate) fn record(wire: wire::Record) -> LiveRecord {
    LiveRecord {
        id: wire.id,
        territories: wire
            .territories
            .unwrap_or_default()
            .into_iter()
            .map(|territory| RecordTerritory {
                name: territory.name.unwrap_or_default(),
                how: if territory.assigned.as_deref() == Some("automatically") {
                    AssignedHow::Automatically
                } else {
                    AssignedHow::Manually
                },
                assigned_by: territory.assigned_by.map(|user| UserRef {
                    id: user.id,
                    name: user.name,
                }),
                assigned_time: territory.assigned_time,
                id: territory.id,
            })
            .collect(),
    }
}

pub(crate) fn org(wire: wire::Org) -> OrgInfo {
    OrgInfo {
        id: wire.id,
        name: wire.company_name.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Criteria {
        criteria_from_wire(&serde_json::from_str(json).unwrap()).unwrap()
    }

    #[test]
    fn echoed_criteria_normalise() {
        let criteria = parse(
            r#"{"group_operator":"and","$disrupted":false,"group":[
                {"comparator":"EQUAL","field":{"api_name":"Billing_Country","id":"9"},"type":"value","value":"Germany"},
                {"comparator":"between","field":{"api_name":"Annual_Revenue"},"value":["1000",5000]},
                {"comparator":"equal","field":{"api_name":"Owner"},"value":{"id":"48","name":"Patricia Boyle"}}]}"#,
        );
        let Criteria::Group { operator, items } = criteria else {
            panic!("expected a group")
        };
        assert_eq!(operator, GroupOperator::And);
        assert_eq!(
            items[0],
            Criteria::Rule(Rule {
                field: "Billing_Country".into(),
                comparator: Comparator::Equal,
                value: RuleValue::One(Scalar::Text("Germany".into())),
            })
        );
        let Criteria::Rule(between) = &items[1] else {
            panic!()
        };
        assert_eq!(
            between.value,
            RuleValue::Many(vec![
                Scalar::Text("1000".into()),
                Scalar::Number("5000".into())
            ])
        );
        let Criteria::Rule(owner) = &items[2] else {
            panic!()
        };
        assert_eq!(
            owner.value,
            RuleValue::One(Scalar::Lookup {
                id: "48".into(),
                name: Some("Patricia Boyle".into())
            })
        );
    }

    #[test]
    fn criteria_round_trip_through_the_request_shape() {
        let criteria = parse(
            r#"{"group_operator":"OR","group":[
                {"comparator":"in","field":{"api_name":"Industry"},"value":["Banking","Retail"]},
                {"comparator":"greater_than","field":{"api_name":"Annual_Revenue"},"value":1000000}]}"#,
        );
        let json = serde_json::to_string(&criteria_to_wire(&criteria)).unwrap();
        assert_eq!(
            json,
            r#"{"group_operator":"OR","group":[{"field":{"api_name":"Industry"},"comparator":"in","value":["Banking","Retail"]},{"field":{"api_name":"Annual_Revenue"},"comparator":"greater_than","value":1000000}]}"#
        );
        assert_eq!(parse(&json), criteria);
    }

    #[test]
    fn field_comparisons_are_refused() {
        let wire = serde_json::from_str(
            r#"{"comparator":"equal","field":{"api_name":"A"},"type":"field","value":"B"}"#,
        )
        .unwrap();
        assert!(
            criteria_from_wire(&wire)
                .unwrap_err()
                .contains("does not support")
        );
    }

    #[test]
    fn empty_description_is_none() {
        let wire: wire::Territory = serde_json::from_str(
            r#"{"id":"1","name":"T","reporting_to":{"id":"0","name":"Org"},"manager":null,"permission_type":"read_only","description":""}"#,
        )
        .unwrap();
        let live = territory(wire).unwrap();
        assert_eq!(live.description, None);
        assert_eq!(live.parent.as_deref(), Some("0"));
        assert_eq!(live.permission, Permission::ReadOnly);
    }
}
