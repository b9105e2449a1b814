//! Reading a provider's spec and its examples.

use serde_json::Value;

/// The examples of a media type object: its `example`, or each of its
/// `examples` by name, in the spec's order.
pub fn examples(media: &Value) -> Vec<(String, Value)> {
    if let Some(example) = media.get("example") {
        return vec![("example".to_owned(), example.clone())];
    }
    media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, example)| Some((name.clone(), example.get("value")?.clone())))
        .collect()
}

/// A provider's spec as JSON.
pub struct Spec {
    json: Value,
}

impl Spec {
    /// Loads a provider's whole spec: the mock's copy
    /// (`crates/mock/specs/<provider>.yaml`), which `cargo xtask regenerate`
    /// writes from `specs/` (assembled, where a spec is written in several
    /// files) and `--check` keeps current.
    pub fn load(provider: &str) -> Self {
        let path = crate::workspace_root()
            .join("crates/mock/specs")
            .join(format!("{provider}.yaml"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let json =
            yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Self { json }
    }

    /// The JSON example of an operation's response with this status (the
    /// first, where the response documents several).
    pub fn response_example(&self, operation_id: &str, status: &str) -> Value {
        self.response_examples(operation_id, status)
            .into_iter()
            .next()
            .map_or(Value::Null, |(_, example)| example)
    }

    /// Every JSON example of an operation's response with this status, named
    /// (`example` alone is named `example`).
    pub fn response_examples(&self, operation_id: &str, status: &str) -> Vec<(String, Value)> {
        let operation = self.operation(operation_id);
        let response = self.resolve(&operation["responses"][status]);
        examples(&response["content"]["application/json"])
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

    /// A valid request of every operation, in the spec's order: path
    /// parameters filled in with `x`, each required query parameter with
    /// [`sample`](Self::sample), and the body's documented example.
    pub fn valid_requests(&self) -> Vec<ValidRequest<'_>> {
        let mut requests = Vec::new();
        for (template, item) in self.json["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let Some(id) = operation["operationId"].as_str() else {
                    continue;
                };
                let mut path = template.clone();
                let mut query = Vec::new();
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    let parameter = self.resolve(parameter);
                    let name = parameter["name"].as_str().unwrap_or_default();
                    match parameter["in"].as_str() {
                        Some("path") => path = path.replace(&format!("{{{name}}}"), "x"),
                        Some("query") if parameter["required"] == true => {
                            query.push((name.to_owned(), self.sample(&parameter["schema"])));
                        }
                        _ => {}
                    }
                }
                let body = operation.get("requestBody").and_then(|body| {
                    let content = self.resolve(body)["content"].as_object()?;
                    let (media_type, media) = content.iter().next()?;
                    Some((media_type.clone(), media["example"].clone()))
                });
                requests.push(ValidRequest {
                    operation_id: id.to_owned(),
                    operation,
                    method: method.to_uppercase(),
                    path,
                    query,
                    body,
                });
            }
        }
        requests
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

/// A request of one operation that the spec accepts (see
/// [`Spec::valid_requests`]).
#[derive(Clone, Debug)]
pub struct ValidRequest<'a> {
    /// The `operationId`.
    pub operation_id: String,
    /// The operation's definition.
    pub operation: &'a Value,
    /// The method, upper case.
    pub method: String,
    /// The path below the base URL, its parameters filled in.
    pub path: String,
    /// The required query parameters.
    pub query: Vec<(String, String)>,
    /// The body's media type and its documented example.
    pub body: Option<(String, Value)>,
}
