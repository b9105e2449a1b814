//! The MCP tools of a spec: one per operation, named `<provider>_<operationId>`,
//! with the operation's summary and description, a JSON Schema of its
//! arguments (path, query and header parameters by their spec names, a
//! request body as `body`, `all` for a paginated list) and of its JSON
//! result, and the hints a host shows (read-only, destructive, idempotent).
//!
//! `cargo xtask regenerate` writes the CLI's tool tables from these
//! (`crates/cli/src/mcp/<provider>.rs`), and the surface snapshots list them,
//! so a spec edit shows in review as a tool change too.

use serde_json::{Map, Value, json};

/// The most items `all: true` collects before it stops (and says so).
pub const ALL_ITEMS_CAP: usize = 1000;
/// The rows of an export's preview.
pub const PREVIEW_ROWS: usize = 20;

/// What a tool's call answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The operation's JSON response.
    Json,
    /// A page of a paginated list, or with `all: true` every item.
    Pages,
    /// A CSV export: its row count, columns and first rows.
    Csv,
    /// No body (a `204`).
    Empty,
    /// A raw answer (a file): its size, media type and, when it is UTF-8
    /// text, its beginning.
    Raw,
}

/// The bytes of a raw answer a tool returns as text at most.
pub const RAW_TEXT_CAP: usize = 64 * 1024;

/// One tool.
#[derive(Clone, Debug)]
pub struct Tool {
    /// `gitcode_get_org`.
    pub name: String,
    /// The operation's id (the client's method).
    pub operation_id: String,
    /// Its summary, then its description.
    pub description: String,
    /// The arguments' JSON Schema.
    pub input_schema: Value,
    /// The result's JSON Schema, when the answer is JSON.
    pub output_schema: Option<Value>,
    /// Whether it only reads: a `GET`, or an operation marked `x-read-only`.
    pub read_only: bool,
    /// Whether it may destroy something: a `DELETE`, or a `PUT` or `PATCH`
    /// that overwrites what was there (MCP's `destructiveHint`: not only
    /// additive).
    pub destructive: bool,
    /// Whether calling it twice is calling it once: `GET`, `PUT`, `DELETE`.
    pub idempotent: bool,
    /// What the call answers.
    pub answer: Answer,
    /// Its toolset: `<provider>:<tag>` (`gitcode:repos`), the operation's
    /// API group.
    pub toolset: String,
}

/// A toolset: the tools of one API group (a tag of the spec), which
/// `devplat mcp --toolsets` names.
#[derive(Clone, Debug)]
pub struct Toolset {
    /// `<provider>:<tag>`.
    pub name: String,
    /// The tag's description.
    pub description: String,
    /// Whether `devplat mcp` offers it when no `--toolsets` is given (the
    /// tag's `x-mcp-default: true`).
    pub default: bool,
}

/// Every toolset of a spec, in the order of its `tags`.
pub fn toolsets(provider: &str, spec: &Value) -> Vec<Toolset> {
    spec.get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|tag| {
            let text = |key: &str| tag.get(key).and_then(Value::as_str).unwrap_or_default();
            Toolset {
                name: format!("{provider}:{}", text("name")),
                description: text("description").to_owned(),
                default: tag.get("x-mcp-default").and_then(Value::as_bool) == Some(true),
            }
        })
        .collect()
}

/// Every operation's tool, in the spec's order.
pub fn of(provider: &str, spec: &Value) -> Vec<Tool> {
    let mut tools = Vec::new();
    let paths = spec.get("paths").and_then(Value::as_object);
    for (_, item) in paths.into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            tools.push(tool(provider, spec, method, id, operation));
        }
    }
    tools
}

