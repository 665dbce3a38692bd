//! Model input for the board: @-mentions become markers the model can act on.

use async_trait::async_trait;
use chatkit::{Attachment, Tag, UserContent, UserMessageItem};
use chatkit_agents::convert::{ConvertError, InputItem, ItemConverter, input_text, user_text};
use serde_json::Value;

/// Converts thread items for a model, turning @-mentioned tasks and people into
/// `<TASK id="…">title</TASK>` and `<PERSON id="…">name</PERSON>` markers where the user put
/// them in the message; every other item converts as the reference does (hidden context
/// included, so the model sees what the user did through widgets).
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use chatkit_agents::ItemConverter;
/// let tag: chatkit::Tag = serde_json::from_value(serde_json::json!(
///     {"id": "task-1", "text": "Ship it", "data": {"type": "task"}}
/// )).unwrap();
/// let part = task_board::TaskBoardConverter.tag(&tag).await.unwrap();
/// assert_eq!(part["text"], r#"<TASK id="task-1">Ship it</TASK>"#);
/// # });
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct TaskBoardConverter;

#[async_trait]
impl ItemConverter for TaskBoardConverter {
    async fn tag(&self, tag: &Tag) -> Result<Value, ConvertError> {
        Ok(input_text(marker(tag)))
    }

    /// The board cannot read files; the model is told one was attached.
    async fn attachment(&self, attachment: &Attachment) -> Result<Value, ConvertError> {
        Ok(input_text(format!("(The user attached “{}”, which the task board cannot read.)", attachment.base().name)))
    }

    /// The message's text with each @-mention replaced by its marker, in place.
    async fn user_message(&self, item: &UserMessageItem, is_last: bool) -> Result<Vec<InputItem>, ConvertError> {
        let mut text = String::new();
        for part in &item.content {
            match part {
                UserContent::Text { text: typed } => text.push_str(typed),
                UserContent::Tag(tag) => text.push_str(&marker(tag)),
            }
        }
        let mut content = vec![input_text(text)];
        for attachment in &item.attachments {
            content.push(self.attachment(attachment).await?);
        }
        let mut out = vec![chatkit_agents::convert::user_message(content)];
        if let Some(quoted) = item.quoted_text.as_deref().filter(|q| !q.is_empty() && is_last) {
            out.push(user_text(format!("The user is referring to this in particular: \n{quoted}")));
        }
        Ok(out)
    }
}

/// `<TASK id="…">title</TASK>` or `<PERSON id="…">name</PERSON>` (quotes and angle brackets
/// in the tag's text are dropped so that a title cannot end the marker early).
fn marker(tag: &Tag) -> String {
    let kind = match tag.data.get("type").and_then(Value::as_str) {
        Some("person") => "PERSON",
        Some("task") => "TASK",
        _ if crate::person(&tag.id).is_some() => "PERSON",
        _ => "TASK",
    };
    let clean = |s: &str| s.chars().filter(|c| !matches!(c, '<' | '>' | '"')).collect::<String>();
    format!("<{kind} id=\"{}\">{}</{kind}>", clean(&tag.id), clean(&tag.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatkit::ThreadItem;

    #[tokio::test]
    async fn a_message_with_mentions_and_hidden_context() {
        let items: Vec<ThreadItem> = serde_json::from_value(serde_json::json!([
            {"type": "user_message", "id": "msg_1", "thread_id": "thr_1", "created_at": "2026-01-01T00:00:00Z",
             "content": [{"type": "input_text", "text": "assign "},
                         {"type": "input_tag", "id": "task-2", "text": "Review", "data": {"type": "task"}},
                         {"type": "input_text", "text": " to "},
                         {"type": "input_tag", "id": "grace", "text": "Grace", "data": {}}],
             "attachments": [], "inference_options": {}},
            {"type": "hidden_context_item", "id": "msg_2", "thread_id": "thr_1", "created_at": "2026-01-01T00:00:01Z",
             "content": "<TASK_EVENT kind=\"completed\" id=\"task-1\">Docs</TASK_EVENT>"}
        ]))
        .expect("valid items");
        let input = TaskBoardConverter.convert(&items).await.expect("converts");
        let text = serde_json::to_string(&input).expect("json");
        assert!(text.contains(r#"assign <TASK id=\"task-2\">Review</TASK> to <PERSON id=\"grace\">Grace</PERSON>"#), "{text}");
        assert!(text.contains(r#"<PERSON id=\"grace\">Grace</PERSON>"#), "{text}");
        assert!(text.contains("TASK_EVENT kind"), "{text}");
    }
}
