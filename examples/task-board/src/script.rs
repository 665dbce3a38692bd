//! The offline responder's reading of a message: a few phrasings become tool calls,
//! deterministically. It reads what a model reads — the message text with @-mentions as
//! `<TASK id="…">`/`<PERSON id="…">` markers ([`TaskBoardConverter`](crate::TaskBoardConverter))
//! — and answers with the same function calls a model makes, so the offline model
//! ([`BoardModel`](crate::BoardModel)) and a real one run the very same tools.

use crate::board::person;
use crate::tools::ToolCall;

/// Composer tool: every message becomes a new task (an empty one opens the form).
pub const TOOL_NEW_TASK: &str = "new_task";
/// Composer tool: every message shows the board (filtered by an @-mentioned person).
pub const TOOL_BOARD: &str = "board";

/// A user message as the model input has it: text, and the ids of the tasks and people it
/// @-mentions.
///
/// ```
/// let said = task_board::Said::parse(r#"assign <TASK id="task-2">Review</TASK> to <PERSON id="grace">Grace</PERSON>"#);
/// assert_eq!(said.text, "assign to");
/// assert_eq!((said.tasks, said.people), (vec!["task-2".to_owned()], vec!["grace".to_owned()]));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Said {
    /// The text without the markers, whitespace collapsed.
    pub text: String,
    /// Mentioned task ids, in order.
    pub tasks: Vec<String>,
    /// Mentioned people's ids, in order.
    pub people: Vec<String>,
}

impl Said {
    /// Reads a message's text, taking out the `<TASK …>` and `<PERSON …>` markers.
    pub fn parse(text: &str) -> Self {
        let mut said = Said::default();
        let mut plain = String::new();
        let mut rest = text;
        while let Some(start) = rest.find('<') {
            plain.push_str(&rest[..start]);
            let tail = &rest[start..];
            match marker(tail) {
                Some((kind, id, len)) => {
                    if kind == "TASK" { said.tasks.push(id) } else { said.people.push(id) }
                    plain.push(' ');
                    rest = &tail[len..];
                }
                None => {
                    plain.push('<');
                    rest = &tail[1..];
                }
            }
        }
        plain.push_str(rest);
        said.text = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        said
    }
}

/// `<KIND id="ID">…</KIND>` at the start of `text`: kind, id and the marker's length.
fn marker(text: &str) -> Option<(&'static str, String, usize)> {
    let kind = ["TASK", "PERSON"].into_iter().find(|k| text[1..].starts_with(&format!("{k} id=\"")))?;
    let id_start = kind.len() + 6;
    let id_len = text[id_start..].find('"')?;
    let id = text[id_start..id_start + id_len].to_owned();
    let close = format!("</{kind}>");
    let end = text.find(&close)? + close.len();
    Some((kind, id, end))
}

/// What the offline responder makes of a message.
///
/// ```
/// use task_board::{Said, Step, ToolCall, script_step};
/// assert_eq!(
///     script_step(&Said::parse("add task Water the plants for Grace")),
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

/// Reads a message (no composer tool chosen).
pub fn script_step(said: &Said) -> Step {
    let text = said.text.as_str();
    let mentioned_task = said.tasks.first().cloned();
    let mentioned_person = said.people.first().cloned();
    let lower = text.to_lowercase();
    let words = lower.trim_end_matches(['.', '!', '?']).trim();
    if matches!(words, "" | "help" | "what can you do" | "hi" | "hello") || lower == "?" {
        return Step::Help;
    }
    if ["recap", "what did i do", "what did i change", "what changed", "what happened"].iter().any(|p| words.starts_with(p)) {
        return Step::Recap;
    }
    if let Some(rest) = strip_any(text, &["add task", "new task", "create task", "add"]) {
        return new_task(rest, mentioned_person);
    }
    if matches!(words, "form" | "task form") {
        return new_task("", mentioned_person);
    }
    if let Some(rest) = strip_any(text, &["show tasks", "show the board", "show board", "list tasks", "tasks", "board", "list"]) {
        return list(rest, mentioned_person);
    }
    if let Some(rest) = strip_any(text, &["complete", "finish", "done", "mark"]) {
        let rest = rest.trim().trim_end_matches(" as done").trim_end_matches(" done").trim();
        if let Some(task) = mentioned_task.clone().or_else(|| (!rest.is_empty()).then(|| rest.to_owned())) {
            return Step::Tool(ToolCall::CompleteTask { task });
        }
    }
    if let Some(rest) = strip_any(text, &["assign"]) {
        let (task_text, person_text) = rest.rsplit_once(" to").unwrap_or((rest, ""));
        let assignee = mentioned_person.or_else(|| person(person_text).map(|p| p.id.to_owned()));
        let task_text = task_text.trim();
        let task = mentioned_task.or_else(|| (!task_text.is_empty()).then(|| task_text.to_owned()));
        if let (Some(task), Some(assignee)) = (task, assignee) {
            return Step::Tool(ToolCall::AssignTask { task, assignee });
        }
    }
    Step::Unknown
}

