//! How each attribute of a territory reads in a plan: the one place the renderings look at
//! attributes. Each attribute is drawn in one of a few shapes (a line, quoted text, criteria,
//! users), and each rendering (the terminal text, the Markdown diff block) says how it draws a
//! shape; a new attribute picks its shape here and every rendering follows.

use crate::model::{Attribute, Criteria, Value};
use crate::plan::{Create, FieldChange, Manager, TerritoryRef};

/// One attribute of a territory to create, as it is drawn.
pub(super) enum Shown {
    /// One line: a parent, a manager (`(none)` when there is none), a permission.
    Line(String),
    /// Free text, drawn quoted (see [`quoted`]).
    Text(String),
    /// Criteria, one rule a line.
    Criteria(Criteria),
    /// Users, one a line.
    Users(Vec<Manager>),
}

/// One changed attribute of an existing territory, old and new, as it is drawn.
pub(super) enum Changed {
    /// The name: drawn quoted where a reader must see its spaces.
    Name { old: String, new: String },
    /// One line each side.
    Line { old: String, new: String },
    /// Free text, `None` being none: two texts are drawn as a word diff where a rendering can.
    Text {
        old: Option<String>,
        new: Option<String>,
    },
    /// Criteria, `None` being no rule: drawn as a line diff.
    Criteria {
        old: Option<Criteria>,
        new: Option<Criteria>,
    },
    /// The users added and removed, each list in the order it is shown.
    Users {
        added: Vec<Manager>,
        removed: Vec<Manager>,
    },
}

/// How an attribute is labelled: `parent`, `description`, `rules.accounts`, `users`.
pub(super) fn label(attribute: Attribute) -> String {
    match attribute {
        Attribute::Name => "name".to_owned(),
        Attribute::Parent => "parent".to_owned(),
        Attribute::Manager => "manager".to_owned(),
        Attribute::Permission => "permission".to_owned(),
        Attribute::Description => "description".to_owned(),
        Attribute::Rules(module) => format!("rules.{module}"),
        Attribute::Users => "users".to_owned(),
    }
}

/// The attributes a create sets, in [`Attribute::ALL`] order, each with its label: all but the
/// name (the entry's headline) and the attributes it leaves unset (no description, no rule,
/// users not managed).
pub(super) fn created(create: &Create) -> Vec<(String, Shown)> {
    create
        .values()
        .filter_map(|value| {
            let shown = match value.clone() {
                Value::Name(_) => return None,
                Value::Parent(parent) => Shown::Line(reference(&parent)),
                Value::Manager(manager) => Shown::Line(self::manager(manager.as_ref())),
                Value::Permission(permission) => Shown::Line(permission.as_str().to_owned()),
                Value::Description(text) => Shown::Text(text?),
                Value::Rules(_, criteria) => Shown::Criteria(criteria?),
                Value::Users(users) => Shown::Users(users?),
            };
            Some((label(value.attribute()), shown))
        })
        .collect()
}

/// One changed attribute with its label.
pub(super) fn changed(field: &FieldChange) -> (String, Changed) {
    let changed = match field.clone() {
        FieldChange::Name { old, new } => Changed::Name { old, new },
        FieldChange::Parent {
            old,
            new,
            by_transfer_of,
        } => {
            let how = if by_transfer_of.is_some() {
                format!(" (by transfer_and_delete of {})", old.name())
            } else {
                String::new()
            };
            Changed::Line {
                old: reference(&old),
                new: format!("{}{how}", reference(&new)),
            }
        }
        FieldChange::Manager { old, new } => Changed::Line {
            old: manager(old.as_ref()),
            new: manager(new.as_ref()),
        },
        FieldChange::Permission { old, new } => Changed::Line {
            old: old.to_string(),
            new: new.to_string(),
        },
        FieldChange::Description { old, new } => Changed::Text { old, new },
        FieldChange::Rules { old, new, .. } => Changed::Criteria { old, new },
        FieldChange::Users { .. } => {
            let (added, removed) = field.members().unwrap_or_default();
            Changed::Users {
                added: added.into_iter().cloned().collect(),
                removed: removed.into_iter().cloned().collect(),
            }
        }
    };
    (label(field.attribute()), changed)
}

/// A territory a change refers to, by name, said when it is created by the same apply.
pub(super) fn reference(reference: &TerritoryRef) -> String {
    match reference {
        TerritoryRef::Existing { name, .. } => name.clone(),
        TerritoryRef::AfterApply { name, .. } => format!("{name} (known after apply)"),
    }
}

/// A manager as it is shown, `(none)` when there is none.
pub(super) fn manager(manager: Option<&Manager>) -> String {
    manager.map_or_else(|| "(none)".to_owned(), Manager::label)
}

/// Free text in double quotes, `(none)` when there is none.
pub(super) fn quoted(text: Option<&str>) -> String {
    // The plan's strings are escaped already (`every_string`): only the quotes remain.
    text.map_or_else(
        || "(none)".to_owned(),
        |text| format!("\"{}\"", text.replace('"', "\\\"")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fields, Permission, RuleModule};

    fn create(description: Option<&str>) -> Create {
        Create {
            fields: Fields {
                description: description.map(str::to_owned),
                ..Fields::new(
                    "East",
                    TerritoryRef::AfterApply {
                        change: "create:Sales".to_owned(),
                        name: "Sales".to_owned(),
                    },
                    Permission::ReadOnly,
                )
            },
        }
    }

    #[test]
    fn a_create_shows_its_set_attributes_in_list_order_without_its_name() {
        let labels = |create: &Create| -> Vec<String> {
            created(create)
                .into_iter()
                .map(|(label, _)| label)
                .collect()
        };
        assert_eq!(
            labels(&create(None)),
            ["parent", "manager", "permission"],
            "no description, no rule and unmanaged users are left out"
        );
        let mut full = create(Some("East \"coast\""));
        *full.rules.get_mut(RuleModule::Deals) = Some(Criteria::Group {
            operator: crate::model::GroupOperator::And,
            items: Vec::new(),
        });
        full.users = Some(Vec::new());
        assert_eq!(
            labels(&full),
            [
                "parent",
                "manager",
                "permission",
                "description",
                "rules.deals",
                "users"
            ]
        );
        let shown = created(&full);
        assert!(matches!(&shown[0].1, Shown::Line(line) if line == "Sales (known after apply)"));
        assert!(matches!(&shown[1].1, Shown::Line(line) if line == "(none)"));
        assert!(
            matches!(&shown[3].1, Shown::Text(text) if quoted(Some(text)) == r#""East \"coast\"""#)
        );
    }

    #[test]
    fn a_move_by_transfer_says_so_on_its_new_side() {
        let old = TerritoryRef::Existing {
            id: "1".to_owned(),
            name: "West".to_owned(),
        };
        let new = TerritoryRef::Existing {
            id: "2".to_owned(),
            name: "Sales".to_owned(),
        };
        let (label, shown) = changed(&FieldChange::Parent {
            old,
            new,
            by_transfer_of: Some("delete:1".to_owned()),
        });
        assert_eq!(label, "parent");
        assert!(matches!(
            shown,
            Changed::Line { old, new }
                if old == "West" && new == "Sales (by transfer_and_delete of West)"
        ));
    }
}
