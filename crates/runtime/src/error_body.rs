//! [`ErrorBody`]: a provider's JSON error body of undocumented shape.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Keys that hold an error's code, most common first.
const CODE_KEYS: [&str; 5] = ["code", "errorCode", "error_code", "error", "status"];
/// Keys that hold an error's message, most common first.
const MESSAGE_KEYS: [&str; 6] = [
    "message",
    "errorMessage",
    "error_message",
    "msg",
    "error_description",
    "detail",
];

/// Keys that hold the id of the failed request in the provider's logs.
const REQUEST_ID_KEYS: [&str; 4] = ["request_id", "requestId", "trace_id", "traceId"];

/// An error body whose exact shape the documentation does not give.
///
/// Any JSON decodes: the code and the message are taken from the usual keys
/// (`code`/`errorCode`/`error_code`/`error`, `message`/`errorMessage`/`msg`/…,
/// also one level down in `{"error": {...}}`), so is a request id
/// (`request_id`/`trace_id`/…), and the whole body is kept in
/// [`raw`](Self::raw) for anything else.
///
/// ```
/// use dev_platform_runtime::ErrorBody;
///
/// let body: ErrorBody =
///     serde_json::from_str(r#"{"code":"Forbidden","message":"no access","traceId":"t-1"}"#).unwrap();
/// assert_eq!(body.code(), Some("Forbidden"));
/// assert_eq!(body.message(), Some("no access"));
/// assert_eq!(body.request_id(), Some("t-1"));
/// assert_eq!(body.raw()["traceId"], "t-1");
/// assert_eq!(body.to_string(), "Forbidden: no access");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    raw: Value,
}

impl ErrorBody {
    /// Reads the code and message out of any JSON value.
    pub fn from_value(raw: Value) -> Self {
        let nested = raw.get("error").filter(|error| error.is_object());
        let find = |keys: &[&str]| {
            [Some(&raw), nested]
                .into_iter()
                .flatten()
                .flat_map(|object| keys.iter().filter_map(move |key| object.get(*key)))
                .find_map(|value| match value {
                    Value::String(text) if !text.is_empty() => Some(text.clone()),
                    Value::Number(number) => Some(number.to_string()),
                    _ => None,
                })
        };
        Self {
            code: find(&CODE_KEYS),
            message: find(&MESSAGE_KEYS),
            request_id: find(&REQUEST_ID_KEYS),
            raw,
        }
    }

    /// The provider's error code (`BadRequest`, `Forbidden`, …), when the body has one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The provider's error message, when the body has one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request's id in the provider's logs, when the body has one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The error's further context (`details`, an array in Qoder's documented
    /// error body), when the body has it; the values are kept as they arrived.
    pub fn details(&self) -> Option<&[Value]> {
        self.raw
            .get("details")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
    }

    /// The whole body as it arrived.
    pub fn raw(&self) -> &Value {
        &self.raw
    }
}

/// `code: message`, or whichever of the two the body has, or the raw body.
impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}"),
            (Some(text), None) | (None, Some(text)) => f.write_str(text),
            (None, None) => write!(f, "{}", self.raw),
        }
    }
}

impl Serialize for ErrorBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ErrorBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::from_value)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::ErrorBody;

    #[test]
    fn finds_code_and_message_under_the_usual_keys() {
        let cases = [
            (
                json!({"code": "BadRequest", "message": "bad"}),
                Some("BadRequest"),
                Some("bad"),
            ),
            (
                json!({"error": {"code": 403, "message": "no"}}),
                Some("403"),
                Some("no"),
            ),
            (
                json!({"errorCode": "X", "errorMessage": "y"}),
                Some("X"),
                Some("y"),
            ),
            (json!({"error": "Unauthorized"}), Some("Unauthorized"), None),
            (json!({"msg": "oops"}), None, Some("oops")),
            (json!(["not", "an", "object"]), None, None),
        ];
        for (raw, code, message) in cases {
            let body = ErrorBody::from_value(raw.clone());
            assert_eq!((body.code(), body.message()), (code, message), "{raw}");
            assert_eq!(body.raw(), &raw);
        }
        assert_eq!(
            ErrorBody::from_value(json!({"x": 1})).to_string(),
            r#"{"x":1}"#
        );
    }
}
