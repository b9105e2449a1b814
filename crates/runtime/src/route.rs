//! [`Route`]: what the spec says of one operation, checked before each request.

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
    pub fn check_path(&self, path: &str) -> Result<(), String> {
        let mut actual = path.split('/');
        for expected in self.path.split('/') {
            let Some(segment) = actual.next() else {
                return Err(self.path_error(path));
            };
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

    /// Checks every query pair against the documented limits.
    pub fn check_query<'a>(
        &self,
        pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
    ) -> Result<(), String> {
        for (name, value) in pairs {
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{QueryLimit, Route};

    const ROUTE: Route = Route {
        operation_id: "get_org_member",
        method: "GET",
        path: "/orgs/{org}/members/{username}",
        query_limits: &[QueryLimit {
            name: "per_page",
            minimum: Some(1),
            maximum: Some(100),
        }],
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
