//! `devplat mcp`: every operation of the three APIs as a Model Context
//! Protocol tool, served over stdio with the official Rust SDK (`rmcp`).
//!
//! The tools are generated from the specs (`mcp/<provider>.rs`, by `cargo
//! xtask regenerate`): their names, descriptions, JSON Schemas and hints, and
//! the call of the typed client for each. Only the tools that read are listed
//! unless the server is started with `--allow-writes`. Calls go through the
//! same clients as the CLI's commands, so retries, timeouts, the client-side
//! limits and pagination behave the same; a refused limit or a provider's
//! error is a tool error (`isError`) with its reason, a bad argument a
//! JSON-RPC `invalid params` error, and the server keeps answering after
//! either. Tokens come from the environment and appear in no result or error.

/// The Devin Enterprise API's tools (generated from `specs/devin.yaml`).
#[allow(clippy::all)]
pub mod devin;
/// The GitCode API's tools (generated from `specs/gitcode.yaml`).
#[allow(clippy::all)]
pub mod gitcode;
/// The Qoder API's tools (generated from `specs/qoder.yaml`).
#[allow(clippy::all)]
pub mod qoder;

use std::sync::Arc;

use dev_platform_mock::{MockServer, Provider as MockProvider};
use dev_platform_runtime::{ClientBuilder, CsvExport, CsvRow, Error, ExportError, Provider};
use futures_util::{Stream, StreamExt, TryStreamExt};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, ToolAnnotations,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// The most items a call with `all: true` collects (its result then says
/// `truncated: true`); the tools' descriptions say so.
pub const ALL_ITEMS_CAP: usize = 1000;
/// The rows of an export's preview.
pub const PREVIEW_ROWS: usize = 20;
/// The bytes of a raw answer (a file) a tool returns as text at most.
pub const RAW_TEXT_CAP: usize = 64 * 1024;

/// One generated tool, as the tables of `mcp/<provider>.rs` hold it.
#[derive(Debug)]
pub struct Tool {
    /// `<provider>_<operation>`.
    pub name: &'static str,
    /// Its toolset, `<provider>:<group>` (`gitcode:repos`).
    pub toolset: &'static str,
    /// The operation's summary and description.
    pub description: &'static str,
    /// The JSON Schema of its arguments.
    pub input_schema: &'static str,
    /// The JSON Schema of its result, when it answers JSON.
    pub output_schema: Option<&'static str>,
    /// Whether it only reads.
    pub read_only: bool,
    /// Whether it may destroy something (a deletion, a member's removal, an
    /// update that overwrites).
    pub destructive: bool,
    /// Whether calling it again changes nothing more.
    pub idempotent: bool,
}

/// Every provider's tools.
pub fn tools() -> impl Iterator<Item = &'static Tool> {
    gitcode::TOOLS
        .iter()
        .chain(qoder::TOOLS)
        .chain(devin::TOOLS)
}

/// A toolset: the tools of one API group of a provider (a tag of its spec),
/// as the tables of `mcp/<provider>.rs` hold it.
#[derive(Debug)]
pub struct Toolset {
    /// `<provider>:<group>`.
    pub name: &'static str,
    /// What its tools do.
    pub description: &'static str,
    /// Whether it is offered when `--toolsets` is not given.
    pub default: bool,
}

/// Every provider's toolsets.
pub fn toolsets() -> impl Iterator<Item = &'static Toolset> {
    gitcode::TOOLSETS
        .iter()
        .chain(qoder::TOOLSETS)
        .chain(devin::TOOLSETS)
}

/// The providers whose name `--toolsets` also accepts (all of its groups).
const PROVIDERS: [(&str, &str); 3] = [
    ("gitcode", "every GitCode toolset"),
    ("qoder", "every Qoder toolset"),
    ("devin", "every Devin toolset"),
];

