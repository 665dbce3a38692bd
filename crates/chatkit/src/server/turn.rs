//! One streamed response: where handlers write events.

use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use indexmap::IndexMap;
use serde_json::Value;

use super::pipe::PipeWriter;
use super::{HandlerError, HandlerResult};
use crate::store::Store;
use crate::widgets::diff_widget;
use crate::{
    AssistantMessageItem, HiddenContextItem, IdKind, InferenceOptions, ItemId, Order, OutputText, Page,
    SdkHiddenContextItem, ThreadItem, ThreadItemUpdate, ThreadMetadata, ThreadStreamEvent, Timestamp, UserContent,
    UserMessageItem, WidgetItem, WidgetRoot, sse,
};

/// The note stored when the user stops a response, so the model does not resume it.
pub(crate) const CANCELLED_NOTE: &str = "The user cancelled the stream. Stop responding to the prior request.";

/// A response being streamed: the thread, the request context, and the way out for events.
///
/// Every event goes through [`Turn::emit`], which persists before it sends:
/// `thread.item.done` adds the item to the store, `thread.item.replaced` saves it,
/// `thread.item.removed` deletes it. Hidden context items are stored but never sent. When the
/// handler changed the thread (title, status, metadata) the thread is saved and
/// `thread.updated` follows the event.
///
/// ```
/// use chatkit::{HandlerResult, RequestContext, Turn};
///
/// async fn greet(turn: &mut Turn<RequestContext>) -> HandlerResult {
///     turn.thread_mut().title = Some("Greetings".into()); // sent as thread.updated
///     turn.add_hidden_context("greeted the user").await?;  // stored, not shown
///     turn.say("Hello!").await
/// }
/// ```
pub struct Turn<C> {
    thread: ThreadMetadata,
    saved: ThreadMetadata,
    context: C,
    store: Arc<dyn Store<C>>,
    out: PipeWriter,
    pending: IndexMap<ItemId, ThreadItem>,
}

