//! Model input for the board: @-mentions become markers the model can act on.

use async_trait::async_trait;
use chatkit::Tag;
use chatkit_agents::convert::{ConvertError, ItemConverter, input_text};
use serde_json::Value;

/// Converts thread items for a model, turning @-mentioned tasks and people into
/// `<TASK id="…">title</TASK>` and `<PERSON id="…">name</PERSON>` markers; every other item
/// converts as the reference does (hidden context included, so the model sees what the user
/// did through widgets).
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
        let marker = match tag.data.get("type").and_then(Value::as_str) {
            Some("person") => "PERSON",
            Some("task") => "TASK",
            _ if crate::person(&tag.id).is_some() => "PERSON",
            _ => "TASK",
        };
        Ok(input_text(format!("<{marker} id=\"{}\">{}</{marker}>", tag.id, tag.text)))
    }
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
        assert!(text.contains(r#"<TASK id=\"task-2\">Review</TASK>"#), "{text}");
        assert!(text.contains(r#"<PERSON id=\"grace\">Grace</PERSON>"#), "{text}");
        assert!(text.contains("TASK_EVENT kind"), "{text}");
    }
}
