//! Programmed answers: which requests of an operation a test is about
//! ([`When`]), what the mock answers them, in sequence ([`Then`]), and how
//! often they must arrive ([`Mock::expect`]).
//!
//! The provider crates' `mock` feature generates a typed layer over these
//! (`gitcode_api::mock`): the same matchers and answers, taking the client's
//! own parameter, body and response types.

use std::cell::RefCell;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use serde::Serialize;
use serde_json::Value;

/// Which requests of one operation a programmed answer is for: every valid
/// one, unless narrowed by a parameter's value or the body's content. (A
/// request the spec refuses is answered 400 before any programmed answer.)
pub struct When {
    operation: String,
    parameters: Vec<String>,
    matcher: RefCell<Matcher>,
}

/// What [`When`] collected.
#[derive(Clone, Debug, Default)]
pub(crate) struct Matcher {
    /// A parameter's name and its value as sent (path, query or header).
    pub(crate) parameters: Vec<(String, String)>,
    /// Members the JSON or form body must have, with these values.
    pub(crate) body: Option<Value>,
}

impl When {
    pub(crate) fn new(operation: &str, parameters: Vec<String>) -> Self {
        Self {
            operation: operation.to_owned(),
            parameters,
            matcher: RefCell::default(),
        }
    }

    pub(crate) fn into_matcher(self) -> Matcher {
        self.matcher.into_inner()
    }

    /// Only requests whose parameter `name` (path, query or header) is sent
    /// as `value`, as it is on the wire (`"100"`, `"admin"`,
    /// `"2025-06-01T00:00:00Z"`).
    ///
    /// # Panics
    /// When the operation has no parameter `name`: a misspelt name would
    /// otherwise match nothing, quietly.
    pub fn param(&self, name: &str, value: impl Into<String>) -> &Self {
        assert!(
            self.parameters.iter().any(|known| known == name),
            "dev-platform-mock: `{}` has no parameter `{name}` (it has: {})",
            self.operation,
            self.parameters.join(", ")
        );
        self.matcher
            .borrow_mut()
            .parameters
            .push((name.to_owned(), value.into()));
        self
    }

    /// Only requests whose parameter `name` is `value` as the client sends
    /// it: a string as itself, a number or boolean as its text, a list as
    /// its comma-separated items. What the typed `when` methods call.
    pub fn param_value(&self, name: &str, value: &impl Serialize) -> &Self {
        self.param(name, wire_text(&to_json(&self.operation, value)))
    }

    /// Only requests whose body (JSON, or form fields) has every member of
    /// `members` with the same value; other members may be there too. An
    /// object inside is matched the same way; arrays and scalars must be
    /// equal.
    pub fn body_includes(&self, members: Value) -> &Self {
        self.matcher.borrow_mut().body = Some(members);
        self
    }

    /// [`body_includes`](Self::body_includes) with a typed value: every
    /// field set on it must be in the request, with the same value.
    pub fn body_value(&self, body: &impl Serialize) -> &Self {
        self.body_includes(to_json(&self.operation, body))
    }
}

/// What the mock answers the requests a [`When`] chose, in order: each call
/// of an answer method adds the answer to the next request, and the last one
/// answers every request after it. No answer at all: the documented example.
///
/// `header`, `retry_after`, `code`, `delay` and `truncate` change the answer
/// added last.
pub struct Then {
    operation: String,
    answers: RefCell<Vec<Answer>>,
}

/// One programmed answer.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub(crate) kind: Kind,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) delay: Option<Duration>,
    /// Send only this many bytes of the body, then close the connection.
    pub(crate) truncate: Option<usize>,
}

/// What an answer is.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// The operation's documented example.
    Example,
    /// The documented success status with this payload (wrapped in the
    /// operation's envelope, if it has one).
    Success(Value),
    /// A status and a JSON body, as is.
    Json(u16, Value),
    /// An error in the provider's shape.
    Error {
        status: u16,
        code: Option<String>,
        message: String,
    },
    /// The documented success status with a CSV body.
    Csv(String),
    /// Any status, content type and bytes.
    Raw(u16, String, Bytes),
    /// The items served page by page in the operation's pagination style.
    Pages(Vec<Value>),
    /// No answer: the connection is reset.
    Reset,
}

impl Then {
    pub(crate) fn new(operation: &str) -> Self {
        Self {
            operation: operation.to_owned(),
            answers: RefCell::default(),
        }
    }