impl<C: Send + Sync + 'static> Turn<C> {
    pub(crate) fn new(thread: ThreadMetadata, context: C, store: Arc<dyn Store<C>>, out: PipeWriter) -> Self {
        Self { saved: thread.clone(), thread, context, store, out, pending: IndexMap::new() }
    }

    /// The thread being answered.
    pub fn thread(&self) -> &ThreadMetadata {
        &self.thread
    }

    /// The thread, to change its title, status or metadata; the change is saved and sent as
    /// `thread.updated` after the next event (or when the handler returns).
    pub fn thread_mut(&mut self) -> &mut ThreadMetadata {
        &mut self.thread
    }

    /// The request context, exactly as the app extracted it.
    pub fn context(&self) -> &C {
        &self.context
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store<C>> {
        &self.store
    }

    /// Items started with `thread.item.added` and not finished yet.
    pub fn pending_items(&self) -> impl Iterator<Item = &ThreadItem> {
        self.pending.values()
    }

    /// Whether the client is gone.
    pub fn is_cancelled(&self) -> bool {
        self.out.is_closed()
    }

    /// A fresh item id of this kind, from the store's generator.
    pub fn new_id(&self, kind: IdKind) -> ItemId {
        self.store.generate_item_id(kind, &self.thread, &self.context)
    }

    /// A user message for this thread with every required field filled: a new `msg_` id, the
    /// thread id, the current time and empty inference options. Use it for messages the app
    /// writes on the user's behalf (e.g. after a widget action).
    ///
    /// ```
    /// # async fn demo(turn: &mut chatkit::Turn<chatkit::RequestContext>) -> chatkit::HandlerResult {
    /// let message = turn.user_message("Add a task called Review");
    /// assert_eq!(message.thread_id, turn.thread().id);
    /// assert_eq!(message.text(), "Add a task called Review");
    /// # Ok(()) }
    /// ```
    pub fn user_message(&self, text: impl Into<String>) -> UserMessageItem {
        self.user_message_with(vec![UserContent::text(text)], InferenceOptions::default())
    }

    /// A user message with explicit content (text and entity tags) and composer options.
    pub fn user_message_with(&self, content: Vec<UserContent>, inference_options: InferenceOptions) -> UserMessageItem {
        UserMessageItem {
            id: self.new_id(IdKind::Message),
            thread_id: self.thread.id.clone(),
            created_at: Timestamp::now(),
            content,
            attachments: Vec::new(),
            quoted_text: None,
            inference_options,
        }
    }

    /// An assistant message for this thread (new id, now), not yet sent.
    pub fn assistant_message(&self, text: impl Into<String>) -> AssistantMessageItem {
        AssistantMessageItem::new(self.new_id(IdKind::Message), self.thread.id.clone(), vec![OutputText::new(text)])
    }

    /// A widget item for this thread (new id, now), not yet sent.
    pub fn widget_item(&self, widget: impl Into<WidgetRoot>) -> WidgetItem {
        WidgetItem {
            id: self.new_id(IdKind::Message),
            thread_id: self.thread.id.clone(),
            created_at: Timestamp::now(),
            widget: widget.into(),
            copy_text: None,
        }
    }

    /// Sends one event, persisting first what it implies (see [`Turn`]).
    ///
    /// Fails with [`HandlerError::Cancelled`] once the client is gone, so `?` stops the handler.
    pub async fn emit(&mut self, event: impl Into<ThreadStreamEvent>) -> HandlerResult {
        let event = event.into();
        let hidden = match &event {
            ThreadStreamEvent::ItemAdded { item } => {
                self.pending.insert(item.id().clone(), item.clone());
                item.is_hidden()
            }
            ThreadStreamEvent::ItemDone { item } => {
                self.store.add_thread_item(&self.thread.id, item, &self.context).await?;
                self.pending.shift_remove(item.id());
                item.is_hidden()
            }
            ThreadStreamEvent::ItemReplaced { item } => {
                self.store.save_item(&self.thread.id, item, &self.context).await?;
                self.pending.shift_remove(item.id());
                item.is_hidden()
            }
            ThreadStreamEvent::ItemRemoved { item_id } => {
                self.store.delete_thread_item(&self.thread.id, item_id, &self.context).await?;
                self.pending.shift_remove(item_id);
                false
            }
            ThreadStreamEvent::ItemUpdated { item_id, update } => {
                if let Some(item) = self.pending.get_mut(item_id) {
                    apply_update(item, update);
                }
                false
            }
            _ => false,
        };
        if !hidden {
            self.send(&event).await?;
        }
        self.sync_thread().await
    }

    /// A handle that tells when the client is gone.
    pub(crate) fn out_handle(&self) -> PipeWriter {
        self.out.clone()
    }

    /// Sends an event without persisting anything.
    pub(crate) async fn send(&self, event: &ThreadStreamEvent) -> HandlerResult {
        self.out.send_with(|buf| sse::encode_into(event, buf)).await.map_err(|_| HandlerError::Cancelled)
    }

    /// Saves the thread and sends `thread.updated` if the handler changed it.
    pub(crate) async fn sync_thread(&mut self) -> HandlerResult {
        if self.thread == self.saved {
            return Ok(());
        }
        self.store.save_thread(&self.thread, &self.context).await?;
        self.saved = self.thread.clone();
        let thread = self.thread.to_response(Page::default());
        self.send(&ThreadStreamEvent::ThreadUpdated { thread }).await
    }

    /// Sends a finished assistant message with this text.
    pub async fn say(&mut self, text: impl Into<String>) -> HandlerResult {
        let message = self.assistant_message(text);
        self.emit(ThreadStreamEvent::done(message)).await
    }

    /// Stores context for the model that the user never sees (a hidden context item).
    pub async fn add_hidden_context(&mut self, content: impl Into<Value>) -> HandlerResult {
        let item = HiddenContextItem {
            id: self.new_id(IdKind::Message),
            thread_id: self.thread.id.clone(),
            created_at: Timestamp::now(),
            content: content.into(),
        };
        self.emit(ThreadStreamEvent::done(item)).await
    }

    /// Starts an assistant message streamed piece by piece.
    ///
    /// ```
    /// # async fn demo(turn: &mut chatkit::Turn<chatkit::RequestContext>) -> chatkit::HandlerResult {
    /// let mut message = turn.start_message().await?;
    /// for word in ["Hello, ", "world"] {
    ///     message.push(turn, word).await?;
    /// }
    /// message.finish(turn).await
    /// # }
    /// ```
    pub async fn start_message(&mut self) -> HandlerResult<StreamingMessage> {
        let id = self.new_id(IdKind::Message);
        self.start_message_with_id(id).await
    }

    /// [`start_message`](Self::start_message) with a given item id, e.g. the id a model API
    /// gave the message (as the reference reuses Responses API message ids). The id must be
    /// new in the thread.
    pub async fn start_message_with_id(&mut self, id: ItemId) -> HandlerResult<StreamingMessage> {
        let item = AssistantMessageItem::new(id, self.thread.id.clone(), Vec::new());
        let message = StreamingMessage { item: item.clone(), text: String::new() };
        self.emit(ThreadStreamEvent::added(item)).await?;
        self.emit(ThreadStreamEvent::updated(
            message.item.id.clone(),
            ThreadItemUpdate::ContentPartAdded { content_index: 0, content: OutputText::new("") },
        ))
        .await?;
        Ok(message)
    }

    /// Streams a whole assistant message from chunks of text.
    pub async fn stream_text<S: Stream<Item = String> + Send>(&mut self, chunks: S) -> HandlerResult {
        let mut message = self.start_message().await?;
        let mut chunks = std::pin::pin!(chunks);
        while let Some(chunk) = chunks.next().await {
            message.push(self, chunk).await?;
        }
        message.finish(self).await
    }

    /// Shows a widget: one `thread.item.done` with a new widget item.
    pub async fn show_widget(&mut self, widget: impl Into<WidgetRoot>, copy_text: Option<String>) -> HandlerResult {
        let mut item = self.widget_item(widget);
        item.copy_text = copy_text;
        self.emit(ThreadStreamEvent::done(item)).await
    }

    /// Streams a widget through its successive states: `thread.item.added` with the first,
    /// the updates between each state and the next (text deltas, or a root replacement), and
    /// `thread.item.done` with the last.
    ///
    /// ```
    /// # async fn demo(turn: &mut chatkit::Turn<chatkit::RequestContext>) -> chatkit::HandlerResult {
    /// use chatkit::WidgetRoot;
    /// let state = |text: &str, streaming: bool| WidgetRoot::from_value(serde_json::json!({
    ///     "type": "Card", "children": [{"type": "Text", "id": "t", "value": text, "streaming": streaming}]
    /// })).unwrap();
    /// let states = vec![state("", true), state("Hel", true), state("Hello", false)];
    /// turn.stream_widget(futures_util::stream::iter(states), None).await
    /// # }
    /// ```
    pub async fn stream_widget<S: Stream<Item = WidgetRoot> + Send>(
        &mut self,
        states: S,
        copy_text: Option<String>,
    ) -> HandlerResult {
        let mut states = std::pin::pin!(states);
        let Some(first) = states.next().await else { return Ok(()) };
        let mut item = self.widget_item(first);
        item.copy_text = copy_text;
        self.emit(ThreadStreamEvent::added(item.clone())).await?;
        while let Some(next) = states.next().await {
            let updates = diff_widget(&item.widget, &next).map_err(|e| HandlerError::Other(Box::new(e)))?;
            for update in updates {
                self.emit(ThreadStreamEvent::updated(item.id.clone(), update)).await?;
            }
            item.widget = next;
        }
        self.emit(ThreadStreamEvent::done(item)).await
    }

    /// Replaces a widget item in place with a new widget (`thread.item.replaced`).
    pub async fn replace_widget(&mut self, sender: &WidgetItem, widget: impl Into<WidgetRoot>) -> HandlerResult {
        let mut item = sender.clone();
        item.widget = widget.into();
        self.emit(ThreadStreamEvent::replaced(item)).await
    }

    /// A page of this thread's items (hidden ones included).
    pub async fn items(&self, after: Option<&str>, limit: usize, order: Order) -> HandlerResult<Page<ThreadItem>> {
        Ok(self.store.load_thread_items(&self.thread.id, after, limit, order, &self.context).await?)
    }

    /// Every item of the thread, oldest first (hidden ones included).
    pub async fn history(&self) -> HandlerResult<Vec<ThreadItem>> {
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self.items(after.as_deref(), 100, Order::Asc).await?;
            all.extend(page.data);
            match page.after {
                Some(next) if page.has_more => after = Some(next),
                _ => return Ok(all),
            }
        }
    }

    /// The default cancellation handling: keeps started assistant messages that have
    /// non-blank text (with everything streamed so far), drops other unfinished items, and
    /// stores the note "The user cancelled the stream. Stop responding to the prior request." as
    /// SDK hidden context.
    pub async fn persist_cancelled(&mut self) -> HandlerResult {
        let pending: Vec<ThreadItem> = self.pending.drain(..).map(|(_, item)| item).collect();
        for item in pending {
            if let ThreadItem::AssistantMessage(message) = &item {
                if message.content.iter().any(|part| !part.text.trim().is_empty()) {
                    self.store.add_thread_item(&self.thread.id, &item, &self.context).await?;
                }
            }
        }
        let note = SdkHiddenContextItem {
            id: self.new_id(IdKind::SdkHiddenContext),
            thread_id: self.thread.id.clone(),
            created_at: Timestamp::now(),
            content: CANCELLED_NOTE.to_owned(),
        };
        self.store.add_thread_item(&self.thread.id, &note.into(), &self.context).await?;
        Ok(())
    }
}

