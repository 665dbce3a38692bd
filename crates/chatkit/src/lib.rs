//! # chatkit
//!
//! The core of chatkit-rs: a Rust implementation of the ChatKit server protocol, wire
//! compatible with the Python reference (`openai-chatkit`), so the official ChatKit web client
//! (and ours) talk to it unchanged.
//!
//! A tour:
//!
//! * [`protocol`] — every request, thread, item, event and page, as serde types whose JSON is
//!   what the reference sends.
//! * [`ChatKitServer`] — the trait an app implements: [`respond`](ChatKitServer::respond) to
//!   messages, [`action`](ChatKitServer::action) for widget actions, and optional hooks.
//! * [`Turn`] — what a handler writes to: events, messages, widgets, hidden context.
//! * [`ChatKit`] — the engine: [`ChatKit::process`] turns a request body into JSON or a stream
//!   of SSE frames, persisting items as the protocol says.
//! * [`store`] — the [`Store`] contract and the in-memory [`MemoryStore`].
//! * [`widgets`] — widget trees and how they stream.
//! * [`python`] — Python's `str()`/`repr()` of JSON values, as the reference prints them.
//! * [`pitfalls`] — the Python SDK's common mistakes, and why they do not compile here.
//!
//! ```
//! use chatkit::{ChatKit, ChatKitServer, HandlerResult, MemoryStore, Processed, RequestContext, Turn, UserMessageItem};
//!
//! struct Echo;
//!
//! impl ChatKitServer for Echo {
//!     type Context = RequestContext;
//!
//!     async fn respond(&self, turn: &mut Turn<RequestContext>, input: Option<UserMessageItem>) -> HandlerResult {
//!         let text = input.map(|m| m.text()).unwrap_or_default();
//!         turn.say(format!("You said: {text}")).await
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let chatkit = ChatKit::new(Echo, MemoryStore::new());
//! let body = br#"{"type":"threads.create","params":{"input":{
//!     "content":[{"type":"input_text","text":"hi"}],"attachments":[],"inference_options":{}}}}"#;
//! let Processed::Stream(stream) = chatkit.process(body, RequestContext::new("alice")).await.unwrap() else {
//!     unreachable!("threads.create streams")
//! };
//! let frames = chatkit::sse::parse(&stream.collect().await);
//! assert!(frames.last().unwrap().contains("You said: hi"));
//! # });
//! ```

#[macro_use]
mod macros;

mod context;
pub mod pitfalls;
pub mod protocol;
pub mod python;
mod server;
pub mod sse;
pub mod store;
pub mod widgets;

pub use context::RequestContext;
pub use protocol::*;
pub use server::{
    AudioInput, ChatKit, ChatKitServer, Config, EventStream, HandlerError, HandlerResult, Processed, RequestError,
    StreamingMessage, Turn,
};
pub use store::{AttachmentStore, MemoryStore, Store, StoreError};
pub use widgets::WidgetRoot;
