//! Streaming requests: checks and writes before the stream, then the event loop in a task.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;

use tokio::sync::OwnedMutexGuard;

use super::engine::{EventStream, Inner};
use super::{ChatKitServer, HandlerError, HandlerResult, RequestError, Turn};
use crate::{
    Action, ErrorEvent, IdKind, Order, Page, Request, StructuredAnswer, StructuredInput, StructuredInputItem,
    StructuredInputSubmission, SubmissionStatus, ThreadId, ThreadItem, ThreadMetadata, ThreadStreamEvent, Timestamp,
    ToolCallStatus, UserMessageInput, UserMessageItem, WidgetItem,
};

/// What the handler is asked to do once the stream runs.
enum Job {
    Respond(Option<UserMessageItem>),
    Action(Action, Option<WidgetItem>),
    StructuredInput(StructuredInputItem),
    /// Only the prepared events (custom action on a non-widget item).
    Nothing,
}

/// A streaming request after its checks and writes: the thread, events to send first, the job.
struct Plan {
    thread: ThreadMetadata,
    first: Vec<ThreadStreamEvent>,
    job: Job,
}

pub(crate) async fn start<S: ChatKitServer>(
    inner: Arc<Inner<S>>,
    request: Request,
    context: S::Context,
) -> Result<EventStream, RequestError> {
    let permit = inner.stream_limit.as_ref().map(|limit| limit.acquire(&context)).transpose()?;
    let guard = match request.thread_id() {
        Some(thread_id) if inner.config.serialize_threads => Some(inner.locks.lock(thread_id).await),
        _ => None,
    };
    let plan = prepare(&inner, request, &context).await?;
    let (tx, rx) = super::pipe::pipe(inner.config.stream_buffer);
    let turn = Turn::new(plan.thread, context, inner.store.clone(), tx);
    let tasks = inner.tasks.clone();
    tasks.spawn(async move {
        run(inner, turn, plan.first, plan.job, guard).await;
        drop(permit);
    });
    Ok(EventStream::new(rx))
}

async fn prepare<S: ChatKitServer>(
    inner: &Inner<S>,
    request: Request,
    ctx: &S::Context,
) -> Result<Plan, RequestError> {
    let store = &inner.store;
    match request {
        Request::ThreadsCreate { params, .. } => {
            let attachments = load_attachments(inner, &params.input, ctx).await?;
            let thread = ThreadMetadata::new(store.generate_thread_id(ctx));
            let message = user_message(inner, &thread, params.input, attachments, ctx).await?;
            // The thread and its first message in one write, where the store can.
            let first = ThreadItem::UserMessage(message.clone());
            if let Err(err) = store.save_thread_with_item(&thread, &first, ctx).await {
                // No half-created thread: the request failed, so nothing of it stays.
                if let Err(cleanup) = store.delete_thread(&thread.id, ctx).await {
                    tracing::error!(error = %cleanup, thread = %thread.id, "removing a thread whose creation failed");
                }
                return Err(err.into());
            }
            let created = ThreadStreamEvent::ThreadCreated { thread: thread.to_response(Page::default()) };
            Ok(Plan { thread, first: vec![created, ThreadStreamEvent::done(message.clone())], job: Job::Respond(Some(message)) })
        }
        Request::ThreadsAddUserMessage { params, .. } => {
            let thread = store.load_thread(&params.thread_id, ctx).await?;
            let attachments = load_attachments(inner, &params.input, ctx).await?;
            let message = add_user_message(inner, &thread, params.input, attachments, ctx).await?;
            Ok(Plan { thread, first: vec![ThreadStreamEvent::done(message.clone())], job: Job::Respond(Some(message)) })
        }
        Request::ThreadsAddClientToolOutput { params, .. } => {
            let thread = store.load_thread(&params.thread_id, ctx).await?;
            let newest = newest_visible_item(inner, &thread.id, ctx).await?;
            let Some(ThreadItem::ClientToolCall(mut call)) = newest.filter(
                |item| matches!(item, ThreadItem::ClientToolCall(c) if c.status == ToolCallStatus::Pending),
            ) else {
                return Err(RequestError::InvalidState(format!(
                    "thread `{}` is not waiting for a client tool output: its newest item is not a pending client tool call",
                    thread.id
                )));
            };
            call.output = Some(params.result);
            call.status = ToolCallStatus::Completed;
            store.save_item(&thread.id, &ThreadItem::ClientToolCall(call), ctx).await?;
            // Any other pending call can no longer be answered.
            let recent = store.load_thread_items(&thread.id, None, inner.config.default_page_size, Order::Desc, ctx).await?;
            for item in recent.data {
                if let ThreadItem::ClientToolCall(c) = &item {
                    if c.status == ToolCallStatus::Pending {
                        tracing::warn!(call_id = %c.call_id, "dropping a client tool call that was never answered");
                        store.delete_thread_item(&thread.id, &c.id, ctx).await?;
                    }
                }
            }
            Ok(Plan { thread, first: Vec::new(), job: Job::Respond(None) })
        }
        Request::ThreadsAddStructuredInput { params, .. } => {
            let thread = store.load_thread(&params.thread_id, ctx).await?;
            let item = store.load_item(&thread.id, &params.item_id, ctx).await?;
            let ThreadItem::StructuredInput(item) = item else {
                return Err(RequestError::InvalidState(format!(
                    "item `{}` is a {}, not a structured input",
                    params.item_id,
                    item.kind()
                )));
            };
            let answered = apply_submission(item, &params.input)?;
            Ok(Plan { thread, first: Vec::new(), job: Job::StructuredInput(answered) })
        }
        Request::ThreadsRetryAfterItem { params, .. } => {
            let thread = store.load_thread(&params.thread_id, ctx).await?;
            let (message, newer) = find_user_message(inner, &thread.id, &params.item_id, ctx).await?;
            for item in newer {
                store.delete_thread_item(&thread.id, &item, ctx).await?;
            }
            Ok(Plan { thread, first: Vec::new(), job: Job::Respond(Some(message)) })
        }
        Request::ThreadsCustomAction { params, .. } => {
            let thread = store.load_thread(&params.thread_id, ctx).await?;
            let sender = match params.item_id.filter(|id| !id.is_empty()) {
                Some(item_id) => Some(store.load_item(&thread.id, &item_id, ctx).await?),
                None => None,
            };
            match sender {
                Some(ThreadItem::Widget(widget)) => {
                    Ok(Plan { thread, first: Vec::new(), job: Job::Action(params.action, Some(widget)) })
                }
                // The reference answers a non-widget sender with a lone error event; kept.
                Some(_) => Ok(Plan {
                    thread,
                    first: vec![ThreadStreamEvent::Error(ErrorEvent::stream(false))],
                    job: Job::Nothing,
                }),
                None => Ok(Plan { thread, first: Vec::new(), job: Job::Action(params.action, None) }),
            }
        }
        other => Err(RequestError::BadParam(format!("`{}` is not a streaming request", other.kind()))),
    }
}