/// An assistant message being streamed; see [`Turn::start_message`].
#[derive(Debug)]
pub struct StreamingMessage {
    item: AssistantMessageItem,
    text: String,
}

impl StreamingMessage {
    /// The item id.
    pub fn id(&self) -> &ItemId {
        &self.item.id
    }

    /// The text streamed so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Appends text (`content_part.text_delta`).
    pub async fn push<C: Send + Sync + 'static>(&mut self, turn: &mut Turn<C>, delta: impl Into<String>) -> HandlerResult {
        let delta = delta.into();
        self.text.push_str(&delta);
        turn.emit(ThreadStreamEvent::updated(self.item.id.clone(), ThreadItemUpdate::TextDelta { content_index: 0, delta }))
            .await
    }

    /// Finishes the message: `content_part.done` and `thread.item.done` with the full text.
    pub async fn finish<C: Send + Sync + 'static>(self, turn: &mut Turn<C>) -> HandlerResult {
        self.finish_with(turn, Vec::new()).await
    }

    /// Finishes the message with annotations on its text.
    pub async fn finish_with<C: Send + Sync + 'static>(
        mut self,
        turn: &mut Turn<C>,
        annotations: Vec<crate::Annotation>,
    ) -> HandlerResult {
        let mut part = OutputText::new(std::mem::take(&mut self.text));
        part.annotations = annotations;
        turn.emit(ThreadStreamEvent::updated(
            self.item.id.clone(),
            ThreadItemUpdate::ContentPartDone { content_index: 0, content: part.clone() },
        ))
        .await?;
        self.item.content = vec![part];
        turn.emit(ThreadStreamEvent::done(self.item)).await
    }
}

