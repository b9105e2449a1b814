//! Running `devplat` in-process, as a user would from a shell: the command
//! line of any operation with the arguments its spec requires, and what it
//! printed or the one line it failed with.

use clap::Parser;
use dev_platform_cli::{Cli, Failure, Output};
use serde_json::Value;

use crate::Captured;
use crate::spec::Spec;

/// Runs `devplat` with `args` (without the program name) in process, the
/// variables (`GITCODE_TOKEN`, `DEVPLAT_FORMAT`, …) taken from `vars`, writing
/// as to a terminal `terminal` columns wide when given (else as to a pipe):
/// what it printed, and how it ended. A command line that does not parse
/// panics.
pub async fn devplat_run(
    args: &[&str],
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
    terminal: Option<usize>,
) -> (String, Result<(), Failure>) {
    let cli = Cli::try_parse_from(dev_platform_cli::args(
        std::iter::once("devplat").chain(args.iter().copied()),
    ))
    .unwrap_or_else(|error| panic!("{args:?}: {error}"));
    let captured = Captured::default();
    let mut output = Output::to(captured.clone());
    if let Some(width) = terminal {
        output = output.as_terminal(width);
    }
    let result = dev_platform_cli::run_with_vars(cli, &mut output, vars).await;
    (captured.text(), result)
}

/// Runs `devplat` with `args` (without the program name), the variables
/// (`GITCODE_TOKEN`, `GITCODE_BASE_URL`, …) taken from `vars`; what it
/// printed on success, or its failure message.
pub async fn devplat_with(
    args: &[String],
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<String, String> {
    let cli = Cli::try_parse_from(dev_platform_cli::args(
        std::iter::once("devplat".to_owned()).chain(args.iter().cloned()),
    ))
    .map_err(|error| error.to_string())?;
    let captured = Captured::default();
    dev_platform_cli::run_with_vars(cli, &mut Output::to(captured.clone()), vars)
        .await
        .map_err(|failure| failure.to_string())?;
    Ok(captured.text())
}

/// [`devplat_with`] and no variables (for `--mock`).
pub async fn devplat(args: &[String]) -> Result<String, String> {
    devplat_with(args, &|_| None).await
}

/// `per_page` → `per-page`, `startDate` → `start-date`, `get_org` → `get-org`:
/// the CLI's names for operations and parameters.
pub fn kebab(name: &str) -> String {
    let mut out = String::new();
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && index > 0 {
            out.push('-');
        }
        out.push(if c == '_' {
            '-'
        } else {
            c.to_ascii_lowercase()
        });
    }
    out
}

/// The subcommand and arguments that call `operation` (a path item's
/// operation object) of `provider`: every path parameter (`x`), every
/// required query parameter (a valid sample) and the documented request body.
pub fn operation_args(spec: &Spec, provider: &str, operation: &Value) -> Vec<String> {
    let id = operation["operationId"].as_str().expect("an operationId");
    let mut args = vec![provider.to_owned(), kebab(id)];
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        let parameter = spec.resolved(parameter);
        let name = parameter["name"].as_str().expect("a parameter name");
        let value = match parameter["in"].as_str() {
            Some("path") => spec.path_value(parameter),
            _ if parameter["required"] == true => spec.sample(&parameter["schema"]),
            _ => continue,
        };
        args.push(format!("--{}={value}", kebab(name)));
    }
    if let Some(body) = operation.get("requestBody").map(|body| spec.resolved(body)) {
        let (media_type, example) = body["content"]
            .as_object()
            .and_then(|content| content.iter().next())
            .map(|(media_type, media)| (media_type.clone(), media["example"].clone()))
            .expect("a request body example");
        if media_type == "multipart/form-data" {
            args.extend(form_args(
                spec,
                &body["content"][media_type.as_str()],
                &example,
            ));
        } else {
            args.extend(["--body".to_owned(), example.to_string()]);
        }
    }
    args
}

/// The flags of a `multipart/form-data` body's parts: a text part's value,
/// a file part's content written to a temporary file and given by its path.
pub fn form_args(spec: &Spec, media: &Value, example: &Value) -> Vec<String> {
    let schema = spec.resolved(&media["schema"]);
    let mut args = Vec::new();
    for (name, value) in example.as_object().into_iter().flatten() {
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        let value = if spec.resolved(&schema["properties"][name])["format"] == "binary" {
            // One file per content, written once and reused by every call.
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut hasher);
            let path = std::env::temp_dir()
                .join(format!("devplat-tests-part-{:016x}.txt", hasher.finish()));
            if !path.exists() {
                let partial = path.with_extension(format!("{}.partial", std::process::id()));
                std::fs::write(&partial, &text).expect("the part's content written");
                std::fs::rename(&partial, &path).expect("the part's file in place");
            }
            path.display().to_string()
        } else {
            text
        };
        args.push(format!("--{}={value}", kebab(name)));
    }
    args
}

/// The path of the provider's documented server URL (`/api/v5`), the
/// provider named by its `*_BASE_URL` variable: an operation served under
/// another path of the same server (GitCode's `/api/v8`) is found beside it.
fn base_path_of(base_url_env: &str) -> String {
    let provider = base_url_env
        .strip_suffix("_BASE_URL")
        .expect("a *_BASE_URL variable")
        .to_ascii_lowercase();
    crate::spec::own_base_path(Spec::load(&provider).json()).unwrap_or_default()
}

/// A loopback server that answers every request `200` with a JSON body the
/// test sets, and the variables that point `devplat` at it for a provider.
pub struct Answering {
    body: std::sync::Arc<std::sync::Mutex<Value>>,
    token_env: String,
    base_url_env: String,
    base_url: String,
    _server: crate::loopback::Loopback,
}

impl Answering {
    /// Starts the server; `devplat` then finds it through the provider's
    /// `*_BASE_URL` variable, with a token in its token variable.
    pub fn start(token_env: &str, base_url_env: &str) -> Self {
        let body = std::sync::Arc::new(std::sync::Mutex::new(Value::Null));
        let served = std::sync::Arc::clone(&body);
        let server = crate::loopback::Loopback::start(std::time::Duration::ZERO, move |_| {
            let body = served.lock().expect("the body").to_string();
            crate::loopback::Answer::Json(body.into())
        });
        Self {
            body,
            token_env: token_env.to_owned(),
            base_url_env: base_url_env.to_owned(),
            base_url: format!("{}{}", server.base_url(), base_path_of(base_url_env)),
            _server: server,
        }
    }

    /// Runs `devplat args` against the server answering `body`.
    pub async fn call(&self, args: &[String], body: &Value) -> Result<String, String> {
        *self.body.lock().expect("the body") = body.clone();
        let vars = |name: &str| {
            if name == self.token_env {
                Some("t0ken".to_owned())
            } else if name == self.base_url_env {
                Some(self.base_url.clone())
            } else {
                None
            }
        };
        devplat_with(args, &vars).await
    }
}
