//! Support for the workspace-level tests under `tests/tests/`: reading the specs,
//! describing the generated surface of a provider crate, and inspecting what a
//! client sent to a mock server.

pub mod spec;
pub mod surface;
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