fn tool(provider: &str, spec: &Value, method: &str, id: &str, operation: &Value) -> Tool {
    let text = |key: &str| {
        operation
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
    };
    let description = match (text("summary"), text("description")) {
        (summary, "") => summary.to_owned(),
        (summary, description) => format!("{summary}.\n\n{description}"),
    };
    let success = success_response(spec, operation);
    let answer = if success.pointer("/content/text~1csv").is_some() {
        Answer::Csv
    } else if operation.get("x-pagination").is_some() {
        Answer::Pages
    } else if json_schema_of(success).is_some() {
        Answer::Json
    } else if raw_of(spec, success) {
        Answer::Raw
    } else {
        Answer::Empty
    };
    let mut description = description;
    match answer {
        Answer::Pages => description.push_str(&format!(
            "\n\nOne page by default; `all: true` follows the pages and returns up to \
             {ALL_ITEMS_CAP} items (`truncated` says whether there were more)."
        )),
        Answer::Csv => description.push_str(&format!(
            "\n\nAnswers the export's row count, its columns and its first {PREVIEW_ROWS} rows."
        )),
        Answer::Raw => description.push_str(&format!(
            "\n\nAnswers the file's size and media type, and its first {} KiB when it is UTF-8 text.",
            RAW_TEXT_CAP / 1024
        )),
        Answer::Json | Answer::Empty => {}
    }
    let read_only =
        method == "get" || operation.get("x-read-only").and_then(Value::as_bool) == Some(true);
    Tool {
        name: format!("{provider}_{id}"),
        operation_id: id.to_owned(),
        description,
        input_schema: input_schema(spec, operation, answer),
        output_schema: output_schema(spec, operation, success, answer),
        read_only,
        destructive: !read_only && matches!(method, "delete" | "put" | "patch"),
        idempotent: matches!(method, "get" | "put" | "delete") || read_only,
        answer,
        toolset: format!(
            "{provider}:{}",
            operation
                .pointer("/tags/0")
                .and_then(Value::as_str)
                .unwrap_or_default()
        ),
    }
}

/// The first 2xx response, resolved.
fn success_response<'a>(spec: &'a Value, operation: &'a Value) -> &'a Value {
    operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .find(|(status, _)| status.starts_with('2'))
        .map_or(&Value::Null, |(_, response)| resolve(spec, response))
}

/// Whether a response is raw (a file): a media type other than JSON whose
/// schema is `{type: string, format: binary}`.
pub fn raw_of(spec: &Value, response: &Value) -> bool {
    response
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .any(|(media_type, media)| {
            media_type != "application/json"
                && media
                    .get("schema")
                    .is_some_and(|schema| is_binary(resolve(spec, schema)))
        })
}

/// Whether a schema is `{type: string, format: binary}`: bytes, not JSON.
pub fn is_binary(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("format").and_then(Value::as_str) == Some("binary")
}

/// Whether an operation's success answer is raw (a file).
pub fn raw_answer(spec: &Value, operation: &Value) -> bool {
    raw_of(spec, success_response(spec, operation))
}

fn json_schema_of(response: &Value) -> Option<&Value> {
    response.pointer("/content/application~1json/schema")
}

/// One argument of a tool: a parameter by its spec name.
#[derive(Clone, Debug)]
pub struct Argument {
    /// The spec's name (`org`, `startDate`, `body`).
    pub name: String,
    /// Whether the call needs it.
    pub required: bool,
}

/// The arguments, in the order of the input schema.
pub fn arguments(tool: &Tool) -> Vec<Argument> {
    let required: Vec<&str> = tool.input_schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    tool.input_schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, _)| Argument {
            name: name.clone(),
            required: required.contains(&name.as_str()),
        })
        .collect()
}

fn input_schema(spec: &Value, operation: &Value, answer: Answer) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for parameter in operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|parameter| resolve(spec, parameter))
    {
        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
            continue;
        };
        let mut schema = json_schema(spec, parameter.get("schema").unwrap_or(&Value::Null), true);
        if let (Some(description), Some(object)) = (
            parameter.get("description").and_then(Value::as_str),
            schema.as_object_mut(),
        ) {
            object.insert("description".into(), description.into());
        }
        if parameter.get("required") == Some(&Value::Bool(true)) {
            required.push(Value::from(name));
        }
        properties.insert(name.to_owned(), schema);
    }
    if let Some(body) = operation.get("requestBody").map(|body| resolve(spec, body)) {
        let form = body.pointer("/content/multipart~1form-data/schema");
        let schema = body
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.values().next())
            .and_then(|media| media.get("schema"))
            .unwrap_or(&Value::Null);
        let mut schema = match form {
            Some(form) => form_schema(spec, resolve(spec, form)),
            None => json_schema(spec, schema, true),
        };
        if let Some(object) = schema.as_object_mut() {
            object
                .entry("description")
                .or_insert_with(|| "The request body.".into());
        }
        properties.insert("body".into(), schema);
        if body.get("required") == Some(&Value::Bool(true)) {
            required.push("body".into());
        }
    }
    if answer == Answer::Pages {
        properties.insert(
            "all".into(),
            json!({
                "type": "boolean",
                "default": false,
                "description": format!(
                    "Follow every page and return up to {ALL_ITEMS_CAP} items, instead of one page."
                ),
            }),
        );
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// A `multipart/form-data` body as a tool takes it: each text part a
/// string, each file part its name and content (text).
fn form_schema(spec: &Value, form: &Value) -> Value {
    let mut properties = Map::new();
    for (name, part) in form
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let part = resolve(spec, part);
        let description = part
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let schema = if part.get("format").and_then(Value::as_str) == Some("binary") {
            json!({
                "type": "object",
                "description": description,
                "properties": {
                    "file_name": {"type": "string", "description": "The file's name."},
                    "content": {"type": "string", "description": "The file's content, as text."},
                },
                "required": ["file_name", "content"],
                "additionalProperties": false,
            })
        } else {
            json!({"type": "string", "description": description})
        };
        properties.insert(name.clone(), schema);
    }
    json!({
        "type": "object",
        "description": "The form's parts.",
        "properties": properties,
        "required": form.get("required").cloned().unwrap_or_else(|| json!([])),
        "additionalProperties": false,
    })
}

