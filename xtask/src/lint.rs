//! The spec lint, run before generation. Every message names the spec file and,
//! where there is one, the operation.
//!
//! It rejects what would make a poor or broken client: a missing
//! `operationId`/`summary`/tag, a success response without a JSON or CSV schema,
//! an example that does not validate against its schema, an unresolved `$ref`,
//! and the shapes progenitor 0.15 cannot generate (two different success types,
//! two request media types, multipart, deepObject and cookie parameters), with an
//! explanation instead of progenitor's panic.

use serde_json::{Map, Value};

use crate::spec::Spec;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const JSON: &str = "application/json";
const CSV: &str = "text/csv";
const FORM: &str = "application/x-www-form-urlencoded";

/// Runs every rule; `Err` lists all findings, one per line.
pub fn check(spec: &Spec) -> Result<(), String> {
    let mut lint = Lint {
        spec,
        findings: Vec::new(),
    };
    lint.document();
    lint.refs(&spec.json, "#");
    if lint.findings.is_empty() {
        // Examples are only meaningful once every `$ref` resolves.
        lint.examples();
    }
    if lint.findings.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: the spec lint failed:\n{}",
            spec.path.display(),
            lint.findings
                .iter()
                .map(|finding| format!("  - {finding}"))
                .collect::<Vec<_>>()
                .join("\n")
        ))
    }
}

struct Lint<'a> {
    spec: &'a Spec,
    findings: Vec<String>,
}

/// One operation of the spec, with where it is.
struct Operation<'a> {
    id: String,
    method: &'a str,
    path: &'a str,
    body: &'a Map<String, Value>,
}

