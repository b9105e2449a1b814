//! The ways a real server strays from a documented example, one field at a
//! time: every property of a response example set to `null`, left out, or
//! sent as the other scalar type (a number as its decimal text, a numeric
//! string as a number), and an unknown field added to every object. Each
//! variant knows whether the field it changed identifies its object (the
//! schema's `x-identity`, or an envelope's `success` and payload), since only
//! those may fail a call.

use std::fmt;

use serde_json::{Map, Value};

use crate::spec::Spec;

/// The key every [`Change::Unknown`] variant adds.
pub const UNKNOWN_KEY: &str = "x_field_the_spec_lacks";

/// What a variant changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The field is `null`.
    Null,
    /// The field is left out.
    Absent,
    /// A number sent as its decimal text (`10` → `"10"`).
    NumberAsText,
    /// A string of digits sent as a number (`"268"` → `268`).
    TextAsNumber,
    /// An object has one more field, [`UNKNOWN_KEY`], whose value is the
    /// variant's marker.
    Unknown,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Null => "null",
            Self::Absent => "absent",
            Self::NumberAsText => "number as text",
            Self::TextAsNumber => "text as number",
            Self::Unknown => "unknown field",
        })
    }
}

/// One step of a path into a JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object's member.
    Key(String),
    /// An array's item.
    Index(usize),
}

/// A path into a JSON value, printed as `$.items[0].id`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Step>);

