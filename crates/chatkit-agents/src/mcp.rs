//! Tools of MCP servers, for agents (feature `mcp`).
//!
//! [`McpServer::connect`] starts a server from a command line (stdio) or reaches one by URL
//! (streamable HTTP); [`McpServer::tools`] exposes its tools to an [`Agent`](crate::Agent).
//!
//! A tool result whose `structuredContent` has a `chatkit_widget` member (a widget root as
//! JSON) shows that widget in the thread — streamed to the client and stored like any widget —
//! and its text content goes back to the model as the tool output. So an MCP tool can put UI
//! in front of the user without any code on the ChatKit side.

use std::sync::Arc;

use async_trait::async_trait;
use chatkit::WidgetRoot;
use rmcp::model::{CallToolRequestParams, JsonObject};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};
use serde_json::Value;

use crate::model::ToolSpec;
use crate::tools::{Tool, ToolContext, ToolError};

/// The member of `structuredContent` that carries a widget.
pub const WIDGET_KEY: &str = "chatkit_widget";

/// Connecting to an MCP server failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum McpError {
    /// The command line is empty or badly quoted.
    #[error("invalid MCP command line `{0}`")]
    CommandLine(String),
    /// The server process could not start.
    #[error("cannot start the MCP server `{command}`")]
    Spawn {
        /// The command line.
        command: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The TLS settings of an `https` server are unusable (e.g. a CA certificate is not PEM).
    #[error("MCP over https: {0}")]
    Tls(String),
    /// The MCP handshake or the tool listing failed.
    #[error("MCP server `{server}`: {message}")]
    Protocol {
        /// The command line or URL.
        server: String,
        /// What failed.
        message: String,
    },
}

type Client = RunningService<RoleClient, ()>;

/// A connected MCP server and its tools.
///
/// ```no_run
/// # async fn demo() -> Result<(), chatkit_agents::mcp::McpError> {
/// use chatkit_agents::{Agent, mcp::McpServer, model::ScriptedModel};
/// let files = McpServer::connect("npx -y @modelcontextprotocol/server-filesystem /tmp").await?;
/// let agent: Agent<chatkit::RequestContext> = Agent::new("files", ScriptedModel::new()).tools(files.tools());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct McpServer {
    name: String,
    client: Arc<Client>,
    tools: Vec<rmcp::model::Tool>,
}

impl std::fmt::Debug for McpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tools: Vec<&str> = self.tools.iter().map(|t| t.name.as_ref()).collect();
        f.debug_struct("McpServer").field("name", &self.name).field("tools", &tools).finish()
    }
}

impl McpServer {
    /// Connects to `spec`: an `http://` or `https://` URL (streamable HTTP), or a command line
    /// whose process speaks MCP on stdio (words split on spaces; quote with `'` or `"`).
    pub async fn connect(spec: &str) -> Result<Self, McpError> {
        let spec = spec.trim();
        if spec.starts_with("http://") || spec.starts_with("https://") {
            Self::http(spec).await
        } else {
            Self::stdio(spec).await
        }
    }

    /// Starts a server process and talks MCP over its stdin/stdout.
    pub async fn stdio(command_line: &str) -> Result<Self, McpError> {
        let words = split_command_line(command_line).ok_or_else(|| McpError::CommandLine(command_line.to_owned()))?;
        let Some((program, args)) = words.split_first() else { return Err(McpError::CommandLine(command_line.to_owned())) };
        let mut command = tokio::process::Command::new(program);
        command.args(args).stderr(std::process::Stdio::inherit());
        let transport = rmcp::transport::TokioChildProcess::new(command)
            .map_err(|source| McpError::Spawn { command: command_line.to_owned(), source })?;
        let client = ().serve(transport).await.map_err(|e| protocol(command_line, e))?;
        Self::ready(command_line, client).await
    }

    /// Reaches a streamable HTTP server over `http://` or `https://` (certificates checked
    /// against the Mozilla roots).
    pub async fn http(url: &str) -> Result<Self, McpError> {
        Self::http_with_roots(url, &[]).await
    }

