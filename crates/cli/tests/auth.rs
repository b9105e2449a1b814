//! `devplat auth`: a token stored by `login` (from standard input, or through
//! GitCode's OAuth authorization-code flow) is what a later call without
//! `GITCODE_TOKEN` sends; `status` says where it comes from without showing
//! it; `logout` deletes it; a keyring that cannot be used is an error naming
//! the variable to set instead. The keyring here is the test stand-in
//! (`DEVPLAT_TEST_KEYRING_FILE`); the mock server plays GitCode.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use dev_platform_mock::{MockServer, Provider};

const TOKEN: &str = "keyring-t0ken-5ecret";

/// `devplat` with nothing of the caller's environment but `PATH`: no token
/// variable, the stand-in keyring at `keyring`, GitCode at `base_url`.
fn devplat(keyring: &Path, base_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_devplat"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DEVPLAT_TEST_KEYRING_FILE", keyring)
        .env("GITCODE_BASE_URL", base_url)
        .stdin(Stdio::null());
    command
}

fn run(command: &mut Command, stdin: Option<&str>) -> Output {
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_stored_with_login_is_what_a_call_without_the_variable_sends() {
    let mock = MockServer::start(Provider::Gitcode).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let keyring = home.path().join("keyring.json");
    let base_url = mock.base_url().to_owned();

    // Nothing stored yet: a call fails naming the variable.
    let before = run(
        devplat(&keyring, &base_url).args(["gitcode", "users", "get-current-user"]),
        None,
    );
    assert!(!before.status.success());
    assert!(
        text(&before.stderr).contains("GITCODE_TOKEN"),
        "{}",
        text(&before.stderr)
    );

    let login = run(
        devplat(&keyring, &base_url).args(["auth", "login", "--with-token"]),
        Some(&format!("{TOKEN}\n")),
    );
    assert!(login.status.success(), "{}", text(&login.stderr));
    let said = text(&login.stdout) + &text(&login.stderr);
    assert!(said.contains("system keyring"), "{said}");
    assert!(!said.contains(TOKEN));

    let status = run(devplat(&keyring, &base_url).args(["auth", "status"]), None);
    let status_text = text(&status.stdout);
    assert!(
        status_text.contains("gitcode: the token comes from the system keyring"),
        "{status_text}"
    );
    assert!(!status_text.contains(TOKEN));

    // The call, without GITCODE_TOKEN: the stored token in the header.
    let call = run(
        devplat(&keyring, &base_url).args(["gitcode", "users", "get-current-user"]),
        None,
    );
    assert!(call.status.success(), "{}", text(&call.stderr));
    let received = mock.received();
    let request = received.last().unwrap();
    assert_eq!(request.uri.path(), "/api/v5/user");
    assert_eq!(
        request
            .headers
            .get("private-token")
            .and_then(|value| value.to_str().ok()),
        Some(TOKEN)
    );

    // The variable wins over the keyring, and status says so.
    let status = run(
        devplat(&keyring, &base_url)
            .env("GITCODE_TOKEN", "from-the-variable")
            .args(["auth", "status"]),
        None,
    );
    assert!(text(&status.stdout).contains("gitcode: the token comes from GITCODE_TOKEN"));

    let logout = run(devplat(&keyring, &base_url).args(["auth", "logout"]), None);
    assert!(logout.status.success());
    assert!(text(&logout.stdout).contains("Logged out of gitcode"));
    let status = run(devplat(&keyring, &base_url).args(["auth", "status"]), None);
    assert!(text(&status.stdout).contains("gitcode: no token"));
    let after = run(
        devplat(&keyring, &base_url).args(["gitcode", "users", "get-current-user"]),
        None,
    );
    assert!(!after.status.success());
}

#[test]
fn an_empty_token_and_a_missing_keyring_are_clear_errors() {
    let home = tempfile::tempdir().unwrap();
    let keyring = home.path().join("keyring.json");
    let empty = run(
        devplat(&keyring, "http://127.0.0.1:9/api/v5").args(["auth", "login", "--with-token"]),
        Some("\n"),
    );
    assert_eq!(empty.status.code(), Some(2));
    assert!(text(&empty.stderr).contains("standard input holds no token"));

    // A keyring that cannot be written (its file's folder does not exist):
    // the error names the variable to use instead, never the token.
    let nowhere = home.path().join("missing").join("keyring.json");
    let failed = run(
        devplat(&nowhere, "http://127.0.0.1:9/api/v5").args(["auth", "login", "--with-token"]),
        Some(TOKEN),
    );
    assert!(!failed.status.success());
    let error = text(&failed.stderr);
    assert!(error.contains("set GITCODE_TOKEN instead"), "{error}");
    assert!(!error.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_flow_exchanges_the_code_and_stores_the_token() {
    let mock = MockServer::start(Provider::Gitcode).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let keyring = home.path().join("keyring.json");
    let mut child = devplat(&keyring, mock.base_url())
        .env("GITCODE_CLIENT_ID", "app-id")
        .env("GITCODE_CLIENT_SECRET", "app-5ecret")
        .args(["auth", "login", "--no-browser"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The authorization address it prints: the redirect URI and state in it.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let address = line
        .split_whitespace()
        .find(|word| word.starts_with("http"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let authorize = reqwest::Url::parse(address).unwrap();
    assert_eq!(authorize.path(), "/oauth/authorize");
    let pair = |name: &str| {
        authorize
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .unwrap()
    };
    assert_eq!(pair("client_id"), "app-id");
    assert_eq!(pair("response_type"), "code");
    let redirect = pair("redirect_uri");
    let state = pair("state");
    assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
    assert_eq!(state.len(), 32);

    // The browser coming back: first with another sign-in's state (refused,
    // still waiting), then with the code.
    let http = dev_platform_runtime::http_client_builder()
        .unwrap()
        .build()
        .unwrap();
    let wrong = http
        .get(format!("{redirect}?code=c0de&state=not-{state}"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    let right = http
        .get(format!("{redirect}?code=c0de&state={state}"))
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(output.status.success());

    // The exchange: the documented query and body, no personal token.
    let received = mock.received();
    let exchange = received
        .iter()
        .find(|request| request.operation.as_deref() == Some("exchange_oauth_token"))
        .expect("the code was exchanged");
    assert_eq!(exchange.uri.path(), "/oauth/token");
    let query: Vec<(String, String)> = url_pairs(exchange.uri.query().unwrap_or_default());
    assert!(
        query.contains(&("grant_type".into(), "authorization_code".into())),
        "{query:?}"
    );
    assert!(query.contains(&("code".into(), "c0de".into())));
    assert!(query.contains(&("client_id".into(), "app-id".into())));
    assert!(!query.iter().any(|(key, _)| key == "client_secret"));
    let body: serde_json::Value = serde_json::from_slice(&exchange.body).unwrap();
    assert_eq!(body, serde_json::json!({"client_secret": "app-5ecret"}));
    assert!(exchange.headers.get("private-token").is_none());
    assert!(exchange.headers.get("authorization").is_none());

    // The stored token is the mock's answer, and it was never printed.
    let stored: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&keyring).unwrap()).unwrap();
    let token = stored["gitcode_token"].as_str().unwrap().to_owned();
    assert!(!token.is_empty());
    let said = text(&output.stdout);
    assert!(said.contains("Logged in to gitcode"), "{said}");
    assert!(!said.contains(&token));
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{query}"))
        .unwrap()
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}
