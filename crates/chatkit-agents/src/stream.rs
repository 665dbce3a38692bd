//! Model output → ChatKit events, as the reference maps it.
//!
//! Text deltas stream into one assistant message (`thread.item.added`, `content_part.added`,
//! `text_delta`s, `annotation_added`s, `content_part.done`, `thread.item.done`); reasoning
//! summaries become a `reasoning` workflow with one thought task per summary part (added, then
//! updated with the text so far), ended with its duration when the answer starts; a message
//! whose model API gave it an id (Responses API) keeps that id as its item id; image generation
//! calls become a `generated_image` item (added, updated with each partial image, done with the
//! final one, as a `data:` URL); tool calls and token usage are collected for the caller.

use std::time::Instant;

use chatkit::{
    Annotation, GeneratedImage, GeneratedImageItem, HandlerError, HandlerResult, IdKind, ItemId, StreamingMessage, Task,
    ThreadItemUpdate, ThreadStreamEvent, Timestamp, Turn, Workflow, WorkflowItem, WorkflowKind, WorkflowSummary,
};
use futures_util::StreamExt;

use crate::model::{ModelEvent, ModelStream, ToolCall, Usage};

/// What a model response left for the caller.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ModelOutput {
    /// The text of each finished assistant message.
    pub messages: Vec<String>,
    /// The function calls to run, in order.
    pub tool_calls: Vec<ToolCall>,
    /// Token counts.
    pub usage: Usage,
}

/// Streams one model response into the turn.
///
/// A model error mid-stream finishes the message streamed so far (so it is kept) and is
/// returned as a user-facing [`HandlerError`]; a client disconnect stops at once.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use chatkit::{ChatKit, ChatKitServer, HandlerResult, MemoryStore, Processed, RequestContext, Turn, UserMessageItem};
/// use chatkit_agents::model::{Model, ModelRequest, ScriptedModel};
///
/// struct App;
/// impl ChatKitServer for App {
///     type Context = RequestContext;
///     async fn respond(&self, turn: &mut Turn<RequestContext>, input: Option<UserMessageItem>) -> HandlerResult {
///         let text = input.map(|m| m.text()).unwrap_or_default();
///         let request = ModelRequest::new("", vec![chatkit_agents::convert::user_text(text)]);
///         let events = ScriptedModel::new().stream(request).await.map_err(|e| e.into_handler_error())?;
///         chatkit_agents::stream::stream_model_events(turn, events).await.map(|_| ())
///     }
/// }
/// let chatkit = ChatKit::new(App, MemoryStore::new());
/// let body = br#"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"hi there"}],"attachments":[],"inference_options":{}}}}"#;
/// let Processed::Stream(stream) = chatkit.process(body, RequestContext::new("u")).await.unwrap() else { unreachable!() };
/// let frames = chatkit::sse::parse(&stream.collect().await);
/// assert!(frames.iter().any(|f| f.contains("text_delta")));
/// assert!(frames.last().unwrap().contains("You said: hi there"));
/// # });
/// ```
pub async fn stream_model_events<C: Send + Sync + 'static>(turn: &mut Turn<C>, events: ModelStream) -> HandlerResult<ModelOutput> {
    stream_model_events_with(turn, events, None).await
}