fn output_schema(
    spec: &Value,
    operation: &Value,
    success: &Value,
    answer: Answer,
) -> Option<Value> {
    match answer {
        Answer::Empty => None,
        Answer::Raw => Some(json!({
            "type": "object",
            "properties": {
                "bytes": {"type": "integer", "description": "The file's size in bytes."},
                "content_type": {"type": ["string", "null"], "description": "Its media type, as the server named it."},
                "text": {"type": ["string", "null"], "description": format!("Its first {} KiB when it is UTF-8 text; null otherwise.", RAW_TEXT_CAP / 1024)},
                "truncated": {"type": "boolean", "description": "Whether the text is only the file's beginning."},
            },
            "required": ["bytes", "content_type", "text", "truncated"],
        })),
        Answer::Csv => Some(json!({
            "type": "object",
            "properties": {
                "rows": {"type": "integer", "description": "How many rows the export has."},
                "columns": {"type": "array", "items": {"type": "string"}},
                "preview": {
                    "type": "array",
                    "description": format!("The first {PREVIEW_ROWS} rows, by column."),
                    "items": {"type": "object"},
                },
            },
            "required": ["rows", "columns", "preview"],
        })),
        Answer::Json | Answer::Pages => {
            let schema = json_schema(spec, enveloped(spec, json_schema_of(success)?), false);
            let one = wrapped(schema);
            if answer == Answer::Json {
                return Some(one);
            }
            let item = item_schema(spec, operation, success);
            let every = json!({
                "type": "object",
                "properties": {
                    "items": {"type": "array", "items": item},
                    "truncated": {
                        "type": "boolean",
                        "description": format!("Whether there were more than {ALL_ITEMS_CAP} items."),
                    },
                },
                "required": ["items", "truncated"],
            });
            Some(json!({"type": "object", "anyOf": [one, every]}))
        }
    }
}

/// An object schema as it is; anything else as `{"items": <it>}`, since a
/// tool's structured result is an object. An answer of any JSON (a schema
/// without a type) is an object either way: the value, or the wrapper.
fn wrapped(schema: Value) -> Value {
    let untyped = ["type", "oneOf", "anyOf", "allOf", "$ref"]
        .iter()
        .all(|key| schema.get(key).is_none());
    if schema.get("type") == Some(&Value::from("object")) {
        schema
    } else if untyped {
        json!({"type": "object"})
    } else {
        json!({"type": "object", "properties": {"items": schema}, "required": ["items"]})
    }
}

/// The schema of one item of a paginated list: the array's items, found at
/// the `x-pagination` items field or as the response itself.
fn item_schema(spec: &Value, operation: &Value, success: &Value) -> Value {
    let Some(schema) = json_schema_of(success) else {
        return json!({});
    };
    let schema = enveloped(spec, schema);
    let array = match operation
        .pointer("/x-pagination/items")
        .and_then(Value::as_str)
    {
        Some(field) => schema
            .pointer(&format!("/properties/{field}"))
            .map_or(&Value::Null, |field| resolve(spec, field)),
        None if schema.get("type") == Some(&Value::from("array")) => schema,
        None => schema
            .pointer("/properties/items")
            .map_or(&Value::Null, |items| resolve(spec, items)),
    };
    array
        .get("items")
        .map_or(json!({}), |item| json_schema(spec, item, false))
}

/// What the clients return of a success schema: the field an `x-envelope`
/// names (Qoder's `data`), or the schema itself.
fn enveloped<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = resolve(spec, schema);
    match schema.get("x-envelope").and_then(Value::as_str) {
        Some(field) => schema
            .pointer(&format!("/properties/{field}"))
            .map_or(&Value::Null, |data| resolve(spec, data)),
        None => schema,
    }
}

