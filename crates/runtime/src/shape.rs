//! [`Shape`]: a response as its spec documents it, and the [`Deviation`]s of
//! a real response from it.
//!
//! The generated types decode tolerantly (see the crate's `lenient` module and
//! the README's "What the clients accept"); a `Shape` keeps what the spec
//! documents exactly (which fields are always present, which may be `null`,
//! each field's type, format and documented values) so that a maintainer can
//! see every way a recorded response strays from the spec: strict mode
//! ([`ClientBuilder::strict`](crate::ClientBuilder::strict)) refuses a
//! response that deviates, and in tolerant mode each deviation is traced once
//! per operation at debug level. Each provider crate generates its shapes
//! (`<provider>_api::shapes`) from its spec.

use std::fmt;

use serde_json::Value;

/// The most deviations one check collects; the rest are counted.
pub const MAX_DEVIATIONS: usize = 100;

/// A JSON value as a spec documents it.
#[derive(Debug)]
pub enum Shape {
    /// Anything (a schema without a type).
    Any,
    /// `true` or `false`.
    Boolean,
    /// An integer that fits 32 bits (`format: int32`).
    Integer32,
    /// An integer that fits 64 bits.
    Integer64,
    /// Any number.
    Number,
    /// Any string.
    String,
    /// A string that is an RFC 3339 date-time.
    DateTime,
    /// A string that is a date (`YYYY-MM-DD`).
    Date,
    /// A string that is a date or an RFC 3339 date-time.
    DateOrDateTime,
    /// A string or an integer (an id that a provider sends either way).
    Id,
    /// A string, one of the documented values (an open enum: other values
    /// decode, but deviate from the spec).
    Enum(&'static [&'static str]),
    /// An array of items of this shape.
    Array(&'static Shape),
    /// An object with documented properties.
    Object(&'static Object),
    /// An object whose members are not documented (`additionalProperties`).
    Map,
}

/// An object schema and its documented properties (a member it does not
/// document is a [`DeviationKind::Unknown`]).
#[derive(Debug)]
pub struct Object {
    /// The schema's name (or where an inline schema is).
    pub name: &'static str,
    /// The documented properties.
    pub properties: &'static [Property],
}

/// A documented property of an object.
#[derive(Debug)]
pub struct Property {
    /// Its JSON key.
    pub name: &'static str,
    /// Other keys it may arrive under (`x-aliases`).
    pub aliases: &'static [&'static str],
    /// Its value's shape.
    pub shape: &'static Shape,
    /// Whether the spec documents it as always present.
    pub required: bool,
    /// Whether the spec documents `null` for it.
    pub nullable: bool,
}

/// Where a response strays from its spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deviation {
    /// The JSON path of the value: `$.items[3].follow_count`.
    pub path: String,
    /// What is wrong there.
    pub kind: DeviationKind,
}

/// What a [`Deviation`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviationKind {
    /// A field the spec documents as always present is missing.
    Missing,
    /// `null` where the spec does not document it.
    Null,
    /// A field the spec does not describe.
    Unknown,
    /// A value of another JSON type than the spec's (a number sent as a
    /// string, say).
    Retyped {
        /// What the spec says.
        expected: &'static str,
        /// What arrived.
        found: &'static str,
    },
    /// A value of the right JSON type but not of the documented format or
    /// range (a string that is not a date-time, an integer over 32 bits).
    Malformed {
        /// What the spec says.
        expected: &'static str,
    },
    /// A string that is not one of the documented values of an enum.
    UndocumentedValue {
        /// The value.
        value: String,
    },
}

impl fmt::Display for DeviationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("missing, the spec documents it as always present"),
            Self::Null => f.write_str("null, which the spec does not allow"),
            Self::Unknown => f.write_str("a field the spec does not describe"),
            Self::Retyped { expected, found } => {
                write!(f, "{found}, the spec says {expected}")
            }
            Self::Malformed { expected } => write!(f, "not {expected}"),
            Self::UndocumentedValue { value } => {
                write!(f, "`{value}`, not one of the documented values")
            }
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

