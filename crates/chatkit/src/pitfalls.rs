//! The mistakes people make with the Python SDK, and why they cannot happen here.
//!
//! Each section names a runtime error users of the reference hit, then shows the chatkit-rs
//! code: the right way compiles, the wrong way does not (these examples are doc tests, the
//! `compile_fail` ones included).
//!
//! # Action data lives in `payload`, and it is typed
//!
//! In Python, `action.arguments` fails at run time (`'Action' object has no attribute
//! 'arguments'`) and `action.payload["id"]` raises on a missing key. Here the data is only
//! reachable through [`Action::payload`], decoded into your type; a wrong shape is an error that
//! names the action and the path, never a panic.
//!
//! ```
//! use chatkit::Action;
//!
//! #[derive(Debug, serde::Deserialize)]
//! struct Toggle { task_id: String }
//!
//! let action = Action::new("task.toggle", serde_json::json!({"task": 7}));
//! let err = action.payload::<Toggle>().unwrap_err();
//! assert_eq!(err.to_string(), "payload of action `task.toggle` at `.`: missing field `task_id`");
//! ```
//!
//! ```compile_fail
//! fn read(action: &chatkit::Action) {
//!     let _ = &action.arguments; // no such field
//! }
//! ```
//!
//! # The request context is one typed value, passed as is
//!
//! The reference's type hints say `dict` while a `RequestContext` arrives, and wrapping it again
//! fails validation. Here an app names its context type once ([`ChatKitServer::Context`]); the
//! engine hands that same value to every handler and store call, so there is nothing to wrap.
//!
//! ```
//! use chatkit::{Action, ChatKitServer, HandlerResult, Turn, UserMessageItem, WidgetItem};
//!
//! #[derive(Clone)]
//! struct Caller { user_id: String, tenant: String }
//!
//! struct App;
//!
//! impl ChatKitServer for App {
//!     type Context = Caller;
//!
//!     async fn respond(&self, turn: &mut Turn<Caller>, _input: Option<UserMessageItem>) -> HandlerResult {
//!         let who = turn.context().user_id.clone(); // a field of your own type
//!         turn.say(format!("Hello {who}")).await
//!     }
//!
//!     async fn action(&self, turn: &mut Turn<Caller>, _action: Action, _sender: Option<WidgetItem>) -> HandlerResult {
//!         let tenant = &turn.context().tenant;
//!         let reply = format!("done for {tenant}");
//!         turn.say(reply).await
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! # use chatkit::{ChatKitServer, HandlerResult, RequestContext, Turn, UserMessageItem};
//! # #[derive(Clone)] struct Caller { user_id: String }
//! # struct App;
//! # impl ChatKitServer for App {
//! #     type Context = Caller;
//! async fn respond(&self, turn: &mut Turn<Caller>, _input: Option<UserMessageItem>) -> HandlerResult {
//!     let wrapped: RequestContext = turn.context(); // a Caller is not a RequestContext
//!     Ok(())
//! }
//! # }
//! ```
//!
//! # Synthetic user messages come from a constructor
//!
//! Building a `UserMessageItem` by hand in Python fails with four missing fields (`id`,
//! `thread_id`, `created_at`, `inference_options`). [`Turn::user_message`] fills all of them
//! from the thread and the store's id generator.
//!
//! ```
//! # async fn demo(turn: &mut chatkit::Turn<chatkit::RequestContext>) -> chatkit::HandlerResult {
//! let message = turn.user_message("Add a task called Review");
//! assert!(message.id.as_str().starts_with("msg_"));
//! assert_eq!(message.thread_id, turn.thread().id);
//! # Ok(()) }
//! ```
//!
//! # User content is `input_text` or `input_tag`, nothing else
//!
//! `type="text"` in a user message is a validation error in Python. [`UserContent`] has exactly
//! the two variants the protocol allows, and they serialize with the right tags.
//!
//! ```
//! use chatkit::UserContent;
//! let part = UserContent::text("hi");
//! assert_eq!(serde_json::to_string(&part).unwrap(), r#"{"type":"input_text","text":"hi"}"#);
//! ```
//!
//! ```compile_fail
//! let part = chatkit::UserContent::OutputText { text: "hi".into() }; // no such variant
//! ```
//!
//! # Tools stream widgets themselves
//!
//! In the Python agents integration an MCP tool's result never reaches the UI as a widget
//! without a local wrapper tool and run hooks. Here a handler streams a widget directly from
//! wherever it runs, with [`Turn::show_widget`]; the agents layer gives tools the same turn.
//!
//! [`Action::payload`]: crate::Action::payload
//! [`ChatKitServer::Context`]: crate::ChatKitServer::Context
//! [`Turn::user_message`]: crate::Turn::user_message
//! [`Turn::show_widget`]: crate::Turn::show_widget
//! [`UserContent`]: crate::UserContent