impl Lint<'_> {
    fn operations(&self) -> Vec<Operation<'_>> {
        let mut operations = Vec::new();
        let Some(paths) = self.spec.json.get("paths").and_then(Value::as_object) else {
            return operations;
        };
        for (path, item) in paths {
            for method in METHODS {
                if let Some(body) = item.get(method).and_then(Value::as_object) {
                    let id = body
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
                    operations.push(Operation {
                        id,
                        method,
                        path,
                        body,
                    });
                }
            }
        }
        operations
    }

    fn document(&mut self) {
        let version = self
            .spec
            .json
            .get("openapi")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !version.starts_with("3.0.") {
            self.findings.push(format!(
                "`openapi: {version}`: progenitor 0.15 reads OpenAPI 3.0.x only"
            ));
        }
        let servers = self.spec.json.get("servers").and_then(Value::as_array);
        if servers.is_none_or(|servers| servers.is_empty()) {
            self.findings
                .push("no `servers`: the documented base URL belongs in the spec".into());
        }
        let mut findings = Vec::new();
        for operation in self.operations() {
            operation_rules(self.spec, &operation, &mut findings);
        }
        self.findings.extend(findings);
        self.equivalent_paths();
        self.path_slashes();
        self.schema_extensions();
        self.identities();
        self.response_enums();
        self.schema_keys();
    }

    /// No two path templates differ only in their parameters' names
    /// (`/branches/{name}` beside `/branches/{branch}`): OpenAPI forbids it,
    /// and a server, the mock among them, cannot tell them apart.
    fn equivalent_paths(&mut self) {
        let mut seen: std::collections::BTreeMap<String, &str> = Default::default();
        for template in self
            .spec
            .json
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.keys())
        {
            let mut shape = String::new();
            let mut in_name = false;
            for c in template.chars() {
                match c {
                    '{' => {
                        in_name = true;
                        shape.push_str("{}");
                    }
                    '}' => in_name = false,
                    _ if in_name => {}
                    _ => shape.push(c),
                }
            }
            if let Some(first) = seen.insert(shape, template) {
                self.findings.push(format!(
                    "paths `{first}` and `{template}` differ only in their parameters' names: \
                     write them as one path"
                ));
            }
        }
    }

    /// `x-path-slashes` marks a path parameter that is its template's last
    /// segment, whole (a file path: the rest of the URL's path).
    fn path_slashes(&mut self) {
        let mut findings = Vec::new();
        for operation in self.operations() {
            let parameters = operation
                .body
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|parameter| self.spec.resolve(parameter));
            for parameter in parameters {
                if parameter.get("x-path-slashes").is_none() {
                    continue;
                }
                let name = parameter
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let last = operation.path.rsplit('/').next().unwrap_or_default();
                let is_path = parameter.get("in").and_then(Value::as_str) == Some("path");
                if !is_path || last != format!("{{{name}}}") {
                    findings.push(format!(
                        "operation {} ({} {}): `x-path-slashes` is for the path parameter that is \
                         the template's whole last segment, not `{name}`",
                        operation.id,
                        operation.method.to_uppercase(),
                        operation.path
                    ));
                }
            }
        }
        self.findings.extend(findings);
    }

    /// Every object schema a response or a CSV row reaches says which of its
    /// fields identify it (`x-identity`): those must be present and non-null
    /// for a response to decode; every other field decodes from `null` or
    /// absent. An identity field is a documented, required, non-nullable
    /// property; an object schema that requests reach too would have its
    /// request fields relaxed with it, so none may be shared.
    fn identities(&mut self) {
        let reach = self.spec.reach();
        let schemas = self
            .spec
            .json
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            let at = format!("schema {name}");
            let decoded = reach.is_decoded(name);
            let object = crate::spec::is_object(schema);
            let identity = schema.get("x-identity");
            match identity {
                None if decoded && object => self.findings.push(format!(
                    "{at}: a response reaches it: say which fields identify it with \
                     `x-identity: [..]` (the fields that must be present to decode; `[]` for none)"
                )),
                Some(_) if !(decoded && object) => self.findings.push(format!(
                    "{at}: `x-identity` is only for object schemas that a response or CSV row reaches"
                )),
                _ => {}
            }
            if decoded && object && reach.requests.contains(name) {
                self.findings.push(format!(
                    "{at}: both a request and a response reach it; give each its own schema \
                     (a response's non-identity fields are relaxed to optional)"
                ));
            }
            let Some(identity) = identity else { continue };
            let Some(list) = identity.as_array() else {
                self.findings.push(format!(
                    "{at}: `x-identity` must be a list of property names"
                ));
                continue;
            };
            let required = crate::spec::names(schema, "required");
            for field in list {
                let Some(field) = field.as_str() else {
                    self.findings.push(format!(
                        "{at}: `x-identity` must be a list of property names"
                    ));
                    continue;
                };
                let property = schema.pointer(&format!("/properties/{field}"));
                let problem = match property {
                    None => Some("is not a property"),
                    Some(_) if !required.contains(&field) => Some("is not in `required`"),
                    Some(property) if property.get("nullable") == Some(&Value::Bool(true)) => {
                        Some("is `nullable`")
                    }
                    Some(_) => None,
                };
                if let Some(problem) = problem {
                    self.findings.push(format!(
                        "{at}: identity field `{field}` {problem}; an identity field is documented \
                         as always present and never null"
                    ));
                }
            }
        }
    }

    /// Every key of every schema must be a schema keyword or an `x-` extension.
    /// Anything else is usually a YAML slip: in a flow mapping
    /// (`{type: number, description: The share, in percent.}`) a comma ends the
    /// description and makes `in percent.` a key, and the description is cut.
    fn schema_keys(&mut self) {
        let mut findings = std::collections::BTreeSet::new();
        let mut visit = |at: String, schema: &Value| schema_keys(&at, schema, &mut findings);
        for (name, schema) in self
            .spec
            .json
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            visit(format!("schema {name}"), schema);
        }
        for operation in self.operations() {
            let parameters = operation.body.get("parameters").and_then(Value::as_array);
            for parameter in parameters.into_iter().flatten() {
                if let Some(schema) = parameter.get("schema") {
                    let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
                    visit(
                        format!("operation {} parameter {name}", operation.id),
                        schema,
                    );
                }
            }
            let bodies = operation
                .body
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(status, response)| (format!("response {status}"), response))
                .chain(
                    operation
                        .body
                        .get("requestBody")
                        .map(|body| ("request body".to_owned(), body)),
                );
            for (place, body) in bodies {
                let content = body.get("content").and_then(Value::as_object);
                for (media_type, media) in content.into_iter().flatten() {
                    if let Some(schema) = media.get("schema") {
                        visit(
                            format!("operation {} {place} ({media_type})", operation.id),
                            schema,
                        );
                    }
                }
            }
        }
        for (name, parameter) in self
            .spec
            .json
            .pointer("/components/parameters")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(schema) = parameter.get("schema") {
                visit(format!("parameter {name}"), schema);
            }
        }
        self.findings.extend(findings);
    }

    /// A string enum in a success response must be open (`x-open-enum: true`):
    /// progenitor's closed enums reject any value the documentation does not list.
    fn response_enums(&mut self) {
        let mut visited = std::collections::BTreeSet::new();
        let mut findings = std::collections::BTreeSet::new();
        for operation in self.operations() {
            let responses = operation.body.get("responses").and_then(Value::as_object);
            for (status, response) in responses.into_iter().flatten() {
                if !status.starts_with('2') {
                    continue;
                }
                let content = self
                    .spec
                    .resolve(response)
                    .get("content")
                    .and_then(Value::as_object);
                for media in content.into_iter().flatten().map(|(_, media)| media) {
                    if let Some(schema) = media.get("schema") {
                        let at = format!("operation {} response {status}", operation.id);
                        self.closed_enums(schema, &at, &mut visited, &mut findings);
                    }
                }
            }
        }
        self.findings.extend(findings);
    }

    fn closed_enums(
        &self,
        schema: &Value,
        at: &str,
        visited: &mut std::collections::BTreeSet<String>,
        findings: &mut std::collections::BTreeSet<String>,
    ) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if visited.insert(reference.to_owned()) {
                let name = reference.rsplit('/').next().unwrap_or(reference);
                let target = self.spec.resolve(schema);
                self.closed_enums(target, &format!("schema {name}"), visited, findings);
            }
            return;
        }
        let strings = schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_string));
        if strings && schema.get("x-open-enum") != Some(&Value::Bool(true)) {
            findings.insert(format!(
                "{at}: a string enum in a response must accept values the documentation does not \
                 list; mark it `x-open-enum: true` (a named schema under components)"
            ));
        }
        let children = ["properties", "patternProperties"]
            .into_iter()
            .filter_map(|key| schema.get(key).and_then(Value::as_object))
            .flat_map(|map| {
                map.iter()
                    .map(|(name, child)| (format!("{at}.{name}"), child))
            })
            .chain(
                ["items", "additionalProperties", "not"]
                    .into_iter()
                    .filter_map(|key| schema.get(key).map(|child| (at.to_owned(), child))),
            )
            .chain(
                ["allOf", "oneOf", "anyOf"]
                    .into_iter()
                    .filter_map(|key| schema.get(key).and_then(Value::as_array))
                    .flatten()
                    .map(|child| (at.to_owned(), child)),
            );
        for (at, child) in children {
            self.closed_enums(child, &at, visited, findings);
        }
    }

    /// The extensions of component schemas: `x-open-enum` sits on a string
    /// enum, `x-aliases` lists keys that are not properties, `x-columns` lists
    /// properties, `x-enum-varnames` names every value.
    fn schema_extensions(&mut self) {
        let Some(schemas) = self
            .spec
            .json
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return;
        };
        for (name, schema) in schemas {
            if schema.get("x-open-enum") == Some(&Value::Bool(true)) {
                let strings = schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|values| {
                        !values.is_empty() && values.iter().all(Value::is_string)
                    });
                if !strings {
                    self.findings.push(format!(
                        "schema {name}: `x-open-enum` needs a non-empty `enum` of strings"
                    ));
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            if let Some(columns) = schema.get("x-columns") {
                let valid = columns.as_array().is_some_and(|columns| {
                    !columns.is_empty()
                        && columns.iter().all(|column| {
                            column.as_str().is_some_and(|column| {
                                properties.is_some_and(|p| p.contains_key(column))
                            })
                        })
                });
                if !valid {
                    self.findings.push(format!(
                        "schema {name}: `x-columns` needs a list of its properties (a table's default columns)"
                    ));
                }
            }
            for (property, definition) in properties.into_iter().flatten() {
                let Some(aliases) = definition.get("x-aliases") else {
                    continue;
                };
                let valid = aliases.as_array().is_some_and(|aliases| {
                    !aliases.is_empty()
                        && aliases.iter().all(|alias| {
                            alias.as_str().is_some_and(|alias| {
                                properties.is_some_and(|p| !p.contains_key(alias))
                            })
                        })
                });
                if !valid {
                    self.findings.push(format!(
                        "schema {name}.{property}: `x-aliases` needs a list of other keys, none of them a property"
                    ));
                }
            }
            if let Some(names) = schema.get("x-enum-varnames") {
                let values = schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                let valid = names.as_array().is_some_and(|names| {
                    names.len() == values
                        && names.iter().all(|name| {
                            name.as_str().is_some_and(|name| {
                                name.starts_with(|c: char| c.is_ascii_uppercase())
                                    && name.chars().all(|c| c.is_ascii_alphanumeric())
                            })
                        })
                });
                if !valid {
                    self.findings.push(format!(
                        "schema {name}: `x-enum-varnames` needs one CamelCase name per `enum` value"
                    ));
                }
            }
        }
    }

    /// Every `$ref` must be local and resolve.
    fn refs(&mut self, value: &Value, at: &str) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    let target = reference
                        .as_str()
                        .and_then(|reference| reference.strip_prefix('#'))
                        .and_then(|pointer| self.spec.json.pointer(pointer));
                    if target.is_none() {
                        self.findings.push(format!(
                            "unresolved `$ref: {}` at {at}",
                            reference.as_str().unwrap_or("(not a string)")
                        ));
                    }
                }
                for (key, child) in map {
                    self.refs(
                        child,
                        &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    );
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    self.refs(child, &format!("{at}/{index}"));
                }
            }
            _ => {}
        }
    }

    /// Every `example` (and every item of `examples`) of a schema, a parameter, a
    /// request body or a response must validate against its schema.
    fn examples(&mut self) {
        let validator = examples::Validator::new(&self.spec.json);
        let mut findings = Vec::new();
        if let Some(schemas) = self
            .spec
            .json
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                if let Some(example) = schema.get("example") {
                    validator.check(
                        &format!("schema {name}"),
                        &Value::String(format!("#/components/schemas/{name}")),
                        example,
                        &mut findings,
                    );
                }
            }
        }
        for operation in self.operations() {
            let mut media = Vec::new();
            if let Some(content) = operation
                .body
                .get("requestBody")
                .and_then(|body| self.spec.resolve(body).get("content"))
            {
                media.push(("request body".to_owned(), content));
            }
            if let Some(responses) = operation.body.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    if let Some(content) = self.spec.resolve(response).get("content") {
                        media.push((format!("response {status}"), content));
                    }
                }
            }
            for (place, content) in media {
                for (media_type, entry) in content.as_object().into_iter().flatten() {
                    let Some(schema) = entry.get("schema") else {
                        continue;
                    };
                    for example in entry.get("example").into_iter().chain(
                        entry
                            .get("examples")
                            .and_then(Value::as_object)
                            .into_iter()
                            .flatten()
                            .filter_map(|(_, example)| example.get("value")),
                    ) {
                        if media_type == CSV {
                            continue; // a CSV example is text, its schema describes the rows
                        }
                        validator.check(
                            &format!("operation {}: {place} ({media_type})", operation.id),
                            schema,
                            example,
                            &mut findings,
                        );
                    }
                }
            }
        }
        self.findings.extend(findings);
    }
}

