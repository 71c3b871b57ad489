//! Reading desired-state YAML into a validated [`Desired`](crate::model::Desired). No network.
//!
//! The flow: [`source`] finds and reads the files (UTF-8, size, emptiness), [`parse`] turns
//! each into a [`raw`] document with spans (the only use of serde-saphyr), and [`validate`]
//! runs every check over all files at once, collecting each problem as a [`Problem`] with a
//! stable [`Code`], a labelled snippet and a help line. The model is built only when no
//! problem is an error.

mod code;
mod file;
pub mod online;
mod parse;
mod policy;
mod problem;
mod raw;
mod schema;
mod source;
mod span;

mod validate;

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

use crate::model::Desired;

pub use code::Code;
pub use problem::Problem;
pub use schema::{SCHEMA_PATH, schema_json};
pub use source::Sources;
pub(crate) use source::{MAX_FILE_BYTES, read_capped};

/// A successfully loaded desired state, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub desired: Desired,
    /// Problems that do not stop the desired state from being used.
    pub warnings: Vec<Problem>,
    /// `run_rules: true`: `apply` runs the rules of the territories it changed.
    pub run_rules: bool,
    /// The `policy:` checks the files turn on.
    pub policy: crate::policy::Policy,
    /// The files read, for the checks against the live org ([`online::check`]).
    pub sources: Sources,
}

/// Every problem found in the desired-state files: all errors, and the warnings beside them.
#[derive(Debug, Diagnostic, Error)]
#[error("{}", self.summary())]
pub struct ConfigReport {
    #[related]
    pub errors: Vec<Problem>,
}

impl ConfigReport {
    /// How many of the problems are errors (the rest are warnings).
    #[must_use]
    pub fn error_count(&self) -> usize {
        self.errors
            .iter()
            .filter(|problem| problem.is_error())
            .count()
    }

    fn summary(&self) -> String {
        match self.error_count() {
            1 => "the desired state has 1 error".to_owned(),
            count => format!("the desired state has {count} errors"),
        }
    }
}

/// Reads and parses `paths`, several files at once on as many threads as there are cores (a
/// desired state split by region parses in a fraction of the time), results in path order.
/// A file parsed, with the unknown keys and wrong types read past (see
/// [`parse::parse_recovering`]), or every problem of a file that could not be parsed.
type Parsed = Result<(source::SourceFile, raw::Document, Vec<Problem>), Vec<Problem>>;

fn read_and_parse(paths: &[PathBuf]) -> Vec<Parsed> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let one = |path: &PathBuf| -> Parsed {
        let file = source::read(path).map_err(|problem| vec![problem])?;
        let (document, problems) = parse::parse_recovering(&file)?;
        Ok((file, document, problems))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(paths.len());
    if threads <= 1 {
        return paths.iter().map(one).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = paths.get(at) else {
                return done;
            };
            done.push((at, one(path)));
        }
    };
    let mut results: Vec<Option<_>> = std::iter::repeat_with(|| None).take(paths.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                // The main thread's stack size: parsing recurses once per nesting level.
                std::thread::Builder::new()
                    .stack_size(PARSER_STACK)
                    .spawn_scoped(scope, work)
            })
            .collect();
        for worker in workers {
            let done = match worker {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: this one does the rest.
                Err(_) => work(),
            };
            for (at, result) in done {
                results[at] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .map(|result| result.expect("every path is taken by one worker"))
        .collect()
}

/// Stack of a parsing thread, as much as a main thread gets on Linux.
const PARSER_STACK: usize = 8 << 20;

/// Reads, parses and validates the files at `paths` (files, or directories of `*.yaml` and
/// `*.yml` files, merged).
///
/// # Errors
/// Every problem found, at once: unreadable files, YAML that does not parse, and every
/// failed check of the content.
pub fn load(paths: &[PathBuf]) -> Result<Loaded, ConfigReport> {
    let (found, mut problems) = source::expand(paths);
    let mut parsed = Vec::with_capacity(found.len());
    // Unknown keys and wrong types do not stop the checks: they are reported with every
    // other problem of every file (the entries they are in left out).
    let mut structural = Vec::new();
    for result in read_and_parse(&found) {
        match result {
            Ok((file, document, found)) => {
                structural.extend(found);
                parsed.push((file, document));
            }
            Err(found) => problems.extend(found),
        }
    }
    // Checks across files (parents, duplicates) would mislead while a file is missing.
    if !problems.is_empty() {
        problems.extend(structural);
        return Err(ConfigReport { errors: problems });
    }
    // Files that disagree on it are an error of `validate`, so the first one set is the value.
    let run_rules = parsed
        .iter()
        .find_map(|(_, document)| document.run_rules.as_ref().map(|site| site.value))
        .unwrap_or(false);
    let sources = Sources::new(parsed.iter().map(|(file, _)| file.clone()).collect());
    let mut policy_problems = Vec::new();
    let policy = policy::policy(&parsed, &mut policy_problems);
    let (desired, mut problems) = validate::validate(parsed);
    problems.extend(policy_problems);
    let failed = !structural.is_empty()
        || problems
            .iter()
            .any(|problem| problem.severity() == Some(miette::Severity::Error));
    match desired {
        Some(desired) if !failed => Ok(Loaded {
            desired,
            warnings: problems,
            run_rules,
            policy,
            sources,
        }),
        _ => {
            problems.extend(structural);
            // In file order, then position: each file's problems read top to bottom.
            problems.sort_by(|left, right| left.position().cmp(&right.position()));
            Err(ConfigReport { errors: problems })
        }
    }
}
