//! Model input for the concierge: attached photos as images, hidden context as plain text.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use chatkit::{Attachment, HiddenContextItem};
use chatkit_agents::convert::{ConvertError, InputItem, ItemConverter, input_text, user_text};
use serde_json::{Value, json};

/// Largest photo sent to the model inline (larger ones go by URL).
const MAX_INLINE_BYTES: usize = 5 * 1024 * 1024;

/// Converts thread items for the concierge model.
///
/// * An image attachment becomes an `input_image` with the bytes inline as a `data:` URL
///   (fetched from its preview URL, so a hosted model need not reach this server); when the
///   bytes cannot be read, the preview URL itself.
/// * Another file becomes a note naming it (the demo reads photos only).
/// * Hidden context (the `<WIDGET_ACTION …>` records of what the traveller clicked) is a user
///   message with exactly its text, as in the sample.
#[derive(Clone, Debug)]
pub struct SupportConverter {
    http: reqwest::Client,
}

impl Default for SupportConverter {
    fn default() -> Self {
        Self::new()
    }
}

impl SupportConverter {
    /// A converter with its own HTTP client (10 second timeout).
    pub fn new() -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
        Self { http }
    }

    /// The bytes behind `url` as a `data:` URL, if they can be read and are small enough.
    async fn inline(&self, url: &str, mime_type: &str) -> Option<String> {
        let response = self.http.get(url).send().await.ok()?.error_for_status().ok()?;
        if response.content_length().is_some_and(|n| n as usize > MAX_INLINE_BYTES) {
            return None;
        }
        let bytes = response.bytes().await.ok()?;
        if bytes.len() > MAX_INLINE_BYTES {
            return None;
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        Some(format!("data:{mime_type};base64,{encoded}"))
    }
}

#[async_trait]
impl ItemConverter for SupportConverter {
    async fn attachment(&self, attachment: &Attachment) -> Result<Value, ConvertError> {
        match attachment {
            Attachment::Image(image) => {
                let url = match self.inline(&image.preview_url, &image.base.mime_type).await {
                    Some(data) => data,
                    None => {
                        tracing::warn!(attachment = %image.base.id, "could not read the photo; sending its URL");
                        image.preview_url.clone()
                    }
                };
                Ok(json!({"type": "input_image", "image_url": url, "detail": "auto"}))
            }
            Attachment::File(file) => {
                Ok(input_text(format!("[The traveller attached {} ({}); only photos can be read.]", file.name, file.mime_type)))
            }
        }
    }

    async fn hidden_context(&self, item: &HiddenContextItem) -> Result<Vec<InputItem>, ConvertError> {
        let text = match &item.content {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        Ok(vec![user_text(text)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    fn image(url: &str) -> Attachment {
        serde_json::from_value(json!({"type": "image", "id": "atc_1", "name": "tokyo.png", "mime_type": "image/png", "preview_url": url}))
            .expect("an image attachment")
    }

    #[tokio::test]
    async fn photos_go_inline_and_fall_back_to_their_url() {
        let app = axum::Router::new().route("/p.png", get(|| async { [1u8, 2, 3].to_vec() }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });

        let converter = SupportConverter::new();
        let part = converter.attachment(&image(&format!("http://{addr}/p.png"))).await.expect("converts");
        assert_eq!(part["image_url"], "data:image/png;base64,AQID");
        let missing = format!("http://{addr}/missing.png");
        let part = converter.attachment(&image(&missing)).await.expect("converts");
        assert_eq!(part["image_url"], missing.as_str());

        let file: Attachment = serde_json::from_value(json!({"type": "file", "id": "atc_2", "name": "a.pdf", "mime_type": "application/pdf"}))
            .expect("a file");
        let part = converter.attachment(&file).await.expect("converts");
        assert!(part["text"].as_str().unwrap_or_default().contains("a.pdf"));
    }

    #[tokio::test]
    async fn hidden_context_is_plain_text() {
        let item: HiddenContextItem = serde_json::from_value(json!({
            "id": "msg_1", "thread_id": "thr_1", "created_at": "2026-01-01T00:00:00Z",
            "content": "<WIDGET_ACTION widgetId=w>support.set_meal_preference payload: kosher</WIDGET_ACTION>"
        }))
        .expect("an item");
        let input = SupportConverter::new().hidden_context(&item).await.expect("converts");
        assert_eq!(input[0]["content"][0]["text"], "<WIDGET_ACTION widgetId=w>support.set_meal_preference payload: kosher</WIDGET_ACTION>");
    }
}
