//! Checking a request against its operation: authentication, parameters and
//! body. Every message names what is wrong, never a value of a header (so
//! never a token).

use serde_json::Value;

use crate::program::{Matcher, includes};
use crate::spec::{Matched, Spec};

/// What the request gives the checks.
pub(crate) struct Request<'a> {
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: &'a axum::http::HeaderMap,
    pub(crate) body: &'a [u8],
}

/// A request the mock refuses: the status and the message.
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) message: String,
}

fn bad(message: String) -> Refusal {
    Refusal {
        status: 400,
        message,
    }
}

/// The request carries a credential of one of the security schemes the
/// operation requires (its own `security`, else the spec's); an operation
/// with `security: []` needs none.
pub(crate) fn authenticated(
    spec: &Spec,
    operation: &Value,
    request: &Request<'_>,
) -> Result<(), Refusal> {
    let requirements = operation
        .get("security")
        .or_else(|| spec.json.get("security"))
        .and_then(Value::as_array);
    if requirements.is_some_and(Vec::is_empty) {
        return Ok(());
    }
    let schemes = spec.json.pointer("/components/securitySchemes");
    let satisfied = requirements.into_iter().flatten().any(|requirement| {
        requirement
            .as_object()
            .into_iter()
            .flatten()
            .all(|(name, _)| {
                let Some(scheme) = schemes.and_then(|schemes| schemes.get(name)) else {
                    return false;
                };
                let field = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or("");
                match (field("type"), field("in")) {
                    ("http", _) => request
                        .headers
                        .get("authorization")
                        .and_then(|value| value.to_str().ok())
                        .and_then(|value| value.strip_prefix("Bearer "))
                        .is_some_and(|token| !token.trim().is_empty()),
                    ("apiKey", "header") => request
                        .headers
                        .get(field("name"))
                        .is_some_and(|value| !value.is_empty()),
                    ("apiKey", "query") => request
                        .query
                        .iter()
                        .any(|(key, value)| key == field("name") && !value.is_empty()),
                    _ => false,
                }
            })
    });
    if satisfied || requirements.is_none() {
        Ok(())
    } else {
        Err(Refusal {
            status: 401,
            message: "missing or malformed credentials".to_owned(),
        })
    }
}

/// Every parameter: required ones present, every given one of its type, in
/// its enum and range.
pub(crate) fn parameters(
    spec: &Spec,
    matched: &Matched<'_>,
    request: &Request<'_>,
) -> Result<(), Refusal> {
    let declared = [
        matched.shared,
        matched.operation.get("parameters").unwrap_or(&Value::Null),
    ];
    for parameter in declared
        .iter()
        .filter_map(|list| list.as_array())
        .flatten()
        .map(|parameter| spec.resolve(parameter))
    {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let required = parameter.get("required") == Some(&Value::Bool(true));
        let value = match parameter.get("in").and_then(Value::as_str) {
            Some("path") => matched
                .path_parameters
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone()),
            Some("query") => request
                .query
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone()),
            Some("header") => request
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            _ => continue,
        };
        match value {
            None if required => {
                return Err(bad(format!("missing required parameter `{name}`")));
            }
            None => {}
            Some(value) => {
                let schema = parameter.get("schema").map(|schema| spec.resolve(schema));
                if let Some(schema) = schema {
                    check_text(spec, schema, &value)
                        .map_err(|why| bad(format!("parameter `{name}`: {why}")))?;
                }
            }
        }
    }
    Ok(())
}

/// A parameter's text against its schema.
fn check_text(spec: &Spec, schema: &Value, value: &str) -> Result<(), String> {
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => {
            let number: i128 = value
                .parse()
                .map_err(|_| format!("`{value}` is not an integer"))?;
            check_integer(schema, number, value)?;
        }
        Some("number") => {
            let number: f64 = value
                .parse()
                .map_err(|_| format!("`{value}` is not a number"))?;
            in_range(schema, number, value)?;
        }
        Some("boolean") if value != "true" && value != "false" => {
            return Err(format!("`{value}` is not true or false"));
        }
        _ => check_length(schema, value)?,
    }
    check_enum(spec, schema, &Value::String(value.to_owned()), value).or_else(|error| {
        // Integer enums arrive as text.
        match value.parse::<i64>() {
            Ok(number) => check_enum(spec, schema, &Value::from(number), value),
            Err(_) => Err(error),
        }
    })
}

