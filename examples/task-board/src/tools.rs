//! The assistant's tools: `chatkit-agents` function tools that a model (the offline
//! [`BoardModel`](crate::BoardModel) or a real one) calls through an
//! [`Agent`](chatkit_agents::Agent).
//!
//! Each tool reads and changes the thread's board, writes widgets, hidden context and client
//! effects through its [`ToolContext`], and returns its result as text for the model.

use std::sync::Arc;

use chatkit::{HandlerError, RequestContext, ThreadItem, ThreadStreamEvent, Turn};
use chatkit_agents::tools::{Tool, Typed};
use chatkit_agents::{FunctionTool, ToolContext, ToolError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::View;
use crate::board::{Board, PEOPLE, Person, person};
use crate::events::{BoardEvent, EventKind};
use crate::widgets::Templates;

/// A call of one of the board's tools, in the shape models send them:
/// `{"name": …, "arguments": {…}}`. The offline model produces these.
///
/// ```
/// use task_board::ToolCall;
/// let call: ToolCall = serde_json::from_str(
///     r#"{"name":"add_task","arguments":{"title":"Ship it","assignee":"ada"}}"#,
/// ).unwrap();
/// assert_eq!(call, ToolCall::AddTask { title: "Ship it".into(), assignee: Some("ada".into()) });
/// assert_eq!(call.name(), "add_task");
/// assert_eq!(call.arguments(), r#"{"title":"Ship it","assignee":"ada"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "name", content = "arguments", rename_all = "snake_case")]
pub enum ToolCall {
    /// Show the task list widget, optionally only one person's tasks.
    ListTasks {
        /// A person's id or name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assignee: Option<String>,
    },
    /// Add a task.
    AddTask {
        /// What needs doing.
        title: String,
        /// A person's id or name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
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
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// A person's id or name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assignee: Option<String>,
    },
}

impl ToolCall {
    /// The tool's name.
    pub fn name(&self) -> &'static str {
        match self {
            ToolCall::ListTasks { .. } => LIST_TASKS,
            ToolCall::AddTask { .. } => ADD_TASK,
            ToolCall::CompleteTask { .. } => COMPLETE_TASK,
            ToolCall::AssignTask { .. } => ASSIGN_TASK,
            ToolCall::ShowTaskForm { .. } => SHOW_TASK_FORM,
        }
    }

    /// The arguments as JSON text.
    pub fn arguments(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or_default();
        value.get("arguments").map(ToString::to_string).unwrap_or_else(|| "{}".to_owned())
    }
}

pub(crate) const LIST_TASKS: &str = "list_tasks";
pub(crate) const ADD_TASK: &str = "add_task";
pub(crate) const COMPLETE_TASK: &str = "complete_task";
pub(crate) const ASSIGN_TASK: &str = "assign_task";
pub(crate) const SHOW_TASK_FORM: &str = "show_task_form";

/// The board's tools, sharing the compiled widget templates.
#[derive(Clone)]
pub(crate) struct BoardTools {
    templates: Arc<Templates>,
}

impl BoardTools {
    pub(crate) fn new(templates: Arc<Templates>) -> Self {
        Self { templates }
    }

    /// Every tool of the board.
    pub(crate) fn all(&self) -> Vec<Arc<dyn Tool<RequestContext>>> {
        self.only(&[LIST_TASKS, ADD_TASK, COMPLETE_TASK, ASSIGN_TASK, SHOW_TASK_FORM])
    }

    /// The tools with these names.
    pub(crate) fn only(&self, names: &[&str]) -> Vec<Arc<dyn Tool<RequestContext>>> {
        let t = || self.templates.clone();
        let mut tools: Vec<Arc<dyn Tool<RequestContext>>> = Vec::new();
        for name in names {
            let tool: Arc<dyn Tool<RequestContext>> = match *name {
                LIST_TASKS => typed(ListTasks(t())),
                ADD_TASK => typed(AddTask),
                COMPLETE_TASK => typed(CompleteTask),
                ASSIGN_TASK => typed(AssignTask),
                SHOW_TASK_FORM => typed(ShowTaskForm(t())),
                _ => continue,
            };
            tools.push(tool);
        }
        tools
    }
}

