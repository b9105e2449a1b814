#![doc = include_str!("../README.md")]
//!
//! ## The library
//!
//! `devplat`: every operation of every provider from a shell (the binary is a
//! thin `main` over [`run`]).
//!
//! ```text
//! devplat [--mock | --base-url URL] <gitcode|qoder|devin> <operation> [--param value ...]
//! ```
//!
//! Tokens come from the variables the crates read (`GITCODE_TOKEN`,
//! `QODER_API_KEY`, `DEVIN_API_KEY`); `--mock` starts the embedded mock server
//! and sends the call there (no token or network needed). The answer goes to
//! an [`Output`] in a [`Format`] (a table on a terminal, JSON when piped;
//! `--format`, `DEVPLAT_FORMAT`), shaped by the operation's generated
//! [`View`]; `--all` writes each item as its page arrives; CSV exports write
//! their CSV (or `--output FILE`, whole or not at all). Responses decode
//! tolerantly, printing every field the server sent (those the spec does not
//! know too); `--strict` accepts only what the spec documents and lists each
//! deviation. A failure is a [`Failure`]: one line on standard error (a
//! strict-mode failure, a line per deviation) and an exit code per [`Kind`]
//! ([`EXIT_CODES`]). `devplat mcp` serves the operations as MCP tools
//! ([`mcp`]).

pub mod auth;
pub mod commands;
pub mod credentials;
mod failure;
mod format;
pub mod mcp;
pub mod output;
mod partial;
mod progress;
mod sink;
mod table;

use clap::{CommandFactory, Parser, Subcommand};
use dev_platform_mock::{MockServer, Provider as MockProvider};
use dev_platform_runtime::{ClientBuilder, Provider};

pub use crate::failure::{EXIT_CODES, Failure, Kind};
pub use crate::format::Format;
pub use crate::output::{Output, Settings, View};

/// Every operation of the GitCode, Qoder and Devin APIs, generated from the
/// specs.
#[derive(Debug, Parser)]
#[command(name = "devplat", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// Send the call to the embedded mock server (started for this call), with
    /// no token or network needed.
    #[arg(long, global = true, conflicts_with = "base_url")]
    mock: bool,
    /// The base URL to call instead of the provider's (or its `*_BASE_URL`
    /// variable).
    #[arg(long, global = true)]
    base_url: Option<String>,
    /// How to write the answer [default: DEVPLAT_FORMAT, else table on a
    /// terminal and json when piped; an export: its CSV as sent].
    #[arg(long, global = true, value_enum)]
    format: Option<Format>,
    /// The columns of a table or CSV, comma-separated: fields, or dotted
    /// paths into nested ones (`id,user.login`).
    #[arg(long, global = true, value_delimiter = ',')]
    columns: Option<Vec<String>>,
    /// No progress line on standard error (shown only on a terminal, while
    /// `--all` follows pages or an export streams).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Accept only a response exactly as the spec documents it, and list every
    /// deviation (missing, null, unknown or retyped fields) with its JSON path:
    /// for checking a spec against a real server.
    #[arg(long, global = true)]
    strict: bool,
    /// Trace on standard error what the client does at debug level: each
    /// attempt, and each way a response strays from the spec (a field the spec
    /// does not know, one it documents but the server left out), once.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Accept a plain `http://` base URL to another machine (the token then
    /// travels in clear); `localhost` and loopback addresses need no flag.
    #[arg(long, global = true)]
    allow_http: bool,
    #[command(subcommand)]
    command: TopCommand,
}