impl Deviation {
    /// A key for reporting a deviation once: its kind and its path with array
    /// indices left out (`$.items[].follow_count`).
    pub fn key(&self) -> String {
        let mut path = String::with_capacity(self.path.len());
        let mut in_index = false;
        for c in self.path.chars() {
            match c {
                '[' => {
                    in_index = true;
                    path.push_str("[]");
                }
                ']' => in_index = false,
                _ if in_index => {}
                _ => path.push(c),
            }
        }
        let kind = match self.kind {
            DeviationKind::Missing => "missing",
            DeviationKind::Null => "null",
            DeviationKind::Unknown => "unknown",
            DeviationKind::Retyped { .. } => "retyped",
            DeviationKind::Malformed { .. } => "malformed",
            DeviationKind::UndocumentedValue { .. } => "undocumented value",
        };
        format!("{kind} {path}")
    }
}

/// The deviations found, at most [`MAX_DEVIATIONS`], and how many more there
/// were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deviations {
    /// The first deviations, in document order.
    pub list: Vec<Deviation>,
    /// How many more were found beyond the list.
    pub more: usize,
}

impl Deviations {
    /// Whether the value is exactly as documented.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many deviations were found, listed or not.
    pub fn count(&self) -> usize {
        self.list.len() + self.more
    }

    fn push(&mut self, path: &Path, kind: DeviationKind) {
        if self.list.len() < MAX_DEVIATIONS {
            self.list.push(Deviation {
                path: path.to_string(),
                kind,
            });
        } else {
            self.more += 1;
        }
    }
}

/// The deviations joined with `; ` (`{}`), or one to a line, indented
/// (`{:#}`).
impl fmt::Display for Deviations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let separator = if f.alternate() { "\n  " } else { "; " };
        let first = if f.alternate() { "  " } else { "" };
        for (index, deviation) in self.list.iter().enumerate() {
            f.write_str(if index == 0 { first } else { separator })?;
            write!(f, "{deviation}")?;
        }
        if self.more > 0 {
            write!(f, "{separator}and {} more", self.more)?;
        }
        Ok(())
    }
}

/// A JSON path (`$.items[3].follow_count`), as deviations and decode errors
/// name where they are.
#[derive(Default)]
pub(crate) struct Path(pub(crate) Vec<Segment>);

