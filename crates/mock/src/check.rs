//! Checking a request against its operation: authentication, parameters and
//! body. Every message names what is wrong, never a value of a header (so
//! never a token).

use serde_json::Value;

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

/// The request carries a credential of one of the spec's security schemes.
pub(crate) fn authenticated(spec: &Spec, request: &Request<'_>) -> Result<(), Refusal> {
    let requirements = spec.json.get("security").and_then(Value::as_array);
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
            let number: i64 = value
                .parse()
                .map_err(|_| format!("`{value}` is not an integer"))?;
            in_range(schema, number as f64, value)?;
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
        _ => {}
    }
    check_enum(spec, schema, &Value::String(value.to_owned()), value).or_else(|error| {
        // Integer enums arrive as text.
        match value.parse::<i64>() {
            Ok(number) => check_enum(spec, schema, &Value::from(number), value),
            Err(_) => Err(error),
        }
    })
}

fn in_range(schema: &Value, number: f64, text: &str) -> Result<(), String> {
    let minimum = schema.get("minimum").and_then(Value::as_f64);
    let maximum = schema.get("maximum").and_then(Value::as_f64);
    if minimum.is_some_and(|min| number < min) || maximum.is_some_and(|max| number > max) {
        return Err(format!("`{text}` is out of range"));
    }
    Ok(())
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

/// The body: valid JSON (or form fields) with every required property, each
/// given property of its type and in its enum.
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
    let fields: Value = if media_type == "application/x-www-form-urlencoded" {
        Value::Object(
            url::form_urlencoded::parse(request.body)
                .map(|(key, value)| (key.into_owned(), Value::String(value.into_owned())))
                .collect(),
        )
    } else if request.body.is_empty() {
        if declared.get("required") == Some(&Value::Bool(true)) {
            return Err(bad("the request body is missing".to_owned()));
        }
        return Ok(());
    } else {
        serde_json::from_slice(request.body)
            .map_err(|error| bad(format!("the body is not valid JSON: {error}")))?
    };
    let Some(schema) = schema else {
        return Ok(());
    };
    let properties = schema.get("properties").and_then(Value::as_object);
    for required in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if fields.get(required).is_none() {
            return Err(bad(format!(
                "the body lacks the required field `{required}`"
            )));
        }
    }
    let form = media_type == "application/x-www-form-urlencoded";
    for (name, property) in properties.into_iter().flatten() {
        let Some(value) = fields.get(name) else {
            continue;
        };
        let property = spec.resolve(property);
        let checked = match (value, form) {
            (Value::String(text), true) => check_text(spec, property, text),
            _ => check_json(spec, property, value),
        };
        checked.map_err(|why| bad(format!("body field `{name}`: {why}")))?;
    }
    Ok(())
}

fn check_json(spec: &Spec, schema: &Value, value: &Value) -> Result<(), String> {
    let schema = spec.resolve(schema);
    let fits = match schema.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        _ => true,
    };
    if !(fits || value.is_null() && schema.get("nullable") == Some(&Value::Bool(true))) {
        return Err(format!("{value} is not of the documented type"));
    }
    check_enum(spec, schema, value, &value.to_string())
}
