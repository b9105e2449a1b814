//! The specs, embedded at compile time, and finding a request's operation.

use serde_json::Value;

use crate::Provider;

/// One provider's spec, parsed once.
pub(crate) struct Spec {
    pub(crate) json: Value,
    /// The path of the documented base URL (`/api/v5`), which the mock serves
    /// under.
    pub(crate) base_path: String,
    /// Every base path an operation is served under, once each: the spec's
    /// first, then the operations' own (`/api/v8`, a host's root).
    bases: Vec<String>,
}

/// A request's operation and its path parameters.
pub(crate) struct Matched<'a> {
    pub(crate) operation: &'a Value,
    /// The path item's own parameters, shared by its operations.
    pub(crate) shared: &'a Value,
    pub(crate) path_parameters: Vec<(String, String)>,
}

/// Why a request has no operation.
pub(crate) enum NoOperation {
    Path,
    /// The path is known; these methods are declared on it (upper case).
    Method(Vec<String>),
}

impl Spec {
    pub(crate) fn load(provider: Provider) -> Self {
        let text = match provider {
            Provider::Gitcode => include_str!("../specs/gitcode.yaml"),
            Provider::Qoder => include_str!("../specs/qoder.yaml"),
            Provider::Devin => include_str!("../specs/devin.yaml"),
        };
        let json: Value = yaml_serde::from_str(text).expect("the embedded spec is valid YAML");
        let server = json
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .unwrap_or("http://localhost");
        let base_path = url::Url::parse(server)
            .map(|url| url.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        let mut spec = Self {
            json,
            base_path,
            bases: Vec::new(),
        };
        let mut bases = vec![spec.base_path.clone()];
        for operation in spec
            .json
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.values())
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
        {
            let base = spec.base_of(operation);
            if !bases.iter().any(|known| known == base) {
                bases.push(base.to_owned());
            }
        }
        spec.bases = bases;
        spec
    }

    /// The base path of an operation: its own `servers`' path (an operation
    /// served beside the API, GitCode's `/api/v8`; an operation of another
    /// host, served here at that host's path, the root for GitCode's
    /// `https://raw.gitcode.com`), or the spec's.
    pub(crate) fn base_of<'a>(&'a self, operation: &'a Value) -> &'a str {
        operation
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .and_then(|url| url.split_once("://"))
            .map(|(_, rest)| rest.find('/').map_or("", |at| &rest[at..]))
            .map_or(self.base_path.as_str(), |path| path.trim_end_matches('/'))
    }