/// One step of a [`Path`].
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.0 {
            match segment {
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl Shape {
    /// Every way `value` strays from this shape.
    pub fn deviations(&self, value: &Value) -> Deviations {
        let mut found = Deviations::default();
        self.check(value, &mut Path::default(), &mut found);
        found
    }

    /// Removes, from every object of `value`, the keys that repeat a property
    /// under one of its names (`id` and its alias `session_id`, say) with the
    /// same value: nothing is lost, and the typed decoder would refuse the
    /// duplicate. Keys that disagree stay. Whether anything was removed.
    pub fn unalias(&self, value: &mut Value) -> bool {
        match (self, value) {
            (Self::Array(items), Value::Array(values)) => values
                .iter_mut()
                .fold(false, |removed, item| items.unalias(item) | removed),
            (Self::Object(object), Value::Object(members)) => {
                let mut removed = false;
                for property in object.properties {
                    let names: Vec<&str> = std::iter::once(property.name)
                        .chain(property.aliases.iter().copied())
                        .filter(|name| members.contains_key(*name))
                        .collect();
                    if let [kept, others @ ..] = names.as_slice()
                        && others
                            .iter()
                            .all(|name| members.get(*name) == members.get(*kept))
                    {
                        for name in others {
                            members.remove(*name);
                            removed = true;
                        }
                    }
                    if let Some(child) = names.first().and_then(|name| members.get_mut(*name)) {
                        removed |= property.shape.unalias(child);
                    }
                }
                removed
            }
            _ => false,
        }
    }

    /// The shape of property `name` of an object shape.
    pub fn property(&self, name: &str) -> Option<&'static Shape> {
        match self {
            Self::Object(object) => object
                .properties
                .iter()
                .find(|property| property.name == name)
                .map(|property| property.shape),
            _ => None,
        }
    }

    /// What this shape is, for messages.
    pub fn expected(&self) -> &'static str {
        match self {
            Self::Any => "any value",
            Self::Boolean => "a boolean",
            Self::Integer32 => "a 32-bit integer",
            Self::Integer64 => "an integer",
            Self::Number => "a number",
            Self::String | Self::Enum(_) => "a string",
            Self::DateTime => "an RFC 3339 date-time",
            Self::Date => "a date (YYYY-MM-DD)",
            Self::DateOrDateTime => "a date or an RFC 3339 date-time",
            Self::Id => "a string or an integer",
            Self::Array(_) => "an array",
            Self::Object(_) | Self::Map => "an object",
        }
    }

    fn check(&self, value: &Value, path: &mut Path, found: &mut Deviations) {
        let retyped = |found: &mut Deviations, path: &Path| {
            found.push(
                path,
                DeviationKind::Retyped {
                    expected: self.expected(),
                    found: json_type(value),
                },
            )
        };
        match (self, value) {
            (Self::Any, _) => {}
            (_, Value::Null) => found.push(path, DeviationKind::Null),
            (Self::Boolean, Value::Bool(_)) => {}
            (Self::Integer32, Value::Number(number)) => {
                if number.as_i64().is_none_or(|n| i32::try_from(n).is_err()) {
                    if number.is_f64() {
                        retyped(found, path);
                    } else {
                        found.push(
                            path,
                            DeviationKind::Malformed {
                                expected: self.expected(),
                            },
                        );
                    }
                }
            }
            (Self::Integer64 | Self::Id, Value::Number(number)) => {
                if number.is_f64() {
                    retyped(found, path);
                }
            }
            (Self::Number, Value::Number(_)) => {}
            (Self::String | Self::Id, Value::String(_)) => {}
            (Self::DateTime, Value::String(text)) => {
                if chrono::DateTime::parse_from_rfc3339(text).is_err() {
                    found.push(
                        path,
                        DeviationKind::Malformed {
                            expected: self.expected(),
                        },
                    );
                }
            }
            (Self::Date, Value::String(text)) => {
                if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err() {
                    found.push(
                        path,
                        DeviationKind::Malformed {
                            expected: self.expected(),
                        },
                    );
                }
            }
            (Self::DateOrDateTime, Value::String(text)) => {
                let valid = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
                    || chrono::DateTime::parse_from_rfc3339(text).is_ok();
                if !valid {
                    found.push(
                        path,
                        DeviationKind::Malformed {
                            expected: self.expected(),
                        },
                    );
                }
            }
            (Self::Enum(values), Value::String(text)) => {
                if !values.contains(&text.as_str()) {
                    found.push(
                        path,
                        DeviationKind::UndocumentedValue {
                            value: text.clone(),
                        },
                    );
                }
            }
            (Self::Array(items), Value::Array(values)) => {
                for (index, item) in values.iter().enumerate() {
                    path.0.push(Segment::Index(index));
                    items.check(item, path, found);
                    path.0.pop();
                }
            }
            (Self::Object(object), Value::Object(members)) => object.check(members, path, found),
            (Self::Map, Value::Object(_)) => {}
            _ => retyped(found, path),
        }
    }
}

impl Object {
    fn check(
        &self,
        members: &serde_json::Map<String, Value>,
        path: &mut Path,
        found: &mut Deviations,
    ) {
        for property in self.properties {
            let present = std::iter::once(property.name)
                .chain(property.aliases.iter().copied())
                .find_map(|key| members.get(key).map(|value| (key, value)));
            match present {
                None if property.required => {
                    path.0.push(Segment::Key(property.name.to_owned()));
                    found.push(path, DeviationKind::Missing);
                    path.0.pop();
                }
                None => {}
                Some((key, value)) => {
                    path.0.push(Segment::Key(key.to_owned()));
                    if value.is_null() && property.nullable {
                        // Documented.
                    } else {
                        property.shape.check(value, path, found);
                    }
                    path.0.pop();
                }
            }
        }
        for key in members.keys() {
            let known = self
                .properties
                .iter()
                .any(|property| property.name == key || property.aliases.contains(&key.as_str()));
            if !known {
                path.0.push(Segment::Key(key.clone()));
                found.push(path, DeviationKind::Unknown);
                path.0.pop();
            }
        }
    }
}

