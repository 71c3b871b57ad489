//! Online checks: the desired state against the live org's users and field metadata, with
//! diagnostics that point back into the YAML (the model's [`Origin`]s; the files are read
//! again for the snippet).
//!
//! Checked: a manager email that is no active user; a criteria field that does not exist in the
//! module; a comparator the field's data type does not take; a value of the wrong type; a
//! picklist value the field does not have.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::model::{
    Comparator, Desired, FieldMeta, Live, Origin, Rule, RuleModule, RuleValue, Scalar,
};

/// Every online problem found.
#[derive(Debug, Diagnostic, Error)]
#[error("the desired state does not fit the org ({} problem{})", .problems.len(), if .problems.len() == 1 { "" } else { "s" })]
#[diagnostic(code("resolve::report"))]
pub struct ResolveReport {
    #[related]
    pub problems: Vec<ResolveProblem>,
}

/// One problem, placed in the YAML when its origin is known.
#[derive(Debug, Error)]
#[error("{kind}")]
pub struct ResolveProblem {
    pub kind: ProblemKind,
    source_code: Option<NamedSource<Arc<str>>>,
    span: Option<SourceSpan>,
    help: Option<String>,
}

// By hand rather than derived: the code depends on the kind.
impl Diagnostic for ResolveProblem {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source_code
            .as_ref()
            .map(|source| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.kind.label()), span),
        )))
    }
}

/// What is wrong, with the data to say so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    UnknownManager {
        territory: String,
        email: String,
    },
    UnknownField {
        module: RuleModule,
        field: String,
    },
    UnsupportedComparator {
        module: RuleModule,
        field: String,
        data_type: String,
        comparator: Comparator,
    },
    WrongValueType {
        module: RuleModule,
        field: String,
        data_type: String,
        value: String,
    },
    UnknownPicklistValue {
        module: RuleModule,
        field: String,
        value: String,
    },
    /// A listed user who is not an active user (`super::resolve_users`).
    User(super::resolve_users::UserProblem),
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownManager { territory, email } => write!(
                f,
                "the manager of `{territory}`, `{email}`, is not an active user of the org"
            ),
            Self::UnknownField { module, field } => {
                write!(f, "{} has no field `{field}`", module.module())
            }
            Self::UnsupportedComparator {
                module,
                field,
                data_type,
                comparator,
            } => write!(
                f,
                "`{comparator}` does not apply to {}.{field}, a {data_type} field",
                module.module()
            ),
            Self::WrongValueType {
                module,
                field,
                data_type,
                value,
            } => write!(
                f,
                "{value} is not a valid value for {}.{field}, a {data_type} field",
                module.module()
            ),
            Self::UnknownPicklistValue {
                module,
                field,
                value,
            } => write!(
                f,
                "{value:?} is not one of the picklist values of {}.{field}",
                module.module()
            ),
            Self::User(problem) => problem.fmt(f),
        }
    }
}

impl ProblemKind {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownManager { .. } => "resolve::unknown-manager",
            Self::UnknownField { .. } => "resolve::unknown-field",
            Self::UnsupportedComparator { .. } => "resolve::unsupported-comparator",
            Self::WrongValueType { .. } => "resolve::wrong-value-type",
            Self::UnknownPicklistValue { .. } => "resolve::unknown-picklist-value",
            Self::User(problem) => problem.code(),
        }
    }

    fn label(&self) -> String {
        match self {
            Self::UnknownManager { .. } => "no active user has this email".to_owned(),
            Self::UnknownField { .. } => "unknown field".to_owned(),
            Self::UnsupportedComparator { data_type, .. } => format!("not for {data_type} fields"),
            Self::WrongValueType { data_type, .. } => format!("not a {data_type} value"),
            Self::UnknownPicklistValue { .. } => "not a picklist value".to_owned(),
            Self::User(problem) => problem.label(),
        }
    }
}

/// Checks `desired` against `live`. Modules whose field metadata `live` lacks are not checked.
///
/// # Errors
/// Every problem found, at once.
pub fn check(desired: &Desired, live: &Live) -> Result<(), ResolveReport> {
    check_with(desired, live, &[])
}