fn typed<T: FunctionTool<RequestContext> + 'static>(tool: T) -> Arc<dyn Tool<RequestContext>> {
    Arc::new(Typed(tool))
}

/// A tool's failure the model should hear about (an unknown person, an empty title).
fn told(message: impl Into<String>) -> ToolError {
    ToolError::failed(message)
}

fn find_person(key: &str) -> Result<&'static Person, ToolError> {
    person(key).ok_or_else(|| {
        let team: Vec<&str> = PEOPLE.iter().map(|p| p.name).collect();
        told(format!("I don't know “{key}”. The team is {}.", team.join(", ")))
    })
}

/// Runs `change` on the thread's board and saves it into the thread.
fn change_board<T>(turn: &mut Turn<RequestContext>, change: impl FnOnce(&mut Board) -> T) -> Result<T, HandlerError> {
    let mut board = Board::of_thread(turn.thread())?;
    let out = change(&mut board);
    board.save_to(turn.thread_mut());
    Ok(out)
}

/// Sends the `board.updated` client effect with the thread's tasks, for the page's side panel.
pub(crate) async fn board_updated(turn: &mut Turn<RequestContext>) -> Result<(), HandlerError> {
    let board = Board::of_thread(turn.thread())?;
    let mut data = serde_json::Map::new();
    data.insert("tasks".into(), serde_json::to_value(board.tasks()).unwrap_or_default());
    data.insert("thread_id".into(), serde_json::Value::from(turn.thread().id.to_string()));
    turn.emit(ThreadStreamEvent::effect("board.updated", data)).await
}

/// The id of the user message being answered: a retry of the same message finds the task
/// its first run added instead of adding another.
async fn origin(turn: &Turn<RequestContext>) -> Result<Option<String>, HandlerError> {
    let history = turn.history().await?;
    Ok(history.iter().rev().find_map(|item| match item {
        ThreadItem::UserMessage(message) => Some(message.id.to_string()),
        _ => None,
    }))
}

/// Arguments of `list_tasks`.
#[derive(Deserialize, JsonSchema)]
struct ListArgs {
    /// Only this person's tasks: their id or name (omit for every task).
    #[serde(default)]
    assignee: Option<String>,
}

/// Shows the task list widget.
struct ListTasks(Arc<Templates>);

impl FunctionTool<RequestContext> for ListTasks {
    type Args = ListArgs;

    fn name(&self) -> &str {
        LIST_TASKS
    }

    fn description(&self) -> &str {
        "Show the task list to the user (a widget with buttons to complete and open tasks), \
         optionally only one person's tasks."
    }

    async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, args: ListArgs) -> Result<String, ToolError> {
        let assignee = args.assignee.as_deref().filter(|a| !a.trim().is_empty()).map(find_person).transpose()?;
        ctx.emit(ThreadStreamEvent::progress("Loading the board…")).await?;
        let board = Board::of_thread(ctx.thread())?;
        let view = View { assignee: assignee.map(|p| p.id.to_owned()), selected: None };
        let tasks = board.assigned_to(assignee);
        let open = tasks.iter().filter(|t| !t.done).count();
        let total = tasks.len();
        let widget = self.0.task_list(&tasks, &view, &heading(assignee))?;
        ctx.show_widget(widget, Some(format!("{open} open of {total} tasks"))).await?;
        let whose = assignee.map_or_else(|| "on the board".to_owned(), |p| format!("for {}", p.name));
        Ok(match total {
            0 => format!("There are no tasks {whose} yet."),
            _ => format!("{open} of {total} tasks {whose} are open."),
        })
    }
}

/// The heading of a task list.
pub(crate) fn heading(assignee: Option<&Person>) -> String {
    assignee.map_or_else(|| "All tasks".to_owned(), |p| format!("{}'s tasks", p.name))
}

/// Arguments of `add_task`.
#[derive(Deserialize, JsonSchema)]
struct AddArgs {
    /// What needs doing.
    title: String,
    /// Who should do it: a person's id or name.
    #[serde(default)]
    assignee: Option<String>,
}

/// Adds a task.
struct AddTask;

impl FunctionTool<RequestContext> for AddTask {
    type Args = AddArgs;