/// The values `--toolsets` accepts, with their help: `all`, a provider, or
/// one of its toolsets (the default ones marked).
pub fn toolset_values() -> Vec<clap::builder::PossibleValue> {
    use clap::builder::PossibleValue;
    std::iter::once(PossibleValue::new("all").help("every tool of every provider"))
        .chain(
            PROVIDERS
                .iter()
                .map(|(name, help)| PossibleValue::new(*name).help(*help)),
        )
        .chain(toolsets().map(|toolset| {
            let help = if toolset.default {
                format!("{} (default)", toolset.description)
            } else {
                toolset.description.to_owned()
            };
            PossibleValue::new(toolset.name).help(help)
        }))
        .collect()
}

/// Which toolsets a server offers.
#[derive(Debug, Clone, Default)]
pub enum Selection {
    /// Those marked default in the specs: a set small enough for an agent's
    /// context.
    #[default]
    Default,
    /// Those named (`all`, a provider, or `<provider>:<group>`).
    Named(Vec<String>),
}

impl Selection {
    /// Whether `tool`'s toolset is selected.
    fn selects(&self, tool: &Tool) -> bool {
        match self {
            Self::Default => toolsets().any(|set| set.default && set.name == tool.toolset),
            Self::Named(names) => names.iter().any(|name| {
                name == "all"
                    || name == tool.toolset
                    || tool.toolset.split_once(':').map(|(provider, _)| provider) == Some(name)
            }),
        }
    }
}

/// What a tool's call answered.
#[derive(Debug)]
pub enum Call {
    /// A JSON result (an object).
    Json(Value),
    /// Done, with nothing to return.
    Done,
}

/// Why a call did not answer.
#[derive(Debug)]
pub enum ToolError {
    /// No such tool.
    Unknown(String),
    /// The arguments do not fit the tool's schema.
    Arguments(String),
    /// The call failed: refused before it was sent, or answered with an error.
    Failed(String),
}

impl From<Error> for ToolError {
    fn from(error: Error) -> Self {
        ToolError::Failed(error.to_string())
    }
}

impl From<ExportError> for ToolError {
    fn from(error: ExportError) -> Self {
        ToolError::Failed(error.to_string())
    }
}

/// The tool's arguments, deserialized by their spec names (an unknown one is
/// an error).
fn arguments<T: DeserializeOwned>(arguments: Map<String, Value>) -> Result<T, ToolError> {
    serde_json::from_value(Value::Object(arguments))
        .map_err(|error| ToolError::Arguments(format!("invalid arguments: {error}")))
}

/// A JSON result: an object as it is, anything else as `{"items": ...}`.
fn json<T: Serialize>(value: &T) -> Result<Call, ToolError> {
    let value = serde_json::to_value(value)
        .map_err(|error| ToolError::Failed(format!("cannot encode the answer: {error}")))?;
    Ok(Call::Json(match value {
        Value::Object(_) => value,
        other => json!({ "items": other }),
    }))
}

/// Every item of a paginated list, up to [`ALL_ITEMS_CAP`].
async fn every<T, S>(stream: S) -> Result<Call, ToolError>
where
    T: Serialize,
    S: Stream<Item = Result<T, Error>>,
{
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        if items.len() == ALL_ITEMS_CAP {
            return Ok(Call::Json(json!({ "items": items, "truncated": true })));
        }
        let item = item?;
        items.push(
            serde_json::to_value(item)
                .map_err(|error| ToolError::Failed(format!("cannot encode an item: {error}")))?,
        );
    }
    Ok(Call::Json(json!({ "items": items, "truncated": false })))
}

/// An export's row count, columns and first [`PREVIEW_ROWS`] rows: every row
/// is read (and decoded), so a cut-off export is an error, never a count
/// short.
async fn export<T: CsvRow + Serialize>(export: CsvExport<T>) -> Result<Call, ToolError> {
    let mut preview = Vec::new();
    let rows = export
        .rows()
        .try_fold(0u64, |count, row| {
            if preview.len() < PREVIEW_ROWS {
                preview.push(serde_json::to_value(&row).unwrap_or(Value::Null));
            }
            async move { Ok(count + 1) }
        })
        .await?;
    Ok(Call::Json(json!({
        "rows": rows,
        "columns": T::COLUMNS,
        "preview": preview,
    })))
}

