//! A typed client for the Devin Enterprise API v2: members and invitations,
//! organizations and their repository permissions, consumption cycles, session
//! insights and audit logs.
//!
//! Generated from `specs/devin.yaml` by `cargo xtask regenerate`
//! ([`generated`](self) code is never edited by hand); the hand-written
//! [`client`] module holds the provider's settings and [`error`] tells the
//! documented error statuses apart.
//!
//! Every operation is a method of [`Client`] named after its `operationId`; it
//! returns a builder with one method per parameter and `send()`:
//!
//! ```no_run
//! use devin_api::{ApiError, Client};
//!
//! # async fn run() -> Result<(), ApiError> {
//! let client = Client::from_env().expect("DEVIN_API_KEY"); // optional DEVIN_BASE_URL
//! let members = client.list_members().send().await?;
//! for member in &members.members {
//!     println!("{} - {}", member.email, member.role);
//! }
//! let cycles = client.list_consumption_cycles().send().await?;
//! if let Some(current) = cycles.cycles.first() {
//!     println!("{} to {}: {} ACUs", current.start_date, current.end_date, current.acus_used);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The documentation is a page of examples, and the public reference differs
//! from it in places; responses decode in both shapes (`members` or `items`,
//! `role` or `enterprise_role`, `id` or `org_id`, …), and what no source shows
//! is optional. Errors convert into [`ApiError`], which tells 401 (invalid API
//! key), 403 (no Enterprise admin rights) and 429 (rate limit, with
//! `Retry-After`) apart. The API key is sent as `Authorization: Bearer`, marked
//! sensitive; `Debug` of a client or builder never shows it.

pub mod client;
pub mod error;
#[allow(missing_docs, clippy::all)]
mod generated;

pub use dev_platform_runtime::Error;
pub use dev_platform_runtime::{
    ConfigError, DateOrDateTime, ErrorBody, Timestamp, TokenPlacement, UnknownValue,
};
pub use error::ApiError;
pub use generated::*;
