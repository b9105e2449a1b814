//! `devplat auth`: a provider's token kept in the system keyring, as `gh auth`
//! keeps GitHub's. `login` stores one (GitCode's OAuth authorization-code flow
//! in the browser, or a token read from standard input), `status` says where
//! each provider's token comes from without showing it, `logout` deletes it.
//! The commands read a stored token when the provider's variable is not set
//! ([`credentials::or_stored`]).

use std::io::Read;
use std::time::{Duration, Instant};

use clap::Subcommand;
use dev_platform_runtime::ClientBuilder;
use gitcode_api::types::OAuthGrantType;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::credentials::{self, PROVIDERS};
use crate::failure::{Failure, Kind};
use crate::output::Output;

/// How long `devplat auth login` waits for the browser to come back.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(300);

/// The most connections the loopback redirect server answers before giving up
/// (a browser may ask for a favicon, a port scanner may knock).
const MAX_CONNECTIONS: usize = 32;

/// The most bytes of a request's head the redirect server reads.
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// The variables naming the GitCode OAuth application `devplat auth login` uses.
pub const CLIENT_ID_ENV: &str = "GITCODE_CLIENT_ID";
/// The variable holding the application's secret (never an argument: a
/// command line is visible to other users of the machine).
pub const CLIENT_SECRET_ENV: &str = "GITCODE_CLIENT_SECRET";

/// `devplat auth`'s subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Store a provider's token in the system keyring.
    #[command(
        long_about = "Store a provider's token in the system keyring (the macOS Keychain, \
        the Windows Credential Manager, the Linux kernel keyring), where the commands find it when \
        the provider's variable (GITCODE_TOKEN, QODER_API_KEY, DEVIN_API_KEY) is not set.\n\n\
        With --with-token the token is read from standard input (devplat auth login --with-token \
        < token.txt). Without it, GitCode's OAuth authorization-code flow runs: devplat listens on \
        a loopback address, opens the authorization page in the browser (or prints it, with \
        --no-browser), takes the code GitCode sends back and exchanges it for a token. It needs a \
        GitCode OAuth application whose redirect URI is http://127.0.0.1 (any port): its id in \
        GITCODE_CLIENT_ID or --client-id, its secret in GITCODE_CLIENT_SECRET.\n\n\
        The token is never printed. A machine without a keyring (a CI runner) gets an error naming \
        the variable to set instead."
    )]
    Login {
        /// The provider (only GitCode has a browser flow).
        #[arg(long, default_value = "gitcode", value_parser = provider_names())]
        provider: String,
        /// Read the token from standard input instead of signing in in the browser.
        #[arg(long)]
        with_token: bool,
        /// The GitCode OAuth application's client id (default: GITCODE_CLIENT_ID).
        #[arg(long, value_name = "ID")]
        client_id: Option<String>,
        /// Print the authorization address instead of opening a browser.
        #[arg(long)]
        no_browser: bool,
    },
    /// Say where each provider's token comes from, never the token.
    Status,
    /// Delete a provider's token from the system keyring.
    Logout {
        /// The provider.
        #[arg(long, default_value = "gitcode", value_parser = provider_names())]
        provider: String,
    },
}

fn provider_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(PROVIDERS.map(|(name, _)| name))
}

/// Where the GitCode client of the browser flow goes.
pub struct Endpoint<'v> {
    /// `--base-url`, if given.
    pub base_url: Option<String>,
    /// `--allow-http`.
    pub allow_http: bool,
    /// The variables (`GITCODE_BASE_URL`, the OAuth application's).
    pub vars: &'v (dyn Fn(&str) -> Option<String> + Sync),
}

