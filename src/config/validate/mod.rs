//! Raw documents -> [`Desired`]: every check runs and every problem is collected; the model is
//! built only when there is no error.

mod assignments;
mod criteria;
mod document;
mod hierarchy;
mod names;
mod territory;
mod text;
mod users;

pub(super) use users::MAX_USERS_PER_TERRITORY;

use crate::model::{Desired, DesiredTerritory, NameKey, Origin, TerritoryOrigins, Unmanaged};

use super::code::Code;
use super::problem::Problem;
use super::raw;
use super::source::SourceFile;
use super::span::{Span, Spanned};

/// Problems found so far, errors and warnings.
type Problems = Vec<Problem>;

/// A value and the file it was written in.
#[derive(Clone)]
struct Located<T> {
    file: SourceFile,
    value: Spanned<T>,
}

/// Validates parsed files (in path order) into the desired state. Returns the model when no
/// problem is an error, and every problem found, warnings included.
pub(super) fn validate(mut files: Vec<(SourceFile, raw::Document)>) -> (Option<Desired>, Problems) {
    let mut problems = Problems::new();
    let header = document::check(&files, &mut problems);

    let mut entries = Vec::new();
    for (file, document) in &mut files {
        let Some(territories) = document.territories.take() else {
            continue;
        };
        for raw_territory in territories.value {
            entries.push(territory::check(
                file,
                raw_territory,
                header.default_permission,
                &mut problems,
            ));
        }
    }

    names::check(header.root.as_ref(), &entries, &mut problems);
    hierarchy::check(header.root.as_ref(), &entries, &mut problems);

    let mut known = assignments::KnownNames::default();
    if let Some(root) = &header.root {
        known
            .current
            .insert(NameKey::new(&root.value.value), root.value.value.clone());
    }
    for entry in &entries {
        let Some(name) = &entry.name else { continue };
        known
            .current
            .entry(NameKey::new(&name.value))
            .or_insert_with(|| name.value.clone());
        for former in &entry.previously {
            known
                .former
                .entry(NameKey::new(&former.value))
                .or_insert_with(|| name.value.clone());
        }
    }
    let assignments = assignments::check(&files, &known, &mut problems);

    if header.unmanaged == Unmanaged::Delete
        && entries.is_empty()
        && let Some(site) = &header.unmanaged_site
    {
        problems.push(
            Problem::warning(
                Code::DeleteWithoutTerritories,
                &site.file,
                "`unmanaged: delete` with no territories plans to delete every territory but the root",
            )
            .primary(site.value.span, "deletes everything unmanaged")
            .help("add the territories to keep, or use `unmanaged: report`"),
        );
    }

    // Checks run one concern at a time; users read top to bottom.
    problems.sort_by(|left, right| left.position().cmp(&right.position()));
    if problems.iter().any(Problem::is_error) {
        return (None, problems);
    }
    let Some(root) = header.root else {
        return (None, problems);
    };
    let desired = Desired {
        root: root.value.value.clone(),
        root_origin: Some(origin(&root.file, root.value.span)),
        unmanaged: header.unmanaged,
        territories: entries.into_iter().filter_map(into_model).collect(),
        assignments,
    };
    (Some(desired), problems)
}

fn origin(file: &SourceFile, span: Span) -> Origin {
    Origin {
        file: file.path().clone(),
        offset: span.offset,
        len: span.len,
    }
}

