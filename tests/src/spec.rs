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

    /// The example of an operation's raw success answer (a file: a media
    /// type other than JSON and CSV, `format: binary`), if it has one.
    pub fn raw_example(&self, operation_id: &str) -> Option<String> {
        let operation = self.operation(operation_id);
        let responses = operation["responses"].as_object()?;
        responses
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .filter_map(|(_, response)| self.resolve(response)["content"].as_object())
            .flatten()
            .filter(|(_, media)| media["schema"]["format"] == "binary")
            .find_map(|(_, media)| Some(media["example"].as_str()?.to_owned()))
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

    /// A path parameter's value: its example, else `x` for a string (a valid
    /// sample for any other type).
    pub fn path_value(&self, parameter: &Value) -> String {
        match &parameter["example"] {
            Value::String(example) => example.clone(),
            Value::Null if self.resolve(&parameter["schema"])["type"] == "string" => "x".to_owned(),
            Value::Null => self.sample(&parameter["schema"]),
            example => example.to_string(),
        }
    }

    /// A valid request of every operation, in the spec's order: path
    /// parameters filled in with [`path_value`](Self::path_value), each required query parameter with
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
                        Some("path") => {
                            // Percent-encoded as a client sends it (a file
                            // path's slashes kept).
                            let value = self.path_value(parameter);
                            let value = if parameter["x-path-slashes"] == true {
                                value
                                    .split('/')
                                    .map(encode_segment)
                                    .collect::<Vec<_>>()
                                    .join("/")
                            } else {
                                encode_segment(&value)
                            };
                            path = path.replace(&format!("{{{name}}}"), &value)
                        }
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

    /// The API groups: the tags, in the spec's order, then any tag an
    /// operation uses without declaring it.
    pub fn groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = self.json["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|tag| tag["name"].as_str().map(str::to_owned))
            .collect();
        for (_, _, id) in self.operations() {
            let tag = self.operation(&id)["tags"][0].as_str().unwrap_or_default();
            if !groups.iter().any(|group| group == tag) {
                groups.push(tag.to_owned());
            }
        }
        groups
    }

    /// Every operation's id, group (its tag) and the component schemas it
    /// reaches through its parameters, body and answers, at any depth.
    pub fn operation_reach(&self) -> Vec<(String, String, Vec<String>)> {
        self.operations()
            .into_iter()
            .map(|(_, _, id)| {
                let operation = self.operation(&id);
                let group = operation["tags"][0].as_str().unwrap_or_default().to_owned();
                let mut found = std::collections::BTreeSet::new();
                for key in ["parameters", "requestBody", "responses"] {
                    self.reach(&operation[key], &mut found);
                }
                (id, group, found.into_iter().collect())
            })
            .collect()
    }

    fn reach(&self, value: &Value, found: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    let newly = match reference.strip_prefix("#/components/schemas/") {
                        Some(name) => found.insert(name.to_owned()),
                        None => true,
                    };
                    if newly && let Some(target) = self.json.pointer(&reference[1..]) {
                        self.reach(target, found);
                    }
                }
                for (key, child) in map {
                    if key != "example" && key != "examples" {
                        self.reach(child, found);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.reach(item, found)),
            _ => {}
        }
    }

    /// A `multipart/form-data` body of `operation` with the parts of
    /// `example` (each part's text; a file part named `<part>.txt`).
    pub fn multipart(&self, operation: &Value, example: &Value) -> dev_platform_runtime::Multipart {
        let body = self.resolve(&operation["requestBody"]);
        let schema = self.resolve(&body["content"]["multipart/form-data"]["schema"]);
        let mut form = dev_platform_runtime::Multipart::new();
        for (name, value) in example.as_object().into_iter().flatten() {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            let binary = self.resolve(&schema["properties"][name])["format"] == "binary";
            form = if binary {
                form.file(
                    name.clone(),
                    dev_platform_runtime::FilePart::bytes(format!("{name}.txt"), text),
                )
            } else {
                form.text(name.clone(), text)
            };
        }
        form
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

impl ValidRequest<'_> {
    /// The request's URL on a server whose base URL is `base_url`: below
    /// it, or below the operation's own base path on the same origin (an
    /// operation with `servers` of its own, GitCode's `/api/v8`).
    pub fn url(&self, base_url: &str) -> String {
        match own_base_path(self.operation) {
            Some(own) => {
                let origin = url::Url::parse(base_url)
                    .expect("a base URL")
                    .origin()
                    .ascii_serialization();
                format!("{origin}{own}{}", self.path)
            }
            None => format!("{base_url}{}", self.path),
        }
    }
}

/// The path of the first server an operation (or a whole spec) names, if
/// it names one.
pub fn own_base_path(operation: &Value) -> Option<String> {
    let url = operation.pointer("/servers/0/url")?.as_str()?;
    Some(
        url::Url::parse(url)
            .ok()?
            .path()
            .trim_end_matches('/')
            .to_owned(),
    )
}

/// A path segment percent-encoded: every byte but the unreserved ones.
fn encode_segment(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
