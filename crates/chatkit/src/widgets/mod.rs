//! Widgets: the interactive UI trees an assistant shows in a thread.
//!
//! A widget item holds a [`WidgetRoot`]. [`diff_widget`] computes the updates between two
//! versions of a widget, which is how [`Turn::stream_widget`](crate::Turn::stream_widget)
//! streams a widget whose text grows.

mod diff;
mod root;

pub use diff::{DiffError, diff_widget};
pub use root::{InvalidWidget, ROOT_TYPES, WidgetRoot};