/// [`stream_model_events`], expecting `partial_images` partial images per generated image (the
/// reference's `ResponseStreamConverter(partial_images=…)`): each partial image's progress is
/// then its index over that number (at most 1), instead of 0.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use chatkit::{ChatKit, ChatKitServer, HandlerResult, MemoryStore, Processed, RequestContext, Turn, UserMessageItem};
/// use chatkit_agents::model::ModelEvent;
///
/// struct App;
/// impl ChatKitServer for App {
///     type Context = RequestContext;
///     async fn respond(&self, turn: &mut Turn<RequestContext>, _: Option<UserMessageItem>) -> HandlerResult {
///         let (id, b64) = ("ig_1".to_owned(), "UE5H".to_owned());
///         let events = vec![
///             ModelEvent::ImageStarted { id: id.clone() },
///             ModelEvent::ImagePartial { id: id.clone(), b64: b64.clone(), index: 0 },
///             ModelEvent::ImagePartial { id: id.clone(), b64: b64.clone(), index: 1 },
///             ModelEvent::ImageDone { id, b64 },
///         ];
///         let events = Box::pin(futures_util::stream::iter(events.into_iter().map(Ok)));
///         chatkit_agents::stream::stream_model_events_with(turn, events, Some(2)).await.map(|_| ())
///     }
/// }
/// let chatkit = ChatKit::new(App, MemoryStore::new());
/// let body = br#"{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"draw"}],"attachments":[],"inference_options":{}}}}"#;
/// let Processed::Stream(stream) = chatkit.process(body, RequestContext::new("u")).await.unwrap() else { unreachable!() };
/// let events: Vec<serde_json::Value> = chatkit::sse::parse(&stream.collect().await).iter().map(|f| serde_json::from_str(f).unwrap()).collect();
/// let progress: Vec<_> = events.iter().filter(|e| e["type"] == "thread.item.updated").map(|e| e["update"]["progress"].clone()).collect();
/// assert_eq!(progress, [0.0, 0.5]);
/// # });
/// ```
pub async fn stream_model_events_with<C: Send + Sync + 'static>(
    turn: &mut Turn<C>,
    mut events: ModelStream,
    partial_images: Option<u32>,
) -> HandlerResult<ModelOutput> {
    let mut writer = Writer { partial_images: partial_images.filter(|n| *n > 0), ..Writer::default() };
    while let Some(event) = events.next().await {
        match event {
            Ok(event) => writer.event(turn, event).await?,
            Err(err) => {
                writer.finish(turn).await?;
                return Err(err.into_handler_error());
            }
        }
    }
    writer.finish(turn).await?;
    Ok(writer.output)
}

#[derive(Default)]
struct Writer {
    message: Option<(StreamingMessage, Vec<Annotation>)>,
    /// The model API's id for the next message.
    message_id: Option<String>,
    /// The image generation call under way.
    image: Option<GeneratedImageItem>,
    /// The partial images expected per image, to report progress.
    partial_images: Option<u32>,
    workflow: Option<ActiveWorkflow>,
    output: ModelOutput,
}

struct ActiveWorkflow {
    item: WorkflowItem,
    started: Instant,
    /// Index of the thought still receiving text.
    open_thought: Option<usize>,
}

