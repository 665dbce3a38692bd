//! Chat Completions: request bodies and stream decoding.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{Value, json};

use super::sse::SseEvent;
use super::{ModelError, ModelEvent, ModelRequest, ToolCall, Usage, message_text};

/// The request body: instructions as the system message, the input as chat messages.
pub(super) fn request_body(model: &str, request: &ModelRequest) -> Value {
    let mut messages = Vec::new();
    if !request.instructions.is_empty() {
        messages.push(json!({"role": "system", "content": request.instructions}));
    }
    messages.extend(messages_from_input(&request.input));
    let mut body = json!({
        "model": model,
        "messages": messages,
        "stream": true,
        "stream_options": {"include_usage": true},
    });
    if !request.tools.is_empty() {
        body["tools"] = request
            .tools
            .iter()
            .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}))
            .collect();
        if let Some(choice) = &request.tool_choice {
            body["tool_choice"] = choice.to_wire(|name| json!({"type": "function", "function": {"name": name}}));
        }
    }
    body
}

/// Responses API input items → chat messages. Consecutive function calls become one assistant
/// message with several `tool_calls`.
pub(crate) fn messages_from_input(input: &[Value]) -> Vec<Value> {
    let mut messages: Vec<Value> = Vec::new();
    for item in input {
        match item["type"].as_str() {
            Some("function_call") => {
                let call = json!({
                    "id": item["call_id"],
                    "type": "function",
                    "function": {"name": item["name"], "arguments": item["arguments"]},
                });
                let previous = messages.last_mut().filter(|m| m["role"] == "assistant");
                if let Some(Value::Array(calls)) = previous.and_then(|m| m.get_mut("tool_calls")) {
                    calls.push(call);
                } else {
                    messages.push(json!({"role": "assistant", "content": null, "tool_calls": [call]}));
                }
            }
            Some("function_call_output") => {
                let output = match &item["output"] {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                messages.push(json!({"role": "tool", "tool_call_id": item["call_id"], "content": output}));
            }
            Some("message") | None if item["role"].is_string() => messages.push(chat_message(item)),
            _ => {}
        }
    }
    messages
}

fn chat_message(item: &Value) -> Value {
    let role = item["role"].as_str().unwrap_or("user");
    let Value::Array(parts) = &item["content"] else {
        return json!({"role": role, "content": item["content"]});
    };
    let has_images = parts.iter().any(|p| p["type"] == "input_image");
    if !has_images || role != "user" {
        return json!({"role": role, "content": message_text(item)});
    }
    let content: Vec<Value> = parts
        .iter()
        .filter_map(|part| match part["type"].as_str() {
            Some("input_image") => Some(json!({"type": "image_url", "image_url": {"url": part["image_url"]}})),
            _ => part["text"].as_str().map(|text| json!({"type": "text", "text": text})),
        })
        .collect();
    json!({"role": role, "content": content})
}

#[derive(Debug, Default)]
struct PartialCall {
    id: String,
    name: String,
    arguments: String,
}

/// Reads `chat.completion.chunk` events.
#[derive(Debug, Default)]
pub(super) struct Decoder {
    text_open: bool,
    reasoning_open: bool,
    calls: BTreeMap<u64, PartialCall>,
    finished: bool,
}

impl Decoder {
    /// Handles one SSE event; `Ok(true)` at `[DONE]`.
    pub(super) fn event(&mut self, event: &SseEvent, out: &mut VecDeque<ModelEvent>) -> Result<bool, ModelError> {
        let Some(chunk) = event.json("a chunk")? else { return Ok(true) };
        if let Some(error) = chunk.get("error").filter(|e| !e.is_null()) {
            let message = error["message"].as_str().map_or_else(|| error.to_string(), str::to_owned);
            return Err(ModelError::Upstream(message));
        }
        for choice in chunk["choices"].as_array().into_iter().flatten().filter(|c| c["index"].as_u64().unwrap_or(0) == 0) {
            let delta = &choice["delta"];
            let reasoning = delta["reasoning_content"].as_str().or_else(|| delta["reasoning"].as_str()).unwrap_or_default();
            if !reasoning.is_empty() {
                self.reasoning_open = true;
                out.push_back(ModelEvent::ReasoningDelta(reasoning.to_owned()));
            }
            for text in [delta["content"].as_str(), delta["refusal"].as_str()].into_iter().flatten() {
                if !text.is_empty() {
                    self.close_reasoning(out);
                    self.text_open = true;
                    out.push_back(ModelEvent::TextDelta(text.to_owned()));
                }
            }
            for call in delta["tool_calls"].as_array().into_iter().flatten() {
                self.close_reasoning(out);
                let index = call["index"].as_u64().unwrap_or(self.calls.len() as u64);
                let partial = self.calls.entry(index).or_default();
                if let Some(id) = call["id"].as_str().filter(|id| !id.is_empty()) {
                    partial.id = id.to_owned();
                }
                if let Some(name) = call["function"]["name"].as_str() {
                    partial.name.push_str(name);
                }
                if let Some(arguments) = call["function"]["arguments"].as_str() {
                    partial.arguments.push_str(arguments);
                }
            }
            if choice["finish_reason"].is_string() {
                self.flush(out)?;
                self.finished = true;
            }
        }
        if let Some(usage) = chunk.get("usage").filter(|u| u.is_object()) {
            out.push_back(ModelEvent::Usage(Usage {
                input_tokens: usage["prompt_tokens"].as_u64().unwrap_or(0),
                output_tokens: usage["completion_tokens"].as_u64().unwrap_or(0),
            }));
        }
        Ok(false)
    }

    /// The stream ended: completes what is open; a stream cut before its end is an error.
    pub(super) fn finish(&mut self, out: &mut VecDeque<ModelEvent>) -> Result<(), ModelError> {
        if !self.finished {
            return Err(ModelError::Upstream("the stream ended before the response was complete".to_owned()));
        }
        self.flush(out)
    }

    fn close_reasoning(&mut self, out: &mut VecDeque<ModelEvent>) {
        if std::mem::take(&mut self.reasoning_open) {
            out.push_back(ModelEvent::ReasoningDone);
        }
    }

    fn flush(&mut self, out: &mut VecDeque<ModelEvent>) -> Result<(), ModelError> {
        self.close_reasoning(out);
        if std::mem::take(&mut self.text_open) {
            out.push_back(ModelEvent::MessageDone);
        }
        for (index, call) in std::mem::take(&mut self.calls) {
            if call.name.is_empty() {
                return Err(ModelError::Protocol(format!("tool call {index} has no function name")));
            }
            let call_id = if call.id.is_empty() { format!("call_{index}") } else { call.id };
            out.push_back(ModelEvent::ToolCall(ToolCall { call_id, name: call.name, arguments: call.arguments }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_calls_and_outputs_become_tool_messages() {
        let input = vec![
            crate::convert::user_text("weather?"),
            json!({"type": "function_call", "call_id": "c1", "name": "weather", "arguments": "{}"}),
            json!({"type": "function_call", "call_id": "c2", "name": "time", "arguments": "{}"}),
            json!({"type": "function_call_output", "call_id": "c1", "output": "sunny"}),
            json!({"type": "function_call_output", "call_id": "c2", "output": "noon"}),
        ];
        let messages = messages_from_input(&input);
        assert_eq!(messages.len(), 4);
        assert_eq!(messages[0], json!({"role": "user", "content": "weather?"}));
        assert_eq!(messages[1]["tool_calls"].as_array().map(Vec::len), Some(2));
        assert_eq!(messages[2], json!({"role": "tool", "tool_call_id": "c1", "content": "sunny"}));
    }

    #[test]
    fn images_use_content_parts() {
        let item = json!({"type": "message", "role": "user", "content": [
            {"type": "input_text", "text": "look"}, {"type": "input_image", "image_url": "data:x", "detail": "auto"}]});
        let message = chat_message(&item);
        assert_eq!(message["content"][1], json!({"type": "image_url", "image_url": {"url": "data:x"}}));
    }
}
