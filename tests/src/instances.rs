//! Instances of a spec's schemas, generated from the schemas alone (not from
//! the examples), as an independent mock server would: every property filled,
//! each value of its type, format, range and enum, `null` now and then where
//! the schema allows it. A client whose types disagree with its spec fails to
//! decode them.
//!
//! Two kinds: [`Kind::Documented`] holds exactly what the spec documents (every
//! property, nothing else), which even strict mode must accept;
//! [`Kind::Valid`] is any JSON the schema allows as JSON Schema reads it (which
//! allows members the schema does not list, and leaves optional ones out).

use serde_json::{Map, Number, Value, json};

use crate::spec::Spec;
use crate::variants::resolve;

/// What the generated instances may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Every documented property, nothing else.
    Documented,
    /// Any instance the schema allows: optional properties may be left out,
    /// and undocumented members added.
    Valid,
}

/// A seeded generator of instances.
pub struct Generator<'s> {
    spec: &'s Spec,
    rng: fastrand::Rng,
    kind: Kind,
}

impl<'s> Generator<'s> {
    /// A generator for `spec`'s schemas, reproducible from `seed`.
    pub fn new(spec: &'s Spec, kind: Kind, seed: u64) -> Self {
        Self {
            spec,
            rng: fastrand::Rng::with_seed(seed),
            kind,
        }
    }

    /// One instance of `schema`.
    pub fn instance(&mut self, schema: &Value) -> Value {
        self.value(schema, 0)
    }

    fn value(&mut self, schema: &Value, depth: usize) -> Value {
        if schema.get("nullable") == Some(&Value::Bool(true)) && self.rng.u8(..4) == 0 {
            return Value::Null;
        }
        let schema = resolve(self.spec, schema);
        if schema.get("nullable") == Some(&Value::Bool(true)) && self.rng.u8(..4) == 0 {
            return Value::Null;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(choices) = schema.get(key).and_then(Value::as_array)
                && !choices.is_empty()
            {
                let choice = &choices[self.rng.usize(..choices.len())];
                return self.value(choice, depth);
            }
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values[self.rng.usize(..values.len())].clone();
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("boolean") => Value::Bool(self.rng.bool()),
            Some("integer") => self.integer(schema),
            Some("number") => self.number(),
            Some("string") => Value::String(self.string(schema)),
            Some("array") => {
                let count = if depth > 4 { 0 } else { self.rng.usize(..4) };
                let items = schema.get("items").unwrap_or(&Value::Null);
                Value::Array((0..count).map(|_| self.value(items, depth + 1)).collect())
            }
            Some("object") | None if schema.get("properties").is_some() => {
                self.object(schema, depth)
            }
            Some("object") => match schema.get("additionalProperties") {
                // A map of documented values.
                Some(values) if values.as_object().is_some_and(|values| !values.is_empty()) => {
                    let mut object = Map::new();
                    for index in 0..self.rng.usize(..3) {
                        object.insert(format!("key{index}"), self.value(values, depth + 1));
                    }
                    Value::Object(object)
                }
                _ => self.members(depth),
            },
            _ => self.any(depth),
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut object = Map::new();
        for (key, property) in schema["properties"].as_object().into_iter().flatten() {
            let optional = !required.contains(&key.as_str());
            if self.kind == Kind::Valid && optional && self.rng.u8(..3) == 0 {
                continue;
            }
            object.insert(key.clone(), self.value(property, depth + 1));
        }
        if self.kind == Kind::Valid && self.rng.bool() {
            object.insert(
                format!("undocumented_{}", self.rng.u16(..)),
                self.any(depth + 1),
            );
        }
        Value::Object(object)
    }

    fn members(&mut self, depth: usize) -> Value {
        let mut object = Map::new();
        for index in 0..self.rng.usize(..3) {
            object.insert(format!("key{index}"), self.any(depth + 1));
        }
        Value::Object(object)
    }

    /// Any JSON value (a schema without a type).
    fn any(&mut self, depth: usize) -> Value {
        match self.rng.u8(..6) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.bool()),
            2 => json!(self.rng.i64(..)),
            3 => Value::String(self.text()),
            4 if depth < 4 => Value::Array(
                (0..self.rng.usize(..3))
                    .map(|_| self.any(depth + 1))
                    .collect(),
            ),
            _ if depth < 4 => self.members(depth),
            _ => Value::Null,
        }
    }

    fn integer(&mut self, schema: &Value) -> Value {
        let (low, high) = match schema.get("format").and_then(Value::as_str) {
            Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        let low = schema
            .get("minimum")
            .and_then(Value::as_i64)
            .unwrap_or(low)
            .max(low);
        let high = schema
            .get("maximum")
            .and_then(Value::as_i64)
            .unwrap_or(high)
            .min(high);
        // Mostly small counts, sometimes the edges of the range.
        let value = match self.rng.u8(..4) {
            0 => low,
            1 => high,
            _ => self.rng.i64(low.max(-1000)..=high.min(100_000)),
        };
        json!(value)
    }

    fn number(&mut self) -> Value {
        let value = match self.rng.u8(..3) {
            0 => f64::from(self.rng.u32(..100_000)),
            _ => self.rng.f64() * 10_000.0 - 100.0,
        };
        Value::Number(Number::from_f64(value).expect("finite"))
    }

    fn string(&mut self, schema: &Value) -> String {
        match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => self.date_time(),
            Some("date") => self.date(),
            _ => self.text(),
        }
    }

    fn date(&mut self) -> String {
        let year = self.rng.u16(1970..=2099);
        let month = self.rng.u8(1..=12);
        let day = self.rng.u8(1..=28);
        format!("{year:04}-{month:02}-{day:02}")
    }

    /// An RFC 3339 date-time: any offset, with or without a fraction.
    fn date_time(&mut self) -> String {
        let date = self.date();
        let (hour, minute, second) = (self.rng.u8(..24), self.rng.u8(..60), self.rng.u8(..60));
        let fraction = match self.rng.u8(..3) {
            0 => String::new(),
            1 => format!(".{:03}", self.rng.u16(..1000)),
            _ => format!(".{:06}", self.rng.u32(..1_000_000)),
        };
        let offset = match self.rng.u8(..3) {
            0 => "Z".to_owned(),
            1 => "+08:00".to_owned(),
            _ => format!("-{:02}:30", self.rng.u8(..12)),
        };
        format!("{date}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}")
    }

    fn text(&mut self) -> String {
        const PIECES: [&str; 8] = [
            "",
            "a",
            "openharmony",
            "张三",
            "\"quoted\"",
            "x,y",
            "1",
            " ",
        ];
        (0..self.rng.usize(..4))
            .map(|_| PIECES[self.rng.usize(..PIECES.len())])
            .collect()
    }
}