/// The keywords an OpenAPI 3.0 schema object may have.
const SCHEMA_KEYWORDS: [&str; 31] = [
    "$ref",
    "type",
    "format",
    "title",
    "description",
    "default",
    "example",
    "enum",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "xml",
    "discriminator",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "minimum",
    "maximum",
    "pattern",
];
const MORE_SCHEMA_KEYWORDS: [&str; 4] = [
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
];

fn schema_keys(at: &str, schema: &Value, findings: &mut std::collections::BTreeSet<String>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    for key in map.keys() {
        let known = key.starts_with("x-")
            || SCHEMA_KEYWORDS.contains(&key.as_str())
            || MORE_SCHEMA_KEYWORDS.contains(&key.as_str())
            || key == "maxLength";
        if !known {
            findings.insert(format!(
                "{at}: `{key}` is not a schema keyword (in a YAML flow mapping, a comma ends a \
                 plain value: quote a description that has one)"
            ));
        }
    }
    for (name, child) in map
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        schema_keys(&format!("{at}.{name}"), child, findings);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get(key) {
            schema_keys(at, child, findings);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for child in map.get(key).and_then(Value::as_array).into_iter().flatten() {
            schema_keys(at, child, findings);
        }
    }
}

/// The rules that look at one operation alone.
fn operation_rules(spec: &Spec, operation: &Operation<'_>, findings: &mut Vec<String>) {
    let at = format!(
        "operation {} ({} {})",
        operation.id,
        operation.method.to_uppercase(),
        operation.path
    );
    let body = operation.body;
    if body.get("operationId").and_then(Value::as_str).is_none() {
        findings.push(format!(
            "{at}: no `operationId` (it names the client method)"
        ));
    }
    if body
        .get("summary")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        findings.push(format!(
            "{at}: no `summary` (it is the method's documentation)"
        ));
    }
    match body.get("tags").and_then(Value::as_array).map(Vec::len) {
        Some(1) => {}
        Some(0) | None => findings.push(format!("{at}: no tag; give it exactly one")),
        Some(_) => findings.push(format!(
            "{at}: more than one tag; progenitor puts the method in one extension trait per tag \
             and `use prelude::*` then fails with an ambiguous method (E0034): keep one"
        )),
    }
    for parameter in body
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
        if parameter.get("in").and_then(Value::as_str) == Some("cookie") {
            findings.push(format!(
                "{at}: parameter `{name}` is a cookie; progenitor cannot generate cookie parameters"
            ));
        }
        if parameter.get("style").and_then(Value::as_str) == Some("deepObject") {
            findings.push(format!(
                "{at}: parameter `{name}` has `style: deepObject`, which progenitor cannot generate"
            ));
        }
    }
    if let Some(content) = body
        .get("requestBody")
        .and_then(|body| body.get("content"))
        .and_then(Value::as_object)
    {
        if content.len() > 1 {
            findings.push(format!(
                "{at}: the request body has {} media types; progenitor panics on more than one: keep one",
                content.len()
            ));
        }
        for media_type in content.keys() {
            if media_type == "multipart/form-data" {
                multipart_rules(spec, &content[media_type.as_str()], &at, findings);
            } else if media_type != JSON && media_type != FORM {
                findings.push(format!("{at}: request media type `{media_type}` is not supported (use {JSON} or {FORM})"));
            }
        }
    }
    success_rules(spec, operation, &at, findings);
    date_window_rules(spec, operation, &at, findings);
    pagination_rules(spec, operation, &at, findings);
    envelope_and_csv_rules(spec, operation, &at, findings);
}

