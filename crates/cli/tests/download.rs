//! A raw answer (a file) through `devplat … --output`: 100 MB arrive in flat
//! memory (the process's peak resident size stays far below the file's
//! size), the file appears whole; an answer cut short is an error and leaves
//! no file.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

const SIZE: usize = 100 * 1024 * 1024;

/// A server answering one request with `announced` bytes of `Content-Length`
/// and `sent` bytes of body, then closing; its base URL.
fn file_server(announced: usize, sent: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\
             content-length: {announced}\r\nconnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        let mut left = sent;
        while left > 0 {
            let n = left.min(chunk.len());
            if stream.write_all(&chunk[..n]).is_err() {
                return;
            }
            left -= n;
        }
    });
    format!("http://{address}/api/v5")
}

/// Runs `devplat gitcode repos get-repo-raw-file … --output <output>`
/// against `base_url`: whether it succeeded, its standard error, and its
/// peak resident size in KiB (read from /proc while it runs).
fn download(base_url: &str, output: &std::path::Path) -> (bool, String, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_devplat"))
        .args([
            "gitcode",
            "repos",
            "get-repo-raw-file",
            "--owner",
            "o",
            "--repo",
            "r",
            "--path",
            "dist/big.bin",
            "--output",
        ])
        .arg(output)
        .env("GITCODE_TOKEN", "t0ken")
        .env("GITCODE_BASE_URL", base_url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let exit = loop {
        if let Some(line) = std::fs::read_to_string(&status).ok().and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        }) {
            let kib: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            peak_kib = peak_kib.max(kib);
        }
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (exit.success(), stderr, peak_kib)
}

#[test]
fn a_100_mb_file_downloads_in_flat_memory_and_appears_whole() {
    let folder = tempfile::tempdir().unwrap();
    let output = folder.path().join("big.bin");
    let (ok, stderr, peak_kib) = download(&file_server(SIZE, SIZE), &output);
    assert!(ok, "{stderr}");
    assert_eq!(std::fs::metadata(&output).unwrap().len(), SIZE as u64);
    eprintln!("peak resident size: {peak_kib} KiB");
    // Held whole, the file alone would be 100 MB.
    assert!(
        peak_kib < 48 * 1024,
        "peak resident size {peak_kib} KiB for a {} MiB download",
        SIZE >> 20
    );
    // Only the file: no temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(folder.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn a_file_cut_short_is_an_error_and_leaves_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let output = folder.path().join("big.bin");
    let (ok, stderr, _) = download(&file_server(SIZE, SIZE / 10), &output);
    assert!(!ok, "a cut-off answer succeeded");
    assert!(!stderr.contains("t0ken"), "{stderr}");
    assert!(
        std::fs::read_dir(folder.path()).unwrap().next().is_none(),
        "something was left in the folder"
    );
}
