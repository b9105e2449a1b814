//! Reading a provider's spec and its examples.

use serde_json::Value;

/// A provider's spec as JSON.
pub struct Spec {
    json: Value,
}

impl Spec {
    /// Loads `specs/<provider>.yaml`.
    pub fn load(provider: &str) -> Self {
        let path = crate::workspace_root()
            .join("specs")
            .join(format!("{provider}.yaml"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json =
            yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Self { json }
    }

    /// The JSON example of an operation's response with this status.
    pub fn response_example(&self, operation_id: &str, status: &str) -> Value {
        let operation = self.operation(operation_id);
        let response = self.resolve(&operation["responses"][status]);
        response["content"]["application/json"]["example"].clone()
    }

    /// The CSV example of an operation's 200 response.
    pub fn csv_example(&self, operation_id: &str) -> String {
        let operation = self.operation(operation_id);
        let response = self.resolve(&operation["responses"]["200"]);
        response["content"]["text/csv"]["example"]
            .as_str()
            .unwrap_or_else(|| panic!("{operation_id}: no CSV example"))
            .to_owned()
    }

    /// `(name, example)` of every documented header of an operation's response.
    pub fn response_header_examples(
        &self,
        operation_id: &str,
        status: &str,
    ) -> Vec<(String, String)> {
        let operation = self.operation(operation_id);
        let response = self.resolve(&operation["responses"][status]);
        response["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(name, header)| {
                Some((name.clone(), header.get("example")?.as_str()?.to_owned()))
            })
            .collect()
    }

    /// Every `(METHOD, path, operationId)` of the spec.
    pub fn operations(&self) -> Vec<(String, String, String)> {
        let mut operations = Vec::new();
        for (path, item) in self.json["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    operations.push((method.to_uppercase(), path.clone(), id.to_owned()));
                }
            }
        }
        operations.sort_by(|a, b| a.2.cmp(&b.2));
        operations
    }

    /// The whole spec as JSON.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// Follows a local `$ref`.
    pub fn resolved<'a>(&'a self, value: &'a Value) -> &'a Value {
        self.resolve(value)
    }

    /// A valid value, as text, for a parameter of this schema: its first enum
    /// value, its minimum (or 1), `true`, or a time (which any string takes).
    pub fn sample(&self, schema: &Value) -> String {
        let schema = self.resolve(schema);
        if let Some(first) = schema.get("enum").and_then(|values| values.get(0)) {
            return first
                .as_str()
                .map_or_else(|| first.to_string(), str::to_owned);
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("integer") => schema
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(1)
                .to_string(),
            Some("boolean") => "true".to_owned(),
            _ => "2025-06-01T00:00:00Z".to_owned(),
        }
    }

    /// The spec's `info.title`.
    pub fn title(&self) -> &str {
        self.json["info"]["title"].as_str().unwrap_or_default()
    }

    fn operation(&self, operation_id: &str) -> &Value {
        self.json["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.values())
            .flat_map(|item| item.as_object().into_iter().flat_map(|item| item.values()))
            .find(|operation| operation["operationId"] == operation_id)
            .unwrap_or_else(|| panic!("no operation {operation_id} in the spec"))
    }

    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => self.json.pointer(&reference[1..]).expect("resolved $ref"),
            None => value,
        }
    }
}
