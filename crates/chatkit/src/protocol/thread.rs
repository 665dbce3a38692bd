//! Threads and their status.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Page, ThreadId, ThreadItem, Timestamp};

/// A thread as the store keeps it: everything but its items.
///
/// `metadata` is server-side only: it is stored but never sent to clients.
///
/// ```
/// use chatkit::{ThreadMetadata, ThreadStatus};
/// let mut thread = ThreadMetadata::new("thr_1");
/// thread.title = Some("Trip planning".into());
/// thread.status = ThreadStatus::locked("archived");
/// assert_eq!(thread.id, "thr_1");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadMetadata {
    /// Title shown in the thread list; `None` until one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The thread id.
    pub id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Whether the user can continue the thread.
    #[serde(default)]
    pub status: ThreadStatus,
    /// Image hosts the client may load images from, when restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_image_domains: Option<Vec<String>>,
    /// Free-form server-side data (never sent to clients).
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

impl ThreadMetadata {
    /// A fresh active thread with this id, created now.
    pub fn new(id: impl Into<ThreadId>) -> Self {
        Self {
            title: None,
            id: id.into(),
            created_at: Timestamp::now(),
            status: ThreadStatus::Active,
            allowed_image_domains: None,
            metadata: Map::new(),
        }
    }

    /// The thread as clients see it: `metadata` emptied, with these items.
    pub fn to_response(&self, items: Page<ThreadItem>) -> Thread {
        Thread {
            title: self.title.clone(),
            id: self.id.clone(),
            created_at: self.created_at,
            status: self.status.clone(),
            allowed_image_domains: self.allowed_image_domains.clone(),
            metadata: Map::new(),
            items: Page {
                data: items.data.into_iter().filter(|item| !item.is_hidden()).collect(),
                ..items
            },
        }
    }
}

/// A thread with a page of its items, as sent to clients.
///
/// Build it with [`ThreadMetadata::to_response`], which also hides server-only data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// Title, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The thread id.
    pub id: ThreadId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Status.
    #[serde(default)]
    pub status: ThreadStatus,
    /// Allowed image hosts, if restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_image_domains: Option<Vec<String>>,
    /// Always `{}` in responses.
    #[serde(default)]
    pub metadata: Map<String, Value>,
    /// A page of items (empty except in `threads.get_by_id`).
    #[serde(default)]
    pub items: Page<ThreadItem>,
}

/// Whether a thread accepts new messages.
///
/// ```
/// use chatkit::ThreadStatus;
/// let json = serde_json::to_string(&ThreadStatus::closed("resolved")).unwrap();
/// assert_eq!(json, r#"{"type":"closed","reason":"resolved"}"#);
/// assert_eq!(serde_json::to_string(&ThreadStatus::Active).unwrap(), r#"{"type":"active"}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ThreadStatus {
    /// Open for messages.
    #[default]
    Active,
    /// Read-only for now.
    Locked {
        /// Why, shown to the user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Finished.
    Closed {
        /// Why, shown to the user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

impl ThreadStatus {
    /// `locked` with a reason.
    pub fn locked(reason: impl Into<String>) -> Self {
        Self::Locked { reason: Some(reason.into()) }
    }

    /// `closed` with a reason.
    pub fn closed(reason: impl Into<String>) -> Self {
        Self::Closed { reason: Some(reason.into()) }
    }
}
