//! The stable code of every config diagnostic. Users search for these and scripts match on
//! them: never rename one; add new ones (docs/configuration.md lists them all).

use std::fmt;

macro_rules! codes {
    ($($variant:ident => $code:literal,)*) => {
        /// What kind of problem a [`Problem`](super::Problem) is.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The code as printed, e.g. `territory::unknown-parent`.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                }
            }
        }
    };
}

codes! {
    FileNotFound => "file::not-found",
    FileUnreadable => "file::unreadable",
    FileNotUtf8 => "file::not-utf8",
    FileEmpty => "file::empty",
    FileTooLarge => "file::too-large",
    NoYamlFiles => "file::no-yaml",
    YamlSyntax => "yaml::syntax",
    YamlTooComplex => "yaml::too-complex",
    YamlNotMapping => "yaml::not-a-mapping",
    YamlUnknownKey => "yaml::unknown-key",
    YamlWrongType => "yaml::wrong-type",
    YamlMissingKey => "yaml::missing-key",
    YamlDuplicateKey => "yaml::duplicate-key",
    UnsupportedVersion => "document::unsupported-version",
    MissingVersion => "document::missing-version",
    MissingRoot => "document::missing-root",
    Conflict => "document::conflict",
    InvalidUnmanaged => "document::invalid-unmanaged",
    DeleteWithoutTerritories => "document::delete-without-territories",
    MissingName => "territory::missing-name",
    InvalidName => "territory::invalid-name",
    HiddenCharacter => "territory::hidden-character",
    DuplicateName => "territory::duplicate-name",
    PreviouslySelf => "territory::previously-self",
    MissingParent => "territory::missing-parent",
    UnknownParent => "territory::unknown-parent",
    Cycle => "territory::cycle",
    Unreachable => "territory::unreachable",
    InvalidPermission => "territory::invalid-permission",
    DescriptionTooLong => "territory::description-too-long",
    InvalidManager => "territory::invalid-manager",
    InvalidUser => "territory::invalid-user",
    DuplicateUser => "territory::duplicate-user",
    TooManyUsers => "territory::too-many-users",
    UnknownComparator => "criteria::unknown-comparator",
    ValueShape => "criteria::value-shape",
    IncompleteRule => "criteria::incomplete-rule",
    MixedNode => "criteria::mixed-node",
    EmptyGroup => "criteria::empty-group",
    SingleItemGroup => "criteria::single-item-group",
    TooManyRules => "criteria::too-many-rules",
    UnknownModule => "assignment::unknown-module",
    LeadsNotAssignable => "assignment::leads-not-assignable",
    InvalidRecordId => "assignment::invalid-record-id",
    DuplicateRecord => "assignment::duplicate-record",
    TooManyTerritories => "assignment::too-many-territories",
    RepeatedTerritory => "assignment::repeated-territory",
    UnknownTerritory => "assignment::unknown-territory",
    PolicyInvalidLevel => "policy::invalid-level",
    PolicyInvalidPattern => "policy::invalid-pattern",
    PolicyInvalidLimit => "policy::invalid-limit",
    UnknownManager => "resolve::unknown-manager",
    UnknownUser => "resolve::unknown-user",
    InactiveUser => "resolve::inactive-user",
    UnknownField => "resolve::unknown-field",
    UnsupportedComparator => "resolve::unsupported-comparator",
    WrongValueType => "resolve::wrong-value-type",
    UnknownPicklistValue => "resolve::unknown-picklist-value",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