    /// Reaches a streamable HTTP server over `https://` whose certificate is signed by one of
    /// the certificate authorities in `ca_pem` (PEM, one or more certificates), e.g. a
    /// company CA or a server's self-signed certificate, besides the Mozilla roots.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), chatkit_agents::mcp::McpError> {
    /// let pem = std::fs::read("company-ca.pem").unwrap();
    /// let server = chatkit_agents::mcp::McpServer::https_with_ca("https://mcp.internal/mcp", &pem).await?;
    /// # Ok(()) }
    /// ```
    pub async fn https_with_ca(url: &str, ca_pem: &[u8]) -> Result<Self, McpError> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject as _;
        let certs = CertificateDer::pem_slice_iter(ca_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| McpError::Tls(format!("the CA certificates are not PEM: {e}")))?;
        if certs.is_empty() {
            return Err(McpError::Tls("no certificate in the CA PEM".to_owned()));
        }
        Self::http_with_roots(url, &certs).await
    }

    async fn http_with_roots(url: &str, extra_roots: &[rustls::pki_types::CertificateDer<'static>]) -> Result<Self, McpError> {
        use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
        let config = StreamableHttpClientTransportConfig::with_uri(url.to_owned());
        let transport = rmcp::transport::StreamableHttpClientTransport::with_client(http_client(extra_roots)?, config);
        let client = ().serve(transport).await.map_err(|e| protocol(url, e))?;
        Self::ready(url, client).await
    }

    async fn ready(name: &str, client: Client) -> Result<Self, McpError> {
        let tools = client.list_all_tools().await.map_err(|e| protocol(name, e))?;
        tracing::info!(server = name, tools = ?tools.iter().map(|t| t.name.as_ref()).collect::<Vec<_>>(), "MCP server connected");
        Ok(Self { name: name.to_owned(), client: Arc::new(client), tools })
    }

    /// The command line or URL.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The names of the server's tools.
    pub fn tool_names(&self) -> Vec<String> {
        self.tools.iter().map(|t| t.name.to_string()).collect()
    }

    /// The server's tools, for [`Agent::tools`](crate::Agent::tools).
    pub fn tools<C: Send + Sync + 'static>(&self) -> Vec<Arc<dyn Tool<C>>> {
        self.tools
            .iter()
            .map(|tool| Arc::new(McpTool { client: self.client.clone(), tool: tool.clone() }) as Arc<dyn Tool<C>>)
            .collect()
    }
}

/// The HTTP client of the streamable HTTP transport: rustls on the ring provider with the
/// Mozilla roots plus `extra_roots`, no connection pool (as rmcp's own default, which avoids
/// delayed-ACK stalls) and no redirects (a redirected POST would lose its JSON-RPC message).
fn http_client(extra_roots: &[rustls::pki_types::CertificateDer<'static>]) -> Result<mcp_reqwest::Client, McpError> {
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for cert in extra_roots {
        roots.add(cert.clone()).map_err(|e| McpError::Tls(format!("a CA certificate is not usable: {e}")))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| McpError::Tls(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    mcp_reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .redirect(mcp_reqwest::redirect::Policy::none())
        .tls_backend_preconfigured(tls)
        .build()
        .map_err(|e| McpError::Tls(e.to_string()))
}

fn protocol(server: &str, err: impl std::fmt::Display) -> McpError {
    McpError::Protocol { server: server.to_owned(), message: err.to_string() }
}

/// Splits a command line into words: spaces separate, `'…'` and `"…"` quote, `\` escapes
/// outside single quotes. `None` when a quote is not closed.
fn split_command_line(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => w.push(c),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => w.push(chars.next()?),
                        c => w.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).push(chars.next()?),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Some(words)
}

struct McpTool {
    client: Arc<Client>,
    tool: rmcp::model::Tool,
}

#[async_trait]
impl<C: Send + Sync + 'static> Tool<C> for McpTool {
    fn spec(&self) -> ToolSpec {
        let description = self.tool.description.as_deref().unwrap_or_default();
        ToolSpec::new(self.tool.name.as_ref(), description, Value::Object((*self.tool.input_schema).clone()))
    }

    async fn call(&self, ctx: &mut ToolContext<'_, C>, arguments: &str) -> Result<String, ToolError> {
        let arguments = if arguments.trim().is_empty() { "{}" } else { arguments };
        let arguments: JsonObject =
            serde_json::from_str(arguments).map_err(|e| ToolError::InvalidArguments(e.to_string()))?;
        let params = CallToolRequestParams::new(self.tool.name.clone()).with_arguments(arguments);
        let result = self.client.call_tool(params).await.map_err(|e| ToolError::failed(format!("the MCP call failed: {e}")))?;
        let text: Vec<&str> = result.content.iter().filter_map(|block| block.as_text()).map(|t| t.text.as_str()).collect();
        let text = text.join("\n");
        if result.is_error == Some(true) {
            return Err(ToolError::failed(if text.is_empty() { "the tool reported an error".to_owned() } else { text }));
        }
        let widget = result.structured_content.as_ref().and_then(|s| s.get(WIDGET_KEY));
        if let Some(widget) = widget {
            let widget = WidgetRoot::from_value(widget.clone())
                .map_err(|e| ToolError::failed(format!("the tool's `{WIDGET_KEY}` is not a widget: {e}")))?;
            let copy_text = (!text.is_empty()).then(|| text.clone());
            ctx.show_widget(widget, copy_text).await?;
        }
        if !text.is_empty() {
            return Ok(text);
        }
        Ok(match (&result.structured_content, widget) {
            (_, Some(_)) => "The widget is shown to the user.".to_owned(),
            (Some(structured), None) => structured.to_string(),
            (None, None) => String::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::split_command_line;

    #[test]
    fn command_lines_split_like_a_shell() {
        let words = split_command_line(r#"python3 -u 'my server.py' --name "a \"b\"" x\ y"#).unwrap();
        assert_eq!(words, ["python3", "-u", "my server.py", "--name", "a \"b\"", "x y"]);
        assert_eq!(split_command_line("  "), Some(vec![]));
        assert_eq!(split_command_line("bad 'quote"), None);
    }
}
