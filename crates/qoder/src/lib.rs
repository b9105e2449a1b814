#![doc = include_str!("../README.md")]
//!
//! ## This crate
//!
//! Generated from `specs/qoder.yaml` by `cargo xtask regenerate`
//! ([`generated`](self) code is never edited by hand); the hand-written
//! [`client`] module holds the provider's settings and [`error`] reads Qoder's
//! documented error body into a [`QoderError`].
//!
//! What the client checks and decodes for you:
//! - documented limits before sending, as `Error::InvalidRequest`: both dates
//!   and a window of at most 90 days for the overview, daily trend and member
//!   ranking; 1 to 50 `commitHashes`; `per_page` and `maxResults` ≤ 100;
//!   `pageSize` ≤ 200;
//! - the tracking API's `{"success": true, "data": …}` envelope: `send()`
//!   returns `data`, and `"success": false` is `Error::Api`;
//! - pages: `stream()` follows the page numbers of the metrics and tracking
//!   lists and the cursors (`nextToken`, `nextCredits`) of the member list and
//!   a member's usage events;
//! - responses that stray from the documentation: only the fields that
//!   identify a record (`commitHash`, `changeId`, a member's `id`, …) must
//!   be there; every other field is an `Option`, `None` when `null` or left
//!   out, a number sent as text decodes, and fields the spec does not know are
//!   kept in `extra`;
//! - errors: an error status is `Error::Api` carrying the status and an
//!   [`ErrorBody`], decoded tolerantly with the raw JSON kept;
//!   [`QoderError::from_error`] reads it as the body Qoder documents
//!   (`requestId`, `code`, `message`, `details`), with the code as an
//!   [`ErrorCode`]: `BadRequest` (400), `Unauthorized` (401), `Forbidden`
//!   (403), `NotFound` (404), `AlreadyExists` (409), `InternalError` (500), or
//!   another kept as it arrived;
//! - CSV exports ([`CsvExport`]): typed rows decoded incrementally in flat
//!   memory, a header lacking a column or an export cut off mid-row is an
//!   [`ExportError`], never a silently shorter result.
//!
//! The API key is sent as `Authorization: Bearer`, marked sensitive; `Debug` of
//! a client or builder never shows it.

pub mod client;
pub mod error;
#[allow(missing_docs, clippy::all)]
mod generated;

pub use dev_platform_runtime::Error;
pub use dev_platform_runtime::{
    CommaSeparated, ConfigError, CsvExport, CsvRows, ErrorBody, ExportError, Timestamp,
    TokenPlacement, UnknownValue,
};
pub use error::{ErrorCode, QoderError};
pub use generated::*;
