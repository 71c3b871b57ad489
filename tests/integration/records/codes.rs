//! Every code on Zoho's three record-territory pages that the simulator can be made to send,
//! each shown in words with the exit code (5: some record failed; 1: the command failed).
//! Codes a correct client cannot provoke from the simulator (NO_PERMISSION,
//! AUTHORIZATION_FAILED, ALREADY_SCHEDULED, ALREADY_USED, MANDATORY_NOT_FOUND) are covered by
//! the unit tests of `records::explain`.

use zoho_crm_sim::Faults;

use super::{ASSIGN_ONE, GOLDEN_GATE, KIWI_LOCKED, LAGOS_LEAD, LONE_STAR, Org, THAMES_DEAL};

#[test]
fn limit_exceeded_says_a_deal_takes_one_territory() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "assign",
        "Deals",
        THAMES_DEAL,
        "--territory",
        "Canada",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "Deals {THAMES_DEAL}: failed: LIMIT_EXCEEDED: too many territories: a Deal can have one territory and other records ten, automatic ones included (this is a Deal); remove one first"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 record: 0 assigned, 0 scheduled, 1 failed.")
    );
}

#[test]
fn territory_not_enabled_says_leads_cannot_be_assigned_through_the_api() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "assign",
        "Leads",
        LAGOS_LEAD,
        "--territory",
        "Nordics",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "Leads {LAGOS_LEAD}: failed: TERRITORY_NOT_ENABLED: Zoho does not let the API assign or remove territories of Leads"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn not_allowed_says_automatic_territories_cannot_be_removed() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "remove",
        "Accounts",
        LONE_STAR,
        "--territory",
        "united states",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains("failed: NOT_ALLOWED: the territory `United States` was assigned automatically by its rules (system-assigned); only territories assigned manually can be removed"),
        "{}",
        run.stdout
    );
    assert_eq!(
        org.territories_of("Accounts", LONE_STAR).len(),
        2,
        "nothing removed"
    );
}

#[test]
fn invalid_data_says_the_territory_is_not_assigned() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "remove",
        "Accounts",
        GOLDEN_GATE,
        "--territory",
        "Canada",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "Accounts {GOLDEN_GATE}: failed: INVALID_DATA: the territory `Canada` is not assigned to this record (or no longer exists)"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn invalid_data_says_the_record_does_not_exist_on_both_endpoints() {
    let org = Org::acme();
    // One record: the single-record endpoint, which refuses the URL's id as a whole.
    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        "4150868000009999999",
        "--territory",
        "Canada",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains("Accounts 4150868000009999999: failed: INVALID_DATA: there is no Accounts record with this id"),
        "{}",
        run.stdout
    );
    assert_eq!(org.counters().get("POST", ASSIGN_ONE), 1);
    // Two records in one bulk request: the good one is still assigned.
    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        "4150868000009999999",
        GOLDEN_GATE,
        "--territory",
        "Canada",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stdout.contains("Accounts 4150868000009999999: failed: INVALID_DATA: there is no Accounts record with this id"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("Accounts {GOLDEN_GATE}: assigned Canada")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("2 records: 1 assigned, 0 scheduled, 1 failed.")
    );
    assert!(
        org.territories_of("Accounts", GOLDEN_GATE)
            .contains(&org.id_of("Canada"))
    );
}

#[test]
fn a_territory_named_twice_is_sent_once_so_zoho_has_no_already_used_to_say() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        GOLDEN_GATE,
        "--territory",
        "Japan",
        "--territory",
        "JAPAN",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains(&format!("Accounts {GOLDEN_GATE}: assigned Japan\n")),
        "{}",
        run.stdout
    );
    let japan = org.id_of("Japan");
    assert_eq!(
        org.territories_of("Accounts", GOLDEN_GATE)
            .iter()
            .filter(|id| **id == japan)
            .count(),
        1
    );
}

#[test]
fn record_locked_says_to_wait_until_it_is_unlocked() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        KIWI_LOCKED,
        "--territory",
        "Japan",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "Accounts {KIWI_LOCKED}: failed: RECORD_LOCKED: the record is locked (for example by an approval process); run again once it is unlocked"
        )),
        "{}",
        run.stdout
    );
}

/// Zoho answers a batch whose every item failed with INTERNAL_ERROR as HTTP 500: the client
/// cannot trust a 500 and reads the record back, which shows nothing changed.
#[test]
fn internal_error_is_read_back_and_said_not_applied() {
    let org = Org::acme();
    org.server().set_faults(Faults {
        item_failure_rate: 1.0,
        ..Faults::default()
    });
    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        GOLDEN_GATE,
        "--territory",
        "Japan",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("Accounts {GOLDEN_GATE}: failed: NOT_APPLIED: the request failed (Zoho answered HTTP 500) and reading back shows it was not applied; run again")),
        "{}",
        run.stdout
    );
    assert_eq!(
        org.territories_of("Accounts", GOLDEN_GATE),
        [org.id_of("Bay Area")]
    );
}

#[test]
fn oauth_scope_mismatch_names_the_scope_and_fails_the_command() {
    let org = Org::acme();
    let read_only = org
        .server()
        .mint_token(&["ZohoCRM.settings.territories.READ", "ZohoCRM.modules.READ"]);
    let run = org.run_with_token(
        &read_only,
        &[
            "records",
            "assign",
            "Accounts",
            GOLDEN_GATE,
            "--territory",
            "Japan",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("(OAUTH_SCOPE_MISMATCH)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("ZohoCRM.modules.UPDATE"),
        "{}",
        run.stderr
    );
    let no_records = org
        .server()
        .mint_token(&["ZohoCRM.settings.territories.READ"]);
    let run = org.run_with_token(&no_records, &["records", "get", "Accounts", GOLDEN_GATE]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("(OAUTH_SCOPE_MISMATCH)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("ZohoCRM.modules.READ"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_territory_name_is_refused_with_a_suggestion_before_any_write() {
    let org = Org::acme();
    let run = org.run(&[
        "records",
        "assign",
        "Accounts",
        GOLDEN_GATE,
        "--territory",
        "Nordic",
        "--territory",
        "Atlantis",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no territory is named `Nordic`, `Atlantis`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`Nordic`: did you mean `Nordics`?"),
        "{}",
        run.stderr
    );
    assert_eq!(org.counters().writes, 0);
}