/// The model of a territory that passed every check (so its name and parent are present).
fn into_model(entry: territory::Entry) -> Option<DesiredTerritory> {
    let name = entry.name?;
    let parent = entry.parent?;
    Some(DesiredTerritory {
        origins: TerritoryOrigins {
            name: Some(origin(&entry.file, name.span)),
            ..entry.origins
        },
        fields: crate::model::Fields {
            name: name.value,
            parent: parent.value,
            ..entry.fields
        },
        previously: entry
            .previously
            .into_iter()
            .map(|former| former.value)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::{Criteria, GroupOperator, Module, Permission, RuleValue, Scalar};

    use super::super::{code::Code, parse, source::SourceFile};
    use super::*;

    /// Validates in-memory files, named as given.
    fn validate_files(files: &[(&str, &str)]) -> (Option<Desired>, Vec<Code>) {
        let parsed = files
            .iter()
            .map(|(name, text)| {
                let file = SourceFile::new(Path::new(name), text);
                let document = parse::parse(&file).expect("the test YAML parses");
                (file, document)
            })
            .collect();
        let (desired, problems) = validate(parsed);
        (desired, problems.iter().map(Problem::code).collect())
    }

    fn valid(text: &str) -> Desired {
        let (desired, codes) = validate_files(&[("t.yaml", text)]);
        assert_eq!(codes, []);
        desired.expect("valid")
    }

    #[test]
    fn a_territory_gets_defaults_and_its_rules() {
        let text = "version: 1\nroot: Acme\ndefaults: { permission: read_write_delete }\nterritories:\n  - name: East\n    parent: Acme\n    description: ''\n    rules:\n      deals:\n        any:\n          - { field: Amount, comparator: between, value: [1, 2.5] }\n          - { field: Owner, comparator: EQUAL, value: { id: 42 } }\n";
        let desired = valid(text);
        assert_eq!(desired.root, "Acme");
        assert_eq!(desired.unmanaged, Unmanaged::Report);
        let east = &desired.territories[0];
        assert_eq!(east.permission, Permission::ReadWriteDelete);
        assert_eq!(east.description, None, "an empty description is none");
        let Some(Criteria::Group { operator, items }) = &east.rules.deals else {
            panic!("a group: {:?}", east.rules.deals)
        };
        assert_eq!(*operator, GroupOperator::Or);
        let rules: Vec<String> = items
            .iter()
            .map(|item| match item {
                Criteria::Rule(rule) => {
                    format!("{} {} {}", rule.field, rule.comparator, rule.value)
                }
                Criteria::Group { .. } => "group".to_owned(),
            })
            .collect();
        assert_eq!(rules, ["Amount between [1, 2.5]", "Owner equal id 42"]);
        let origin = east.origins.name.as_ref().expect("origin");
        assert_eq!(&text[origin.offset..origin.offset + origin.len], "East");
    }

    #[test]
    fn numbers_keep_their_digits() {
        let desired = valid(
            "version: 1\nroot: R\nterritories:\n  - name: A\n    parent: R\n    rules:\n      accounts: { field: Id, comparator: in, value: [18446744073709551615, -3] }\n",
        );
        let Some(Criteria::Rule(rule)) = &desired.territories[0].rules.accounts else {
            panic!("a rule")
        };
        assert_eq!(
            rule.value,
            RuleValue::Many(vec![
                Scalar::Number("18446744073709551615".to_owned()),
                Scalar::Number("-3".to_owned())
            ])
        );
    }

    #[test]
    fn assignments_use_the_declared_spelling() {
        let desired = valid(
            "version: 1\nroot: R\nterritories:\n  - { name: Texas, parent: R }\nassignments:\n  accounts:\n    \"1\": [TEXAS, r]\n  Deals:\n    \"2\": []\n",
        );
        let accounts = &desired.assignments[&Module::Accounts];
        assert_eq!(accounts["1"], ["Texas", "R"]);
        assert_eq!(
            desired.assignments[&Module::Deals]["2"],
            Vec::<String>::new()
        );
    }

    #[test]
    fn files_merge_and_agree() {
        let (desired, codes) = validate_files(&[
            (
                "a.yaml",
                "version: 1\nroot: R\nunmanaged: delete\nterritories:\n  - { name: A, parent: R }\n",
            ),
            (
                "b.yaml",
                "version: 1\nterritories:\n  - { name: B, parent: A }\n",
            ),
        ]);
        assert_eq!(codes, []);
        let desired = desired.expect("valid");
        assert_eq!(desired.unmanaged, Unmanaged::Delete);
        let names: Vec<&str> = desired
            .territories
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, ["A", "B"]);
        assert_eq!(
            desired.territories[1]
                .origins
                .name
                .as_ref()
                .map(|o| o.file.to_path_buf()),
            Some("b.yaml".into())
        );
    }

    #[test]
    fn files_that_disagree_on_run_rules_are_an_error() {
        let (desired, codes) = validate_files(&[
            ("a.yaml", "version: 1\nroot: R\nrun_rules: true\n"),
            ("b.yaml", "run_rules: false\n"),
        ]);
        assert!(desired.is_none());
        assert_eq!(codes, [Code::Conflict]);
        let (desired, codes) = validate_files(&[
            ("a.yaml", "version: 1\nroot: R\nrun_rules: true\n"),
            ("b.yaml", "run_rules: true\n"),
        ]);
        assert_eq!(codes, []);
        assert!(desired.is_some());
    }

    #[test]
    fn warnings_do_not_stop_the_model() {
        let (desired, codes) =
            validate_files(&[("w.yaml", "version: 1\nroot: R\nunmanaged: delete\n")]);
        assert_eq!(codes, [Code::DeleteWithoutTerritories]);
        assert!(desired.is_some_and(|desired| desired.territories.is_empty()));
    }

    #[test]
    fn a_long_cycle_is_reported_once_with_its_tail_counted() {
        let (desired, codes) = validate_files(&[(
            "c.yaml",
            "version: 1\nroot: R\nterritories:\n  - { name: A, parent: C }\n  - { name: B, parent: A }\n  - { name: C, parent: B }\n  - { name: D, parent: C }\n  - { name: E, parent: D }\n  - { name: F, parent: F }\n",
        )]);
        assert!(desired.is_none());
        assert_eq!(
            codes,
            [Code::Cycle, Code::Cycle],
            "one error per cycle, none for the territories below one"
        );
    }

    #[test]
    fn former_names_collide_with_the_root_and_with_each_other() {
        let (_, codes) = validate_files(&[(
            "n.yaml",
            "version: 1\nroot: R\nterritories:\n  - { name: A, parent: R, previously: [r, X, X] }\n  - { name: B, parent: R, previously: [x] }\n",
        )]);
        assert_eq!(codes, [Code::DuplicateName, Code::DuplicateName]);
    }

    #[test]
    fn a_broken_parent_is_reported_once_not_for_every_descendant() {
        let (_, codes) = validate_files(&[(
            "p.yaml",
            "version: 1\nroot: R\nterritories:\n  - { name: A, parent: Nowhere }\n  - { name: B, parent: A }\n  - { name: C, parent: B }\n",
        )]);
        assert_eq!(codes, [Code::UnknownParent]);
    }

    #[test]
    fn twenty_five_rules_are_allowed_twenty_six_are_not() {
        let rules = |count: usize| {
            (0..count)
                .map(|index| {
                    format!("          - {{ field: F, comparator: equal, value: v{index} }}\n")
                })
                .collect::<String>()
        };
        let document = |count| {
            format!(
                "version: 1\nroot: R\nterritories:\n  - name: A\n    parent: R\n    rules:\n      leads:\n        any:\n{}",
                rules(count)
            )
        };
        assert_eq!(validate_files(&[("r.yaml", &document(25))]).1, []);
        assert_eq!(
            validate_files(&[("r.yaml", &document(26))]).1,
            [Code::TooManyRules]
        );
    }
}
