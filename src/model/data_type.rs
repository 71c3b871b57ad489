//! A field's data type (`data_type` in `GET /settings/fields`), and everything the tool knows
//! about one: the comparators its criteria take, the values they accept, whether its values
//! are numbers, and how the impact evaluator compares them. The one table of these; the
//! online checks, export and the evaluator all ask it.
//!
//! Sources: zoho-api.md section 3 (the OAS comparator table) and the Update Territories seed
//! page ("Text, Picklist, Lookup: equal, not_equal, contains, not_contains, starts_with,
//! ends_with"), which wins where the two disagree. The expected answers are listed in
//! `tests/fixtures/comparators.json`, which the simulator's tests read too.

use std::fmt;

use super::criteria::{Comparator, Scalar};

macro_rules! data_types {
    ($($variant:ident => $wire:literal,)*) => {
        /// Zoho's field data types that the tool knows; any other is kept as [`Self::Other`]
        /// and left to Zoho.
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum DataType {
            $($variant,)*
            /// A type this table does not know, in Zoho's spelling.
            Other(String),
        }

        impl DataType {
            /// Every known type (not [`Self::Other`]).
            pub const KNOWN: &'static [Self] = &[$(Self::$variant,)*];

            /// Reads Zoho's spelling, once, where the wire is converted.
            #[must_use]
            pub fn parse(wire: &str) -> Self {
                match wire {
                    $($wire => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }

            /// Zoho's spelling, for rendering and for anything stored.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Other(other) => other,
                }
            }
        }
    };
}

data_types! {
    Text => "text",
    Textarea => "textarea",
    Email => "email",
    Phone => "phone",
    Website => "website",
    AutoNumber => "autonumber",
    Picklist => "picklist",
    MultiSelectPicklist => "multiselectpicklist",
    Integer => "integer",
    BigInt => "bigint",
    // GUESS: not in zoho-api.md section 7's list; the client has always read it as a number.
    Long => "long",
    Double => "double",
    Currency => "currency",
    Decimal => "decimal",
    Percent => "percent",
    Date => "date",
    DateTime => "datetime",
    Boolean => "boolean",
    Lookup => "lookup",
    OwnerLookup => "ownerlookup",
    UserLookup => "userlookup",
    MultiSelectLookup => "multiselectlookup",
    MultiUserLookup => "multiuserlookup",
    FileUpload => "fileupload",
    ImageUpload => "imageupload",
}

/// How a field's values compare, for the impact evaluator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    MultiPicklist,
    Number,
    Date,
    DateTime,
    Checkbox,
    Lookup,
    MultiLookup,
    /// Files and images: no rule on them matches.
    Never,
}

use Comparator::{
    Between, Contains, EndsWith, Equal, ExcludeAll, ExcludeAny, GreaterEqual, GreaterThan, In,
    IncludeAll, IncludeAny, LessEqual, LessThan, NotBetween, NotContains, NotEqual, NotIn,
    StartsWith,
};

