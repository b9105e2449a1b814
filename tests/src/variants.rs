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
    value: Value,
    identity: bool,
    object: bool,
}

/// Every single-change variant of `example`, the body of a response whose
/// schema is `schema`.
pub fn variants(spec: &Spec, example: &Value, schema: &Value) -> Vec<Variant> {
    let mut found = Vec::new();
    walk(spec, example, schema, &Path::default(), &mut found);
    let mut variants = Vec::new();
    for (index, node) in found.into_iter().enumerate() {
        let marker = format!("marker-{index}");
        let mut add = |change: Change, edit: &dyn Fn(&mut Value)| {
            let mut body = example.clone();
            edit(&mut body);
            variants.push(Variant {
                change,
                path: node.path.clone(),
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

fn walk(spec: &Spec, value: &Value, schema: &Value, path: &Path, found: &mut Vec<Found>) {
    let schema = resolve(spec, schema);
    match value {
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            if properties.is_some() {
                found.push(Found {
                    path: path.clone(),
                    value: value.clone(),
                    identity: false,
                    object: true,
                });
            }
            let identity = identity_fields(schema);
            for (key, child) in object {
                let child_schema = properties
                    .and_then(|properties| property(properties, key))
                    .unwrap_or(&Value::Null);
                let child_path = path.with(Step::Key(key.clone()));
                found.push(Found {
                    path: child_path.clone(),
                    value: child.clone(),
                    identity: identity.contains(&key.as_str()),
                    object: false,
                });
                walk(spec, child, child_schema, &child_path, found);
            }
        }
        Value::Array(items) => {
            let item_schema = schema.get("items").unwrap_or(&Value::Null);
            for (index, item) in items.iter().enumerate() {
                walk(
                    spec,
                    item,
                    item_schema,
                    &path.with(Step::Index(index)),
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

/// The property `key` names: itself, or one whose `x-aliases` list it.
fn property<'s>(properties: &'s Map<String, Value>, key: &str) -> Option<&'s Value> {
    properties.get(key).or_else(|| {
        properties.values().find(|property| {
            property
                .get("x-aliases")
                .and_then(Value::as_array)
                .is_some_and(|aliases| aliases.iter().any(|alias| alias == key))
        })
    })
}