/// Runs an `auth` subcommand, writing what it did to `output`.
pub async fn run(
    command: Command,
    endpoint: Endpoint<'_>,
    output: &mut Output,
) -> Result<(), Failure> {
    let vars = endpoint.vars;
    match command {
        Command::Login {
            provider,
            with_token,
            client_id,
            no_browser,
        } => {
            let env = token_env(&provider)?;
            let token = if with_token {
                token_from_stdin()?
            } else if provider == "gitcode" {
                browser_login(client_id, no_browser, &endpoint).await?
            } else {
                return Err(Failure::of(
                    Kind::Usage,
                    format!("{provider} has no browser sign-in: use --with-token"),
                ));
            };
            credentials::save(env, &token, vars)
                .map_err(|error| Failure::new(error.to_string()))?;
            let mut line = format!("Logged in to {provider}: the token is in the system keyring.");
            if vars(env).is_some() {
                line.push_str(&format!(" {env} is set too, and wins while it is."));
            }
            writeln!(output.writer(), "{line}")?;
            Ok(())
        }
        Command::Status => {
            for (provider, env) in PROVIDERS {
                let line = if vars(env).is_some() {
                    format!("{provider}: the token comes from {env} (the environment)")
                } else {
                    match credentials::load(env, vars) {
                        Ok(Some(_)) => format!(
                            "{provider}: the token comes from the system keyring (devplat auth login)"
                        ),
                        Ok(None) => format!(
                            "{provider}: no token (set {env}, or run devplat auth login --provider {provider})"
                        ),
                        Err(error) => format!("{provider}: {error}"),
                    }
                };
                writeln!(output.writer(), "{line}")?;
            }
            Ok(())
        }
        Command::Logout { provider } => {
            let env = token_env(&provider)?;
            let deleted =
                credentials::delete(env, vars).map_err(|error| Failure::new(error.to_string()))?;
            let mut line = if deleted {
                format!("Logged out of {provider}: its token is gone from the system keyring.")
            } else {
                format!("No token of {provider} was in the system keyring.")
            };
            if vars(env).is_some() {
                line.push_str(&format!(" {env} is still set and is used."));
            }
            writeln!(output.writer(), "{line}")?;
            Ok(())
        }
    }
}

fn token_env(provider: &str) -> Result<&'static str, Failure> {
    credentials::token_env(provider)
        .ok_or_else(|| Failure::of(Kind::Usage, format!("no provider named {provider}")))
}

/// The token on standard input, without the line break a file or `echo` ends it with.
fn token_from_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|error| {
            Failure::of(
                Kind::Usage,
                format!("cannot read the token from standard input: {error}"),
            )
        })?;
    let token = text.trim();
    if token.is_empty() {
        return Err(Failure::of(Kind::Usage, "standard input holds no token"));
    }
    if token.contains(char::is_whitespace) {
        return Err(Failure::of(
            Kind::Usage,
            "standard input holds more than one word: give the token alone",
        ));
    }
    Ok(token.to_owned())
}

/// GitCode's OAuth authorization-code flow: a loopback redirect URI, the
/// authorization page in the browser, the code exchanged for a token
/// (`exchange_oauth_token`, on the host GitCode's OAuth is served from).
async fn browser_login(
    client_id: Option<String>,
    no_browser: bool,
    endpoint: &Endpoint<'_>,
) -> Result<String, Failure> {
    let vars = endpoint.vars;
    let missing = || {
        Failure::of(
            Kind::Usage,
            format!(
                "signing in in the browser needs a GitCode OAuth application: its id in \
                 {CLIENT_ID_ENV} (or --client-id) and its secret in {CLIENT_SECRET_ENV}; or give \
                 a token with --with-token"
            ),
        )
    };
    let client_id = client_id
        .or_else(|| vars(CLIENT_ID_ENV))
        .ok_or_else(missing)?;
    let client_secret = vars(CLIENT_SECRET_ENV).ok_or_else(missing)?;

    // The OAuth client: the exchange needs no personal token (the operation
    // has none, and the runtime sends none to GitCode's OAuth host), but a
    // client is built with one.
    let mut builder = ClientBuilder::<gitcode_api::Client>::new()
        .token("no-personal-token")
        .allow_http(endpoint.allow_http);
    let base_url = endpoint
        .base_url
        .clone()
        .or_else(|| vars(gitcode_api::client::BASE_URL_ENV));
    if let Some(base_url) = &base_url {
        builder = builder.base_url(base_url);
    }
    let client = builder
        .build()
        .map_err(|error| Failure::new(error.to_string()))?;
    // The authorization page: GitCode's web host, or the origin of another
    // base URL (a proxy, a mock), as the token exchange goes.
    let web = match &base_url {
        Some(base_url) => reqwest::Url::parse(base_url)
            .map(|url| url.origin().ascii_serialization())
            .map_err(|error| {
                Failure::of(Kind::Usage, format!("the base URL {base_url}: {error}"))
            })?,
        None => "https://gitcode.com".to_owned(),
    };

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let redirect_uri = format!(
        "http://127.0.0.1:{}/callback",
        listener.local_addr()?.port()
    );
    let state = random_state()?;
    let mut authorize = reqwest::Url::parse(&format!("{web}/oauth/authorize"))
        .map_err(|error| Failure::new(format!("the authorization address: {error}")))?;
    authorize
        .query_pairs_mut()
        .append_pair("client_id", &client_id)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("response_type", "code")
        .append_pair("state", &state);
    eprintln!("devplat: to sign in to GitCode, open {authorize}");
    if !no_browser {
        open_browser(authorize.as_str());
    }

    let code = receive_code(&listener, &state).await?;
    let answer = client
        .exchange_oauth_token()
        .grant_type(OAuthGrantType::AuthorizationCode)
        .code(code)
        .client_id(client_id)
        .body_map(|body| body.client_secret(client_secret))
        .send()
        .await?;
    Ok(answer.into_inner().access_token.expose().to_owned())
}