#[derive(Debug, Subcommand)]
enum TopCommand {
    /// Keep a provider's token in the system keyring: login, status, logout.
    Auth {
        #[command(subcommand)]
        command: auth::Command,
    },
    /// The GitCode API v5 (token: GITCODE_TOKEN).
    Gitcode {
        #[command(subcommand)]
        command: commands::gitcode::Command,
    },
    /// The Qoder API v1 (API key: QODER_API_KEY).
    Qoder {
        #[command(subcommand)]
        command: commands::qoder::Command,
    },
    /// The Devin Enterprise API v2 (API key: DEVIN_API_KEY).
    Devin {
        #[command(subcommand)]
        command: commands::devin::Command,
    },
    /// Serve every operation as a Model Context Protocol tool, over stdio.
    #[command(
        long_about = "Serve every operation as a Model Context Protocol tool, over standard \
        input and output, for an MCP host (an agent, an IDE).\n\n\
        Tools are named <provider>_<operation> (gitcode_get_org, qoder_get_commit_attributions), \
        their arguments as the providers' documentation names them. They come in toolsets, one \
        per API group (gitcode:repos, devin:members, ...): without --toolsets a default set of \
        read-only tools small enough for an agent's context is offered; --toolsets names others \
        (a provider's name for all its groups, all for everything; the list is under \
        --toolsets below). Only the tools that read are listed unless --allow-writes is given. Tokens come from GITCODE_TOKEN, \
        QODER_API_KEY and DEVIN_API_KEY, as for the other commands; with --mock the tools call \
        the embedded mock servers and need no token. --http 127.0.0.1:PORT serves MCP's \
        streamable HTTP transport at http://127.0.0.1:PORT/mcp instead (a loopback address \
        only)."
    )]
    Mcp {
        /// List and run the tools that change something too (creations,
        /// invitations, updates, removals).
        #[arg(long)]
        allow_writes: bool,
        /// The toolsets to offer, separated by commas (default: those marked
        /// default below).
        #[arg(long, value_delimiter = ',', value_name = "TOOLSET",
              value_parser = clap::builder::PossibleValuesParser::new(mcp::toolset_values()))]
        toolsets: Vec<String>,
        /// Serve MCP's streamable HTTP transport at http://ADDRESS/mcp
        /// instead of stdio; a loopback address only (port 0: any free port,
        /// said on standard error).
        #[arg(long, value_name = "127.0.0.1:PORT")]
        http: Option<std::net::SocketAddr>,
    },
    /// Print the completion script of a shell.
    #[command(
        long_about = "Print the completion script of a shell: every provider, operation and \
        option.\n\n\
        bash:       devplat completions bash > ~/.local/share/bash-completion/completions/devplat\n\
        zsh:        devplat completions zsh > \"${fpath[1]}/_devplat\"\n\
        fish:       devplat completions fish > ~/.config/fish/completions/devplat.fish\n\
        powershell: devplat completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The command line `args` (the program's name first) as `Cli` parses it:
/// an operation named without its API group (`devplat gitcode get-org`, as
/// scripts written before the groups call it) gets its group
/// (`devplat gitcode orgs get-org`).
pub fn args<I, T>(args: I) -> Vec<std::ffi::OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString>,
{
    let mut args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let groups = |provider: &std::ffi::OsStr| match provider.to_str() {
        Some("gitcode") => Some(commands::gitcode::GROUPS),
        Some("qoder") => Some(commands::qoder::GROUPS),
        Some("devin") => Some(commands::devin::GROUPS),
        _ => None,
    };
    let found = args.windows(2).enumerate().find_map(|(at, pair)| {
        let group = groups(&pair[0])?
            .iter()
            .find(|(operation, _)| pair[1].to_str() == Some(operation))?
            .1;
        Some((at + 1, group))
    });
    if let Some((at, group)) = found {
        args.insert(at, group.into());
    }
    args
}

impl Cli {
    /// Whether `--verbose` asks for the client's debug trace on standard error
    /// (the binary installs the subscriber; a library never does).
    pub fn verbose(&self) -> bool {
        self.verbose
    }
}

/// Runs a parsed command line, writing the answer to `output`; tokens, base
/// URLs, `DEVPLAT_FORMAT` and `NO_COLOR` come from the process's environment,
/// a token whose variable is not set from the system keyring (`devplat auth
/// login`).
pub async fn run(cli: Cli, output: &mut Output) -> Result<(), Failure> {
    let environment = |name: &str| std::env::var(name).ok();
    let with_stored = credentials::or_stored(&environment);
    run_with(cli, output, &environment, &with_stored).await
}

