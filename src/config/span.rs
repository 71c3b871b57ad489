//! The config layer's own source positions. serde-saphyr's location types stop here: the raw
//! types carry [`Spanned`], and everything after parsing sees only [`Span`].

use std::borrow::Cow;

use miette::SourceSpan;
use schemars::{JsonSchema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) offset: usize,
    pub(crate) len: usize,
}

impl Span {
    pub(crate) fn new(offset: usize, len: usize) -> Self {
        Self { offset, len }
    }

    /// The span of a serde-saphyr location, or an empty span at the start of the file when the
    /// location is unknown (serde buffering loses it, see STYLE.md "YAML and source spans").
    pub(crate) fn from_location(location: serde_saphyr::Location) -> Self {
        let span = location.span();
        match (span.byte_offset(), span.byte_len()) {
            (Some(offset), Some(len)) => Self::new(to_usize(offset), to_usize(len)),
            _ => Self::default(),
        }
    }

    /// Like [`Span::from_location`], falling back to the line and column (in characters) where
    /// the parser reports no byte offsets, as for some syntax errors. `None` when the location
    /// is unknown.
    pub(crate) fn locate(location: serde_saphyr::Location, text: &str) -> Option<Self> {
        if location.span().byte_offset().is_some() {
            return Some(Self::from_location(location));
        }
        let line = to_usize(location.line()).checked_sub(1)?;
        let column = to_usize(location.column()).saturating_sub(1);
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = text.get(line_start..)?;
        let offset = rest
            .char_indices()
            .nth(column)
            .map_or(rest.len(), |(offset, _)| offset);
        Some(Self::new(line_start + offset, 0))
    }

    /// The smallest span from the start of `self` to the end of `last`.
    pub(crate) fn through(self, last: Self) -> Self {
        let end = (last.offset + last.len).max(self.offset + self.len);
        Self::new(self.offset, end - self.offset)
    }
}

fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.offset.into(), span.len)
    }
}

/// A value and where it was written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

impl<T> Spanned<T> {
    pub(crate) fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Self {
            value: spanned.value,
            span: Span::from_location(spanned.referenced),
        })
    }
}

// The schema of a spanned value is the schema of the value: spans exist only in the parser.
impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// A YAML mapping whose keys keep their spans, in written order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SpannedMap<V>(pub(crate) Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);

        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for MapVisitor<V> {
            type Value = SpannedMap<V>;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a mapping")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(SpannedMap(entries))
            }
        }

        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for SpannedMap<V> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}