/// [`check`], and each listed user an active user, `not_active` telling an inactive or deleted
/// one from an unknown email.
///
/// # Errors
/// Every problem found, at once.
pub fn check_with(
    desired: &Desired,
    live: &Live,
    not_active: &[super::InactiveUser],
) -> Result<(), ResolveReport> {
    let mut sources = Sources::default();
    let mut problems = Vec::new();
    for (problem, origin, help) in super::resolve_users::problems(desired, live, not_active) {
        problems.push(sources.problem(ProblemKind::User(problem), origin, Some(help)));
    }
    let starts = TerritoryStarts::new(desired);
    for territory in &desired.territories {
        if let Some(email) = &territory.manager {
            if live.user_by_email(email).is_none() {
                let emails = live.users.iter().map(|user| user.email.as_str());
                let help = closest(email, emails).map_or_else(
                    || "managers must be active users; check the email in Zoho CRM under Setup > Users".to_owned(),
                    |close| format!("did you mean `{close}`?"),
                );
                problems.push(
                    sources.problem(
                        ProblemKind::UnknownManager {
                            territory: territory.name.clone(),
                            email: email.clone(),
                        },
                        territory
                            .manager_origin
                            .as_ref()
                            .or(territory.origin.as_ref()),
                        Some(help),
                    ),
                );
            }
        }
        let end = starts.end_of(territory.origin.as_ref());
        for (module, criteria) in territory.rules.iter() {
            let Some(fields) = live.fields.get(&module).filter(|fields| !fields.is_empty()) else {
                continue;
            };
            let origin = territory
                .rules_origin
                .get(&module)
                .or(territory.origin.as_ref());
            // Rules are checked in written order, so each is looked for after the last one.
            let mut cursor = origin.map_or(0, |origin| origin.offset);
            for rule in criteria.rules() {
                let field_at =
                    origin.and_then(|origin| sources.find(&origin.file, &rule.field, cursor, end));
                if let Some((offset, len)) = field_at {
                    cursor = offset + len;
                }
                if let Some((kind, help)) = check_rule(module, rule, fields) {
                    let needle = match &kind {
                        ProblemKind::UnsupportedComparator { comparator, .. } => {
                            Some(comparator.as_str().to_owned())
                        }
                        ProblemKind::WrongValueType { value, .. }
                        | ProblemKind::UnknownPicklistValue { value, .. } => {
                            Some(value.trim_matches('"').to_owned())
                        }
                        _ => None,
                    };
                    let place = match (origin, field_at) {
                        (Some(origin), Some(field_at)) => {
                            let at = needle
                                .and_then(|needle| {
                                    sources.find(&origin.file, &needle, field_at.0, end)
                                })
                                .unwrap_or(field_at);
                            Some(Origin {
                                file: origin.file.clone(),
                                offset: at.0,
                                len: at.1,
                            })
                        }
                        (origin, _) => origin.cloned(),
                    };
                    problems.push(sources.problem(kind, place.as_ref(), help));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ResolveReport { problems })
    }
}

fn check_rule(
    module: RuleModule,
    rule: &Rule,
    fields: &[FieldMeta],
) -> Option<(ProblemKind, Option<String>)> {
    let Some(field) = fields.iter().find(|field| field.api_name == rule.field) else {
        let help = closest(
            &rule.field,
            fields.iter().map(|field| field.api_name.as_str()),
        )
        .map(|close| format!("did you mean `{close}`? Fields are named by their API name"));
        return Some((
            ProblemKind::UnknownField {
                module,
                field: rule.field.clone(),
            },
            help.or_else(|| {
                Some(
                    "fields are named by their API name (Setup > Developer Hub > APIs > API names)"
                        .into(),
                )
            }),
        ));
    };
    let data_type = field.data_type.as_str();
    if let Some(supported) = comparators_for(data_type) {
        if !supported.contains(&rule.comparator) {
            let names: Vec<&str> = supported
                .iter()
                .map(|comparator| comparator.as_str())
                .collect();
            return Some((
                ProblemKind::UnsupportedComparator {
                    module,
                    field: field.api_name.clone(),
                    data_type: data_type.to_owned(),
                    comparator: rule.comparator,
                },
                Some(format!("{data_type} fields take: {}", names.join(", "))),
            ));
        }
    }
    let values: Vec<&Scalar> = match &rule.value {
        RuleValue::One(scalar) => vec![scalar],
        RuleValue::Many(scalars) => scalars.iter().collect(),
    };
    for value in values {
        if is_placeholder(value) {
            continue;
        }
        if let Some(expected) = wrong_type(data_type, value) {
            return Some((
                ProblemKind::WrongValueType {
                    module,
                    field: field.api_name.clone(),
                    data_type: data_type.to_owned(),
                    value: value.to_string(),
                },
                Some(format!("{data_type} fields take {expected}")),
            ));
        }
        if matches!(data_type, "picklist" | "multiselectpicklist") && !field.picklist.is_empty() {
            if let Scalar::Text(text) = value {
                let known = field
                    .picklist
                    .iter()
                    .any(|option| &option.actual_value == text || &option.display_value == text);
                if !known {
                    let options = field
                        .picklist
                        .iter()
                        .map(|option| option.actual_value.as_str());
                    let help = closest(text, options.clone()).map_or_else(
                        || format!("the values are: {}", options.collect::<Vec<_>>().join(", ")),
                        |close| format!("did you mean `{close}`?"),
                    );
                    return Some((
                        ProblemKind::UnknownPicklistValue {
                            module,
                            field: field.api_name.clone(),
                            value: text.clone(),
                        },
                        Some(help),
                    ));
                }
            }
        }
    }
    None
}

/// `${EMPTY}`, `${TODAY}`, ...: Zoho's predefined values fit any field.
fn is_placeholder(value: &Scalar) -> bool {
    matches!(value, Scalar::Text(text) if text.starts_with("${"))
}

/// The comparators a data type takes (zoho-api.md section 3); `None` for types this table does
/// not know, which are left to Zoho.
fn comparators_for(data_type: &str) -> Option<&'static [Comparator]> {
    use Comparator::*;
    const TEXT: &[Comparator] = &[
        Equal,
        NotEqual,
        Like,
        NotLike,
        StartsWith,
        EndsWith,
        Contains,
        NotContains,
        In,
        NotIn,
    ];
    const NUMBER: &[Comparator] = &[
        Equal,
        NotEqual,
        LessThan,
        LessEqual,
        GreaterThan,
        GreaterEqual,
        Between,
        NotBetween,
        In,
        NotIn,
    ];
    const DATE: &[Comparator] = &[
        Equal,
        NotEqual,
        LessThan,
        LessEqual,
        GreaterThan,
        GreaterEqual,
        Between,
        NotBetween,
    ];
    const BOOLEAN: &[Comparator] = &[Equal, NotEqual];
    const LOOKUP: &[Comparator] = &[Equal, NotEqual, In, NotIn];
    const MULTI_LOOKUP: &[Comparator] = &[
        Equal, NotEqual, IncludeAll, IncludeAny, ExcludeAll, ExcludeAny,
    ];
    Some(match data_type {
        "text"
        | "textarea"
        | "email"
        | "phone"
        | "website"
        | "autonumber"
        | "picklist"
        | "multiselectpicklist" => TEXT,
        "integer" | "bigint" | "long" | "double" | "currency" | "decimal" | "percent" => NUMBER,
        "date" | "datetime" => DATE,
        "boolean" => BOOLEAN,
        "lookup" | "ownerlookup" | "userlookup" => LOOKUP,
        "multiselectlookup" | "multiuserlookup" => MULTI_LOOKUP,
        _ => return None,
    })
}

/// What the value should have been, when it is of the wrong type for the data type.
fn wrong_type(data_type: &str, value: &Scalar) -> Option<&'static str> {
    let ok = match data_type {
        "integer" | "bigint" | "long" | "double" | "currency" | "decimal" | "percent" => {
            match value {
                Scalar::Number(_) => true,
                Scalar::Text(text) => text.trim().parse::<f64>().is_ok(),
                _ => false,
            }
        }
        "boolean" => matches!(value, Scalar::Bool(_)),
        "date" => matches!(value, Scalar::Text(text) if is_date(text)),
        "datetime" => {
            matches!(value, Scalar::Text(text) if text.len() >= 19 && is_date(&text[..10]))
        }
        "lookup" | "ownerlookup" | "userlookup" | "multiselectlookup" | "multiuserlookup" => {
            matches!(value, Scalar::Lookup { .. })
        }
        "text"
        | "textarea"
        | "email"
        | "phone"
        | "website"
        | "autonumber"
        | "picklist"
        | "multiselectpicklist" => {
            matches!(value, Scalar::Text(_) | Scalar::Number(_))
        }
        _ => true,
    };
    if ok {
        return None;
    }
    Some(match data_type {
        "boolean" => "`true` or `false`",
        "date" => "a date as `yyyy-mm-dd`",
        "datetime" => "a date and time as `yyyy-mm-ddThh:mm:ss+hh:mm`",
        "lookup" | "ownerlookup" | "userlookup" | "multiselectlookup" | "multiuserlookup" => {
            "a lookup `{ id: \"...\" }`"
        }
        "text"
        | "textarea"
        | "email"
        | "phone"
        | "website"
        | "autonumber"
        | "picklist"
        | "multiselectpicklist" => "text",
        _ => "a number",
    })
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit())
}

