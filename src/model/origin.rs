use std::path::Path;
use std::sync::Arc;

/// Where in the desired-state files something was written: file and byte range.
///
/// Kept on the model so that checks made later against the live org (an unknown manager, a
/// field that does not exist) can still point into the YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<Path>,
    /// Byte offset into the file.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
}
