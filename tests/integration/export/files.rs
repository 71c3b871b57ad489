//! Putting an export on disk: no overwrite without `force`, no half-written directory, no
//! stale files merged in, no temporary files left behind.

use std::fs;
use std::path::Path;

use territoryctl::export::{Destination, ExportError, ExportOptions, Split, to_yaml, write};

use super::fixture::sample_live;

fn export(split: Split) -> territoryctl::export::Export {
    let options = ExportOptions {
        split,
        ..ExportOptions::default()
    };
    to_yaml(&sample_live(), &options).expect("the org has a root")
}

fn entries(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(directory)
        .expect("readable")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_file_is_written_and_never_overwritten_without_force() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("nested").join("org.yaml");
    let export = export(Split::Single);
    let written = write(&export, &Destination::File(path.clone()), false).expect("written");
    assert_eq!(written, std::slice::from_ref(&path));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        export.files[0].text
    );

    fs::write(&path, "hand edited\n").expect("edit");
    let error = write(&export, &Destination::File(path.clone()), false).expect_err("exists");
    assert!(matches!(&error, ExportError::Exists { paths } if *paths == [path.clone()]));
    assert_eq!(fs::read_to_string(&path).expect("read"), "hand edited\n");

    write(&export, &Destination::File(path.clone()), true).expect("forced");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        export.files[0].text
    );
    assert_eq!(entries(&directory.path().join("nested")), ["org.yaml"]);
}

#[test]
fn a_directory_export_writes_every_file_or_none() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let out = directory.path().join("org");
    let export = export(Split::TopLevel);
    write(&export, &Destination::Directory(out.clone()), false).expect("written");
    let mut expected: Vec<String> = export
        .files
        .iter()
        .map(|file| file.path.display().to_string())
        .collect();
    expected.sort();
    assert_eq!(entries(&out), expected);

    // One file edited by hand: without `--force` nothing is touched.
    fs::write(out.join("emea.yaml"), "edited\n").expect("edit");
    fs::remove_file(out.join("americas.yaml")).expect("remove");
    let error = write(&export, &Destination::Directory(out.clone()), false).expect_err("exists");
    assert!(matches!(&error, ExportError::Exists { .. }), "{error}");
    assert!(!out.join("americas.yaml").exists(), "nothing was written");
    assert_eq!(
        fs::read_to_string(out.join("emea.yaml")).expect("read"),
        "edited\n"
    );

    write(&export, &Destination::Directory(out.clone()), true).expect("forced");
    assert_eq!(entries(&out), expected);
}

#[test]
fn other_yaml_files_in_the_directory_are_refused_even_with_force() {
    let directory = tempfile::tempdir().expect("temporary directory");
    fs::write(
        directory.path().join("old-region.yaml"),
        "territories: []\n",
    )
    .expect("write");
    fs::write(directory.path().join("notes.txt"), "kept\n").expect("write");
    let error = write(
        &export(Split::TopLevel),
        &Destination::Directory(directory.path().to_path_buf()),
        true,
    )
    .expect_err("stale");
    assert!(matches!(&error, ExportError::StaleFiles { paths, .. } if paths.len() == 1));
    assert_eq!(entries(directory.path()), ["notes.txt", "old-region.yaml"]);
}

#[test]
fn a_file_where_a_directory_is_wanted_is_refused() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let file = directory.path().join("org");
    fs::write(&file, "x").expect("write");
    let error = write(
        &export(Split::TopLevel),
        &Destination::Directory(file),
        false,
    )
    .expect_err("not a directory");
    assert!(matches!(error, ExportError::NotADirectory { .. }));
}