/// A JSON value's type, for messages.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(number) if number.is_f64() => "a number with a fraction",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{DeviationKind, Object, Property, Shape};

    static GITEE: Object = Object {
        name: "GiteeStats",
        properties: &[Property {
            name: "follows",
            aliases: &[],
            shape: &Shape::Integer64,
            required: false,
            nullable: false,
        }],
    };
    static ORG: Object = Object {
        name: "Organization",
        properties: &[
            Property {
                name: "id",
                aliases: &["org_id"],
                shape: &Shape::Integer64,
                required: true,
                nullable: false,
            },
            Property {
                name: "avatar_url",
                aliases: &[],
                shape: &Shape::String,
                required: true,
                nullable: true,
            },
            Property {
                name: "count",
                aliases: &[],
                shape: &Shape::Integer32,
                required: true,
                nullable: false,
            },
            Property {
                name: "role",
                aliases: &[],
                shape: &Shape::Enum(&["admin", "member"]),
                required: false,
                nullable: false,
            },
            Property {
                name: "at",
                aliases: &[],
                shape: &Shape::DateTime,
                required: false,
                nullable: false,
            },
            Property {
                name: "gitee",
                aliases: &[],
                shape: &Shape::Object(&GITEE),
                required: false,
                nullable: false,
            },
        ],
    };
    static ORGS: Shape = Shape::Array(&Shape::Object(&ORG));

    #[test]
    fn a_documented_value_has_no_deviation() {
        let value = json!([
            {"id": 1, "avatar_url": null, "count": 3, "role": "admin", "at": "2024-02-06T18:25:26+08:00", "gitee": {"follows": 2}},
            {"org_id": 2, "avatar_url": "x", "count": 0}
        ]);
        assert!(ORGS.deviations(&value).is_empty());
    }

    #[test]
    fn every_deviation_is_found_with_its_path() {
        let value = json!([
            {"id": "1", "count": null, "role": "owner", "at": "yesterday", "gitee": {"follows": 1.5, "stars": 3}, "extra": true},
            {"id": 2, "avatar_url": 7, "count": 3000000000i64}
        ]);
        let found = ORGS.deviations(&value);
        let described: Vec<String> = found.list.iter().map(ToString::to_string).collect();
        assert_eq!(
            described,
            [
                "$[0].id: a string, the spec says an integer",
                "$[0].avatar_url: missing, the spec documents it as always present",
                "$[0].count: null, which the spec does not allow",
                "$[0].role: `owner`, not one of the documented values",
                "$[0].at: not an RFC 3339 date-time",
                "$[0].gitee.follows: a number with a fraction, the spec says an integer",
                "$[0].gitee.stars: a field the spec does not describe",
                "$[0].extra: a field the spec does not describe",
                "$[1].avatar_url: an integer, the spec says a string",
                "$[1].count: not a 32-bit integer",
            ]
        );
        assert_eq!(found.list[6].key(), "unknown $[].gitee.stars");
        assert!(matches!(found.list[2].kind, DeviationKind::Null));
    }

    #[test]
    fn the_list_is_capped_and_the_rest_counted() {
        let many: Vec<_> = (0..150)
            .map(|_| json!({"id": 1, "avatar_url": null, "count": 1, "x": 1}))
            .collect();
        let found = ORGS.deviations(&json!(many));
        assert_eq!(found.list.len(), super::MAX_DEVIATIONS);
        assert_eq!(found.more, 50);
        assert!(found.to_string().ends_with("; and 50 more"));
    }
}
