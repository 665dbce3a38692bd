//! Thread items → model input (the Responses API input list).
//!
//! [`ItemConverter`] has one method per item type with the reference's defaults; override the
//! ones your app needs (attachments and entity tags have no default, as their meaning is
//! app-specific). [`DefaultConverter`] uses every default.

use async_trait::async_trait;
use chatkit::{
    AssistantMessageItem, Attachment, ClientToolCallItem, GeneratedImageItem, HiddenContextItem, SdkHiddenContextItem,
    StructuredInputItem, Tag, Task, TaskItem, ThreadItem, ToolCallStatus, UserContent, UserMessageItem, WidgetItem,
    WorkflowItem,
};
use serde_json::{Value, json};

use crate::pyjson;

/// One item of model input (a Responses API input item as JSON).
pub type InputItem = Value;

/// An item could not be converted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConvertError {
    /// The app must override a converter method for this content.
    #[error("{0}")]
    NotImplemented(&'static str),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

/// The fixed header of the @-mention context message.
pub const TAG_CONTEXT_HEADER: &str = "# User-provided context for @-mentions\n- When referencing resolved entities, use their canonical names **without** '@'.\n- The '@' form appears only in user text and should not be echoed.";

/// How the converter introduces the text the user quoted.
pub(crate) const QUOTED_PREFIX: &str = "The user is referring to this in particular: \n";

/// A user-role message with the given content parts.
pub fn user_message(content: Vec<Value>) -> InputItem {
    json!({"type": "message", "role": "user", "content": content})
}

/// An `input_text` content part.
pub fn input_text(text: impl Into<String>) -> Value {
    json!({"type": "input_text", "text": text.into()})
}

/// A user message with one text part.
pub fn user_text(text: impl Into<String>) -> InputItem {
    user_message(vec![input_text(text)])
}

fn hidden_context_text(content: &str) -> String {
    format!("Hidden context for the agent (not shown to the user):\n<HiddenContext>\n{content}\n</HiddenContext>")
}

fn task_text(task: &Task) -> Option<String> {
    let Task::Custom(task) = task else { return None };
    let title = task.title.as_deref().unwrap_or_default();
    let content = task.content.as_deref().unwrap_or_default();
    let text = match (title.is_empty(), content.is_empty()) {
        (true, true) => return None,
        (false, false) => format!("{title}: {content}"),
        (false, true) => title.to_owned(),
        (true, false) => content.to_owned(),
    };
    Some(format!("A message was displayed to the user that the following task was performed:\n<Task>\n{text}\n</Task>"))
}

/// Converts thread items into model input, one method per item type.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use chatkit_agents::convert::{DefaultConverter, ItemConverter};
/// use chatkit::{ThreadItem, AssistantMessageItem, OutputText};
/// let item = ThreadItem::AssistantMessage(AssistantMessageItem::new("msg_1", "thr_1", vec![OutputText::new("Hi")]));
/// let input = DefaultConverter.convert(&[item]).await.unwrap();
/// assert_eq!(input[0]["role"], "assistant");
/// assert_eq!(input[0]["content"][0]["text"], "Hi");
/// # });
/// ```
#[async_trait]
pub trait ItemConverter: Send + Sync {
    /// An attachment of a user message, as a content part. No default: override it when
    /// attachments are enabled (e.g. an `input_image` with a URL the model can reach).
    async fn attachment(&self, attachment: &Attachment) -> Result<Value, ConvertError> {
        let _ = attachment;
        Err(ConvertError::NotImplemented(
            "a user message has an attachment but the converter does not implement `attachment`",
        ))
    }

    /// An entity tag of a user message, as a content part of the @-mention context message.
    /// No default: override it when the composer allows @-mentions.
    async fn tag(&self, tag: &Tag) -> Result<Value, ConvertError> {
        let _ = tag;
        Err(ConvertError::NotImplemented("a user message has an entity tag but the converter does not implement `tag`"))
    }

    /// The text of a user message: text parts as typed, tags as `@text`.
    fn user_text(&self, item: &UserMessageItem) -> String {
        item.content.iter().map(UserContent::plain_text).collect()
    }

    /// A user message: its text and attachments, then (for the last item only) the quoted
    /// text, then the @-mention context.
    async fn user_message(&self, item: &UserMessageItem, is_last: bool) -> Result<Vec<InputItem>, ConvertError> {
        let mut content = vec![input_text(self.user_text(item))];
        for attachment in &item.attachments {
            content.push(self.attachment(attachment).await?);
        }
        let mut out = vec![user_message(content)];
        if let Some(quoted) = item.quoted_text.as_deref().filter(|q| !q.is_empty() && is_last) {
            out.push(user_text(format!("{QUOTED_PREFIX}{quoted}")));
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut tags = Vec::new();
        for part in &item.content {
            if let UserContent::Tag(tag) = part {
                if !seen.contains(&tag.text.as_str()) {
                    seen.push(&tag.text);
                    tags.push(self.tag(tag).await?);
                }
            }
        }
        if !tags.is_empty() {
            let mut content = vec![input_text(TAG_CONTEXT_HEADER)];
            content.extend(tags);
            out.push(user_message(content));
        }
        Ok(out)
    }

    /// An assistant message (annotations are not sent back).
    async fn assistant_message(&self, item: &AssistantMessageItem) -> Result<Vec<InputItem>, ConvertError> {
        let content: Vec<Value> = item
            .content
            .iter()
            .map(|part| json!({"type": "output_text", "text": part.text, "annotations": [], "logprobs": null}))
            .collect();
        Ok(vec![json!({"type": "message", "role": "assistant", "content": content})])
    }

    /// A client tool call: nothing while pending; the call and its output once completed.
    async fn client_tool_call(&self, item: &ClientToolCallItem) -> Result<Vec<InputItem>, ConvertError> {
        if item.status == ToolCallStatus::Pending {
            return Ok(Vec::new());
        }
        let arguments = pyjson::dumps(&Value::Object(item.arguments.clone()));
        let output = pyjson::dumps(item.output.as_ref().unwrap_or(&Value::Null));
        Ok(vec![
            json!({"type": "function_call", "call_id": item.call_id, "name": item.name, "arguments": arguments}),
            json!({"type": "function_call_output", "call_id": item.call_id, "output": output}),
        ])
    }

    /// A widget: a description with the widget's JSON.
    async fn widget(&self, item: &WidgetItem) -> Result<Vec<InputItem>, ConvertError> {
        let widget = serde_json::to_string(&item.widget).map_err(|e| ConvertError::Other(e.to_string()))?;
        Ok(vec![user_text(format!(
            "The following graphical UI widget (id: {}) was displayed to the user:{widget}",
            item.id
        ))])
    }

    /// A workflow: one message per custom task with a title or content.
    async fn workflow(&self, item: &WorkflowItem) -> Result<Vec<InputItem>, ConvertError> {
        Ok(item.workflow.tasks.iter().filter_map(task_text).map(user_text).collect())
    }

    /// A task item: the same text as a workflow task.
    async fn task(&self, item: &TaskItem) -> Result<Vec<InputItem>, ConvertError> {
        Ok(task_text(&item.task).map(user_text).into_iter().collect())
    }

    /// A structured input item: its status and every answer.
    async fn structured_input(&self, item: &StructuredInputItem) -> Result<Vec<InputItem>, ConvertError> {
        let status = serde_json::to_value(item.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let lines: Vec<String> = item
            .inputs
            .iter()
            .map(|q| match q.answer() {
                None => format!("- {}: unanswered", q.question()),
                Some(a) if a.skipped => format!("- {}: skipped", q.question()),
                Some(a) => format!("- {}: {}", q.question(), a.values.join(", ")),
            })
            .collect();
        Ok(vec![user_text(format!(
            "A structured input request was displayed to the user with the following status: {status}\n<StructuredInput>\n{}\n</StructuredInput>",
            lines.join("\n")
        ))])
    }

    /// Hidden context with string content; other content needs an override.
    async fn hidden_context(&self, item: &HiddenContextItem) -> Result<Vec<InputItem>, ConvertError> {
        let Value::String(content) = &item.content else {
            return Err(ConvertError::NotImplemented(
                "a hidden context item has non-string content but the converter does not implement `hidden_context`",
            ));
        };
        Ok(vec![user_text(hidden_context_text(content))])
    }

    /// The framework's hidden context (e.g. the cancellation note).
    async fn sdk_hidden_context(&self, item: &SdkHiddenContextItem) -> Result<Vec<InputItem>, ConvertError> {
        Ok(vec![user_text(hidden_context_text(&item.content))])
    }

    /// A generated image, as an image input.
    async fn generated_image(&self, item: &GeneratedImageItem) -> Result<Vec<InputItem>, ConvertError> {
        let Some(image) = &item.image else { return Ok(Vec::new()) };
        Ok(vec![user_message(vec![
            input_text("The following image was generated by the agent."),
            json!({"type": "input_image", "detail": "auto", "image_url": image.url}),
        ])])
    }

    /// One item; `is_last` tells whether it is the last of the list being converted.
    async fn item(&self, item: &ThreadItem, is_last: bool) -> Result<Vec<InputItem>, ConvertError> {
        match item {
            ThreadItem::UserMessage(i) => self.user_message(i, is_last).await,
            ThreadItem::AssistantMessage(i) => self.assistant_message(i).await,
            ThreadItem::ClientToolCall(i) => self.client_tool_call(i).await,
            ThreadItem::Widget(i) => self.widget(i).await,
            ThreadItem::GeneratedImage(i) => self.generated_image(i).await,
            ThreadItem::StructuredInput(i) => self.structured_input(i).await,
            ThreadItem::Workflow(i) => self.workflow(i).await,
            ThreadItem::Task(i) => self.task(i).await,
            ThreadItem::HiddenContext(i) => self.hidden_context(i).await,
            ThreadItem::SdkHiddenContext(i) => self.sdk_hidden_context(i).await,
            _ => Ok(Vec::new()),
        }
    }

    /// Every item, in order.
    async fn convert(&self, items: &[ThreadItem]) -> Result<Vec<InputItem>, ConvertError> {
        let mut out = Vec::new();
        for (index, item) in items.iter().enumerate() {
            out.extend(self.item(item, index + 1 == items.len()).await?);
        }
        Ok(out)
    }
}

/// The converter with every default.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultConverter;

impl ItemConverter for DefaultConverter {}
