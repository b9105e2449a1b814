//! The mock's answers: an operation's example, or an error in the provider's
//! shape.

use axum::body::Body;
use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::program::{Answer, Kind};
use crate::spec::Spec;

/// An operation's documented success: its status and its response.
struct Success<'a> {
    status: u16,
    response: &'a Value,
}

impl<'a> Success<'a> {
    fn of(spec: &'a Spec, operation: &'a Value) -> Option<Self> {
        let responses = operation.get("responses").and_then(Value::as_object)?;
        let (status, response) = responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))?;
        Some(Self {
            status: status.parse().unwrap_or(200),
            response: spec.resolve(response),
        })
    }

    fn json_example(&self) -> Option<&'a Value> {
        self.response.pointer("/content/application~1json/example")
    }

    /// The field of the `{"success": …, "data": …}` envelope that holds the
    /// payload, where the response is one (`x-envelope`).
    fn envelope(&self, spec: &'a Spec) -> Option<&'a str> {
        let schema = self.response.pointer("/content/application~1json/schema")?;
        spec.resolve(schema).get("x-envelope")?.as_str()
    }

    /// `payload` as the body of this success: inside the envelope (the
    /// example's, with the payload replaced) where there is one.
    fn body(&self, spec: &'a Spec, payload: Value) -> Value {
        let Some(field) = self.envelope(spec) else {
            return payload;
        };
        let mut envelope = self
            .json_example()
            .cloned()
            .unwrap_or_else(|| json!({"success": true}));
        if let Some(envelope) = envelope.as_object_mut() {
            envelope.insert(field.to_owned(), payload);
        }
        envelope
    }

    /// The documented response headers that have an example
    /// (`Content-Disposition`).
    fn add_headers(&self, answer: &mut Response<Body>) {
        let headers = self.response.get("headers").and_then(Value::as_object);
        for (name, documented) in headers.into_iter().flatten() {
            let example = documented.get("example").and_then(Value::as_str);
            if let (Ok(name), Some(Ok(value))) = (
                header::HeaderName::from_bytes(name.as_bytes()),
                example.map(HeaderValue::from_str),
            ) {
                answer.headers_mut().insert(name, value);
            }
        }
    }
}

const NO_SUCCESS: &str = "the spec has no success response for this operation";

/// The operation's first success response, with its example; for a
/// paginated list (`x-pagination`), a page of a listing that is the example:
/// see [`page_of_example`].
pub(crate) fn example(
    spec: &Spec,
    operation: &Value,
    query: &[(String, String)],
) -> Response<Body> {
    let Some(success) = Success::of(spec, operation) else {
        return error(spec, 500, None, NO_SUCCESS);
    };
    let content = success.response.get("content");
    let mut answer = if let Some(example) = success.json_example() {
        let mut example = example.clone();
        if let Some(pagination) = operation.get("x-pagination") {
            let payload = match success.envelope(spec) {
                Some(field) => example.get_mut(field),
                None => Some(&mut example),
            };
            if let Some(payload) = payload {
                page_of_example(pagination, query, payload);
            }
        }
        build(success.status, "application/json", example.to_string())
    } else if let Some(csv) = content.and_then(|content| content.pointer("/text~1csv/example")) {
        build(
            success.status,
            "text/csv; charset=utf-8",
            csv.as_str().unwrap_or_default().to_owned(),
        )
    } else {
        build(success.status, "", String::new())
    };
    success.add_headers(&mut answer);
    answer
}

/// What a test programmed ([`Answer`]), with its headers, and cut short
/// where it asked for a truncated body.
pub(crate) async fn programmed(
    spec: &Spec,
    operation: &Value,
    query: &[(String, String)],
    answer: Answer,
) -> Response<Body> {
    let success = Success::of(spec, operation);
    let success_body = |payload: Value| match &success {
        Some(success) => {
            let mut response = build(
                success.status,
                "application/json",
                success.body(spec, payload).to_string(),
            );
            success.add_headers(&mut response);
            response
        }
        None => error(spec, 500, None, NO_SUCCESS),
    };
    let mut response =
        match answer.kind {
            Kind::Example => example(spec, operation, query),
            Kind::Success(Value::Null)
                if success
                    .as_ref()
                    .is_some_and(|s| s.response.get("content").is_none()) =>
            {
                build(
                    success.as_ref().map_or(204, |s| s.status),
                    "",
                    String::new(),
                )
            }
            Kind::Success(payload) => success_body(payload),
            Kind::Pages(items) => match operation.get("x-pagination") {
                Some(pagination) => {
                    let template = success.as_ref().and_then(Success::json_example).map(
                        |example| match success.as_ref().and_then(|s| s.envelope(spec)) {
                            Some(field) => example.get(field).cloned().unwrap_or(Value::Null),
                            None => example.clone(),
                        },
                    );
                    success_body(crate::pages::page(
                        spec, operation, pagination, template, query, items,
                    ))
                }
                None => error(
                    spec,
                    500,
                    None,
                    "this operation does not page (no x-pagination)",
                ),
            },
            Kind::Json(status, body) => build(status, "application/json", body.to_string()),
            Kind::Error {
                status,
                code,
                message,
            } => error(spec, status, code.as_deref(), &message),
            Kind::Csv(text) => {
                let mut response = build(
                    success.as_ref().map_or(200, |s| s.status),
                    "text/csv; charset=utf-8",
                    text,
                );
                if let Some(success) = &success {
                    success.add_headers(&mut response);
                }
                response
            }
            Kind::Raw(status, content_type, body) => build(status, &content_type, body),
            // Never written: the connection is reset first.
            Kind::Reset => build(500, "", String::new()),
        };
    for (name, value) in &answer.headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    match answer.truncate {
        Some(bytes) => truncated(response, bytes).await,
        None => response,
    }
}

/// `response` with its whole body's `Content-Length`, but only the first
/// `keep` bytes of it sent before the connection is closed.
async fn truncated(response: Response<Body>, keep: usize) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    let whole = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(whole.len()));
    let kept = whole.slice(..keep.min(whole.len()));
    let body = Body::from_stream(futures_util::stream::iter([
        Ok(kept),
        Err(std::io::Error::other(
            "the body is cut short, as programmed",
        )),
    ]));
    Response::from_parts(parts, body)
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
/// `error_code_name` with `code`, else the status's name; `error_code` with the
/// status's number.
pub(crate) fn error(spec: &Spec, status: u16, code: Option<&str>, message: &str) -> Response<Body> {
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
            "code" | "error_code_name" => json!(code.unwrap_or(&name)),
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

fn build(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Body::from(body.into()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if !content_type.is_empty() {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("a valid content type"),
        );
    }
    response
}
