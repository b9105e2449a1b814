//! Envelopes, on the spec: a success schema marked `x-envelope: <field>` is
//! handed to progenitor as its payload, so that `send()` returns the payload;
//! the [`decode`](super::decode) pass makes `send()` read the envelope.

use serde_json::Value;

use crate::spec::{Spec, operations_mut};

/// Replaces every envelope success schema of `json` (the spec as progenitor
/// will get it) by its payload property.
pub fn unwrap(spec: &Spec, json: &mut Value) -> Result<(), String> {
    for operation in operations_mut(json) {
        let operation_id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let media = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
            .filter(|(status, _)| status.starts_with('2'))
            .filter_map(|(_, response)| response.pointer_mut("/content/application~1json"));
        for media in media {
            let Some(schema) = media
                .get("schema")
                .map(|schema| spec.resolve(schema).clone())
            else {
                continue;
            };
            let Some(field) = schema.get("x-envelope").and_then(Value::as_str) else {
                continue;
            };
            let payload = schema
                .pointer(&format!("/properties/{field}"))
                .cloned()
                .ok_or_else(|| {
                    format!("{operation_id}: `x-envelope: {field}` names no property")
                })?;
            media["schema"] = payload;
        }
    }
    Ok(())
}
