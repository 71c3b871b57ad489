//! Where the `# yaml-language-server: $schema=` modeline points.

use std::path::{Component, Path};

use crate::config::SCHEMA_PATH;

use super::DEFAULT_SCHEMA_URL;

/// The schema reference for files written into `directory`: the relative path to
/// `schema/territories.schema.json` in the nearest ancestor that has one (a checkout of this
/// repository, or a repository that vendors the schema the same way), else
/// [`DEFAULT_SCHEMA_URL`]. Always with `/` separators, as editors expect.
#[must_use]
pub fn schema_reference(directory: &Path) -> String {
    let Ok(directory) = std::path::absolute(directory) else {
        return DEFAULT_SCHEMA_URL.to_owned();
    };
    for (ups, ancestor) in directory.ancestors().enumerate() {
        if ancestor.join(SCHEMA_PATH).is_file() {
            return format!("{}{SCHEMA_PATH}", "../".repeat(ups));
        }
        // `..` in the path would make the count of ups wrong; stop rather than guess.
        if ancestor
            .components()
            .next_back()
            .is_some_and(|component| matches!(component, Component::ParentDir))
        {
            break;
        }
    }
    DEFAULT_SCHEMA_URL.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_schema_is_found_relative_to_the_output_directory() {
        let repository = tempfile::tempdir().expect("temporary directory");
        let schema = repository.path().join(SCHEMA_PATH);
        std::fs::create_dir_all(schema.parent().expect("parent")).expect("mkdir");
        std::fs::write(&schema, "{}").expect("write");
        assert_eq!(
            schema_reference(repository.path()),
            "schema/territories.schema.json"
        );
        // A directory that does not exist yet (the export creates it) works the same.
        assert_eq!(
            schema_reference(&repository.path().join("orgs").join("acme")),
            "../../schema/territories.schema.json"
        );
        let elsewhere = tempfile::tempdir().expect("temporary directory");
        assert_eq!(schema_reference(elsewhere.path()), DEFAULT_SCHEMA_URL);
    }
}