impl Writer {
    async fn event<C: Send + Sync + 'static>(&mut self, turn: &mut Turn<C>, event: ModelEvent) -> HandlerResult {
        match event {
            ModelEvent::TextDelta(delta) => {
                self.end_workflow(turn).await?;
                if self.message.is_none() {
                    let id = match self.message_id.take() {
                        Some(id) => ItemId::new(id),
                        None => turn.new_id(IdKind::Message),
                    };
                    self.message = Some((turn.start_message_with_id(id).await?, Vec::new()));
                }
                if let Some((message, _)) = &mut self.message {
                    message.push(turn, delta).await?;
                }
            }
            ModelEvent::Annotation(annotation) => {
                if let Some((message, annotations)) = &mut self.message {
                    let update = ThreadItemUpdate::AnnotationAdded {
                        content_index: 0,
                        annotation_index: annotations.len(),
                        annotation: (*annotation).clone(),
                    };
                    annotations.push(*annotation);
                    turn.emit(ThreadStreamEvent::updated(message.id().clone(), update)).await?;
                }
            }
            ModelEvent::MessageDone => {
                self.finish_message(turn).await?;
                self.message_id = None;
            }
            ModelEvent::MessageId(id) => self.message_id = Some(id),
            ModelEvent::ImageStarted { id: _ } => {
                self.finish_message(turn).await?;
                self.finish_image(turn).await?;
                let item = GeneratedImageItem {
                    id: turn.new_id(IdKind::Message),
                    thread_id: turn.thread().id.clone(),
                    created_at: Timestamp::now(),
                    image: None,
                };
                turn.emit(ThreadStreamEvent::added(item.clone())).await?;
                self.image = Some(item);
            }
            ModelEvent::ImagePartial { id, b64, index } => {
                if let Some(item) = &mut self.image {
                    let image = GeneratedImage { id, url: data_url(&b64) };
                    item.image = Some(image.clone());
                    // The reference reports 0 when the number of partial images is not configured.
                    let progress = self.partial_images.map_or(0.0, |n| (f64::from(index) / f64::from(n)).min(1.0));
                    let update = ThreadItemUpdate::GeneratedImageUpdated { image, progress: Some(progress) };
                    turn.emit(ThreadStreamEvent::updated(item.id.clone(), update)).await?;
                }
            }
            ModelEvent::ImageDone { id, b64 } => {
                if let Some(item) = &mut self.image {
                    item.image = Some(GeneratedImage { id, url: data_url(&b64) });
                }
                self.finish_image(turn).await?;
            }
            ModelEvent::ReasoningDelta(delta) => self.reasoning(turn, &delta).await?,
            ModelEvent::ReasoningDone => {
                if let Some(workflow) = &mut self.workflow {
                    workflow.open_thought = None;
                }
            }
            ModelEvent::ToolCall(call) => {
                self.finish_message(turn).await?;
                self.output.tool_calls.push(call);
            }
            ModelEvent::Usage(usage) => self.output.usage += usage,
        }
        Ok(())
    }

    async fn reasoning<C: Send + Sync + 'static>(&mut self, turn: &mut Turn<C>, delta: &str) -> HandlerResult {
        self.finish_message(turn).await?;
        if self.workflow.is_none() {
            let item = WorkflowItem {
                id: turn.new_id(IdKind::Workflow),
                thread_id: turn.thread().id.clone(),
                created_at: Timestamp::now(),
                workflow: Workflow::new(WorkflowKind::Reasoning),
            };
            turn.emit(ThreadStreamEvent::added(item.clone())).await?;
            self.workflow = Some(ActiveWorkflow { item, started: Instant::now(), open_thought: None });
        }
        let Some(workflow) = &mut self.workflow else { return Ok(()) };
        let tasks = &mut workflow.item.workflow.tasks;
        let update = match workflow.open_thought {
            Some(index) => {
                let Some(Task::Thought(thought)) = tasks.get_mut(index) else {
                    return Err(HandlerError::custom("reasoning task lost"));
                };
                thought.content.push_str(delta);
                ThreadItemUpdate::TaskUpdated { task_index: index, task: tasks[index].clone() }
            }
            None => {
                tasks.push(Task::thought(delta));
                let index = tasks.len() - 1;
                workflow.open_thought = Some(index);
                ThreadItemUpdate::TaskAdded { task_index: index, task: tasks[index].clone() }
            }
        };
        let id = workflow.item.id.clone();
        turn.emit(ThreadStreamEvent::updated(id, update)).await
    }

    async fn finish_message<C: Send + Sync + 'static>(&mut self, turn: &mut Turn<C>) -> HandlerResult {
        if let Some((message, annotations)) = self.message.take() {
            self.output.messages.push(message.text().to_owned());
            message.finish_with(turn, annotations).await?;
        }
        Ok(())
    }

    /// Ends the reasoning workflow: collapsed, with its duration unless it has a summary.
    async fn end_workflow<C: Send + Sync + 'static>(&mut self, turn: &mut Turn<C>) -> HandlerResult {
        if let Some(mut workflow) = self.workflow.take() {
            let item = &mut workflow.item.workflow;
            if item.summary.is_none() {
                item.summary = Some(WorkflowSummary::Duration { duration: workflow.started.elapsed().as_secs() });
            }
            item.expanded = false;
            turn.emit(ThreadStreamEvent::done(workflow.item)).await?;
        }
        Ok(())
    }

    /// Ends the image item with the image it has (the final one, or on a cut stream the last
    /// partial one), so that no item is left half-written.
    async fn finish_image<C: Send + Sync + 'static>(&mut self, turn: &mut Turn<C>) -> HandlerResult {
        match self.image.take() {
            Some(item) => turn.emit(ThreadStreamEvent::done(item)).await,
            None => Ok(()),
        }
    }

    async fn finish<C: Send + Sync + 'static>(&mut self, turn: &mut Turn<C>) -> HandlerResult {
        self.finish_message(turn).await?;
        self.finish_image(turn).await?;
        self.end_workflow(turn).await
    }
}

/// A base64 image as the URL stored on the item, as the reference's default converter does.
fn data_url(b64: &str) -> String {
    format!("data:image/png;base64,{b64}")
}
