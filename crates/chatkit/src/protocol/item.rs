//! Thread items: everything a thread holds.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    Attachment, InferenceOptions, ItemId, OutputText, StructuredInput, StructuredStatus, Task,
    ThreadId, Timestamp, UserContent, Workflow,
};
use crate::widgets::WidgetRoot;

/// One entry of a thread, tagged by `type` on the wire.
///
/// ```
/// use chatkit::{ThreadItem, AssistantMessageItem, OutputText};
/// let item = ThreadItem::AssistantMessage(AssistantMessageItem::new("msg_1", "thr_1", vec![OutputText::new("Hi")]));
/// assert_eq!(item.kind(), "assistant_message");
/// let json = serde_json::to_value(&item).unwrap();
/// assert_eq!(json["content"][0]["text"], "Hi");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ThreadItem {
    /// A message from the user.
    UserMessage(UserMessageItem),
    /// A message from the assistant.
    AssistantMessage(AssistantMessageItem),
    /// A tool the client runs; the thread waits for its output.
    ClientToolCall(ClientToolCallItem),
    /// An interactive widget.
    Widget(WidgetItem),
    /// An image made by the model.
    GeneratedImage(GeneratedImageItem),
    /// Questions the user answers in a form.
    StructuredInput(StructuredInputItem),
    /// A group of tasks.
    Workflow(WorkflowItem),
    /// A single task.
    Task(TaskItem),
    /// Context for the model that the user never sees.
    #[serde(rename = "hidden_context_item")]
    HiddenContext(HiddenContextItem),
    /// The framework's own hidden context (e.g. the cancellation note).
    SdkHiddenContext(SdkHiddenContextItem),
    /// Marks the end of the assistant's turn.
    EndOfTurn(EndOfTurnItem),
}

/// Fields every item has. Each item struct starts with them.
macro_rules! item_base {
    ($($variant:ident),*) => {
        impl ThreadItem {
            /// The item id.
            pub fn id(&self) -> &ItemId {
                match self { $(ThreadItem::$variant(i) => &i.id,)* }
            }

            /// The id of the thread it belongs to.
            pub fn thread_id(&self) -> &ThreadId {
                match self { $(ThreadItem::$variant(i) => &i.thread_id,)* }
            }

            /// Creation time.
            pub fn created_at(&self) -> Timestamp {
                match self { $(ThreadItem::$variant(i) => i.created_at,)* }
            }

            /// Changes the id (e.g. when copying an item).
            pub fn set_id(&mut self, id: ItemId) {
                match self { $(ThreadItem::$variant(i) => i.id = id,)* }
            }
        }
    };
}

item_base!(
    UserMessage, AssistantMessage, ClientToolCall, Widget, GeneratedImage, StructuredInput,
    Workflow, Task, HiddenContext, SdkHiddenContext, EndOfTurn
);

impl ThreadItem {
    /// The wire `type` of the item.
    pub fn kind(&self) -> &'static str {
        match self {
            ThreadItem::UserMessage(_) => "user_message",
            ThreadItem::AssistantMessage(_) => "assistant_message",
            ThreadItem::ClientToolCall(_) => "client_tool_call",
            ThreadItem::Widget(_) => "widget",
            ThreadItem::GeneratedImage(_) => "generated_image",
            ThreadItem::StructuredInput(_) => "structured_input",
            ThreadItem::Workflow(_) => "workflow",
            ThreadItem::Task(_) => "task",
            ThreadItem::HiddenContext(_) => "hidden_context_item",
            ThreadItem::SdkHiddenContext(_) => "sdk_hidden_context",
            ThreadItem::EndOfTurn(_) => "end_of_turn",
        }
    }

    /// Whether the item is kept from clients (hidden or SDK hidden context).
    pub fn is_hidden(&self) -> bool {
        matches!(self, ThreadItem::HiddenContext(_) | ThreadItem::SdkHiddenContext(_))
    }

    /// The item as clients may see it: integration metadata of attachments removed.
    pub fn to_response(&self) -> std::borrow::Cow<'_, ThreadItem> {
        match self {
            ThreadItem::UserMessage(m) if m.attachments.iter().any(|a| a.base().metadata.is_some()) => {
                let mut copy = m.clone();
                copy.attachments = m.attachments.iter().map(Attachment::to_response).collect();
                std::borrow::Cow::Owned(ThreadItem::UserMessage(copy))
            }
            _ => std::borrow::Cow::Borrowed(self),
        }
    }
}

