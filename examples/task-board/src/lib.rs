//! # task-board
//!
//! The demo that `chatkit serve` runs: a task board kept by an assistant, using every ChatKit
//! pattern at once.
//!
//! * **Widget templates** — the task list, the new-task form and the entity previews are
//!   `.widget` files (`widgets/`), rendered with data.
//! * **Server actions** — `task.toggle` completes a task: the list is replaced in place, a
//!   hidden context item records what the user did, and the `board.updated` client effect
//!   refreshes the page's side panel. `task.create` (the form's submit) adds a task and
//!   replaces the form with a confirmation, so it cannot be submitted twice.
//! * **Client actions** — `task.open` is handled by the page only (it shows the task beside the
//!   chat); `task.select` is handled by the page and forwarded with `sendCustomAction`, and the
//!   server marks the selection in the list.
//! * **Entity tagging** — tasks and people are @-mentionable: [`router`] serves the search and
//!   preview endpoints the client's `entities` hooks call, and [`TaskBoardConverter`] turns
//!   tags into markers a model reads.
//! * **Composer tools** — `new_task` and `board` route every message of the turn to an agent
//!   with only those tools, made to call them.
//! * **Feedback and retry** — thumbs are recorded ([`TaskBoard::feedback`]); retrying a
//!   message does not add its task twice.
//! * **Thread titles** — the first message names the thread.
//! * **Widgets from tools** — the board's tools are `chatkit-agents` function tools that show
//!   widgets while they run, called by an [`Agent`]: the same tools whether the model is the
//!   offline [`BoardModel`] (deterministic, no network) or a real one.
//! * **Persistence** — each thread keeps its board in its metadata ([`Board::of_thread`]).
//! * **Its own page** — [`page`]: the chat with the board beside it, wired to every hook
//!   (`web/app.js`).
//!
//! ```
//! use chatkit::{ChatKit, MemoryStore};
//! let chatkit = ChatKit::new(task_board::TaskBoard::offline(), MemoryStore::new());
//! let app: axum::Router = task_board::router(chatkit);
//! # let _ = app;
//! ```

mod actions;
mod board;
mod convert;
mod events;
mod http;
mod model;
mod script;
mod tools;
mod widgets;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chatkit::{
    Action, ChatKitServer, FeedbackKind, HandlerError, HandlerResult, ItemId, RequestContext, ThreadId, Turn,
    UserMessageItem, WidgetItem, WidgetRoot,
};
use chatkit_agents::model::{Model, ToolChoice};
use chatkit_agents::tools::Tool;
use chatkit_agents::{Agent, Agents};
use serde::{Deserialize, Serialize};

pub use board::{Board, PEOPLE, Person, Task, person};
pub use convert::TaskBoardConverter;
pub use events::{BoardEvent, EventKind};
pub use http::{context_from_parts, page, router};
pub use model::BoardModel;
pub use script::{Said, Step, TOOL_BOARD, TOOL_NEW_TASK, script_step};
pub use tools::ToolCall;

/// What the assistant is told.
const INSTRUCTIONS: &str = "You keep the user's task board. The team is Ada (engineering), Grace (product) and \
Alan (design). Use the tools to list, add, complete and assign tasks, or to show the new-task form; the widgets \
they show are visible to the user, so do not repeat their content, answer in a sentence. @-mentions arrive as \
<TASK id=\"…\">title</TASK> and <PERSON id=\"…\">name</PERSON>: pass those ids to the tools. Hidden context \
items with <TASK_EVENT …> tell you what the user did through widgets (completed, reopened, selected, added, \
assigned); use them when asked what changed.";

/// The task board app.
///
/// An [`Agent`] with the board's tools answers every message, on the model it was given: the
/// offline [`BoardModel`] ([`TaskBoard::offline`]) or a real one ([`TaskBoard::new`]). Each
/// thread keeps its own board in its metadata (see [`Board::of_thread`]), so boards live in
/// whatever [`Store`](chatkit::Store) the engine was given and survive restarts. Feedback is
/// kept in memory ([`TaskBoard::feedback`]).
pub struct TaskBoard {
    agents: Agents<RequestContext>,
    model: Arc<dyn Model>,
    offline: bool,
    templates: Arc<widgets::Templates>,
    extra_tools: Vec<Arc<dyn Tool<RequestContext>>>,
    feedback: Mutex<Vec<Feedback>>,
}

/// A thumbs up or down the user gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Feedback {
    /// The thread.
    pub thread_id: ThreadId,
    /// The item rated.
    pub item_id: ItemId,
    /// Up or down.
    pub kind: FeedbackKind,
}

/// What a task list widget shows: whose tasks, and which one is selected. Carried in the
/// payload of the list's actions, so the server can redraw the same list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct View {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assignee: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selected: Option<String>,
}

/// A poisoned lock is reported as a retryable stream error.
fn poisoned<T>(_: PoisonError<T>) -> HandlerError {
    HandlerError::stream(true)
}

impl Default for TaskBoard {
    fn default() -> Self {
        Self::offline()
    }
}

impl TaskBoard {
    /// The board on a model (e.g. an `OpenAiModel`); thread titles are asked of the model.
    pub fn new(model: Arc<dyn Model>) -> Self {
        Self::build(model, false, Vec::new())
    }