/// [`run`] with the variables (`GITCODE_TOKEN`, `*_BASE_URL`,
/// `DEVPLAT_FORMAT`, `NO_COLOR`, `DEVPLAT_TEST_KEYRING_FILE`, …) read from
/// `vars` instead of the environment, and tokens from `vars` only (wrap it
/// in [`credentials::or_stored`] for the keyring's); `devplat auth` still
/// uses the keyring (or the file `DEVPLAT_TEST_KEYRING_FILE` names).
pub async fn run_with_vars(
    cli: Cli,
    output: &mut Output,
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<(), Failure> {
    run_with(cli, output, vars, vars).await
}

/// A command line run with `vars`, the clients' tokens read through `tokens`.
async fn run_with(
    cli: Cli,
    output: &mut Output,
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
    tokens: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<(), Failure> {
    let variable = vars("DEVPLAT_FORMAT")
        .filter(|value| !value.trim().is_empty())
        .map(|value| Format::from_variable(&value))
        .transpose()?;
    output.configure(Settings {
        format: cli.format,
        variable,
        columns: cli.columns,
        quiet: cli.quiet,
        no_color: vars("NO_COLOR").is_some_and(|value| !value.is_empty()),
    });
    let target = Target {
        mock: cli.mock,
        base_url: cli.base_url,
        strict: cli.strict,
        allow_http: cli.allow_http,
        vars: tokens,
    };
    match cli.command {
        TopCommand::Auth { command } => {
            let endpoint = auth::Endpoint {
                base_url: target.base_url,
                allow_http: target.allow_http,
                vars,
            };
            auth::run(command, endpoint, output).await
        }
        TopCommand::Gitcode { command } => {
            let (client, _mock) = target.client(MockProvider::Gitcode).await?;
            Box::pin(commands::gitcode::run(command, &client, output)).await
        }
        TopCommand::Qoder { command } => {
            let (client, _mock) = target.client(MockProvider::Qoder).await?;
            Box::pin(commands::qoder::run(command, &client, output)).await
        }
        TopCommand::Devin { command } => {
            let (client, _mock) = target.client(MockProvider::Devin).await?;
            Box::pin(commands::devin::run(command, &client, output)).await
        }
        TopCommand::Mcp {
            allow_writes,
            toolsets,
            http,
        } => {
            if target.base_url.is_some() {
                return Err(Failure::new(
                    "--base-url names one server, and `devplat mcp` calls three: set \
                     GITCODE_BASE_URL, QODER_BASE_URL or DEVIN_BASE_URL instead",
                ));
            }
            let options = mcp::Options {
                allow_writes,
                toolsets: if toolsets.is_empty() {
                    mcp::Selection::Default
                } else {
                    mcp::Selection::Named(toolsets)
                },
                mock: target.mock,
                strict: target.strict,
                allow_http: target.allow_http,
            };
            let server = mcp::Server::new(options, tokens)
                .await
                .map_err(Failure::new)?;
            match http {
                Some(address) => server
                    .serve_http(address, |address| {
                        eprintln!("devplat mcp: serving MCP at http://{address}/mcp");
                    })
                    .await
                    .map_err(Failure::new),
                None => server.serve_stdio().await.map_err(Failure::new),
            }
        }
        TopCommand::Completions { shell } => {
            let writer = output.writer();
            clap_complete::generate(shell, &mut Cli::command(), "devplat", writer);
            Ok(writer.flush()?)
        }
    }
}

/// Where a call goes.
struct Target<'v> {
    mock: bool,
    base_url: Option<String>,
    strict: bool,
    allow_http: bool,
    vars: &'v (dyn Fn(&str) -> Option<String> + Sync),
}

impl Target<'_> {
    /// The provider's client, and the mock server it calls when `--mock`
    /// (kept alive as long as the client is used).
    async fn client<C: Provider>(
        self,
        provider: MockProvider,
    ) -> Result<(C, Option<MockServer>), Failure> {
        if self.mock {
            let mock = MockServer::start(provider)
                .await
                .map_err(|error| Failure::new(format!("cannot start the mock server: {error}")))?;
            let client = ClientBuilder::<C>::new()
                .token("mock-token")
                .base_url(mock.base_url())
                .strict(self.strict)
                .build()
                .map_err(|error| Failure::new(error.to_string()))?;
            return Ok((client, Some(mock)));
        }
        let mut builder = ClientBuilder::<C>::new()
            .strict(self.strict)
            .allow_http(self.allow_http)
            .from_vars(self.vars)
            .map_err(|error| Failure::new(error.to_string()))?;
        if let Some(base_url) = self.base_url {
            builder = builder.base_url(base_url);
        }
        let client = builder
            .build()
            .map_err(|error| Failure::new(error.to_string()))?;
        Ok((client, None))
    }
}