/// Applies an update to an unfinished item, so a cancelled stream keeps what was sent.
fn apply_update(item: &mut ThreadItem, update: &ThreadItemUpdate) {
    match (item, update) {
        (ThreadItem::AssistantMessage(message), update) => {
            let index = match update {
                ThreadItemUpdate::ContentPartAdded { content_index, .. }
                | ThreadItemUpdate::TextDelta { content_index, .. }
                | ThreadItemUpdate::AnnotationAdded { content_index, .. }
                | ThreadItemUpdate::ContentPartDone { content_index, .. } => *content_index,
                _ => return,
            };
            if message.content.len() <= index {
                message.content.resize_with(index + 1, OutputText::default);
            }
            let part = &mut message.content[index];
            match update {
                ThreadItemUpdate::ContentPartAdded { content, .. } | ThreadItemUpdate::ContentPartDone { content, .. } => {
                    *part = content.clone();
                }
                ThreadItemUpdate::TextDelta { delta, .. } => part.text.push_str(delta),
                ThreadItemUpdate::AnnotationAdded { annotation_index, annotation, .. } => {
                    let at = (*annotation_index).min(part.annotations.len());
                    part.annotations.insert(at, annotation.clone());
                }
                _ => {}
            }
        }
        (ThreadItem::Workflow(workflow), ThreadItemUpdate::TaskAdded { task, .. }) => {
            workflow.workflow.tasks.push(task.clone());
        }
        (ThreadItem::Workflow(workflow), ThreadItemUpdate::TaskUpdated { task_index, task }) => {
            if let Some(slot) = workflow.workflow.tasks.get_mut(*task_index) {
                *slot = task.clone();
            }
        }
        (ThreadItem::Widget(widget), ThreadItemUpdate::WidgetRootUpdated { widget: root }) => {
            widget.widget = root.clone();
        }
        _ => {}
    }
}
