//! The scripted responder: turns a few phrasings into tool calls, deterministically, so the
//! demo works offline. A language model takes its place by producing the same [`ToolCall`]s.

use chatkit::{UserContent, UserMessageItem};

use crate::board::{Board, person};
use crate::tools::ToolCall;

/// Composer tool: every message becomes a new task (an empty one opens the form).
pub const TOOL_NEW_TASK: &str = "new_task";
/// Composer tool: every message shows the board (filtered by an @-mentioned person).
pub const TOOL_BOARD: &str = "board";

/// What the scripted responder makes of a message.
///
/// ```
/// use task_board::{Board, Step, ToolCall, script_step};
/// let board = Board::sample();
/// let message: chatkit::UserMessageItem = serde_json::from_value(serde_json::json!({
///     "id": "msg_1", "thread_id": "thr_1", "created_at": "2026-01-01T00:00:00Z",
///     "content": [{"type": "input_text", "text": "add task Water the plants for Grace"}],
///     "attachments": [], "inference_options": {}
/// })).unwrap();
/// assert_eq!(
///     script_step(&message, &board),
///     Step::Tool(ToolCall::AddTask { title: "Water the plants".into(), assignee: Some("grace".into()) }),
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Call a tool; its result is the reply.
    Tool(ToolCall),
    /// Explain what the board understands.
    Help,
    /// Tell the user what they did, from the hidden context of the thread.
    Recap,
    /// Not understood.
    Unknown,
}

/// Reads a message: its text (without tags), its @-mentions and the composer tool.
pub fn script_step(message: &UserMessageItem, board: &Board) -> Step {
    let text: String = message
        .content
        .iter()
        .filter_map(|part| match part {
            UserContent::Text { text } => Some(text.as_str()),
            UserContent::Tag(_) => None,
        })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut mentioned_task = None;
    let mut mentioned_person = None;
    for part in &message.content {
        let UserContent::Tag(tag) = part else { continue };
        let kind = tag.data.get("type").and_then(|v| v.as_str());
        if kind != Some("person") && mentioned_task.is_none() && board.get(&tag.id).is_some() {
            mentioned_task = Some(tag.id.clone());
        } else if kind != Some("task") && mentioned_person.is_none() {
            mentioned_person = person(&tag.id).map(|p| p.id.to_owned());
        }
    }
    let tool = message.inference_options.tool_choice.as_ref().map(|t| t.id.as_str());
    match tool {
        Some(TOOL_NEW_TASK) => return new_task(&text, mentioned_person),
        Some(TOOL_BOARD) => return list(&text, mentioned_person),
        _ => {}
    }

    let lower = text.to_lowercase();
    let words = lower.trim_end_matches(['.', '!', '?']).trim();
    if matches!(words, "" | "help" | "what can you do" | "hi" | "hello") || lower == "?" {
        return Step::Help;
    }
    if ["recap", "what did i do", "what changed", "what happened"].iter().any(|p| words.starts_with(p)) {
        return Step::Recap;
    }
    if let Some(rest) = strip_any(&text, &["add task", "new task", "create task", "add"]) {
        return new_task(rest, mentioned_person);
    }
    if matches!(words, "form" | "task form") {
        return new_task("", mentioned_person);
    }
    if let Some(rest) = strip_any(&text, &["show tasks", "show the board", "show board", "list tasks", "tasks", "board", "list"]) {
        return list(rest, mentioned_person);
    }
    if let Some(rest) = strip_any(&text, &["complete", "finish", "done", "mark"]) {
        let rest = rest.trim().trim_end_matches(" as done").trim_end_matches(" done").trim();
        let task = mentioned_task.or_else(|| board.find(rest).map(|t| t.id.clone())).unwrap_or_else(|| rest.to_owned());
        return Step::Tool(ToolCall::CompleteTask { task });
    }
    if let Some(rest) = strip_any(&text, &["assign"]) {
        let (task_text, person_text) = rest.rsplit_once(" to").unwrap_or((rest, ""));
        let assignee = mentioned_person.or_else(|| person(person_text).map(|p| p.id.to_owned()));
        let task = mentioned_task.or_else(|| board.find(task_text).map(|t| t.id.clone()));
        if let (Some(task), Some(assignee)) = (task, assignee) {
            return Step::Tool(ToolCall::AssignTask { task, assignee });
        }
    }
    Step::Unknown
}

/// `text` without the first of `prefixes` it starts with (case-insensitive, whole words).
fn strip_any<'a>(text: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|prefix| {
        let head = text.get(..prefix.len())?;
        let rest = &text[prefix.len()..];
        (head.eq_ignore_ascii_case(prefix) && (rest.is_empty() || rest.starts_with([' ', ':'])))
            .then(|| rest.trim_start_matches([' ', ':']))
    })
}

/// Splits a trailing "for NAME" off `text` when NAME is on the team.
fn split_for(text: &str) -> (&str, Option<String>) {
    let text = text.trim();
    if let Some((head, name)) = text.rsplit_once(" for ").or_else(|| text.strip_prefix("for ").map(|n| ("", n))) {
        if let Some(p) = person(name) {
            return (head.trim(), Some(p.id.to_owned()));
        }
    }
    (text, None)
}

