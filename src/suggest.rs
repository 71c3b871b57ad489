//! "Did you mean ...?": the closest candidate to a misspelt name or key. The one suggester of
//! the crate: config diagnostics, the online checks, `records` and the CLI all use it.

/// The candidate closest to `input` by edit distance (case-insensitively), if it is close
/// enough to be a likely typo: at most a third of the input's length, and at least one edit.
pub(crate) fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input = input.to_lowercase();
    let limit = (input.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (distance(&input, &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance in characters, counting a swap of two neighbours as one edit (`Texsa` is
/// one typo away from `Texas`): strsim's optimal string alignment distance.
pub(crate) fn distance(left: &str, right: &str) -> usize {
    strsim::osa_distance(left, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("South", "Sout"), 1);
        assert_eq!(distance("é", "e"), 1);
        assert_eq!(distance("texsa", "texas"), 1);
    }

    #[test]
    fn suggests_only_close_names() {
        let names = ["South", "North America", "Texas"];
        assert_eq!(closest("Sout", names), Some("South"));
        assert_eq!(closest("north amrica", names), Some("North America"));
        assert_eq!(closest("Europe", names), None);
        assert_eq!(closest("parnet", ["parent", "name"]), Some("parent"));
    }
}
