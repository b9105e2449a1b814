//! The xtask's library: what the tests share with `cargo xtask`.
//!
//! - [`surface`]: a generated provider crate's public surface as text, the
//!   text the insta snapshots under `tests/tests/snapshots/` hold;
//! - [`semver`]: that text's changes classified as breaking or additive, and
//!   the version a crate then needs;
//! - [`tools`]: the MCP tools of a spec (`devplat mcp`), for the generated
//!   tool tables and the surface snapshots.

pub mod semver;
pub mod surface;
pub mod tools;
