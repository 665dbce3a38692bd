//! The app: state, dispatch and the hooks other than commands and actions.

use std::collections::HashMap;
use std::sync::Mutex;

use chatkit::{
    Action, AudioInput, ChatKitServer, FeedbackKind, HandlerError, HandlerResult, ItemId, Order, ThreadId, ThreadItem,
    ThreadMetadata, Turn, UserMessageItem, WidgetItem,
};

use crate::Caller;
use crate::widgets::NamesTemplate;

/// The scripted conformance app of APP.md.
///
/// ```
/// use chatkit::{ChatKit, MemoryStore};
/// use chatkit_conformance::{ConformanceApp, UploadUrls};
/// let chatkit = ChatKit::new(ConformanceApp::new(), MemoryStore::new()).attachment_store(UploadUrls);
/// # let _ = chatkit;
/// ```
pub struct ConformanceApp {
    pub(crate) names: NamesTemplate,
    /// Feedback received per thread, in order.
    pub(crate) feedback: Mutex<HashMap<ThreadId, Vec<(ItemId, FeedbackKind)>>>,
    /// How often `respond` ran per (thread, user message).
    pub(crate) attempts: Mutex<HashMap<(ThreadId, ItemId), u32>>,
}

impl Default for ConformanceApp {
    fn default() -> Self {
        Self::new()
    }
}

impl ConformanceApp {
    /// A fresh app.
    pub fn new() -> Self {
        Self { names: NamesTemplate::load(), feedback: Mutex::default(), attempts: Mutex::default() }
    }

    /// Answers without a user message (after a client tool output or structured input): looks
    /// at the newest visible item.
    async fn follow_up(&self, turn: &mut Turn<Caller>) -> HandlerResult {
        let mut after: Option<String> = None;
        let newest = loop {
            let page = turn.items(after.as_deref(), 20, Order::Desc).await?;
            if let Some(item) = page.data.iter().find(|i| !i.is_hidden()) {
                break Some(item.clone());
            }
            match page.after {
                Some(next) if page.has_more => after = Some(next),
                _ => break None,
            }
        };
        let text = match newest {
            Some(ThreadItem::ClientToolCall(call)) if call.status == chatkit::ToolCallStatus::Completed => {
                let output = call.output.unwrap_or(serde_json::Value::Null);
                format!("Tool {} returned {}", call.name, chatkit_agents::pyjson::canonical(&output))
            }
            Some(ThreadItem::StructuredInput(item)) if item.status != chatkit::StructuredStatus::Pending => {
                let parts: Vec<String> = item
                    .inputs
                    .iter()
                    .map(|q| match q.answer() {
                        Some(a) if !a.skipped => format!("{}={}", q.id(), a.values.join(",")),
                        _ => format!("{}=(skipped)", q.id()),
                    })
                    .collect();
                let status = if item.status == chatkit::StructuredStatus::Answered { "answered" } else { "skipped" };
                format!("Structured input {status}: {}", parts.join("; "))
            }
            _ => "Nothing to continue.".to_owned(),
        };
        turn.say(text).await
    }
}

impl ChatKitServer for ConformanceApp {
    type Context = Caller;

    async fn respond(&self, turn: &mut Turn<Caller>, input: Option<UserMessageItem>) -> HandlerResult {
        match input {
            Some(message) => self.command(turn, message).await,
            None => self.follow_up(turn).await,
        }
    }

    async fn action(&self, turn: &mut Turn<Caller>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        self.run_action(turn, action, sender).await
    }

    async fn sync_action(
        &self,
        _thread: &ThreadMetadata,
        action: Action,
        sender: Option<WidgetItem>,
        _context: &Caller,
    ) -> HandlerResult<Option<ThreadItem>> {
        // The engine saves the returned item in place.
        Ok(match (action.kind(), sender) {
            ("toggle.flip", Some(sender)) => crate::actions::flip(&sender).map(ThreadItem::Widget),
            _ => None,
        })
    }

    async fn add_feedback(
        &self,
        thread_id: &ThreadId,
        item_ids: &[ItemId],
        kind: FeedbackKind,
        _context: &Caller,
    ) -> HandlerResult {
        let mut feedback = self.feedback.lock().map_err(|_| HandlerError::stream(true))?;
        feedback.entry(thread_id.clone()).or_default().extend(item_ids.iter().map(|id| (id.clone(), kind)));
        Ok(())
    }

    async fn transcribe(&self, audio: AudioInput, _context: &Caller) -> HandlerResult<String> {
        Ok(format!("Transcribed {} bytes of {}", audio.data.len(), audio.media_type()))
    }
}