    fn name(&self) -> &str {
        ADD_TASK
    }

    fn description(&self) -> &str {
        "Add a task to the board, optionally assigned to a person."
    }

    async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, args: AddArgs) -> Result<String, ToolError> {
        let title = args.title.trim();
        if title.is_empty() {
            return Err(told("A task needs a title."));
        }
        let assignee = args.assignee.as_deref().filter(|a| !a.trim().is_empty()).map(find_person).transpose()?;
        let origin = origin(ctx).await?;
        let task = change_board(ctx, |b| b.add(title, assignee.map(|p| p.id), origin.as_deref()).clone())?;
        ctx.add_hidden_context(BoardEvent::new(EventKind::Created, &task).to_string()).await?;
        board_updated(ctx).await?;
        let to = task.assignee_name().map(|n| format!(" for {n}")).unwrap_or_default();
        Ok(format!("Added “{}”{to}.", task.title))
    }
}

/// Arguments of `complete_task`.
#[derive(Deserialize, JsonSchema)]
struct CompleteArgs {
    /// The task's id (`task-N`) or part of its title.
    task: String,
}

/// Marks a task done.
struct CompleteTask;

impl FunctionTool<RequestContext> for CompleteTask {
    type Args = CompleteArgs;

    fn name(&self) -> &str {
        COMPLETE_TASK
    }

    fn description(&self) -> &str {
        "Mark a task done."
    }

    async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, args: CompleteArgs) -> Result<String, ToolError> {
        let done = change_board(ctx, |b| {
            let id = b.find(&args.task).map(|t| t.id.clone())?;
            b.complete(&id).cloned()
        })?;
        let Some(done) = done else { return Ok(format!("I couldn't find a task matching “{}”.", args.task)) };
        ctx.add_hidden_context(BoardEvent::new(EventKind::Completed, &done).to_string()).await?;
        board_updated(ctx).await?;
        Ok(format!("Marked “{}” as done.", done.title))
    }
}

/// Arguments of `assign_task`.
#[derive(Deserialize, JsonSchema)]
struct AssignArgs {
    /// The task's id (`task-N`) or part of its title.
    task: String,
    /// A person's id or name.
    assignee: String,
}

/// Assigns a task to someone.
struct AssignTask;

impl FunctionTool<RequestContext> for AssignTask {
    type Args = AssignArgs;

    fn name(&self) -> &str {
        ASSIGN_TASK
    }

    fn description(&self) -> &str {
        "Assign a task to a person."
    }

    async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, args: AssignArgs) -> Result<String, ToolError> {
        let person = find_person(&args.assignee)?;
        let assigned = change_board(ctx, |b| {
            let id = b.find(&args.task).map(|t| t.id.clone())?;
            b.assign(&id, person).cloned()
        })?;
        let Some(assigned) = assigned else {
            return Ok(format!("I couldn't find a task matching “{}”.", args.task));
        };
        let event = BoardEvent::new(EventKind::Assigned(person.id.to_owned()), &assigned);
        ctx.add_hidden_context(event.to_string()).await?;
        board_updated(ctx).await?;
        Ok(format!("Assigned “{}” to {}.", assigned.title, person.name))
    }
}

/// Arguments of `show_task_form`.
#[derive(Deserialize, JsonSchema)]
struct FormArgs {
    /// A suggested title.
    #[serde(default)]
    title: Option<String>,
    /// A suggested assignee: a person's id or name.
    #[serde(default)]
    assignee: Option<String>,
}

/// Shows the new-task form.
struct ShowTaskForm(Arc<Templates>);

impl FunctionTool<RequestContext> for ShowTaskForm {
    type Args = FormArgs;

    fn name(&self) -> &str {
        SHOW_TASK_FORM
    }

    fn description(&self) -> &str {
        "Show a form where the user types a new task's title and picks its assignee."
    }

    async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, args: FormArgs) -> Result<String, ToolError> {
        let assignee = args.assignee.as_deref().filter(|a| !a.trim().is_empty()).map(find_person).transpose()?;
        let title = args.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let form = self.0.task_form(title, assignee)?;
        ctx.show_widget(form, None).await?;
        Ok("Fill in the form to add a task.".to_owned())
    }
}
