//! `devplat` interrupted (SIGINT, as Ctrl-C sends it, or SIGTERM) while an
//! export streams into `--output`: it exits with the shell's code for the
//! signal and leaves no file, not even the temporary one it was writing.
#![cfg(unix)]

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{COMMITS_CSV_HEAD, send_chunk, serve, start_csv};

/// A server on 127.0.0.1 that answers with the start of a chunked CSV export
/// and then stalls, holding the connection open. Returns its base URL.
fn stalling_export() -> String {
    serve(|_, stream| {
        start_csv(stream);
        send_chunk(stream, COMMITS_CSV_HEAD);
        std::thread::sleep(Duration::from_secs(60));
    })
}

fn entries(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn interrupted_export_leaves_nothing(signal: &str, code: i32) {
    let folder = tempfile::tempdir().unwrap();
    let output = folder.path().join("commits.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_devplat"))
        .args([
            "qoder",
            "export-tracked-commits",
            "--organization-id",
            "o",
            "--output",
        ])
        .arg(&output)
        .env("QODER_API_KEY", "key")
        .env("QODER_BASE_URL", stalling_export())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the export is being written: the temporary file is there.
    let started = Instant::now();
    while !entries(folder.path())
        .iter()
        .any(|name| name.ends_with(".partial"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !output.exists(),
        "nothing at the output's path while it is written"
    );
    // The shell's own `kill`: no procps needed.
    let killed = Command::new("sh")
        .args(["-c", &format!("kill {signal} {}", child.id())])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(code), "{stderr}");
    assert!(stderr.contains("devplat: interrupted"), "{stderr}");
    assert!(
        entries(folder.path()).is_empty(),
        "{:?}",
        entries(folder.path())
    );
}

#[test]
fn ctrl_c_leaves_no_file() {
    interrupted_export_leaves_nothing("-INT", 130);
}

#[test]
fn sigterm_leaves_no_file() {
    interrupted_export_leaves_nothing("-TERM", 143);
}
