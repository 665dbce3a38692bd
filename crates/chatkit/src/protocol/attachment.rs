//! Attachments: files and images users add to messages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{AttachmentId, ThreadId};

/// A file or image attached to a user message.
///
/// `metadata` is integration data: kept by stores, never sent to clients (responses use
/// [`Attachment::to_response`]).
///
/// ```
/// use chatkit::{Attachment, AttachmentBase};
/// let file = Attachment::File(AttachmentBase::new("atc_1", "notes.txt", "text/plain"));
/// assert_eq!(
///     serde_json::to_string(&file).unwrap(),
///     r#"{"type":"file","id":"atc_1","name":"notes.txt","mime_type":"text/plain"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Attachment {
    /// Any file.
    File(AttachmentBase),
    /// An image, with a preview URL.
    Image(ImageAttachment),
}

/// Fields every attachment has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentBase {
    /// Attachment id.
    pub id: AttachmentId,
    /// Original file name.
    pub name: String,
    /// MIME type.
    pub mime_type: String,
    /// Where and how the client uploads the bytes (two-phase uploads); `None` once uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_descriptor: Option<UploadDescriptor>,
    /// The thread of the message that references it, once sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<ThreadId>,
    /// Integration-only data; stripped from responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

impl AttachmentBase {
    /// An attachment without upload descriptor, thread or metadata.
    pub fn new(id: impl Into<AttachmentId>, name: impl Into<String>, mime_type: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            mime_type: mime_type.into(),
            upload_descriptor: None,
            thread_id: None,
            metadata: None,
        }
    }
}

/// An image attachment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageAttachment {
    /// Common fields.
    #[serde(flatten)]
    pub base: AttachmentBase,
    /// URL of a preview the client can show.
    pub preview_url: String,
}

/// Upload instructions for the two-phase flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadDescriptor {
    /// Where to send the bytes.
    pub url: String,
    /// `POST` or `PUT`.
    pub method: UploadMethod,
    /// Extra request headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

/// HTTP method of an upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadMethod {
    /// `POST` (multipart form, field `file`).
    #[serde(rename = "POST")]
    Post,
    /// `PUT` (raw bytes).
    #[serde(rename = "PUT")]
    Put,
}

impl Attachment {
    /// Common fields.
    pub fn base(&self) -> &AttachmentBase {
        match self {
            Attachment::File(base) => base,
            Attachment::Image(image) => &image.base,
        }
    }

    /// Common fields, mutable.
    pub fn base_mut(&mut self) -> &mut AttachmentBase {
        match self {
            Attachment::File(base) => base,
            Attachment::Image(image) => &mut image.base,
        }
    }

    /// Attachment id.
    pub fn id(&self) -> &AttachmentId {
        &self.base().id
    }

    /// A copy without `metadata`, as sent to clients.
    pub fn to_response(&self) -> Attachment {
        let mut copy = self.clone();
        copy.base_mut().metadata = None;
        copy
    }
}

/// Normalizes a URL the way the reference's URL type does: a bare origin gains a `/` path.
///
/// ```
/// use chatkit::protocol::normalize_url;
/// assert_eq!(normalize_url("https://cdn.example.com"), "https://cdn.example.com/");
/// assert_eq!(normalize_url("https://cdn.example.com/a?b"), "https://cdn.example.com/a?b");
/// ```
pub fn normalize_url(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) if !rest.is_empty() && !rest.contains(['/', '?', '#']) => format!("{url}/"),
        _ => url.to_owned(),
    }
}
