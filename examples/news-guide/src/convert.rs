//! Model input for the newsroom: @-mentioned articles and authors become reference markers the
//! agent resolves with its tools.

use async_trait::async_trait;
use chatkit::{HiddenContextItem, Tag};
use chatkit_agents::convert::{ConvertError, InputItem, ItemConverter, input_text, user_text};
use serde_json::Value;

/// Converts thread items for the News Guide (the sample's converter).
///
/// * An article tag becomes `Tagged article: TITLE` and `<ARTICLE_REFERENCE>ID</ARTICLE_REFERENCE>`;
///   an author tag (`data.type == "author"`) becomes `Tagged author: NAME` and
///   `<AUTHOR_REFERENCE>SLUG</AUTHOR_REFERENCE>`.
/// * Hidden context is a user message with exactly its text.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use chatkit_agents::ItemConverter;
/// let tag: chatkit::Tag = serde_json::from_value(serde_json::json!(
///     {"id": "jazz-crosswalk", "text": "Jazz Crosswalk", "data": {"article_id": "jazz-crosswalk"}}
/// )).unwrap();
/// let part = news_guide::NewsConverter.tag(&tag).await.unwrap();
/// assert_eq!(part["text"], "Tagged article: Jazz Crosswalk\n<ARTICLE_REFERENCE>jazz-crosswalk</ARTICLE_REFERENCE>");
/// # });
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct NewsConverter;

fn data_str<'a>(tag: &'a Tag, key: &str) -> Option<&'a str> {
    tag.data.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

#[async_trait]
impl ItemConverter for NewsConverter {
    async fn tag(&self, tag: &Tag) -> Result<Value, ConvertError> {
        let text = if data_str(tag, "type") == Some("author") {
            let name = data_str(tag, "author").unwrap_or(tag.text.trim());
            let id = data_str(tag, "author_id").unwrap_or(tag.id.trim_start_matches("author:"));
            format!("Tagged author: {name}\n<AUTHOR_REFERENCE>{id}</AUTHOR_REFERENCE>")
        } else {
            let title = data_str(tag, "title").unwrap_or(&tag.text);
            let id = data_str(tag, "article_id").unwrap_or(tag.id.trim());
            format!("Tagged article: {title}\n<ARTICLE_REFERENCE>{id}</ARTICLE_REFERENCE>")
        };
        Ok(input_text(text))
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
    use chatkit::ThreadItem;

    #[tokio::test]
    async fn mentions_become_reference_markers() {
        let items: Vec<ThreadItem> = serde_json::from_value(serde_json::json!([
            {"type": "user_message", "id": "msg_1", "thread_id": "thr_1", "created_at": "2026-01-01T00:00:00Z",
             "content": [{"type": "input_text", "text": "latest from "},
                         {"type": "input_tag", "id": "author:elowen-wilder", "text": "Elowen Wilder",
                          "data": {"type": "author", "author": "Elowen Wilder", "author_id": "elowen-wilder"}},
                         {"type": "input_text", "text": " like "},
                         {"type": "input_tag", "id": "jazz-crosswalk", "text": "Jazz", "data": {"article_id": "jazz-crosswalk"}}],
             "attachments": [], "inference_options": {}}
        ]))
        .expect("valid items");
        let input = serde_json::to_string(&NewsConverter.convert(&items).await.expect("converts")).expect("json");
        assert!(input.contains("Tagged author: Elowen Wilder\\n<AUTHOR_REFERENCE>elowen-wilder</AUTHOR_REFERENCE>"), "{input}");
        assert!(input.contains("<ARTICLE_REFERENCE>jazz-crosswalk</ARTICLE_REFERENCE>"), "{input}");
        assert!(input.contains("latest from @Elowen Wilder like @Jazz"), "{input}");
    }
}