/// The names of an operation's query parameters.
fn query_names<'a>(spec: &'a Spec, operation: &Operation<'a>) -> Vec<&'a str> {
    operation
        .body
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|parameter| spec.resolve(parameter))
        .filter(|parameter| parameter.get("in").and_then(Value::as_str) == Some("query"))
        .filter_map(|parameter| parameter.get("name").and_then(Value::as_str))
        .collect()
}

/// `x-pagination` must name query parameters and response fields the
/// operation has: `{style: page, page, per_page, items?, total?, total_pages?}`,
/// `{style: offset, offset, limit, items?, total?}` or `{style: cursor, cursor,
/// limit, next, items?}` (each with an optional `page_size`, the size asked
/// for when the builder sets none, and an optional `has_more`), where `items`
/// is an array of a `$ref`'d schema in the payload (or the payload is that
/// array), `total`, `total_pages` are integer fields (dotted paths) of the
/// payload, `has_more` a boolean one and `next` a string one.
fn pagination_rules(spec: &Spec, operation: &Operation<'_>, at: &str, findings: &mut Vec<String>) {
    let Some(declared) = operation.body.get("x-pagination") else {
        return;
    };
    let text = |key: &str| declared.get(key).and_then(Value::as_str);
    let parameters: &[&str] = match text("style") {
        Some("page") => &["page", "per_page"],
        Some("offset") => &["offset", "limit"],
        Some("cursor") => &["cursor", "limit"],
        _ => {
            findings.push(format!(
                "{at}: `x-pagination.style` must be `page`, `offset` or `cursor`"
            ));
            return;
        }
    };
    if text("style") == Some("cursor") && text("next").is_none() {
        findings.push(format!(
            "{at}: a cursor `x-pagination` needs `next`, the response's cursor of the next page"
        ));
    }
    let names = query_names(spec, operation);
    for key in parameters {
        match text(key) {
            Some(name) if names.contains(&name) => {}
            Some(name) => findings.push(format!(
                "{at}: `x-pagination.{key}` names `{name}`, which is not a query parameter of the operation"
            )),
            None => findings.push(format!("{at}: `x-pagination` needs `{key}`")),
        }
    }
    let Some(payload) = spec
        .payload_schema(&Value::Object(operation.body.clone()))
        .cloned()
    else {
        findings.push(format!(
            "{at}: `x-pagination` on an operation without a JSON success schema"
        ));
        return;
    };
    let array = match text("items") {
        Some(field) => payload
            .pointer(&format!("/properties/{field}"))
            .map(|array| spec.resolve(array).clone()),
        None => Some(payload.clone()),
    };
    if array
        .as_ref()
        .and_then(|array| array.pointer("/items/$ref"))
        .is_none()
    {
        findings.push(format!(
            "{at}: `x-pagination.items` must name an array of a `$ref`'d schema in the response{}",
            text("items")
                .map(|f| format!(" (`{f}`)"))
                .unwrap_or_default()
        ));
    }
    for (key, kind, article) in [
        ("total", "integer", "an"),
        ("total_pages", "integer", "an"),
        ("current", "integer", "an"),
        ("has_more", "boolean", "a"),
        ("next", "string", "a"),
    ] {
        let Some(path) = text(key) else { continue };
        let mut schema = Some(payload.clone());
        for part in path.split('.') {
            schema = schema
                .as_ref()
                .and_then(|schema| schema.pointer(&format!("/properties/{part}")))
                .map(|child| spec.resolve(child).clone());
        }
        let found = schema
            .as_ref()
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str);
        if found != Some(kind) {
            findings.push(format!(
                "{at}: `x-pagination.{key}` names `{path}`, which is not {article} {kind} field of the response"
            ));
        }
    }
}

