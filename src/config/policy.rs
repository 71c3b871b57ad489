//! `policy:` from the files into [`crate::policy::Policy`]: levels checked, the name pattern
//! compiled, each problem located.

use super::code::Code;
use super::problem::Problem;
use super::raw;
use super::source::SourceFile;
use super::span::{Span, Spanned};
use super::validate::MAX_USERS_PER_TERRITORY;
use crate::model::Origin;
use crate::policy::{Level, Pattern, Policy, Setting};

fn origin(file: &SourceFile, span: Span) -> Origin {
    Origin {
        file: file.path().clone(),
        offset: span.offset,
        len: span.len,
    }
}

fn level(
    file: &SourceFile,
    key: &str,
    at: Span,
    level: Option<&Spanned<String>>,
    problems: &mut Vec<Problem>,
) -> Option<Level> {
    let Some(level) = level else {
        problems.push(
            Problem::error(
                Code::YamlMissingKey,
                file,
                format!("`policy.{key}` has no `level`"),
            )
            .primary(at, "here")
            .help("add `level: error` or `level: warning`"),
        );
        return None;
    };
    match level.value.as_str() {
        "error" => Some(Level::Error),
        "warning" => Some(Level::Warning),
        other => {
            problems.push(
                Problem::error(
                    Code::PolicyInvalidLevel,
                    file,
                    format!("`{other}` is not a policy level"),
                )
                .primary(level.span, "not `error` or `warning`")
                .help("write `level: error` (fails validate and plan) or `level: warning`"),
            );
            None
        }
    }
}

fn simple(
    file: &SourceFile,
    key: &str,
    check: Option<&Spanned<raw::PolicyCheck>>,
    problems: &mut Vec<Problem>,
) -> Option<Setting<()>> {
    let check = check?;
    let level = level(file, key, check.span, check.value.level.as_ref(), problems)?;
    Some(Setting {
        level,
        value: (),
        origin: Some(origin(file, check.span)),
    })
}

/// The policy of the files: the first file that has one (two files with `policy:` is an
/// error), with every problem in `problems`.
pub(crate) fn policy(files: &[(SourceFile, raw::Document)], problems: &mut Vec<Problem>) -> Policy {
    let mut with = files
        .iter()
        .filter_map(|(file, document)| document.policy.as_ref().map(|p| (file, p)));
    let Some((file, policy)) = with.next() else {
        return Policy::default();
    };
    for (other, again) in with {
        problems.push(
            Problem::error(Code::Conflict, other, "`policy` is set in two files")
                .primary(again.span, "set again here")
                .also_at(file, policy.span, "first set here")
                .help("write `policy` in one file only"),
        );
    }
    let raw = &policy.value;
    let max_depth = raw.max_depth.as_ref().and_then(|depth| {
        let level = level(
            file,
            "max_depth",
            depth.span,
            depth.value.level.as_ref(),
            problems,
        );
        let Some(max) = &depth.value.max else {
            problems.push(
                Problem::error(
                    Code::YamlMissingKey,
                    file,
                    "`policy.max_depth` has no `max`",
                )
                .primary(depth.span, "here")
                .help("add `max: N`, the deepest level allowed (top-level territories are 1)"),
            );
            return None;
        };
        Some(Setting {
            level: level?,
            value: max.value,
            origin: Some(origin(file, depth.span)),
        })
    });
    let name_pattern = raw.name_pattern.as_ref().and_then(|pattern| {
        let level = level(
            file,
            "name_pattern",
            pattern.span,
            pattern.value.level.as_ref(),
            problems,
        );
        let Some(source) = &pattern.value.pattern else {
            problems.push(
                Problem::error(
                    Code::YamlMissingKey,
                    file,
                    "`policy.name_pattern` has no `pattern`",
                )
                .primary(pattern.span, "here")
                .help("add `pattern: \"^...$\"`, a regular expression names must match"),
            );
            return None;
        };
        // A size limit keeps a hostile pattern from taking the machine.
        let compiled = regex::RegexBuilder::new(&source.value)
            .size_limit(1 << 20)
            .build();
        let regex = match compiled {
            Ok(regex) => regex,
            Err(error) => {
                problems.push(
                    Problem::error(
                        Code::PolicyInvalidPattern,
                        file,
                        format!("the name pattern is not a valid regular expression: {error}"),
                    )
                    .primary(source.span, "here")
                    .help("the syntax is Rust's `regex` crate's (no look-around)"),
                );
                return None;
            }
        };
        Some(Setting {
            level: level?,
            value: Pattern {
                source: source.value.clone(),
                regex,
            },
            origin: Some(origin(file, pattern.span)),
        })
    });
    let max_users = raw.max_users.as_ref().and_then(|users| {
        let level = level(
            file,
            "max_users",
            users.span,
            users.value.level.as_ref(),
            problems,
        );
        let Some(limit) = &users.value.limit else {
            problems.push(
                Problem::error(
                    Code::YamlMissingKey,
                    file,
                    "`policy.max_users` has no `limit`",
                )
                .primary(users.span, "here")
                .help("add `limit: N`, the most users a territory may have, its manager counted"),
            );
            return None;
        };
        if limit.value == 0 || limit.value as usize > MAX_USERS_PER_TERRITORY {
            problems.push(
                Problem::error(
                    Code::PolicyInvalidLimit,
                    file,
                    format!(
                        "`{}` is not a user limit: it must be from 1 (the manager) to {MAX_USERS_PER_TERRITORY} (Zoho's own limit)",
                        limit.value
                    ),
                )
                .primary(limit.span, "out of range")
                .help(format!(
                    "Zoho's limit of {MAX_USERS_PER_TERRITORY} is always checked (`territory::too-many-users`); set a lower team limit here"
                )),
            );
            return None;
        }
        Some(Setting {
            level: level?,
            value: limit.value,
            origin: Some(origin(file, users.span)),
        })
    });
    Policy {
        manager_required: simple(
            file,
            "manager_required",
            raw.manager_required.as_ref(),
            problems,
        ),
        max_depth,
        name_pattern,
        max_users,
        leaf_rules_required: simple(
            file,
            "leaf_rules_required",
            raw.leaf_rules_required.as_ref(),
            problems,
        ),
        no_analysis_warnings: simple(
            file,
            "no_analysis_warnings",
            raw.no_analysis_warnings.as_ref(),
            problems,
        ),
    }
}
