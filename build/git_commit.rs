//! The commit `territoryctl --version` names: read from git by build.rs, and tested on its
//! own by tests/integration/version.rs (which includes this file).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Said instead of a commit when there is none to name (a crate unpacked from a tarball, a
/// source tree without git).
pub(crate) const NOT_A_CHECKOUT: &str = "(not built from a git checkout)";

/// The environment variable that names the commit when the source has no `.git` (a container
/// build whose context leaves `.git` out). build.rs checks it is a commit hash.
pub(crate) const COMMIT_VARIABLE: &str = "TERRITORYCTL_BUILD_COMMIT";

/// The commit checked out in `dir`, when `dir` is the top of a git work tree (it holds `.git`,
/// a directory, or a file for a linked worktree) and `git` runs there. Without its own `.git`,
/// `dir` may be a crate unpacked inside some other repository, whose commit says nothing about
/// this source: None.
pub(crate) fn commit(dir: &Path) -> Option<String> {
    if !dir.join(".git").exists() {
        return None;
    }
    let commit = git(dir, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?;
    is_commit_hash(&commit).then_some(commit)
}

/// 7 to 64 lowercase hex digits: an abbreviated or full SHA-1 or SHA-256 commit id.
pub(crate) fn is_commit_hash(text: &str) -> bool {
    (7..=64).contains(&text.len())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

/// What follows the version number in `--version`.
pub(crate) fn describe(commit: Option<&str>) -> String {
    match commit {
        Some(commit) => format!("(commit {commit})"),
        None => NOT_A_CHECKOUT.to_owned(),
    }
}

/// The files that change when another commit is checked out or the branch moves: `HEAD` of
/// this work tree, the branch's ref (the loose file, or the directory it would be written to
/// while the ref is only packed) and `packed-refs`. Only paths that exist: cargo reruns a
/// build script on every build while a watched path is missing.
pub(crate) fn watched(dir: &Path) -> Vec<PathBuf> {
    if !dir.join(".git").exists() {
        return Vec::new();
    }
    let Some(git_dir) = git(dir, &["rev-parse", "--git-dir"]) else {
        return Vec::new();
    };
    let git_dir = dir.join(git_dir);
    let common_dir = git(dir, &["rev-parse", "--git-common-dir"])
        .map_or_else(|| git_dir.clone(), |common| dir.join(common));
    let mut paths = vec![git_dir.join("HEAD")];
    if let Some(branch) = git(dir, &["symbolic-ref", "--quiet", "HEAD"]) {
        let loose = common_dir.join(&branch);
        if loose.exists() {
            paths.push(loose);
        } else if let Some(parent) = loose.parent() {
            paths.push(parent.to_owned());
        }
    }
    paths.push(common_dir.join("packed-refs"));
    paths.retain(|path| path.exists());
    paths
}

/// `git ARGS` run in `dir`: its trimmed standard output when it succeeds, None when git is
/// missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}
