//! # chatkit-agents
//!
//! Puts a language model behind a chatkit-rs server.
//!
//! * [`convert`] — thread history → model input, overridable per item type.
//! * [`pyjson`] — JSON text as the reference (Python) writes it for models.

pub mod convert;
pub mod pyjson;

pub use convert::{DefaultConverter, ItemConverter};
