//! The offline model: answers like a language model would, deterministically, without a
//! network, by calling the board's tools.

use std::time::Duration;

use async_trait::async_trait;
use chatkit_agents::model::{Model, ModelError, ModelEvent, ModelRequest, ModelStream, ToolCall, ToolChoice, ToolCommand};
use futures_util::StreamExt;
use serde_json::Value;

use crate::events::BoardEvent;
use crate::script::{HELP, Said, Step, as_list, as_new_task, script_step};
use crate::tools::{ADD_TASK, LIST_TASKS};

/// The task board's offline model.
///
/// It reads the request a real model gets — instructions, the thread as model input (tags as
/// `<TASK …>`/`<PERSON …>` markers, hidden context included), the offered tools and the tool
/// choice — and answers with function calls of the board's tools, or text:
///
/// * a message `/NAME {json arguments}` ([`ToolCommand`]) calls any tool the agent offers —
///   the board's, or those of MCP servers — with those arguments;
/// * the last user message is read by [`script_step`] ("add task …", "show tasks for @Ada",
///   "complete …", "assign … to …", "new task", "recap", "help");
/// * a forced tool (the `board` composer tool) or a required one (`new_task`) is called with
///   what the message says;
/// * after tool calls, their results are the answer;
/// * "recap" lists the `<TASK_EVENT …>` hidden context of the thread — what the user did
///   through widgets, which a real model reads the same way.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use chatkit_agents::model::{Model, ModelEvent, ModelRequest, ToolSpec};
/// use futures_util::StreamExt;
/// let request = ModelRequest::new("", vec![chatkit_agents::convert::user_text("add task Ship it for Ada")])
///     .tools(vec![ToolSpec::new("add_task", "Add a task", serde_json::json!({"type": "object"}))]);
/// let events: Vec<_> = task_board::BoardModel::new().stream(request).await.unwrap().collect().await;
/// let Ok(ModelEvent::ToolCall(call)) = &events[0] else { panic!("a tool call") };
/// assert_eq!((call.name.as_str(), call.arguments.as_str()), ("add_task", r#"{"title":"Ship it","assignee":"ada"}"#));
/// # });
/// ```
#[derive(Clone, Debug, Default)]
pub struct BoardModel {
    delay: Duration,
}

impl BoardModel {
    /// The model, answering at once.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits this long before each word, so answers visibly stream.
    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn answer(&self, request: &ModelRequest) -> Vec<ModelEvent> {
        let offered = |name: &str| request.tools.iter().any(|t| t.name == name);
        let outputs: Vec<&Value> = request.input.iter().rev().take_while(|i| i["type"] == "function_call_output").collect();
        let typed = last_user_text(&request.input);
        let reply = if !outputs.is_empty() {
            let results: Vec<String> = outputs.iter().rev().map(|o| output_text(&o["output"])).collect();
            results.join("\n")
        } else if let Some(command) = ToolCommand::call_for(&typed, request).transpose() {
            match command {
                Ok(call) => return vec![ModelEvent::ToolCall(call)],
                Err(err) => err.to_string(),
            }
        } else {
            let said = Said::parse(&typed);
            let step = match &request.tool_choice {
                Some(ToolChoice::Function(name)) if name == LIST_TASKS => as_list(&said),
                Some(ToolChoice::Required) if offered(ADD_TASK) => as_new_task(&said),
                _ => script_step(&said),
            };
            match step {
                Step::Tool(call) if offered(call.name()) => {
                    let calls = request.input.iter().filter(|i| i["type"] == "function_call").count();
                    let call_id = format!("call_{}", calls + 1);
                    return vec![ModelEvent::ToolCall(ToolCall { call_id, name: call.name().to_owned(), arguments: call.arguments() })];
                }
                Step::Tool(call) => format!("I can't use `{}` here.", call.name()),
                Step::Help => HELP.to_owned(),
                Step::Recap => recap(&request.input),
                Step::Unknown => "I didn't catch that. Try “add task …”, “show tasks”, or “help”.".to_owned(),
            }
        };
        let mut events: Vec<ModelEvent> = reply.split_inclusive(' ').map(|w| ModelEvent::TextDelta(w.to_owned())).collect();
        events.push(ModelEvent::MessageDone);
        events
    }
}

/// A tool output as the reply: failures are said plainly.
fn output_text(output: &Value) -> String {
    let text = output.as_str().map_or_else(|| output.to_string(), str::to_owned);
    text.strip_prefix("Error: ").map(str::to_owned).unwrap_or(text)
}

/// The text of a user message input item.
fn message_text(item: &Value) -> String {
    match &item["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect::<Vec<_>>().join(""),
        _ => String::new(),
    }
}

/// Hidden context reaches the model as user messages in a `<HiddenContext>` envelope.
fn is_hidden_context(text: &str) -> bool {
    text.contains("<HiddenContext>")
}

/// The last message the user wrote (not hidden context).
fn last_user_text(input: &[Value]) -> String {
    input
        .iter()
        .rev()
        .filter(|i| i["type"] == "message" && i["role"] == "user")
        .map(message_text)
        .find(|text| !is_hidden_context(text))
        .unwrap_or_default()
}

/// What the user did through widgets, read from the thread's hidden context.
fn recap(input: &[Value]) -> String {
    let events: Vec<BoardEvent> = input
        .iter()
        .filter(|i| i["type"] == "message" && i["role"] == "user")
        .map(message_text)
        .filter(|text| is_hidden_context(text))
        .flat_map(|text| {
            let mut found = Vec::new();
            let mut rest = text.as_str();
            while let Some(start) = rest.find("<TASK_EVENT ") {
                let Some(len) = rest[start..].find("</TASK_EVENT>") else { break };
                let end = start + len + "</TASK_EVENT>".len();
                found.extend(BoardEvent::parse(&rest[start..end]));
                rest = &rest[end..];
            }
            found
        })
        .collect();
    if events.is_empty() {
        return "You haven't changed anything on the board in this chat yet.".to_owned();
    }
    let lines: Vec<String> = events.iter().map(|e| format!("- You {}", e.describe())).collect();
    format!("Here is what you did in this chat:\n{}", lines.join("\n"))
}

