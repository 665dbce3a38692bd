//! The server side: the trait apps implement, and the engine that runs it.
//!
//! An app implements [`ChatKitServer`]; [`ChatKit`] wraps it with a [`Store`](crate::Store)
//! and answers requests with [`ChatKit::process`]. HTTP adapters (`chatkit-axum`) only move
//! bytes in and out of `process`.

mod engine;
mod error;
mod limits;
mod locks;
mod pipe;
mod nonstreaming;
mod streaming;
mod turn;

use std::fmt;
use std::future::Future;

pub use engine::{ChatKit, Config, EventStream, Processed};
pub use error::RequestError;
pub use turn::{StreamingMessage, Turn};

use crate::{
    Action, FeedbackKind, ItemId, StreamOptions, ThreadId, ThreadItem, ThreadMetadata, UserMessageItem,
    WidgetItem,
};

/// What a handler returns.
pub type HandlerResult<T = ()> = Result<T, HandlerError>;

/// A ChatKit application: how it answers messages and actions.
///
/// Only [`respond`](ChatKitServer::respond) is required. Handlers write events through the
/// [`Turn`] they receive; the engine persists items, hides hidden context, emits
/// `thread.updated` when the handler changes the thread, and turns errors into `error` events.
///
/// ```
/// use chatkit::{ChatKitServer, HandlerResult, RequestContext, Turn, UserMessageItem};
///
/// struct Echo;
///
/// impl ChatKitServer for Echo {
///     type Context = RequestContext;
///
///     async fn respond(&self, turn: &mut Turn<RequestContext>, input: Option<UserMessageItem>) -> HandlerResult {
///         let text = input.map(|m| m.text()).unwrap_or_default();
///         turn.say(format!("You said: {text}")).await
///     }
/// }
/// ```
pub trait ChatKitServer: Send + Sync + 'static {
    /// The per-request context: who is calling and anything else the app extracted from the
    /// request. The engine passes the same value to every handler and store call.
    type Context: Send + Sync + Clone + 'static;

    /// Answers a user message (`input`), or continues after a client tool output or a
    /// structured input answer (`input` is `None`).
    fn respond(
        &self,
        turn: &mut Turn<Self::Context>,
        input: Option<UserMessageItem>,
    ) -> impl Future<Output = HandlerResult> + Send;

    /// Handles a widget action (`threads.custom_action`). `sender` is the widget item that sent
    /// it, when the client named one.
    fn action(
        &self,
        turn: &mut Turn<Self::Context>,
        action: Action,
        sender: Option<WidgetItem>,
    ) -> impl Future<Output = HandlerResult> + Send {
        let _ = (turn, sender);
        async move { Err(HandlerError::unsupported(format!("actions (got `{}`)", action.kind()))) }
    }

    /// Handles a non-streaming widget action (`threads.sync_custom_action`). A returned item
    /// replaces the sender in the store and is sent back to the client.
    fn sync_action(
        &self,
        thread: &ThreadMetadata,
        action: Action,
        sender: Option<WidgetItem>,
        context: &Self::Context,
    ) -> impl Future<Output = HandlerResult<Option<ThreadItem>>> + Send {
        let _ = (thread, sender, context);
        async move { Err(HandlerError::unsupported(format!("sync actions (got `{}`)", action.kind()))) }
    }

    /// Records thumbs up/down on items. The engine has checked that the thread and items exist.
    fn add_feedback(
        &self,
        thread_id: &ThreadId,
        item_ids: &[ItemId],
        kind: FeedbackKind,
        context: &Self::Context,
    ) -> impl Future<Output = HandlerResult> + Send {
        let _ = (thread_id, item_ids, kind, context);
        async { Ok(()) }
    }

    /// Turns dictated audio into composer text (`input.transcribe`).
    fn transcribe(
        &self,
        audio: AudioInput,
        context: &Self::Context,
    ) -> impl Future<Output = HandlerResult<String>> + Send {
        let _ = (audio, context);
        async { Err(HandlerError::unsupported("dictation (input.transcribe)")) }
    }

    /// Stream settings sent first in every stream.
    fn stream_options(&self, thread: &ThreadMetadata, context: &Self::Context) -> StreamOptions {
        let _ = (thread, context);
        StreamOptions { allow_cancel: true }
    }

    /// Runs when the client goes away mid-stream, after the handler was stopped.
    ///
    /// The default keeps started assistant messages that have text, drops other unfinished
    /// items, and stores a hidden note so the model does not resume the cancelled answer
    /// ([`Turn::persist_cancelled`]).
    fn on_cancel(&self, turn: &mut Turn<Self::Context>) -> impl Future<Output = HandlerResult> + Send {
        turn.persist_cancelled()
    }
}