    /// The board on its offline model ([`TaskBoard::scripted_model`]); titles are the first
    /// message's words.
    ///
    /// ```
    /// let app = task_board::TaskBoard::offline();
    /// # let _ = app;
    /// ```
    pub fn offline() -> Self {
        Self::build(Arc::new(Self::scripted_model()), true, Vec::new())
    }

    /// The offline model: deterministic answers that call the board's tools.
    pub fn scripted_model() -> BoardModel {
        BoardModel::new()
    }

    /// Gives the assistant more tools (e.g. those of MCP servers), next to the board's own.
    #[must_use]
    pub fn with_tools(mut self, tools: impl IntoIterator<Item = Arc<dyn Tool<RequestContext>>>) -> Self {
        self.extra_tools.extend(tools);
        Self::build(self.model, self.offline, self.extra_tools)
    }

    /// Sets the offline model's pace: a pause before each streamed word (no effect on a real
    /// model).
    #[must_use]
    pub fn word_delay(self, delay: Duration) -> Self {
        if !self.offline {
            return self;
        }
        Self::build(Arc::new(BoardModel::new().delay(delay)), true, self.extra_tools)
    }

    fn build(model: Arc<dyn Model>, offline: bool, extra_tools: Vec<Arc<dyn Tool<RequestContext>>>) -> Self {
        let templates = Arc::new(widgets::Templates::load().expect("the bundled .widget templates compile"));
        let tools = tools::BoardTools::new(templates.clone());
        let agent = |name: &str, instructions: String| {
            Agent::with_model(name, model.clone()).instructions(instructions).converter(TaskBoardConverter)
        };
        let default = agent("task-board", INSTRUCTIONS.to_owned()).tools(tools.all()).tools(extra_tools.clone());
        // Composer tools: `new_task` makes every message a task, `board` shows the board.
        let new_task = agent(
            TOOL_NEW_TASK,
            format!("{INSTRUCTIONS}\nThe user picked the New task tool: the message is a task to add (or, when it has \
                     no title, show the form)."),
        )
        .tools(tools.only(&[tools::ADD_TASK, tools::SHOW_TASK_FORM]))
        .tool_choice(ToolChoice::Required);
        let board = agent(TOOL_BOARD, format!("{INSTRUCTIONS}\nThe user picked the Board tool: show the task list."))
            .tools(tools.only(&[tools::LIST_TASKS]))
            .tool_choice(ToolChoice::Function(tools::LIST_TASKS.to_owned()));
        let agents = Agents::new(default).route(TOOL_NEW_TASK, new_task).route(TOOL_BOARD, board);
        Self { agents, model, offline, templates, extra_tools, feedback: Mutex::default() }
    }

    /// Feedback received so far, oldest first.
    pub fn feedback(&self) -> Vec<Feedback> {
        self.feedback.lock().map(|f| f.clone()).unwrap_or_default()
    }

    /// The task list widget for a view of the board.
    fn task_list(&self, board: &Board, view: &View) -> HandlerResult<WidgetRoot> {
        let assignee = view.assignee.as_deref().and_then(person);
        let tasks = board.assigned_to(assignee);
        self.templates.task_list(&tasks, view, &tools::heading(assignee))
    }
}

/// The thread title for a first message: its text, at most 40 characters.
fn title_for(message: &UserMessageItem) -> String {
    let text = message.text();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "Task board".to_owned();
    }
    let mut title: String = text.chars().take(40).collect();
    if title.len() < text.len() {
        title.push('…');
    }
    let mut chars = title.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or(title)
}

impl ChatKitServer for TaskBoard {
    type Context = RequestContext;

    async fn respond(&self, turn: &mut Turn<RequestContext>, input: Option<UserMessageItem>) -> HandlerResult {
        if let Some(message) = input.as_ref().filter(|_| turn.thread().title.is_none()) {
            let title = if self.offline {
                title_for(message)
            } else {
                chatkit_agents::generate_title(self.model.as_ref(), &message.text()).await
            };
            turn.thread_mut().title = Some(title);
        }
        self.agents.respond(turn).await.map(|_| ())
    }

    async fn action(&self, turn: &mut Turn<RequestContext>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        self.run_action(turn, action, sender).await
    }

    async fn add_feedback(
        &self,
        thread_id: &ThreadId,
        item_ids: &[ItemId],
        kind: FeedbackKind,
        _context: &RequestContext,
    ) -> HandlerResult {
        let mut feedback = self.feedback.lock().map_err(poisoned)?;
        feedback.extend(item_ids.iter().map(|id| Feedback { thread_id: thread_id.clone(), item_id: id.clone(), kind }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> UserMessageItem {
        serde_json::from_value(serde_json::json!({
            "id": "msg_1", "thread_id": "thr_1", "created_at": "2026-01-01T00:00:00Z",
            "content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}
        }))
        .expect("a valid user message")
    }

    #[test]
    fn titles() {
        assert_eq!(title_for(&message("add task   buy milk")), "Add task buy milk");
        assert_eq!(title_for(&message("   ")), "Task board");
        let long = title_for(&message(&"é".repeat(50)));
        assert_eq!(long.chars().count(), 41);
        assert!(long.ends_with('…'));
    }
}

/// The ChatKit patterns guide (`docs/patterns.md`), whose Rust code is tested here.
#[doc = include_str!("../../../docs/patterns.md")]
pub mod patterns {}