/// An integer against its `format` (`int32`; else what an `int64` holds,
/// as the clients do) and its range.
fn check_integer(schema: &Value, number: i128, text: &str) -> Result<(), String> {
    let fits = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => i32::try_from(number).is_ok(),
        _ => i64::try_from(number).is_ok(),
    };
    if !fits {
        return Err(format!("`{text}` is out of range"));
    }
    in_range(schema, number as f64, text)
}

fn in_range(schema: &Value, number: f64, text: &str) -> Result<(), String> {
    let minimum = schema.get("minimum").and_then(Value::as_f64);
    let maximum = schema.get("maximum").and_then(Value::as_f64);
    if minimum.is_some_and(|min| number < min) || maximum.is_some_and(|max| number > max) {
        return Err(format!("`{text}` is out of range"));
    }
    Ok(())
}

/// A string's length (in characters) against `minLength`/`maxLength`.
fn check_length(schema: &Value, text: &str) -> Result<(), String> {
    let length = text.chars().count();
    if within(schema, "minLength", "maxLength", length) {
        Ok(())
    } else {
        Err(format!("{length} characters is not a documented length"))
    }
}

/// Whether `count` is within the schema's `min_key` and `max_key`
/// (`minLength`/`maxLength`, `minItems`/`maxItems`).
fn within(schema: &Value, min_key: &str, max_key: &str, count: usize) -> bool {
    let count = count as u64;
    let bound = |key: &str| schema.get(key).and_then(Value::as_u64);
    !(bound(min_key).is_some_and(|min| count < min)
        || bound(max_key).is_some_and(|max| count > max))
}

fn check_enum(spec: &Spec, schema: &Value, value: &Value, text: &str) -> Result<(), String> {
    let schema = spec.resolve(schema);
    match schema.get("enum").and_then(Value::as_array) {
        Some(values) if !values.contains(value) => {
            Err(format!("`{text}` is not one of the documented values"))
        }
        _ => Ok(()),
    }
}

/// The body: valid JSON (or form fields) of the documented schema, checked
/// as strictly as the spec says: the root's type, every required property,
/// each property's type, enum, range and length, array items, and properties
/// the schema does not list where it closes the object
/// (`additionalProperties: false`).
pub(crate) fn body(
    spec: &Spec,
    matched: &Matched<'_>,
    request: &Request<'_>,
) -> Result<(), Refusal> {
    let Some(declared) = matched
        .operation
        .get("requestBody")
        .map(|body| spec.resolve(body))
    else {
        return Ok(());
    };
    let content = declared.get("content").and_then(Value::as_object);
    let Some((media_type, media)) = content.into_iter().flatten().next() else {
        return Ok(());
    };
    let schema = media.get("schema").map(|schema| spec.resolve(schema));
    let form = media_type == "application/x-www-form-urlencoded";
    // An empty form with its content type is a body without fields; an
    // empty body without one is no body.
    let typed = request
        .headers
        .contains_key(axum::http::header::CONTENT_TYPE);
    if request.body.is_empty() && !(form && typed) {
        if declared.get("required") == Some(&Value::Bool(true)) {
            return Err(bad("the request body is missing".to_owned()));
        }
        return Ok(());
    }
    let Some(schema) = schema else {
        return Ok(());
    };
    if form {
        return check_form(spec, schema, &form_fields(request.body)).map_err(bad);
    }
    if media_type == "multipart/form-data" {
        let content_type = request
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        return check_multipart(spec, schema, content_type, request.body).map_err(bad);
    }
    let value: Value = serde_json::from_slice(request.body)
        .map_err(|error| bad(format!("the body is not valid JSON: {error}")))?;
    check_value(spec, schema, &value, &mut Vec::new()).map_err(bad)
}

