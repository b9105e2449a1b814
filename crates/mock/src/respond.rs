//! The mock's answers: an operation's example, or an error in the provider's
//! shape.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::pages;
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

    /// The JSON example: `example`, or the first of `examples` (a response
    /// documented in several shapes lists the one served first).
    fn json_example(&self) -> Option<&'a Value> {
        let media = self.response.pointer("/content/application~1json")?;
        media.get("example").or_else(|| {
            media
                .get("examples")?
                .as_object()?
                .values()
                .next()?
                .get("value")
        })
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

    /// A response of this success's status with `body`, and the documented
    /// response headers that have an example (`Content-Disposition`).
    fn respond(&self, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
        let mut answer = build(self.status, content_type, body);
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
        answer
    }

    /// The example's payload: the example, or its envelope's payload field.
    fn payload<'v>(&self, spec: &'a Spec, example: &'v mut Value) -> Option<&'v mut Value> {
        match self.envelope(spec) {
            Some(field) => example.get_mut(field),
            None => Some(example),
        }
    }
}

const NO_SUCCESS: &str = "the spec has no success response for this operation";

/// The operation's first success response, with its example; for a
/// paginated list (`x-pagination`), a page of a listing that is the example:
/// see [`pages::page_of_example`].
pub(crate) fn example(
    spec: &Spec,
    operation: &Value,
    query: &[(String, String)],
) -> Response<Body> {
    let Some(success) = Success::of(spec, operation) else {
        return error(spec, 500, None, NO_SUCCESS);
    };
    let content = success.response.get("content");
    if let Some(example) = success.json_example() {
        let mut example = example.clone();
        if let Some(pagination) = operation.get("x-pagination")
            && let Some(payload) = success.payload(spec, &mut example)
        {
            pages::page_of_example(spec, operation, pagination, query, payload);
        }
        success.respond("application/json", example.to_string())
    } else if let Some(csv) = content.and_then(|content| content.pointer("/text~1csv/example")) {
        success.respond(
            "text/csv; charset=utf-8",
            csv.as_str().unwrap_or_default().to_owned(),
        )
    } else if let Some((media_type, example)) = raw_example(content) {
        success.respond(media_type, example.to_owned())
    } else {
        success.respond("", String::new())
    }
}

/// A raw answer's media type (`*/*` served as `application/octet-stream`)
/// and its example's text.
fn raw_example(content: Option<&Value>) -> Option<(&str, &str)> {
    content?
        .as_object()?
        .iter()
        .filter(|(media_type, _)| *media_type != "application/json")
        .find_map(|(media_type, media)| {
            let example = media.get("example")?.as_str()?;
            let media_type = if media_type.contains('*') {
                "application/octet-stream"
            } else {
                media_type.as_str()
            };
            Some((media_type, example))
        })
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
    let mut response = match (answer.kind, &success) {
        (Kind::Example, _) => example(spec, operation, query),
        (Kind::Json(status, body), _) => build(status, "application/json", body.to_string()),
        (
            Kind::Error {
                status,
                code,
                message,
            },
            _,
        ) => error(spec, status, code.as_deref(), &message),
        (Kind::Raw(status, content_type, body), _) => build(status, &content_type, body),
        // Never written: the connection is reset first.
        (Kind::Reset, _) => build(500, "", String::new()),
        (Kind::Csv(text), None) => build(200, "text/csv; charset=utf-8", text),
        (Kind::Csv(text), Some(success)) => success.respond("text/csv; charset=utf-8", text),
        (Kind::Success(_) | Kind::Pages(_), None) => error(spec, 500, None, NO_SUCCESS),
        (Kind::Success(Value::Null), Some(success))
            if success.response.get("content").is_none() =>
        {
            success.respond("", String::new())
        }
        (Kind::Success(payload), Some(success)) => {
            success.respond("application/json", success.body(spec, payload).to_string())
        }
        (Kind::Pages(items), Some(success)) => match operation.get("x-pagination") {
            Some(pagination) => {
                let mut template = success.json_example().cloned().unwrap_or_default();
                let template = success.payload(spec, &mut template).map(Value::take);
                let page = pages::page(spec, operation, pagination, template, query, items);
                success.respond("application/json", success.body(spec, page).to_string())
            }
            None => error(
                spec,
                500,
                None,
                "this operation does not page (no x-pagination)",
            ),
        },
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
