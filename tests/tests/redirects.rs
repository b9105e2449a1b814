//! Credentials stay with their origin: every redirect status × every token
//! placement × a redirect within the base URL's origin (followed, the token on
//! the new request exactly once) and to another origin (refused with
//! `Error::Redirect` naming the target; the other origin receives nothing),
//! for every provider; a POST after a 303 becomes a GET, after a 307 it stays
//! a POST with its body; a redirect loop ends; a plain http base URL to
//! another machine is refused.

use clap::Parser;
use dev_platform_runtime::{ClientBuilder, Error, Provider, RedirectRefusal, TokenPlacement};
use dev_platform_tests::cli::devplat_with;
use gitcode_api::client::{ACCESS_TOKEN_QUERY, BEARER, PRIVATE_TOKEN_HEADER};
use gitcode_api::types::CreateRepoRequest;
use serde_json::json;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "redirect-secret-5c1d";
const CODES: [u16; 5] = [301, 302, 303, 307, 308];
const PLACEMENTS: [TokenPlacement; 3] = [PRIVATE_TOKEN_HEADER, BEARER, ACCESS_TOKEN_QUERY];

/// A server whose every path ending in `/moved` (or `/moved/repos`) answers
/// `200` with `body`, and every other path `code` with `Location: location`.
async fn redirecting(code: u16, location: &str, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    let location = location.to_owned();
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &Request| {
            let path = request.url.path();
            if path.ends_with("/moved") || path.ends_with("/moved/repos") {
                ResponseTemplate::new(200).set_body_json(body.clone())
            } else {
                ResponseTemplate::new(code).insert_header("Location", location.as_str())
            }
        })
        .mount(&server)
        .await;
    server
}

/// An organization that is also a repository, for either operation.
fn org_or_repo() -> serde_json::Value {
    json!({"id": 1, "login": "o", "full_name": "o/r"})
}

fn client<C: Provider>(base_url: &str, placement: Option<TokenPlacement>) -> C {
    let mut builder = ClientBuilder::<C>::new()
        .token(TOKEN)
        .base_url(base_url)
        .max_attempts(1);
    if let Some(placement) = placement {
        builder = builder.token_placement(placement);
    }
    builder.build().unwrap()
}

/// How many times the token is on `request`, in headers and query together.
fn tokens(request: &Request) -> usize {
    let in_headers = request
        .headers
        .values()
        .filter(|value| value.to_str().is_ok_and(|text| text.contains(TOKEN)))
        .count();
    let in_query = request
        .url
        .query_pairs()
        .filter(|(_, value)| value.contains(TOKEN))
        .count();
    in_headers + in_query
}