/// `x-date-window: {start, end, max_days}` must name two query parameters of
/// the operation and a positive number of days.
fn date_window_rules(spec: &Spec, operation: &Operation<'_>, at: &str, findings: &mut Vec<String>) {
    let Some(window) = operation.body.get("x-date-window") else {
        return;
    };
    let names = query_names(spec, operation);
    for key in ["start", "end"] {
        match window.get(key).and_then(Value::as_str) {
            Some(name) if names.contains(&name) => {}
            Some(name) => findings.push(format!(
                "{at}: `x-date-window.{key}` names `{name}`, which is not a query parameter of the operation"
            )),
            None => findings.push(format!("{at}: `x-date-window` needs `{key}`, a query parameter's name")),
        }
    }
    if window
        .get("max_days")
        .and_then(Value::as_i64)
        .is_none_or(|days| days < 1)
    {
        findings.push(format!(
            "{at}: `x-date-window.max_days` must be a positive integer"
        ));
    }
}

/// `x-envelope` must name a property of its (success, JSON) schema, which must
/// also have a boolean `success`; a CSV success response must name its row
/// schema with `x-csv-row`, and its example's header must have every column.
fn envelope_and_csv_rules(
    spec: &Spec,
    operation: &Operation<'_>,
    at: &str,
    findings: &mut Vec<String>,
) {
    let responses = operation.body.get("responses").and_then(Value::as_object);
    for (status, response) in responses.into_iter().flatten() {
        let content = spec
            .resolve(response)
            .get("content")
            .and_then(Value::as_object);
        for (media_type, entry) in content.into_iter().flatten() {
            let schema = entry.get("schema").map(|schema| spec.resolve(schema));
            if let Some(field) = schema.and_then(|schema| schema.get("x-envelope")) {
                let properties = schema.and_then(|schema| schema.get("properties"));
                let has = |name: &str| properties.and_then(|p| p.get(name)).is_some();
                match field.as_str() {
                    _ if !status.starts_with('2') || media_type != JSON => findings.push(format!(
                        "{at}: response {status} ({media_type}): `x-envelope` is only for JSON success responses"
                    )),
                    Some(field) if has(field) && has("success") => {}
                    Some(field) => findings.push(format!(
                        "{at}: response {status}: `x-envelope: {field}` needs properties `success` and `{field}`"
                    )),
                    None => findings.push(format!(
                        "{at}: response {status}: `x-envelope` must name the payload property"
                    )),
                }
            }
            if let Some(field) = schema.and_then(|schema| schema.get("x-bare-array")) {
                let array = field.as_str().and_then(|field| {
                    schema
                        .and_then(|schema| schema.pointer(&format!("/properties/{field}")))
                        .map(|property| spec.resolve(property))
                });
                let is_array =
                    array.and_then(|array| array.get("type")) == Some(&Value::from("array"));
                if !status.starts_with('2') || media_type != JSON || !is_array {
                    findings.push(format!(
                        "{at}: response {status} ({media_type}): `x-bare-array` names the array property of a JSON success schema that may also arrive alone"
                    ));
                }
            }
            if media_type != CSV {
                continue;
            }
            let Some(row) = entry.get("x-csv-row").and_then(Value::as_str) else {
                findings.push(format!(
                    "{at}: response {status} ({CSV}) needs `x-csv-row: <schema>`, the row type users read"
                ));
                continue;
            };
            let columns = spec
                .json
                .pointer(&format!("/components/schemas/{row}/properties"))
                .and_then(Value::as_object);
            let Some(columns) = columns else {
                findings.push(format!(
                    "{at}: response {status}: `x-csv-row: {row}` is not an object schema under components"
                ));
                continue;
            };
            let header = entry
                .get("example")
                .and_then(Value::as_str)
                .and_then(|example| example.lines().next())
                .map(|line| line.split(',').collect::<Vec<_>>());
            match header {
                None => findings.push(format!(
                    "{at}: response {status}: a CSV response needs an `example` (its header documents the columns)"
                )),
                Some(header) => {
                    for column in columns.keys().filter(|column| !header.contains(&column.as_str())) {
                        findings.push(format!(
                            "{at}: response {status}: the CSV example's header lacks `{column}` of {row}"
                        ));
                    }
                }
            }
        }
    }
}

