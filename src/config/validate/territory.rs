//! The keys of one territory on their own: name and previous names, parent present, manager,
//! permission, description and rules. Relations between territories are checked elsewhere.

use std::collections::BTreeMap;

use crate::model::{
    self, CriteriaOrigin, MAX_DESCRIPTION_LEN, Permission, RuleModule, RuleOrigin, Rules,
    TerritoryOrigins,
};

use super::super::code::Code;
use super::super::problem::Problem;
use super::super::raw;
use super::super::source::SourceFile;
use super::super::span::{Span, Spanned};
use super::text::{check_visible, is_email};
use super::{Problems, criteria};
use crate::suggest;

/// One territory after its own keys are checked; fields are `None` where the YAML left them
/// out or they were invalid (the problem is already reported).
pub(super) struct Entry {
    pub(super) file: SourceFile,
    /// The name as written (kept even when Zoho would refuse it, so that its children still
    /// find their parent and only the name itself is reported).
    pub(super) name: Option<Spanned<String>>,
    pub(super) parent: Option<Spanned<String>>,
    pub(super) previously: Vec<Spanned<String>>,
    /// The territory's other attributes as the desired state holds them (users that passed
    /// their checks; `None` when `users` is absent, membership not managed). The name and the
    /// parent are left empty here, and set from the two above once both are known present.
    pub(super) fields: model::Fields<model::ByName>,
    /// Where the attributes are written (the name's origin is set with the name).
    pub(super) origins: TerritoryOrigins,
}

pub(super) fn check(
    file: &SourceFile,
    territory: Spanned<raw::Territory>,
    default_permission: Permission,
    problems: &mut Problems,
) -> Entry {
    let span = territory.span;
    let raw = territory.value;

    if raw.name.is_none() {
        problems.push(
            Problem::error(Code::MissingName, file, "a territory has no `name`")
                .primary(span, "this territory")
                .help("add `name: <territory name>`"),
        );
    }
    if let Some(name) = &raw.name {
        check_name(file, name, "name", problems);
    }
    match &raw.parent {
        None => problems.push(
            Problem::error(
                Code::MissingParent,
                file,
                match &raw.name {
                    Some(name) => format!("territory `{}` has no `parent`", name.value),
                    None => "a territory has no `parent`".to_owned(),
                },
            )
            .primary(
                raw.name.as_ref().map_or(span, |name| name.span),
                "no parent",
            )
            .help("add `parent: <parent name>`, the root's name for a top-level territory"),
        ),
        Some(parent) if !check_visible(file, parent, "parent name", false, problems) => {}
        Some(parent) if parent.value.trim().is_empty() => problems.push(
            Problem::error(Code::MissingParent, file, "the parent's name is empty")
                .primary(parent.span, "empty")
                .help("name the parent territory, or the root for a top-level territory"),
        ),
        Some(_) => {}
    }
    if let Some(manager) = &raw.manager
        && check_visible(file, manager, "manager", false, problems)
    {
        check_manager(file, manager, problems);
    }
    let permission = raw
        .permission
        .as_ref()
        .and_then(|permission| parse_permission(file, permission, problems))
        .unwrap_or(default_permission);
    let description = raw.description.and_then(|description| {
        check_visible(file, &description, "description", true, problems);
        check_description(file, &description, problems);
        Some(description.value).filter(|text| !text.is_empty())
    });
    let previously = raw.previously.map(|list| list.value).unwrap_or_default();
    for former in &previously {
        check_name(file, former, "previous name", problems);
        if let Some(name) = &raw.name
            && model::NameKey::new(&former.value) == model::NameKey::new(&name.value)
        {
            problems.push(
                Problem::warning(
                    Code::PreviouslySelf,
                    file,
                    format!("`{}` lists its own name under `previously`", name.value),
                )
                .primary(former.span, "the territory's current name")
                .secondary(name.span, "named here")
                .help("remove it from `previously`; it has no effect"),
            );
        }
    }

    let mut rules = Rules::default();
    let mut rules_origin = BTreeMap::new();
    if let Some(raw_rules) = raw.rules {
        let raw_rules = raw_rules.value;
        for (module, criteria) in [
            (RuleModule::Accounts, raw_rules.accounts),
            (RuleModule::Leads, raw_rules.leads),
            (RuleModule::Deals, raw_rules.deals),
        ] {
            let Some(criteria) = criteria else { continue };
            let mut spans = Vec::new();
            *rules.get_mut(module) = criteria::check(file, module, &criteria, &mut spans, problems);
            rules_origin.insert(module, (criteria.span, spans));
        }
    }

    let users = raw.users.map(|users| {
        let territory = raw.name.as_ref().map_or("", |name| name.value.as_str());
        super::users::check(
            file,
            territory,
            &users.value,
            raw.manager.as_ref(),
            problems,
        )
    });

    let at = |span: Span| super::origin(file, span);
    let origins = TerritoryOrigins {
        name: None,
        manager: raw.manager.as_ref().map(|manager| at(manager.span)),
        rules: rules_origin
            .into_iter()
            .map(|(module, (entry, rules))| {
                let rules = rules
                    .into_iter()
                    .map(|rule| RuleOrigin {
                        field: at(rule.field),
                        comparator: at(rule.comparator),
                        values: rule.values.into_iter().map(at).collect(),
                    })
                    .collect();
                (
                    module,
                    CriteriaOrigin {
                        entry: at(entry),
                        rules,
                    },
                )
            })
            .collect(),
        users: users.iter().flatten().map(|user| at(user.span)).collect(),
    };
    Entry {
        file: file.clone(),
        name: raw.name,
        parent: raw.parent,
        previously,
        fields: model::Fields {
            name: String::new(),
            parent: String::new(),
            manager: raw.manager.map(|manager| manager.value),
            permission,
            description,
            rules,
            users: users.map(|users| users.into_iter().map(|user| user.value).collect()),
        },
        origins,
    }
}

