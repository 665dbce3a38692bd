//! A deterministic model for demos and tests without a network.

use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use serde_json::Value;

use super::{Model, ModelError, ModelEvent, ModelRequest, ModelStream, ToolCall, ToolChoice, ToolCommand, Usage, message_text};

/// When the last message the user typed contains `trigger` (ignoring case) and the request
/// offers `tool`, the scripted model calls `tool` with `arguments`. (The messages the converter
/// adds after it — the @-mention context and the quoted text — are not what the user typed.)
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptedRule {
    /// Text that triggers the call, lower case.
    pub trigger: String,
    /// The tool to call.
    pub tool: String,
    /// Its arguments.
    pub arguments: Value,
}

/// A model that answers without a network, the same way every time.
///
/// * Asked for a title by [`generate_title`](crate::generate_title), it answers with the
///   message's first six words, capitalised.
/// * After tool outputs, it reports them: `"Done: <output>"` (one line per output).
/// * When the last user message is a [`ToolCommand`] — `/NAME {json arguments}` — it calls
///   that tool with those arguments (or says why it cannot: the tool is not offered, the
///   arguments are not a JSON object).
/// * When the last user message matches a [`ScriptedRule`] whose tool is offered (or the
///   request forces a tool), it calls that tool.
/// * Otherwise it answers `"You said: <text>"`, streamed word by word.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use chatkit_agents::model::{Model, ModelEvent, ModelRequest, ScriptedModel, ToolSpec};
/// use futures_util::StreamExt;
/// let model = ScriptedModel::new().rule("weather", "get_weather", serde_json::json!({"city": "Paris"}));
/// let request = ModelRequest::new("", vec![chatkit_agents::convert::user_text("Weather in Paris?")])
///     .tools(vec![ToolSpec::new("get_weather", "Forecast", serde_json::json!({"type": "object"}))]);
/// let events: Vec<_> = model.stream(request).await.unwrap().collect().await;
/// let Ok(ModelEvent::ToolCall(call)) = &events[0] else { panic!("expected a tool call") };
/// assert_eq!((call.name.as_str(), call.arguments.as_str()), ("get_weather", r#"{"city":"Paris"}"#));
/// # });
/// ```
#[derive(Clone, Debug, Default)]
pub struct ScriptedModel {
    rules: Vec<ScriptedRule>,
    delay: Duration,
}

impl ScriptedModel {
    /// A model with no rules.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule (see [`ScriptedRule`]).
    #[must_use]
    pub fn rule(mut self, trigger: impl Into<String>, tool: impl Into<String>, arguments: Value) -> Self {
        self.rules.push(ScriptedRule { trigger: trigger.into().to_lowercase(), tool: tool.into(), arguments });
        self
    }

    /// Waits this long before each event, so answers visibly stream.
    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The rules.
    pub fn rules(&self) -> &[ScriptedRule] {
        &self.rules
    }

    fn answer(&self, request: &ModelRequest) -> Vec<ModelEvent> {
        let offered = |name: &str| request.tools.iter().any(|t| t.name == name);
        let calls_so_far = request.input.iter().filter(|i| i["type"] == "function_call").count();
        let trailing_outputs: Vec<&Value> =
            request.input.iter().rev().take_while(|i| i["type"] == "function_call_output").collect();
        let text = typed_text(request);
        let forced = match &request.tool_choice {
            Some(ToolChoice::Function(name)) if offered(name) => Some(name.as_str()),
            _ => None,
        };
        let rule = self
            .rules
            .iter()
            .filter(|r| offered(&r.tool) && forced.is_none_or(|f| f == r.tool))
            .find(|r| forced.is_some() || text.to_lowercase().contains(&r.trigger));
        let reply = if request.instructions == crate::agent::TITLE_INSTRUCTIONS && request.tools.is_empty() {
            title_of(&text)
        } else if !trailing_outputs.is_empty() {
            let lines: Vec<String> = trailing_outputs
                .iter()
                .rev()
                .map(|o| format!("Done: {}", o["output"].as_str().map_or_else(|| o["output"].to_string(), str::to_owned)))
                .collect();
            lines.join("\n")
        } else if let Some(command) = ToolCommand::call_for(&text, request).transpose() {
            match command {
                Ok(call) => return vec![ModelEvent::ToolCall(call), self.usage(request, 1)],
                Err(err) => err.to_string(),
            }
        } else if let Some(rule) = rule {
            let call = ToolCall {
                call_id: format!("call_{}", calls_so_far + 1),
                name: rule.tool.clone(),
                arguments: rule.arguments.to_string(),
            };
            return vec![ModelEvent::ToolCall(call), self.usage(request, 1)];
        } else {
            format!("You said: {text}")
        };
        let mut events: Vec<ModelEvent> =
            reply.split_inclusive(' ').map(|word| ModelEvent::TextDelta(word.to_owned())).collect();
        let words = events.len() as u64;
        events.push(ModelEvent::MessageDone);
        events.push(self.usage(request, words));
        events
    }

