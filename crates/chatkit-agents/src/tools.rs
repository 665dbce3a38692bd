//! Tools the model can call, whose handlers write to the thread directly.
//!
//! A tool's handler gets a [`ToolContext`]: the [`Turn`] being answered (stream, show or
//! replace widgets, add hidden context, send client effects and progress updates — every
//! `Turn` method) plus [`ToolContext::call_client_tool`] to hand the call to the client. What
//! the handler returns goes back to the model as the tool output.
//!
//! Implement [`FunctionTool`] for typed arguments (their JSON schema comes from
//! [`schemars::JsonSchema`]), or [`Tool`] for arguments as raw JSON (e.g. tools discovered at
//! run time).

use std::future::Future;
use std::ops::{Deref, DerefMut};

use async_trait::async_trait;
use chatkit::{HandlerError, Turn};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::model::ToolSpec;

/// Why a tool call failed.
///
/// Failures of the tool itself go back to the model as its output (`"Error: …"`), so it can
/// recover; a [`ToolError::Handler`] error (the client disconnected, the store failed) stops
/// the response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ToolError {
    /// The arguments do not match the tool's schema.
    #[error("invalid arguments: {0}")]
    InvalidArguments(String),
    /// The tool failed; the message is shown to the model.
    #[error("{0}")]
    Failed(String),
    /// Writing to the thread failed: the response stops.
    #[error("{0}")]
    Handler(HandlerError),
}

impl ToolError {
    /// A failure reported to the model.
    pub fn failed(message: impl Into<String>) -> Self {
        ToolError::Failed(message.into())
    }
}

impl From<HandlerError> for ToolError {
    fn from(err: HandlerError) -> Self {
        ToolError::Handler(err)
    }
}

/// A tool whose arguments arrive as JSON text.
#[async_trait]
pub trait Tool<C>: Send + Sync {
    /// Name, description and argument schema for the model.
    fn spec(&self) -> ToolSpec;

    /// Runs the tool; the returned text is the output the model sees.
    async fn call(&self, ctx: &mut ToolContext<'_, C>, arguments: &str) -> Result<String, ToolError>;
}

/// A tool with typed arguments.
///
/// ```
/// use chatkit_agents::tools::{FunctionTool, ToolContext, ToolError};
/// use chatkit::RequestContext;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Args {
///     /// The city.
///     city: String,
/// }
///
/// struct Weather;
///
/// impl FunctionTool<RequestContext> for Weather {
///     type Args = Args;
///     fn name(&self) -> &str { "get_weather" }
///     fn description(&self) -> &str { "Shows the forecast for a city" }
///     async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, args: Args) -> Result<String, ToolError> {
///         ctx.emit(chatkit::ThreadStreamEvent::progress(format!("Looking up {}", args.city))).await?;
///         Ok(format!("Sunny in {}", args.city))
///     }
/// }
///
/// use chatkit_agents::tools::{Tool, Typed};
/// let spec = Tool::<RequestContext>::spec(&Typed(Weather));
/// assert_eq!(spec.parameters["properties"]["city"]["type"], "string");
/// assert_eq!(spec.parameters["required"][0], "city");
/// ```
pub trait FunctionTool<C>: Send + Sync {
    /// The arguments.
    type Args: DeserializeOwned + schemars::JsonSchema + Send;

    /// The function name the model calls.
    fn name(&self) -> &str;

    /// What the tool does, for the model.
    fn description(&self) -> &str;

    /// Runs the tool; the returned text is the output the model sees.
    fn run(&self, ctx: &mut ToolContext<'_, C>, args: Self::Args) -> impl Future<Output = Result<String, ToolError>> + Send;
}

/// The JSON schema of a type, as model APIs want it (no `$schema` member).
///
/// ```
/// #[derive(schemars::JsonSchema)]
/// struct Args { count: u32 }
/// let schema = chatkit_agents::tools::schema_of::<Args>();
/// assert_eq!(schema["type"], "object");
/// assert!(schema.get("$schema").is_none());
/// ```
pub fn schema_of<T: schemars::JsonSchema>() -> Value {
    let mut schema = schemars::schema_for!(T).to_value();
    if let Value::Object(map) = &mut schema {
        map.remove("$schema");
        map.remove("title");
    }
    schema
}

/// A [`FunctionTool`] as a [`Tool`]: arguments parsed from JSON, schema from the type.
/// ([`Agent::tool`](crate::Agent::tool) wraps typed tools in it.)
#[derive(Clone, Copy, Debug, Default)]
pub struct Typed<T>(pub T);

#[async_trait]
impl<C: Send + Sync + 'static, T: FunctionTool<C>> Tool<C> for Typed<T> {
    fn spec(&self) -> ToolSpec {
        ToolSpec::new(self.0.name(), self.0.description(), schema_of::<T::Args>())
    }

    async fn call(&self, ctx: &mut ToolContext<'_, C>, arguments: &str) -> Result<String, ToolError> {
        let arguments = if arguments.trim().is_empty() { "{}" } else { arguments };
        let args: T::Args = serde_json::from_str(arguments).map_err(|e| ToolError::InvalidArguments(e.to_string()))?;
        self.0.run(ctx, args).await
    }
}

/// A call handed to the client (`client_tool_call` item); the response stops there and
/// continues when the client sends the output.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientToolRequest {
    /// The client tool's name.
    pub name: String,
    /// Its arguments.
    pub arguments: Map<String, Value>,
}

/// What a tool handler writes to: the turn, plus the client tool hand-off.
///
/// Dereferences to [`Turn`], so `ctx.show_widget(..)`, `ctx.stream_widget(..)`,
/// `ctx.replace_widget(..)`, `ctx.add_hidden_context(..)` and `ctx.emit(..)` (client effects,
/// progress updates) all work inside a tool.
pub struct ToolContext<'a, C> {
    turn: &'a mut Turn<C>,
    call_id: String,
    client_tool: Option<ClientToolRequest>,
}

impl<'a, C> ToolContext<'a, C> {
    /// A context for the call `call_id`.
    pub fn new(turn: &'a mut Turn<C>, call_id: impl Into<String>) -> Self {
        Self { turn, call_id: call_id.into(), client_tool: None }
    }

    /// The model's id for this call.
    pub fn call_id(&self) -> &str {
        &self.call_id
    }

    /// Hands the call to the client: after this tool returns, a pending `client_tool_call`
    /// item is sent and the response stops until the client answers
    /// (`threads.add_client_tool_output`).
    pub fn call_client_tool(&mut self, name: impl Into<String>, arguments: Map<String, Value>) {
        self.client_tool = Some(ClientToolRequest { name: name.into(), arguments });
    }

    /// The client tool call requested, if any.
    pub fn client_tool(&self) -> Option<&ClientToolRequest> {
        self.client_tool.as_ref()
    }

    /// Takes the client tool request.
    pub fn take_client_tool(&mut self) -> Option<ClientToolRequest> {
        self.client_tool.take()
    }
}

impl<C> Deref for ToolContext<'_, C> {
    type Target = Turn<C>;

    fn deref(&self) -> &Turn<C> {
        self.turn
    }
}

impl<C> DerefMut for ToolContext<'_, C> {
    fn deref_mut(&mut self) -> &mut Turn<C> {
        self.turn
    }
}