    /// The operation a request's method and path name: the path is tried
    /// below each base path it starts with (the spec's first, then the
    /// operations' own: `/api/v8`, the host's root), the first operation
    /// found wins; else the most telling miss (a path that has other
    /// methods before no path at all).
    pub(crate) fn locate(&self, method: &str, path: &str) -> Result<Matched<'_>, NoOperation> {
        let mut miss = NoOperation::Path;
        for base in &self.bases {
            let Some(rest) = path
                .strip_prefix(base)
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            else {
                continue;
            };
            match self.find(method, base, rest) {
                Ok(matched) => return Ok(matched),
                Err(NoOperation::Method(allowed)) if matches!(miss, NoOperation::Path) => {
                    miss = NoOperation::Method(allowed);
                }
                Err(_) => {}
            }
        }
        Err(miss)
    }

    /// The operation whose `operationId` is `id`, and its path item.
    pub(crate) fn operation(&self, id: &str) -> Option<(&Value, &Value)> {
        let paths = self.json.get("paths").and_then(Value::as_object)?;
        paths.values().find_map(|item| {
            let operation = item.as_object()?.values().find(|operation| {
                operation.get("operationId").and_then(Value::as_str) == Some(id)
            })?;
            Some((item, operation))
        })
    }

    /// Every `operationId`, in the spec's order.
    pub(crate) fn operation_ids(&self) -> Vec<&str> {
        let paths = self.json.get("paths").and_then(Value::as_object);
        paths
            .into_iter()
            .flatten()
            .flat_map(|(_, item)| item.as_object().into_iter().flatten())
            .filter_map(|(_, operation)| operation.get("operationId").and_then(Value::as_str))
            .collect()
    }

    /// The names of an operation's parameters (its path item's and its own).
    pub(crate) fn parameter_names(&self, id: &str) -> Vec<String> {
        let Some((item, operation)) = self.operation(id) else {
            return Vec::new();
        };
        [item, operation]
            .into_iter()
            .filter_map(|declaring| declaring.get("parameters")?.as_array())
            .flatten()
            .filter_map(|parameter| self.resolve(parameter).get("name")?.as_str())
            .map(str::to_owned)
            .collect()
    }

    /// A request's path and query for a message, the value of every query
    /// parameter that carries a credential (an `apiKey` scheme `in: query`,
    /// GitCode's `access_token`) replaced by `<redacted>`.
    pub(crate) fn shown(&self, uri: &axum::http::Uri) -> String {
        let schemes = self
            .json
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        let credentials: Vec<&str> = schemes
            .into_iter()
            .flatten()
            .filter(|(_, scheme)| scheme.get("in").and_then(Value::as_str) == Some("query"))
            .filter_map(|(_, scheme)| scheme.get("name")?.as_str())
            .collect();
        let Some(query) = uri.query() else {
            return uri.path().to_owned();
        };
        let shown: Vec<String> = query
            .split('&')
            .map(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                let decoded = url::form_urlencoded::parse(key.as_bytes()).next();
                match decoded {
                    Some((name, _)) if credentials.contains(&name.as_ref()) => {
                        format!("{key}=<redacted>")
                    }
                    _ => pair.to_owned(),
                }
            })
            .collect();
        format!("{}?{}", uri.path(), shown.join("&"))
    }

    /// Follows a local `$ref`.
    pub(crate) fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| self.json.pointer(pointer))
            .unwrap_or(value)
    }

    /// Whether an operation of the path `item` declares its path parameter
    /// `name` with `x-path-slashes: true`.
    fn keeps_slashes(&self, item: &Value, name: &str) -> bool {
        let declared = |parameters: Option<&Value>| {
            parameters
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|parameter| self.resolve(parameter))
                .any(|parameter| {
                    parameter.get("name").and_then(Value::as_str) == Some(name)
                        && parameter.get("x-path-slashes").and_then(Value::as_bool) == Some(true)
                })
        };
        declared(item.get("parameters"))
            || item
                .as_object()
                .into_iter()
                .flatten()
                .any(|(_, operation)| declared(operation.get("parameters")))
    }

    /// The operation for `method` on `path` (below the base path). Among
    /// templates that fit, the one with the most literal segments wins.
    pub(crate) fn find(
        &self,
        method: &str,
        base: &str,
        path: &str,
    ) -> Result<Matched<'_>, NoOperation> {
        let segments: Vec<&str> = path.split('/').collect();
        let paths = self.json.get("paths").and_then(Value::as_object);
        // (literal segments, path item, path parameters) of the best fit.
        type Fit<'a> = (usize, &'a Value, Vec<(String, String)>);
        let mut best: Option<Fit<'_>> = None;
        for (template, item) in paths.into_iter().flatten() {
            // Only the operations under this base path.
            let under_base = |operation: &Value| {
                operation.get("operationId").is_some() && self.base_of(operation) == base
            };
            if !item
                .as_object()
                .into_iter()
                .flatten()
                .any(|(_, op)| under_base(op))
            {
                continue;
            }
            let expected: Vec<&str> = template.split('/').collect();
            // A last parameter marked `x-path-slashes` (a file path) takes
            // the rest of the path, one segment or more.
            let greedy = expected
                .last()
                .and_then(|last| last.strip_prefix('{')?.strip_suffix('}'))
                .filter(|name| self.keeps_slashes(item, name));
            let segments: Vec<String> = match greedy {
                Some(_) if segments.len() >= expected.len() => {
                    let (head, rest) = segments.split_at(expected.len() - 1);
                    head.iter()
                        .map(|segment| (*segment).to_owned())
                        .chain(std::iter::once(rest.join("%2F")))
                        .collect()
                }
                _ if expected.len() == segments.len() => segments
                    .iter()
                    .map(|segment| (*segment).to_owned())
                    .collect(),
                _ => continue,
            };
            let mut parameters = Vec::new();
            let mut literals = 0;
            let fits = expected.iter().zip(&segments).all(|(expected, actual)| {
                if !expected.contains('{') {
                    literals += 1;
                    return *expected == actual.as_str();
                }
                match segment_parameters(expected, actual) {
                    Some(found) => {
                        parameters.extend(found);
                        true
                    }
                    None => false,
                }
            });
            // The most literal segments wins; among equals, a template with
            // the method asked for.
            let has_method = item.get(method.to_ascii_lowercase()).is_some();
            if fits
                && best.as_ref().is_none_or(|(most, best_item, _)| {
                    literals > *most
                        || (literals == *most
                            && has_method
                            && best_item.get(method.to_ascii_lowercase()).is_none())
                })
            {
                best = Some((literals, item, parameters));
            }
        }
        let (_, item, path_parameters) = best.ok_or(NoOperation::Path)?;
        let operation = item
            .get(method.to_ascii_lowercase())
            .filter(|operation| {
                operation.get("operationId").is_some() && self.base_of(operation) == base
            })
            .ok_or_else(|| {
                let declared = item.as_object().into_iter().flatten();
                NoOperation::Method(
                    declared
                        .filter(|(_, operation)| operation.get("operationId").is_some())
                        .map(|(method, _)| method.to_ascii_uppercase())
                        .collect(),
                )
            })?;
        Ok(Matched {
            operation,
            shared: item.get("parameters").unwrap_or(&Value::Null),
            path_parameters,
        })
    }
}

/// The parameters of one template segment (`{name}`, or several with
/// literals between them, `{base}...{head}`) in `actual`, each non-empty and
/// percent-decoded; `None` when the segment does not fit.
fn segment_parameters(template: &str, actual: &str) -> Option<Vec<(String, String)>> {
    let mut found = Vec::new();
    let mut rest_template = template;
    let mut rest = actual;
    while !rest_template.is_empty() {
        match rest_template.strip_prefix('{') {
            Some(after) => {
                let (name, tail) = after.split_once('}')?;
                // The value runs to the next literal, or to the end.
                let next_literal = tail.split('{').next().unwrap_or_default();
                let end = if next_literal.is_empty() {
                    rest.len()
                } else {
                    rest.find(next_literal)?
                };
                if end == 0 {
                    return None;
                }
                found.push((name.to_owned(), percent_decode(&rest[..end])));
                rest = &rest[end..];
                rest_template = tail;
            }
            None => {
                let literal = rest_template.split('{').next().unwrap_or_default();
                rest = rest.strip_prefix(literal)?;
                rest_template = &rest_template[literal.len()..];
            }
        }
    }
    rest.is_empty().then_some(found)
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}