/// A success response must have one JSON or CSV schema, a raw answer (any
/// other media type, `type: string` with `format: binary`: a file, streamed as
/// bytes), or no body; and all success and `default` responses must share one
/// type: progenitor panics (`response_types.len() <= 1`) otherwise.
fn success_rules(spec: &Spec, operation: &Operation<'_>, at: &str, findings: &mut Vec<String>) {
    let Some(responses) = operation.body.get("responses").and_then(Value::as_object) else {
        findings.push(format!("{at}: no `responses`"));
        return;
    };
    let mut success_types: Vec<(String, Option<&Value>)> = Vec::new();
    for (status, response) in responses {
        let success = status.starts_with('2');
        if !success && status != "default" {
            continue;
        }
        let content = spec
            .resolve(response)
            .get("content")
            .and_then(Value::as_object)
            .filter(|content| !content.is_empty());
        match content {
            None => success_types.push((status.clone(), None)),
            Some(content) => {
                for (media_type, entry) in content {
                    let Some(schema) = entry.get("schema") else {
                        findings.push(format!(
                            "{at}: response {status} ({media_type}) has no schema"
                        ));
                        continue;
                    };
                    if media_type != JSON
                        && media_type != CSV
                        && !xtask::tools::is_binary(spec.resolve(schema))
                    {
                        findings.push(format!(
                            "{at}: response {status} ({media_type}) is neither {JSON} nor {CSV}: \
                             document a raw answer as `{{type: string, format: binary}}` (streamed as \
                             bytes), or a JSON one as {JSON}"
                        ));
                    }
                    success_types.push((status.clone(), Some(schema)));
                }
            }
        }
    }
    if let Some((first_status, first)) = success_types.first() {
        for (status, schema) in &success_types[1..] {
            if schema != first {
                findings.push(format!(
                    "{at}: responses {first_status} and {status} have different types; progenitor 0.15 panics \
                     on more than one success type (`response_types.len() <= 1`). Give every success \
                     response the same schema, and declare errors as `4XX`/`5XX`, not `default`"
                ));
            }
        }
    }
}