/// 128 random bits as hex: the `state` that ties the browser's answer to
/// this sign-in.
fn random_state() -> Result<String, Failure> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|error| Failure::new(format!("no randomness for the sign-in state: {error}")))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Opens `url` in the desktop's browser; a failure is no error (the address
/// was printed).
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Answers the browser's requests on the loopback address until one brings
/// the authorization code with the right `state` (or GitCode's refusal), at
/// most [`MAX_CONNECTIONS`] requests within [`LOGIN_TIMEOUT`].
async fn receive_code(listener: &tokio::net::TcpListener, state: &str) -> Result<String, Failure> {
    let deadline = Instant::now() + LOGIN_TIMEOUT;
    for _ in 0..MAX_CONNECTIONS {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(accepted) = tokio::time::timeout(left, listener.accept()).await else {
            break;
        };
        let (mut stream, _) = accepted?;
        let Some(target) =
            tokio::time::timeout(Duration::from_secs(10), request_target(&mut stream))
                .await
                .ok()
                .flatten()
        else {
            continue;
        };
        let Ok(url) = reqwest::Url::parse(&format!("http://127.0.0.1{target}")) else {
            continue;
        };
        if url.path() != "/callback" {
            let _ = respond(&mut stream, "404 Not Found", "Not here.").await;
            continue;
        }
        let query = |name: &str| {
            url.query_pairs()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.into_owned())
        };
        if query("state").as_deref() != Some(state) {
            let _ = respond(
                &mut stream,
                "400 Bad Request",
                "This answer is not for this sign-in.",
            )
            .await;
            continue;
        }
        if let Some(error) = query("error") {
            let _ = respond(
                &mut stream,
                "200 OK",
                "GitCode refused the sign-in; see devplat.",
            )
            .await;
            let detail = query("error_description").unwrap_or_default();
            return Err(Failure::of(
                Kind::Provider,
                format!("GitCode refused the sign-in: {error} {detail}")
                    .trim_end()
                    .to_owned(),
            ));
        }
        if let Some(code) = query("code").filter(|code| !code.is_empty()) {
            let _ = respond(&mut stream, "200 OK", "Signed in: you can close this tab.").await;
            return Ok(code);
        }
        let _ = respond(&mut stream, "400 Bad Request", "The answer has no code.").await;
    }
    Err(Failure::new(format!(
        "no sign-in came back within {} seconds",
        LOGIN_TIMEOUT.as_secs()
    )))
}

/// The target of an HTTP request's first line (`/callback?code=...`), read
/// within [`MAX_REQUEST_HEAD`] bytes.
async fn request_target(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 2048];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 || head.len() + read > MAX_REQUEST_HEAD {
            return None;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let line = head.split(|byte| *byte == b'\r').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split(' ');
    (parts.next()? == "GET").then_some(())?;
    parts.next().map(str::to_owned)
}

async fn respond(
    stream: &mut tokio::net::TcpStream,
    status: &str,
    text: &str,
) -> std::io::Result<()> {
    let body = format!("<!doctype html><title>devplat</title><p>{text}</p>\n");
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(answer.as_bytes()).await?;
    stream.shutdown().await
}
