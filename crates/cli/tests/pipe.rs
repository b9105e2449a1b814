//! `devplat … --all | head -1`: the first item is printed as soon as its page
//! arrives, and when the reader goes away the command ends quietly (exit code
//! 0, nothing on standard error) without asking for the pages after: in every
//! format.
#![cfg(unix)]

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::Members;

#[test]
fn a_closed_pipe_ends_all_after_a_page_or_two() {
    // 1,000 pages of 100 members; every answer takes 100 ms, time enough for
    // `head` to read its line and exit before the second page is written.
    let server = Members::start(1_000, Duration::from_millis(100));
    let folder = tempfile::tempdir().unwrap();
    let stderr = folder.path().join("stderr");
    let started = Instant::now();
    // Compact JSON is one line: its reader stops after a byte.
    for (format, head) in [
        ("ndjson", "head -1"),
        ("csv", "head -1"),
        ("table", "head -1"),
        ("json", "head -c 1"),
    ] {
        let before = server.requests();
        let output = Command::new("bash")
            .args(["-o", "pipefail", "-c"])
            .arg(format!(
                "\"$DEVPLAT\" gitcode list-org-members --org acme --per-page 100 --all --format {format} 2>\"$STDERR\" | {head}"
            ))
            .env("DEVPLAT", env!("CARGO_BIN_EXE_devplat"))
            .env("STDERR", &stderr)
            .env("GITCODE_TOKEN", "t0ken")
            .env("GITCODE_BASE_URL", &server.base_url)
            .output()
            .unwrap();
        let first: String = String::from_utf8(output.stdout)
            .unwrap()
            .chars()
            .take(300)
            .collect();
        let errors = std::fs::read_to_string(&stderr).unwrap();
        assert!(
            output.status.success(),
            "{format}: {:?}, stderr: {errors}",
            output.status
        );
        assert_eq!(errors, "", "{format}: no message, no panic");
        match format {
            "ndjson" => {
                let item: serde_json::Value = serde_json::from_str(&first).unwrap();
                assert_eq!(item["login"], "user0");
            }
            "json" => assert_eq!(first, "["),
            "csv" => assert!(first.starts_with("avatar_url,"), "{first}"),
            _ => assert!(first.starts_with("id "), "{format}: {first}"),
        }
        let requests = server.requests() - before;
        assert!(
            (1..=2).contains(&requests),
            "{format}: {requests} pages requested"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(20));
}