/// Text-like fields and picklists. The seed page's six, and `in`/`not_in`. GUESS: the seed
/// page does not name `in`/`not_in`, but section 3 gives them to "picklist, text" by name and
/// its example (sent by the official SDK) puts `in` on a text field; `like`/`not_like`, which
/// only section 3's "text-like" row names, are refused (the seed page wins).
const TEXT: &[Comparator] = &[
    Equal,
    NotEqual,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    In,
    NotIn,
];
/// GUESS (neither source lists a multi-select picklist's comparators): `equal`/`not_equal`
/// (section 3: all types), `in`/`not_in` (section 3: "combine in/equal arrays for several
/// values") and `contains`/`not_contains`; not `starts_with`/`ends_with`/`like`, which have
/// no meaning over several values.
const MULTI_PICKLIST: &[Comparator] = &[Equal, NotEqual, Contains, NotContains, In, NotIn];
const NUMBER: &[Comparator] = &[
    Equal,
    NotEqual,
    LessThan,
    LessEqual,
    GreaterThan,
    GreaterEqual,
    Between,
    NotBetween,
    In,
    NotIn,
];
const DATE: &[Comparator] = &[
    Equal,
    NotEqual,
    LessThan,
    LessEqual,
    GreaterThan,
    GreaterEqual,
    Between,
    NotBetween,
];
const BOOLEAN: &[Comparator] = &[Equal, NotEqual];
/// The seed page's six for lookups: `in`/`not_in` are not among them (nor in section 3's
/// row for `in`, "picklist, text, numeric").
const LOOKUP: &[Comparator] = &[Equal, NotEqual, Contains, NotContains, StartsWith, EndsWith];
/// Section 3: `equal`/`not_equal` for all types, and the four set comparators.
const MULTI_LOOKUP: &[Comparator] = &[
    Equal, NotEqual, IncludeAll, IncludeAny, ExcludeAll, ExcludeAny,
];
/// Section 3: file and image upload fields are not supported in criteria (`NOT_SUPPORTED`).
const NONE: &[Comparator] = &[];

