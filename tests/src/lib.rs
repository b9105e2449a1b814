//! Support for the workspace-level tests under `tests/tests/`: reading the specs,
//! describing the generated surface of a provider crate, inspecting what a
//! client sent to a mock server, and the fast loopback server of the
//! benchmarks.

pub mod cli;
pub mod instances;
pub mod loopback;
pub mod spec;
pub mod surface;
pub mod variants;
pub mod wire;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace")
        .to_path_buf()
}

/// The README's Rust examples, compiled as doctests so they cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Captures every `tracing` event up to DEBUG on this thread while the guard
/// lives (a scoped subscriber: a test binary using it should hold only tests
/// that do, since it competes with other threads for tracing's callsite
/// cache): the text written, and the guard.
pub fn capture_traces() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

/// A writer into a shared buffer, to capture what a CLI run or a `tracing`
/// subscriber writes.
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("the buffer").clone()).expect("UTF-8")
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
