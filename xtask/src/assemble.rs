//! A spec written in several files: `specs/<provider>/openapi.yaml` holds the
//! document's head (`info`, `servers`, `security`, the shared `components`),
//! and each other `*.yaml` of the folder one API group: its `tags`, `paths`
//! and the `components` only it uses. They are assembled into one document,
//! in file-name order after `openapi.yaml`, before anything else reads the
//! spec: the lint, the generator, `--check`, the mock's copy and the surface
//! snapshot all see the whole.
//!
//! A `$ref` in any file points into the assembled document
//! (`#/components/schemas/Repository`), so a group may use what another
//! defines. A name defined twice (a path's method, a component, a tag) is an
//! error naming both files: nothing is overridden quietly.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

/// The file that holds the document's head.
pub const ROOT_FILE: &str = "openapi.yaml";

/// The top-level keys a group file may hold.
const GROUP_KEYS: [&str; 3] = ["tags", "paths", "components"];

/// The assembled document, and its text as YAML (the mock's copy).
pub fn assemble(root: &Path, folder: &Path) -> Result<(Value, String), String> {
    let relative = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .map_err(|error| format!("cannot list {}: {error}", relative(folder)))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .filter(|path| path.file_name().is_some_and(|name| name != ROOT_FILE))
        .collect();
    files.sort();
    files.insert(0, folder.join(ROOT_FILE));
    let mut document = Value::Object(Map::new());
    // Where each name came from, for the message when it is defined twice.
    let mut origin: BTreeMap<String, String> = BTreeMap::new();
    for (index, path) in files.iter().enumerate() {
        let name = relative(path);
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("{name}: cannot read: {error}"))?;
        let part: Value = yaml_serde::from_str(&text)
            .map_err(|error| format!("{name}: not valid YAML: {error}"))?;
        let Value::Object(part) = part else {
            return Err(format!("{name}: not a mapping"));
        };
        for (key, value) in part {
            if index > 0 && !GROUP_KEYS.contains(&key.as_str()) {
                return Err(format!(
                    "{name}: `{key}` belongs in {}; a group file holds only {}",
                    ROOT_FILE,
                    GROUP_KEYS.join(", ")
                ));
            }
            merge(&mut document, &key, value, &name, &mut origin)?;
        }
    }
    let text = yaml_serde::to_string(&document).map_err(|error| {
        format!(
            "{}: cannot write the assembled spec: {error}",
            relative(folder)
        )
    })?;
    Ok((document, text))
}

/// Adds `value` under `key` of `document`: `paths` by path and method,
/// `components` by kind and name, `tags` by name; any other key once.
fn merge(
    document: &mut Value,
    key: &str,
    value: Value,
    file: &str,
    origin: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    let mut claim = |name: String| match origin.get(&name) {
        Some(first) => Err(format!("{file}: {name} is already defined in {first}")),
        None => {
            origin.insert(name, file.to_owned());
            Ok(())
        }
    };
    let slot = document
        .as_object_mut()
        .expect("the document is a mapping")
        .entry(key.to_owned());
    match key {
        "paths" | "components" => {
            let Value::Object(groups) = value else {
                return Err(format!("{file}: `{key}` is not a mapping"));
            };
            let target = slot.or_insert_with(|| Value::Object(Map::new()));
            for (outer, inner) in groups {
                let Value::Object(inner) = inner else {
                    return Err(format!("{file}: `{key}.{outer}` is not a mapping"));
                };
                let entry = target
                    .as_object_mut()
                    .expect("inserted as a mapping")
                    .entry(outer.clone())
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .ok_or_else(|| format!("{file}: `{key}.{outer}` is not a mapping"))?;
                for (name, item) in inner {
                    let what = if key == "paths" {
                        format!("operation {} {outer}", name.to_uppercase())
                    } else {
                        format!("components.{outer}.{name}")
                    };
                    claim(what)?;
                    entry.insert(name, item);
                }
            }
        }
        "tags" => {
            let Value::Array(tags) = value else {
                return Err(format!("{file}: `tags` is not a list"));
            };
            let target = slot.or_insert_with(|| Value::Array(Vec::new()));
            for tag in tags {
                let name = tag.get("name").and_then(Value::as_str).unwrap_or_default();
                claim(format!("tag `{name}`"))?;
                target.as_array_mut().expect("inserted as a list").push(tag);
            }
        }
        _ => {
            claim(format!("`{key}`"))?;
            slot.or_insert(value);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: v1}\npaths: {}\n\
        components:\n  schemas:\n    Shared: {type: string}\n";

    #[test]
    fn groups_are_added_in_file_order_after_the_head() {
        let dir = folder(&[
            ("openapi.yaml", HEAD),
            (
                "b.yaml",
                "tags: [{name: b}]\npaths:\n  /b: {get: {operationId: get_b}}\n",
            ),
            (
                "a.yaml",
                "tags: [{name: a}]\npaths:\n  /a: {get: {operationId: get_a}}\n  /b: {post: {operationId: post_b}}\n\
                 components:\n  schemas:\n    A: {$ref: '#/components/schemas/Shared'}\n",
            ),
        ]);
        let (json, text) = assemble(dir.path(), dir.path()).unwrap();
        let paths: Vec<_> = json["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/a", "/b"]);
        assert_eq!(json["paths"]["/b"]["get"]["operationId"], "get_b");
        assert_eq!(json["paths"]["/b"]["post"]["operationId"], "post_b");
        assert_eq!(json["tags"][0]["name"], "a");
        assert_eq!(json["tags"][1]["name"], "b");
        assert!(json.pointer("/components/schemas/A").is_some());
        assert!(json.pointer("/components/schemas/Shared").is_some());
        let reread: Value = yaml_serde::from_str(&text).unwrap();
        assert_eq!(reread, json);
    }

    #[test]
    fn a_name_defined_twice_names_both_files() {
        let dir = folder(&[
            ("openapi.yaml", HEAD),
            (
                "a.yaml",
                "components:\n  schemas:\n    Shared: {type: integer}\n",
            ),
        ]);
        let error = assemble(dir.path(), dir.path()).unwrap_err();
        assert!(
            error.contains("a.yaml: components.schemas.Shared is already defined in")
                && error.contains("openapi.yaml"),
            "{error}"
        );
        let dir = folder(&[
            ("openapi.yaml", HEAD),
            ("a.yaml", "paths:\n  /a: {get: {operationId: one}}\n"),
            ("b.yaml", "paths:\n  /a: {get: {operationId: two}}\n"),
        ]);
        let error = assemble(dir.path(), dir.path()).unwrap_err();
        assert!(
            error.contains("b.yaml: operation GET /a is already defined in"),
            "{error}"
        );
    }

    #[test]
    fn a_group_file_holds_only_tags_paths_and_components() {
        let dir = folder(&[
            ("openapi.yaml", HEAD),
            ("a.yaml", "servers: [{url: 'https://elsewhere'}]\n"),
        ]);
        let error = assemble(dir.path(), dir.path()).unwrap_err();
        assert!(
            error.contains("a.yaml: `servers` belongs in openapi.yaml"),
            "{error}"
        );
    }
}
