//! Requests answered with one JSON body.

use base64::Engine as _;
use bytes::Bytes;
use serde::Serialize;

use super::engine::Inner;
use super::{AudioInput, ChatKitServer, RequestError};
use crate::{Order, Page, Request, Thread, ThreadItem};

pub(crate) async fn answer<S: ChatKitServer>(
    inner: &Inner<S>,
    request: Request,
    ctx: &S::Context,
) -> Result<Bytes, RequestError> {
    let store = &inner.store;
    match request {
        Request::ThreadsGetById { params, .. } => {
            let thread = store.load_thread(&params.thread_id, ctx).await?;
            let items = store.load_thread_items(&thread.id, None, inner.config.default_page_size, Order::Asc, ctx).await?;
            json(&redacted_thread(thread.to_response(items)))
        }
        Request::ThreadsList { params, .. } => {
            let limit = page_limit(inner, params.limit)?;
            let page = store.load_threads(params.after.as_deref(), limit, params.order, ctx).await?;
            json(&page.map(|thread| thread.to_response(Page::default())))
        }
        Request::ThreadsUpdate { params, .. } => {
            let mut thread = store.load_thread(&params.thread_id, ctx).await?;
            thread.title = Some(params.title);
            store.save_thread(&thread, ctx).await?;
            json(&thread.to_response(Page::default()))
        }
        Request::ThreadsDelete { params, .. } => {
            store.load_thread(&params.thread_id, ctx).await?;
            store.delete_thread(&params.thread_id, ctx).await?;
            Ok(empty())
        }
        Request::ItemsList { params, .. } => {
            let limit = page_limit(inner, params.limit)?;
            store.load_thread(&params.thread_id, ctx).await?;
            let page = store.load_thread_items(&params.thread_id, params.after.as_deref(), limit, params.order, ctx).await?;
            // As the reference: the page is cut first, hidden items removed after.
            let items: Vec<_> = page.data.iter().filter(|i| !i.is_hidden()).map(|i| i.to_response()).collect();
            json(&Page { data: items, has_more: page.has_more, after: page.after })
        }
        Request::ItemsFeedback { params, .. } => {
            store.load_thread(&params.thread_id, ctx).await?;
            let mut seen = std::collections::HashSet::with_capacity(params.item_ids.len());
            for item_id in &params.item_ids {
                if !seen.insert(item_id) {
                    return Err(RequestError::BadParam(format!(
                        "params.item_ids lists `{}` twice",
                        crate::protocol::clip(item_id.as_str(), 64)
                    )));
                }
                store.load_item(&params.thread_id, item_id, ctx).await?;
            }
            inner.server.add_feedback(&params.thread_id, &params.item_ids, params.kind, ctx).await?;
            Ok(empty())
        }
        Request::AttachmentsCreate { params, .. } => {
            let attachments = attachment_store(inner)?;
            let attachment = attachments.create_attachment(&params, ctx).await?;
            store.save_attachment(&attachment, ctx).await?;
            json(&attachment.to_response())
        }
        Request::AttachmentsDelete { params, .. } => {
            let attachments = attachment_store(inner)?;
            store.load_attachment(&params.attachment_id, ctx).await?;
            attachments.delete_attachment(&params.attachment_id, ctx).await?;
            store.delete_attachment(&params.attachment_id, ctx).await?;
            Ok(empty())
        }
        Request::InputTranscribe { params, .. } => {
            let data = STRICT_BASE64
                .decode(&params.audio_base64)
                .map_err(|err| RequestError::BadParam(format!("params.audio_base64 is not valid base64: {err}")))?;
            let text = inner.server.transcribe(AudioInput { data, mime_type: params.mime_type }, ctx).await?;
            json(&serde_json::json!({ "text": text }))
        }
        Request::ThreadsSyncCustomAction { params, .. } => {
            let _guard = if inner.config.serialize_threads { Some(inner.locks.lock(&params.thread_id).await) } else { None };
            let thread = store.load_thread(&params.thread_id, ctx).await?;
            let sender = match params.item_id.filter(|id| !id.is_empty()) {
                None => None,
                Some(item_id) => match store.load_item(&thread.id, &item_id, ctx).await? {
                    ThreadItem::Widget(widget) => Some(widget),
                    other => {
                        return Err(RequestError::InvalidState(format!(
                            "item `{item_id}` is a {}, not a widget; actions come from widgets",
                            other.kind()
                        )));
                    }
                },
            };
            match inner.server.sync_action(&thread, params.action, sender, ctx).await? {
                Some(item) => {
                    store.save_item(&thread.id, &item, ctx).await?;
                    json(&serde_json::json!({ "updated_item": item.to_response() }))
                }
                None => Ok(empty()),
            }
        }
        other => Err(RequestError::BadParam(format!("`{}` is a streaming request", other.kind()))),
    }
}

/// Standard alphabet with padding, nothing else allowed (no whitespace), as Python's
/// `b64decode(validate=True)`; like it, unused trailing bits are not an error.
const STRICT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
);

fn attachment_store<S: ChatKitServer>(
    inner: &Inner<S>,
) -> Result<&std::sync::Arc<dyn crate::store::AttachmentStore<S::Context>>, RequestError> {
    inner
        .attachments
        .as_ref()
        .ok_or_else(|| RequestError::Unsupported("this server does not accept attachments".into()))
}

/// The page size a listing asked for: missing, `null` or `0` is the default.
fn page_limit<S: ChatKitServer>(inner: &Inner<S>, limit: Option<i64>) -> Result<usize, RequestError> {
    match limit {
        None | Some(0) => Ok(inner.config.default_page_size),
        Some(n) if n < 0 => Err(RequestError::BadParam(format!("params.limit must not be negative (got {n})"))),
        Some(n) => {
            let max = inner.config.max_page_size;
            usize::try_from(n)
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| RequestError::BadParam(format!("params.limit must be at most {max} (got {n})")))
        }
    }
}

fn redacted_thread(mut thread: Thread) -> Thread {
    for item in &mut thread.items.data {
        if let std::borrow::Cow::Owned(clean) = item.to_response() {
            *item = clean;
        }
    }
    thread
}

fn json<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, RequestError> {
    serde_json::to_vec(value).map(Bytes::from).map_err(|err| RequestError::Internal(Box::new(err)))
}

fn empty() -> Bytes {
    Bytes::from_static(b"{}")
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::STRICT_BASE64;

    #[test]
    fn base64_is_as_strict_as_the_reference() {
        assert_eq!(STRICT_BASE64.decode("YQ==").unwrap(), b"a");
        assert_eq!(STRICT_BASE64.decode("YR==").unwrap(), b"a", "unused trailing bits are accepted");
        assert_eq!(STRICT_BASE64.decode("").unwrap(), b"");
        for bad in ["YQ", " YQ==", "YQ==\n", "Y Q==", "@@@@"] {
            assert!(STRICT_BASE64.decode(bad).is_err(), "{bad:?} is refused");
        }
    }
}