#[async_trait]
impl Model for BoardModel {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ModelError> {
        let events = self.answer(&request);
        let delay = self.delay;
        Ok(Box::pin(futures_util::stream::iter(events).then(move |event| async move {
            if !delay.is_zero() && matches!(event, ModelEvent::TextDelta(_)) {
                tokio::time::sleep(delay).await;
            }
            Ok(event)
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatkit_agents::convert::user_text;
    use chatkit_agents::model::ToolSpec;
    use serde_json::json;

    fn tools(names: &[&str]) -> Vec<ToolSpec> {
        names.iter().map(|n| ToolSpec::new(*n, "", json!({"type": "object"}))).collect()
    }

    fn text_of(events: &[ModelEvent]) -> String {
        events.iter().filter_map(|e| if let ModelEvent::TextDelta(t) = e { Some(t.as_str()) } else { None }).collect()
    }

    fn call_of(events: &[ModelEvent]) -> (String, Value) {
        let Some(ModelEvent::ToolCall(call)) = events.first() else { panic!("a tool call: {events:?}") };
        (call.name.clone(), serde_json::from_str(&call.arguments).expect("JSON arguments"))
    }

    const ALL: [&str; 5] = ["list_tasks", "add_task", "complete_task", "assign_task", "show_task_form"];

    #[test]
    fn calls_tools_then_reports_their_results() {
        let model = BoardModel::new();
        let input = vec![user_text(r#"complete <TASK id="task-1">Docs</TASK>"#)];
        let request = ModelRequest::new("", input.clone()).tools(tools(&ALL));
        assert_eq!(call_of(&model.answer(&request)), ("complete_task".into(), json!({"task": "task-1"})));
        let mut after = input;
        after.push(json!({"type": "function_call", "call_id": "call_1", "name": "complete_task", "arguments": "{}"}));
        after.push(json!({"type": "function_call_output", "call_id": "call_1", "output": "Marked “Docs” as done."}));
        let events = model.answer(&ModelRequest::new("", after).tools(tools(&ALL)));
        assert_eq!(text_of(&events), "Marked “Docs” as done.");
        assert_eq!(events.last(), Some(&ModelEvent::MessageDone));
    }

    #[test]
    fn composer_tools_force_the_call() {
        let model = BoardModel::new();
        let board = ModelRequest::new("", vec![user_text("add task x")])
            .tools(tools(&["list_tasks"]))
            .tool_choice(ToolChoice::Function("list_tasks".into()));
        assert_eq!(call_of(&model.answer(&board)).0, "list_tasks");
        let new_task = ModelRequest::new("", vec![user_text("show tasks")])
            .tools(tools(&["add_task", "show_task_form"]))
            .tool_choice(ToolChoice::Required);
        assert_eq!(call_of(&model.answer(&new_task)), ("add_task".into(), json!({"title": "show tasks"})));
        // A tool the agent does not offer is not called.
        let limited = ModelRequest::new("", vec![user_text("show tasks")]).tools(tools(&["add_task"]));
        assert_eq!(text_of(&model.answer(&limited)), "I can't use `list_tasks` here.");
    }

    #[test]
    fn recap_reads_hidden_context_not_the_last_message() {
        let hidden = "Hidden context for the agent (not shown to the user):\n<HiddenContext>\n\
            <TASK_EVENT kind=\"completed\" id=\"task-1\">Docs</TASK_EVENT>\n</HiddenContext>";
        let input = vec![user_text("show tasks"), user_text(hidden), user_text("recap"), user_text(hidden)];
        let events = BoardModel::new().answer(&ModelRequest::new("", input).tools(tools(&ALL)));
        assert_eq!(text_of(&events), "Here is what you did in this chat:\n- You completed “Docs”\n- You completed “Docs”");
        let none = BoardModel::new().answer(&ModelRequest::new("", vec![user_text("recap")]));
        assert_eq!(text_of(&none), "You haven't changed anything on the board in this chat yet.");
    }

    #[test]
    fn failures_are_said_plainly() {
        let input = vec![
            user_text("add task x for Bob"),
            json!({"type": "function_call", "call_id": "call_1", "name": "add_task", "arguments": "{}"}),
            json!({"type": "function_call_output", "call_id": "call_1", "output": "Error: I don't know “Bob”."}),
        ];
        let events = BoardModel::new().answer(&ModelRequest::new("", input));
        assert_eq!(text_of(&events), "I don't know “Bob”.");
    }

    #[test]
    fn a_typed_tool_command_calls_any_offered_tool() {
        let model = BoardModel::new();
        let request = ModelRequest::new("", vec![user_text(r#"/show_card {"title": "Hi"}"#)]).tools(tools(&["list_tasks", "show_card"]));
        assert_eq!(call_of(&model.answer(&request)), ("show_card".into(), json!({"title": "Hi"})));
        let board = ModelRequest::new("", vec![user_text(r#"/list_tasks {"assignee": "ada"}"#)]).tools(tools(&ALL));
        assert_eq!(call_of(&model.answer(&board)), ("list_tasks".into(), json!({"assignee": "ada"})));
        let missing = ModelRequest::new("", vec![user_text("/show_card")]).tools(tools(&["list_tasks"]));
        assert_eq!(text_of(&model.answer(&missing)), "there is no tool `show_card` here; the tools are: list_tasks");
    }
}
