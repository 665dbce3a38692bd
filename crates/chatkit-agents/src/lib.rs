//! # chatkit-agents
//!
//! Puts a language model behind a chatkit-rs server.
//!
//! * [`model`] — the [`Model`](model::Model) interface, OpenAI-compatible clients (Chat
//!   Completions and Responses API, streaming) and an offline scripted model.
//! * [`convert`] — thread history → model input, overridable per item type.
//! * [`pyjson`] — JSON text as the reference (Python) writes it for models.

pub mod convert;
pub mod model;
pub mod pyjson;

pub use convert::{DefaultConverter, ItemConverter};
