//! `devplat` in a shell: an exit code per kind of failure, a provider's error
//! as one line, and completion scripts that complete.

use std::process::Command;

use dev_platform_cli::Kind;
use dev_platform_tests::cli::devplat_run;
use dev_platform_tests::loopback::{Answer, Loopback};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The variables that send GitCode calls to `base_url` with a token.
fn gitcode_at(base_url: String) -> impl Fn(&str) -> Option<String> + Sync {
    move |name: &str| match name {
        "GITCODE_TOKEN" => Some("t0ken".to_owned()),
        "GITCODE_BASE_URL" => Some(base_url.clone()),
        _ => None,
    }
}

const GET_ORG: [&str; 4] = ["gitcode", "get-org", "--org", "acme"];

#[tokio::test]
async fn a_provider_error_is_one_line_with_status_code_message_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "error_code": 404,
            "error_code_name": "NOT_FOUND",
            "error_message": "Not Found Group:\n acme",
            "trace_id": "c0ffee-42",
        })))
        .mount(&server)
        .await;
    let (printed, result) = devplat_run(&GET_ORG, &gitcode_at(server.uri()), None).await;
    assert_eq!(printed, "");
    let failure = result.unwrap_err();
    assert_eq!((failure.kind(), failure.exit_code()), (Kind::Provider, 3));
    assert_eq!(
        failure.to_string(),
        "the server answered 404 Not Found: 404: Not Found Group: acme (request id c0ffee-42)"
    );
    // A request id in a header wins over one in the body.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-request-id", "hdr-7")
                .set_body_json(serde_json::json!({"message": "403 Forbidden"})),
        )
        .mount(&server)
        .await;
    let (_, result) = devplat_run(&GET_ORG, &gitcode_at(server.uri()), None).await;
    assert_eq!(
        result.unwrap_err().to_string(),
        "the server answered 403 Forbidden: 403 Forbidden (request id hdr-7)"
    );
}

#[tokio::test]
async fn each_kind_of_failure_has_its_exit_code() {
    // 1: no token.
    let (_, result) = devplat_run(&GET_ORG, &|_| None, None).await;
    let failure = result.unwrap_err();
    assert_eq!(
        (failure.kind(), failure.exit_code()),
        (Kind::Other, 1),
        "{failure}"
    );
    // 2: a documented limit, refused before sending (Qoder allows 365 days at most).
    let args = [
        "--mock",
        "qoder",
        "get-ai-code-overview",
        "--organization-id",
        "org",
        "--start-date",
        "2024-01-01T00:00:00Z",
        "--end-date",
        "2025-06-30T00:00:00Z",
    ];
    let (_, result) = devplat_run(&args, &|_| None, None).await;
    let failure = result.unwrap_err();
    assert_eq!(
        (failure.kind(), failure.exit_code()),
        (Kind::Usage, 2),
        "{failure}"
    );
    // 4: nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let (_, result) = devplat_run(&GET_ORG, &gitcode_at(format!("http://{address}")), None).await;
    let failure = result.unwrap_err();
    assert_eq!(
        (failure.kind(), failure.exit_code()),
        (Kind::Network, 4),
        "{failure}"
    );
    // 5: an answer that is not JSON.
    let server = Loopback::start(std::time::Duration::ZERO, |_| {
        Answer::Json("<html>maintenance</html>".into())
    });
    let (_, result) = devplat_run(&GET_ORG, &gitcode_at(server.base_url().to_owned()), None).await;
    let failure = result.unwrap_err();
    assert_eq!(
        (failure.kind(), failure.exit_code()),
        (Kind::Answer, 5),
        "{failure}"
    );
}

#[tokio::test]
async fn the_help_lists_the_exit_codes() {
    use clap::CommandFactory;
    let help = dev_platform_cli::Cli::command().render_help().to_string();
    for line in [
        "Exit codes:",
        "  2  usage",
        "  3  the provider answered with an error",
        "  4  network",
        "  5  the answer could not be used",
    ] {
        assert!(help.contains(line), "{line:?} is not in --help:\n{help}");
    }
}

async fn completions(shell: &str) -> String {
    let (script, result) = devplat_run(&["completions", shell], &|_| None, None).await;
    result.unwrap();
    script
}

#[tokio::test]
async fn bash_completes_providers_operations_and_options() {
    let script = completions("bash").await;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &script).unwrap();
    // What bash offers after `devplat gitcode orgs list-org-m<TAB>` and after
    // `devplat --for<TAB>`, as its completion function computes it.
    let complete = |words: &str| {
        let program = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"{words}\"; COMP_POINT=${{#COMP_LINE}}; \
             _devplat devplat \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.path().display()
        );
        let output = Command::new("bash")
            .args(["-c", &program])
            .output()
            .expect("bash");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        complete("devplat gitcode orgs list-org-m").trim(),
        "list-org-members"
    );
    // The API groups.
    assert_eq!(
        complete("devplat gitcode re")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["releases", "repos"]
    );
    assert_eq!(complete("devplat qo").trim(), "qoder");
    assert!(complete("devplat --for").contains("--format"));
    assert!(complete("devplat gitcode orgs list-org-members --per").contains("--per-page"));
}

#[tokio::test]
async fn zsh_fish_and_powershell_scripts_name_every_operation() {
    let zsh = completions("zsh").await;
    assert!(zsh.starts_with("#compdef devplat"), "{}", &zsh[..80]);
    for shell_script in [
        zsh,
        completions("fish").await,
        completions("powershell").await,
    ] {
        for operation in [
            "list-org-members",
            "export-tracked-commits",
            "list-session-insights",
            "format",
        ] {
            assert!(shell_script.contains(operation), "{operation}");
        }
    }
}
