//! `records get`: each record's territories and how each got there.

use super::{DANA_CONTACT, GOLDEN_GATE, LONE_STAR, Org, without_times};

#[test]
fn get_shows_a_table_and_says_which_records_do_not_exist() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "get",
        "accounts",
        LONE_STAR,
        "4150868000009999999",
        GOLDEN_GATE,
    ]);
    assert_eq!(
        run.code, 1,
        "a missing record fails the command: {}",
        run.stderr
    );
    insta::assert_snapshot!("get_table", without_times(&run.stdout));
    assert!(
        run.stderr
            .contains("1 of the Accounts records asked for does not exist: 4150868000009999999"),
        "{}",
        run.stderr
    );
}

#[test]
fn get_renders_json_with_stable_keys() {
    let org = Org::acme();
    let run = org.run(&["records", "get", "Accounts", LONE_STAR, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("get_json", without_times(&run.stdout));
    let run = org.run(&["records", "get", "Contacts", DANA_CONTACT]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains(&format!("{DANA_CONTACT}  (no territories)")),
        "{}",
        run.stdout
    );
}

#[test]
fn get_refuses_a_bad_module_or_id_before_asking_zoho() {
    let org = Org::acme();
    let run = org.run(&["records", "get", "Tasks", LONE_STAR]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown module `Tasks`"),
        "{}",
        run.stderr
    );
    let run = org.run(&["records", "get", "Accounts", "Lone Star"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("`Lone Star` is not a record id"),
        "{}",
        run.stderr
    );
    assert_eq!(org.counters().total, 0);
}

#[test]
fn records_help() {
    for command in ["get", "assign"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_territoryctl"))
            .args(["records", command, "--help"])
            .output()
            .expect("territoryctl runs");
        assert_eq!(output.status.code(), Some(0));
        let help = String::from_utf8_lossy(&output.stdout);
        // Only the command's own part: the global connection flags belong to the client's tests.
        let own = help.split("\nConnection:").next().unwrap_or_default();
        insta::assert_snapshot!(format!("records_{command}_help"), own);
    }
}
