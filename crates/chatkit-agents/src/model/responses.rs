//! The Responses API: request bodies and stream decoding.

use std::collections::VecDeque;

use chatkit::{Annotation, Source};
use serde_json::{Value, json};

use super::sse::SseEvent;
use super::{ModelError, ModelEvent, ModelRequest, ToolCall, Usage};

/// The request body. Nothing is stored upstream (`store: false`): the thread is the memory.
pub(super) fn request_body(model: &str, request: &ModelRequest) -> Value {
    let mut body = json!({
        "model": model,
        "input": request.input,
        "stream": true,
        "store": false,
    });
    if !request.instructions.is_empty() {
        body["instructions"] = json!(request.instructions);
    }
    if !request.tools.is_empty() || !request.hosted_tools.is_empty() {
        body["tools"] = request
            .tools
            .iter()
            .map(|t| json!({"type": "function", "name": t.name, "description": t.description, "parameters": t.parameters, "strict": false}))
            .chain(request.hosted_tools.iter().cloned())
            .collect();
        if let Some(choice) = &request.tool_choice {
            body["tool_choice"] = choice.to_wire(|name| json!({"type": "function", "name": name}));
        }
    }
    body
}

/// A Responses API annotation as a ChatKit annotation, as the reference converts them
/// (file paths and unnamed files are dropped).
///
/// ```
/// use serde_json::json;
/// let a = chatkit_agents::model::convert_annotation(&json!({"type": "url_citation", "url": "https://x.dev", "title": "X", "start_index": 0, "end_index": 4})).unwrap();
/// assert_eq!(a.index, Some(4));
/// assert!(chatkit_agents::model::convert_annotation(&json!({"type": "file_path", "file_id": "f"})).is_none());
/// ```
pub fn convert_annotation(annotation: &Value) -> Option<Annotation> {
    let index = |key: &str| annotation[key].as_u64();
    match annotation["type"].as_str()? {
        "file_citation" | "container_file_citation" => {
            let filename = annotation["filename"].as_str().filter(|f| !f.is_empty())?;
            let key = if annotation["type"] == "file_citation" { "index" } else { "end_index" };
            Some(Annotation { source: Source::file(filename), index: index(key) })
        }
        "url_citation" => {
            let url = annotation["url"].as_str()?;
            let title = annotation["title"].as_str().unwrap_or(url);
            Some(Annotation { source: Source::url(title, url), index: index("end_index") })
        }
        _ => None,
    }
}

/// Reads Responses API stream events.
#[derive(Debug, Default)]
pub(super) struct Decoder {
    completed: bool,
}

impl Decoder {
    /// Handles one SSE event; `Ok(true)` at `response.completed`.
    pub(super) fn event(&mut self, event: &SseEvent, out: &mut VecDeque<ModelEvent>) -> Result<bool, ModelError> {
        let Some(value) = event.json("an event")? else { return Ok(true) };
        let kind = value["type"].as_str().unwrap_or(&event.event);
        match kind {
            "response.output_text.delta" | "response.refusal.delta" => {
                if let Some(delta) = value["delta"].as_str().filter(|d| !d.is_empty()) {
                    out.push_back(ModelEvent::TextDelta(delta.to_owned()));
                }
            }
            "response.output_text.annotation.added" => {
                if let Some(annotation) = convert_annotation(&value["annotation"]) {
                    out.push_back(ModelEvent::Annotation(Box::new(annotation)));
                }
            }
            "response.reasoning_summary_text.delta" => {
                if let Some(delta) = value["delta"].as_str().filter(|d| !d.is_empty()) {
                    out.push_back(ModelEvent::ReasoningDelta(delta.to_owned()));
                }
            }
            "response.reasoning_summary_text.done" => out.push_back(ModelEvent::ReasoningDone),
            "response.output_item.added" => {
                let item = &value["item"];
                let id = item["id"].as_str().filter(|id| !id.is_empty()).map(str::to_owned);
                match (item["type"].as_str(), id) {
                    (Some("message"), Some(id)) => out.push_back(ModelEvent::MessageId(id)),
                    (Some("image_generation_call"), id) => out.push_back(ModelEvent::ImageStarted { id: id.unwrap_or_default() }),
                    _ => {}
                }
            }
            "response.image_generation_call.partial_image" => {
                if let Some(b64) = value["partial_image_b64"].as_str() {
                    out.push_back(ModelEvent::ImagePartial {
                        id: value["item_id"].as_str().unwrap_or_default().to_owned(),
                        b64: b64.to_owned(),
                        index: value["partial_image_index"].as_u64().and_then(|i| u32::try_from(i).ok()).unwrap_or(0),
                    });
                }
            }
            "response.output_item.done" => {
                let item = &value["item"];
                match item["type"].as_str() {
                    Some("message") => out.push_back(ModelEvent::MessageDone),
                    Some("image_generation_call") => {
                        if let Some(b64) = item["result"].as_str().filter(|r| !r.is_empty()) {
                            let id = item["id"].as_str().unwrap_or_default().to_owned();
                            out.push_back(ModelEvent::ImageDone { id, b64: b64.to_owned() });
                        }
                    }
                    Some("function_call") => {
                        let (Some(call_id), Some(name)) = (item["call_id"].as_str(), item["name"].as_str()) else {
                            return Err(ModelError::Protocol("a function call has no call_id or name".to_owned()));
                        };
                        let arguments = item["arguments"].as_str().unwrap_or("{}").to_owned();
                        out.push_back(ModelEvent::ToolCall(ToolCall { call_id: call_id.to_owned(), name: name.to_owned(), arguments }));
                    }
                    _ => {}
                }
            }
            "response.completed" => {
                let usage = &value["response"]["usage"];
                if usage.is_object() {
                    out.push_back(ModelEvent::Usage(Usage {
                        input_tokens: usage["input_tokens"].as_u64().unwrap_or(0),
                        output_tokens: usage["output_tokens"].as_u64().unwrap_or(0),
                    }));
                }
                self.completed = true;
                return Ok(true);
            }
            "response.failed" => {
                let message = value["response"]["error"]["message"].as_str().unwrap_or("the response failed");
                return Err(ModelError::Upstream(message.to_owned()));
            }
            "response.incomplete" => {
                let reason = value["response"]["incomplete_details"]["reason"].as_str().unwrap_or("unknown reason");
                return Err(ModelError::Upstream(format!("the response is incomplete ({reason})")));
            }
            "error" => {
                let message = value["message"].as_str().or_else(|| value["error"]["message"].as_str()).unwrap_or("error");
                return Err(ModelError::Upstream(message.to_owned()));
            }
            _ => {}
        }
        Ok(false)
    }

    /// The stream ended; without `response.completed` it was cut short.
    pub(super) fn finish(&mut self, _out: &mut VecDeque<ModelEvent>) -> Result<(), ModelError> {
        if self.completed {
            Ok(())
        } else {
            Err(ModelError::Upstream("the stream ended before the response was complete".to_owned()))
        }
    }
}
