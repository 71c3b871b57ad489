//! `commands::export::export` as the command runs it: where the YAML goes, what goes to stderr, how the
//! flags parse.

use std::fs;

use clap::Parser;
use territoryctl::cli::{ExportArgs, SplitBy};
use territoryctl::export::{ExportOptions, to_yaml};

use super::fixture::sample_live;

/// The export flags alone, as clap parses them.
#[derive(Debug, Parser)]
struct Flags {
    #[command(flatten)]
    args: ExportArgs,
}

fn parse(words: &[&str]) -> Result<ExportArgs, clap::Error> {
    Flags::try_parse_from(std::iter::once("export").chain(words.iter().copied()))
        .map(|flags| flags.args)
}

fn run(
    args: &ExportArgs,
) -> (
    Result<territoryctl::exit::ExitStatus, territoryctl::error::Error>,
    String,
    String,
) {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let result =
        territoryctl::commands::export::export(args, &sample_live(), &mut stdout, &mut stderr);
    (
        result,
        String::from_utf8(stdout).expect("utf-8"),
        String::from_utf8(stderr).expect("utf-8"),
    )
}

#[test]
fn flags_parse_into_modules_and_ids() {
    let args = parse(&[
        "--out",
        "org",
        "--split-by",
        "top-level",
        "--force",
        "--with-assignments",
        "Accounts",
        "1",
        "2",
        "--with-assignments",
        "Deals",
        "3",
    ])
    .expect("valid flags");
    assert_eq!(args.split_by, Some(SplitBy::TopLevel));
    assert!(args.force);
    assert_eq!(args.with_assignments, ["Accounts", "1", "2", "Deals", "3"]);
    // Splitting needs a directory to split into.
    let error = parse(&["--split-by", "top-level"]).expect_err("no --out");
    assert_eq!(
        error.kind(),
        clap::error::ErrorKind::MissingRequiredArgument
    );
    let error = parse(&["--with-assignments", "Accounts"]).expect_err("no id");
    assert_eq!(error.kind(), clap::error::ErrorKind::TooFewValues);
}

#[test]
fn without_out_the_yaml_goes_to_stdout_and_warnings_to_stderr() {
    let args = parse(&[]).expect("valid flags");
    let (result, stdout, stderr) = run(&args);
    assert!(result.is_ok());
    assert!(
        stdout.starts_with("# yaml-language-server: $schema="),
        "{stdout}"
    );
    assert!(stdout.contains("root: Globex Corporation\n"));
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 4, "{stderr}");
    assert!(warnings[0].starts_with("warning[export::inactive-manager]: territory `North: West`"));
}

#[test]
fn with_out_the_file_is_written_once_and_the_modeline_finds_no_schema_outside_a_checkout() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let out = directory.path().join("territories.yaml");
    let args = parse(&["--out", out.to_str().expect("utf-8 path")]).expect("valid flags");
    let (result, stdout, stderr) = run(&args);
    assert!(result.is_ok());
    assert_eq!(stdout, "");
    assert!(
        stderr.ends_with(&format!(
            "Exported 9 territories under `Globex Corporation` to `{}`.\n",
            out.display()
        )),
        "{stderr}"
    );
    let expected = to_yaml(&sample_live(), &ExportOptions::default()).expect("root");
    assert_eq!(
        fs::read_to_string(&out).expect("read"),
        expected.files[0].text
    );

    let (result, _, _) = run(&args);
    let error = result.expect_err("the file exists");
    assert_eq!(
        error.to_string(),
        format!("refusing to overwrite `{}`", out.display())
    );
    assert_eq!(error.exit_status(), territoryctl::exit::ExitStatus::Failure);
}

#[test]
fn a_split_export_inside_a_repository_points_the_modeline_at_its_schema() {
    let repository = tempfile::tempdir().expect("temporary directory");
    let schema = repository
        .path()
        .join("schema")
        .join("territories.schema.json");
    fs::create_dir_all(schema.parent().expect("parent")).expect("mkdir");
    fs::write(&schema, "{}").expect("write");
    let out = repository.path().join("orgs").join("globex");
    let args = parse(&[
        "--out",
        out.to_str().expect("utf-8 path"),
        "--split-by",
        "top-level",
        "--with-assignments",
        "Accounts",
        "4150868000004522032",
    ])
    .expect("valid flags");
    let (result, _, stderr) = run(&args);
    assert!(result.is_ok(), "{stderr}");
    assert!(stderr.ends_with("to 4 files.\n"), "{stderr}");
    let root = fs::read_to_string(out.join("_root.yaml")).expect("read");
    assert!(
        root.starts_with("# yaml-language-server: $schema=../../schema/territories.schema.json\n")
    );
    assert!(root.contains("\"4150868000004522032\": [São Paulo (Região 2), Zürich – Nord]"));
}

#[test]
fn a_bad_module_is_an_error_before_anything_is_written() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let out = directory.path().join("territories.yaml");
    let args = parse(&[
        "--out",
        out.to_str().expect("utf-8 path"),
        "--with-assignments",
        "Acounts",
        "1",
    ])
    .expect("valid flags");
    let (result, _, _) = run(&args);
    assert_eq!(
        result.expect_err("unknown module").to_string(),
        "`Acounts` is not a module with territories"
    );
    assert!(!out.exists());
}

#[test]
fn export_help() {
    use clap::CommandFactory;
    let mut command = territoryctl::cli::Cli::command();
    command.build();
    let export = command
        .find_subcommand_mut("export")
        .expect("an export command");
    let help = export.render_long_help().to_string();
    insta::assert_snapshot!(help);
}

#[test]
fn an_out_directory_gets_the_usual_file_name() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let new_directory = format!("{}/new/", directory.path().display());
    for out in [
        directory.path().to_str().expect("utf-8 path"),
        new_directory.as_str(),
    ] {
        let (result, _, stderr) = run(&parse(&["--out", out]).expect("valid flags"));
        assert!(result.is_ok(), "{stderr}");
    }
    assert!(directory.path().join("territories.yaml").is_file());
    assert!(
        directory
            .path()
            .join("new")
            .join("territories.yaml")
            .is_file()
    );
}

/// The binary, exporting the acme simulator org to stdout from a directory without a vendored
/// schema: the modeline is the URL README shows, and amounts (numeric fields, which Zoho
/// echoes as text) are written as numbers while text that looks numeric stays as it is.
#[test]
fn the_binary_writes_the_readme_modeline_and_numbers_for_numeric_fields() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let org = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme/org.json");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .current_dir(directory.path())
        .args(["export", "--simulator"])
        .arg(&org)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let modeline = stdout.lines().next().expect("a first line");
    let readme = fs::read_to_string("README.md").expect("README.md");
    assert!(
        readme.lines().any(|line| line == modeline),
        "README does not show `{modeline}`"
    );
    assert!(modeline.contains(territoryctl::export::DEFAULT_SCHEMA_URL));
    assert!(
        stdout.contains("deals: { field: Amount, comparator: greater_than, value: 20000 }"),
        "{stdout}"
    );
    assert!(stdout.contains("value: [10000, 250000]"), "{stdout}");
    assert!(!stdout.contains("\"20000\""), "{stdout}");
}
