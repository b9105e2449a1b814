//! `devplat`: see the library's documentation (`dev_platform_cli`).

use std::process::ExitCode;

use clap::Parser;
use dev_platform_cli::{Cli, Output};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match dev_platform_cli::run(cli, &mut Output::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("devplat: {failure}");
            ExitCode::FAILURE
        }
    }
}
