//! A test's own items served through an operation's documented pagination
//! (`x-pagination`), as the request asks for them.

use serde_json::{Map, Value, json};

use crate::spec::Spec;

/// The page of `items` that `query` asks for, as the operation's payload:
/// the items alone (GitCode's bare arrays), or `template` (the documented
/// example's page) with its items replaced and its totals and page number
/// set from `items`.
pub(crate) fn page(
    spec: &Spec,
    operation: &Value,
    pagination: &Value,
    template: Option<Value>,
    query: &[(String, String)],
    items: Vec<Value>,
) -> Value {
    let text = |key: &str| pagination.get(key).and_then(Value::as_str);
    let offset_style = text("style") == Some("offset");
    let (position_name, size_name) = if offset_style {
        (text("offset"), text("limit"))
    } else {
        (text("page"), text("per_page"))
    };
    let asked = |name: Option<&str>| {
        query
            .iter()
            .find(|(key, _)| Some(key.as_str()) == name)
            .and_then(|(_, value)| value.parse::<u64>().ok())
    };
    let size = asked(size_name)
        .or_else(|| default_of(spec, operation, size_name?))
        .or_else(|| pagination.get("page_size").and_then(Value::as_u64))
        .unwrap_or(20)
        .max(1);
    let position = asked(position_name).unwrap_or(u64::from(!offset_style));
    let start = if offset_style {
        position
    } else {
        position.saturating_sub(1).saturating_mul(size)
    };
    let total = items.len() as u64;
    let slice: Vec<Value> = items
        .into_iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .collect();
    let Some(items_field) = text("items") else {
        return Value::Array(slice);
    };
    let mut payload = match template {
        Some(Value::Object(object)) => Value::Object(object),
        _ => Value::Object(Map::new()),
    };
    set(&mut payload, items_field, Value::Array(slice));
    if let Some(path) = text("total") {
        set(&mut payload, path, json!(total));
    }
    if let Some(path) = text("total_pages") {
        set(&mut payload, path, json!(total.div_ceil(size)));
    }
    if let Some(path) = text("current") {
        set(&mut payload, path, json!(position));
    }
    payload
}

/// The `default` of the operation's parameter `name`.
fn default_of(spec: &Spec, operation: &Value, name: &str) -> Option<u64> {
    let parameters = operation.get("parameters")?.as_array()?;
    parameters
        .iter()
        .map(|parameter| spec.resolve(parameter))
        .find(|parameter| parameter.get("name").and_then(Value::as_str) == Some(name))?
        .pointer("/schema/default")?
        .as_u64()
}

/// Sets the member at a dotted path (`pagination.totalPages`), making the
/// objects on the way where they are missing.
fn set(value: &mut Value, path: &str, new: Value) {
    let mut slot = value;
    for key in path.split('.') {
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        slot = slot
            .as_object_mut()
            .expect("an object")
            .entry(key)
            .or_insert(Value::Null);
    }
    *slot = new;
}
