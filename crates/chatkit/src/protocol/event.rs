//! Stream events: what a streaming response is made of.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Annotation, GeneratedImage, IconName, ItemId, OutputText, Task, Thread, ThreadItem};
use crate::widgets::WidgetRoot;

/// One event of a streaming response, sent as one `data: <json>\n\n` frame.
///
/// ```
/// use chatkit::ThreadStreamEvent;
/// let event = ThreadStreamEvent::progress("Searching…");
/// assert_eq!(
///     serde_json::to_string(&event).unwrap(),
///     r#"{"type":"progress_update","text":"Searching…"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum ThreadStreamEvent {
    /// A new thread exists (first event of `threads.create`).
    #[serde(rename = "thread.created")]
    ThreadCreated {
        /// The thread.
        thread: Thread,
    },
    /// Title, status or other thread fields changed.
    #[serde(rename = "thread.updated")]
    ThreadUpdated {
        /// The thread.
        thread: Thread,
    },
    /// An item started streaming.
    #[serde(rename = "thread.item.added")]
    ItemAdded {
        /// The item as it starts.
        item: ThreadItem,
    },
    /// A streaming item changed.
    #[serde(rename = "thread.item.updated")]
    ItemUpdated {
        /// Which item.
        item_id: ItemId,
        /// What changed.
        update: ThreadItemUpdate,
    },
    /// An item is complete (stored by the framework).
    #[serde(rename = "thread.item.done")]
    ItemDone {
        /// The final item.
        item: ThreadItem,
    },
    /// An item was deleted (deleted from the store by the framework).
    #[serde(rename = "thread.item.removed")]
    ItemRemoved {
        /// Which item.
        item_id: ItemId,
    },
    /// An item was replaced in place (saved by the framework).
    #[serde(rename = "thread.item.replaced")]
    ItemReplaced {
        /// The new item.
        item: ThreadItem,
    },
    /// Stream settings, sent before the handler's events.
    #[serde(rename = "stream_options")]
    StreamOptions {
        /// The settings.
        stream_options: StreamOptions,
    },
    /// Transient progress text.
    #[serde(rename = "progress_update")]
    ProgressUpdate {
        /// Icon.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        icon: Option<IconName>,
        /// Text.
        text: String,
    },
    /// A named effect for the client page (`onEffect`); never stored.
    #[serde(rename = "client_effect")]
    ClientEffect {
        /// Effect name.
        name: String,
        /// Effect data.
        #[serde(default)]
        data: Map<String, Value>,
    },
    /// The response failed.
    #[serde(rename = "error")]
    Error(ErrorEvent),
    /// A banner message (markdown).
    #[serde(rename = "notice")]
    Notice {
        /// Severity.
        level: NoticeLevel,
        /// Markdown text.
        message: String,
        /// Title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
}

impl ThreadStreamEvent {
    /// A progress update without icon.
    pub fn progress(text: impl Into<String>) -> Self {
        Self::ProgressUpdate { icon: None, text: text.into() }
    }

    /// A client effect.
    pub fn effect(name: impl Into<String>, data: Map<String, Value>) -> Self {
        Self::ClientEffect { name: name.into(), data }
    }

    /// `thread.item.done` for an item.
    pub fn done(item: impl Into<ThreadItem>) -> Self {
        Self::ItemDone { item: item.into() }
    }

    /// `thread.item.added` for an item.
    pub fn added(item: impl Into<ThreadItem>) -> Self {
        Self::ItemAdded { item: item.into() }
    }

    /// `thread.item.replaced` for an item.
    pub fn replaced(item: impl Into<ThreadItem>) -> Self {
        Self::ItemReplaced { item: item.into() }
    }

    /// `thread.item.updated`.
    pub fn updated(item_id: impl Into<ItemId>, update: ThreadItemUpdate) -> Self {
        Self::ItemUpdated { item_id: item_id.into(), update }
    }

