//! Names the commit territoryctl is built from, for `territoryctl --version`: sets
//! `TERRITORYCTL_VERSION` to `0.1.0 (commit <hash>)`, or `0.1.0 (not built from a git
//! checkout)` for a source without `.git` (a `cargo install` of a published crate) or when git
//! is not installed. `TERRITORYCTL_BUILD_COMMIT`, when set, names the commit instead (a
//! container build whose context leaves `.git` out).

use std::path::PathBuf;

#[path = "build/git_commit.rs"]
mod git_commit;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build/git_commit.rs");
    println!(
        "cargo::rerun-if-env-changed={}",
        git_commit::COMMIT_VARIABLE
    );
    for path in git_commit::watched(&dir) {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    let commit = match std::env::var(git_commit::COMMIT_VARIABLE) {
        Ok(named) if !named.is_empty() => {
            let named = named.trim().to_ascii_lowercase();
            assert!(
                git_commit::is_commit_hash(&named),
                "{} must be a commit hash (7 to 64 hex digits), not `{named}`",
                git_commit::COMMIT_VARIABLE
            );
            Some(named)
        }
        _ => git_commit::commit(&dir),
    };
    println!(
        "cargo::rustc-env=TERRITORYCTL_VERSION={} {}",
        env!("CARGO_PKG_VERSION"),
        git_commit::describe(commit.as_deref())
    );
}
