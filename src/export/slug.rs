//! File names for `--split-by top-level`: one per top-level territory, from its name.

use std::collections::BTreeSet;

/// The file that holds everything but the territories when an export is split.
pub const ROOT_FILE: &str = "_root.yaml";

/// Names the files of a split export: `name` slugified (lower case, letters and digits kept,
/// every other run of characters one `-`), made unique against `taken` with `-2`, `-3`, ...
///
/// Names compare case-insensitively in Zoho and file systems may too, so slugs are lower case;
/// `_root.yaml` can never be produced (a slug never starts with `_`).
pub(crate) fn file_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    // Names Windows reserves for devices, whatever the extension.
    let reserved = matches!(slug, "con" | "prn" | "aux" | "nul")
        || ((slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.len() == 4
            && slug.ends_with(|c: char| c.is_ascii_digit()));
    let base = if slug.is_empty() {
        "territory".to_owned()
    } else if reserved {
        format!("{slug}-territory")
    } else {
        slug.to_owned()
    };
    let mut candidate = base.clone();
    let mut counter = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{counter}");
        counter += 1;
    }
    taken.insert(candidate.clone());
    format!("{candidate}.yaml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_unique_and_keep_unicode_letters() {
        let mut taken = BTreeSet::new();
        assert_eq!(file_name("North America", &mut taken), "north-america.yaml");
        assert_eq!(
            file_name("north america", &mut taken),
            "north-america-2.yaml"
        );
        assert_eq!(
            file_name("North  America!", &mut taken),
            "north-america-3.yaml"
        );
        assert_eq!(
            file_name("São Paulo (Região 2)", &mut taken),
            "são-paulo-região-2.yaml"
        );
        assert_eq!(file_name("日本", &mut taken), "日本.yaml");
        assert_eq!(file_name("***", &mut taken), "territory.yaml");
        assert_eq!(file_name("CON", &mut taken), "con-territory.yaml");
        assert_eq!(file_name("_root", &mut taken), "root.yaml");
    }
}