    pub(crate) fn into_answers(self) -> Vec<Answer> {
        self.answers.into_inner()
    }

    fn push(&self, kind: Kind) -> &Self {
        self.answers.borrow_mut().push(Answer {
            kind,
            headers: Vec::new(),
            delay: None,
            truncate: None,
        });
        self
    }

    fn last(&self, change: impl FnOnce(&mut Answer), what: &str) -> &Self {
        let mut answers = self.answers.borrow_mut();
        let last = answers.last_mut().unwrap_or_else(|| {
            panic!(
                "dev-platform-mock: `{}`: `{what}` changes the answer added last, and there is none yet",
                self.operation
            )
        });
        change(last);
        drop(answers);
        self
    }

    /// Answers with the operation's documented example.
    pub fn example(&self) -> &Self {
        self.push(Kind::Example)
    }

    /// Answers with the documented success status and `payload` as its body
    /// (inside the provider's `{"success": true, "data": …}` envelope where the
    /// operation has one). The typed `ok` methods call this.
    pub fn ok_json(&self, payload: Value) -> &Self {
        self.push(Kind::Success(payload))
    }

    /// [`ok_json`](Self::ok_json) with a typed value.
    pub fn ok_value(&self, payload: &impl Serialize) -> &Self {
        self.ok_json(to_json(&self.operation, payload))
    }

    /// Answers `status` with `body` exactly as given (no envelope).
    pub fn json(&self, status: u16, body: Value) -> &Self {
        self.push(Kind::Json(status, body))
    }

    /// Answers `status` with an error body in the provider's shape, holding
    /// `message` (and a code named after the status, or [`code`](Self::code)).
    pub fn error(&self, status: u16, message: impl Into<String>) -> &Self {
        self.push(Kind::Error {
            status,
            code: None,
            message: message.into(),
        })
    }

    /// The provider's error code of the error added last (`"Forbidden"`,
    /// `"not_found"`), where the provider's error shape has one.
    pub fn code(&self, code: impl Into<String>) -> &Self {
        let code = code.into();
        self.last(
            |answer| match &mut answer.kind {
                Kind::Error { code: slot, .. } => *slot = Some(code),
                other => panic!("dev-platform-mock: `code` is for an error, not {other:?}"),
            },
            "code",
        )
    }

    /// Answers with the documented success status and `text` as `text/csv`.
    pub fn csv_text(&self, text: impl Into<String>) -> &Self {
        self.push(Kind::Csv(text.into()))
    }

    /// Answers with a CSV export of `rows`: a header of `columns` and a line
    /// per row, each cell the row's member of that name (empty when the row
    /// leaves it out or it is `null`; nested values as JSON text). The typed
    /// `csv` methods call this with the row type's columns.
    pub fn csv_rows(&self, columns: &[&str], rows: &[impl Serialize]) -> &Self {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(columns).expect("CSV into memory");
        for row in rows {
            let row = to_json(&self.operation, row);
            writer
                .write_record(columns.iter().map(|column| match row.get(*column) {
                    None | Some(Value::Null) => String::new(),
                    Some(value) => wire_text(value),
                }))
                .expect("CSV into memory");
        }
        let bytes = writer.into_inner().expect("CSV into memory");
        self.csv_text(String::from_utf8(bytes).expect("CSV of UTF-8 text"))
    }

    /// Answers with `status`, a `Content-Type` of `content_type` (none when
    /// empty) and `body` byte for byte: an HTML error page, a malformed body.
    pub fn raw(&self, status: u16, content_type: &str, body: impl Into<Bytes>) -> &Self {
        self.push(Kind::Raw(status, content_type.to_owned(), body.into()))
    }

    /// Serves `items` through the operation's documented pagination, as the
    /// request asks: the page (or offset) and page size it sends, the
    /// provider's totals and page numbers filled in, an empty page past the
    /// end. The typed `pages` methods call this.
    ///
    /// # Panics
    /// When the operation does not page (no `x-pagination` in its spec).
    pub fn pages_json(&self, items: Vec<Value>) -> &Self {
        self.push(Kind::Pages(items))
    }

    /// [`pages_json`](Self::pages_json) with typed items.
    pub fn pages_of(&self, items: &[impl Serialize]) -> &Self {
        let items = items
            .iter()
            .map(|item| to_json(&self.operation, item))
            .collect();
        self.pages_json(items)
    }

    /// A fault: the connection is reset, with no answer at all.
    pub fn reset(&self) -> &Self {
        self.push(Kind::Reset)
    }

