//! The agent runner: instructions, tools, a model and a converter answer a turn.

use std::sync::Arc;

use chatkit::{
    ClientToolCallItem, HandlerError, HandlerResult, IdKind, InferenceOptions, ThreadItem, ThreadStreamEvent, Timestamp,
    ToolCallStatus, Turn,
};
use serde_json::json;

use crate::convert::{DefaultConverter, InputItem, ItemConverter};
use crate::model::{Model, ModelRequest, ToolCall, ToolChoice, Usage};
use crate::stream::stream_model_events_with;
use crate::tools::{FunctionTool, Tool, ToolContext, ToolError, Typed};

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct RunOutcome {
    /// Model calls made.
    pub model_calls: usize,
    /// Tool calls run.
    pub tool_calls: usize,
    /// Token counts over all model calls.
    pub usage: Usage,
    /// Whether the run stopped at a client tool call.
    pub waiting_for_client: bool,
}

/// A model with instructions and tools, answering ChatKit turns.
///
/// [`respond`](Agent::respond) converts the thread's history into model input (with the
/// [`ItemConverter`]), streams the model's answer into the turn, runs the tools it calls, sends
/// their outputs back, and repeats until the model answers without calling a tool.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use chatkit::{ChatKit, ChatKitServer, HandlerResult, MemoryStore, Processed, RequestContext, Turn, UserMessageItem};
/// use chatkit_agents::{Agent, model::ScriptedModel};
///
/// struct App { agent: Agent<RequestContext> }
/// impl ChatKitServer for App {
///     type Context = RequestContext;
///     async fn respond(&self, turn: &mut Turn<RequestContext>, _input: Option<UserMessageItem>) -> HandlerResult {
///         self.agent.respond(turn).await.map(|_| ())
///     }
/// }
/// let agent = Agent::new("echo", ScriptedModel::new()).instructions("Repeat the user.");
/// let chatkit = ChatKit::new(App { agent }, MemoryStore::new());
/// let body = br#"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"ping"}],"attachments":[],"inference_options":{}}}}"#;
/// let Processed::Stream(stream) = chatkit.process(body, RequestContext::new("u")).await.unwrap() else { unreachable!() };
/// assert!(chatkit::sse::parse(&stream.collect().await).last().unwrap().contains("You said: ping"));
/// # });
/// ```
pub struct Agent<C> {
    name: String,
    instructions: String,
    model: Arc<dyn Model>,
    model_name: Option<String>,
    tools: Vec<Arc<dyn Tool<C>>>,
    hosted_tools: Vec<serde_json::Value>,
    partial_images: Option<u32>,
    tool_choice: Option<ToolChoice>,
    converter: Arc<dyn ItemConverter>,
    max_model_calls: usize,
    stop_at: Vec<String>,
}

impl<C> Clone for Agent<C> {
    fn clone(&self) -> Self {
        Self {
            name: self.name.clone(),
            instructions: self.instructions.clone(),
            model: self.model.clone(),
            model_name: self.model_name.clone(),
            tools: self.tools.clone(),
            hosted_tools: self.hosted_tools.clone(),
            partial_images: self.partial_images,
            tool_choice: self.tool_choice.clone(),
            converter: self.converter.clone(),
            max_model_calls: self.max_model_calls,
            stop_at: self.stop_at.clone(),
        }
    }
}

