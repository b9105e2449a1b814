//! Finding and loading the specs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// One provider's spec, parsed twice: as plain JSON for the lint (which must see
/// vendor extensions and unresolved `$ref`s) and as `openapiv3` for progenitor.
pub struct Spec {
    /// The provider's name: the spec's file stem, also the crate folder's name.
    pub provider: String,
    /// The spec's path relative to the workspace root, for messages and headers.
    pub path: PathBuf,
    /// The spec as JSON.
    pub json: serde_json::Value,
    /// The spec's file as written.
    pub text: String,
}

impl Spec {
    /// Reads and parses `specs/<provider>.yaml`, or assembles the files of
    /// `specs/<provider>/` (see [`crate::assemble`]).
    pub fn load(root: &Path, path: &Path) -> Result<Self, String> {
        let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let (json, text) = if path.is_dir() {
            crate::assemble::assemble(root, path)?
        } else {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("{}: cannot read: {error}", relative.display()))?;
            let json: serde_json::Value = yaml_serde::from_str(&text)
                .map_err(|error| format!("{}: not valid YAML: {error}", relative.display()))?;
            (json, text)
        };
        let provider = provider_of(&relative)?;
        Ok(Self {
            provider,
            path: relative,
            json,
            text,
        })
    }

    /// `json`, this spec or a copy the generator transformed, as `openapiv3`
    /// types (after the lint has passed).
    pub fn openapi(&self, json: serde_json::Value) -> Result<openapiv3::OpenAPI, String> {
        serde_json::from_value(json).map_err(|error| {
            format!(
                "{}: not an OpenAPI 3.0 document: {error}",
                self.path.display()
            )
        })
    }

    /// Follows a local `$ref`; anything else (or a `$ref` that does not resolve,
    /// which the lint reports) is returned as it is.
    pub fn resolve<'a>(&'a self, value: &'a serde_json::Value) -> &'a serde_json::Value {
        value
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| self.json.pointer(pointer))
            .unwrap_or(value)
    }

    /// The schema of an operation's JSON success response, as documented (an
    /// envelope included; a `$ref` not followed).
    pub fn json_success_schema<'a>(&'a self, operation: &'a Value) -> Option<&'a Value> {
        operation
            .get("responses")?
            .as_object()?
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .find_map(|(_, response)| {
                self.resolve(response)
                    .pointer("/content/application~1json/schema")
            })
    }

    /// The success schema of an operation, inside its envelope (`x-envelope`)
    /// if it has one: what `send()` returns.
    pub fn payload_schema<'a>(
        &'a self,
        operation: &'a serde_json::Value,
    ) -> Option<&'a serde_json::Value> {
        let schema = self.resolve(self.json_success_schema(operation)?);
        match schema.get("x-envelope").and_then(serde_json::Value::as_str) {
            Some(field) => schema
                .pointer(&format!("/properties/{field}"))
                .map(|payload| self.resolve(payload)),
            None => Some(schema),
        }
    }

    /// The component schemas each kind of message reaches, through `$ref`s at
    /// any depth.
    pub fn reach(&self) -> Reach {
        let mut reach = Reach::default();
        for operation in operations(&self.json) {
            let responses = operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|responses| responses.values())
                .map(|response| self.resolve(response));
            for response in responses {
                if let Some(schema) = response.pointer("/content/application~1json/schema") {
                    self.collect(schema, &mut reach.responses);
                }
                if let Some(row) = response
                    .pointer("/content/text~1csv/x-csv-row")
                    .and_then(Value::as_str)
                {
                    let reference = Value::String(format!("#/components/schemas/{row}"));
                    self.collect(
                        &serde_json::json!({ "$ref": reference }),
                        &mut reach.csv_rows,
                    );
                }
            }
            if let Some(body) = operation.get("requestBody") {
                self.collect(self.resolve(body), &mut reach.requests);
            }
            for parameter in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.collect(self.resolve(parameter), &mut reach.requests);
            }
        }
        reach
    }

    /// Adds every component schema `value` refers to, at any depth, to `found`.
    fn collect(&self, value: &Value, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
                    && found.insert(name.to_owned())
                    && let Some(schema) = self.json.pointer(&format!("/components/schemas/{name}"))
                {
                    self.collect(schema, found);
                }
                for (key, child) in map {
                    if key != "example" && key != "examples" {
                        self.collect(child, found);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.collect(item, found)),
            _ => {}
        }
    }

    /// The component schema `name`.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.json.pointer(&format!("/components/schemas/{name}"))
    }

    /// The crate's folder under `crates/`.
    pub fn generated_path(&self) -> PathBuf {
        Path::new("crates")
            .join(&self.provider)
            .join("src/generated.rs")
    }
}