/// An OpenAPI 3.0 schema as a self-contained JSON Schema: `$ref`s inlined,
/// `nullable` as a `null` type, the SDK's own types (`x-rust-type`) as what
/// they accept, and the extensions left out. For a result (`input: false`)
/// it describes what the tolerant clients return: no field is required, no
/// closed list of values or fields, since a server that strays is accepted.
fn json_schema(spec: &Value, schema: &Value, input: bool) -> Value {
    json_schema_at(spec, schema, input, 0)
}

fn json_schema_at(spec: &Value, schema: &Value, input: bool, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    if depth > 16 {
        return json!({});
    }
    if let Some(path) = schema.pointer("/x-rust-type/path").and_then(Value::as_str) {
        let description = schema.get("description").cloned();
        let mut accepted = match path.rsplit("::").next() {
            Some("Timestamp") => json!({
                "anyOf": [
                    {"type": "string", "format": "date-time"},
                    {"type": "integer", "description": "Unix milliseconds"},
                ],
            }),
            Some("CommaSeparated") => json!({"type": "array", "items": {"type": "string"}}),
            Some("DateOrDateTime") => json!({
                "type": "string",
                "description": "A date (YYYY-MM-DD) or an RFC 3339 date-time.",
            }),
            Some("Id") => json!({"type": ["string", "integer"]}),
            _ => json!({}),
        };
        if let (Some(description), Some(object)) = (description, accepted.as_object_mut()) {
            object.entry("description").or_insert(description);
        }
        return accepted;
    }
    let Some(object) = schema.as_object() else {
        return json!({});
    };
    let mut out = Map::new();
    for (key, value) in object {
        let value = match key.as_str() {
            _ if key.starts_with("x-") => continue,
            "nullable" | "example" | "discriminator" | "readOnly" | "writeOnly" | "deprecated"
            | "externalDocs" | "xml" => continue,
            "required" | "enum" | "minItems" | "maxItems" | "minLength" | "maxLength"
            | "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum"
                if !input =>
            {
                continue;
            }
            "additionalProperties" if !input => continue,
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| {
                        (
                            name.clone(),
                            json_schema_at(spec, property, input, depth + 1),
                        )
                    })
                    .collect(),
            ),
            "items" | "not" => json_schema_at(spec, value, input, depth + 1),
            "additionalProperties" if value.is_object() => {
                json_schema_at(spec, value, input, depth + 1)
            }
            "allOf" | "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|part| json_schema_at(spec, part, input, depth + 1))
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    if schema.get("nullable") == Some(&Value::Bool(true))
        && let Some(kind) = out.get("type").and_then(Value::as_str)
    {
        let kind = kind.to_owned();
        out.insert("type".into(), json!([kind, "null"]));
    }
    Value::Object(out)
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    let mut value = value;
    for _ in 0..8 {
        match value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| spec.pointer(pointer))
        {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// The surface lines of the tools: `gitcode_get_org [read-only, idempotent]:
/// org* -> json`, sorted.
pub fn surface(tools: &[Tool]) -> Vec<String> {
    let mut lines: Vec<String> = tools
        .iter()
        .map(|tool| {
            let mut hints = Vec::new();
            if tool.read_only {
                hints.push("read-only");
            } else {
                hints.push("write");
            }
            if tool.destructive {
                hints.push("destructive");
            }
            if tool.idempotent {
                hints.push("idempotent");
            }
            let arguments: Vec<String> = arguments(tool)
                .into_iter()
                .map(|argument| {
                    let kind = type_of(&tool.input_schema["properties"][&argument.name]);
                    let mark = if argument.required { "*" } else { "" };
                    format!("{}{mark}: {kind}", argument.name)
                })
                .collect();
            let answer = match tool.answer {
                Answer::Json => "json",
                Answer::Pages => "pages",
                Answer::Csv => "csv preview",
                Answer::Empty => "empty",
                Answer::Raw => "file",
            };
            format!(
                "{} [{}]({}) -> {answer}",
                tool.name,
                hints.join(", "),
                arguments.join(", ")
            )
        })
        .collect();
    lines.sort();
    lines
}

/// A schema's type in a word: `string`, `integer`, `string|integer`,
/// `array`, `object`, an enum's values.
fn type_of(schema: &Value) -> String {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values
            .iter()
            .map(|value| value.as_str().map_or(value.to_string(), ToOwned::to_owned))
            .collect();
        return values.join("|");
    }
    match schema.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("|"),
        _ => match schema.get("anyOf").and_then(Value::as_array) {
            Some(parts) => parts.iter().map(type_of).collect::<Vec<_>>().join("|"),
            None => "any".into(),
        },
    }
}
