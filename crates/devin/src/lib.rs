#![doc = include_str!("../README.md")]
//!
//! ## This crate
//!
//! Generated from `specs/devin.yaml` by `cargo xtask regenerate`
//! ([`generated`](self) code is never edited by hand); the hand-written
//! [`client`] module holds the provider's settings, [`error`] tells the
//! documented error statuses apart, and [`answers`] reads what the two
//! sources answer in shapes a rename cannot join.
//!
//! The seed is a page of examples, and Devin's v2 reference differs from it
//! in places: requests are sent as the reference documents them (`skip` and
//! `limit`, `display_name`), and responses decode in both shapes (`members` or
//! `items`, `role` or `enterprise_role`, `id` or `org_id`, a bare array of
//! cycles or `{"cycles": [...]}`, a time as RFC 3339 or Unix milliseconds,
//! …). Only the fields that identify a record (a member's `email`, an
//! organization's or a session's `id`, a cycle's `start_date`) must be there;
//! everything else is an `Option`, `None` when the server leaves it out, and
//! fields the spec does not know are kept in `extra`. Errors convert into [`ApiError`], which tells 401 (invalid API
//! key), 403 (no Enterprise admin rights) and 429 (rate limit, with
//! `Retry-After`) apart. The API key is sent as `Authorization: Bearer`, marked
//! sensitive; `Debug` of a client or builder never shows it.

pub mod answers;
pub mod client;
pub mod error;
#[allow(missing_docs, clippy::all)]
mod generated;

pub use dev_platform_runtime::Error;
pub use dev_platform_runtime::{
    ConfigError, DateOrDateTime, ErrorBody, Id, Secret, Timestamp, TokenPlacement, UnknownValue,
};
pub use error::ApiError;
pub use generated::*;