    /// The wire `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ThreadCreated { .. } => "thread.created",
            Self::ThreadUpdated { .. } => "thread.updated",
            Self::ItemAdded { .. } => "thread.item.added",
            Self::ItemUpdated { .. } => "thread.item.updated",
            Self::ItemDone { .. } => "thread.item.done",
            Self::ItemRemoved { .. } => "thread.item.removed",
            Self::ItemReplaced { .. } => "thread.item.replaced",
            Self::StreamOptions { .. } => "stream_options",
            Self::ProgressUpdate { .. } => "progress_update",
            Self::ClientEffect { .. } => "client_effect",
            Self::Error(_) => "error",
            Self::Notice { .. } => "notice",
        }
    }
}

/// Stream settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamOptions {
    /// Whether the user may stop the response.
    pub allow_cancel: bool,
}

/// The `error` event.
///
/// ```
/// use chatkit::ErrorEvent;
/// let json = serde_json::to_string(&ErrorEvent::custom("Out of credits", false)).unwrap();
/// assert_eq!(json, r#"{"code":"custom","message":"Out of credits","allow_retry":false}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEvent {
    /// `custom` (with a message) or `stream.error` (the client shows its own text).
    #[serde(default)]
    pub code: ErrorCode,
    /// Message for `custom` errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Whether the client offers a retry.
    #[serde(default)]
    pub allow_retry: bool,
}

impl ErrorEvent {
    /// A custom error with a message.
    pub fn custom(message: impl Into<String>, allow_retry: bool) -> Self {
        Self { code: ErrorCode::Custom, message: Some(message.into()), allow_retry }
    }

    /// The standard stream error.
    pub fn stream(allow_retry: bool) -> Self {
        Self { code: ErrorCode::StreamError, message: None, allow_retry }
    }
}

/// Error event code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    /// App-defined message.
    #[default]
    #[serde(rename = "custom")]
    Custom,
    /// Generic failure; the client localizes the text.
    #[serde(rename = "stream.error")]
    StreamError,
}

/// Severity of a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeLevel {
    /// Informational.
    Info,
    /// Warning.
    Warning,
    /// Danger.
    Danger,
}

/// What changed in a streaming item (`thread.item.updated`).
// Updates are built, serialized and dropped one at a time; boxing the larger variants would
// only cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum ThreadItemUpdate {
    /// A content part started.
    #[serde(rename = "assistant_message.content_part.added")]
    ContentPartAdded {
        /// Part index.
        content_index: usize,
        /// The part as it starts.
        content: OutputText,
    },
    /// Text appended to a content part.
    #[serde(rename = "assistant_message.content_part.text_delta")]
    TextDelta {
        /// Part index.
        content_index: usize,
        /// The text to append.
        delta: String,
    },
    /// An annotation inserted into a content part.
    #[serde(rename = "assistant_message.content_part.annotation_added")]
    AnnotationAdded {
        /// Part index.
        content_index: usize,
        /// Position among the part's annotations.
        annotation_index: usize,
        /// The annotation.
        annotation: Annotation,
    },
    /// A content part is complete.
    #[serde(rename = "assistant_message.content_part.done")]
    ContentPartDone {
        /// Part index.
        content_index: usize,
        /// The final part.
        content: OutputText,
    },
    /// Text appended to a streaming `Text`/`Markdown` component of a widget.
    #[serde(rename = "widget.streaming_text.value_delta")]
    WidgetTextDelta {
        /// Component id.
        component_id: String,
        /// Text to append.
        delta: String,
        /// Whether the component stopped streaming.
        done: bool,
    },
    /// The whole widget was replaced.
    #[serde(rename = "widget.root.updated")]
    WidgetRootUpdated {
        /// The new widget.
        widget: WidgetRoot,
    },
    /// One component was replaced.
    #[serde(rename = "widget.component.updated")]
    WidgetComponentUpdated {
        /// Component id.
        component_id: String,
        /// The new component.
        component: Value,
    },
    /// A task was appended to a workflow.
    #[serde(rename = "workflow.task.added")]
    TaskAdded {
        /// Task index.
        task_index: usize,
        /// The task.
        task: Task,
    },
    /// A workflow task changed.
    #[serde(rename = "workflow.task.updated")]
    TaskUpdated {
        /// Task index.
        task_index: usize,
        /// The task.
        task: Task,
    },
    /// A generated image progressed.
    #[serde(rename = "generated_image.updated")]
    GeneratedImageUpdated {
        /// The image so far.
        image: GeneratedImage,
        /// Progress between 0 and 1.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        progress: Option<f64>,
    },
}