fn new_task(text: &str, mentioned: Option<String>) -> Step {
    let (title, named) = split_for(text.trim_end_matches(" for").trim());
    let assignee = mentioned.or(named);
    if title.is_empty() {
        Step::Tool(ToolCall::ShowTaskForm { title: None, assignee })
    } else {
        Step::Tool(ToolCall::AddTask { title: title.to_owned(), assignee })
    }
}

fn list(text: &str, mentioned: Option<String>) -> Step {
    let (_, named) = split_for(text);
    Step::Tool(ToolCall::ListTasks { assignee: mentioned.or(named) })
}

/// The help text.
pub(crate) const HELP: &str = "I keep your task board. Try:\n\
- **add task** Water the plants **for** Grace\n\
- **show tasks** (or **show tasks for** @Ada)\n\
- **complete** @task, **assign** @task **to** @person\n\
- **new task** to open a form, **recap** for what you changed\n\n\
Click a task to select it, **Done** to complete it, **Open** to see it beside the chat. \
Type @ to mention tasks and people.";

#[cfg(test)]
mod tests {
    use super::*;
    use chatkit::{InferenceOptions, ToolChoice};
    use serde_json::{Map, Value, json};

    fn message(content: Vec<UserContent>, tool: Option<&str>) -> UserMessageItem {
        UserMessageItem {
            id: "msg_1".into(),
            thread_id: "thr_1".into(),
            created_at: chatkit::Timestamp::now(),
            content,
            attachments: Vec::new(),
            quoted_text: None,
            inference_options: InferenceOptions {
                tool_choice: tool.map(|id| ToolChoice { id: id.into() }),
                model: None,
            },
        }
    }

    fn text(text: &str) -> Step {
        script_step(&message(vec![UserContent::text(text)], None), &Board::sample())
    }

    fn tag(id: &str, title: &str, kind: &str) -> UserContent {
        let mut data = Map::new();
        data.insert("type".into(), Value::from(kind));
        UserContent::tag(id, title, data)
    }

    #[test]
    fn phrasings() {
        assert_eq!(text("help"), Step::Help);
        assert_eq!(text(""), Step::Help);
        assert_eq!(text("What did I do?"), Step::Recap);
        assert_eq!(text("Add task: Buy milk"), Step::Tool(ToolCall::AddTask { title: "Buy milk".into(), assignee: None }));
        assert_eq!(text("add"), Step::Tool(ToolCall::ShowTaskForm { title: None, assignee: None }));
        assert_eq!(text("new task for alan"), Step::Tool(ToolCall::ShowTaskForm { title: None, assignee: Some("alan".into()) }));
        assert_eq!(text("show tasks"), Step::Tool(ToolCall::ListTasks { assignee: None }));
        assert_eq!(text("tasks for Ada"), Step::Tool(ToolCall::ListTasks { assignee: Some("ada".into()) }));
        assert_eq!(text("complete release notes"), Step::Tool(ToolCall::CompleteTask { task: "task-1".into() }));
        assert_eq!(text("mark plan the launch demo as done"), Step::Tool(ToolCall::CompleteTask { task: "task-3".into() }));
        assert_eq!(
            text("assign launch demo to grace"),
            Step::Tool(ToolCall::AssignTask { task: "task-3".into(), assignee: "grace".into() })
        );
        assert_eq!(text("addition is fun"), Step::Unknown);
        assert_eq!(text("sing a song"), Step::Unknown);
    }

    #[test]
    fn mentions() {
        let board = Board::sample();
        let assign = message(
            vec![
                UserContent::text("assign "),
                tag("task-2", "Review the widget designs", "task"),
                UserContent::text(" to "),
                tag("grace", "Grace", "person"),
            ],
            None,
        );
        assert_eq!(
            script_step(&assign, &board),
            Step::Tool(ToolCall::AssignTask { task: "task-2".into(), assignee: "grace".into() })
        );
        let list = message(vec![UserContent::text("show tasks for "), tag("ada", "Ada", "person")], None);
        assert_eq!(script_step(&list, &board), Step::Tool(ToolCall::ListTasks { assignee: Some("ada".into()) }));
        let complete = message(vec![UserContent::text("complete "), tag("task-1", "Write the release notes", "task")], None);
        assert_eq!(script_step(&complete, &board), Step::Tool(ToolCall::CompleteTask { task: "task-1".into() }));
    }

    #[test]
    fn composer_tools_route_every_message() {
        let board = Board::sample();
        let add = message(vec![UserContent::text("show tasks")], Some(TOOL_NEW_TASK));
        assert_eq!(script_step(&add, &board), Step::Tool(ToolCall::AddTask { title: "show tasks".into(), assignee: None }));
        let form = message(vec![tag("alan", "Alan", "person")], Some(TOOL_NEW_TASK));
        assert_eq!(script_step(&form, &board), Step::Tool(ToolCall::ShowTaskForm { title: None, assignee: Some("alan".into()) }));
        let board_tool = message(vec![UserContent::text("add task x")], Some(TOOL_BOARD));
        assert_eq!(script_step(&board_tool, &board), Step::Tool(ToolCall::ListTasks { assignee: None }));
        let unknown_tool = message(vec![UserContent::text("help")], Some("nope"));
        assert_eq!(script_step(&unknown_tool, &board), Step::Help);
        let _ = json!(null);
    }
}
