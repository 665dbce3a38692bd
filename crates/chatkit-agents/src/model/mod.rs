//! Language models: one streaming interface, OpenAI-compatible HTTP clients, an offline model.
//!
//! A [`Model`] takes a [`ModelRequest`] (instructions, input in the Responses API item format
//! that [`convert`](crate::convert) produces, tool definitions) and streams [`ModelEvent`]s:
//! text deltas, annotations, reasoning, tool calls, usage. Both wire protocols map to the same
//! events, so the rest of the crate does not care which one a server speaks:
//!
//! * [`OpenAiModel`] — any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, llama.cpp)
//!   over Chat Completions or the Responses API, with retries, timeouts and cancellation.
//! * [`ScriptedModel`] — deterministic replies that call tools, for demos and tests offline;
//!   a message `/NAME {json}` ([`ToolCommand`]) makes it call any tool.
//! * [`Recording`] — any model, keeping the requests it was asked, for tests.

mod chat;
mod command;
mod error;
mod openai;
mod recording;
mod responses;
mod scripted;
pub mod sse;

use std::pin::Pin;

use async_trait::async_trait;
use futures_util::Stream;
use serde_json::Value;

pub use command::{ToolCommand, ToolCommandError};
pub use error::ModelError;
pub use openai::{Api, OPENAI_BASE_URL, OpenAiConfig, OpenAiModel};
pub use recording::Recording;
pub use responses::convert_annotation;
pub use scripted::{ScriptedModel, ScriptedRule};

use crate::convert::InputItem;

/// The events of one model response, in order.
pub type ModelStream = Pin<Box<dyn Stream<Item = Result<ModelEvent, ModelError>> + Send>>;

/// A language model that streams its answer.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use chatkit_agents::model::{Model, ModelEvent, ModelRequest, ScriptedModel};
/// use futures_util::StreamExt;
/// let model = ScriptedModel::new();
/// let request = ModelRequest::new("Be brief.", vec![chatkit_agents::convert::user_text("hello")]);
/// let mut events = model.stream(request).await.unwrap();
/// let mut text = String::new();
/// while let Some(event) = events.next().await {
///     if let ModelEvent::TextDelta(delta) = event.unwrap() { text.push_str(&delta); }
/// }
/// assert!(text.contains("hello"));
/// # });
/// ```
#[async_trait]
pub trait Model: Send + Sync {
    /// Starts a response. Errors before the first event (connection, HTTP status after the
    /// retries) are returned here; errors later arrive in the stream. Dropping the stream
    /// cancels the request.
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ModelError>;
}

/// What the model is asked.
///
/// ```
/// use chatkit_agents::model::{ModelRequest, ToolSpec};
/// let request = ModelRequest::new("You are terse.", vec![chatkit_agents::convert::user_text("hi")])
///     .tools(vec![ToolSpec::new("clock", "The time", serde_json::json!({"type": "object"}))]);
/// assert_eq!(request.tools.len(), 1);
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ModelRequest {
    /// The model name; `None` uses the client's default.
    pub model: Option<String>,
    /// The system instructions.
    pub instructions: String,
    /// The conversation, as Responses API input items.
    pub input: Vec<InputItem>,
    /// The functions the model may call.
    pub tools: Vec<ToolSpec>,
    /// Whether and which tool the model must call.
    pub tool_choice: Option<ToolChoice>,
    /// Tools the model API runs itself, sent as is among the Responses API `tools` (e.g.
    /// `{"type": "image_generation"}`, whose images become generated image items). Chat
    /// Completions has no such tools; its client leaves them out.
    pub hosted_tools: Vec<Value>,
}

impl ModelRequest {
    /// A request with instructions and input, no tools.
    pub fn new(instructions: impl Into<String>, input: Vec<InputItem>) -> Self {
        Self { instructions: instructions.into(), input, ..Self::default() }
    }

    /// Sets the tools.
    #[must_use]
    pub fn tools(mut self, tools: Vec<ToolSpec>) -> Self {
        self.tools = tools;
        self
    }

