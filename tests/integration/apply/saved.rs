//! `apply PLAN.json` through the binary: a saved plan is an expectation to check, never an
//! instruction to follow. Tampered files, a plan for another org, a child created in the UI
//! under a territory the plan deletes, a deactivated manager, and a partial apply followed by
//! the same plan again, each against a simulator whose counters show what was sent.

use std::path::{Path, PathBuf};

use zoho_crm_sim::Server;

use super::support::{Output, acme_org, territoryctl};

fn acme(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/acme")
        .join(file)
}

fn yaml() -> String {
    acme("territories.yaml").display().to_string()
}

/// A scratch file path of this test process.
fn scratch(test: &str) -> PathBuf {
    let directory =
        std::env::temp_dir().join(format!("territoryctl-saved-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    directory.join("plan.json")
}

/// `plan examples/acme --out FILE` through the binary, as the pull-request job runs it.
async fn plan_to_file(server: &Server, file: &Path) {
    let file = file.display().to_string();
    let planned = territoryctl(
        server,
        &["plan", &yaml(), "--out", &file, "--format", "json"],
    )
    .await;
    assert_eq!(planned.code, 0, "{planned}");
    server.reset_counters();
}

fn edit_plan(file: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    edit(&mut plan);
    std::fs::write(file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
}

/// The change of the plan file with `key`.
fn change<'a>(plan: &'a mut serde_json::Value, key: &str) -> &'a mut serde_json::Value {
    plan["changes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|change| change["key"] == key)
        .unwrap_or_else(|| panic!("the plan has {key}"))
}

/// `apply FILE --yes` (with `extra` flags), the apply job's step.
async fn apply(server: &Server, file: &Path, extra: &[&str]) -> Output {
    let file = file.display().to_string();
    let mut args = vec!["apply", file.as_str(), "--yes"];
    args.extend(extra);
    territoryctl(server, &args).await
}

fn exists(server: &Server, name: &str) -> bool {
    server
        .state()
        .territories
        .iter()
        .any(|territory| territory.name == name)
}

const CANADA: &str = "update:4150868000000500012";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_file_claiming_no_deletions_does_not_delete_without_allow_delete() {
    let server = acme_org().await;
    let file = scratch("no-deletions");
    plan_to_file(&server, &file).await;
    edit_plan(&file, |plan| {
        assert_eq!(
            plan["contains_deletions"], true,
            "the acme plan deletes two"
        );
        plan["contains_deletions"] = false.into();
    });

    let refused = apply(&server, &file, &[]).await;

    assert_eq!(refused.code, 4, "{refused}");
    assert!(
        refused.stderr.contains(
            "`contains_deletions`: the plan file says false, a plan made now says true (its changes delete 2)"
        ),
        "{refused}"
    );
    assert_eq!(server.counters().writes, 0, "nothing was sent");
    assert!(exists(&server, "Legacy Partners") && exists(&server, "Inside Sales"));

    // The untouched file still needs `--allow-delete`: decided from its changes.
    plan_to_file(&server, &file).await;
    let refused = apply(&server, &file, &[]).await;
    assert_eq!(refused.code, 3, "{refused}");
    assert!(
        refused
            .stderr
            .contains("the plan deletes 2 territories: `Inside Sales`, `Legacy Partners`"),
        "{refused}"
    );
    assert_eq!(server.counters().writes, 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_change_is_refused_with_the_difference_named() {
    let server = acme_org().await;
    let file = scratch("edited");
    plan_to_file(&server, &file).await;
    edit_plan(&file, |plan| {
        // Canada's new manager becomes someone the files do not name, and a delete the
        // reviewer saw is left out.
        let field = &mut change(plan, CANADA)["action"]["fields"][0];
        assert_eq!(field["field"], "manager");
        field["new"]["id"] = "4150868000000411002".into();
        let changes = plan["changes"].as_array_mut().unwrap();
        changes.retain(|change| change["key"] != "delete:4150868000000500031");
    });

    let refused = apply(&server, &file, &["--allow-delete"]).await;

    assert_eq!(refused.code, 4, "{refused}");
    assert!(
        refused.stderr.contains(&format!(
            "change {CANADA} (`Canada`) differs from a plan made now: action.fields[0].new.id: \
             the plan file says \"4150868000000411002\", a plan made now says \"4150868000000411003\""
        )),
        "{refused}"
    );
    assert!(
        refused.stderr.contains(
            "a plan made now has a change the saved plan has not: delete:4150868000000500031 (`Inside Sales`)"
        ),
        "{refused}"
    );
    assert_eq!(server.counters().writes, 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emptied_binding_is_still_checked() {
    let server = acme_org().await;
    let file = scratch("emptied");
    plan_to_file(&server, &file).await;
    edit_plan(&file, |plan| {
        plan["binding"]["territories"] = serde_json::json!({});
        plan["binding"]["users"] = serde_json::json!({});
        plan["binding"]["free_names"] = serde_json::json!([]);
    });

    let refused = apply(&server, &file, &["--allow-delete"]).await;

    assert_eq!(refused.code, 4, "{refused}");
    assert!(
        refused.stderr.contains(
            "the binding of territory `Canada` (id 4150868000000500012): the plan file says nothing, a plan made now says its fingerprint"
        ),
        "{refused}"
    );
    assert!(
        refused.stderr.contains(
            "the binding of user `amy.chen@acme.example` (id 4150868000000411003): the plan file says nothing"
        ),
        "{refused}"
    );
    assert_eq!(server.counters().writes, 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_for_another_org_is_refused() {
    let planned_on = acme_org().await;
    let file = scratch("other-org");
    plan_to_file(&planned_on, &file).await;
    // The same territories (a sandbox copied from production, say), another org.
    let other = acme_org().await;
    other.update_state(|state| {
        state.org.id = "4150868000000000999".into();
        state.org.company_name = "Acme Sandbox".into();
    });

    let refused = apply(&other, &file, &["--allow-delete"]).await;

    assert_eq!(refused.code, 4, "{refused}");
    assert!(
        refused.stderr.contains(
            "the plan was made for the org `Acme Corp` (id 4150868000000000001); this is the org `Acme Sandbox` (id 4150868000000000999)"
        ),
        "{refused}"
    );
    assert_eq!(other.counters().writes, 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_child_created_in_the_ui_under_a_deleted_territory_makes_the_plan_stale() {
    let server = acme_org().await;
    let file = scratch("child");
    plan_to_file(&server, &file).await;
    let mut child_id = String::new();
    server.update_state(|state| {
        let legacy = state
            .territories
            .iter()
            .find(|territory| territory.name == "Legacy Partners")
            .unwrap();
        let mut child = legacy.as_ref().clone();
        child.reporting_to = Some(legacy.id.clone());
        child.id = state.allocate_id();
        child.name = "Legacy Resellers".into();
        child.api_name = "Legacy_Resellers".into();
        child_id.clone_from(&child.id);
        state.add_territory(child);
    });

    let refused = apply(&server, &file, &["--allow-delete"]).await;

    assert_eq!(refused.code, 4, "{refused}");
    assert!(
        refused.stderr.contains(&format!(
            "territory `Legacy Partners` (id 4150868000000500030), which the plan deletes, has \
             children it had not when the plan was made: `Legacy Resellers` (id {child_id})"
        )),
        "{refused}"
    );
    assert_eq!(server.counters().writes, 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_deactivated_after_plan_makes_it_stale() {
    let server = acme_org().await;
    let file = scratch("manager");
    plan_to_file(&server, &file).await;
    server.update_state(|state| {
        let amy = state
            .users
            .iter_mut()
            .find(|user| user.email == "amy.chen@acme.example")
            .unwrap();
        amy.status = "inactive".into();
    });

    let refused = apply(&server, &file, &["--allow-delete"]).await;

    assert_eq!(refused.code, 4, "{refused}");
    assert!(
        refused.stderr.contains(
            "user `amy.chen@acme.example` (id 4150868000000411003), whom the plan makes a manager, is no longer an active user"
        ),
        "{refused}"
    );
    assert_eq!(server.counters().writes, 0, "nothing was sent");
}

/// The org is full: the creates fail (and what depends on them is skipped), the rest is done.
async fn partly_applied(test: &str) -> (Server, PathBuf) {
    let server = acme_org().await;
    let file = scratch(test);
    plan_to_file(&server, &file).await;
    server.update_state(|state| state.limits.territories = state.territories.len());
    let partial = apply(&server, &file, &["--allow-delete"]).await;
    assert_eq!(partial.code, 5, "{partial}");
    assert!(!exists(&server, "Legacy Partners"), "the deletes were done");
    assert!(!exists(&server, "Brazil"), "the creates were not");
    server.update_state(|state| state.limits.territories = 1_000);
    server.reset_counters();
    (server, file)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_plan_after_a_partial_apply_carries_on_and_converges() {
    let (server, file) = partly_applied("partial").await;

    let again = apply(&server, &file, &["--allow-delete"]).await;

    assert_eq!(again.code, 0, "{again}");
    assert!(
        again.stderr.contains(
            "of the saved plan's 17 changes are done already (an earlier apply of this plan)"
        ),
        "{again}"
    );
    assert!(exists(&server, "Brazil") && exists(&server, "São Paulo"));
    assert!(server.counters().writes > 0);
    let settled = territoryctl(&server, &["plan", &yaml(), "--detailed-exitcode"]).await;
    assert_eq!(settled.code, 0, "converged: {settled}");
    assert!(settled.stdout.contains("No changes"), "{settled}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_by_someone_else_after_a_partial_apply_is_still_stale() {
    let (server, file) = partly_applied("someone-else").await;
    // Someone edits a territory the partial apply already updated.
    server.update_state(|state| {
        let uk = state
            .territories
            .iter_mut()
            .find(|territory| territory.name == "UK and Ireland")
            .unwrap();
        uk.description = Some("Edited in the Zoho UI.".into());
        uk.modified_time = "2026-12-01T10:00:00+00:00".into();
    });

    let refused = apply(&server, &file, &["--allow-delete"]).await;

    assert_eq!(refused.code, 4, "{refused}");
    assert!(
        refused.stderr.contains(
            "change update:4150868000000500019 (`UK and Ireland`) differs from a plan made now"
        ) || refused.stderr.contains(
            "a plan made now has a change the saved plan has not: update:4150868000000500019"
        ),
        "{refused}"
    );
    assert_eq!(server.counters().writes, 0, "nothing was sent");
}
