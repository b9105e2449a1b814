#![doc = include_str!("../README.md")]
//!
//! ## This crate
//!
//! Generated from `specs/gitcode.yaml` by `cargo xtask regenerate`
//! ([`generated`](self) code is never edited by hand); the hand-written
//! [`client`] module builds clients.
//!
//! Errors are [`Error`]: a wrong argument (a missing required parameter, a
//! `per_page` over 100, a path parameter that is empty, `.` or `..`) is
//! `Error::InvalidRequest` and nothing is sent; an error status is `Error::Api`
//! with the status, GitCode's code and message (or an HTML page's text) and the
//! request id; then `Timeout`, `Network`, and `Decode` for a success body that
//! does not decode (with the JSON path of the offending value).
//!
//! Responses decode tolerantly: only the fields that identify a resource (ids,
//! `login`, `path`, a membership's `user`) must be there; every other field is
//! an `Option`, `None` when `null` or left out; a number sent as its text, or
//! an id sent as a number, decodes; fields the spec does not know are kept in
//! each type's `extra`. [`ClientBuilder::strict`](dev_platform_runtime::ClientBuilder::strict)
//! instead refuses anything the spec does not document, listing each deviation.
//!
//! The token is sent in the `PRIVATE-TOKEN` header, marked sensitive; `Debug` of
//! a client or builder never shows it. [`client::ACCESS_TOKEN_QUERY`] sends it as
//! the `access_token` query parameter instead, for deployments that need it.

pub mod client;
#[allow(missing_docs, clippy::all)]
mod generated;

pub use dev_platform_runtime::Error;
pub use dev_platform_runtime::{ConfigError, Id, TokenPlacement, UnknownValue};
pub use generated::*;
