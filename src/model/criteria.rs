use std::fmt;

/// An assignment-rule criteria: one rule, or a group of two or more criteria joined by
/// AND (`all:` in YAML) or OR (`any:`). Groups nest.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Criteria {
    Rule(Rule),
    Group {
        operator: GroupOperator,
        items: Vec<Criteria>,
    },
}

impl Criteria {
    /// Number of rules (leaves), the quantity Zoho limits to 25 per criteria.
    #[must_use]
    pub fn rule_count(&self) -> usize {
        match self {
            Self::Rule(_) => 1,
            Self::Group { items, .. } => items.iter().map(Self::rule_count).sum(),
        }
    }

    /// Every rule, depth first, in written order.
    #[must_use]
    pub fn rules(&self) -> Vec<&Rule> {
        let mut out = Vec::new();
        self.collect_rules(&mut out);
        out
    }

    fn collect_rules<'a>(&'a self, out: &mut Vec<&'a Rule>) {
        match self {
            Self::Rule(rule) => out.push(rule),
            Self::Group { items, .. } => items.iter().for_each(|item| item.collect_rules(out)),
        }
    }
}

/// How the items of a criteria group combine.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GroupOperator {
    /// `all:` in YAML, `"AND"` on the wire.
    And,
    /// `any:` in YAML, `"OR"` on the wire.
    Or,
}

impl GroupOperator {
    #[must_use]
    pub fn yaml_key(self) -> &'static str {
        match self {
            Self::And => "all",
            Self::Or => "any",
        }
    }

    #[must_use]
    pub fn wire(self) -> &'static str {
        match self {
            Self::And => "AND",
            Self::Or => "OR",
        }
    }
}

/// One comparison of a record field against a value.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Rule {
    /// The field's `api_name` in the rule's module.
    pub field: String,
    pub comparator: Comparator,
    pub value: RuleValue,
}

/// The value side of a rule: one value, or a list (`in`, `between`, `equal` with several
/// values, ...).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RuleValue {
    One(Scalar),
    Many(Vec<Scalar>),
}

/// One value in a rule.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scalar {
    Text(String),
    /// A number, kept as its decimal text so that no precision is lost (Zoho echoes numbers
    /// as strings, and 64-bit ids do not fit an `f64`).
    Number(String),
    Bool(bool),
    /// A lookup value (user, owner, record): Zoho takes `{"id"}` and echoes `{"id", "name"}`.
    Lookup {
        id: String,
        name: Option<String>,
    },
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => write!(f, "{text:?}"),
            Self::Number(number) => f.write_str(number),
            Self::Bool(value) => write!(f, "{value}"),
            Self::Lookup {
                id,
                name: Some(name),
            } => write!(f, "{name} ({id})"),
            Self::Lookup { id, name: None } => write!(f, "id {id}"),
        }
    }
}

impl fmt::Display for RuleValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::One(scalar) => scalar.fmt(f),
            Self::Many(values) => {
                f.write_str("[")?;
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    value.fmt(f)?;
                }
                f.write_str("]")
            }
        }
    }
}

/// What shape of value a comparator takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueShape {
    /// One value, or a list of 1..=500 values.
    OneOrList,
    /// One value only.
    One,
    /// Exactly two values, low and high.
    Pair,
    /// A list of 1..=500 values.
    List,
    /// A list of 1..=5 lookup values.
    LookupList,
}

macro_rules! comparators {
    ($($variant:ident => $wire:literal, $shape:ident;)*) => {
        /// A rule comparator, named as on the wire.
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[derive(schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Comparator {
            $($variant,)*
        }

        impl Comparator {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The comparator's name on the wire and in YAML.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)*
                }
            }

            /// What value the comparator takes.
            #[must_use]
            pub fn value_shape(self) -> ValueShape {
                match self {
                    $(Self::$variant => ValueShape::$shape,)*
                }
            }
        }
    };
}

comparators! {
    Equal => "equal", OneOrList;
    NotEqual => "not_equal", OneOrList;
    Like => "like", OneOrList;
    NotLike => "not_like", OneOrList;
    StartsWith => "starts_with", OneOrList;
    EndsWith => "ends_with", OneOrList;
    Contains => "contains", OneOrList;
    NotContains => "not_contains", OneOrList;
    LessThan => "less_than", One;
    LessEqual => "less_equal", One;
    GreaterThan => "greater_than", One;
    GreaterEqual => "greater_equal", One;
    Between => "between", Pair;
    NotBetween => "not_between", Pair;
    In => "in", List;
    NotIn => "not_in", List;
    IncludeAll => "include_all", LookupList;
    IncludeAny => "include_any", LookupList;
    ExcludeAll => "exclude_all", LookupList;
    ExcludeAny => "exclude_any", LookupList;
}

impl Comparator {
    /// Parses a comparator name, case-insensitively (Zoho echoes either case).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|comparator| comparator.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