    fn usage(&self, request: &ModelRequest, output_tokens: u64) -> ModelEvent {
        let words = |item: &Value| message_text(item).split_whitespace().count() as u64;
        let input_tokens = request.instructions.split_whitespace().count() as u64 + request.input.iter().map(words).sum::<u64>();
        ModelEvent::Usage(Usage { input_tokens, output_tokens })
    }
}

/// The text of the last user message that the user typed: the converter's @-mention context
/// and quoted-text messages are skipped.
fn typed_text(request: &ModelRequest) -> String {
    let typed = request.input.iter().rev().filter(|item| item["type"] == "message" && item["role"] == "user").map(message_text).find(|text| {
        !text.starts_with(crate::convert::TAG_CONTEXT_HEADER) && !text.starts_with(crate::convert::QUOTED_PREFIX)
    });
    typed.unwrap_or_default()
}

/// The first six words of a message, the first letter upper case.
fn title_of(text: &str) -> String {
    let title = text.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    let mut chars = title.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or(title)
}

#[async_trait]
impl Model for ScriptedModel {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ModelError> {
        let events = self.answer(&request);
        let delay = self.delay;
        Ok(Box::pin(futures_util::stream::iter(events).then(move |event| async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            Ok(event)
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{DefaultConverter, ItemConverter, input_text};
    use crate::model::ToolSpec;

    struct Tags;

    #[async_trait]
    impl ItemConverter for Tags {
        async fn tag(&self, tag: &chatkit::Tag) -> Result<Value, crate::convert::ConvertError> {
            Ok(input_text(format!("<TAG>{} lines everywhere</TAG>", tag.text)))
        }
    }

    fn message(content: Value, quoted: Option<&str>) -> chatkit::ThreadItem {
        serde_json::from_value(serde_json::json!({
            "type": "user_message", "id": "msg_1", "thread_id": "thr_1", "created_at": "2026-01-01T00:00:00Z",
            "content": content, "attachments": [], "quoted_text": quoted, "inference_options": {}
        }))
        .expect("a user message")
    }

    #[tokio::test]
    async fn rules_match_what_the_user_typed_not_the_context_the_converter_adds() {
        let model = ScriptedModel::new().rule("lines", "list_lines", serde_json::json!({})).rule("route", "plan_route", serde_json::json!({}));
        let tools = vec![ToolSpec::new("list_lines", "", serde_json::json!({})), ToolSpec::new("plan_route", "", serde_json::json!({}))];
        let typed = serde_json::json!([
            {"type": "input_text", "text": "Best route from "},
            {"type": "input_tag", "id": "a", "text": "Alpha", "data": {}, "interactive": false}
        ]);
        let input = Tags.convert(&[message(typed, Some("the lines"))]).await.expect("converts");
        assert_eq!(input.len(), 3, "typed text, quoted text, tag context: {input:?}");
        let request = ModelRequest::new("", input).tools(tools);
        let Some(ModelEvent::ToolCall(call)) = model.answer(&request).into_iter().next() else { panic!("no tool call") };
        assert_eq!(call.name, "plan_route");

        let plain = DefaultConverter.convert(&[message(serde_json::json!([{"type": "input_text", "text": "hi"}]), None)]).await;
        let request = ModelRequest::new("", plain.expect("converts"));
        assert_eq!(typed_text(&request), "hi");
    }

    fn text_of(events: &[ModelEvent]) -> String {
        events.iter().filter_map(|e| if let ModelEvent::TextDelta(t) = e { Some(t.as_str()) } else { None }).collect()
    }

    #[tokio::test]
    async fn a_typed_tool_command_calls_any_offered_tool_then_reports_its_output() {
        let model = ScriptedModel::new().rule("card", "show_card", serde_json::json!({"title": "rule"}));
        let tools = vec![ToolSpec::new("show_card", "", serde_json::json!({})), ToolSpec::new("add", "", serde_json::json!({}))];
        let typed = crate::convert::user_text(r#"/show_card {"title": "typed"}"#);
        let request = ModelRequest::new("", vec![typed.clone()]).tools(tools.clone());
        let Some(ModelEvent::ToolCall(call)) = model.answer(&request).into_iter().next() else { panic!("no tool call") };
        assert_eq!((call.name.as_str(), call.arguments.as_str()), ("show_card", r#"{"title":"typed"}"#));

        let output = serde_json::json!({"type": "function_call_output", "call_id": call.call_id, "output": "Card 'typed' shown"});
        let after = ModelRequest::new("", vec![typed, serde_json::json!({"type": "function_call", "call_id": "call_1"}), output]).tools(tools.clone());
        assert_eq!(text_of(&model.answer(&after)), "Done: Card 'typed' shown");

        let missing = ModelRequest::new("", vec![crate::convert::user_text("/weather")]).tools(tools.clone());
        assert_eq!(text_of(&model.answer(&missing)), "there is no tool `weather` here; the tools are: show_card, add");
        let bad = ModelRequest::new("", vec![crate::convert::user_text("/add 1 2")]).tools(tools);
        assert!(text_of(&model.answer(&bad)).starts_with("the arguments of /add must be a JSON object"));
    }
}
