//! # chatkit-agents
//!
//! Puts a language model behind a chatkit-rs server.
//!
//! * [`Agent`] — instructions, tools, a model and a converter answering a [`Turn`](chatkit::Turn):
//!   the model's text streams into an assistant message, its reasoning into a workflow, its
//!   tool calls run and loop back. [`Agents`] routes by the composer's tool choice.
//! * [`model`] — the [`Model`](model::Model) interface, OpenAI-compatible clients (Chat
//!   Completions and Responses API, streaming) and an offline scripted model.
//! * [`tools`] — typed tools whose handlers stream widgets, add hidden context, send effects
//!   and hand calls to the client.
//! * [`stream`] — model events → ChatKit events.
//! * `mcp` (feature `mcp`) — tools of MCP servers, whose results may carry a widget.
//! * [`convert`] — thread history → model input, overridable per item type.
//! * [`pyjson`] — JSON text as the reference (Python) writes it for models.

mod agent;
pub mod convert;
#[cfg(feature = "mcp")]
pub mod mcp;
pub mod model;
pub mod pyjson;
pub mod stream;
pub mod tools;

pub use agent::{Agent, Agents, RunOutcome, generate_title};
pub use convert::{DefaultConverter, ItemConverter};
pub use tools::{FunctionTool, Tool, ToolContext, ToolError};
