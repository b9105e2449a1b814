//! [`Route`]: what the spec says of one operation, checked before each request.

use crate::Timestamp;

/// One operation of a spec: its method, path template and documented query
/// limits. The code generator emits a table of these for every provider; the
/// [`Runtime`](crate::Runtime) checks each request against its route before it
/// is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template relative to the base URL, e.g. `/orgs/{org}/repos`.
    pub path: &'static str,
    /// The integer query parameters with a documented range.
    pub query_limits: &'static [QueryLimit],
    /// The documented longest window between two time query parameters.
    pub date_window: Option<DateWindow>,
    /// The array fields of the JSON request body with a documented length.
    pub body_limits: &'static [BodyLimit],
    /// Whether the response is a streamed export (a CSV body read as it
    /// arrives, for as long as it takes): it has no total timeout, only the
    /// client's timeout between two reads.
    pub streamed: bool,
}

/// A path parameter that may hold `/` (a file path inside a repository,
/// `x-path-slashes` in the spec) as it goes into the URL: each segment
/// percent-encoded as any path parameter is, the slashes between them kept.
/// [`Route::check_path`] then refuses an empty, `.` or `..` segment.
pub fn encode_path_segments(value: &str) -> String {
    value
        .split('/')
        .map(progenitor_client::encode_path)
        .collect::<Vec<_>>()
        .join("/")
}

/// The longest window between two time query parameters (`x-date-window` in
/// the spec), checked when both are sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateWindow {
    /// The start parameter's name on the wire.
    pub start: &'static str,
    /// The end parameter's name on the wire.
    pub end: &'static str,
    /// The longest window, in days of 24 hours.
    pub max_days: i64,
}

/// The documented length of one top-level array field of a JSON request body
/// (`minItems`/`maxItems` in the spec).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyLimit {
    /// The field's name in the body.
    pub field: &'static str,
    /// The fewest items allowed.
    pub min_items: Option<u64>,
    /// The most items allowed.
    pub max_items: Option<u64>,
}

/// The documented range of one integer query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryLimit {
    /// The query parameter's name on the wire.
    pub name: &'static str,
    /// The smallest allowed value, inclusive.
    pub minimum: Option<i64>,
    /// The largest allowed value, inclusive.
    pub maximum: Option<i64>,
}

impl Route {
    /// Checks that `path` (the request's URL path below the base URL) has the
    /// shape of this route's template: every literal segment equal, every
    /// `{parameter}` exactly one non-empty segment. A path parameter holding
    /// `..` or `.` is resolved away by URL normalisation and so fails here
    /// instead of reaching another endpoint.
    ///
    /// A last `{parameter*}` (a file path, `x-path-slashes` in the spec) is
    /// one or more segments, each of them so.
    pub fn check_path(&self, path: &str) -> Result<(), String> {
        let mut actual = path.split('/');
        for expected in self.path.split('/') {
            let Some(segment) = actual.next() else {
                return Err(self.path_error(path));
            };
            if expected.starts_with('{') && expected.ends_with("*}") {
                let fits = |segment: &str| !segment.is_empty() && segment != "." && segment != "..";
                if fits(segment) && actual.all(fits) {
                    return Ok(());
                }
                return Err(self.path_error(path));
            }
            let is_parameter = expected.starts_with('{') && expected.ends_with('}');
            let fits = if is_parameter {
                !segment.is_empty() && segment != "." && segment != ".."
            } else {
                segment == expected
            };
            if !fits {
                return Err(self.path_error(path));
            }
        }
        match actual.next() {
            None => Ok(()),
            Some(_) => Err(self.path_error(path)),
        }
    }

    fn path_error(&self, path: &str) -> String {
        format!(
            "{}: the path parameters give the path `{path}`, which does not match `{}`; \
             a path parameter must not be empty, `.` or `..`",
            self.operation_id, self.path
        )
    }

