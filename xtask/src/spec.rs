//! Finding and loading the specs.

use std::path::{Path, PathBuf};

/// One provider's spec, parsed twice: as plain JSON for the lint (which must see
/// vendor extensions and unresolved `$ref`s) and as `openapiv3` for progenitor.
pub struct Spec {
    /// The provider's name: the spec's file stem, also the crate folder's name.
    pub provider: String,
    /// The spec's path relative to the workspace root, for messages and headers.
    pub path: PathBuf,
    /// The spec as JSON.
    pub json: serde_json::Value,
}

impl Spec {
    /// Reads and parses `specs/<provider>.yaml`.
    pub fn load(root: &Path, path: &Path) -> Result<Self, String> {
        let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("{}: cannot read: {error}", relative.display()))?;
        let json: serde_json::Value = yaml_serde::from_str(&text)
            .map_err(|error| format!("{}: not valid YAML: {error}", relative.display()))?;
        let provider = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", relative.display()))?
            .to_owned();
        Ok(Self {
            provider,
            path: relative,
            json,
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

    /// The success schema of an operation, inside its envelope (`x-envelope`)
    /// if it has one: what `send()` returns.
    pub fn payload_schema<'a>(
        &'a self,
        operation: &'a serde_json::Value,
    ) -> Option<&'a serde_json::Value> {
        let schema = operation
            .get("responses")?
            .as_object()?
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .find_map(|(_, response)| {
                self.resolve(response)
                    .pointer("/content/application~1json/schema")
            })
            .map(|schema| self.resolve(schema))?;
        match schema.get("x-envelope").and_then(serde_json::Value::as_str) {
            Some(field) => schema
                .pointer(&format!("/properties/{field}"))
                .map(|payload| self.resolve(payload)),
            None => Some(schema),
        }
    }

    /// The crate's folder under `crates/`.
    pub fn generated_path(&self) -> PathBuf {
        Path::new("crates")
            .join(&self.provider)
            .join("src/generated.rs")
    }
}

/// The spec files to compile: the named providers, or every `specs/*.yaml`.
pub fn discover(root: &Path, providers: &[String]) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("specs");
    if !providers.is_empty() {
        return providers
            .iter()
            .map(|provider| {
                let path = dir.join(format!("{provider}.yaml"));
                if path.is_file() {
                    Ok(path)
                } else {
                    Err(format!(
                        "no spec for provider `{provider}`: {} does not exist",
                        path.display()
                    ))
                }
            })
            .collect();
    }
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|error| format!("cannot list {}: {error}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("no specs found in {}", dir.display()));
    }
    Ok(specs)
}
