//! Criteria as reviewers read them: one rule a line, groups as indented `all of:` / `any of:`.

use crate::model::{Criteria, GroupOperator};

/// The readable lines of `criteria`, without a trailing newline, indented two spaces a level.
#[must_use]
pub fn lines(criteria: &Criteria) -> Vec<String> {
    let mut out = Vec::new();
    push(criteria, 0, &mut out);
    out
}

/// `criteria` on one line, groups in parentheses: for short mentions (Markdown call-outs).
#[must_use]
pub fn inline(criteria: &Criteria) -> String {
    match criteria {
        Criteria::Rule(rule) => format!(
            "{} {} {}",
            rule.field,
            rule.comparator.as_str().replace('_', " "),
            rule.value
        ),
        Criteria::Group { operator, items } => {
            let joiner = match operator {
                GroupOperator::And => " and ",
                GroupOperator::Or => " or ",
            };
            let parts: Vec<String> = items.iter().map(inline).collect();
            format!("({})", parts.join(joiner))
        }
    }
}

fn push(criteria: &Criteria, level: usize, out: &mut Vec<String>) {
    let indent = "  ".repeat(level);
    match criteria {
        Criteria::Rule(_) => out.push(format!("{indent}{}", inline(criteria))),
        Criteria::Group { operator, items } => {
            let label = match operator {
                GroupOperator::And => "all of:",
                GroupOperator::Or => "any of:",
            };
            out.push(format!("{indent}{label}"));
            for item in items {
                push(item, level + 1, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Comparator, Rule, RuleValue, Scalar};

    #[test]
    fn nested_groups_indent() {
        let rule = |field: &str, comparator, value| {
            Criteria::Rule(Rule {
                field: field.into(),
                comparator,
                value,
            })
        };
        let criteria = Criteria::Group {
            operator: GroupOperator::And,
            items: vec![
                rule(
                    "Billing_Country",
                    Comparator::In,
                    RuleValue::Many(vec![Scalar::Text("US".into()), Scalar::Text("CA".into())]),
                ),
                Criteria::Group {
                    operator: GroupOperator::Or,
                    items: vec![
                        rule(
                            "Annual_Revenue",
                            Comparator::GreaterEqual,
                            RuleValue::One(Scalar::Number("1000000".into())),
                        ),
                        rule(
                            "Owner",
                            Comparator::Equal,
                            RuleValue::One(Scalar::Lookup {
                                id: "42".into(),
                                name: Some("Patricia Boyle".into()),
                            }),
                        ),
                    ],
                },
            ],
        };
        assert_eq!(
            lines(&criteria).join("\n"),
            "all of:\n  Billing_Country in [\"US\", \"CA\"]\n  any of:\n    Annual_Revenue greater equal 1000000\n    Owner equal Patricia Boyle (42)"
        );
        assert_eq!(
            inline(&criteria),
            "(Billing_Country in [\"US\", \"CA\"] and (Annual_Revenue greater equal 1000000 or Owner equal Patricia Boyle (42)))"
        );
    }
}
