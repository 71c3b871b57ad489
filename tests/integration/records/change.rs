//! `records assign|remove`: batches, the single-record endpoint, confirmation, CSV input and
//! scheduled jobs.

use super::{ASSIGN_BULK, ASSIGN_ONE, GOLDEN_GATE, JOBS, LONE_STAR, Org, REMOVE_ONE};
use zoho_crm_sim::state::Record;

/// 25 more Contacts without territories: 4150868000007000000 .. 4150868000007000024.
fn contacts() -> Vec<String> {
    (0..25)
        .map(|n| format!("41508680000070000{n:02}"))
        .collect()
}

fn org_with_contacts() -> Org {
    Org::with(|state| {
        let records = state.records.entry("Contacts".into()).or_default();
        for id in contacts() {
            records.push(Record {
                id,
                fields: Default::default(),
                territories: Vec::new(),
                locked: false,
            });
        }
    })
}

#[test]
fn twenty_five_records_go_in_three_requests_with_yes() {
    let org = org_with_contacts();
    let ids = contacts();
    let mut args = vec!["records", "assign", "Contacts"];
    args.extend(ids.iter().map(String::as_str));
    args.extend(["--territory", "EMEA", "--territory", "apac", "--yes"]);
    let run = org.run(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(org.counters().get("POST", ASSIGN_BULK), 3);
    assert_eq!(org.counters().get("POST", ASSIGN_ONE), 0);
    assert!(
        run.stdout
            .contains("25 records: 25 assigned, 0 scheduled, 0 failed."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("Contacts {}: assigned EMEA, APAC\n", ids[24]))
    );
    for id in &ids {
        assert_eq!(
            org.territories_of("Contacts", id),
            [org.id_of("EMEA"), org.id_of("APAC")]
        );
    }
}

#[test]
fn more_than_ten_records_without_a_terminal_or_yes_are_refused() {
    let org = org_with_contacts();
    let ids = contacts();
    let mut args = vec!["records", "assign", "Contacts"];
    args.extend(ids[..11].iter().map(String::as_str));
    args.extend(["--territory", "EMEA"]);
    let run = org.run(&args);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("refusing to change the territories of 11 records without confirmation"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("add `--yes`"), "{}", run.stderr);
    assert_eq!(org.counters().writes, 0);
    // Ten records need no confirmation.
    let mut args = vec!["records", "assign", "Contacts"];
    args.extend(ids[..10].iter().map(String::as_str));
    args.extend(["--territory", "EMEA"]);
    let run = org.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(org.counters().get("POST", ASSIGN_BULK), 1);
}

#[test]
fn one_record_goes_to_the_single_record_endpoint_and_remove_takes_it_off() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "remove",
        "accounts",
        LONE_STAR,
        "--territory",
        "US Central",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "Accounts {LONE_STAR}: removed US Central\n\n1 record: 1 removed, 0 scheduled, 0 failed.\n"
        )
    );
    assert_eq!(org.counters().get("POST", REMOVE_ONE), 1);
    assert_eq!(
        org.territories_of("Accounts", LONE_STAR),
        [org.id_of("United States")]
    );
}

fn csv_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "territoryctl-records-{}-{name}.csv",
        std::process::id()
    ));
    std::fs::write(&path, text).expect("write the CSV");
    path
}

