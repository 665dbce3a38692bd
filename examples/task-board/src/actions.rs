//! Widget actions that reach the server.

use chatkit::{Action, HandlerError, HandlerResult, RequestContext, Turn, WidgetItem};
use serde::Deserialize;

use crate::events::{BoardEvent, EventKind};
use crate::tools::board_updated;
use crate::widgets::{has_form, task_created};
use crate::{Board, TaskBoard, View, person};

/// Payload of `task.toggle` and `task.select`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TaskRef {
    task_id: String,
    #[serde(default)]
    view: View,
}

/// Payload of `task.create`: the form's fields.
#[derive(Deserialize)]
struct NewTask {
    #[serde(default)]
    title: String,
    #[serde(default)]
    assignee: Option<String>,
}

/// The payload as `T`; a wrong shape is shown to the user, naming the field.
fn payload<T: serde::de::DeserializeOwned>(action: &Action) -> Result<T, HandlerError> {
    action.payload().map_err(|err| HandlerError::custom(err.to_string()))
}

fn sender_of(sender: Option<WidgetItem>, action: &str) -> Result<WidgetItem, HandlerError> {
    sender.ok_or_else(|| HandlerError::custom(format!("`{action}` must be sent by the widget that shows it")))
}

impl TaskBoard {
    pub(crate) async fn run_action(
        &self,
        turn: &mut Turn<RequestContext>,
        action: Action,
        sender: Option<WidgetItem>,
    ) -> HandlerResult {
        let mut board = Board::of_thread(turn.thread())?;
        match action.kind() {
            // Server action: complete (or reopen) the task, redraw the list in place, record
            // what the user did for the next turn, refresh the page's side panel.
            "task.toggle" => {
                let TaskRef { task_id, view } = payload(&action)?;
                let sender = sender_of(sender, "task.toggle")?;
                let task = board.toggle(&task_id).cloned().ok_or_else(|| HandlerError::custom("That task no longer exists."))?;
                board.save_to(turn.thread_mut());
                turn.replace_widget(&sender, self.task_list(&board, &view)?).await?;
                let kind = if task.done { EventKind::Completed } else { EventKind::Reopened };
                turn.add_hidden_context(BoardEvent::new(kind, &task).to_string()).await?;
                board_updated(turn).await
            }
            // A client action the page forwards with `sendCustomAction` after showing the task:
            // the server marks the selection in the list and remembers it.
            "task.select" => {
                let TaskRef { task_id, view } = payload(&action)?;
                let sender = sender_of(sender, "task.select")?;
                let view = View { selected: Some(task_id.clone()), ..view };
                let task = board.get(&task_id).cloned().ok_or_else(|| HandlerError::custom("That task no longer exists."))?;
                turn.replace_widget(&sender, self.task_list(&board, &view)?).await?;
                turn.add_hidden_context(BoardEvent::new(EventKind::Selected, &task).to_string()).await
            }
            // The form's submit: its fields arrive in the payload.
            "task.create" => {
                let NewTask { title, assignee } = payload(&action)?;
                let sender = sender_of(sender, "task.create")?;
                if !has_form(&sender.widget) {
                    return turn.say("This form was already submitted.").await;
                }
                let title = title.trim();
                if title.is_empty() {
                    return Err(HandlerError::custom("A task needs a title."));
                }
                let assignee = assignee.as_deref().filter(|a| !a.is_empty());
                let assignee = match assignee.map(|a| person(a).ok_or(a)).transpose() {
                    Ok(found) => found,
                    Err(unknown) => return Err(HandlerError::custom(format!("I don't know “{unknown}”."))),
                };
                // The form's item id is the origin: a second submit finds the same task.
                let origin = sender.id.as_str().to_owned();
                let task = board.add(title, assignee.map(|p| p.id), Some(&origin)).clone();
                board.save_to(turn.thread_mut());
                turn.replace_widget(&sender, task_created(&task)).await?;
                turn.add_hidden_context(BoardEvent::new(EventKind::Created, &task).to_string()).await?;
                board_updated(turn).await?;
                turn.say(format!("Added “{}”. Say “show tasks” to see the board.", task.title)).await
            }
            // Client-only actions never reach a correct client; say so instead of guessing.
            "task.open" => Err(HandlerError::custom("`task.open` is handled by the page, not the server.")),
            other => Err(HandlerError::custom(format!("Unknown action `{other}`."))),
        }
    }
}