/// Dictated audio.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AudioInput {
    /// The audio bytes.
    pub data: Vec<u8>,
    /// MIME type as sent, e.g. `audio/webm;codecs=opus`.
    pub mime_type: String,
}

impl AudioInput {
    /// The MIME type without parameters, e.g. `audio/webm`.
    ///
    /// ```
    /// let audio = chatkit::AudioInput { data: vec![], mime_type: "audio/webm;codecs=opus".into() };
    /// assert_eq!(audio.media_type(), "audio/webm");
    /// ```
    pub fn media_type(&self) -> &str {
        self.mime_type.split(';').next().unwrap_or_default()
    }
}

/// Why a handler failed.
///
/// Any error converts into it with `?` (reported to the client as a retryable
/// `stream.error` and logged); [`HandlerError::custom`] shows a message to the user.
///
/// ```
/// use chatkit::HandlerError;
/// let err = HandlerError::custom("Out of stock").retryable();
/// assert_eq!(err.to_string(), "Out of stock");
/// fn parse(text: &str) -> Result<u32, HandlerError> {
///     Ok(text.parse::<u32>()?)
/// }
/// assert!(parse("x").is_err());
/// ```
pub enum HandlerError {
    /// A message for the user (`error` event with code `custom`).
    Custom {
        /// The message.
        message: String,
        /// Whether the client offers a retry.
        allow_retry: bool,
    },
    /// The generic stream error (code `stream.error`; the client shows its own text).
    Stream {
        /// Whether the client offers a retry.
        allow_retry: bool,
    },
    /// The client disconnected; the handler should stop.
    Cancelled,
    /// The app does not implement this request type.
    Unsupported(String),
    /// Anything else: logged in full, reported as a retryable `stream.error`.
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl HandlerError {
    /// A custom error with a message for the user; not retryable unless [`retryable`](Self::retryable).
    pub fn custom(message: impl Into<String>) -> Self {
        HandlerError::Custom { message: message.into(), allow_retry: false }
    }

    /// The generic stream error.
    pub fn stream(allow_retry: bool) -> Self {
        HandlerError::Stream { allow_retry }
    }

    /// The app does not support this.
    pub fn unsupported(what: impl Into<String>) -> Self {
        HandlerError::Unsupported(what.into())
    }

    /// Makes the error retryable.
    #[must_use]
    pub fn retryable(self) -> Self {
        match self {
            HandlerError::Custom { message, .. } => HandlerError::Custom { message, allow_retry: true },
            HandlerError::Stream { .. } => HandlerError::Stream { allow_retry: true },
            other => other,
        }
    }

    /// The error event the client sees, or `None` for a cancelled stream.
    pub fn to_event(&self) -> Option<crate::ErrorEvent> {
        match self {
            HandlerError::Custom { message, allow_retry } => Some(crate::ErrorEvent::custom(message.clone(), *allow_retry)),
            HandlerError::Stream { allow_retry } => Some(crate::ErrorEvent::stream(*allow_retry)),
            HandlerError::Cancelled => None,
            HandlerError::Unsupported(_) | HandlerError::Other(_) => Some(crate::ErrorEvent::stream(true)),
        }
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for HandlerError {
    fn from(err: E) -> Self {
        HandlerError::Other(Box::new(err))
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandlerError::Custom { message, .. } => f.write_str(message),
            HandlerError::Stream { .. } => f.write_str("stream error"),
            HandlerError::Cancelled => f.write_str("the client disconnected"),
            HandlerError::Unsupported(what) => write!(f, "this server does not support {what}"),
            HandlerError::Other(err) => {
                write!(f, "{err}")?;
                let mut source = err.source();
                while let Some(cause) = source {
                    write!(f, ": {cause}")?;
                    source = cause.source();
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandlerError::Other(err) => f.debug_tuple("Other").field(err).finish(),
            other => write!(f, "{other}"),
        }
    }
}
