//! Typed Rust clients for developer-platform APIs, generated from the specs under
//! `specs/`, one cargo feature per provider (all on by default):
//!
//! | feature | module | crate | API |
//! |---|---|---|---|
//! | `gitcode` | [`gitcode`] | `gitcode-api` | GitCode API v5: organizations and enterprises |
//! | `qoder` | [`qoder`] | `qoder-api` | Qoder API v1: AI-code metrics and tracking, CSV exports |
//! | `devin` | [`devin`] | `devin-api` | Devin Enterprise API v2: members, organizations, consumption, sessions, audit logs |
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use dev_platform_apis::gitcode;
//!
//! let client = gitcode::Client::from_env()?;
//! let org = client.get_org().org("openharmony").send().await?;
//! // Only the ids and the login are sure to be there; the rest is `None` when
//! // the server leaves it out.
//! let name = org.name.as_deref().unwrap_or(&org.login);
//! match org.follow_count {
//!     Some(count) => println!("{name} has {count} followers"),
//!     None => println!("{name}: no follower count"),
//! }
//! # Ok(())
//! # }
//! ```

/// The shared runtime: client builder, token placement, ids, open enums,
/// timestamps, error bodies and CSV exports.
pub use dev_platform_runtime as runtime;

/// The GitCode API v5 client (`gitcode-api`).
#[cfg(feature = "gitcode")]
pub use gitcode_api as gitcode;

/// The Qoder API v1 client (`qoder-api`).
#[cfg(feature = "qoder")]
pub use qoder_api as qoder;

/// The Devin Enterprise API v2 client (`devin-api`).
#[cfg(feature = "devin")]
pub use devin_api as devin;
