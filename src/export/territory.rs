//! One territory as a `territories:` list item.

use crate::model::{Criteria, Live, LiveTerritory, Permission, RuleModule};

use super::block::write_string;
use super::criteria::{has_empty_group, numbers_as_numbers, write_criteria};
use super::lines::Lines;
use super::quote::{Context, yaml_string};
use super::users::{Member, write_users};
use super::warning::Warning;

/// Indentation of a territory's keys (its `- ` sits two columns to the left).
const KEY_INDENT: usize = 4;

/// Writes `territory` as a list item: name, parent, manager, permission (unless it is the
/// default), description, rules. What cannot be expressed is written as a comment and pushed
/// onto `warnings`.
pub(crate) fn write_territory(
    lines: &mut Lines,
    live: &Live,
    territory: &LiveTerritory,
    parent: &str,
    default_permission: Option<Permission>,
    warnings: &mut Vec<Warning>,
) {
    let indent = KEY_INDENT;
    lines.line(
        indent - 2,
        &format!("- name: {}", yaml_string(&territory.name, Context::Block)),
    );
    lines.line(
        indent,
        &format!("parent: {}", yaml_string(parent, Context::Block)),
    );
    if let Some(manager) = &territory.manager {
        match live.user_by_id(&manager.id) {
            Some(user) => lines.line(
                indent,
                &format!("manager: {}", yaml_string(&user.email, Context::Block)),
            ),
            None => {
                let name = manager.name.as_deref().unwrap_or("(no name)");
                lines.comment(
                    indent,
                    &format!("manager: {name} (id {}) is not an active user", manager.id),
                );
                warnings.push(Warning::InactiveManager {
                    territory: territory.name.clone(),
                    manager_id: manager.id.clone(),
                    manager_name: manager.name.clone(),
                });
            }
        }
    }
    if default_permission != Some(territory.permission) {
        lines.line(
            indent,
            &format!("permission: {}", territory.permission.as_str()),
        );
    }
    // Zoho holds no description and an empty one alike; the shortest form is no key.
    if let Some(description) = territory
        .description
        .as_ref()
        .filter(|text| !text.is_empty())
    {
        write_string(lines, indent, "description", description);
    }
    if let Some(users) = &territory.users {
        let members: Vec<Member> = users
            .iter()
            .map(|user| match live.user_by_id(&user.id) {
                Some(active) => Member::Active(active.email.clone()),
                None => Member::NotActive {
                    id: user.id.clone(),
                    email: user.name.clone().filter(|name| name.contains('@')),
                },
            })
            .collect();
        write_users(lines, indent, &territory.name, &members, warnings);
    }
    write_rules(lines, live, territory, indent, warnings);
}

/// Writes `rules:` with each module's criteria; a criteria the YAML cannot express is written
/// whole as a comment, so that deleting the `# ` gives it back.
fn write_rules(
    lines: &mut Lines,
    live: &Live,
    territory: &LiveTerritory,
    indent: usize,
    warnings: &mut Vec<Warning>,
) {
    let mut written = Vec::new();
    for (module, criteria) in territory.rules.iter() {
        let problem = problem(live, territory, module, criteria);
        let fields = live.fields.get(&module);
        let is_numeric = |api_name: &str| {
            fields.is_some_and(|fields| {
                fields.iter().any(|field| {
                    field.api_name.eq_ignore_ascii_case(api_name) && field.data_type.is_numeric()
                })
            })
        };
        let criteria = numbers_as_numbers(criteria, &is_numeric);
        written.push((module, criteria, problem));
    }
    if written.is_empty() {
        return;
    }
    if written.iter().any(|(_, _, problem)| problem.is_none()) {
        lines.line(indent, "rules:");
    } else {
        lines.comment(indent, "rules:");
    }
    for (module, criteria, problem) in written {
        match problem {
            None => write_criteria(lines, indent + 2, module.yaml_key(), &criteria),
            Some(warning) => {
                let mut commented = Lines::default();
                write_criteria(&mut commented, indent + 2, module.yaml_key(), &criteria);
                lines.comment(indent + 2, &comment_reason(&warning));
                lines.commented(indent + 2, &commented);
                warnings.push(warning);
            }
        }
    }
}

/// Why a criteria cannot be written as YAML, if it cannot.
fn problem(
    live: &Live,
    territory: &LiveTerritory,
    module: RuleModule,
    criteria: &Criteria,
) -> Option<Warning> {
    if has_empty_group(criteria) {
        return Some(Warning::EmptyGroup {
            territory: territory.name.clone(),
            module,
        });
    }
    // Without metadata for the module nothing can be said about its fields: keep the rule.
    // An empty list is no metadata either (a real module always has fields).
    let fields = live
        .fields
        .get(&module)
        .filter(|fields| !fields.is_empty())?;
    criteria
        .rules()
        .into_iter()
        .find(|rule| {
            !fields
                .iter()
                .any(|field| field.api_name.eq_ignore_ascii_case(&rule.field))
        })
        .map(|rule| Warning::DeletedField {
            territory: territory.name.clone(),
            module,
            field: rule.field.clone(),
        })
}

fn comment_reason(warning: &Warning) -> String {
    match warning {
        Warning::DeletedField { module, field, .. } => format!(
            "{module}: field {field} no longer exists in {}; the criteria is kept as a comment:",
            module.module()
        ),
        Warning::EmptyGroup { module, .. } => format!(
            "{module}: the criteria has an empty group, which cannot be written; kept as a comment:"
        ),
        other => other.to_string(),
    }
}
