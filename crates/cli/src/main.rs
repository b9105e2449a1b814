//! `devplat`: see the library's documentation (`dev_platform_cli`).

use std::process::ExitCode;

use clap::Parser;
use dev_platform_cli::{Cli, Output};

/// The clients' debug events (attempts, deviations from the spec) on standard
/// error, without timestamps.
fn trace_to_stderr() {
    use tracing_subscriber::layer::SubscriberExt;
    let only_ours = tracing_subscriber::filter::Targets::new()
        .with_target("dev_platform_runtime", tracing::Level::DEBUG);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .without_time()
        .with_max_level(tracing::Level::DEBUG)
        .finish()
        .with(only_ours);
    let _ = tracing::subscriber::set_global_default(subscriber);
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.verbose() {
        trace_to_stderr();
    }
    match dev_platform_cli::run(cli, &mut Output::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("devplat: {failure}");
            ExitCode::FAILURE
        }
    }
}
