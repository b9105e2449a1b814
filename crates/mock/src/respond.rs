//! The mock's answers: an operation's example, or an error in the provider's
//! shape.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::spec::Spec;

/// The operation's first success response, with its example; for a
/// paginated list (`x-pagination`), a page of a listing that is the example:
/// see [`page_of_example`].
pub(crate) fn example(
    spec: &Spec,
    operation: &Value,
    query: &[(String, String)],
) -> Response<Body> {
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
        let mut example = example.clone();
        if let Some(pagination) = operation.get("x-pagination") {
            let envelope = content
                .and_then(|content| content.pointer("/application~1json/schema"))
                .map(|schema| spec.resolve(schema))
                .and_then(|schema| schema.get("x-envelope"))
                .and_then(Value::as_str);
            let payload = match envelope {
                Some(field) => example.get_mut(field),
                None => Some(&mut example),
            };
            if let Some(payload) = payload {
                page_of_example(pagination, query, payload);
            }
        }
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

/// Makes `payload` (the example) the page asked for in `query` of a listing
/// whose items are the example's: the first page (or offset 0) is the example
/// as documented; a later one holds no items and reports the page (or offset)
/// asked for. A client paging through the mock then ends at that empty page,
/// as it would against a server that pages correctly (and not at a page that
/// repeats the first, or says it is the first again).
fn page_of_example(pagination: &Value, query: &[(String, String)], payload: &mut Value) {
    let text = |key: &str| pagination.get(key).and_then(Value::as_str);
    let offset = text("style") == Some("offset");
    let position_name = if offset { text("offset") } else { text("page") };
    let first = u64::from(!offset);
    let requested = query
        .iter()
        .find(|(name, _)| Some(name.as_str()) == position_name)
        .and_then(|(_, value)| value.parse::<u64>().ok())
        .unwrap_or(first);
    if requested == first {
        return;
    }
    let items = match text("items") {
        Some(field) => payload.get_mut(field),
        None => Some(&mut *payload),
    };
    if let Some(Value::Array(items)) = items {
        items.clear();
    }
    if let Some(path) = text("current") {
        set(payload, path, json!(requested));
    }
}

/// Replaces the member at a dotted path (`pagination.totalPages`), when the
/// example has it (a member it leaves out stays out).
fn set(value: &mut Value, path: &str, new: Value) {
    if let Some(slot) = value.pointer_mut(&format!("/{}", path.replace('.', "/"))) {
        *slot = new;
    }
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
