//! Field data types as criteria see them: which comparators each takes.

/// Comparators Zoho knows at all.
pub(crate) const ALL_COMPARATORS: &[&str] = &[
    "equal",
    "not_equal",
    "like",
    "not_like",
    "starts_with",
    "ends_with",
    "contains",
    "not_contains",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
    "in",
    "not_in",
    "include_all",
    "include_any",
    "exclude_all",
    "exclude_any",
];

const TEXT: &[&str] = &[
    "equal",
    "not_equal",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
    "in",
    "not_in",
];
const NUMBER: &[&str] = &[
    "equal",
    "not_equal",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
    "in",
    "not_in",
];
const DATE: &[&str] = &[
    "equal",
    "not_equal",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
];
const BOOLEAN: &[&str] = &["equal", "not_equal"];
// The seed page lists the six text comparators for lookups too.
const LOOKUP: &[&str] = &[
    "equal",
    "not_equal",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
];
const MULTI_LOOKUP: &[&str] = &["include_all", "include_any", "exclude_all", "exclude_any"];
const MULTI_PICKLIST: &[&str] = &["equal", "not_equal", "contains", "not_contains", "in"];

/// Most values in one array value (OAS).
pub(crate) const MAX_VALUES: usize = 500;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Picklist,
    MultiPicklist,
    Number { integer: bool },
    Date,
    DateTime,
    Boolean,
    Lookup { user: bool },
    MultiLookup,
    Unsupported,
}

pub(crate) fn kind(data_type: &str) -> Kind {
    match data_type {
        "picklist" => Kind::Picklist,
        "multiselectpicklist" => Kind::MultiPicklist,
        "integer" | "bigint" => Kind::Number { integer: true },
        "double" | "currency" | "decimal" | "percent" => Kind::Number { integer: false },
        "date" => Kind::Date,
        "datetime" => Kind::DateTime,
        "boolean" => Kind::Boolean,
        "lookup" => Kind::Lookup { user: false },
        "ownerlookup" | "userlookup" => Kind::Lookup { user: true },
        "multiselectlookup" | "multiuserlookup" => Kind::MultiLookup,
        "fileupload" | "imageupload" => Kind::Unsupported,
        _ => Kind::Text,
    }
}

pub(crate) fn comparators(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Text | Kind::Picklist => TEXT,
        Kind::MultiPicklist => MULTI_PICKLIST,
        Kind::Number { .. } => NUMBER,
        Kind::Date | Kind::DateTime => DATE,
        Kind::Boolean => BOOLEAN,
        Kind::Lookup { .. } => LOOKUP,
        Kind::MultiLookup => MULTI_LOOKUP,
        Kind::Unsupported => &[],
    }
}