async fn load_attachments<S: ChatKitServer>(
    inner: &Inner<S>,
    input: &UserMessageInput,
    ctx: &S::Context,
) -> Result<Vec<crate::Attachment>, RequestError> {
    let mut attachments = Vec::with_capacity(input.attachments.len());
    for (n, id) in input.attachments.iter().enumerate() {
        if input.attachments[..n].contains(id) {
            return Err(RequestError::BadParam(format!(
                "params.input.attachments lists `{}` twice",
                crate::protocol::clip(id.as_str(), 64)
            )));
        }
        attachments.push(inner.store.load_attachment(id, ctx).await?);
    }
    Ok(attachments)
}

/// Stores a new user message (and its attachments, now bound to the thread).
async fn add_user_message<S: ChatKitServer>(
    inner: &Inner<S>,
    thread: &ThreadMetadata,
    input: UserMessageInput,
    attachments: Vec<crate::Attachment>,
    ctx: &S::Context,
) -> Result<UserMessageItem, RequestError> {
    let message = user_message(inner, thread, input, attachments, ctx).await?;
    inner.store.add_thread_item(&thread.id, &ThreadItem::UserMessage(message.clone()), ctx).await?;
    Ok(message)
}

/// A new user message of the thread; its attachments, now bound to the thread, are stored.
async fn user_message<S: ChatKitServer>(
    inner: &Inner<S>,
    thread: &ThreadMetadata,
    input: UserMessageInput,
    mut attachments: Vec<crate::Attachment>,
    ctx: &S::Context,
) -> Result<UserMessageItem, RequestError> {
    for attachment in &mut attachments {
        attachment.base_mut().thread_id = Some(thread.id.clone());
        inner.store.save_attachment(attachment, ctx).await?;
    }
    Ok(UserMessageItem {
        id: inner.store.generate_item_id(IdKind::Message, thread, ctx),
        thread_id: thread.id.clone(),
        created_at: Timestamp::now(),
        content: input.content,
        attachments,
        quoted_text: input.quoted_text,
        inference_options: input.inference_options,
    })
}

/// The newest item that is not hidden context.
async fn newest_visible_item<S: ChatKitServer>(
    inner: &Inner<S>,
    thread_id: &ThreadId,
    ctx: &S::Context,
) -> Result<Option<ThreadItem>, RequestError> {
    let mut after: Option<String> = None;
    loop {
        let page = inner.store.load_thread_items(thread_id, after.as_deref(), inner.config.default_page_size, Order::Desc, ctx).await?;
        if let Some(item) = page.data.iter().find(|item| !item.is_hidden()) {
            return Ok(Some(item.clone()));
        }
        match page.after {
            Some(next) if page.has_more => after = Some(next),
            _ => return Ok(None),
        }
    }
}