impl DataType {
    /// Whether values of this type are numbers.
    #[must_use]
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Self::Integer
                | Self::BigInt
                | Self::Long
                | Self::Double
                | Self::Currency
                | Self::Decimal
                | Self::Percent
        )
    }

    /// Whether the field has a picklist its values must come from.
    #[must_use]
    pub fn is_picklist(&self) -> bool {
        matches!(self, Self::Picklist | Self::MultiSelectPicklist)
    }

    /// Whether a value under `comparator` must be one of the field's picklist values: the
    /// exact comparators on picklists. GUESS (the docs are silent; the simulator reads it so):
    /// `contains`, `starts_with` and the like take any text.
    #[must_use]
    pub fn names_a_picklist_value(&self, comparator: Comparator) -> bool {
        self.is_picklist() && matches!(comparator, Equal | NotEqual | In | NotIn)
    }

    /// Whether one record holds several values in the field.
    #[must_use]
    pub fn is_multi_valued(&self) -> bool {
        matches!(
            self,
            Self::MultiSelectPicklist | Self::MultiSelectLookup | Self::MultiUserLookup
        )
    }

    fn is_lookup(&self) -> bool {
        matches!(self, Self::Lookup | Self::OwnerLookup | Self::UserLookup)
    }

    fn is_text(&self) -> bool {
        matches!(
            self,
            Self::Text
                | Self::Textarea
                | Self::Email
                | Self::Phone
                | Self::Website
                | Self::AutoNumber
                | Self::Picklist
                | Self::MultiSelectPicklist
        )
    }

    /// The comparators the type takes; `None` for a type this table does not know, which is
    /// left to Zoho. Empty for file and image uploads, which no criteria may name.
    #[must_use]
    pub fn comparators(&self) -> Option<&'static [Comparator]> {
        Some(match self {
            Self::MultiSelectPicklist => MULTI_PICKLIST,
            text if text.is_text() => TEXT,
            number if number.is_numeric() => NUMBER,
            Self::Date | Self::DateTime => DATE,
            Self::Boolean => BOOLEAN,
            lookup if lookup.is_lookup() => LOOKUP,
            Self::MultiSelectLookup | Self::MultiUserLookup => MULTI_LOOKUP,
            Self::FileUpload | Self::ImageUpload => NONE,
            _ => return None,
        })
    }

    /// Whether `comparator` applies to the type (unknown types: yes, Zoho decides).
    #[must_use]
    pub fn takes(&self, comparator: Comparator) -> bool {
        self.comparators()
            .is_none_or(|supported| supported.contains(&comparator))
    }

    /// What to say when the type takes no comparator, or which ones it takes.
    #[must_use]
    pub fn comparators_help(&self) -> Option<String> {
        let supported = self.comparators()?;
        Some(if supported.is_empty() {
            format!("{self} fields cannot be used in criteria")
        } else {
            let names: Vec<&str> = supported.iter().map(|c| c.as_str()).collect();
            format!("{self} fields take: {}", names.join(", "))
        })
    }

    /// Whether `value` (not a `${...}` placeholder) fits the type under `comparator`; unknown
    /// types accept anything.
    #[must_use]
    pub fn accepts(&self, comparator: Comparator, value: &Scalar) -> bool {
        match self {
            number if number.is_numeric() => match value {
                Scalar::Number(_) => true,
                Scalar::Text(text) => text.trim().parse::<f64>().is_ok(),
                _ => false,
            },
            Self::Boolean => matches!(value, Scalar::Bool(_)),
            Self::Date => matches!(value, Scalar::Text(text) if is_date(text)),
            Self::DateTime => {
                matches!(value, Scalar::Text(text) if text.len() >= 19 && is_date(&text[..10]))
            }
            lookup if lookup.is_lookup() => match value {
                Scalar::Lookup { .. } => true,
                // The seed page's text comparators on a lookup match its name.
                Scalar::Text(_) => !matches!(comparator, Equal | NotEqual),
                _ => false,
            },
            Self::MultiSelectLookup | Self::MultiUserLookup => {
                matches!(value, Scalar::Lookup { .. })
            }
            text if text.is_text() => matches!(value, Scalar::Text(_) | Scalar::Number(_)),
            _ => true,
        }
    }

    /// What a value of the type looks like, for help lines (under `comparator`).
    #[must_use]
    pub fn expected_value(&self, comparator: Comparator) -> &'static str {
        match self {
            Self::Boolean => "`true` or `false`",
            Self::Date => "a date as `yyyy-mm-dd`",
            Self::DateTime => "a date and time as `yyyy-mm-ddThh:mm:ss+hh:mm`",
            lookup if lookup.is_lookup() && !matches!(comparator, Equal | NotEqual) => {
                "a lookup `{ id: \"...\" }` or a name"
            }
            Self::Lookup
            | Self::OwnerLookup
            | Self::UserLookup
            | Self::MultiSelectLookup
            | Self::MultiUserLookup => "a lookup `{ id: \"...\" }`",
            text if text.is_text() => "text",
            _ => "a number",
        }
    }

    /// How the impact evaluator compares the type's values. Unknown types compare as text.
    #[must_use]
    pub fn kind(&self) -> FieldKind {
        match self {
            Self::MultiSelectPicklist => FieldKind::MultiPicklist,
            number if number.is_numeric() => FieldKind::Number,
            Self::Date => FieldKind::Date,
            Self::DateTime => FieldKind::DateTime,
            Self::Boolean => FieldKind::Checkbox,
            lookup if lookup.is_lookup() => FieldKind::Lookup,
            Self::MultiSelectLookup | Self::MultiUserLookup => FieldKind::MultiLookup,
            Self::FileUpload | Self::ImageUpload => FieldKind::Never,
            _ => FieldKind::Text,
        }
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Stored and sent in Zoho's spelling.
impl serde::Serialize for DataType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl From<&str> for DataType {
    fn from(wire: &str) -> Self {
        Self::parse(wire)
    }
}

impl From<String> for DataType {
    fn from(wire: String) -> Self {
        Self::parse(&wire)
    }
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit())
}

/// The shared cases (`tests/fixtures/comparators.json`), which the simulator's tests read too.
#[cfg(test)]
pub(crate) fn shared_cases() -> Vec<(String, String, bool)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/comparators.json"
    );
    let text = std::fs::read_to_string(path).expect("the shared comparator cases are readable");
    let file: serde_json::Value = serde_json::from_str(&text).expect("they are JSON");
    file["cases"]
        .as_array()
        .expect("a `cases` list")
        .iter()
        .map(|case| serde_json::from_value(case.clone()).expect("[data_type, comparator, bool]"))
        .collect()
}

#[cfg(test)]
mod tests;