/// The browser origins `--http` accepts: pages served from this machine.
pub const LOOPBACK_ORIGINS: [&str; 6] = [
    "http://localhost:*",
    "https://localhost:*",
    "http://127.0.0.1:*",
    "https://127.0.0.1:*",
    "http://[::1]:*",
    "https://[::1]:*",
];

/// A file given to a tool for a `multipart/form-data` part: its name and its
/// content, as text.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileArgument {
    file_name: String,
    content: String,
}

impl FileArgument {
    /// The part it is sent as.
    fn into_part(self) -> dev_platform_runtime::FilePart {
        dev_platform_runtime::FilePart::bytes(self.file_name, self.content)
    }
}

/// A raw answer (a file) as a tool's result: its size and media type, and
/// its first `RAW_TEXT_CAP` bytes as text when they are UTF-8. The rest is
/// read and counted, never kept.
async fn raw(
    response: progenitor_client::ResponseValue<progenitor_client::ByteStream>,
) -> Result<Call, ToolError> {
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut chunks = response.into_inner().into_inner();
    let mut head = Vec::new();
    let mut bytes = 0usize;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|error| {
            ToolError::Failed(format!("the answer broke off: {}", error.without_url()))
        })?;
        bytes += chunk.len();
        let room = RAW_TEXT_CAP.saturating_sub(head.len());
        head.extend_from_slice(&chunk[..room.min(chunk.len())]);
    }
    let truncated = bytes > head.len();
    // A cut inside a character at the cap is not a reason to call it binary.
    let text = match std::str::from_utf8(&head) {
        Ok(text) => Some(text.to_owned()),
        Err(error) if truncated && error.error_len().is_none() => {
            Some(String::from_utf8_lossy(&head[..error.valid_up_to()]).into_owned())
        }
        Err(_) => None,
    };
    Ok(Call::Json(json!({
        "bytes": bytes,
        "content_type": content_type,
        "text": text,
        "truncated": truncated,
    })))
}

/// How `devplat mcp` was started.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// List and run the tools that write too.
    pub allow_writes: bool,
    /// The toolsets offered.
    pub toolsets: Selection,
    /// Call the embedded mock servers instead of the providers.
    pub mock: bool,
    /// Accept only responses exactly as the specs document them (`--strict`).
    pub strict: bool,
    /// Accept a plain `http://` base URL to another machine (`--allow-http`).
    pub allow_http: bool,
}

impl Options {
    /// Whether the server offers `tool`: one of the selected toolsets, and
    /// one that reads, or any with `--allow-writes`.
    fn offers(&self, tool: &Tool) -> bool {
        (tool.read_only || self.allow_writes) && self.toolsets.selects(tool)
    }
}

/// The server: the three clients, and the tools it lists. A clone shares
/// them (one per session of the HTTP transport).
#[derive(Clone)]
pub struct Server {
    gitcode: Result<gitcode_api::Client, String>,
    qoder: Result<qoder_api::Client, String>,
    devin: Result<devin_api::Client, String>,
    options: Options,
    listed: Vec<rmcp::model::Tool>,
    // The mock servers the clients call with `--mock`, alive as long as it.
    _mocks: Arc<Vec<MockServer>>,
}

impl Server {
    /// The clients, built as the CLI builds them (tokens and base URLs from
    /// `vars`; a provider whose token is missing fails its calls with the
    /// reason), or with `mock` pointed at freshly started mock servers.
    pub async fn new(
        options: Options,
        vars: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> Result<Self, String> {
        let mut mocks = Vec::new();
        let gitcode = client(
            &options,
            mock_url(&options, MockProvider::Gitcode, &mut mocks).await?,
            vars,
        );
        let qoder = client(
            &options,
            mock_url(&options, MockProvider::Qoder, &mut mocks).await?,
            vars,
        );
        let devin = client(
            &options,
            mock_url(&options, MockProvider::Devin, &mut mocks).await?,
            vars,
        );
        let listed = tools()
            .filter(|tool| options.offers(tool))
            .map(listed)
            .collect::<Result<_, _>>()?;
        Ok(Self {
            gitcode,
            qoder,
            devin,
            options,
            listed,
            _mocks: Arc::new(mocks),
        })
    }

    /// Serves MCP on standard input and output until the host closes them.
    pub async fn serve_stdio(self) -> Result<(), String> {
        let running = self
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|error| format!("cannot start the MCP session: {error}"))?;
        running
            .waiting()
            .await
            .map_err(|error| format!("the MCP session failed: {error}"))?;
        Ok(())
    }