/// Finds the user message to retry and the ids of every item after it.
async fn find_user_message<S: ChatKitServer>(
    inner: &Inner<S>,
    thread_id: &ThreadId,
    item_id: &crate::ItemId,
    ctx: &S::Context,
) -> Result<(UserMessageItem, Vec<crate::ItemId>), RequestError> {
    let mut newer = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = inner.store.load_thread_items(thread_id, after.as_deref(), inner.config.default_page_size, Order::Desc, ctx).await?;
        for item in page.data {
            if item.id() == item_id {
                return match item {
                    ThreadItem::UserMessage(message) => Ok((message, newer)),
                    other => Err(RequestError::InvalidState(format!(
                        "item `{item_id}` is a {}, not a user message; only user messages can be retried",
                        other.kind()
                    ))),
                };
            }
            newer.push(item.id().clone());
        }
        match page.after {
            Some(next) if page.has_more => after = Some(next),
            _ => return Err(RequestError::not_found("item", item_id.to_string())),
        }
    }
}

/// Applies answers to a pending structured input item, as the reference does.
fn apply_submission(
    mut item: StructuredInputItem,
    submission: &StructuredInputSubmission,
) -> Result<StructuredInputItem, RequestError> {
    if item.status != crate::StructuredStatus::Pending {
        return Err(RequestError::InvalidState(format!("structured input `{}` was already answered", item.id)));
    }
    let unknown: Vec<&str> = submission
        .answers
        .keys()
        .filter(|id| !item.inputs.iter().any(|q| q.id() == id.as_str()))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        tracing::warn!(item = %item.id, ?unknown, "ignoring answers to unknown questions");
    }
    for question in &mut item.inputs {
        let answer = submission.answers.get(question.id());
        let answer = match answer {
            Some(a) if submission.status != SubmissionStatus::Skipped && !a.skipped && !a.values.is_empty() => {
                let mut values = a.values.clone();
                if let StructuredInput::MultipleChoice(choice) = question {
                    if !choice.multiple {
                        values.truncate(1);
                    }
                }
                StructuredAnswer { values, skipped: false }
            }
            _ => StructuredAnswer { values: Vec::new(), skipped: true },
        };
        question.set_answer(answer);
    }
    item.status = match submission.status {
        SubmissionStatus::Answered => crate::StructuredStatus::Answered,
        SubmissionStatus::Skipped => crate::StructuredStatus::Skipped,
    };
    Ok(item)
}

/// The stream task: first events, stream options, the handler, errors, cancellation.
async fn run<S: ChatKitServer>(
    inner: Arc<Inner<S>>,
    mut turn: Turn<S::Context>,
    first: Vec<ThreadStreamEvent>,
    job: Job,
    _guard: Option<OwnedMutexGuard<()>>,
) {
    for event in &first {
        if turn.send(event).await.is_err() {
            return;
        }
    }
    if matches!(job, Job::Nothing) {
        return;
    }
    let options = inner.server.stream_options(turn.thread(), turn.context());
    if turn.send(&ThreadStreamEvent::StreamOptions { stream_options: options }).await.is_err() {
        return;
    }

    let gone = turn.out_handle();
    let outcome = tokio::select! {
        biased;
        () = gone.closed() => Err(HandlerError::Cancelled),
        result = AssertUnwindSafe(run_job(&inner.server, &mut turn, job)).catch_unwind() => {
            result.unwrap_or_else(|panic| Err(HandlerError::Other(panic_message(&panic).into())))
        }
    };

    match outcome {
        Ok(()) => {
            let _ = turn.sync_thread().await;
        }
        Err(HandlerError::Cancelled) => {
            if let Err(err) = inner.server.on_cancel(&mut turn).await {
                tracing::error!(error = %err, thread = %turn.thread().id, "storing a cancelled stream failed");
            }
        }
        Err(err) => {
            match &err {
                HandlerError::Custom { .. } | HandlerError::Stream { .. } => {}
                other => tracing::error!(error = %other, thread = %turn.thread().id, "handler failed"),
            }
            if let Some(event) = err.to_event() {
                let _ = turn.send(&ThreadStreamEvent::Error(event)).await;
            }
            let _ = turn.sync_thread().await;
        }
    }
}

/// The text of a panic payload, for the log.
fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("the handler panicked: {text}")
}

async fn run_job<S: ChatKitServer>(server: &S, turn: &mut Turn<S::Context>, job: Job) -> HandlerResult {
    match job {
        Job::Respond(input) => server.respond(turn, input).await,
        Job::Action(action, sender) => server.action(turn, action, sender).await,
        Job::StructuredInput(item) => {
            turn.emit(ThreadStreamEvent::replaced(item)).await?;
            server.respond(turn, None).await
        }
        Job::Nothing => Ok(()),
    }
}
