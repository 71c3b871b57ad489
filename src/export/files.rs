//! Putting an export on disk: never over an existing file without `force`, and atomically (each
//! file is written to a temporary file beside it, flushed, then renamed over the target; a
//! directory export writes every temporary file before renaming any).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Export, ExportError, SINGLE_FILE, Split};

/// Where an export goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// One file (an export that is not split).
    File(PathBuf),
    /// A directory, each file of the export at its relative path inside.
    Directory(PathBuf),
}

impl Destination {
    /// Where `--out` puts an export laid out as `split`: a split export fills a directory;
    /// one file goes to `out`, or with the usual name inside it when `out` is a directory
    /// (existing, or written with a trailing slash). `None` for standard output.
    #[must_use]
    pub fn of(out: Option<&Path>, split: Split) -> Option<Self> {
        out.map(|out| match split {
            Split::TopLevel => Self::Directory(out.to_path_buf()),
            Split::Single
                if out.is_dir() || out.as_os_str().to_string_lossy().ends_with(['/', '\\']) =>
            {
                Self::File(out.join(SINGLE_FILE))
            }
            Split::Single => Self::File(out.to_path_buf()),
        })
    }

    /// The directory the files land in, which the schema modeline is relative to; for
    /// standard output (`None`) the current one, where `> territories.yaml` usually writes.
    #[must_use]
    pub fn directory(destination: Option<&Self>) -> PathBuf {
        match destination {
            Some(Self::Directory(directory)) => directory.clone(),
            Some(Self::File(file)) => file
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .map_or_else(|| ".".into(), Path::to_path_buf),
            None => ".".into(),
        }
    }
}

/// Writes `export` to `destination` and returns the paths written, in order.
///
/// # Errors
/// [`ExportError::Exists`] when a target exists and `force` is false;
/// [`ExportError::StaleFiles`] when a directory holds other YAML files (they would be merged
/// with the export when the directory is loaded); [`ExportError::Write`] when writing fails,
/// in which case nothing was replaced; [`ExportError::Rename`] when moving into place fails
/// part-way, which names what was already written.
pub fn write(
    export: &Export,
    destination: &Destination,
    force: bool,
) -> Result<Vec<PathBuf>, ExportError> {
    let targets: Vec<(PathBuf, &str)> = match destination {
        Destination::File(path) => {
            let text = export.files.first().map_or("", |file| file.text.as_str());
            vec![(path.clone(), text)]
        }
        Destination::Directory(directory) => {
            if directory.exists() && !directory.is_dir() {
                return Err(ExportError::NotADirectory {
                    path: directory.clone(),
                });
            }
            fs::create_dir_all(directory).map_err(|source| ExportError::Write {
                path: directory.clone(),
                source,
            })?;
            let targets: Vec<(PathBuf, &str)> = export
                .files
                .iter()
                .map(|file| (directory.join(&file.path), file.text.as_str()))
                .collect();
            check_stale(directory, &targets)?;
            targets
        }
    };
    let existing: Vec<PathBuf> = targets
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| path.clone())
        .collect();
    if !existing.is_empty() && !force {
        return Err(ExportError::Exists { paths: existing });
    }

    let mut temporaries: Vec<(PathBuf, &Path)> = Vec::new();
    for (path, text) in &targets {
        match write_temporary(path, text) {
            Ok(temporary) => temporaries.push((temporary, path)),
            Err(error) => {
                remove_all(temporaries.iter().map(|(temporary, _)| temporary));
                return Err(error);
            }
        }
    }
    let mut written = Vec::new();
    for (index, (temporary, path)) in temporaries.iter().enumerate() {
        if let Err(source) = fs::rename(temporary, path) {
            remove_all(temporaries[index..].iter().map(|(temporary, _)| temporary));
            return Err(ExportError::Rename {
                path: path.to_path_buf(),
                written,
                source,
            });
        }
        written.push(path.to_path_buf());
    }
    if let Some(directory) = written.first().and_then(|path| path.parent()) {
        // Make the renames durable; a failure here leaves correct files, so it is not an error.
        let _ = File::open(directory).and_then(|directory| directory.sync_all());
    }
    Ok(written)
}

/// Refuses a directory holding `*.yaml`/`*.yml` files the export does not write.
fn check_stale(directory: &Path, targets: &[(PathBuf, &str)]) -> Result<(), ExportError> {
    let entries = fs::read_dir(directory).map_err(|source| ExportError::Write {
        path: directory.to_path_buf(),
        source,
    })?;
    let mut stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "yaml" || extension == "yml")
                && !targets.iter().any(|(target, _)| target == path)
        })
        .collect();
    stale.sort();
    if stale.is_empty() {
        Ok(())
    } else {
        Err(ExportError::StaleFiles {
            directory: directory.to_path_buf(),
            paths: stale,
        })
    }
}

/// Writes `text` to a new temporary file in `path`'s directory and flushes it to disk.
fn write_temporary(path: &Path, text: &str) -> Result<PathBuf, ExportError> {
    let error = |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&directory).map_err(error)?;
    let file_name = path.file_name().map_or_else(
        || "export".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let mut attempt = 0u32;
    let (temporary, mut file) = loop {
        let temporary =
            directory.join(format!(".{file_name}.{}-{attempt}.tmp", std::process::id()));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => break (temporary, file),
            Err(source) if source.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(source) => return Err(error(source)),
        }
    };
    let result = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(source) = result {
        let _ = fs::remove_file(&temporary);
        return Err(error(source));
    }
    Ok(temporary)
}

fn remove_all<'a>(paths: impl Iterator<Item = &'a PathBuf>) {
    for path in paths {
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{Destination, SINGLE_FILE, Split};

    #[test]
    fn standard_output_is_relative_to_the_current_directory() {
        assert_eq!(Destination::of(None, Split::Single), None);
        assert_eq!(Destination::of(None, Split::TopLevel), None);
        assert_eq!(Destination::directory(None), PathBuf::from("."));
    }

    #[test]
    fn one_file_goes_to_out_or_inside_it_when_it_is_a_directory() {
        let file = Path::new("orgs/acme.yaml");
        assert_eq!(
            Destination::of(Some(file), Split::Single),
            Some(Destination::File(file.to_path_buf()))
        );
        // Written with a trailing slash, a directory that does not exist yet.
        assert_eq!(
            Destination::of(Some(Path::new("no-such-dir/")), Split::Single),
            Some(Destination::File(
                Path::new("no-such-dir/").join(SINGLE_FILE)
            ))
        );
        let existing = tempfile::tempdir().expect("temporary directory");
        assert_eq!(
            Destination::of(Some(existing.path()), Split::Single),
            Some(Destination::File(existing.path().join(SINGLE_FILE)))
        );
    }

    #[test]
    fn a_split_export_fills_out_as_a_directory() {
        let out = Path::new("orgs/acme");
        assert_eq!(
            Destination::of(Some(out), Split::TopLevel),
            Some(Destination::Directory(out.to_path_buf()))
        );
        assert_eq!(
            Destination::directory(Some(&Destination::Directory(out.to_path_buf()))),
            out
        );
    }

    #[test]
    fn a_file_lands_in_its_parent_or_the_current_directory() {
        let nested = Destination::File(PathBuf::from("orgs/acme.yaml"));
        assert_eq!(Destination::directory(Some(&nested)), Path::new("orgs"));
        let bare = Destination::File(PathBuf::from("acme.yaml"));
        assert_eq!(Destination::directory(Some(&bare)), Path::new("."));
    }
}
