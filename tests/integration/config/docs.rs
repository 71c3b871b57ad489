//! docs/configuration.md lists every diagnostic code, and nothing else under that name.

use std::collections::BTreeSet;

use territoryctl::config::Code;

#[test]
fn the_reference_lists_every_diagnostic_code() {
    let docs = std::fs::read_to_string("docs/configuration.md").expect("docs/configuration.md");
    let documented: BTreeSet<&str> = docs
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(code, _)| code))
        .filter(|code| code.contains("::"))
        .collect();
    let defined: BTreeSet<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(documented, defined);
}