/// A `multipart/form-data` body (RFC 7578) well formed: the boundary of its
/// `Content-Type`, every part opened by it with a `Content-Disposition:
/// form-data; name="…"` (a file part with a `filename`), the closing
/// delimiter last; every required part there, and no part the schema does not
/// list.
fn check_multipart(
    spec: &Spec,
    schema: &Value,
    content_type: &str,
    body: &[u8],
) -> Result<(), String> {
    let (media_type, parameters) = content_type.split_once(';').unwrap_or((content_type, ""));
    if media_type.trim() != "multipart/form-data" {
        return Err(format!(
            "the body's media type is `{content_type}`, not multipart/form-data"
        ));
    }
    let boundary = parameters
        .split(';')
        .find_map(|parameter| parameter.trim().strip_prefix("boundary="))
        .map(|boundary| boundary.trim_matches('"'))
        .filter(|boundary| !boundary.is_empty())
        .ok_or("the multipart body's Content-Type has no boundary")?;
    let body = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let closing = format!("{delimiter}--\r\n");
    let Some(inner) = body.strip_suffix(&closing) else {
        return Err("the multipart body does not end with its closing delimiter".to_owned());
    };
    // A form without parts is its closing delimiter alone.
    let parts: Vec<&str> = if inner.is_empty() {
        Vec::new()
    } else {
        let Some(inner) = inner.strip_prefix(&format!("{delimiter}\r\n")) else {
            return Err("the multipart body does not start with its boundary".to_owned());
        };
        inner.split(&format!("\r\n{delimiter}\r\n")).collect()
    };
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut seen = Vec::new();
    for part in parts {
        let part = part.strip_suffix("\r\n").unwrap_or(part);
        let (head, _content) = part
            .split_once("\r\n\r\n")
            .ok_or("a multipart part has no blank line after its headers")?;
        let disposition = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-disposition")
                    .then(|| value.trim())
            })
            .ok_or("a multipart part has no Content-Disposition")?;
        let field = |key: &str| {
            disposition
                .split(';')
                .find_map(|item| item.trim().strip_prefix(&format!("{key}=")))
                .map(|value| value.trim_matches('"').to_owned())
        };
        if !disposition.starts_with("form-data") {
            return Err(format!(
                "a multipart part is `{disposition}`, not form-data"
            ));
        }
        let name = field("name").ok_or("a multipart part has no name")?;
        match properties.and_then(|properties| properties.get(&name)) {
            Some(property) => {
                let binary =
                    spec.resolve(property).get("format").and_then(Value::as_str) == Some("binary");
                if binary && field("filename").is_none() {
                    return Err(format!("the file part `{name}` has no filename"));
                }
            }
            None if closed(schema) => {
                return Err(format!(
                    "the multipart part `{name}` is not a documented part"
                ));
            }
            None => {}
        }
        seen.push(name);
    }
    for name in names(schema, "required") {
        if !seen.iter().any(|seen| seen == name) {
            return Err(format!(
                "the multipart body lacks the required field `{name}`"
            ));
        }
    }
    Ok(())
}

/// A form body's fields, each a JSON string.
fn form_fields(body: &[u8]) -> serde_json::Map<String, Value> {
    url::form_urlencoded::parse(body)
        .map(|(key, value)| (key.into_owned(), Value::String(value.into_owned())))
        .collect()
}

/// Form fields arrive as text: each against its property's schema as a
/// parameter would be.
fn check_form(
    spec: &Spec,
    schema: &Value,
    fields: &serde_json::Map<String, Value>,
) -> Result<(), String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    for name in names(schema, "required") {
        if !fields.contains_key(name) {
            return Err(format!("the body lacks the required field `{name}`"));
        }
    }
    for (name, value) in fields {
        let text = value.as_str().unwrap_or_default();
        match properties.and_then(|properties| properties.get(name)) {
            Some(property) => check_text(spec, spec.resolve(property), text)
                .map_err(|why| format!("body field `{name}`: {why}"))?,
            None if closed(schema) => {
                return Err(format!("body field `{name}` is not a documented field"));
            }
            None => {}
        }
    }
    Ok(())
}

/// The strings of a schema's list keyword (`required`, `enum`).
fn names<'a>(schema: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    schema
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The schema closes its object: no property but those it lists.
fn closed(schema: &Value) -> bool {
    schema.get("additionalProperties") == Some(&Value::Bool(false))
}

