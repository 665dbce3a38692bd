//! The ChatKit wire protocol: requests, threads, items, events.
//!
//! Every type serializes exactly as the reference server does: field names and `type` tags,
//! `None` fields left out, defaults written out. The tests in `tests/wire_golden.rs` pin this
//! against JSON captured from the reference.

mod action;
mod attachment;
mod content;
mod event;
mod icon;
mod ids;
mod item;
mod page;
mod request;
mod task;
mod thread;
mod time;

pub use action::{Action, Handler, LoadingBehavior, PayloadError};
pub use attachment::{Attachment, AttachmentBase, ImageAttachment, UploadDescriptor, UploadMethod, normalize_url};
pub use content::{
    Annotation, EntitySource, FileSource, InferenceOptions, OutputText, Source, Tag, ToolChoice, UrlSource,
    UserContent,
};
pub use event::{ErrorCode, ErrorEvent, NoticeLevel, StreamOptions, ThreadItemUpdate, ThreadStreamEvent};
pub use icon::{IconName, KNOWN_ICONS, is_valid_icon};
pub use ids::{AttachmentId, IdKind, ItemId, ThreadId};
pub use item::{
    AssistantMessageItem, ClientToolCallItem, EndOfTurnItem, GeneratedImage, GeneratedImageItem,
    HiddenContextItem, SdkHiddenContextItem, StructuredInputItem, TaskItem, ThreadItem, ToolCallStatus,
    UserMessageItem, WidgetItem, WorkflowItem,
};
pub use page::{Order, Page, page_window};
pub use request::{
    AnswerSubmission, AttachmentCreateParams, AttachmentDeleteParams, CustomActionParams, FeedbackKind,
    FeedbackParams, ItemRefParams, ItemsListParams, ListParams, MAX_REQUEST_DEPTH, ParseError, Request,
    StructuredInputSubmission, SubmissionStatus, ThreadAddClientToolOutputParams,
    ThreadAddStructuredInputParams, ThreadAddUserMessageParams, ThreadCreateParams, ThreadRefParams,
    ThreadUpdateParams, TranscribeParams, UserMessageInput,
};
pub(crate) use request::clip;
pub use task::{
    ChoiceOption, CustomTask, FileTask, Freeform, ImageTask, MultipleChoice, SearchTask, StatusIndicator,
    StructuredAnswer, StructuredInput, StructuredStatus, Task, ThoughtTask, Workflow, WorkflowKind,
    WorkflowSummary,
};
pub use thread::{Thread, ThreadMetadata, ThreadStatus};
pub use time::Timestamp;
