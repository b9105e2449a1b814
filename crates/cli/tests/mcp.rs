//! `devplat mcp` driven over stdio as an MCP host drives it: `initialize`,
//! `tools/list`, `tools/call`, one JSON-RPC message per line.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

/// A host: the server's process, its stdin, and its stdout's lines.
struct Host {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    next_id: u64,
}

impl Host {
    /// Starts `devplat <args> mcp <mcp_args>` and initializes the session.
    fn start(args: &[&str], vars: &[(&str, &str)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_devplat"));
        command
            .args(args)
            .env_remove("GITCODE_TOKEN")
            .env_remove("QODER_API_KEY")
            .env_remove("DEVIN_API_KEY")
            .envs(vars.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("devplat starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut host = Host {
            child,
            stdin,
            lines,
            next_id: 1,
        };
        let initialized = host.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "test-host", "version": "1.0"},
            }),
        );
        assert_eq!(initialized["result"]["serverInfo"]["name"], "devplat");
        assert!(initialized["result"]["capabilities"]["tools"].is_object());
        host.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        host
    }

    fn send(&mut self, message: Value) {
        writeln!(self.stdin, "{message}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request and waits for its response (notifications skipped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .expect("an answer within 30 s");
            let message: Value = serde_json::from_str(&line)
                .unwrap_or_else(|error| panic!("not JSON-RPC ({error}): {line}"));
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    fn tools(&mut self) -> Vec<Value> {
        let listed = self.request("tools/list", json!({}));
        listed["result"]["tools"].as_array().expect("tools").clone()
    }

    /// `tools/call`: the result, or the JSON-RPC error.
    fn call(&mut self, name: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": name, "arguments": arguments}))
    }

    /// Closes stdin and returns what the server wrote on stderr.
    fn finish(self) -> String {
        drop(self.stdin);
        let output = self.child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

/// The structured result of a successful call, checked against the tool's
/// `outputSchema`.
fn structured(tools: &[Value], name: &str, answer: &Value) -> Value {
    let result = &answer["result"];
    assert_ne!(result["isError"], json!(true), "{name}: {answer}");
    let content = result["structuredContent"].clone();
    assert!(content.is_object(), "{name}: {answer}");
    let tool = tools
        .iter()
        .find(|tool| tool["name"] == name)
        .expect("listed");
    let schema = &tool["outputSchema"];
    assert!(schema.is_object(), "{name} has an output schema");
    let validator = jsonschema::validator_for(schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(&content)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}\n{content}");
    content
}

#[test]
fn the_read_only_tools_are_listed_with_their_schemas_and_hints() {
    let mut host = Host::start(&["--mock", "mcp", "--toolsets", "all"], &[]);
    let tools = host.tools();
    let names: Vec<&str> = tools
        .iter()
        .filter_map(|tool| tool["name"].as_str())
        .collect();
    for name in [
        "gitcode_get_org",
        "gitcode_list_org_members",
        "qoder_get_ai_code_overview",
        "qoder_export_tracked_commits",
        // A POST that only reads, marked `x-read-only` in the spec.
        "qoder_get_commit_attributions",
        "devin_list_members",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    for name in [
        "gitcode_update_org",
        "gitcode_remove_org_member",
        "devin_invite_members",
        "devin_create_organization",
    ] {
        assert!(!names.contains(&name), "{name} writes: not listed");
    }
    for tool in &tools {
        assert_eq!(tool["annotations"]["readOnlyHint"], true, "{tool}");
        assert_eq!(tool["annotations"]["destructiveHint"], false, "{tool}");
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert!(tool["description"].as_str().is_some_and(|d| !d.is_empty()));
        jsonschema::validator_for(&tool["inputSchema"]).expect("a valid input schema");
    }
    let get_org = tools
        .iter()
        .find(|tool| tool["name"] == "gitcode_get_org")
        .unwrap();
    assert_eq!(get_org["inputSchema"]["required"], json!(["org"]));
    let commits = tools
        .iter()
        .find(|tool| tool["name"] == "qoder_list_tracked_commits")
        .unwrap();
    let properties = &commits["inputSchema"]["properties"];
    // Named exactly as the spec names them, with their limits.
    assert_eq!(properties["pageSize"]["maximum"], 200, "{properties}");
    assert!(properties["startDate"].is_object());
    assert_eq!(properties["all"]["type"], "boolean");
    host.finish();
}

#[test]
fn a_call_per_provider_answers_the_mocks_data() {
    let mut host = Host::start(&["--mock", "mcp", "--toolsets", "all"], &[]);
    let tools = host.tools();

    let answer = host.call("gitcode_get_org", json!({"org": "openharmony"}));
    let org = structured(&tools, "gitcode_get_org", &answer);
    assert!(org["login"].is_string(), "{org}");

    let answer = host.call(
        "gitcode_list_org_members",
        json!({"org": "openharmony", "per_page": 5}),
    );
    let members = structured(&tools, "gitcode_list_org_members", &answer);
    assert!(
        members["items"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
    );

    let answer = host.call(
        "qoder_list_tracked_commits",
        json!({"organization_id": "org_xxx", "startDate": "2025-06-01T00:00:00Z", "all": true}),
    );
    let commits = structured(&tools, "qoder_list_tracked_commits", &answer);
    assert_eq!(commits["truncated"], false, "{commits}");
    assert!(commits["items"][0]["commitHash"].is_string(), "{commits}");

    let answer = host.call(
        "qoder_get_commit_attributions",
        json!({"organization_id": "org_xxx", "body": {"commitHashes": ["abc123def456"]}}),
    );
    structured(&tools, "qoder_get_commit_attributions", &answer);

    let answer = host.call(
        "qoder_export_tracked_commits",
        json!({"organization_id": "org_xxx", "startDate": 1748736000000u64}),
    );
    let export = structured(&tools, "qoder_export_tracked_commits", &answer);
    assert_eq!(export["rows"], 1, "{export}");
    assert_eq!(export["columns"][0], "commitHash");
    assert_eq!(export["preview"][0]["userName"], "张三", "{export}");

    let answer = host.call("devin_list_members", json!({}));
    let members = structured(&tools, "devin_list_members", &answer);
    assert!(
        members
            .as_object()
            .is_some_and(|members| !members.is_empty())
    );
    host.finish();
}

#[test]
fn refused_limits_and_bad_arguments_are_errors_and_the_server_goes_on() {
    let mut host = Host::start(&["--mock", "mcp", "--toolsets", "all"], &[]);
    // 364 days: the client refuses it before sending, as a tool error.
    let answer = host.call(
        "qoder_get_ai_code_overview",
        json!({
            "organization_id": "org_xxx",
            "start_date": "2025-01-01T00:00:00Z",
            "end_date": "2025-12-31T00:00:00Z",
        }),
    );
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    let reason = answer["result"]["content"][0]["text"].as_str().unwrap();
    assert!(reason.contains("longer than 90 days"), "{reason}");

    // A body the client refuses before sending it: no commit hash (1 to 50).
    let answer = host.call(
        "qoder_get_commit_attributions",
        json!({"organization_id": "org_xxx", "body": {"commitHashes": []}}),
    );
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    let reason = answer["result"]["content"][0]["text"].as_str().unwrap();
    assert!(reason.contains("commitHashes"), "{reason}");

    // Arguments that do not fit the schema: JSON-RPC's invalid params.
    for (name, arguments) in [
        ("gitcode_get_org", json!({"orgg": "x"})),
        ("gitcode_get_org", json!({})),
        (
            "gitcode_list_org_members",
            json!({"org": "o", "per_page": "many"}),
        ),
        ("no_such_tool", json!({})),
    ] {
        let answer = host.call(name, arguments);
        assert_eq!(answer["error"]["code"], -32602, "{name}: {answer}");
    }
    // A tool that writes is not there without --allow-writes.
    let answer = host.call(
        "gitcode_remove_org_member",
        json!({"org": "o", "username": "u"}),
    );
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("--allow-writes"), "{message}");

    // Still answering.
    let answer = host.call("gitcode_get_org", json!({"org": "openharmony"}));
    assert!(
        answer["result"]["structuredContent"]["login"].is_string(),
        "{answer}"
    );
    host.finish();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_providers_error_is_a_tool_error_with_its_status_and_message() {
    // A mock server of our own, answering 404 for one organization.
    let mock = dev_platform_mock::MockServer::start(dev_platform_mock::Provider::Gitcode)
        .await
        .unwrap();
    let _missing = mock.mock("get_org", |when, then| {
        when.param("org", "no-such-org");
        then.error(404, "404 Not Found Group");
    });
    let base_url = mock.base_url().to_owned();
    let (missing, found) = tokio::task::spawn_blocking(move || {
        let mut host = Host::start(
            &["mcp"],
            &[
                ("GITCODE_TOKEN", "gc-token"),
                ("GITCODE_BASE_URL", base_url.as_str()),
            ],
        );
        let missing = host.call("gitcode_get_org", json!({"org": "no-such-org"}));
        let found = host.call("gitcode_get_org", json!({"org": "openharmony"}));
        host.finish();
        (missing, found)
    })
    .await
    .unwrap();
    assert_eq!(missing["result"]["isError"], true, "{missing}");
    let reason = missing["result"]["content"][0]["text"].as_str().unwrap();
    assert!(
        reason.contains("404") && reason.contains("Not Found Group"),
        "{reason}"
    );
    assert!(
        found["result"]["structuredContent"]["login"].is_string(),
        "{found}"
    );
}

#[test]
fn allow_writes_adds_the_tools_that_write_with_their_hints() {
    let mut host = Host::start(
        &["--mock", "mcp", "--allow-writes", "--toolsets", "all"],
        &[],
    );
    let tools = host.tools();
    let tool = |name: &str| {
        tools
            .iter()
            .find(|tool| tool["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"))
            .clone()
    };
    let remove = tool("gitcode_remove_org_member");
    assert_eq!(remove["annotations"]["readOnlyHint"], false);
    assert_eq!(remove["annotations"]["destructiveHint"], true);
    // An update overwrites what was there: not only additive.
    assert_eq!(
        tool("gitcode_update_org")["annotations"]["destructiveHint"],
        true
    );
    let invite = tool("devin_invite_members");
    assert_eq!(invite["annotations"]["destructiveHint"], false);
    assert!(invite["inputSchema"]["properties"]["body"].is_object());
    assert!(tool("gitcode_get_org")["annotations"]["readOnlyHint"] == true);

    let answer = host.call(
        "devin_invite_members",
        json!({"body": {"emails": ["alice@example.com"]}}),
    );
    structured(&tools, "devin_invite_members", &answer);
    host.finish();
}

#[test]
fn a_token_appears_in_no_result_error_or_log_line() {
    const SECRET: &str = "gc-secret-token-5f1e";
    // Nothing listens on port 9: every call fails to connect.
    let mut host = Host::start(
        &["-v", "mcp", "--toolsets", "all"],
        &[
            ("GITCODE_TOKEN", SECRET),
            ("GITCODE_BASE_URL", "http://127.0.0.1:9/api/v5"),
        ],
    );
    let answer = host.call("gitcode_get_org", json!({"org": "openharmony"}));
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    assert!(!answer.to_string().contains(SECRET), "{answer}");
    // A provider without its token fails its calls with the reason.
    let answer = host.call(
        "qoder_list_tracked_commits",
        json!({"organization_id": "o"}),
    );
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    let reason = answer["result"]["content"][0]["text"].as_str().unwrap();
    assert!(reason.contains("QODER_API_KEY"), "{reason}");
    let stderr = host.finish();
    assert!(!stderr.contains(SECRET), "{stderr}");
}

/// The JSON-RPC message of an answer over HTTP: the body itself, or the
/// `data:` of its server-sent event.
fn message_of(body: &str) -> Value {
    let text = body
        .lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(str::trim)
        .find(|data| data.starts_with('{'))
        .unwrap_or(body);
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON-RPC ({error}): {body}"))
}

#[tokio::test]
async fn the_streamable_http_transport_serves_the_same_tools_on_loopback() {
    let mut child = Killed(
        Command::new(env!("CARGO_BIN_EXE_devplat"))
            .args(["--mock", "mcp", "--http", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = BufReader::new(child.0.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("devplat mcp: serving MCP at ")
        .unwrap_or_else(|| panic!("the address on stderr: {line}"))
        .to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/mcp"),
        "{url}"
    );

    // The runtime's reqwest builder: rustls with ring, as the clients use it.
    let http = dev_platform_runtime::http_client_builder()
        .unwrap()
        .build()
        .unwrap();
    let post = |session: Option<String>, message: Value| {
        let mut request = http
            .post(&url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18");
        if let Some(session) = session {
            request = request.header("mcp-session-id", session);
        }
        request.body(message.to_string()).send()
    };
    let initialized = post(
        None,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "test-host", "version": "1.0"},
        }}),
    )
    .await
    .unwrap();
    assert_eq!(initialized.status(), 200);
    let session = initialized.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let answer = message_of(&initialized.text().await.unwrap());
    assert_eq!(
        answer["result"]["serverInfo"]["name"], "devplat",
        "{answer}"
    );
    post(
        Some(session.clone()),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    )
    .await
    .unwrap();

    let listed = post(
        Some(session.clone()),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
    )
    .await
    .unwrap();
    let listed = message_of(&listed.text().await.unwrap());
    let tools = listed["result"]["tools"].as_array().unwrap();
    assert!(
        tools
            .iter()
            .all(|tool| tool["annotations"]["readOnlyHint"] == true)
    );

    let called = post(
        Some(session),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "gitcode_get_org", "arguments": {"org": "openharmony"},
        }}),
    )
    .await
    .unwrap();
    let called = message_of(&called.text().await.unwrap());
    assert!(
        called["result"]["structuredContent"]["login"].is_string(),
        "{called}"
    );

    // Another host name than a loopback one is refused (DNS rebinding).
    let foreign = http
        .post(&url)
        .header("host", "attacker.example")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize"}).to_string())
        .send()
        .await
        .unwrap();
    assert!(foreign.status().is_client_error(), "{}", foreign.status());

    // So is a page of another origin (a browser's cross-site request), while
    // a page served from this machine is answered.
    let initialize = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test-host", "version": "1.0"},
    }});
    for (origin, accepted) in [
        ("https://attacker.example", false),
        ("null", false),
        ("http://localhost:3000", true),
        ("http://127.0.0.1:8080", true),
    ] {
        let answer = http
            .post(&url)
            .header("origin", origin)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-06-18")
            .body(initialize.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            answer.status().is_success(),
            accepted,
            "Origin: {origin}: {}",
            answer.status()
        );
        if !accepted {
            assert_eq!(answer.status(), 403, "Origin: {origin}");
        }
    }
}