#[test]
fn a_csv_with_a_bad_row_is_refused_with_its_line_before_any_write() {
    let org = Org::acme();
    let path = csv_file(
        "bad",
        &format!(
            "module,record_id,territory\nAccounts,{GOLDEN_GATE},Japan\nAccounts,not-an-id,Japan\n"
        ),
    );
    let run = org.run(&["records", "assign", "--from-file", path.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("has 1 bad row"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("line 3: `not-an-id` is not a record id (a number)"),
        "{}",
        run.stderr
    );
    assert_eq!(org.counters().total, 0, "not even a read");
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_csv_groups_pairs_per_module_and_record() {
    let org = Org::acme();
    let path = csv_file(
        "good",
        &format!(
            "module,record_id,territory\nAccounts,{GOLDEN_GATE},Japan\nContacts,4150868000004530011,India\nAccounts,{GOLDEN_GATE},India\n"
        ),
    );
    let run = org.run(&["records", "assign", "--from-file", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "Accounts {GOLDEN_GATE}: assigned Japan, India\nContacts 4150868000004530011: assigned India\n\n2 records: 2 assigned, 0 scheduled, 0 failed.\n"
        )
    );
    // One record per module: each went to the single-record endpoint.
    assert_eq!(org.counters().get("POST", ASSIGN_ONE), 2);
    std::fs::remove_file(path).unwrap();
}

#[test]
fn scheduled_jobs_are_reported_and_waited_for() {
    let org = Org::with(|state| state.flags.offload_parent_territory = true);
    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        GOLDEN_GATE,
        "--territory",
        "Japan",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let job = org.server().state().jobs[0].job_id.clone();
    assert_eq!(
        run.stdout,
        format!(
            "Accounts {GOLDEN_GATE}: scheduled as job {job} (Japan); Zoho applies it in the background (offloaded parent territory); `--wait` follows it\n\n1 record: 0 assigned, 1 scheduled, 0 failed.\n"
        )
    );
    assert_eq!(org.counters().get("GET", JOBS), 0);

    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        LONE_STAR,
        "--territory",
        "India",
        "--wait",
        "--wait-timeout",
        "60",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let job = org.server().state().jobs[1].job_id.clone();
    assert_eq!(
        run.stdout,
        format!(
            "Accounts {LONE_STAR}: assigned India (job {job} completed)\n\n1 record: 1 assigned, 0 scheduled, 0 failed.\n"
        )
    );
    assert_eq!(
        org.counters().get("GET", JOBS),
        1,
        "the simulator's jobs complete at once: one poll"
    );
}

/// Assigning a territory the record already has is done, not a `DUPLICATE_DATA` failure of
/// the whole record: nothing is sent for it, and the territories it lacks are still sent.
#[test]
fn a_territory_the_record_already_has_counts_as_done() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        GOLDEN_GATE,
        "--territory",
        "bay area",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "Accounts {GOLDEN_GATE}: already has Bay Area: nothing to send\n"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 record: 1 assigned, 0 scheduled, 0 failed.")
    );
    assert_eq!(org.counters().writes, 0);

    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        GOLDEN_GATE,
        "--territory",
        "Bay Area",
        "--territory",
        "EMEA",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "Accounts {GOLDEN_GATE}: assigned Bay Area, EMEA\n"
        )),
        "{}",
        run.stdout
    );
    assert_eq!(org.counters().get("POST", ASSIGN_ONE), 1);
    let territories = org.territories_of("Accounts", GOLDEN_GATE);
    assert!(territories.contains(&org.id_of("Bay Area")));
    assert!(territories.contains(&org.id_of("EMEA")));
}

/// A module spelt almost right gets a "did you mean", and nothing is read.
#[test]
fn a_misspelt_module_gets_a_suggestion() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "assign",
        "Account",
        GOLDEN_GATE,
        "--territory",
        "EMEA",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("unknown module `Account`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `Accounts`?"),
        "{}",
        run.stderr
    );
    assert_eq!(org.counters().total, 0);
}

/// The one confirmation prompt: on a terminal (`script` gives the command one as stdin) only
/// `yes` goes on, as at `apply`; `y`, accepted before the two prompts were one, cancels.
#[test]
fn on_a_terminal_only_yes_confirms_many_records() {
    let org = org_with_contacts();
    let ids = contacts();
    let base = org.server().base_url();
    let answer = |typed: &str| {
        let command = format!(
            "'{}' records assign Contacts {} --territory EMEA --color never --api-domain {base} \
             --accounts-url {base}/oauth/v2/token 2>&1",
            env!("CARGO_BIN_EXE_territoryctl"),
            ids[..11].join(" "),
        );
        let mut child = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env("ZOHO_ACCESS_TOKEN", org.server().access_token())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("`script` (util-linux) runs");
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        let _ = stdin.write_all(typed.as_bytes());
        drop(stdin);
        let output = child.wait_with_output().expect("script finishes");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let text = answer("y\n");
    assert!(
        text.contains("Assign territories to 11 records? Only `yes` is accepted: "),
        "{text}"
    );
    assert!(text.contains("cancelled: nothing was changed"), "{text}");
    assert_eq!(org.counters().writes, 0);
    let text = answer("yes\n");
    assert!(
        text.contains("11 records: 11 assigned, 0 scheduled, 0 failed."),
        "{text}"
    );
    for id in &ids[..11] {
        assert_eq!(org.territories_of("Contacts", id), [org.id_of("EMEA")]);
    }
}