    /// Checks every query pair against the documented limits and the date
    /// window.
    pub fn check_query<'a>(
        &self,
        pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
    ) -> Result<(), String> {
        let (mut start, mut end) = (None, None);
        for (name, value) in pairs {
            if let Some(window) = &self.date_window {
                if name == window.start {
                    start = Some(value.to_string());
                } else if name == window.end {
                    end = Some(value.to_string());
                }
            }
            let Some(limit) = self.query_limits.iter().find(|limit| limit.name == name) else {
                continue;
            };
            let out_of_range = || {
                let range = match (limit.minimum, limit.maximum) {
                    (Some(min), Some(max)) => format!("between {min} and {max}"),
                    (Some(min), None) => format!("at least {min}"),
                    (None, Some(max)) => format!("at most {max}"),
                    (None, None) => "an integer".to_owned(),
                };
                format!(
                    "{}: `{name}` must be {range}, got {value}",
                    self.operation_id
                )
            };
            let number: i64 = value.parse().map_err(|_| out_of_range())?;
            if limit.minimum.is_some_and(|min| number < min)
                || limit.maximum.is_some_and(|max| number > max)
            {
                return Err(out_of_range());
            }
        }
        match (&self.date_window, start, end) {
            (Some(window), Some(start), Some(end)) => self.check_window(window, &start, &end),
            _ => Ok(()),
        }
    }

    fn check_window(&self, window: &DateWindow, start: &str, end: &str) -> Result<(), String> {
        let parse = |name: &str, value: &str| {
            Timestamp::parse(value).ok_or_else(|| {
                format!(
                    "{}: `{name}` must be RFC 3339 or Unix milliseconds, got {value}",
                    self.operation_id
                )
            })
        };
        let from = parse(window.start, start)?.as_datetime();
        let to = parse(window.end, end)?.as_datetime();
        if to < from {
            return Err(format!(
                "{}: `{}` ({end}) is before `{}` ({start})",
                self.operation_id, window.end, window.start
            ));
        }
        if to - from > chrono::TimeDelta::days(window.max_days) {
            return Err(format!(
                "{}: the window from `{}` ({start}) to `{}` ({end}) is longer than {} days",
                self.operation_id, window.start, window.end, window.max_days
            ));
        }
        Ok(())
    }

    /// Checks the lengths of the JSON body's array fields against the
    /// documented limits. A body that is not a JSON object is left to the
    /// server.
    pub fn check_body(&self, body: &[u8]) -> Result<(), String> {
        if self.body_limits.is_empty() {
            return Ok(());
        }
        let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice(body) else {
            return Ok(());
        };
        for limit in self.body_limits {
            let Some(items) = fields
                .get(limit.field)
                .and_then(serde_json::Value::as_array)
            else {
                continue;
            };
            let count = items.len() as u64;
            if limit.min_items.is_some_and(|min| count < min)
                || limit.max_items.is_some_and(|max| count > max)
            {
                let items = |n: u64| {
                    if n == 1 {
                        "1 item".to_owned()
                    } else {
                        format!("{n} items")
                    }
                };
                let range = match (limit.min_items, limit.max_items) {
                    (Some(min), Some(max)) => format!("{min} to {max} items"),
                    (Some(min), None) => format!("at least {}", items(min)),
                    (None, Some(max)) => format!("at most {}", items(max)),
                    (None, None) => unreachable!("the range was exceeded"),
                };
                return Err(format!(
                    "{}: `{}` must have {range}, got {count}",
                    self.operation_id, limit.field
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{BodyLimit, DateWindow, QueryLimit, Route, encode_path_segments};

    const ROUTE: Route = Route {
        operation_id: "get_org_member",
        method: "GET",
        path: "/orgs/{org}/members/{username}",
        query_limits: &[QueryLimit {
            name: "per_page",
            minimum: Some(1),
            maximum: Some(100),
        }],
        date_window: None,
        body_limits: &[],
        streamed: false,
    };

    const WINDOWED: Route = Route {
        operation_id: "get_ai_code_overview",
        method: "GET",
        path: "/organizations/{organization_id}/ai-code/stats/overview",
        query_limits: &[],
        date_window: Some(DateWindow {
            start: "start_date",
            end: "end_date",
            max_days: 90,
        }),
        body_limits: &[BodyLimit {
            field: "commitHashes",
            min_items: Some(1),
            max_items: Some(50),
        }],
        streamed: false,
    };

    #[test]
    fn accepts_the_template_shape_and_rejects_others() {
        assert!(ROUTE.check_path("/orgs/a/members/b").is_ok());
        assert!(ROUTE.check_path("/orgs/a%2Fb/members/b").is_ok());
        for bad in [
            "/orgs/members/b",
            "/orgs//members/b",
            "/orgs/a/members",
            "/orgs/a/members/b/c",
            "/orgs/a/owners/b",
            "/orgs/../members/b",
        ] {
            let error = ROUTE.check_path(bad).unwrap_err();
            assert!(error.contains("does not match"), "{bad}: {error}");
        }
    }

    #[test]
    fn a_file_path_parameter_keeps_its_slashes_and_nothing_else() {
        const RAW: Route = Route {
            operation_id: "get_repo_raw_file",
            path: "/repos/{owner}/{repo}/raw/{path*}",
            ..ROUTE
        };
        assert_eq!(
            encode_path_segments("docs/a b/README.md"),
            "docs/a%20b/README.md"
        );
        assert_eq!(encode_path_segments("a?b#c"), "a%3Fb%23c");
        for good in [
            "/repos/o/r/raw/README.md",
            "/repos/o/r/raw/docs/a%20b/README.md",
        ] {
            assert!(RAW.check_path(good).is_ok(), "{good}");
        }
        for bad in [
            "/repos/o/r/raw",
            "/repos/o/r/raw/",
            "/repos/o/r/raw/docs//README.md",
            "/repos/o/r/raw/../../x",
            "/repos/o/r/raw/docs/./x",
            "/repos/o/r/tree/x",
        ] {
            let error = RAW.check_path(bad).unwrap_err();
            assert!(error.contains("does not match"), "{bad}: {error}");
        }
    }

    #[test]
    fn checks_query_limits() {
        let pairs = |query: &'static str| url_pairs(query);
        assert!(ROUTE.check_query(pairs("per_page=100&page=7")).is_ok());
        assert_eq!(
            ROUTE.check_query(pairs("per_page=101")).unwrap_err(),
            "get_org_member: `per_page` must be between 1 and 100, got 101"
        );
        assert!(ROUTE.check_query(pairs("per_page=0")).is_err());
        assert!(ROUTE.check_query(pairs("per_page=x")).is_err());
    }

    #[test]
    fn checks_the_date_window_in_either_form() {
        let pairs = |query: &'static str| url_pairs(query);
        for fits in [
            "start_date=2025-06-01T00:00:00Z&end_date=2025-06-30T23:59:59Z",
            "start_date=2025-06-01T00:00:00Z&end_date=2025-08-30T00:00:00Z",
            "start_date=1748736000000&end_date=2025-06-02T00:00:00Z",
            "start_date=2025-06-01T00:00:00Z",
        ] {
            assert!(WINDOWED.check_query(pairs(fits)).is_ok(), "{fits}");
        }
        assert_eq!(
            WINDOWED
                .check_query(pairs(
                    "start_date=2025-06-01T00:00:00Z&end_date=2025-08-30T00:00:01Z"
                ))
                .unwrap_err(),
            "get_ai_code_overview: the window from `start_date` (2025-06-01T00:00:00Z) \
             to `end_date` (2025-08-30T00:00:01Z) is longer than 90 days"
        );
        let reversed = WINDOWED
            .check_query(pairs(
                "start_date=2025-06-02T00:00:00Z&end_date=1748736000000",
            ))
            .unwrap_err();
        assert!(reversed.contains("is before `start_date`"), "{reversed}");
        let garbled = WINDOWED
            .check_query(pairs("start_date=June&end_date=1748736000000"))
            .unwrap_err();
        assert!(
            garbled.contains("RFC 3339 or Unix milliseconds"),
            "{garbled}"
        );
    }

    #[test]
    fn checks_array_lengths_in_the_body() {
        let hashes = |count: usize| {
            serde_json::to_vec(&serde_json::json!({ "commitHashes": vec!["abc"; count] })).unwrap()
        };
        assert!(WINDOWED.check_body(&hashes(1)).is_ok());
        assert!(WINDOWED.check_body(&hashes(50)).is_ok());
        assert_eq!(
            WINDOWED.check_body(&hashes(51)).unwrap_err(),
            "get_ai_code_overview: `commitHashes` must have 1 to 50 items, got 51"
        );
        assert!(WINDOWED.check_body(&hashes(0)).is_err());
        assert!(ROUTE.check_body(b"not json").is_ok());
    }

    fn url_pairs(
        query: &'static str,
    ) -> impl Iterator<
        Item = (
            std::borrow::Cow<'static, str>,
            std::borrow::Cow<'static, str>,
        ),
    > {
        query.split('&').map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            (name.into(), value.into())
        })
    }
}
