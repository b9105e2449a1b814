//! `cargo xtask regenerate [--check] [PROVIDER...]`: compiles every spec under
//! `specs/` into `crates/<provider>/src/generated.rs`.
//!
//! The pipeline per spec: load ([`spec`]), lint ([`lint`], which also validates
//! every example against its schema), generate with progenitor and post-process
//! ([`generate`]), format with rustfmt, then write or, with `--check`, compare.

mod generate;
mod lint;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask regenerate [--check] [PROVIDER...]

Compiles specs/<PROVIDER>.yaml into crates/<PROVIDER>/src/generated.rs (every spec when
no provider is named). With --check nothing is written; the command fails naming each
generated file that differs from what the specs give.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if command != "regenerate" {
        eprintln!("unknown command `{command}`\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let mut check = false;
    let mut providers = Vec::new();
    for arg in rest {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with('-') => {
                eprintln!("unknown option `{flag}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
            provider => providers.push(provider.to_owned()),
        }
    }
    match regenerate(&workspace_root(), check, &providers) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Regenerates (or checks) the named providers, or all of them.
fn regenerate(root: &Path, check: bool, providers: &[String]) -> Result<(), String> {
    let specs = spec::discover(root, providers)?;
    let mut failures = Vec::new();
    let mut stale = Vec::new();
    for spec_path in &specs {
        let output = match spec::Spec::load(root, spec_path)
            .and_then(|spec| lint::check(&spec).map(|()| spec))
            .and_then(|spec| generate::generate(&spec))
        {
            Ok(output) => output,
            Err(message) => {
                failures.push(message);
                continue;
            }
        };
        let target = root.join(&output.path);
        let current = std::fs::read_to_string(&target).ok();
        if current.as_deref() == Some(output.text.as_str()) {
            println!("{}: up to date", output.path.display());
        } else if check {
            stale.push(output.path.display().to_string());
        } else {
            std::fs::write(&target, &output.text)
                .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
            println!("{}: written", output.path.display());
        }
    }
    if !stale.is_empty() {
        failures.push(format!(
            "stale generated code (run `cargo xtask regenerate`):\n{}",
            stale
                .iter()
                .map(|path| format!("  {path}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n"))
    }
}
