//! Loading the state file, and writing it back atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::state::State;

/// Why a state file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("could not read the state file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the state file {path} is not a valid simulator state: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("the state file {path} is inconsistent: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// The largest state file read: far above any org's (20,000 territories are about 10 MiB),
/// and a bound on what `--state /dev/zero` or a FIFO can make the simulator read.
const MAX_STATE_BYTES: u64 = 128 * 1024 * 1024;

fn read_capped(path: &Path) -> std::io::Result<String> {
    use std::io::Read as _;
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_STATE_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_STATE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB",
            MAX_STATE_BYTES / (1024 * 1024)
        )));
    }
    Ok(text)
}

pub(crate) fn load(path: &Path) -> Result<State, LoadError> {
    let text = read_capped(path).map_err(|source| LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut state: State = serde_json::from_str(&text).map_err(|source| LoadError::Parse {
        path: path.to_owned(),
        source,
    })?;
    state.reindex();
    state.check().map_err(|reason| LoadError::Invalid {
        path: path.to_owned(),
        reason,
    })?;
    Ok(state)
}

/// Writes to a temporary file in the same directory, then renames it over `path`, so a crash
/// leaves either the old file or the new one, never a torn one.
pub(crate) fn save(path: &Path, state: &State) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(directory)?;
    let mut text = serde_json::to_string_pretty(state).map_err(std::io::Error::other)?;
    text.push('\n');
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}
