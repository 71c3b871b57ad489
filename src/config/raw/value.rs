//! The value side of a rule, deserialised by hand: a scalar, a list of scalars (each keeping
//! its span) or a `{ id, name }` lookup. An untagged enum would lose the spans.

use serde::Deserialize;

use super::super::span::Spanned;

/// The value side of a rule: one value or a list of values.
#[derive(Debug)]
pub(crate) enum Value {
    One(Scalar),
    Many(Vec<Spanned<Scalar>>),
}

/// One value in a rule.
#[derive(Debug, PartialEq)]
pub(crate) enum Scalar {
    Text(String),
    /// The number as its decimal text.
    Number(String),
    Bool(bool),
    /// `{ id: "...", name: "..." }`: a user, owner or other record.
    Lookup {
        id: String,
        name: Option<String>,
    },
    Null,
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> serde::de::Visitor<'de> for ValueVisitor {
            type Value = Value;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a value, a list of values or a `{ id }` lookup")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Scalar>>()? {
                    items.push(item);
                }
                Ok(Value::Many(items))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                ScalarVisitor.visit_map(map).map(Value::One)
            }

            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Bool(value)))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Number(value.to_string())))
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Number(value.to_string())))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Number(value.to_string())))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Text(value.to_owned())))
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Null))
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Null))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a text, number, boolean or `{ id }` lookup")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let mut id = None;
        let mut name = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => id = Some(map.next_value::<LookupId>()?.0),
                "name" => name = map.next_value::<Option<String>>()?,
                _ => return Err(A::Error::unknown_field(&key, &["id", "name"])),
            }
        }
        let id = id.ok_or_else(|| A::Error::missing_field("id"))?;
        Ok(Scalar::Lookup { id, name })
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        Err(A::Error::invalid_type(
            serde::de::Unexpected::Seq,
            &"a single value (lists do not nest)",
        ))
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(value.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(value.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(value.to_string()))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(value.to_owned()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A lookup id: Zoho ids are 64-bit numbers; written quoted or not, they are kept as text.
struct LookupId(String);

impl<'de> Deserialize<'de> for LookupId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = LookupId;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a record id")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(LookupId(value.to_string()))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(LookupId(value.to_owned()))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}
