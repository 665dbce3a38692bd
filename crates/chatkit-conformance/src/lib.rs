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

/// The caller, from the `x-user-id` header (missing or empty: `anonymous`; not UTF-8: the
/// request is refused with a 400 JSON error).
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
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(header) = parts.headers.get("x-user-id") else { return Ok(Caller::new("anonymous")) };
        // Refused rather than read as `anonymous`: a garbled id must not land in a shared account.
        let user = std::str::from_utf8(header.as_bytes()).map_err(|_| {
            let refusal = chatkit::RequestError::BadParam("the x-user-id header is not valid UTF-8".to_owned());
            chatkit_axum::error_response(&refusal)
        })?;
        Ok(Caller::new(if user.is_empty() { "anonymous" } else { user }))
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

#[cfg(test)]
mod tests {
    use super::Caller;
    use axum::extract::FromRequestParts;
    use axum::http::{HeaderValue, Request};

    async fn caller(header: Option<HeaderValue>) -> Result<Caller, axum::response::Response> {
        let mut request = Request::builder().uri("/chatkit");
        if let Some(value) = header {
            request = request.header("x-user-id", value);
        }
        let (mut parts, ()) = request.body(()).expect("a request").into_parts();
        Caller::from_request_parts(&mut parts, &()).await
    }

    #[tokio::test]
    async fn the_caller_comes_from_x_user_id() {
        assert_eq!(caller(Some(HeaderValue::from_static("alice"))).await.ok(), Some(Caller::new("alice")));
        assert_eq!(caller(None).await.ok(), Some(Caller::new("anonymous")));
        assert_eq!(caller(Some(HeaderValue::from_static(""))).await.ok(), Some(Caller::new("anonymous")));
        let utf8 = HeaderValue::from_bytes("zoë".as_bytes()).expect("a header value");
        assert_eq!(caller(Some(utf8)).await.ok(), Some(Caller::new("zoë")));
    }

    #[tokio::test]
    async fn a_user_id_that_is_not_utf8_is_a_400_json_error() {
        let garbled = HeaderValue::from_bytes(b"al\xffce").expect("a header value");
        let response = caller(Some(garbled)).await.expect_err("refused");
        assert_eq!(response.status(), 400);
        assert_eq!(response.headers()["content-type"], "application/json");
        let body = axum::body::to_bytes(response.into_body(), 4096).await.expect("the body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(body["error"]["code"], "invalid_request");
        assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("x-user-id")), "{body}");
    }
}
