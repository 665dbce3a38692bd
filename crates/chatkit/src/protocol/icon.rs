//! Icon names.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The icon names the reference accepts, besides `vendor:*` and `lucide:*`.
pub const KNOWN_ICONS: &[&str] = &[
    "agent", "analytics", "atom", "batch", "bolt", "book-open", "book-closed", "book-clock",
    "bug", "calendar", "chart", "check", "check-circle", "check-circle-filled", "chevron-left",
    "chevron-right", "circle-question", "clock", "compass", "confetti", "cube", "desktop",
    "document", "dot", "dots-horizontal", "dots-vertical", "empty-circle", "external-link",
    "globe", "keys", "lab", "images", "info", "lifesaver", "lightbulb", "mail", "map-pin", "maps",
    "mobile", "name", "notebook", "notebook-pencil", "page-blank", "phone", "play", "plus",
    "profile", "profile-card", "reload", "star", "star-filled", "search", "sparkle",
    "sparkle-double", "square-code", "square-image", "square-text", "suitcase",
    "settings-slider", "user", "wreath", "write", "write-alt", "write-alt2",
];

/// An icon: one of [`KNOWN_ICONS`], or any `vendor:…` / `lucide:…` name.
///
/// ```
/// use chatkit::IconName;
/// assert!(IconName::new("sparkle").is_valid());
/// assert!(IconName::new("lucide:rocket").is_valid());
/// assert!(!IconName::new("rocket").is_valid());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IconName(String);

impl IconName {
    /// Wraps a name (not checked; see [`IconName::is_valid`]).
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// Whether the reference would accept this name.
    pub fn is_valid(&self) -> bool {
        is_valid_icon(&self.0)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `name` is a known icon or a `vendor:`/`lucide:` name.
pub fn is_valid_icon(name: &str) -> bool {
    name.starts_with("vendor:") || name.starts_with("lucide:") || KNOWN_ICONS.contains(&name)
}

impl fmt::Display for IconName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for IconName {
    fn from(name: &str) -> Self {
        Self(name.to_owned())
    }
}

impl From<String> for IconName {
    fn from(name: String) -> Self {
        Self(name)
    }
}
