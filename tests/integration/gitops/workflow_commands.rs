//! Every `territoryctl` command and flag that the example CI files (and the release workflow
//! and setup action) run exists in the CLI, so that a renamed flag cannot silently break the
//! copied workflows.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use territoryctl::cli::Cli;

/// The CI files: the example GitHub workflows, the GitLab pipeline, the project's own
/// workflows (the release) and the setup action.
fn ci_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples/github-actions", ".github/workflows"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|error| panic!("{dir}: {error}"))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "yml"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files.push(PathBuf::from("examples/gitlab-ci/.gitlab-ci.yml"));
    files.push(PathBuf::from("action.yml"));
    files
}

/// The shell scripts of a CI file: GitHub's `run:` values, GitLab's `script:` and
/// `before_script:` items.
fn scripts(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read a CI file");
    let document: serde_json::Value = serde_saphyr::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not YAML: {error}", path.display()));
    let mut found = Vec::new();
    collect_scripts(&document, &mut found);
    found
}

fn collect_scripts(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("run", serde_json::Value::String(script)) => found.push(script.clone()),
                    (
                        "script" | "before_script" | "after_script",
                        serde_json::Value::Array(lines),
                    ) => {
                        found.extend(
                            lines
                                .iter()
                                .filter_map(|line| line.as_str().map(str::to_owned)),
                        );
                    }
                    _ => collect_scripts(value, found),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_scripts(item, found);
            }
        }
        _ => {}
    }
}

/// The arguments of every `territoryctl` command in a shell script: where `territoryctl` is
/// the command word (at the start of a line or after `|`, `;`, `&&`, `||`, `(`, `{`, `if`,
/// `then`, `!`, possibly behind `NAME=value` assignments), up to the end of the command.
/// Lines ending in `\` continue on the next.
fn invocations(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut found = Vec::new();
    for line in joined.lines() {
        let mut at_command_start = true;
        let mut current: Option<Vec<String>> = None;
        for token in line.split_whitespace() {
            let ends_command = matches!(token, "|" | "||" | "&&" | ";" | ")" | "}")
                || token.starts_with('>')
                || token.starts_with("2>")
                || token.starts_with('#');
            if let Some(arguments) = current.as_mut() {
                if ends_command {
                    found.push(current.take().expect("a current command"));
                } else {
                    let unquoted = token.trim_matches(|c| c == '"' || c == '\'');
                    let unterminated = unquoted.trim_end_matches(';');
                    arguments.push(unterminated.to_owned());
                    if token.ends_with(';') {
                        found.push(current.take().expect("a current command"));
                        at_command_start = true;
                    }
                    continue;
                }
            }
            if token.starts_with('#') {
                break;
            }
            let word = token
                .trim_start_matches(['(', '{'])
                .trim_start_matches("$(");
            if at_command_start && word == "territoryctl" {
                current = Some(Vec::new());
            } else {
                let opens_command = matches!(
                    token,
                    "(" | "{" | "$(" | "if" | "then" | "else" | "do" | "!"
                );
                at_command_start = ends_command
                    || opens_command
                    || token.ends_with(';')
                    || (at_command_start && is_assignment(token));
            }
        }
        found.extend(current);
    }
    found
}

fn is_assignment(token: &str) -> bool {
    token.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    })
}

