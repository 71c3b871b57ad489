//! `territoryctl --version` names the version and the commit it was built from, or says it was
//! not built from a git checkout (build.rs, build/git_commit.rs).

use std::path::Path;
use std::process::Command;

#[path = "../../build/git_commit.rs"]
#[allow(dead_code)]
mod git_commit;

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        // Whatever the machine's git configuration says about signing.
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .trim()
        .to_owned()
}

fn version_of(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(args)
        .output()
        .expect("territoryctl runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_binary_names_its_version_and_the_commit_of_this_checkout() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // This test runs from the source it was built from: the same answer build.rs got, unless a
    // commit was made between the build and the test run (cargo rebuilds before the next run).
    let expected = match git_commit::commit(dir) {
        Some(commit) => format!("(commit {commit})"),
        None => git_commit::NOT_A_CHECKOUT.to_owned(),
    };
    let version = version_of(&["--version"]);
    assert_eq!(
        version,
        format!("territoryctl {} {expected}\n", env!("CARGO_PKG_VERSION"))
    );
    // Every subcommand answers --version, under its own name.
    assert_eq!(
        version_of(&["plan", "--version"]),
        version.replacen("territoryctl", "territoryctl-plan", 1)
    );
    assert_eq!(version_of(&["-V"]), version);
}

#[test]
fn a_git_checkout_is_named_by_its_head_commit_and_its_refs_are_watched() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let repo = dir.path();
    git(repo, &["init", "--quiet", "--initial-branch=trunk"]);
    std::fs::write(repo.join("file"), "one").expect("write");
    git(repo, &["add", "file"]);
    git(repo, &["commit", "--quiet", "-m", "one"]);
    let head = git(repo, &["rev-parse", "HEAD"]);
    assert_eq!(git_commit::commit(repo).as_deref(), Some(head.as_str()));
    assert_eq!(
        git_commit::describe(Some(&head)),
        format!("(commit {head})")
    );
    let canonical = |path: &Path| path.canonicalize().expect("exists");
    let watched: Vec<_> = git_commit::watched(repo)
        .iter()
        .map(|path| canonical(path))
        .collect();
    assert_eq!(
        watched,
        [
            canonical(&repo.join(".git/HEAD")),
            canonical(&repo.join(".git/refs/heads/trunk"))
        ]
    );

    // A new commit: another answer.
    std::fs::write(repo.join("file"), "two").expect("write");
    git(repo, &["commit", "--quiet", "-am", "two"]);
    let second = git(repo, &["rev-parse", "HEAD"]);
    assert_ne!(second, head);
    assert_eq!(git_commit::commit(repo).as_deref(), Some(second.as_str()));

    // Packed refs (after `git gc`, or a fresh clone): packed-refs, and the directory a loose
    // ref would be written to, are watched instead.
    git(repo, &["pack-refs", "--all"]);
    let watched: Vec<_> = git_commit::watched(repo)
        .iter()
        .map(|path| canonical(path))
        .collect();
    assert_eq!(
        watched,
        [
            canonical(&repo.join(".git/HEAD")),
            canonical(&repo.join(".git/refs/heads")),
            canonical(&repo.join(".git/packed-refs"))
        ]
    );
}

#[test]
fn a_source_without_its_own_git_directory_names_no_commit() {
    // A crate unpacked from a tarball into a directory of some other repository: that
    // repository's commit is not the source's.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let repo = dir.path();
    git(repo, &["init", "--quiet"]);
    std::fs::write(repo.join("file"), "one").expect("write");
    git(repo, &["add", "file"]);
    git(repo, &["commit", "--quiet", "-m", "one"]);
    let unpacked = repo.join("territoryctl-0.1.0");
    std::fs::create_dir(&unpacked).expect("mkdir");
    assert_eq!(git_commit::commit(&unpacked), None);
    assert_eq!(
        git_commit::watched(&unpacked),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        git_commit::describe(None),
        "(not built from a git checkout)"
    );

    // A directory outside any repository.
    let plain = tempfile::tempdir().expect("a temporary directory");
    assert_eq!(git_commit::commit(plain.path()), None);
}

#[test]
fn only_commit_hashes_may_name_the_commit() {
    assert!(git_commit::is_commit_hash("5f95444"));
    assert!(git_commit::is_commit_hash(
        "5f95444c1a2b3c4d5e6f708192a3b4c5d6e7f809"
    ));
    assert!(!git_commit::is_commit_hash("5f9544"));
    assert!(!git_commit::is_commit_hash("main"));
    assert!(!git_commit::is_commit_hash("5F95444"));
    assert!(!git_commit::is_commit_hash("5f95444 ; rm -rf /"));
}
