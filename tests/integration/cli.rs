//! The command line as a whole: its definition is consistent, `--help` lists every command, and
//! the commands that need no input work.

use std::process::Command;

use clap::CommandFactory;
use territoryctl::cli::Cli;

fn territoryctl(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("territoryctl runs")
}

#[test]
fn the_clap_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn help_lists_every_command() {
    let output = territoryctl(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).expect("UTF-8");
    let commands: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|command| command.get_name().to_owned())
        .collect();
    assert_eq!(
        commands,
        [
            "validate",
            "plan",
            "apply",
            "export",
            "records",
            "rules",
            "sandbox",
            "schema",
            "completions"
        ]
    );
    for command in &commands {
        assert!(
            help.lines()
                .any(|line| line.trim_start().starts_with(command.as_str())),
            "`{command}` missing from --help:\n{help}"
        );
    }
}

#[test]
fn completions_name_every_command() {
    let output = territoryctl(&["completions", "bash"]);
    assert!(output.status.success());
    let script = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(script.contains("complete -F _territoryctl"), "{script}");
    for command in ["validate", "plan", "apply", "export", "records"] {
        assert!(script.contains(command), "{command} missing");
    }
}

#[test]
fn an_unknown_command_exits_2_with_a_hint() {
    let output = territoryctl(&["plna"]);
    // clap's own usage errors exit 2, as every clap program's do.
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(
        stderr.contains("unrecognized subcommand 'plna'"),
        "{stderr}"
    );
    assert!(stderr.contains("plan"), "suggests `plan`: {stderr}");
}