    /// Serves MCP's streamable HTTP transport at `http://<address>/mcp`, a
    /// loopback address only (the tools hold the tokens): each session a
    /// clone of the server. `bound` is told the address once it listens (the
    /// port chosen, for port 0).
    pub async fn serve_http(
        self,
        address: std::net::SocketAddr,
        bound: impl FnOnce(std::net::SocketAddr),
    ) -> Result<(), String> {
        use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
        use rmcp::transport::streamable_http_server::{
            StreamableHttpServerConfig, StreamableHttpService,
        };
        if !address.ip().is_loopback() {
            return Err(format!(
                "--http serves a loopback address only (127.0.0.1 or [::1]), not {address}: \
                 the tools act with your tokens"
            ));
        }
        let service = StreamableHttpService::new(
            move || Ok(self.clone()),
            Arc::new(LocalSessionManager::default()),
            // Its default allows the loopback host names only (no DNS
            // rebinding); a request from a browser page must also come from
            // a loopback origin, as MCP's transport rules ask (a request
            // without `Origin`, not from a browser, passes).
            StreamableHttpServerConfig::default().with_allowed_origins(LOOPBACK_ORIGINS),
        );
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|error| format!("cannot listen on {address}: {error}"))?;
        let address = listener
            .local_addr()
            .map_err(|error| format!("cannot listen on {address}: {error}"))?;
        bound(address);
        let router = axum::Router::new().nest_service("/mcp", service);
        axum::serve(listener, router)
            .await
            .map_err(|error| format!("the MCP HTTP server failed: {error}"))
    }

    /// Calls the tool `name` with `arguments`, as `tools/call` does (a tool
    /// that writes is refused unless the server allows writes).
    pub async fn call(&self, name: &str, arguments: Map<String, Value>) -> Result<Call, ToolError> {
        let tool = tools()
            .find(|tool| tool.name == name)
            .ok_or_else(|| ToolError::Unknown(name.to_owned()))?;
        if !self.options.toolsets.selects(tool) {
            return Err(ToolError::Unknown(format!(
                "{name} (its toolset {} is not offered: start the server with --toolsets {})",
                tool.toolset, tool.toolset
            )));
        }
        if !self.options.offers(tool) {
            return Err(ToolError::Unknown(format!(
                "{name} (it writes: start the server with --allow-writes)"
            )));
        }
        let unavailable = |reason: &String| ToolError::Failed(reason.clone());
        match name.split_once('_').map(|(provider, _)| provider) {
            Some("gitcode") => {
                let client = self.gitcode.as_ref().map_err(unavailable)?;
                gitcode::call(client, name, arguments).await
            }
            Some("qoder") => {
                let client = self.qoder.as_ref().map_err(unavailable)?;
                qoder::call(client, name, arguments).await
            }
            Some("devin") => {
                let client = self.devin.as_ref().map_err(unavailable)?;
                devin::call(client, name, arguments).await
            }
            _ => Err(ToolError::Unknown(name.to_owned())),
        }
    }
}

/// With `--mock`, the base URL of a mock server started for `provider`
/// (kept in `mocks`).
async fn mock_url(
    options: &Options,
    provider: MockProvider,
    mocks: &mut Vec<MockServer>,
) -> Result<Option<String>, String> {
    if !options.mock {
        return Ok(None);
    }
    let mock = MockServer::start(provider)
        .await
        .map_err(|error| format!("cannot start the mock server: {error}"))?;
    let url = mock.base_url().to_owned();
    mocks.push(mock);
    Ok(Some(url))
}