    /// Adds a header to the answer added last.
    pub fn header(&self, name: &str, value: impl Into<String>) -> &Self {
        let header = (name.to_owned(), value.into());
        self.last(|answer| answer.headers.push(header), "header")
    }

    /// `Retry-After` on the answer added last, in whole seconds (rounded up).
    pub fn retry_after(&self, wait: Duration) -> &Self {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        self.header("retry-after", seconds.to_string())
    }

    /// A fault: the answer added last comes only after `wait`.
    pub fn delay(&self, wait: Duration) -> &Self {
        self.last(|answer| answer.delay = Some(wait), "delay")
    }

    /// A fault: of the answer added last, only the status, the headers (with
    /// the whole body's `Content-Length`) and the first `bytes` bytes of the
    /// body are sent, then the connection is closed.
    pub fn truncate(&self, bytes: usize) -> &Self {
        self.last(|answer| answer.truncate = Some(bytes), "truncate")
    }
}

/// A programmed operation on a server: its matcher, its answers and how many
/// requests it answered.
pub(crate) struct Rule {
    pub(crate) operation: String,
    pub(crate) matcher: Matcher,
    pub(crate) answers: Vec<Answer>,
    pub(crate) hits: AtomicUsize,
    pub(crate) expected: Mutex<Option<usize>>,
}

impl Rule {
    /// The answer to the next request: the next in sequence, else the last.
    pub(crate) fn next_answer(&self) -> Option<Answer> {
        let hit = self.hits.fetch_add(1, Ordering::SeqCst);
        self.answers
            .get(hit.min(self.answers.len().saturating_sub(1)))
            .cloned()
    }

    /// What the matcher asks, for messages: `get_org (org = "x")`.
    pub(crate) fn describe(&self) -> String {
        let mut conditions: Vec<String> = self
            .matcher
            .parameters
            .iter()
            .map(|(name, value)| format!("{name} = {value:?}"))
            .collect();
        if let Some(body) = &self.matcher.body {
            conditions.push(format!("body includes {body}"));
        }
        if conditions.is_empty() {
            format!("`{}` (any request)", self.operation)
        } else {
            format!("`{}` ({})", self.operation, conditions.join(", "))
        }
    }
}

/// A programmed operation, as [`MockServer::mock`](crate::MockServer::mock)
/// returns it: how many requests it answered, and the expectation
/// [`MockServer::verify`](crate::MockServer::verify) (and dropping the
/// server) checks.
#[derive(Clone)]
pub struct Mock {
    pub(crate) rule: Arc<Rule>,
    pub(crate) server: Arc<crate::Shared>,
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mock")
            .field("rule", &self.rule.describe())
            .field("hits", &self.hits())
            .finish()
    }
}

impl Mock {
    /// The mock must answer exactly `times` requests before the server is
    /// verified or dropped (a test that ends early fails there, naming the
    /// operation and what it received).
    pub fn expect(self, times: usize) -> Self {
        *self.rule.expected.lock().expect("the expectation") = Some(times);
        self
    }

    /// How many requests it answered so far.
    pub fn hits(&self) -> usize {
        self.rule.hits.load(Ordering::SeqCst)
    }

    /// `Ok` when its expectation is met (or it has none); else the message
    /// [`assert`](Self::assert) panics with.
    pub fn check(&self) -> Result<(), String> {
        self.server.check_rule(&self.rule)
    }

    /// Panics unless its expectation is met, naming the operation, what was
    /// expected and every request of that operation the server received.
    #[track_caller]
    pub fn assert(&self) {
        if let Err(message) = self.check() {
            panic!("{message}");
        }
    }
}

/// `value` as JSON, for a typed answer or matcher.
fn to_json(operation: &str, value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_else(|error| {
        panic!("dev-platform-mock: `{operation}`: the value does not serialize: {error}")
    })
}

/// A JSON value as a query parameter or CSV cell carries it: a string as
/// itself, a list as its items joined by commas, anything else as JSON text.
pub(crate) fn wire_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(wire_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Whether `actual` has every member of `expected` with the same value.
pub(crate) fn includes(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => {
            expected.iter().all(|(key, expected)| {
                actual
                    .get(key)
                    .is_some_and(|actual| includes(actual, expected))
            })
        }
        // A form field is text: `"10"` matches a typed 10.
        (Value::String(text), expected) if !expected.is_string() => *text == wire_text(expected),
        _ => actual == expected,
    }
}