#[test]
fn toolsets_choose_the_groups_offered_and_the_default_fits_an_agents_context() {
    let names = |args: &[&str]| -> Vec<String> {
        let mut host = Host::start(args, &[]);
        let tools = host.tools();
        host.finish();
        tools
            .iter()
            .map(|tool| tool["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let default = names(&["--mock", "mcp"]);
    assert!(
        (10..=40).contains(&default.len()),
        "{} tools by default: {default:?}",
        default.len()
    );
    let every_read = names(&["--mock", "mcp", "--toolsets", "all"]);
    assert!(every_read.len() > default.len());
    assert!(default.iter().all(|name| every_read.contains(name)));

    // One group: its read-only tools, and nothing else.
    let orgs = names(&["--mock", "mcp", "--toolsets", "gitcode:orgs"]);
    assert!(orgs.contains(&"gitcode_get_org".to_owned()), "{orgs:?}");
    assert!(
        orgs.iter().all(|name| name.starts_with("gitcode_")),
        "{orgs:?}"
    );
    assert!(!orgs.contains(&"gitcode_update_org".to_owned()));
    // A provider's name: all its groups.
    let devin = names(&["--mock", "mcp", "--toolsets", "devin,gitcode:orgs"]);
    assert!(
        devin
            .iter()
            .all(|name| name.starts_with("devin_") || orgs.contains(name))
    );
    assert!(
        devin.contains(&"devin_list_organizations".to_owned()),
        "{devin:?}"
    );
    // With writes.
    let writes = names(&[
        "--mock",
        "mcp",
        "--toolsets",
        "gitcode:orgs",
        "--allow-writes",
    ]);
    assert!(writes.contains(&"gitcode_update_org".to_owned()));

    // An unknown toolset is refused, listing those that exist.
    let refused = refused_at_start(&["mcp", "--toolsets", "gitcode:nope"]);
    assert!(
        refused.contains("gitcode:nope") && refused.contains("gitcode:orgs"),
        "{refused}"
    );
}

/// A server process, killed when the test ends (however it ends).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `devplat <args>`, which must refuse to start: what it said on
/// stderr.
fn refused_at_start(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_devplat"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success(), "{args:?} started");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn base_url_is_refused_since_the_server_calls_three() {
    let stderr = refused_at_start(&["--base-url", "http://127.0.0.1:9", "mcp"]);
    assert!(stderr.contains("GITCODE_BASE_URL"), "{stderr}");
}

#[test]
fn http_is_served_on_a_loopback_address_only() {
    let stderr = refused_at_start(&["--mock", "mcp", "--http", "0.0.0.0:0"]);
    assert!(stderr.contains("a loopback address only"), "{stderr}");
}