/// Whether the token is where `placement` puts it.
fn placed(request: &Request, placement: TokenPlacement) -> bool {
    let header = |name: &str, value: &str| request.headers.get(name).is_some_and(|v| v == value);
    match placement {
        TokenPlacement::Bearer => header("authorization", &format!("Bearer {TOKEN}")),
        TokenPlacement::Header(name) => header(name, TOKEN),
        TokenPlacement::Query(name) => request
            .url
            .query_pairs()
            .any(|(key, value)| key == name && value == TOKEN),
        _ => false,
    }
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_the_token_once() {
    for placement in PLACEMENTS {
        for code in CODES {
            // The target names a query parameter of the token's name: the
            // client's own token replaces it, once.
            let location = "/orgs/moved?access_token=not-ours&x=1";
            let server = redirecting(code, location, org_or_repo()).await;
            let gitcode: gitcode_api::Client = client(&server.uri(), Some(placement));
            let org = gitcode.get_org().org("o").send().await;
            let at = format!("{code} {placement:?}");
            assert_eq!(org.map(|org| org.id).ok(), Some(1), "{at}");
            let requests = server.received_requests().await.unwrap();
            assert_eq!(requests.len(), 2, "{at}");
            assert_eq!(requests[1].url.path(), "/orgs/moved", "{at}");
            assert!(
                requests[1]
                    .url
                    .query_pairs()
                    .any(|(k, v)| k == "x" && v == "1"),
                "{at}"
            );
            for request in &requests {
                assert_eq!(tokens(request), 1, "{at}: {}", request.url);
                assert!(placed(request, placement), "{at}: {}", request.url);
            }
        }
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused_and_nothing_goes_there() {
    let elsewhere = MockServer::start().await;
    for placement in PLACEMENTS {
        for code in CODES {
            let port = url::Url::parse(&elsewhere.uri()).unwrap().port().unwrap();
            for target in [
                format!("{}/orgs/moved", elsewhere.uri()),
                // Same address, another host name: another origin too.
                format!("http://localhost:{port}/orgs/moved"),
                // Another scheme.
                format!("https://127.0.0.1:{port}/orgs/moved"),
            ] {
                let server =
                    redirecting(code, &format!("{target}?access_token=x"), org_or_repo()).await;
                let gitcode: gitcode_api::Client = client(&server.uri(), Some(placement));
                let at = format!("{code} {placement:?} {target}");
                let error = gitcode.get_org().org("o").send().await.unwrap_err();
                let Error::Redirect {
                    status,
                    target: shown,
                    reason,
                } = &error
                else {
                    panic!("{at}: expected Redirect, got {error:?}");
                };
                assert_eq!(status.as_u16(), code, "{at}");
                assert_eq!(shown, &target, "{at}: the target, without its query");
                assert_eq!(*reason, RedirectRefusal::OtherOrigin, "{at}");
                assert!(error.to_string().contains(&target), "{error}");
                assert!(
                    !error.to_string().contains(TOKEN) && !format!("{error:?}").contains(TOKEN)
                );
                assert_eq!(server.received_requests().await.unwrap().len(), 1, "{at}");
            }
        }
    }
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the other origin received nothing"
    );
}

#[tokio::test]
async fn every_provider_keeps_its_key_at_home() {
    let elsewhere = MockServer::start().await;
    for code in CODES {
        for (same_origin, location) in [
            (true, "/moved".to_owned()),
            (false, format!("{}/moved", elsewhere.uri())),
        ] {
            let at = format!("{code} to {location}");
            let qoder_server = redirecting(code, &location, json!({"fileExtensions": []})).await;
            let qoder: qoder_api::Client = client(&qoder_server.uri(), None);
            let result = qoder
                .list_ai_code_file_extensions()
                .organization_id("org")
                .send()
                .await;
            assert_eq!(result.is_ok(), same_origin, "qoder {at}: {result:?}");

            let devin_server = redirecting(code, &location, json!({"members": []})).await;
            let devin: devin_api::Client = client(&devin_server.uri(), None);
            let result = devin.list_members().send().await;
            assert_eq!(result.is_ok(), same_origin, "devin {at}: {result:?}");
            if !same_origin {
                assert!(matches!(result, Err(Error::Redirect { .. })), "devin {at}");
            }
            for server in [&qoder_server, &devin_server] {
                for request in server.received_requests().await.unwrap() {
                    assert_eq!(
                        request.headers.get("authorization").unwrap(),
                        format!("Bearer {TOKEN}").as_str()
                    );
                }
            }
        }
    }
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_post_after_a_303_is_a_get_and_after_a_307_the_same_post() {
    for (code, method, body) in [
        (303, "GET", None),
        (301, "GET", None),
        (307, "POST", Some(json!({"name": "r"}))),
        (308, "POST", Some(json!({"name": "r"}))),
    ] {
        let server = redirecting(code, "/orgs/o/moved/repos", org_or_repo()).await;
        let gitcode: gitcode_api::Client = client(&server.uri(), None);
        let repo = gitcode
            .create_org_repo()
            .org("o")
            .body(CreateRepoRequest::builder().name("r"))
            .send()
            .await
            .unwrap();
        assert_eq!(repo.full_name, "o/r");
        let requests = server.received_requests().await.unwrap();
        let second = &requests[1];
        assert_eq!(second.method.as_str(), method, "{code}");
        let sent: Option<serde_json::Value> = serde_json::from_slice(&second.body).ok();
        assert_eq!(sent, body, "{code}");
        assert_eq!(
            second.headers.get("content-type").is_some(),
            body.is_some(),
            "{code}"
        );
        assert_eq!(tokens(second), 1, "{code}");
    }
}

#[tokio::test]
async fn a_redirect_loop_ends_after_ten() {
    let server = redirecting(302, "/orgs/again", org_or_repo()).await;
    let gitcode: gitcode_api::Client = client(&server.uri(), None);
    let error = gitcode.get_org().org("o").send().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Redirect {
                reason: RedirectRefusal::TooMany,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 11);
}

#[tokio::test]
async fn plain_http_to_another_machine_needs_allow_http() {
    let vars = |name: &str| (name == gitcode_api::client::TOKEN_ENV).then(|| TOKEN.to_owned());
    let args = |extra: &[&str]| {
        [
            "--base-url",
            "http://api.gitcode.example/api/v5",
            "gitcode",
            "get-org",
            "--org",
            "o",
        ]
        .iter()
        .chain(extra)
        .map(|arg| arg.to_string())
        .collect::<Vec<_>>()
    };
    let refused = devplat_with(&args(&[]), &vars).await.unwrap_err();
    assert!(
        refused.contains("plain http to another machine"),
        "{refused}"
    );
    assert!(refused.contains("--allow-http"), "{refused}");
    assert!(!refused.contains(TOKEN));
    let built = ClientBuilder::<gitcode_api::Client>::new()
        .token(TOKEN)
        .base_url("http://api.gitcode.example/api/v5")
        .allow_http(true)
        .build();
    assert!(built.is_ok());
    let parsed = dev_platform_cli::Cli::try_parse_from(dev_platform_cli::args(
        std::iter::once("devplat".to_owned()).chain(args(&["--allow-http"])),
    ));
    assert!(parsed.is_ok(), "--allow-http is an option of every command");
}
