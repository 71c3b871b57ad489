//! The pull-request comment of the GitOps example: territories-plan.yml's "Plan" step, with
//! `--impact Accounts`, on examples/acme with a `policy:` section, against the simulator. The
//! acme files change Japan's Accounts rule (South Korea no longer reaches it), so the comment
//! shows records moving, the rule analysis's warnings and the policy's (the pull request also
//! adds a third user to `US West`, over the team's limit of two).

use crate::records::Org;

/// Team policy for the example: warnings only, so the plan is still shown.
const POLICY: &str = "
policy:
  manager_required: { level: error }
  max_depth: { level: warning, max: 3 }
  max_users: { level: warning, limit: 2 }
";

#[test]
fn the_pr_comment_shows_impact_analysis_and_policy_findings() {
    let dir = tempfile::tempdir().unwrap();
    let acme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/acme/territories.yaml"
    ))
    .unwrap();
    let territories = dir.path().join("territories");
    std::fs::create_dir(&territories).unwrap();
    let us_west = "users: [marco.rossi@acme.example, amy.chen@acme.example]";
    assert!(acme.contains(us_west));
    let acme = acme.replace(
        us_west,
        "users: [marco.rossi@acme.example, amy.chen@acme.example, sophie.martin@acme.example]",
    );
    std::fs::write(territories.join("territories.yaml"), acme + POLICY).unwrap();
    let plan_file = dir.path().join("plan.json");
    let org = Org::acme();
    // As territories-plan.yml runs it, with the preview.
    let run = org.run(&[
        "plan",
        territories.to_str().unwrap(),
        "--format",
        "markdown",
        "--max-change-percent",
        "30",
        "--out",
        plan_file.to_str().unwrap(),
        "--detailed-exitcode",
        "--impact",
        "Accounts",
    ]);
    assert_eq!(run.code, 2, "changes: {}", run.stderr);
    assert_eq!(org.counters().writes, 0, "the plan only reads");
    let comment = run.stdout.replace(dir.path().to_str().unwrap(), "[DIR]");
    for part in [
        "**Impact on records**",
        "- **Records leave** `Japan`: 1 account leaves",
        "`analysis::repeats-parent`",
        "`policy::max-users`",
        "`policy::max-depth`",
    ] {
        assert!(comment.contains(part), "{part} in\n{comment}");
    }
    // The whole comment fits one GitHub comment, with room for the sticky marker.
    assert!(comment.len() < 65_536 - 200, "{}", comment.len());
    insta::assert_snapshot!("pr_comment", comment);
}