/// A provider's client, or why there is none.
fn client<C: Provider>(
    options: &Options,
    mock_url: Option<String>,
    vars: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Result<C, String> {
    let builder = ClientBuilder::<C>::new().strict(options.strict);
    let builder = match mock_url {
        Some(url) => builder.token("mock-token").base_url(url),
        None => builder
            .allow_http(options.allow_http)
            .from_vars(vars)
            .map_err(|error| error.to_string())?,
    };
    builder.build().map_err(|error| error.to_string())
}

/// A generated tool as `tools/list` shows it.
fn listed(tool: &Tool) -> Result<rmcp::model::Tool, String> {
    let schema = |text: &str| -> Result<Arc<Map<String, Value>>, String> {
        serde_json::from_str(text)
            .map(Arc::new)
            .map_err(|error| format!("{}: a schema that is not JSON: {error}", tool.name))
    };
    let mut listed =
        rmcp::model::Tool::new(tool.name, tool.description, schema(tool.input_schema)?)
            .with_annotations(ToolAnnotations::from_raw(
                None,
                Some(tool.read_only),
                Some(tool.destructive),
                Some(tool.idempotent),
                Some(true),
            ));
    if let Some(output) = tool.output_schema {
        listed = listed.with_raw_output_schema(schema(output)?);
    }
    Ok(listed)
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("devplat", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "The GitCode API v5, the Qoder API v1 and the Devin Enterprise API v2: a tool \
                 per operation, named <provider>_<operation>. Arguments take the names the \
                 providers' documentation uses.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.listed.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<rmcp::model::Tool> {
        self.listed.iter().find(|tool| tool.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arguments = request.arguments.unwrap_or_default();
        let result = match self.call(&request.name, arguments).await {
            Ok(Call::Json(value)) => CallToolResult::structured(value),
            Ok(Call::Done) => CallToolResult::success(vec![ContentBlock::text("done")]),
            Err(ToolError::Failed(reason)) => {
                CallToolResult::error(vec![ContentBlock::text(reason)])
            }
            Err(ToolError::Arguments(reason)) => {
                return Err(ErrorData::invalid_params(reason, None));
            }
            Err(ToolError::Unknown(name)) => {
                return Err(ErrorData::invalid_params(format!("no tool {name}"), None));
            }
        };
        Ok(result.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_descriptions_give_the_caps_the_server_keeps() {
        let pages = format!("returns up to {ALL_ITEMS_CAP} items");
        let preview = format!("its first {PREVIEW_ROWS} rows");
        for tool in tools() {
            let schema: Value = serde_json::from_str(tool.input_schema).unwrap();
            if schema["properties"].get("all").is_some() {
                assert!(tool.description.contains(&pages), "{}", tool.name);
            }
            if tool.name.contains("_export_") {
                assert!(tool.description.contains(&preview), "{}", tool.name);
            }
        }
    }

    #[tokio::test]
    async fn all_stops_at_its_cap_and_says_so() {
        let items = (0..ALL_ITEMS_CAP as u64 + 500).map(Ok::<_, Error>);
        let Call::Json(answer) = every(futures_util::stream::iter(items)).await.unwrap() else {
            panic!("a JSON answer")
        };
        assert_eq!(answer["items"].as_array().unwrap().len(), ALL_ITEMS_CAP);
        assert_eq!(answer["truncated"], true);

        let items = (0..3u64).map(Ok::<_, Error>);
        let Call::Json(answer) = every(futures_util::stream::iter(items)).await.unwrap() else {
            panic!("a JSON answer")
        };
        assert_eq!(answer, json!({"items": [0, 1, 2], "truncated": false}));
    }

    #[tokio::test]
    async fn an_error_after_some_items_is_the_calls_error_not_fewer_items() {
        let items = vec![
            Ok(1u64),
            Err(Error::InvalidRequest("the third page failed".into())),
        ];
        let error = every(futures_util::stream::iter(items)).await.unwrap_err();
        assert!(matches!(error, ToolError::Failed(reason) if reason.contains("third page")));
    }
}
