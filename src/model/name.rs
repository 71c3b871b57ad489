use std::fmt;

/// Longest territory name Zoho accepts, in characters.
pub const MAX_NAME_LEN: usize = 50;
/// Longest territory description Zoho accepts, in characters.
pub const MAX_DESCRIPTION_LEN: usize = 250;

/// Characters Zoho refuses in a territory name (seeds/update-territories.txt).
const FORBIDDEN: &[char] = &[
    '^', '~', '`', '#', '%', '&', '+', '=', '[', ']', '{', '}', '|', '\\', ';', '"', '\'', '<',
    '>', ',',
];

/// A territory name as Zoho compares names: case-insensitively.
///
/// Two territories whose names differ only in case are the same territory to Zoho, so every map
/// keyed by name uses this key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NameKey(String);

impl NameKey {
    #[must_use]
    pub fn new(name: &str) -> Self {
        Self(name.trim().to_lowercase())
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NameKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why Zoho would refuse a territory name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong { chars: usize },
    ForbiddenCharacter(char),
    SurroundingWhitespace,
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the name is empty"),
            Self::TooLong { chars } => write!(
                f,
                "the name is {chars} characters long; Zoho allows at most {MAX_NAME_LEN}"
            ),
            Self::ForbiddenCharacter(c) => write!(f, "Zoho does not allow `{c}` in a name"),
            Self::SurroundingWhitespace => {
                f.write_str("the name starts or ends with white space, which Zoho trims")
            }
        }
    }
}

/// Checks a territory name against Zoho's rules; `Ok` when Zoho would accept it.
pub fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.trim().is_empty() {
        return Err(NameProblem::Empty);
    }
    if name.trim() != name {
        return Err(NameProblem::SurroundingWhitespace);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_LEN {
        return Err(NameProblem::TooLong { chars });
    }
    if let Some(c) = name.chars().find(|c| FORBIDDEN.contains(c)) {
        return Err(NameProblem::ForbiddenCharacter(c));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_case_insensitively() {
        assert_eq!(NameKey::new("North America"), NameKey::new("north AMERICA"));
        assert_ne!(NameKey::new("North"), NameKey::new("South"));
    }

    #[test]
    fn zoho_name_rules() {
        assert_eq!(
            check_name("Texas & Oklahoma"),
            Err(NameProblem::ForbiddenCharacter('&'))
        );
        assert_eq!(check_name(""), Err(NameProblem::Empty));
        assert_eq!(
            check_name(" Texas"),
            Err(NameProblem::SurroundingWhitespace)
        );
        assert_eq!(
            check_name(&"x".repeat(51)),
            Err(NameProblem::TooLong { chars: 51 })
        );
        assert_eq!(check_name(&"é".repeat(50)), Ok(()));
        assert_eq!(check_name("São Paulo (Região 2)"), Ok(()));
    }
}