macro_rules! from_variant {
    ($($variant:ident($ty:ty)),*) => {
        $(impl From<$ty> for ThreadItem {
            fn from(item: $ty) -> Self { ThreadItem::$variant(item) }
        })*
    };
}

from_variant!(
    UserMessage(UserMessageItem), AssistantMessage(AssistantMessageItem),
    ClientToolCall(ClientToolCallItem), Widget(WidgetItem), GeneratedImage(GeneratedImageItem),
    StructuredInput(StructuredInputItem), Workflow(WorkflowItem), Task(TaskItem),
    HiddenContext(HiddenContextItem), SdkHiddenContext(SdkHiddenContextItem), EndOfTurn(EndOfTurnItem)
);

/// A message the user sent.
///
/// Built by the framework from a request, or for synthetic messages by
/// [`Turn::user_message`](crate::Turn::user_message), which fills every required field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserMessageItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Text and entity tags.
    pub content: Vec<UserContent>,
    /// Attached files.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Text the user quoted from the conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_text: Option<String>,
    /// Composer choices (tool, model).
    #[serde(default)]
    pub inference_options: InferenceOptions,
}

impl UserMessageItem {
    /// The message as plain text: text parts as they are, tags as `@text`.
    ///
    /// ```
    /// use chatkit::{UserMessageItem, UserContent, InferenceOptions, Timestamp};
    /// let msg = UserMessageItem {
    ///     id: "msg_1".into(), thread_id: "thr_1".into(), created_at: Timestamp::now(),
    ///     content: vec![UserContent::text("hi "), UserContent::tag("u1", "Ada", Default::default())],
    ///     attachments: vec![], quoted_text: None, inference_options: InferenceOptions::default(),
    /// };
    /// assert_eq!(msg.text(), "hi @Ada");
    /// ```
    pub fn text(&self) -> String {
        self.content.iter().map(UserContent::plain_text).collect()
    }
}

/// A message from the assistant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssistantMessageItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Text parts.
    pub content: Vec<OutputText>,
}

impl AssistantMessageItem {
    /// A message created now.
    pub fn new(id: impl Into<ItemId>, thread_id: impl Into<ThreadId>, content: Vec<OutputText>) -> Self {
        Self { id: id.into(), thread_id: thread_id.into(), created_at: Timestamp::now(), content }
    }

    /// All text parts joined.
    pub fn text(&self) -> String {
        self.content.iter().map(|part| part.text.as_str()).collect()
    }
}

/// Status of a client tool call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolCallStatus {
    /// Waiting for the client's output.
    #[default]
    Pending,
    /// Output received.
    Completed,
}

/// A tool call the client executes (`onClientTool`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientToolCallItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Pending until the client answers.
    #[serde(default)]
    pub status: ToolCallStatus,
    /// Call id (from the model, or app-chosen).
    pub call_id: String,
    /// Tool name.
    pub name: String,
    /// Arguments.
    pub arguments: Map<String, Value>,
    /// The client's output, once completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
}

/// A widget shown in the thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WidgetItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// The widget tree.
    pub widget: WidgetRoot,
    /// Text copied when the user copies the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_text: Option<String>,
}

/// An image generated by the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeneratedImageItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// The image, once available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<GeneratedImage>,
}

/// A generated image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedImage {
    /// Image id.
    pub id: String,
    /// Where to load it from (may be a `data:` URL).
    pub url: String,
}

/// Questions for the user, answered with `threads.add_structured_input`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructuredInputItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Pending until answered or skipped.
    #[serde(default)]
    pub status: StructuredStatus,
    /// The questions.
    pub inputs: Vec<StructuredInput>,
}

/// A workflow shown in the thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkflowItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// The workflow.
    pub workflow: Workflow,
}

/// A single task shown in the thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// The task.
    pub task: Task,
}

/// Context for the model, stored in the thread but never sent to clients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HiddenContextItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Any JSON; a string is what the default converter understands.
    pub content: Value,
}

/// The framework's own hidden context.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SdkHiddenContextItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// The note.
    pub content: String,
}

/// End of the assistant's turn (a UI hint).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndOfTurnItem {
    /// Item id.
    pub id: ItemId,
    /// Thread id.
    pub thread_id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
}
