//! `plan --impact` on examples/acme through the binary: what it shows in each format, that
//! it only reads, the cap, bad modules, and names from YAML and Zoho escaped.

use serde_json::Value;

use crate::records::Org;

fn acme_yaml() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/acme/territories.yaml"
    )
    .to_owned()
}

/// The part of the output from the preview on (the plan before it is tested elsewhere).
fn preview_part(text: &str, from: &str) -> String {
    text[text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in\n{text}"))..]
        .replace(env!("CARGO_MANIFEST_DIR"), "[ROOT]")
}

#[test]
fn acme_impact_in_text_reads_only_and_counts_its_requests() {
    let org = Org::acme();
    let yaml = acme_yaml();
    let run = org.run(&["plan", &yaml, "--impact", "Accounts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(org.counters().writes, 0, "plan --impact only reads");
    // The rule analysis's warnings go to stderr in a terminal, as the files' warnings do.
    assert!(
        run.stderr.contains("warning[analysis::repeats-parent]"),
        "{}",
        run.stderr
    );
    // Seoul's South Korea no longer reaches Japan; Osaka and Kyoto do; Busan is Japan's by
    // hand; Lone Star's manual US Central becomes Texas by the files' assignments.
    insta::assert_snapshot!("acme_text", preview_part(&run.stdout, "Impact on records"));
}

#[test]
fn acme_impact_in_markdown_is_a_table_under_needs_attention() {
    let org = Org::acme();
    let yaml = acme_yaml();
    let run = org.run(&["plan", &yaml, "--impact", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let attention = preview_part(&run.stdout, "**Needs attention**");
    let attention = &attention[..attention.find("**Affected territories**").unwrap()];
    assert!(attention.contains("- **Records leave** `Japan`: 1 account leaves"));
    insta::assert_snapshot!("acme_markdown", attention);
}

#[test]
fn acme_impact_in_json_lists_every_record_and_the_requests() {
    let org = Org::acme();
    let yaml = acme_yaml();
    let run = org.run(&[
        "plan", &yaml, "--impact", "Accounts", "Deals", "--format", "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plan: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        plan["format_version"], 1,
        "still the plan, with `impact` beside it"
    );
    let modules: Vec<&str> = plan["impact"]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["module"].as_str().unwrap())
        .collect();
    assert_eq!(modules, ["Accounts", "Deals"]);
    // One page per module: acme's fields metadata is read with the org already.
    assert_eq!(plan["impact"]["requests"], 2);
    insta::assert_snapshot!(
        "acme_json",
        serde_json::to_string_pretty(&plan["impact"]).unwrap()
    );
}

#[test]
fn the_cap_stops_reading_and_says_the_preview_is_partial() {
    let org = Org::acme();
    let yaml = acme_yaml();
    let run = org.run(&[
        "plan",
        &yaml,
        "--impact",
        "Accounts",
        "--impact-max-records",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plan: Value = serde_json::from_str(&run.stdout).unwrap();
    let accounts = &plan["impact"]["modules"][0];
    assert_eq!(
        (accounts["records"].as_u64(), accounts["partial"].as_bool()),
        (Some(3), Some(true))
    );
    assert!(
        accounts["notes"][0]
            .as_str()
            .unwrap()
            .contains("only the first 3 records")
    );
    let text = org.run(&[
        "plan",
        &yaml,
        "--impact",
        "Accounts",
        "--impact-max-records",
        "3",
    ]);
    assert!(
        text.stdout.contains(
            "Accounts: 3 accounts read in 1 request, stopped at --impact-max-records 3 (partial)"
        ),
        "{}",
        text.stdout
    );
}

#[test]
fn contacts_and_unknown_modules_are_refused_with_what_to_do() {
    let org = Org::acme();
    let yaml = acme_yaml();
    let contacts = org.run(&["plan", &yaml, "--impact", "Contacts"]);
    assert_eq!(contacts.code, 2, "a usage error: {}", contacts.stderr);
    assert!(
        contacts
            .stderr
            .contains("Contacts have no territory rules of their own")
    );
    let path_first = org.run(&["plan", "--impact", &yaml]);
    assert!(
        path_first
            .stderr
            .contains("put the desired-state paths before `--impact`"),
        "{}",
        path_first.stderr
    );
    assert_eq!(org.counters().total, 0, "nothing was read");
}

#[test]
fn names_from_yaml_and_zoho_are_escaped_in_every_format() {
    let hostile = "Evil | `tick` \u{1b}[31m\u{202e}";
    let org = Org::with(|state| {
        let accounts = state.records.get_mut("Accounts").unwrap();
        let seoul = accounts
            .iter_mut()
            .find(|r| r.id == "4150868000004522089")
            .unwrap();
        seoul
            .fields
            .insert("Account_Name".into(), serde_json::json!(hostile));
    });
    let yaml = acme_yaml();
    let markdown = org.run(&[
        "plan", &yaml, "--impact", "Accounts", "--format", "markdown",
    ]);
    assert_eq!(markdown.code, 0, "{}", markdown.stderr);
    let row = markdown
        .stdout
        .lines()
        .find(|line| line.starts_with("| Accounts | `Japan`"))
        .unwrap();
    assert!(
        row.contains(r"``Evil \| `tick` \u{1b}[31m\u{202e}``"),
        "{row}"
    );
    assert_eq!(row.matches(" | ").count(), 4, "no cell breaks out: {row}");
    let text = org.run(&["plan", &yaml, "--impact", "Accounts"]);
    assert!(
        text.stdout.contains(r"Evil | `tick` \u{1b}[31m\u{202e}"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains('\u{1b}') && !text.stdout.contains('\u{202e}'));
    let json = org.run(&["plan", &yaml, "--impact", "Accounts", "--format", "json"]);
    let plan: Value = serde_json::from_str(&json.stdout).unwrap();
    let names: Vec<&str> = plan["impact"]["modules"][0]["territories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["leaving"].as_array().unwrap())
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(
        names.contains(&hostile),
        "JSON keeps the exact name: {names:?}"
    );
}