/// The provider of a spec: its file stem, or its folder's name.
pub fn provider_of(path: &Path) -> Result<String, String> {
    path.file_stem()
        .and_then(|stem| stem.to_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))
}

/// The provider whose generated code `path` is (the inverse of
/// [`Spec::generated_path`]), if it is one.
pub fn generated_provider(path: &Path) -> Option<String> {
    let provider = path.strip_prefix("crates").ok()?.iter().next()?.to_str()?;
    let expected = Path::new("crates").join(provider).join("src/generated.rs");
    (expected == path).then(|| provider.to_owned())
}

/// Where a provider's spec is: `specs/<provider>.yaml`, or the folder
/// `specs/<provider>/` of a spec written in several files; `None` when neither
/// exists.
pub fn spec_path(root: &Path, provider: &str) -> Option<PathBuf> {
    let dir = root.join("specs");
    let file = dir.join(format!("{provider}.yaml"));
    let folder = dir.join(provider);
    if file.is_file() {
        Some(file)
    } else if folder.join(crate::assemble::ROOT_FILE).is_file() {
        Some(folder)
    } else {
        None
    }
}

/// The specs to compile: the named providers, or every `specs/*.yaml` and
/// every folder `specs/<provider>/` holding an `openapi.yaml`.
pub fn discover(root: &Path, providers: &[String]) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("specs");
    if !providers.is_empty() {
        return providers
            .iter()
            .map(|provider| {
                spec_path(root, provider).ok_or_else(|| {
                    format!(
                        "no spec for provider `{provider}`: neither {} nor {} exists",
                        dir.join(format!("{provider}.yaml")).display(),
                        dir.join(provider)
                            .join(crate::assemble::ROOT_FILE)
                            .display()
                    )
                })
            })
            .collect();
    }
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|error| format!("cannot list {}: {error}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "yaml")
                || path.join(crate::assemble::ROOT_FILE).is_file()
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("no specs found in {}", dir.display()));
    }
    Ok(specs)
}

/// Every operation object of a spec.
pub fn operations(json: &Value) -> impl Iterator<Item = &Value> {
    json.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter(|operation| operation.get("operationId").is_some())
}

/// Every operation object of a spec, to edit.
pub fn operations_mut(json: &mut Value) -> impl Iterator<Item = &mut Value> {
    json.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter(|operation| operation.get("operationId").is_some())
}

/// The component schemas reached from each kind of message (see
/// [`Spec::reach`]).
#[derive(Debug, Default)]
pub struct Reach {
    /// From a JSON response body, success or error.
    pub responses: BTreeSet<String>,
    /// From a CSV export's rows (`x-csv-row`).
    pub csv_rows: BTreeSet<String>,
    /// From a request body or a parameter.
    pub requests: BTreeSet<String>,
}

impl Reach {
    /// Whether `name` is decoded from a server's answer (JSON or CSV).
    pub fn is_decoded(&self, name: &str) -> bool {
        self.responses.contains(name) || self.csv_rows.contains(name)
    }
}

/// Whether a schema is an object with named properties that the generator
/// writes as a struct (not one mapped onto a runtime type by `x-rust-type`).
pub fn is_object(schema: &Value) -> bool {
    schema.get("properties").is_some_and(Value::is_object) && schema.get("x-rust-type").is_none()
}

/// The strings listed under `key` (`required`, `x-identity`, `enum`) of a
/// schema.
pub fn names<'a>(schema: &'a Value, key: &str) -> Vec<&'a str> {
    schema
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}