/// The candidate closest to `wanted`, when it is close enough to be a likely typo.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .map(|candidate| {
            (
                strsim::jaro_winkler(&wanted_lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// Where each territory's entry starts, per file, sorted: a territory's entry ends where the
/// next one written after it in the same file starts. Built once, so finding the end is a
/// binary search rather than a scan of every territory (which made the check quadratic).
struct TerritoryStarts(BTreeMap<Arc<Path>, Vec<usize>>);

impl TerritoryStarts {
    fn new(desired: &Desired) -> Self {
        let mut starts: BTreeMap<Arc<Path>, Vec<usize>> = BTreeMap::new();
        for origin in desired.territories.iter().filter_map(|t| t.origin.as_ref()) {
            starts
                .entry(origin.file.clone())
                .or_default()
                .push(origin.offset);
        }
        for offsets in starts.values_mut() {
            offsets.sort_unstable();
        }
        Self(starts)
    }

    fn end_of(&self, origin: Option<&Origin>) -> usize {
        let Some(origin) = origin else {
            return usize::MAX;
        };
        let Some(offsets) = self.0.get(&origin.file) else {
            return usize::MAX;
        };
        let next = offsets.partition_point(|&offset| offset <= origin.offset);
        offsets.get(next).copied().unwrap_or(usize::MAX)
    }
}

/// The desired-state files, read again (once each) to show snippets.
#[derive(Default)]
struct Sources {
    files: BTreeMap<Arc<Path>, Option<Arc<str>>>,
}

impl Sources {
    fn problem(
        &mut self,
        kind: ProblemKind,
        origin: Option<&Origin>,
        help: Option<String>,
    ) -> ResolveProblem {
        let (source_code, span) =
            match origin.and_then(|origin| self.text(&origin.file).map(|text| (origin, text))) {
                Some((origin, text)) => (
                    Some(NamedSource::new(origin.file.display().to_string(), text)),
                    Some(SourceSpan::from((origin.offset, origin.len))),
                ),
                None => (None, None),
            };
        ResolveProblem {
            kind,
            source_code,
            span,
            help,
        }
    }

    /// The first `needle` in `file` between byte offsets `from` and `to`.
    fn find(
        &mut self,
        file: &Arc<Path>,
        needle: &str,
        from: usize,
        to: usize,
    ) -> Option<(usize, usize)> {
        let text = self.text(file)?;
        let to = to.min(text.len());
        let haystack = text.get(from..to)?;
        haystack
            .find(needle)
            .filter(|_| !needle.is_empty())
            .map(|at| (from + at, needle.len()))
    }

    fn text(&mut self, file: &Arc<Path>) -> Option<Arc<str>> {
        self.files
            .entry(file.clone())
            .or_insert_with(|| {
                crate::config::read_capped(file, crate::config::MAX_FILE_BYTES)
                    .ok()
                    .flatten()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .map(Arc::from)
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Criteria, DesiredTerritory, GroupOperator, Permission, PicklistValue, Rules, Unmanaged,
        User,
    };

    fn field(api_name: &str, data_type: &str, picklist: &[&str]) -> FieldMeta {
        FieldMeta {
            api_name: api_name.into(),
            id: "1".into(),
            data_type: data_type.into(),
            picklist: picklist
                .iter()
                .map(|value| PicklistValue {
                    display_value: (*value).into(),
                    actual_value: (*value).into(),
                })
                .collect(),
        }
    }

    fn rule(field: &str, comparator: Comparator, value: Scalar) -> Criteria {
        Criteria::Rule(Rule {
            field: field.into(),
            comparator,
            value: RuleValue::One(value),
        })
    }

    fn scenario(manager: &str, rules: Criteria) -> (Desired, Live) {
        let desired = Desired {
            root: "Acme".into(),
            root_origin: None,
            unmanaged: Unmanaged::Report,
            territories: vec![DesiredTerritory {
                fields: crate::model::Fields {
                    name: "EMEA".into(),
                    parent: "Acme".into(),
                    manager: Some(manager.into()),
                    permission: Permission::ReadOnly,
                    description: None,
                    rules: Rules {
                        accounts: Some(rules),
                        ..Rules::default()
                    },
                    users: None,
                },
                previously: Vec::new(),
                origin: None,
                manager_origin: None,
                rules_origin: BTreeMap::new(),
                users_origin: Vec::new(),
            }],
            assignments: BTreeMap::new(),
        };
        let live = Live {
            users: vec![User {
                id: "9".into(),
                email: "patricia.boyle@acme.example".into(),
                full_name: "Patricia Boyle".into(),
            }],
            fields: BTreeMap::from([(
                RuleModule::Accounts,
                vec![
                    field("Billing_Country", "text", &[]),
                    field("Annual_Revenue", "currency", &[]),
                    field("Industry", "picklist", &["Banking", "Retail"]),
                    field("Is_Partner", "boolean", &[]),
                ],
            )]),
            ..Live::default()
        };
        (desired, live)
    }

    fn kinds(desired: &Desired, live: &Live) -> Vec<ProblemKind> {
        check(desired, live)
            .map(|()| Vec::new())
            .unwrap_or_else(|report| {
                report
                    .problems
                    .into_iter()
                    .map(|problem| problem.kind)
                    .collect()
            })
    }

    #[test]
    fn a_fitting_state_passes() {
        let rules = Criteria::Group {
            operator: GroupOperator::And,
            items: vec![
                rule(
                    "Billing_Country",
                    Comparator::Equal,
                    Scalar::Text("Germany".into()),
                ),
                rule(
                    "Annual_Revenue",
                    Comparator::GreaterThan,
                    Scalar::Number("1000".into()),
                ),
                rule(
                    "Industry",
                    Comparator::Equal,
                    Scalar::Text("Banking".into()),
                ),
                rule("Is_Partner", Comparator::Equal, Scalar::Bool(true)),
                rule(
                    "Industry",
                    Comparator::Equal,
                    Scalar::Text("${EMPTY}".into()),
                ),
            ],
        };
        let (desired, live) = scenario("Patricia.Boyle@acme.example", rules);
        assert_eq!(kinds(&desired, &live), []);
    }

    #[test]
    fn an_unknown_manager_gets_a_suggestion() {
        let (desired, live) = scenario(
            "patricia.boyl@acme.example",
            rule(
                "Billing_Country",
                Comparator::Equal,
                Scalar::Text("Germany".into()),
            ),
        );
        let report = check(&desired, &live).unwrap_err();
        assert_eq!(report.problems.len(), 1);
        let problem = &report.problems[0];
        assert!(matches!(problem.kind, ProblemKind::UnknownManager { .. }));
        assert_eq!(
            problem.help.as_deref(),
            Some("did you mean `patricia.boyle@acme.example`?")
        );
    }

    #[test]
    fn rules_are_checked_against_field_metadata() {
        let rules = Criteria::Group {
            operator: GroupOperator::Or,
            items: vec![
                rule(
                    "Billing_Countri",
                    Comparator::Equal,
                    Scalar::Text("Germany".into()),
                ),
                rule(
                    "Billing_Country",
                    Comparator::GreaterThan,
                    Scalar::Text("G".into()),
                ),
                rule(
                    "Annual_Revenue",
                    Comparator::Equal,
                    Scalar::Text("lots".into()),
                ),
                rule("Industry", Comparator::Equal, Scalar::Text("Bankin".into())),
                rule("Is_Partner", Comparator::Equal, Scalar::Text("yes".into())),
            ],
        };
        let (desired, live) = scenario("patricia.boyle@acme.example", rules);
        let found = kinds(&desired, &live);
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(
            matches!(&found[0], ProblemKind::UnknownField { field, .. } if field == "Billing_Countri")
        );
        assert!(matches!(
            &found[1],
            ProblemKind::UnsupportedComparator {
                comparator: Comparator::GreaterThan,
                ..
            }
        ));
        assert!(
            matches!(&found[2], ProblemKind::WrongValueType { field, .. } if field == "Annual_Revenue")
        );
        assert!(
            matches!(&found[3], ProblemKind::UnknownPicklistValue { value, .. } if value == "Bankin")
        );
        assert!(
            matches!(&found[4], ProblemKind::WrongValueType { field, .. } if field == "Is_Partner")
        );
    }

    #[test]
    fn problems_point_into_the_file() {
        let dir = std::env::temp_dir().join(format!("territoryctl-resolve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("territories.yaml");
        let text = "territories:\n  - name: EMEA\n    manager: patricia.boyl@acme.example\n";
        std::fs::write(&path, text).unwrap();
        let (mut desired, live) = scenario(
            "patricia.boyl@acme.example",
            rule(
                "Billing_Country",
                Comparator::Equal,
                Scalar::Text("Germany".into()),
            ),
        );
        let offset = text.find("patricia").unwrap();
        desired.territories[0].manager_origin = Some(Origin {
            file: Arc::from(path.as_path()),
            offset,
            len: "patricia.boyl@acme.example".len(),
        });
        let report = check(&desired, &live).unwrap_err();
        let mut rendered = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(80)
            .render_report(&mut rendered, &report.problems[0])
            .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(rendered.contains("resolve::unknown-manager"), "{rendered}");
        assert!(
            rendered.contains("3 │     manager: patricia.boyl@acme.example"),
            "{rendered}"
        );
        assert!(
            rendered.contains("no active user has this email"),
            "{rendered}"
        );
        assert!(
            rendered.contains("did you mean `patricia.boyle@acme.example`?"),
            "{rendered}"
        );
    }

    #[test]
    fn rule_problems_point_at_the_rule() {
        let dir = std::env::temp_dir().join(format!("territoryctl-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("territories.yaml");
        let text = "territories:\n  - name: EMEA\n    rules:\n      accounts:\n        all:\n          - { field: Industry, comparator: equal, value: Banking }\n          - { field: Industry, comparator: equal, value: Bankin }\n";
        std::fs::write(&path, text).unwrap();
        let rules = Criteria::Group {
            operator: GroupOperator::And,
            items: vec![
                rule(
                    "Industry",
                    Comparator::Equal,
                    Scalar::Text("Banking".into()),
                ),
                rule("Industry", Comparator::Equal, Scalar::Text("Bankin".into())),
            ],
        };
        let (mut desired, live) = scenario("patricia.boyle@acme.example", rules);
        let file: Arc<Path> = Arc::from(path.as_path());
        desired.territories[0].origin = Some(Origin {
            file: file.clone(),
            offset: text.find("EMEA").unwrap(),
            len: 4,
        });
        desired.territories[0].rules_origin.insert(
            RuleModule::Accounts,
            Origin {
                file,
                offset: text.find("all:").unwrap(),
                len: 4,
            },
        );
        let report = check(&desired, &live).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(report.problems.len(), 1);
        // The second rule's value, not the first rule's `Banking`.
        let expected = text.rfind("Bankin ").unwrap();
        assert_eq!(
            report.problems[0].span,
            Some(SourceSpan::from((expected, 6)))
        );
    }
}