/// A `multipart/form-data` body (generated by the xtask's `multipart` pass):
/// an object schema whose properties are each a text value (`type: string`)
/// or a file (`format: binary`), and an example naming its parts.
fn multipart_rules(spec: &Spec, media: &Value, at: &str, findings: &mut Vec<String>) {
    let schema = media.get("schema").map(|schema| spec.resolve(schema));
    let properties = schema
        .and_then(|schema| schema.get("properties"))
        .and_then(Value::as_object);
    let Some(properties) = properties else {
        findings.push(format!(
            "{at}: a `multipart/form-data` body needs an object schema naming its parts"
        ));
        return;
    };
    for (name, property) in properties {
        if spec.resolve(property).get("type").and_then(Value::as_str) != Some("string") {
            findings.push(format!(
                "{at}: the multipart part `{name}` is neither text (`type: string`) nor a file \
                 (`type: string, format: binary`)"
            ));
        }
    }
}

/// Example validation: OpenAPI 3.0 schemas turned into JSON Schema and checked
/// with the `jsonschema` crate.
mod examples {
    use serde_json::{Map, Value, json};

    /// Validates examples against schemas of one spec.
    pub struct Validator {
        components: Value,
    }

    impl Validator {
        pub fn new(spec: &Value) -> Self {
            let mut components = spec.get("components").cloned().unwrap_or(Value::Null);
            to_json_schema(&mut components);
            Self { components }
        }

