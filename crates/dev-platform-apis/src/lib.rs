#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The shared runtime: client builder, token placement, ids, open enums,
/// timestamps, error bodies and CSV exports.
pub use dev_platform_runtime as runtime;

/// The GitCode API v5 client (`gitcode-api`).
#[cfg(feature = "gitcode")]
#[cfg_attr(docsrs, doc(cfg(feature = "gitcode")))]
pub use gitcode_api as gitcode;

/// The Qoder API v1 client (`qoder-api`).
#[cfg(feature = "qoder")]
#[cfg_attr(docsrs, doc(cfg(feature = "qoder")))]
pub use qoder_api as qoder;

/// The Devin Enterprise API v2 client (`devin-api`).
#[cfg(feature = "devin")]
#[cfg_attr(docsrs, doc(cfg(feature = "devin")))]
pub use devin_api as devin;
