//! The mock's answers: an operation's example, or an error in the provider's
//! shape.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::spec::Spec;

/// The operation's first success response, with its example.
pub(crate) fn example(spec: &Spec, operation: &Value) -> Response<Body> {
    let responses = operation.get("responses").and_then(Value::as_object);
    let Some((status, response)) = responses
        .into_iter()
        .flatten()
        .find(|(status, _)| status.starts_with('2'))
    else {
        return error(
            spec,
            500,
            "the spec has no success response for this operation",
        );
    };
    let status = status.parse().unwrap_or(200);
    let response = spec.resolve(response);
    let content = response.get("content");
    let mut answer = if let Some(example) =
        content.and_then(|content| content.pointer("/application~1json/example"))
    {
        build(status, "application/json", example.to_string())
    } else if let Some(csv) = content.and_then(|content| content.pointer("/text~1csv/example")) {
        build(
            status,
            "text/csv; charset=utf-8",
            csv.as_str().unwrap_or_default().to_owned(),
        )
    } else {
        build(status, "", String::new())
    };
    // Documented response headers with an example (`Content-Disposition`).
    let headers = response.get("headers").and_then(Value::as_object);
    for (name, documented) in headers.into_iter().flatten() {
        let example = documented.get("example").and_then(Value::as_str);
        if let (Ok(name), Some(Ok(value))) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            example.map(HeaderValue::from_str),
        ) {
            answer.headers_mut().insert(name, value);
        }
    }
    answer
}

/// An error in the provider's shape: the keys of the spec's error example
/// (`components/responses/Error`; else the `Error` schema's properties) filled
/// in: `message`, `detail`, `error_message` with the text; `code`,
/// `error_code_name` with the status's name; `error_code` with its number.
pub(crate) fn error(spec: &Spec, status: u16, message: &str) -> Response<Body> {
    let status_code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let name: String = status_code
        .canonical_reason()
        .unwrap_or("Error")
        .split_whitespace()
        .collect();
    let shape = spec
        .json
        .pointer("/components/responses/Error/content/application~1json/example")
        .or_else(|| spec.json.pointer("/components/schemas/Error/properties"))
        .and_then(Value::as_object);
    let mut body = Map::new();
    for key in shape.into_iter().flatten().map(|(key, _)| key.as_str()) {
        let value = match key {
            "message" | "detail" | "error_message" => json!(message),
            "code" | "error_code_name" => json!(name),
            "error_code" => json!(status),
            _ => continue,
        };
        body.insert(key.to_owned(), value);
    }
    if body.is_empty() {
        body.insert("message".to_owned(), json!(message));
    }
    build(status, "application/json", Value::Object(body).to_string())
}

fn build(status: u16, content_type: &str, body: String) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if !content_type.is_empty() {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("a valid content type"),
        );
    }
    response
}