/// What is wrong with one invocation's subcommand and flags, if anything.
fn check(cli: &clap::Command, arguments: &[String]) -> Result<(), String> {
    let mut command = cli;
    let mut path = vec!["territoryctl".to_owned()];
    let mut positional_seen = false;
    for argument in arguments {
        if let Some(flag) = argument.strip_prefix("--") {
            let name = flag.split_once('=').map_or(flag, |(name, _)| name);
            let known = command.get_arguments().any(|arg| {
                arg.get_long() == Some(name)
                    || arg
                        .get_all_aliases()
                        .is_some_and(|aliases| aliases.contains(&name))
            });
            if !known {
                return Err(format!("`{}` has no flag `--{name}`", path.join(" ")));
            }
        } else if let Some(shorts) = argument
            .strip_prefix('-')
            .filter(|shorts| !shorts.is_empty())
        {
            for short in shorts.chars() {
                if !command
                    .get_arguments()
                    .any(|arg| arg.get_short() == Some(short))
                {
                    return Err(format!("`{}` has no flag `-{short}`", path.join(" ")));
                }
            }
        } else if !positional_seen && command.has_subcommands() {
            match command.find_subcommand(argument) {
                Some(subcommand) => {
                    command = subcommand;
                    path.push(argument.clone());
                }
                None => {
                    return Err(format!(
                        "`{}` has no subcommand `{argument}`",
                        path.join(" ")
                    ));
                }
            }
        } else {
            // A flag's value or a path: not checked here.
            positional_seen = true;
        }
    }
    if command.has_subcommands() && path.len() == 1 {
        return Err("no subcommand given".to_owned());
    }
    Ok(())
}

/// The CLI with global flags propagated to every subcommand, as the parser sees it.
fn built_cli() -> clap::Command {
    let mut cli = Cli::command();
    cli.build();
    cli
}

#[test]
fn every_territoryctl_command_in_the_ci_examples_exists() {
    let cli = built_cli();
    let mut subcommands = BTreeSet::new();
    let mut problems = Vec::new();
    for file in ci_files() {
        for script in scripts(&file) {
            for arguments in invocations(&script) {
                if let Some(subcommand) = arguments.first() {
                    subcommands.insert(subcommand.clone());
                }
                if let Err(problem) = check(&cli, &arguments) {
                    problems.push(format!(
                        "{}: `territoryctl {}`: {problem}",
                        file.display(),
                        arguments.join(" ")
                    ));
                }
            }
        }
    }
    // The loop's commands are all found, so that the check above cannot pass on nothing.
    assert_eq!(
        subcommands.into_iter().collect::<Vec<_>>(),
        ["apply", "plan", "validate"]
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn invocations_follow_continuations_and_skip_other_commands() {
    let script = "set +e\n\
        territoryctl plan \"$TERRITORIES\" --dc \"$ZOHO_DC\" --format markdown \\\n  --out plan.json --detailed-exitcode > plan.md 2> plan.err\n\
        cargo install --locked --git \"$GIT\" territoryctl\n\
        command -v territoryctl || cargo install territoryctl\n\
        ZOHO_CLIENT_ID=$ID ZOHO_REFRESH_TOKEN=$TOKEN \\\n  territoryctl apply reviewed/plan.json --yes\n\
        echo \"run territoryctl validate\" # territoryctl schema\n\
        { echo x; territoryctl plan . --format markdown || echo failed; } >> summary\n";
    assert_eq!(
        invocations(script),
        [
            vec![
                "plan",
                "$TERRITORIES",
                "--dc",
                "$ZOHO_DC",
                "--format",
                "markdown",
                "--out",
                "plan.json",
                "--detailed-exitcode"
            ],
            vec!["apply", "reviewed/plan.json", "--yes"],
            vec!["plan", ".", "--format", "markdown"],
        ]
    );
}

#[test]
fn unknown_subcommands_and_flags_are_caught() {
    let cli = built_cli();
    let arguments = |line: &str| line.split(' ').map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        check(&cli, &arguments("validate territories/ --color never -v")),
        Ok(())
    );
    assert_eq!(
        check(&cli, &arguments("validate territories/ --no-such-flag")),
        Err("`territoryctl validate` has no flag `--no-such-flag`".to_owned())
    );
    assert_eq!(
        check(&cli, &arguments("frobnicate territories/")),
        Err("`territoryctl` has no subcommand `frobnicate`".to_owned())
    );
    assert_eq!(
        check(&cli, &arguments("schema -x")),
        Err("`territoryctl schema` has no flag `-x`".to_owned())
    );
}