    /// Sets the hosted tools (see [`ModelRequest::hosted_tools`]).
    #[must_use]
    pub fn hosted_tools(mut self, tools: Vec<Value>) -> Self {
        self.hosted_tools = tools;
        self
    }

    /// Sets the model name.
    #[must_use]
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the tool choice.
    #[must_use]
    pub fn tool_choice(mut self, choice: ToolChoice) -> Self {
        self.tool_choice = Some(choice);
        self
    }

    /// The text of the last user message of the input, if any.
    ///
    /// ```
    /// use chatkit_agents::{convert::user_text, model::ModelRequest};
    /// let request = ModelRequest::new("", vec![user_text("a"), user_text("b")]);
    /// assert_eq!(request.last_user_text().as_deref(), Some("b"));
    /// ```
    pub fn last_user_text(&self) -> Option<String> {
        self.input.iter().rev().find(|item| item["type"] == "message" && item["role"] == "user").map(message_text)
    }
}

/// The text parts of a message input item, joined by newlines.
pub(crate) fn message_text(item: &Value) -> String {
    match &item["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect::<Vec<_>>().join("\n"),
        _ => String::new(),
    }
}

/// A function the model may call.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolSpec {
    /// Function name.
    pub name: String,
    /// What it does, for the model.
    pub description: String,
    /// JSON schema of the arguments object.
    pub parameters: Value,
}

impl ToolSpec {
    /// A tool definition.
    ///
    /// ```
    /// let spec = chatkit_agents::model::ToolSpec::new("clock", "The time", serde_json::json!({"type": "object"}));
    /// assert_eq!(spec.name, "clock");
    /// ```
    pub fn new(name: impl Into<String>, description: impl Into<String>, parameters: Value) -> Self {
        Self { name: name.into(), description: description.into(), parameters }
    }
}

/// Whether the model must call a tool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ToolChoice {
    /// The model decides.
    Auto,
    /// The model must call some tool.
    Required,
    /// The model must not call tools.
    None,
    /// The model must call this function.
    Function(String),
}

impl ToolChoice {
    /// The wire form: the mode's string, or `function(name)`, the API's object naming a
    /// function.
    pub(crate) fn to_wire(&self, function: impl FnOnce(&str) -> Value) -> Value {
        match self {
            ToolChoice::Auto => Value::from("auto"),
            ToolChoice::Required => Value::from("required"),
            ToolChoice::None => Value::from("none"),
            ToolChoice::Function(name) => function(name),
        }
    }
}

/// One event of a model response.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ModelEvent {
    /// More text of the assistant message (a message starts with its first delta).
    TextDelta(String),
    /// A citation in the current message's text.
    Annotation(Box<chatkit::Annotation>),
    /// The current assistant message is complete.
    MessageDone,
    /// More text of the current reasoning summary part.
    ReasoningDelta(String),
    /// The current reasoning summary part is complete.
    ReasoningDone,
    /// A complete function call.
    ToolCall(ToolCall),
    /// Token counts of the response.
    Usage(Usage),
    /// The id the model API gave the assistant message that follows (Responses API output
    /// item id); the message's ChatKit item gets this id, as in the reference.
    MessageId(String),
    /// An image generation call started (Responses API `image_generation_call`).
    ImageStarted {
        /// The call's id.
        id: String,
    },
    /// A partial image of the current image generation call.
    ImagePartial {
        /// The call's id.
        id: String,
        /// The image so far, base64 (PNG unless the request asked otherwise).
        b64: String,
        /// Which partial image this is, from 0.
        index: u32,
    },
    /// The final image of the current image generation call.
    ImageDone {
        /// The call's id.
        id: String,
        /// The image, base64.
        b64: String,
    },
}

/// A function call the model made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolCall {
    /// The id that links the call to its output.
    pub call_id: String,
    /// Function name.
    pub name: String,
    /// Arguments as JSON text, as the model wrote them.
    pub arguments: String,
}

/// Token counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Input (prompt) tokens.
    pub input_tokens: u64,
    /// Output (completion) tokens.
    pub output_tokens: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Self) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
    }
}
