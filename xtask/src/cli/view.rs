//! How the CLI shows an operation's answer in the `table`, `csv` and `ndjson`
//! formats: where its list is, the columns a table shows by default, and the
//! fields a CSV row holds.
//!
//! The list is the paginated items (`x-pagination.items`), an array answer, or
//! the one array of objects in an answer whose other fields are scalars (a
//! count beside it, say). A table's default columns are the schema's
//! `x-columns` when it has them; otherwise up to [`MAX_COLUMNS`] of its scalar
//! fields, ranked: identity (`x-identity`), then names, then states and roles,
//! then numbers, flags and foreign ids, then times, then other text; links
//! (`*_url`, avatars) are never chosen and long text (descriptions, messages)
//! comes last. A CSV row holds every scalar and nested field, in the spec's
//! order.

use serde_json::Value;

use crate::spec::{Spec, names};

/// The most columns a table shows by default.
pub const MAX_COLUMNS: usize = 6;

/// An operation's view, as the generated command hands it to the CLI's
/// output.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct View {
    /// The JSON pointer of the list in the answer (`""`: the answer is the
    /// list), or `None` when the answer is one object.
    pub list: Option<String>,
    /// The table's default columns.
    pub columns: Vec<String>,
    /// Every field of an item (or of the answer, when it is no list).
    pub fields: Vec<String>,
}

/// The view of `operation`'s answer.
pub fn of(spec: &Spec, operation: &Value) -> View {
    let success = operation
        .pointer("/responses/200")
        .map(|response| spec.resolve(response));
    if let Some(row) = success
        .and_then(|response| response.pointer("/content/text~1csv/x-csv-row"))
        .and_then(Value::as_str)
        .and_then(|row| spec.schema(row))
    {
        return listed(spec, String::new(), row);
    }
    let Some(payload) = spec.payload_schema(operation) else {
        return View::default();
    };
    let items_field = operation
        .pointer("/x-pagination/items")
        .and_then(Value::as_str);
    if let Some(field) = items_field
        && let Some(items) = payload.pointer(&format!("/properties/{field}/items"))
    {
        return listed(spec, format!("/{field}"), spec.resolve(items));
    }
    if payload.get("type").and_then(Value::as_str) == Some("array")
        && let Some(items) = payload.get("items")
    {
        return listed(spec, String::new(), spec.resolve(items));
    }
    let properties = payload.get("properties").and_then(Value::as_object);
    let arrays: Vec<(&String, &Value)> = properties
        .into_iter()
        .flatten()
        .filter(|(_, schema)| !is_scalar(spec, schema))
        .collect();
    if let [(field, schema)] = arrays.as_slice()
        && let Some(items) = schema.get("items").map(|items| spec.resolve(items))
        && items.get("properties").is_some()
    {
        return listed(spec, format!("/{field}"), items);
    }
    View {
        list: None,
        columns: Vec::new(),
        fields: properties
            .into_iter()
            .flatten()
            .map(|(name, _)| name.clone())
            .collect(),
    }
}

/// The view of a list at `pointer` whose items are `item`.
fn listed(spec: &Spec, pointer: String, item: &Value) -> View {
    let properties: Vec<(&String, &Value)> = item
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .collect();
    let declared = names(item, "x-columns");
    let columns = if declared.is_empty() {
        let mut ranked: Vec<(u8, &String)> = properties
            .iter()
            .filter_map(|(name, schema)| Some((rank(spec, item, name, schema)?, *name)))
            .collect();
        // Stable: within a rank, the spec's order.
        ranked.sort_by_key(|(rank, _)| *rank);
        ranked
            .into_iter()
            .take(MAX_COLUMNS)
            .map(|(_, name)| name.clone())
            .collect()
    } else {
        declared.into_iter().map(str::to_owned).collect()
    };
    View {
        list: Some(pointer),
        columns,
        fields: properties.iter().map(|(name, _)| (*name).clone()).collect(),
    }
}

/// Where a field ranks among a table's default columns (lower first), or
/// `None` when it is never a default column (a nested value, a link).
fn rank(spec: &Spec, item: &Value, name: &str, schema: &Value) -> Option<u8> {
    if !is_scalar(spec, schema) {
        return None;
    }
    let schema = spec.resolve(schema);
    let lower = name.to_ascii_lowercase();
    let ends = |suffixes: &[&str]| suffixes.iter().any(|suffix| lower.ends_with(suffix));
    if lower.contains("url") || lower.contains("avatar") || lower.contains("href") {
        return None;
    }
    let kind = schema.get("type").and_then(Value::as_str);
    let format = schema.get("format").and_then(Value::as_str);
    Some(if names(item, "x-identity").contains(&name) {
        0
    } else if ends(&["name", "login", "title", "email", "path"]) {
        1
    } else if ends(&[
        "status",
        "state",
        "role",
        "type",
        "visibility",
        "source",
        "model",
    ]) {
        2
    } else if matches!(kind, Some("integer" | "number" | "boolean")) || ends(&["_id", "id"]) {
        3
    } else if matches!(format, Some("date-time" | "date")) || ends(&["_at", "at", "ts", "time"]) {
        4
    } else if ends(&["description", "desc", "message", "body", "content"]) {
        6
    } else {
        5
    })
}

/// Whether a property holds one value (a string, number, boolean, an id of
/// either type, an enum) rather than an object or an array.
fn is_scalar(spec: &Spec, schema: &Value) -> bool {
    let schema = spec.resolve(schema);
    if schema.get("x-rust-type").is_some() {
        return true;
    }
    !matches!(
        schema.get("type").and_then(Value::as_str),
        Some("object" | "array")
    ) && schema.get("properties").is_none()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;

    use super::{View, of};
    use crate::spec::Spec;

    fn spec(json: serde_json::Value) -> Spec {
        Spec {
            provider: "probe".to_owned(),
            path: PathBuf::from("specs/probe.yaml"),
            json,
            text: String::new(),
        }
    }

    fn operation(schema: serde_json::Value) -> serde_json::Value {
        json!({"responses": {"200": {"content": {"application/json": {"schema": schema}}}}})
    }

    #[test]
    fn identity_names_and_states_come_first_and_links_never() {
        let spec = spec(json!({"components": {"schemas": {"Member": {
            "type": "object",
            "x-identity": ["login"],
            "properties": {
                "avatar_url": {"type": "string"},
                "description": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "follow_count": {"type": "integer"},
                "role": {"type": "string"},
                "name": {"type": "string"},
                "team": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "login": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}}
            }
        }}}}));
        let array =
            operation(json!({"type": "array", "items": {"$ref": "#/components/schemas/Member"}}));
        let view = of(&spec, &array);
        assert_eq!(view.list.as_deref(), Some(""));
        assert_eq!(
            view.columns,
            [
                "login",
                "name",
                "role",
                "follow_count",
                "created_at",
                "description"
            ]
        );
        assert_eq!(view.fields.len(), 9, "a CSV row holds every field");
        // The one array of an object whose other fields are scalars.
        let wrapped = operation(json!({"type": "object", "properties": {
            "total": {"type": "integer"},
            "members": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}}
        }}));
        assert_eq!(of(&spec, &wrapped).list.as_deref(), Some("/members"));
        // Two arrays: no list, the object's fields.
        let two = operation(json!({"type": "object", "properties": {
            "a": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}},
            "b": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}}
        }}));
        assert_eq!(
            of(&spec, &two),
            View {
                list: None,
                columns: Vec::new(),
                fields: vec!["a".to_owned(), "b".to_owned()],
            }
        );
    }
}