fn check_name(file: &SourceFile, name: &Spanned<String>, what: &str, problems: &mut Problems) {
    if !check_visible(file, name, what, false, problems) {
        return;
    }
    if let Err(problem) = model::check_name(&name.value) {
        let help = match &problem {
            model::NameProblem::TooLong { .. } => "shorten the name".to_owned(),
            model::NameProblem::ForbiddenCharacter(_) => {
                "Zoho refuses ^ ~ ` # % & + = [ ] { } | \\ ; \" ' < > , in names".to_owned()
            }
            model::NameProblem::Empty => "give the territory a name".to_owned(),
            model::NameProblem::SurroundingWhitespace => "remove the surrounding spaces".to_owned(),
        };
        problems.push(
            Problem::error(
                Code::InvalidName,
                file,
                format!("invalid {what} `{}`", name.value),
            )
            .primary(name.span, problem.to_string())
            .help(help),
        );
    }
}

fn check_manager(file: &SourceFile, manager: &Spanned<String>, problems: &mut Problems) {
    if !is_email(&manager.value) {
        problems.push(
            Problem::error(
                Code::InvalidManager,
                file,
                format!("manager `{}` is not an email address", manager.value),
            )
            .primary(manager.span, "not an email address")
            .help("name the manager by the email address of their CRM user"),
        );
    }
}

fn check_description(file: &SourceFile, description: &Spanned<String>, problems: &mut Problems) {
    let chars = description.value.chars().count();
    if chars > MAX_DESCRIPTION_LEN {
        problems.push(
            Problem::error(
                Code::DescriptionTooLong,
                file,
                format!("the description is {chars} characters long"),
            )
            .primary(
                description.span,
                format!("Zoho allows at most {MAX_DESCRIPTION_LEN} characters"),
            )
            .help(format!(
                "shorten it by {} characters",
                chars - MAX_DESCRIPTION_LEN
            )),
        );
    }
}

/// Parses a permission, reporting an invalid one.
pub(super) fn parse_permission(
    file: &SourceFile,
    value: &Spanned<String>,
    problems: &mut Problems,
) -> Option<Permission> {
    const CHOICES: [&str; 2] = ["read_only", "read_write_delete"];
    match value.value.as_str() {
        "read_only" => Some(Permission::ReadOnly),
        "read_write_delete" => Some(Permission::ReadWriteDelete),
        other => {
            problems.push(
                Problem::error(
                    Code::InvalidPermission,
                    file,
                    format!("`{other}` is not a territory permission"),
                )
                .primary(value.span, "not read_only or read_write_delete")
                .help(suggest::closest(other, CHOICES).map_or_else(
                    || "use `read_only` or `read_write_delete`".to_owned(),
                    |close| format!("did you mean `{close}`?"),
                )),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(is_email("patricia.boyle@acme.example"));
        assert!(!is_email("patricia.boyle"));
        assert!(!is_email("@acme.example"));
        assert!(!is_email("pat@localhost"));
        assert!(!is_email("pat boyle@acme.example"));
        assert!(!is_email("a@b@acme.example"));
    }
}
