//! Widgets: the interactive UI trees an assistant shows in a thread.
//!
//! A widget item holds a [`WidgetRoot`]. Build one from typed components with builders
//! ([`Card`], [`Text`], [`Button`], … — see [`Component`] for the list), from a `.widget` template with
//! [`WidgetTemplate`] (parse once, render many; the data is checked against the template's
//! `jsonSchema`), or from JSON. [`diff_widget`] computes the updates between two versions of a
//! widget, which is how [`Turn::stream_widget`](crate::Turn::stream_widget) streams a widget
//! whose text grows.

mod components;
mod diff;
mod path;
mod root;
#[cfg(feature = "templates")]
mod template;

pub use components::*;
pub use diff::{DiffError, diff_widget};
pub use path::WidgetPath;
pub use root::{InvalidWidget, ROOT_TYPES, WidgetRoot};
#[cfg(feature = "templates")]
pub use template::{SchemaViolation, TemplateError, WatchedTemplate, WidgetTemplate};