        /// Checks one example; `schema` is a schema or a string `$ref` target.
        pub fn check(&self, at: &str, schema: &Value, example: &Value, findings: &mut Vec<String>) {
            let mut schema = match schema {
                Value::String(reference) => json!({ "$ref": reference }),
                schema => schema.clone(),
            };
            to_json_schema(&mut schema);
            let document = json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "components": self.components,
                "allOf": [schema],
            });
            let validator = match jsonschema::options()
                .should_validate_formats(true)
                .build(&document)
            {
                Ok(validator) => validator,
                Err(error) => {
                    findings.push(format!(
                        "{at}: the schema is not valid JSON Schema: {error}"
                    ));
                    return;
                }
            };
            for error in validator.iter_errors(example) {
                let location = error.instance_path().to_string();
                let location = if location.is_empty() {
                    "/".to_owned()
                } else {
                    location
                };
                findings.push(format!(
                    "{at}: the example does not match its schema at {location}: {error}"
                ));
            }
        }
    }

    /// OpenAPI 3.0's `nullable: true` becomes a JSON Schema union with `null`;
    /// a property's `x-aliases` become properties of the same schema (a
    /// required one is then required under one of its names), and an
    /// `x-bare-array` object may also be its list alone: what the clients
    /// decode.
    fn to_json_schema(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.remove("nullable") == Some(Value::Bool(true)) {
                    make_nullable(map);
                }
                add_aliases(map);
                // An open enum whose values are not all documented (the
                // provider documents a string): any string is an example of it.
                if map.get("x-enum-complete") == Some(&Value::Bool(false)) {
                    map.remove("enum");
                }
                if let Some(Value::String(field)) = map.remove("x-bare-array")
                    && let Some(array) = map.get("properties").and_then(|p| p.get(&field)).cloned()
                {
                    let object = Value::Object(std::mem::take(map));
                    map.insert("anyOf".into(), json!([object, array]));
                }
                for child in map.values_mut() {
                    to_json_schema(child);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(to_json_schema),
            _ => {}
        }
    }

    /// Every alias of a property becomes a property too; `required` names
    /// only the properties without aliases, and each aliased required one is
    /// required under any of its names.
    fn add_aliases(map: &mut Map<String, Value>) {
        let Some(Value::Object(properties)) = map.get_mut("properties") else {
            return;
        };
        let mut names: Vec<(String, Vec<String>)> = Vec::new();
        let mut added = Map::new();
        for (name, property) in properties.iter() {
            let aliases: Vec<String> = property
                .get("x-aliases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            for alias in &aliases {
                added.insert(alias.clone(), property.clone());
            }
            if !aliases.is_empty() {
                names.push((name.clone(), aliases));
            }
        }
        properties.extend(added);
        let Some(Value::Array(required)) = map.get_mut("required") else {
            return;
        };
        let mut any_of = Vec::new();
        required.retain(|field| {
            let Some((name, aliases)) = names
                .iter()
                .find(|(name, _)| Some(name.as_str()) == field.as_str())
            else {
                return true;
            };
            let options: Vec<Value> = std::iter::once(name)
                .chain(aliases)
                .map(|key| json!({ "required": [key] }))
                .collect();
            any_of.push(json!({ "anyOf": options }));
            false
        });
        if !any_of.is_empty() {
            // Beside any `allOf` the schema already has.
            match map.get_mut("allOf") {
                Some(Value::Array(all_of)) => all_of.extend(any_of),
                _ => {
                    map.insert("allOf".into(), Value::Array(any_of));
                }
            }
        }
    }

    fn make_nullable(map: &mut Map<String, Value>) {
        if let Some(reference) = map.remove("$ref") {
            let referenced = json!({ "$ref": reference });
            map.insert("anyOf".into(), json!([referenced, { "type": "null" }]));
            return;
        }
        if let Some(all_of) = map.remove("allOf") {
            map.insert(
                "anyOf".into(),
                json!([{ "allOf": all_of }, { "type": "null" }]),
            );
            return;
        }
        if let Some(Value::String(kind)) = map.get("type").cloned() {
            map.insert("type".into(), json!([kind, "null"]));
        }
        if let Some(Value::Array(values)) = map.get_mut("enum") {
            values.push(Value::Null);
        }
    }
}