/// A JSON path for messages: `members[0].email`; the root is `the body`.
fn render(path: &[String]) -> String {
    let mut text = String::new();
    for segment in path {
        if segment.starts_with('[') || text.is_empty() {
            text.push_str(segment);
        } else {
            text.push('.');
            text.push_str(segment);
        }
    }
    text
}

/// A message about the value at `path`.
fn at(path: &[String], why: String) -> String {
    if path.is_empty() {
        format!("the body {why}")
    } else {
        format!("body field `{}`: {why}", render(path))
    }
}

/// `value` at `path` against `schema`, recursively.
fn check_value(
    spec: &Spec,
    schema: &Value,
    value: &Value,
    path: &mut Vec<String>,
) -> Result<(), String> {
    let schema = spec.resolve(schema);
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return Ok(());
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check_value(spec, part, value, path)?;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(choices) = schema.get(key).and_then(Value::as_array) {
            let fits = choices
                .iter()
                .any(|choice| check_value(spec, choice, value, &mut path.clone()).is_ok());
            if !fits {
                return Err(at(path, format!("{value} is not of a documented type")));
            }
        }
    }
    let kind = schema.get("type").and_then(Value::as_str);
    let fits = match kind {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        _ => true,
    };
    if !fits {
        let shown = match value {
            Value::Array(_) if path.is_empty() => "an array".to_owned(),
            Value::Object(_) if path.is_empty() => "an object".to_owned(),
            other => other.to_string(),
        };
        return Err(if path.is_empty() {
            format!(
                "the body must be {} (not {shown})",
                match kind {
                    Some("object") => "a JSON object",
                    Some("array") => "a JSON array",
                    _ => "of the documented type",
                }
            )
        } else {
            at(path, format!("{shown} is not of the documented type"))
        });
    }
    check_enum(spec, schema, value, &value.to_string()).map_err(|why| at(path, why))?;
    match value {
        Value::Number(n) => {
            let integer = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
            match integer {
                Some(integer) if kind == Some("integer") => {
                    check_integer(schema, integer, &n.to_string())
                }
                _ => in_range(schema, n.as_f64().unwrap_or_default(), &n.to_string()),
            }
            .map_err(|why| at(path, why))?
        }
        Value::String(text) => check_length(schema, text).map_err(|why| at(path, why))?,
        Value::Array(items) => {
            if !within(schema, "minItems", "maxItems", items.len()) {
                return Err(at(
                    path,
                    format!("{} items is not a documented number of items", items.len()),
                ));
            }
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    path.push(format!("[{index}]"));
                    check_value(spec, item_schema, item, path)?;
                    path.pop();
                }
            }
        }
        Value::Object(members) => {
            for name in names(schema, "required") {
                if !members.contains_key(name) {
                    path.push(name.to_owned());
                    let field = render(path);
                    path.pop();
                    return Err(format!("the body lacks the required field `{field}`"));
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            for (name, member) in members {
                path.push(name.clone());
                let checked = match properties.and_then(|properties| properties.get(name)) {
                    Some(property) => check_value(spec, property, member, path),
                    None if closed(schema) => Err(format!(
                        "body field `{}` is not a documented field",
                        render(path)
                    )),
                    None => match additional {
                        Some(additional) => check_value(spec, additional, member, path),
                        None => Ok(()),
                    },
                };
                path.pop();
                checked?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether a valid request is one a programmed answer is for: each of the
/// matcher's parameters sent with its value (path, query or header), and
/// its body members in the body.
pub(crate) fn fits(matcher: &Matcher, matched: &Matched<'_>, request: &Request<'_>) -> bool {
    let sent = |name: &str| {
        let path = matched.path_parameters.iter();
        let query = request.query.iter();
        path.chain(query)
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .or_else(|| request.headers.get(name)?.to_str().ok())
    };
    let parameters = matcher
        .parameters
        .iter()
        .all(|(name, value)| sent(name) == Some(value.as_str()));
    let body = matcher.body.as_ref().is_none_or(|expected| {
        let actual = serde_json::from_slice::<Value>(request.body)
            .unwrap_or_else(|_| Value::Object(form_fields(request.body)));
        includes(&actual, expected)
    });
    parameters && body
}
