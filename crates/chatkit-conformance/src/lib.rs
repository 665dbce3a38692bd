//! # chatkit-conformance
//!
//! The scripted ChatKit app of the conformance kit (`APP.md`), built with chatkit-rs. It uses
//! no language model: every reply is a pure function of the requests received, so its output
//! can be compared byte for byte with the Python reference running the same script.
//!
//! It doubles as the backend of the web client's browser tests and as a tour of the framework:
//! [`commands`](ConformanceApp) streams messages, widgets, workflows and tool calls; actions
//! replace widgets, add hidden context and emit client effects.

mod actions;
mod app;
mod commands;
mod convert;
mod python;
mod widgets;

use std::borrow::Cow;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chatkit::store::{AttachmentStore, StoreContext, StoreResult};
use chatkit::{
    Attachment, AttachmentBase, AttachmentCreateParams, AttachmentId, ChatKit, ImageAttachment, UploadDescriptor,
    UploadMethod,
};

pub use app::ConformanceApp;

/// The caller, from the `x-user-id` header (missing or empty: `anonymous`).
///
/// ```
/// use chatkit::store::StoreContext;
/// let caller = chatkit_conformance::Caller::new("alice");
/// assert_eq!(caller.owner(), "alice");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    user_id: String,
}

impl Caller {
    /// A caller with this user id.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self { user_id: user_id.into() }
    }

    /// The user id.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
}

impl StoreContext for Caller {
    fn owner(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.user_id)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user = parts
            .headers
            .get("x-user-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .unwrap_or("anonymous");
        Ok(Caller::new(user))
    }
}

/// Upload descriptors for the two-phase attachment flow; no bytes are stored.
///
/// `attachments.create` answers an attachment whose upload goes to
/// `http://127.0.0.1/upload/<id>` (PUT); images get `http://127.0.0.1/preview/<id>`.
#[derive(Clone, Copy, Debug, Default)]
pub struct UploadUrls;

#[async_trait::async_trait]
impl AttachmentStore<Caller> for UploadUrls {
    async fn create_attachment(&self, params: &AttachmentCreateParams, ctx: &Caller) -> StoreResult<Attachment> {
        let id: AttachmentId = self.generate_attachment_id(&params.mime_type, ctx);
        let mut base = AttachmentBase::new(id.clone(), params.name.clone(), params.mime_type.clone());
        base.upload_descriptor = Some(UploadDescriptor {
            url: format!("http://127.0.0.1/upload/{id}"),
            method: UploadMethod::Put,
            headers: Default::default(),
        });
        Ok(if params.mime_type.starts_with("image/") {
            Attachment::Image(ImageAttachment { base, preview_url: format!("http://127.0.0.1/preview/{id}") })
        } else {
            Attachment::File(base)
        })
    }

    async fn delete_attachment(&self, _attachment_id: &AttachmentId, _ctx: &Caller) -> StoreResult<()> {
        Ok(())
    }
}

/// The HTTP routes of the app: `POST /chatkit`.
pub fn router(chatkit: ChatKit<ConformanceApp>) -> axum::Router {
    chatkit_axum::router(chatkit)
}
