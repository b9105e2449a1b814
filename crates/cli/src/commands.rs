//! The operations of each provider as subcommands, generated from the specs by
//! `cargo xtask regenerate` (never edited by hand).

#[allow(missing_docs, clippy::all)]
pub mod devin;
#[allow(missing_docs, clippy::all)]
pub mod gitcode;
#[allow(missing_docs, clippy::all)]
pub mod qoder;
