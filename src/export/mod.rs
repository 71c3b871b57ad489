//! `export`: the desired-state YAML of a live org, so that export then plan shows no changes.
//!
//! [`to_yaml`] is pure: it turns a [`Live`] into the text of one or more files, written by
//! hand (no YAML serializer) so that the output has the shortest faithful form a person would
//! write: flow mappings for single rules, `all:`/`any:` groups, literal blocks for multi-line
//! descriptions, quotes only where a reader would otherwise take a string for something else.
//! What the language cannot express (a manager who is not an active user, a criteria on a
//! deleted field) is written as a comment and reported as a [`Warning`]. [`write`] puts an
//! export on disk atomically.
//!
//! Territories are written depth-first, pre-order, siblings sorted by name
//! case-insensitively: every parent comes before its children, and a subtree reads together.

mod assignments;
mod block;
mod criteria;
mod document;
mod error;
mod files;
mod hierarchy;
mod lines;
mod modeline;
mod quote;
mod request;
mod slug;
mod territory;
mod users;
mod warning;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::model::{Live, Module};

pub use error::ExportError;
pub use files::{Destination, write};
pub use modeline::schema_reference;
pub use request::assignment_request;
pub use slug::ROOT_FILE;
pub use warning::Warning;

/// The file name of an export that is not split.
pub const SINGLE_FILE: &str = "territories.yaml";

/// Where the modeline points when the schema file cannot be found relative to the output.
pub const DEFAULT_SCHEMA_URL: &str = "https://raw.githubusercontent.com/territoryctl/territoryctl/main/schema/territories.schema.json";

/// How an export is laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Split {
    /// One file, [`SINGLE_FILE`].
    #[default]
    Single,
    /// [`ROOT_FILE`] with the settings and assignments, plus one file per top-level territory
    /// holding its whole subtree. A directory load merges them back.
    TopLevel,
}

/// What to export and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// What the `# yaml-language-server: $schema=` modeline points at: a path relative to the
    /// written file, or a URL.
    pub schema: String,
    pub split: Split,
    /// Records whose manual assignments to write, by module.
    pub assignments: BTreeMap<Module, BTreeSet<String>>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            schema: DEFAULT_SCHEMA_URL.to_owned(),
            split: Split::Single,
            assignments: BTreeMap::new(),
        }
    }
}

/// The result of an export: its files, and what could not be expressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The files, in the order a directory load reads them; paths are relative (a file name).
    pub files: Vec<ExportFile>,
    pub warnings: Vec<Warning>,
    /// How many territories below the root were written.
    pub territories: usize,
}

/// One file of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// Relative to the destination directory.
    pub path: PathBuf,
    pub text: String,
}

/// Writes the desired-state YAML of `live`. Pure and deterministic: the same live state and
/// options give byte-identical files.
///
/// # Errors
/// [`ExportError::NoRoot`] when `live` has no root territory.
pub fn to_yaml(live: &Live, options: &ExportOptions) -> Result<Export, ExportError> {
    document::build(live, options)
}