impl<C: Send + Sync + 'static> Agent<C> {
    /// An agent without instructions or tools, with the default converter and at most 10
    /// model calls per turn.
    pub fn new(name: impl Into<String>, model: impl Model + 'static) -> Self {
        Self::with_model(name, Arc::new(model))
    }

    /// [`new`](Self::new) with a shared model.
    pub fn with_model(name: impl Into<String>, model: Arc<dyn Model>) -> Self {
        Self {
            name: name.into(),
            instructions: String::new(),
            model,
            model_name: None,
            tools: Vec::new(),
            hosted_tools: Vec::new(),
            partial_images: None,
            tool_choice: None,
            converter: Arc::new(DefaultConverter),
            max_model_calls: 10,
            stop_at: Vec::new(),
        }
    }

    /// The agent's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the system instructions.
    #[must_use]
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = instructions.into();
        self
    }

    /// Adds a typed tool.
    #[must_use]
    pub fn tool(mut self, tool: impl FunctionTool<C> + 'static) -> Self {
        self.tools.push(Arc::new(Typed(tool)));
        self
    }

    /// Adds a tool whose arguments arrive as JSON text.
    #[must_use]
    pub fn raw_tool(mut self, tool: impl Tool<C> + 'static) -> Self {
        self.tools.push(Arc::new(tool));
        self
    }

    /// Adds shared tools (e.g. those of an MCP server).
    #[must_use]
    pub fn tools(mut self, tools: impl IntoIterator<Item = Arc<dyn Tool<C>>>) -> Self {
        self.tools.extend(tools);
        self
    }

    /// Adds a tool the model API runs itself (Responses API only), sent as is, e.g.
    /// `json!({"type": "image_generation", "partial_images": 2})`: the images it makes are
    /// streamed and stored as generated image items.
    #[must_use]
    pub fn hosted_tool(mut self, tool: serde_json::Value) -> Self {
        self.hosted_tools.push(tool);
        self
    }

    /// Reports the progress of generated images as a fraction of this many partial images (the
    /// number the image generation tool is asked for): partial image `i` has progress `i / n`.
    /// Unset, their progress is 0 (the reference's `ResponseStreamConverter(partial_images=n)`).
    #[must_use]
    pub fn partial_images(mut self, n: u32) -> Self {
        self.partial_images = Some(n);
        self
    }

    /// Sets the model name sent with each request (default: the model client's).
    #[must_use]
    pub fn model_name(mut self, name: impl Into<String>) -> Self {
        self.model_name = Some(name.into());
        self
    }

    /// Forces or forbids tool calls on the first model call of a turn.
    #[must_use]
    pub fn tool_choice(mut self, choice: ToolChoice) -> Self {
        self.tool_choice = Some(choice);
        self
    }

    /// Sets the item converter.
    #[must_use]
    pub fn converter(mut self, converter: impl ItemConverter + 'static) -> Self {
        self.converter = Arc::new(converter);
        self
    }

    /// Sets the limit of model calls per turn (at least 1).
    #[must_use]
    pub fn max_model_calls(mut self, limit: usize) -> Self {
        self.max_model_calls = limit.max(1);
        self
    }

    /// Ends the turn right after any of these tools runs, without asking the model to comment
    /// on its output (the reference's `StopAtTools`). For tools whose widget or message is the
    /// answer: a name picker, a profile card.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use chatkit::{ChatKit, ChatKitServer, HandlerResult, MemoryStore, Processed, RequestContext, Turn, UserMessageItem};
    /// use chatkit_agents::{Agent, FunctionTool, ToolContext, ToolError, model::ScriptedModel};
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct NoArgs {}
    /// struct Card;
    /// impl FunctionTool<RequestContext> for Card {
    ///     type Args = NoArgs;
    ///     fn name(&self) -> &str { "show_card" }
    ///     fn description(&self) -> &str { "Shows the card" }
    ///     async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, _: NoArgs) -> Result<String, ToolError> {
    ///         ctx.say("Here is your card.").await?;
    ///         Ok("The card is shown.".into())
    ///     }
    /// }
    /// struct App { agent: Agent<RequestContext> }
    /// impl ChatKitServer for App {
    ///     type Context = RequestContext;
    ///     async fn respond(&self, turn: &mut Turn<RequestContext>, _: Option<UserMessageItem>) -> HandlerResult {
    ///         let outcome = self.agent.respond(turn).await?;
    ///         assert_eq!((outcome.model_calls, outcome.tool_calls), (1, 1)); // no second model call
    ///         Ok(())
    ///     }
    /// }
    /// let model = ScriptedModel::new().rule("card", "show_card", serde_json::json!({}));
    /// let agent = Agent::new("cards", model).tool(Card).stop_at_tools(["show_card"]);
    /// let chatkit = ChatKit::new(App { agent }, MemoryStore::new());
    /// let body = br#"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"my card"}],"attachments":[],"inference_options":{}}}}"#;
    /// let Processed::Stream(stream) = chatkit.process(body, RequestContext::new("u")).await.unwrap() else { unreachable!() };
    /// let frames = chatkit::sse::parse(&stream.collect().await);
    /// assert!(frames.last().unwrap().contains("Here is your card."));
    /// # });
    /// ```
    #[must_use]
    pub fn stop_at_tools<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.stop_at.extend(names.into_iter().map(Into::into));
        self
    }

    /// The model input for the thread's history.
    pub async fn input(&self, turn: &Turn<C>) -> HandlerResult<Vec<InputItem>> {
        let history = turn.history().await?;
        self.converter.convert(&history).await.map_err(HandlerError::from)
    }

    /// Answers the turn from the thread's history.
    pub async fn respond(&self, turn: &mut Turn<C>) -> HandlerResult<RunOutcome> {
        let input = self.input(turn).await?;
        self.run(turn, input, None).await
    }

    /// Answers the turn from explicit input; `model` overrides the model name (e.g. the
    /// composer's model choice).
    pub async fn run(&self, turn: &mut Turn<C>, mut input: Vec<InputItem>, model: Option<&str>) -> HandlerResult<RunOutcome> {
        let mut outcome = RunOutcome::default();
        let specs: Vec<_> = self.tools.iter().map(|t| t.spec()).collect();
        loop {
            if outcome.model_calls == self.max_model_calls {
                return Err(HandlerError::custom(format!(
                    "The agent stopped after {} model calls without a final answer.",
                    self.max_model_calls
                )));
            }
            let mut request = ModelRequest::new(self.instructions.clone(), input.clone())
                .tools(specs.clone())
                .hosted_tools(self.hosted_tools.clone());
            request.model = model.map(str::to_owned).or_else(|| self.model_name.clone());
            if outcome.model_calls == 0 {
                request.tool_choice = self.tool_choice.clone();
            }
            outcome.model_calls += 1;
            let events = self.model.stream(request).await.map_err(|e| e.into_handler_error())?;
            let output = stream_model_events_with(turn, events, self.partial_images).await?;
            outcome.usage += output.usage;
            for text in &output.messages {
                input.push(json!({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}));
            }
            if output.tool_calls.is_empty() {
                tracing::debug!(agent = %self.name, ?outcome, "turn answered");
                return Ok(outcome);
            }
            let stop = output.tool_calls.iter().any(|call| self.stop_at.contains(&call.name));
            for call in output.tool_calls {
                outcome.tool_calls += 1;
                input.push(json!({"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments}));
                let (output, client_tool) = self.call_tool(turn, &call).await?;
                if let Some(request) = client_tool {
                    let item = ClientToolCallItem {
                        id: turn.new_id(IdKind::ToolCall),
                        thread_id: turn.thread().id.clone(),
                        created_at: Timestamp::now(),
                        status: ToolCallStatus::Pending,
                        call_id: call.call_id.clone(),
                        name: request.name,
                        arguments: request.arguments,
                        output: None,
                    };
                    turn.emit(ThreadStreamEvent::done(ThreadItem::ClientToolCall(item))).await?;
                    outcome.waiting_for_client = true;
                    return Ok(outcome);
                }
                input.push(json!({"type": "function_call_output", "call_id": call.call_id, "output": output}));
            }
            if stop {
                tracing::debug!(agent = %self.name, ?outcome, "turn ended by a stop-at tool");
                return Ok(outcome);
            }
        }
    }

    async fn call_tool(
        &self,
        turn: &mut Turn<C>,
        call: &ToolCall,
    ) -> HandlerResult<(String, Option<crate::tools::ClientToolRequest>)> {
        let Some(tool) = self.tools.iter().find(|t| t.spec().name == call.name) else {
            tracing::warn!(agent = %self.name, tool = %call.name, "the model called an unknown tool");
            return Ok((format!("Error: there is no tool named `{}`.", call.name), None));
        };
        let mut ctx = ToolContext::new(turn, call.call_id.clone());
        let result = tool.call(&mut ctx, &call.arguments).await;
        let client_tool = ctx.take_client_tool();
        match result {
            Ok(output) => Ok((output, client_tool)),
            Err(ToolError::Handler(err)) => Err(err),
            Err(err) => {
                tracing::info!(agent = %self.name, tool = %call.name, error = %err, "tool failed; the model is told");
                Ok((format!("Error: {err}"), client_tool))
            }
        }
    }
}

/// Picks an agent for each turn: by the composer's tool choice, else the default.
///
/// ```
/// use chatkit::{InferenceOptions, RequestContext, ToolChoice};
/// use chatkit_agents::{Agent, Agents, model::ScriptedModel};
/// let agents: Agents<RequestContext> = Agents::new(Agent::new("general", ScriptedModel::new()))
///     .route("research", Agent::new("researcher", ScriptedModel::new()));
/// let options = InferenceOptions { tool_choice: Some(ToolChoice { id: "research".into() }), model: None };
/// assert_eq!(agents.select(&options).name(), "researcher");
/// assert_eq!(agents.select(&InferenceOptions::default()).name(), "general");
/// ```
pub struct Agents<C> {
    default: Agent<C>,
    routes: Vec<(String, Agent<C>)>,
}

impl<C: Send + Sync + 'static> Agents<C> {
    /// Routing with a default agent.
    pub fn new(default: Agent<C>) -> Self {
        Self { default, routes: Vec::new() }
    }

    /// Sends turns whose composer tool is `tool_id` to `agent`.
    #[must_use]
    pub fn route(mut self, tool_id: impl Into<String>, agent: Agent<C>) -> Self {
        self.routes.push((tool_id.into(), agent));
        self
    }

    /// The agent for these composer options.
    pub fn select(&self, options: &InferenceOptions) -> &Agent<C> {
        let chosen = options.tool_choice.as_ref().and_then(|choice| self.routes.iter().find(|(id, _)| *id == choice.id));
        chosen.map_or(&self.default, |(_, agent)| agent)
    }

    /// Answers the turn with the agent the latest user message chose (its tool choice), with
    /// its model choice as the model name.
    pub async fn respond(&self, turn: &mut Turn<C>) -> HandlerResult<RunOutcome> {
        let history = turn.history().await?;
        let options = history
            .iter()
            .rev()
            .find_map(|item| if let ThreadItem::UserMessage(m) = item { Some(m.inference_options.clone()) } else { None })
            .unwrap_or_default();
        let agent = self.select(&options);
        let input = agent.converter.convert(&history).await.map_err(HandlerError::from)?;
        agent.run(turn, input, options.model.as_deref()).await
    }
}

/// The instructions of [`generate_title`]'s request (the scripted model recognises them).
pub(crate) const TITLE_INSTRUCTIONS: &str = "Write a title of at most six words for a conversation that starts with the user's message. \
                                              Answer with the title only, no quotes.";

/// A short title for a thread from its first message, asked of the model
/// (falls back to the message's first words). The scripted model answers with the message's
/// first six words, capitalised.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use chatkit_agents::{generate_title, model::ScriptedModel};
/// let title = generate_title(&ScriptedModel::new(), "what's the quickest way from Cinderia to Lyra Verge?").await;
/// assert_eq!(title, "What's the quickest way from Cinderia");
/// # });
/// ```
pub async fn generate_title(model: &dyn Model, first_message: &str) -> String {
    let fallback = || {
        let words: Vec<&str> = first_message.split_whitespace().take(6).collect();
        let title = words.join(" ");
        if title.is_empty() { "New chat".to_owned() } else { title }
    };
    let request = ModelRequest::new(TITLE_INSTRUCTIONS, vec![crate::convert::user_text(first_message)]);
    let Ok(mut events) = model.stream(request).await else { return fallback() };
    let mut title = String::new();
    while let Some(event) = futures_util::StreamExt::next(&mut events).await {
        match event {
            Ok(crate::model::ModelEvent::TextDelta(delta)) => title.push_str(&delta),
            Ok(_) => {}
            Err(_) => return fallback(),
        }
    }
    let title = title.trim().trim_matches(['"', '\'', '.']).trim();
    if title.is_empty() || title.chars().count() > 80 { fallback() } else { title.to_owned() }
}
