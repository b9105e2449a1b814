//! Redirects, followed by the runtime itself so that credentials stay with
//! their origin.
//!
//! The builders' `reqwest::Client` follows no redirect: reqwest strips
//! `Authorization` on a cross-origin redirect, but not a custom header such as
//! GitCode's `PRIVATE-TOKEN`, nor a token in the query. The runtime follows a
//! redirect only within the origin (scheme, host and port) of the request,
//! which is the configured base URL's, at most [`MAX_REDIRECTS`] times, putting
//! the credential on the new request as on the first; it never follows one to
//! another origin (nor from https to http): the call fails with
//! [`Error::Redirect`](crate::Error::Redirect) naming the target, and nothing
//! is sent there.

use std::fmt;

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::{Method, StatusCode, Url};

/// The most redirects one call follows.
pub const MAX_REDIRECTS: usize = 10;

/// Why the runtime did not follow a redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectRefusal {
    /// The target is another origin (scheme, host or port): the credential
    /// would go with it.
    OtherOrigin,
    /// The target is plain http, the request was https.
    Downgrade,
    /// More than [`MAX_REDIRECTS`] redirects in one call.
    TooMany,
    /// The `Location` is missing or not a URL.
    NoTarget,
}

impl fmt::Display for RedirectRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OtherOrigin => {
                "it is another origin than the configured base URL's, and credentials never \
                 leave it; point the client's base URL there if the API has moved"
            }
            Self::Downgrade => "it would go from https to plain http",
            Self::TooMany => "too many redirects",
            Self::NoTarget => "it names no valid target",
        })
    }
}

/// Whether a response is a redirect the runtime may follow, and where to.
pub(crate) enum Decision {
    /// Not a redirect: the response is the answer.
    Answer,
    /// Send the next request here, with this method (a 303, or a 301/302 after
    /// a POST, becomes a GET without a body).
    Follow(Url, Method),
    /// A redirect that is not followed: the response goes back to the caller,
    /// who reports it as [`Error::Redirect`](crate::Error::Redirect).
    Refuse,
}

/// What to do with `response` to a request for `from` with `method`, after
/// `followed` redirects in this call.
pub(crate) fn decide(
    from: &Url,
    method: &Method,
    response: &reqwest::Response,
    followed: usize,
) -> Decision {
    let status = response.status();
    if !is_redirect(status) {
        return Decision::Answer;
    }
    let Some(target) = target(from, response) else {
        return Decision::Refuse;
    };
    if refusal(from, &target, followed).is_some() {
        return Decision::Refuse;
    }
    let method = match status.as_u16() {
        303 if *method != Method::HEAD => Method::GET,
        301 | 302 if *method == Method::POST => Method::GET,
        _ => method.clone(),
    };
    Decision::Follow(target, method)
}

/// The statuses that redirect: 301, 302, 303, 307, 308.
pub(crate) fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The `Location` of a response, resolved against the URL it answered.
pub(crate) fn target(from: &Url, response: &reqwest::Response) -> Option<Url> {
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    from.join(location).ok()
}

/// Why a redirect from `from` to `to`, after `followed` others, is not
/// followed, if it is not.
pub(crate) fn refusal(from: &Url, to: &Url, followed: usize) -> Option<RedirectRefusal> {
    if from.scheme() == "https" && to.scheme() == "http" {
        Some(RedirectRefusal::Downgrade)
    } else if from.origin() != to.origin() {
        Some(RedirectRefusal::OtherOrigin)
    } else if followed >= MAX_REDIRECTS {
        Some(RedirectRefusal::TooMany)
    } else {
        None
    }
}

/// The request to send after a redirect: `previous` (as prepared: headers,
/// credential) for `target` with `method`; a request turned into a GET loses
/// its body and the headers describing it.
pub(crate) fn next_request(
    mut previous: reqwest::Request,
    target: Url,
    method: Method,
) -> reqwest::Request {
    if method != *previous.method() {
        *previous.body_mut() = None;
        previous.headers_mut().remove(CONTENT_TYPE);
        previous.headers_mut().remove(CONTENT_LENGTH);
        *previous.method_mut() = method;
    }
    *previous.url_mut() = target;
    previous
}

/// A URL as an error may show it: without its query (which may hold a token)
/// and fragment.
pub(crate) fn shown(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::{MAX_REDIRECTS, RedirectRefusal, refusal, shown};
    use reqwest::Url;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn only_the_same_origin_is_followed_and_never_down_to_http() {
        let base = url("https://api.gitcode.com/api/v5/orgs/o");
        for (to, expected) in [
            ("https://api.gitcode.com/api/v5/orgs/O", None),
            ("https://api.gitcode.com:443/elsewhere?page=2", None),
            (
                "https://api.gitcode.com:8443/api/v5/orgs/O",
                Some(RedirectRefusal::OtherOrigin),
            ),
            (
                "https://gitcode.com/api/v5/orgs/O",
                Some(RedirectRefusal::OtherOrigin),
            ),
            (
                "https://evil.example/steal",
                Some(RedirectRefusal::OtherOrigin),
            ),
            (
                "http://api.gitcode.com/api/v5/orgs/O",
                Some(RedirectRefusal::Downgrade),
            ),
        ] {
            assert_eq!(refusal(&base, &url(to), 0), expected, "{to}");
        }
        let loopback = url("http://127.0.0.1:8080/x");
        assert_eq!(
            refusal(&loopback, &url("http://localhost:8080/x"), 0),
            Some(RedirectRefusal::OtherOrigin)
        );
        assert_eq!(
            refusal(&loopback, &url("https://127.0.0.1:8080/x"), 0),
            Some(RedirectRefusal::OtherOrigin)
        );
        assert_eq!(
            refusal(
                &loopback,
                &url("http://127.0.0.1:8080/y"),
                MAX_REDIRECTS - 1
            ),
            None
        );
        assert_eq!(
            refusal(&loopback, &url("http://127.0.0.1:8080/y"), MAX_REDIRECTS),
            Some(RedirectRefusal::TooMany)
        );
    }

    #[test]
    fn a_shown_target_has_no_query() {
        assert_eq!(
            shown(&url("https://evil.example/p?access_token=secret#x")),
            "https://evil.example/p"
        );
    }
}