/// With the `new_task` composer tool: the message is a task (an empty one opens the form).
pub(crate) fn as_new_task(said: &Said) -> Step {
    new_task(&said.text, said.people.first().cloned())
}

/// With the `board` composer tool: the message asks for the board.
pub(crate) fn as_list(said: &Said) -> Step {
    list(&said.text, said.people.first().cloned())
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
- **new task** to open a form, **recap** for what you changed\n\
- `/list_tasks {\"assignee\": \"ada\"}` calls any tool by name, with JSON arguments\n\n\
Click a task to select it, **Done** to complete it, **Open** to see it beside the chat. \
Type @ to mention tasks and people.";

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str) -> Step {
        script_step(&Said::parse(text))
    }

    #[test]
    fn phrasings() {
        assert_eq!(text("help"), Step::Help);
        assert_eq!(text(""), Step::Help);
        assert_eq!(text("What did I do?"), Step::Recap);
        assert_eq!(text("what did I change?"), Step::Recap);
        assert_eq!(text("Add task: Buy milk"), Step::Tool(ToolCall::AddTask { title: "Buy milk".into(), assignee: None }));
        assert_eq!(text("add"), Step::Tool(ToolCall::ShowTaskForm { title: None, assignee: None }));
        assert_eq!(text("new task for alan"), Step::Tool(ToolCall::ShowTaskForm { title: None, assignee: Some("alan".into()) }));
        assert_eq!(text("show tasks"), Step::Tool(ToolCall::ListTasks { assignee: None }));
        assert_eq!(text("tasks for Ada"), Step::Tool(ToolCall::ListTasks { assignee: Some("ada".into()) }));
        assert_eq!(text("complete release notes"), Step::Tool(ToolCall::CompleteTask { task: "release notes".into() }));
        assert_eq!(text("mark plan the launch demo as done"), Step::Tool(ToolCall::CompleteTask { task: "plan the launch demo".into() }));
        assert_eq!(
            text("assign launch demo to grace"),
            Step::Tool(ToolCall::AssignTask { task: "launch demo".into(), assignee: "grace".into() })
        );
        assert_eq!(text("assign launch demo to nobody"), Step::Unknown);
        assert_eq!(text("complete"), Step::Unknown);
        assert_eq!(text("addition is fun"), Step::Unknown);
        assert_eq!(text("sing a song"), Step::Unknown);
    }

    #[test]
    fn mentions() {
        let assign = Said::parse(r#"assign <TASK id="task-2">Review the widget designs</TASK> to <PERSON id="grace">Grace</PERSON>"#);
        assert_eq!(script_step(&assign), Step::Tool(ToolCall::AssignTask { task: "task-2".into(), assignee: "grace".into() }));
        let list = Said::parse(r#"show tasks for <PERSON id="ada">Ada</PERSON>"#);
        assert_eq!(script_step(&list), Step::Tool(ToolCall::ListTasks { assignee: Some("ada".into()) }));
        let complete = Said::parse(r#"complete <TASK id="task-1">Write the release notes</TASK>"#);
        assert_eq!(script_step(&complete), Step::Tool(ToolCall::CompleteTask { task: "task-1".into() }));
        // Text that only looks like a marker stays text.
        assert_eq!(Said::parse("a <b> <TASK id=\"x\">open").text, "a <b> <TASK id=\"x\">open");
    }

    #[test]
    fn composer_tools_route_every_message() {
        assert_eq!(as_new_task(&Said::parse("show tasks")), Step::Tool(ToolCall::AddTask { title: "show tasks".into(), assignee: None }));
        let form = Said::parse(r#"<PERSON id="alan">Alan</PERSON>"#);
        assert_eq!(as_new_task(&form), Step::Tool(ToolCall::ShowTaskForm { title: None, assignee: Some("alan".into()) }));
        assert_eq!(as_list(&Said::parse("add task x")), Step::Tool(ToolCall::ListTasks { assignee: None }));
    }
}