impl Path {
    fn with(&self, step: Step) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        Self(steps)
    }

    /// The last key of the path (the field's name), if it ends in one.
    pub fn field(&self) -> Option<&str> {
        match self.0.last()? {
            Step::Key(key) => Some(key),
            Step::Index(_) => None,
        }
    }

    /// The value at this path.
    pub fn get<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        self.0.iter().try_fold(value, |value, step| match step {
            Step::Key(key) => value.get(key),
            Step::Index(index) => value.get(index),
        })
    }

    fn get_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        self.0.iter().try_fold(value, |value, step| match step {
            Step::Key(key) => value.get_mut(key),
            Step::Index(index) => value.get_mut(index),
        })
    }

    /// The path without its first `n` steps (for the payload of an envelope).
    pub fn skip(&self, n: usize) -> Self {
        Self(self.0.iter().skip(n).cloned().collect())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for step in &self.0 {
            match step {
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A response body with one change.
#[derive(Clone, Debug)]
pub struct Variant {
    /// What changed.
    pub change: Change,
    /// Where: the changed field, or the object that got an unknown field.
    pub path: Path,
    /// Where the CLI prints it: `path` with every key that is an alias
    /// (`x-aliases`) as its property's name, and a bare array's items under
    /// their wrapper's field (`x-bare-array`).
    pub printed: Path,
    /// Where strict mode names it: `path` as sent, under the wrapper's field
    /// where a bare array stands for its wrapper (`x-bare-array`).
    pub checked: Path,
    /// Whether the changed field identifies its object.
    pub identity: bool,
    /// The original value at `path` (for a field).
    pub original: Value,
    /// The whole changed body.
    pub body: Value,
    /// The value of the unknown field, unique to the variant.
    pub marker: String,
}

/// A field or an object found in an example, with its schema.
struct Found {
    path: Path,
    printed: Path,
    checked: Path,
    value: Value,
    identity: bool,
    object: bool,
}

/// Every single-change variant of `example`, the body of a response whose
/// schema is `schema`.
pub fn variants(spec: &Spec, example: &Value, schema: &Value) -> Vec<Variant> {
    let mut found = Vec::new();
    let at = Path::default();
    walk(spec, example, schema, [&at, &at, &at], &mut found);
    let mut variants = Vec::new();
    for (index, node) in found.into_iter().enumerate() {
        let marker = format!("marker-{index}");
        let mut add = |change: Change, edit: &dyn Fn(&mut Value)| {
            let mut body = example.clone();
            edit(&mut body);
            variants.push(Variant {
                change,
                path: node.path.clone(),
                printed: node.printed.clone(),
                checked: node.checked.clone(),
                identity: node.identity,
                original: node.value.clone(),
                body,
                marker: marker.clone(),
            });
        };
        if node.object {
            add(Change::Unknown, &|body| {
                if let Some(Value::Object(object)) = node.path.get_mut(body) {
                    object.insert(UNKNOWN_KEY.to_owned(), Value::String(marker.clone()));
                }
            });
            // The object as a field has its own entry.
            continue;
        }
        add(Change::Null, &|body| {
            if let Some(value) = node.path.get_mut(body) {
                *value = Value::Null;
            }
        });
        add(Change::Absent, &|body| {
            let parent = Path(node.path.0[..node.path.0.len() - 1].to_vec());
            if let (Some(Value::Object(object)), Some(key)) =
                (parent.get_mut(body), node.path.field())
            {
                object.remove(key);
            }
        });
        match &node.value {
            Value::Number(number) => add(Change::NumberAsText, &|body| {
                if let Some(value) = node.path.get_mut(body) {
                    *value = Value::String(number.to_string());
                }
            }),
            Value::String(text) if is_decimal(text) => add(Change::TextAsNumber, &|body| {
                if let Some(value) = node.path.get_mut(body) {
                    *value = Value::Number(text.parse::<u64>().expect("digits").into());
                }
            }),
            _ => {}
        }
    }
    variants
}

/// Digits without a leading zero that fit a `u64`: a number's decimal text.
fn is_decimal(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'))
        && text.parse::<u64>().is_ok()
}

/// The schema behind `$ref`s and single-`allOf` wrappers.
pub fn resolve<'s>(spec: &'s Spec, mut schema: &'s Value) -> &'s Value {
    loop {
        if schema.get("$ref").is_some() {
            schema = spec.resolved(schema);
        } else if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
        } else {
            return schema;
        }
    }
}

/// Walks `value` (documented by `schema`) at `[path, printed, checked]` (see
/// [`Variant`]), listing its fields and objects. The entries of a map
/// (`additionalProperties` without `properties`) are its data, not fields.
fn walk(spec: &Spec, value: &Value, schema: &Value, at: [&Path; 3], found: &mut Vec<Found>) {
    let [path, printed, checked] = at;
    let schema = resolve(spec, schema);
    match value {
        Value::Object(object) => {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            found.push(Found {
                path: path.clone(),
                printed: printed.clone(),
                checked: checked.clone(),
                value: value.clone(),
                identity: false,
                object: true,
            });
            let identity = identity_fields(schema);
            for (key, child) in object {
                let (name, child_schema) = property(properties, key)
                    .map_or((key.as_str(), &Value::Null), |(name, schema)| {
                        (name, schema)
                    });
                let child_at = [
                    path.with(Step::Key(key.clone())),
                    printed.with(Step::Key(name.to_owned())),
                    checked.with(Step::Key(key.clone())),
                ];
                found.push(Found {
                    path: child_at[0].clone(),
                    printed: child_at[1].clone(),
                    checked: child_at[2].clone(),
                    value: child.clone(),
                    identity: identity.contains(&name),
                    object: false,
                });
                walk(
                    spec,
                    child,
                    child_schema,
                    [&child_at[0], &child_at[1], &child_at[2]],
                    found,
                );
            }
        }
        Value::Array(items) => {
            // A bare array in place of its wrapper object (`x-bare-array`).
            let (schema, printed, checked) =
                match schema.get("x-bare-array").and_then(Value::as_str) {
                    Some(field) => (
                        resolve(
                            spec,
                            schema
                                .pointer(&format!("/properties/{field}"))
                                .unwrap_or(&Value::Null),
                        ),
                        printed.with(Step::Key(field.to_owned())),
                        checked.with(Step::Key(field.to_owned())),
                    ),
                    None => (schema, printed.clone(), checked.clone()),
                };
            let item_schema = schema.get("items").unwrap_or(&Value::Null);
            for (index, item) in items.iter().enumerate() {
                walk(
                    spec,
                    item,
                    item_schema,
                    [
                        &path.with(Step::Index(index)),
                        &printed.with(Step::Index(index)),
                        &checked.with(Step::Index(index)),
                    ],
                    found,
                );
            }
        }
        _ => {}
    }
}

/// The fields that identify objects of this schema: its `x-identity`, or an
/// envelope's `success` and payload field.
pub fn identity_fields(schema: &Value) -> Vec<&str> {
    if let Some(payload) = schema.get("x-envelope").and_then(Value::as_str) {
        return vec!["success", payload];
    }
    schema
        .get("x-identity")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// The property `key` names, and its name: itself, or one whose `x-aliases`
/// list it.
fn property<'s>(properties: &'s Map<String, Value>, key: &str) -> Option<(&'s str, &'s Value)> {
    properties
        .get_key_value(key)
        .or_else(|| {
            properties.iter().find(|(_, property)| {
                property
                    .get("x-aliases")
                    .and_then(Value::as_array)
                    .is_some_and(|aliases| aliases.iter().any(|alias| alias == key))
            })
        })
        .map(|(name, property)| (name.as_str(), property))
}

/// `value` (a response example) as the clients print it: every key that is
/// an alias (`x-aliases`) as its property's name, and a bare array in place of
/// its wrapper (`x-bare-array`) wrapped.
pub fn canonical(spec: &Spec, value: &Value, schema: &Value) -> Value {
    let mut schema = resolve(spec, schema);
    // A choice of schemas (`allOf` of one, `oneOf` a string or an object):
    // the object branch, for an object.
    while let Some(branch) = ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .map(|branch| resolve(spec, branch))
        .find(|branch| !value.is_object() || branch.get("properties").is_some())
        .filter(|_| schema.get("properties").is_none())
    {
        schema = branch;
    }
    match value {
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let mut printed = Map::new();
            for (key, child) in object {
                let (name, child_schema) = properties
                    .and_then(|properties| property(properties, key))
                    .map_or((key.as_str(), &Value::Null), |(name, schema)| {
                        (name, schema)
                    });
                printed.insert(name.to_owned(), canonical(spec, child, child_schema));
            }
            Value::Object(printed)
        }
        Value::Array(items) => match schema.get("x-bare-array").and_then(Value::as_str) {
            Some(field) => {
                let array = schema
                    .pointer(&format!("/properties/{field}"))
                    .unwrap_or(&Value::Null);
                let mut wrapper = Map::new();
                wrapper.insert(field.to_owned(), canonical(spec, value, array));
                Value::Object(wrapper)
            }
            None => {
                let item = schema.get("items").unwrap_or(&Value::Null);
                Value::Array(
                    items
                        .iter()
                        .map(|child| canonical(spec, child, item))
                        .collect(),
                )
            }
        },
        _ => value.clone(),
    }
}
