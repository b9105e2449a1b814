//! `devplat`: see the library's documentation (`dev_platform_cli`).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use dev_platform_cli::{Cli, Kind, Output};

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
    let cli = Cli::parse_from(dev_platform_cli::args(std::env::args_os()));
    if cli.verbose() {
        trace_to_stderr();
    }
    let mut output = Output::stdout();
    // On Ctrl-C or SIGTERM the command is dropped where it stands: a file it
    // was writing is removed (see `--output`), and the exit code says why.
    let result = tokio::select! {
        result = dev_platform_cli::run(cli, &mut output) => result,
        signal = interrupted() => {
            eprintln!("devplat: interrupted");
            return ExitCode::from(signal);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of standard output went away (`| head -1`): nothing
        // more is wanted, and nothing is wrong.
        Err(failure) if failure.kind() == Kind::ClosedOutput => ExitCode::SUCCESS,
        Err(failure) => {
            let colour = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
            let prefix = if colour {
                "\x1b[1;31mdevplat:\x1b[0m"
            } else {
                "devplat:"
            };
            eprintln!("{prefix} {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Waits for Ctrl-C (SIGINT) or, on Unix, SIGTERM; the shell's exit code for
/// it: 130 or 143.
async fn interrupted() -> u8 {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut terminate) = signal(SignalKind::terminate()) else {
            let _ = tokio::signal::ctrl_c().await;
            return 130;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => 130,
            _ = terminate.recv() => 143,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        130
    }
}
