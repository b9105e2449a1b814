//! A typed client for the Qoder API v1: AI-code metrics (overview, daily trend,
//! member ranking, repositories, file extensions, commit attribution) and
//! AI-code tracking (commits and changes, listed page by page or exported as CSV).
//!
//! Generated from `specs/qoder.yaml` by `cargo xtask regenerate`
//! ([`generated`](self) code is never edited by hand); the hand-written
//! [`client`] module holds the provider's settings.
//!
//! Every operation is a method of [`Client`] named after its `operationId`; it
//! returns a builder with one method per parameter and `send()`. Times are a
//! `chrono::DateTime<Utc>` or Unix milliseconds (`i64`), sent as RFC 3339:
//!
//! ```no_run
//! use chrono::{Duration, Utc};
//! use futures_util::TryStreamExt;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = qoder_api::Client::from_env()?; // QODER_API_KEY, optional QODER_BASE_URL
//!
//! // The AI share of the organization's committed code over the last 30 days.
//! let now = Utc::now();
//! let overview = client
//!     .get_ai_code_overview()
//!     .organization_id("org_xxx")
//!     .start_date(now - Duration::days(30))
//!     .end_date(now)
//!     .send()
//!     .await?;
//! if let Some(rate) = overview.ai_share_rate {
//!     println!("AI share: {rate:.1}%");
//! }
//!
//! // Every commit since 1 June 2025 (Unix milliseconds), as typed rows.
//! let mut rows = client
//!     .export_tracked_commits()
//!     .organization_id("org_xxx")
//!     .start_date(1_748_736_000_000_i64)
//!     .csv()
//!     .await?
//!     .rows();
//! while let Some(commit) = rows.try_next().await? {
//!     // An empty cell is `None`, never a made-up 0 or "".
//!     let repo = commit.repo_name.as_deref().unwrap_or("?");
//!     println!("{} {repo} +{:?}", commit.commit_hash, commit.total_lines_added);
//! }
//!
//! // The same export, copied unparsed to a file.
//! let mut file = tokio::fs::File::create("ai-code-commits.csv").await?;
//! let bytes = client
//!     .export_tracked_commits()
//!     .organization_id("org_xxx")
//!     .csv()
//!     .await?
//!     .copy_to(&mut file)
//!     .await?;
//! println!("wrote {bytes} bytes");
//! # Ok(())
//! # }
//! ```
//!
//! What the client checks and decodes for you:
//! - documented limits before sending, as `Error::InvalidRequest`: both dates
//!   and a window of at most 90 days for the overview, daily trend and member
//!   ranking; 1 to 50 `commitHashes`; `per_page` ≤ 100; `pageSize` ≤ 200;
//! - the tracking API's `{"success": true, "data": …}` envelope: `send()`
//!   returns `data`, and `"success": false` is `Error::Api`;
//! - responses that stray from the documentation: only the fields that
//!   identify a record (`commitHash`, `changeId`, `userId`, …) must be there;
//!   every other field is an `Option`, `None` when `null` or left out, a
//!   number sent as text decodes, and fields the spec does not know are kept
//!   in `extra`;
//! - errors: a documented status (400, 401, 403, 500) is `Error::Api` carrying
//!   the status and an [`ErrorBody`] with the provider's code and message,
//!   decoded tolerantly with the raw JSON kept;
//! - CSV exports ([`CsvExport`]): typed rows decoded incrementally in flat
//!   memory, a header lacking a column or an export cut off mid-row is an
//!   [`ExportError`], never a silently shorter result.
//!
//! The API key is sent as `Authorization: Bearer`, marked sensitive; `Debug` of
//! a client or builder never shows it.

pub mod client;
#[allow(missing_docs, clippy::all)]
mod generated;

pub use dev_platform_runtime::Error;
pub use dev_platform_runtime::{
    CommaSeparated, ConfigError, CsvExport, CsvRows, ErrorBody, ExportError, Timestamp,
    TokenPlacement, UnknownValue,
};
pub use generated::*;
