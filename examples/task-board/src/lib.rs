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
//! * **Composer tools** — `new_task` and `board` route every message of the turn.
//! * **Feedback and retry** — thumbs are recorded ([`TaskBoard::feedback`]); retrying a
//!   message does not add its task twice.
//! * **Thread titles** — the first message names the thread.
//! * **Widgets from tools** — [`ToolCall`]s write widgets as they run; the offline scripted
//!   responder ([`script_step`]) and a model share them.
//!
//! ```
//! use chatkit::{ChatKit, MemoryStore};
//! let chatkit = ChatKit::new(task_board::TaskBoard::new(), MemoryStore::new());
//! let app: axum::Router = task_board::router(chatkit);
//! # let _ = app;
//! ```

mod actions;
mod board;
mod convert;
mod events;
mod http;
mod script;
mod tools;
mod widgets;

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chatkit::store::StoreContext;
use chatkit::{
    Action, ChatKitServer, FeedbackKind, HandlerError, HandlerResult, ItemId, RequestContext, ThreadId, ThreadItem,
    Turn, UserMessageItem, WidgetItem, WidgetRoot,
};
use serde::{Deserialize, Serialize};

pub use board::{Board, PEOPLE, Person, Task, person};
pub use convert::TaskBoardConverter;
pub use events::{BoardEvent, EventKind};
pub use http::{context_from_parts, router};
pub use script::{Step, TOOL_BOARD, TOOL_NEW_TASK, script_step};
pub use tools::ToolCall;

/// The task board app.
///
/// Boards are kept in memory per user (the store owner of the request context); threads live
/// in whatever [`Store`](chatkit::Store) the engine was given.
pub struct TaskBoard {
    boards: Boards,
    templates: widgets::Templates,
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

/// Every user's board.
#[derive(Default)]
struct Boards(Mutex<HashMap<String, Board>>);

/// A poisoned lock is reported as a retryable stream error.
fn poisoned<T>(_: PoisonError<T>) -> HandlerError {
    HandlerError::stream(true)
}

impl Boards {
    fn read<T>(&self, owner: &str, f: impl FnOnce(&Board) -> T) -> HandlerResult<T> {
        let mut boards = self.0.lock().map_err(poisoned)?;
        Ok(f(boards.entry(owner.to_owned()).or_insert_with(Board::sample)))
    }

    fn write<T>(&self, owner: &str, f: impl FnOnce(&mut Board) -> T) -> HandlerResult<T> {
        let mut boards = self.0.lock().map_err(poisoned)?;
        Ok(f(boards.entry(owner.to_owned()).or_insert_with(Board::sample)))
    }
}

impl Default for TaskBoard {
    fn default() -> Self {
        Self::new()
    }
}

impl TaskBoard {
    /// A fresh app; every user starts with [`Board::sample`].
    pub fn new() -> Self {
        Self { boards: Boards::default(), templates: widgets::Templates::load(), feedback: Mutex::default() }
    }

    /// A copy of this user's board.
    ///
    /// ```
    /// let app = task_board::TaskBoard::new();
    /// assert_eq!(app.board("alice").tasks().len(), 3);
    /// ```
    pub fn board(&self, owner: &str) -> Board {
        self.boards.read(owner, Board::clone).unwrap_or_default()
    }

    /// Feedback received so far, oldest first.
    pub fn feedback(&self) -> Vec<Feedback> {
        self.feedback.lock().map(|f| f.clone()).unwrap_or_default()
    }

    fn owner(context: &RequestContext) -> String {
        context.owner().into_owned()
    }

    /// The task list widget for a view of the board.
    fn task_list(&self, board: &Board, view: &View) -> WidgetRoot {
        let assignee = view.assignee.as_deref().and_then(person);
        let heading = assignee.map_or_else(|| "All tasks".to_owned(), |p| format!("{}'s tasks", p.name));
        let tasks = board.assigned_to(assignee);
        self.templates.task_list(&tasks, view, &heading)
    }

    /// The reply to a user message, from the scripted responder.
    async fn scripted(&self, turn: &mut Turn<RequestContext>, message: UserMessageItem) -> HandlerResult {
        let owner = Self::owner(turn.context());
        let step = self.boards.read(&owner, |board| script_step(&message, board))?;
        let reply = match step {
            Step::Tool(call) => self.run_tool(turn, call, Some(message.id.as_str())).await?,
            Step::Help => script::HELP.to_owned(),
            Step::Recap => self.recap(turn).await?,
            Step::Unknown => {
                "I didn't catch that. Try “add task …”, “show tasks”, or “help”.".to_owned()
            }
        };
        // Streamed word by word, as a model would.
        let words: Vec<String> = reply.split_inclusive(' ').map(str::to_owned).collect();
        turn.stream_text(futures_util::stream::iter(words)).await
    }

    /// What the user did on the board in this thread, read back from hidden context.
    async fn recap(&self, turn: &Turn<RequestContext>) -> HandlerResult<String> {
        let events: Vec<BoardEvent> = turn
            .history()
            .await?
            .iter()
            .filter_map(|item| match item {
                ThreadItem::HiddenContext(hidden) => hidden.content.as_str().and_then(BoardEvent::parse),
                _ => None,
            })
            .collect();
        if events.is_empty() {
            return Ok("You haven't changed anything on the board in this chat yet.".to_owned());
        }
        let lines: Vec<String> = events.iter().map(|e| format!("- You {}", e.describe())).collect();
        Ok(format!("Here is what you did in this chat:\n{}", lines.join("\n")))
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
        let Some(message) = input else {
            return turn.say("Ready when you are.").await;
        };
        if turn.thread().title.is_none() {
            turn.thread_mut().title = Some(title_for(&message));
        }
        self.scripted(turn, message).await
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
