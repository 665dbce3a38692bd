//! The assistant's tools: what a model (or the scripted responder) can do on the board.
//!
//! Each tool changes the board, writes widgets, hidden context and client effects through the
//! [`Turn`], and returns its result as text for the model.

use chatkit::{HandlerError, HandlerResult, RequestContext, ThreadStreamEvent, Turn};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::board::{Person, person};
use crate::events::{BoardEvent, EventKind};
use crate::{TaskBoard, View};

/// A tool call, in the shape models send them: `{"name": …, "arguments": {…}}`.
///
/// ```
/// use task_board::ToolCall;
/// let call: ToolCall = serde_json::from_str(
///     r#"{"name":"add_task","arguments":{"title":"Ship it","assignee":"ada"}}"#,
/// ).unwrap();
/// assert_eq!(call, ToolCall::AddTask { title: "Ship it".into(), assignee: Some("ada".into()) });
/// assert_eq!(ToolCall::definitions().as_array().unwrap().len(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "name", content = "arguments", rename_all = "snake_case")]
pub enum ToolCall {
    /// Show the task list widget, optionally only one person's tasks.
    ListTasks {
        /// A person's id or name.
        #[serde(default)]
        assignee: Option<String>,
    },
    /// Add a task.
    AddTask {
        /// What needs doing.
        title: String,
        /// A person's id or name.
        #[serde(default)]
        assignee: Option<String>,
    },
    /// Mark a task done.
    CompleteTask {
        /// The task's id or part of its title.
        task: String,
    },
    /// Assign a task to someone.
    AssignTask {
        /// The task's id or part of its title.
        task: String,
        /// A person's id or name.
        assignee: String,
    },
    /// Show the new-task form, optionally prefilled.
    ShowTaskForm {
        /// A suggested title.
        #[serde(default)]
        title: Option<String>,
        /// A person's id or name.
        #[serde(default)]
        assignee: Option<String>,
    },
}

impl ToolCall {
    /// The tools as function definitions for a model (JSON schema parameters).
    pub fn definitions() -> Value {
        let string = json!({"type": "string"});
        let tool = |name: &str, description: &str, properties: Value, required: &[&str]| {
            json!({"type": "function", "name": name, "description": description,
                   "parameters": {"type": "object", "properties": properties, "required": required}})
        };
        json!([
            tool("list_tasks", "Show the task list to the user.", json!({"assignee": string}), &[]),
            tool("add_task", "Add a task to the board.", json!({"title": string, "assignee": string}), &["title"]),
            tool("complete_task", "Mark a task done.", json!({"task": string}), &["task"]),
            tool("assign_task", "Assign a task to a person.", json!({"task": string, "assignee": string}), &["task", "assignee"]),
            tool("show_task_form", "Show a form to create a task.", json!({"title": string, "assignee": string}), &[]),
        ])
    }
}

fn find_person(key: &str) -> Result<&'static Person, HandlerError> {
    person(key).ok_or_else(|| {
        let team: Vec<&str> = crate::board::PEOPLE.iter().map(|p| p.name).collect();
        HandlerError::custom(format!("I don't know “{key}”. The team is {}.", team.join(", ")))
    })
}

impl TaskBoard {
    /// Runs one tool call; returns its result for the model.
    ///
    /// `origin` names the request that made the call (the user message id), so a retried
    /// request does not add the same task twice.
    pub async fn run_tool(
        &self,
        turn: &mut Turn<RequestContext>,
        call: ToolCall,
        origin: Option<&str>,
    ) -> HandlerResult<String> {
        let owner = Self::owner(turn.context());
        match call {
            ToolCall::ListTasks { assignee } => {
                let assignee = assignee.as_deref().map(find_person).transpose()?;
                turn.emit(ThreadStreamEvent::progress("Loading the board…")).await?;
                let view = View { assignee: assignee.map(|p| p.id.to_owned()), selected: None };
                let (widget, open, total) = self.boards.read(&owner, |board| {
                    let tasks = board.assigned_to(assignee);
                    let open = tasks.iter().filter(|t| !t.done).count();
                    (self.task_list(board, &view), open, tasks.len())
                })?;
                turn.show_widget(widget, Some(format!("{open} open of {total} tasks"))).await?;
                let whose = assignee.map_or_else(|| "on the board".to_owned(), |p| format!("for {}", p.name));
                Ok(match total {
                    0 => format!("There are no tasks {whose} yet."),
                    _ => format!("{open} of {total} tasks {whose} are open."),
                })
            }
            ToolCall::AddTask { title, assignee } => {
                let title = title.trim();
                if title.is_empty() {
                    return Err(HandlerError::custom("A task needs a title."));
                }
                let assignee = assignee.as_deref().map(find_person).transpose()?;
                let task = self.boards.write(&owner, |b| b.add(title, assignee.map(|p| p.id), origin).clone())?;
                turn.add_hidden_context(BoardEvent::new(EventKind::Created, &task).to_string()).await?;
                self.board_updated(turn).await?;
                let to = task.assignee_name().map(|n| format!(" for {n}")).unwrap_or_default();
                Ok(format!("Added “{}”{to}.", task.title))
            }
            ToolCall::CompleteTask { task } => {
                let done = self.boards.write(&owner, |b| {
                    let id = b.find(&task).map(|t| t.id.clone())?;
                    b.complete(&id).cloned()
                })?;
                let Some(done) = done else { return Ok(format!("I couldn't find a task matching “{task}”.")) };
                turn.add_hidden_context(BoardEvent::new(EventKind::Completed, &done).to_string()).await?;
                self.board_updated(turn).await?;
                Ok(format!("Marked “{}” as done.", done.title))
            }
            ToolCall::AssignTask { task, assignee } => {
                let person = find_person(&assignee)?;
                let assigned = self.boards.write(&owner, |b| {
                    let id = b.find(&task).map(|t| t.id.clone())?;
                    b.assign(&id, person).cloned()
                })?;
                let Some(assigned) = assigned else {
                    return Ok(format!("I couldn't find a task matching “{task}”."));
                };
                let event = BoardEvent::new(EventKind::Assigned(person.id.to_owned()), &assigned);
                turn.add_hidden_context(event.to_string()).await?;
                self.board_updated(turn).await?;
                Ok(format!("Assigned “{}” to {}.", assigned.title, person.name))
            }
            ToolCall::ShowTaskForm { title, assignee } => {
                let assignee = assignee.as_deref().map(find_person).transpose()?;
                let form = self.templates.task_form(title.as_deref(), assignee);
                turn.show_widget(form, None).await?;
                Ok("Fill in the form to add a task.".to_owned())
            }
        }
    }

    /// Sends the `board.updated` client effect with the caller's tasks, for the page's side panel.
    pub(crate) async fn board_updated(&self, turn: &mut Turn<RequestContext>) -> HandlerResult {
        let owner = Self::owner(turn.context());
        let tasks = self.boards.read(&owner, |board| serde_json::to_value(board.tasks()))??;
        let mut data = serde_json::Map::new();
        data.insert("tasks".into(), tasks);
        turn.emit(ThreadStreamEvent::effect("board.updated", data)).await
    }
}
