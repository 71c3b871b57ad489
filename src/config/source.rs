//! Finding and reading the desired-state files: each a [`SourceFile`] of UTF-8 text, or a
//! one-line [`Problem`] saying why not.

use std::path::{Path, PathBuf};

pub(crate) use super::file::SourceFile;

use super::code::Code;
use super::problem::Problem;

/// The largest file read. A generous bound (an org of 10,000 territories is about 3 MiB)
/// that keeps a runaway or hostile input from being parsed at all.
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The desired-state files a [`Desired`](crate::model::Desired) was loaded from, kept so that
/// the checks against the live org can show snippets without reading a file again.
#[derive(Clone, Debug, Default)]
pub struct Sources(Vec<SourceFile>);

impl Sources {
    pub(crate) fn new(files: Vec<SourceFile>) -> Self {
        Self(files)
    }

    /// The file at `path`, when it is one of these.
    pub(crate) fn get(&self, path: &Path) -> Option<&SourceFile> {
        self.0.iter().find(|file| &**file.path() == path)
    }
}

/// Expands the command-line paths into files: a file as given, a directory as every `*.yaml`
/// and `*.yml` directly in it, sorted by name. Problems (missing path, empty directory) are
/// collected, not returned at the first.
pub(crate) fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                problems.push(
                    Problem::about_path(
                        Code::FileNotFound,
                        format!("`{}` does not exist", path.display()),
                    )
                    .help("give a desired-state file or a directory of them"),
                );
            }
            Err(error) => problems.push(unreadable(path, &error)),
            Ok(metadata) if metadata.is_dir() => match yaml_files_in(path) {
                Ok(found) if found.is_empty() => problems.push(
                    Problem::about_path(
                        Code::NoYamlFiles,
                        format!("`{}` holds no `*.yaml` or `*.yml` file", path.display()),
                    )
                    .help("territoryctl reads the YAML files directly in a directory, not in its subdirectories"),
                ),
                Ok(found) => files.extend(found),
                Err(error) => problems.push(unreadable(path, &error)),
            },
            Ok(_) => files.push(path.clone()),
        }
    }
    // A file named twice (`validate dir dir/a.yaml`) is read once: reading it twice would
    // report each of its names as a duplicate of itself.
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|file| seen.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.clone())));
    (files, problems)
}

fn yaml_files_in(directory: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(directory)? {
        let path = entry?.path();
        let is_yaml = path
            .extension()
            .is_some_and(|extension| extension == "yaml" || extension == "yml");
        if is_yaml && path.is_file() {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn unreadable(path: &Path, error: &std::io::Error) -> Problem {
    Problem::about_path(
        Code::FileUnreadable,
        format!("cannot read `{}`: {error}", path.display()),
    )
}

/// Reads one file as UTF-8 text, refusing what cannot be a desired-state file: too large,
/// not UTF-8, or empty.
pub(crate) fn read(path: &Path) -> Result<SourceFile, Problem> {
    let size = std::fs::metadata(path)
        .map_err(|error| unreadable(path, &error))?
        .len();
    let too_large = |size: Option<u64>| {
        let size = size.map_or_else(
            || format!("more than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
            |size| format!("{} MiB", size.div_ceil(1024 * 1024)),
        );
        Problem::about_path(
            Code::FileTooLarge,
            format!(
                "`{}` is {size}; territoryctl reads desired-state files of at most {} MiB",
                path.display(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .help("split the territories over several files in one directory")
    };
    if size > MAX_FILE_BYTES {
        return Err(too_large(Some(size)));
    }
    // The size of a device, a FIFO or a file that grows is no bound: the read itself is capped.
    let bytes = read_capped(path, MAX_FILE_BYTES)
        .map_err(|error| unreadable(path, &error))?
        .ok_or_else(|| too_large(None))?;
    let text = std::str::from_utf8(&bytes).map_err(|error| {
        let (line, column) = line_column(&bytes[..error.valid_up_to()]);
        Problem::about_path(
            Code::FileNotUtf8,
            format!(
                "`{}` is not UTF-8 text: invalid byte at line {line}, column {column}",
                path.display()
            ),
        )
        .help("save the file as UTF-8")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_blank(text) {
        return Err(
            Problem::about_path(Code::FileEmpty, format!("`{}` is empty", path.display())).help(
                "a desired-state file needs at least `version: 1` and `root: <root territory>`",
            ),
        );
    }
    Ok(SourceFile::new(path, text))
}

/// Reads at most `cap` bytes of `path`; `None` when it holds more (`/dev/zero`, a FIFO, a file
/// growing while read), without reading further.
///
/// # Errors
/// Failures to open or read the file.
pub(crate) fn read_capped(path: &Path, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(cap + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// Whether the text holds nothing but white space and comments.
fn is_blank(text: &str) -> bool {
    // YAML breaks lines at CR as well as LF: a file of CR line breaks is many lines, not one
    // comment line.
    text.split(['\n', '\r']).all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    })
}

/// The 1-based line and column just after `valid`, counting characters.
fn line_column(valid: &[u8]) -> (usize, usize) {
    // `valid` is the prefix that from_utf8 accepted, so this cannot lose characters.
    let text = String::from_utf8_lossy(valid);
    let line = text.matches('\n').count() + 1;
    let column = text
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_means_only_space_and_comments() {
        assert!(is_blank(""));
        assert!(is_blank("  \n# a comment\n\n   # another\n"));
        assert!(!is_blank("# header\nversion: 1\n"));
        assert!(!is_blank("# header\rversion: 1\rroot: R\r"));
        assert!(is_blank("# header\r\r\r"));
    }

    #[test]
    fn a_file_named_twice_is_read_once() {
        let (files, problems) = expand(&[
            PathBuf::from("examples/minimal"),
            PathBuf::from("examples/minimal/../minimal/territories.yaml"),
        ]);
        assert_eq!(files, [PathBuf::from("examples/minimal/territories.yaml")]);
        assert!(problems.is_empty());
    }

    #[test]
    fn positions_of_invalid_bytes_count_characters() {
        assert_eq!(line_column(b""), (1, 1));
        assert_eq!(line_column("ab\nçd".as_bytes()), (2, 3));
    }
}
