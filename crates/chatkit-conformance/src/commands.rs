//! The command set of APP.md §5: the first word of a user message picks the command.

use std::time::Duration;

use chatkit::{
    Annotation, ClientToolCallItem, CustomTask, EndOfTurnItem, EntitySource, GeneratedImage, GeneratedImageItem,
    HandlerError, HandlerResult, IconName, IdKind, NoticeLevel, Order, Source, StatusIndicator,
    StructuredInput, StructuredInputItem, Task, TaskItem, ThreadItem, ThreadItemUpdate, ThreadStatus,
    ThreadStreamEvent, Timestamp, ToolCallStatus, Turn, UserMessageItem, Workflow, WorkflowItem, WorkflowKind,
    WorkflowSummary,
};
use chatkit_agents::ItemConverter;
use chatkit_agents::pyjson::canonical;
use futures_util::stream::{self, StreamExt};
use serde_json::{Value, json};

use crate::app::ConformanceApp;
use crate::convert::AppConverter;
use crate::python::{parse_int, words};
use crate::{Caller, widgets};

const COMMANDS: &[&str] = &[
    "attempt", "cite", "convert", "echo", "effect", "end", "error", "feedback", "help", "hidden", "history", "image",
    "notice", "options", "progress", "slow", "status", "structured", "task", "title", "tool", "undo", "widget",
    "workflow",
];

/// Delay before each delta of `slow`.
const SLOW_DELAY: Duration = Duration::from_millis(50);

/// `fail(M)`: a custom error with message M, not retryable.
fn fail(message: impl Into<String>) -> HandlerError {
    HandlerError::custom(message)
}

/// A number argument in `low..=high`, as APP.md words the errors.
fn number(arg: Option<&str>, default: i128, low: i128, high: i128, what: &str) -> Result<i128, HandlerError> {
    let Some(raw) = arg else { return Ok(default) };
    match parse_int(raw) {
        None => Err(fail(format!("{what}: expected a number, got {raw}"))),
        Some(Some(n)) if (low..=high).contains(&n) => Ok(n),
        Some(_) => Err(fail(format!("{what}: number must be between {low} and {high}"))),
    }
}

impl ConformanceApp {
    pub(crate) async fn command(&self, turn: &mut Turn<Caller>, message: UserMessageItem) -> HandlerResult {
        let text = message.text();
        let words = words(&text);
        // Title rule: set before the first event, so thread.updated follows that event.
        if turn.thread().title.is_none() && !words.is_empty() {
            turn.thread_mut().title = Some(words.iter().take(5).copied().collect::<Vec<_>>().join(" "));
        }
        let Some((&command, args)) = words.split_first() else {
            return turn.say("Nothing to do.").await;
        };
        if !COMMANDS.contains(&command) {
            return turn.say(format!("Unknown command: {command}")).await;
        }
        match command {
            "help" => turn.say(format!("Commands: {}", COMMANDS.join(", "))).await,
            "echo" => echo(turn, args).await,
            "slow" => slow(turn, args).await,
            "title" => title(turn, args).await,
            "status" => status(turn, args).await,
            "progress" => progress(turn, args).await,
            "notice" => notice(turn, args).await,
            "effect" => effect(turn, args).await,
            "workflow" => workflow(turn, args).await,
            "task" => task(turn, args).await,
            "tool" => tool(turn, args).await,
            "structured" => structured(turn).await,
            "hidden" => {
                turn.add_hidden_context(args.join(" ")).await?;
                turn.say("Noted.").await
            }
            "error" => error(turn, args).await,
            "convert" => {
                let input = AppConverter.convert(&[ThreadItem::UserMessage(message)]).await?;
                turn.say(canonical(&Value::Array(input))).await
            }
            "history" => {
                let items = turn.history().await?;
                let input = AppConverter.convert(&items).await?;
                turn.say(canonical(&Value::Array(input))).await
            }
            "attempt" => {
                let count = {
                    let mut attempts = self.attempts.lock().map_err(|_| HandlerError::stream(true))?;
                    let count = attempts.entry((turn.thread().id.clone(), message.id.clone())).or_insert(0);
                    *count += 1;
                    *count
                };
                turn.say(format!("Attempt {count} for this message.")).await
            }
            "feedback" => {
                let text = {
                    let feedback = self.feedback.lock().map_err(|_| HandlerError::stream(true))?;
                    match feedback.get(&turn.thread().id).filter(|records| !records.is_empty()) {
                        None => "No feedback yet.".to_owned(),
                        Some(records) => {
                            let parts: Vec<String> = records
                                .iter()
                                .map(|(id, kind)| {
                                    let kind = if *kind == chatkit::FeedbackKind::Positive { "positive" } else { "negative" };
                                    format!("{id}={kind}")
                                })
                                .collect();
                            format!("Feedback: {}", parts.join(", "))
                        }
                    }
                };
                turn.say(text).await
            }
            "options" => {
                let options = &message.inference_options;
                let tool = options.tool_choice.as_ref().map_or("none", |t| t.id.as_str());
                let model = options.model.as_deref().filter(|m| !m.is_empty()).unwrap_or("none");
                turn.say(format!("tool_choice={tool}; model={model}")).await
            }
            "cite" => cite(turn).await,
            "image" => image(turn).await,
            "end" => {
                turn.say("Ending turn.").await?;
                let end = EndOfTurnItem {
                    id: turn.new_id(IdKind::Message),
                    thread_id: turn.thread().id.clone(),
                    created_at: Timestamp::now(),
                };
                turn.emit(ThreadStreamEvent::done(end)).await
            }
            "undo" => undo(turn).await,
            "widget" => self.widget(turn, args).await,
            _ => unreachable!("every listed command is dispatched"),
        }
    }

    async fn widget(&self, turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
        let (kind, rest) = args.split_first().map_or(("", &[][..]), |(k, r)| (*k, r));
        let widget = match kind {
            "counter" => widgets::counter(number(rest.first().copied(), 0, -1000, 1000, "widget counter")?),
            "list" => widgets::color_list(None),
            "form" => widgets::form(),
            "names" => {
                let names: Vec<Value> = if rest.is_empty() {
                    widgets::DEFAULT_NAMES.iter().map(|n| json!(n)).collect()
                } else {
                    rest.iter().map(|n| json!(n)).collect()
                };
                self.names.render(&names, None).map_err(fail)?
            }
            "wizard" => widgets::wizard(Some(1)),
            "toggle" => widgets::toggle(false),
            "typewriter" => {
                let words: Vec<&str> = if rest.is_empty() { vec!["hello"] } else { rest.to_vec() };
                let mut states = vec![widgets::typewriter("", true)];
                states.extend((1..=words.len()).map(|n| widgets::typewriter(&words[..n].join(" "), true)));
                states.push(widgets::typewriter(&words.join(" "), false));
                return turn.stream_widget(stream::iter(states), None).await;
            }
            other => return Err(fail(format!("Unknown widget: {other}"))),
        };
        turn.show_widget(widget, None).await
    }
}

async fn echo(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let Some((last, init)) = args.split_last() else {
        return turn.say("Nothing to echo.").await;
    };
    let mut chunks: Vec<String> = init.iter().map(|w| format!("{w} ")).collect();
    chunks.push((*last).to_owned());
    turn.stream_text(stream::iter(chunks)).await
}

async fn slow(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let count = number(args.first().copied(), 5, 1, 100, "slow")?;
    let chunks: Vec<String> = (1..=count).map(|i| if i < count { format!("{i} ") } else { i.to_string() }).collect();
    let chunks = stream::iter(chunks).then(|chunk| async move {
        tokio::time::sleep(SLOW_DELAY).await;
        chunk
    });
    turn.stream_text(chunks).await
}

async fn title(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    if args.is_empty() {
        return Err(fail("Usage: title <words>"));
    }
    let title = args.join(" ");
    turn.thread_mut().title = Some(title.clone());
    turn.say(format!("Title set to {title}.")).await
}

async fn status(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let kind = args.first().copied().unwrap_or_default();
    let reason = Some(args.get(1..).unwrap_or_default().join(" ")).filter(|r| !r.is_empty());
    turn.thread_mut().status = match kind {
        "active" => ThreadStatus::Active,
        "locked" => ThreadStatus::Locked { reason },
        "closed" => ThreadStatus::Closed { reason },
        other => return Err(fail(format!("Unknown status: {other}"))),
    };
    turn.say(format!("Status is now {kind}.")).await
}

async fn progress(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let count = number(args.first().copied(), 3, 1, 10, "progress")?;
    for i in 1..=count {
        turn.emit(ThreadStreamEvent::ProgressUpdate { icon: Some(IconName::new("sparkle")), text: format!("Step {i} of {count}") })
            .await?;
    }
    turn.say(format!("Finished {count} steps.")).await
}

async fn notice(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let level = match args.first().copied().unwrap_or_default() {
        "info" => NoticeLevel::Info,
        "warning" => NoticeLevel::Warning,
        "danger" => NoticeLevel::Danger,
        other => return Err(fail(format!("Unknown notice level: {other}"))),
    };
    let message = Some(args[1..].join(" ")).filter(|m| !m.is_empty()).unwrap_or_else(|| "Heads up".to_owned());
    turn.emit(ThreadStreamEvent::Notice { level, message, title: Some("Notice".into()) }).await
}

async fn effect(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let Some((name, rest)) = args.split_first() else {
        return Err(fail("Usage: effect <name>"));
    };
    let mut data = serde_json::Map::new();
    data.insert("args".into(), json!(rest));
    turn.emit(ThreadStreamEvent::effect(*name, data)).await
}

async fn workflow(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let count = number(args.first().copied(), 2, 1, 10, "workflow")?;
    let mut item = WorkflowItem {
        id: turn.new_id(IdKind::Workflow),
        thread_id: turn.thread().id.clone(),
        created_at: Timestamp::now(),
        workflow: Workflow { expanded: true, ..Workflow::new(WorkflowKind::Custom) },
    };
    turn.emit(ThreadStreamEvent::added(item.clone())).await?;
    let mut tasks = Vec::new();
    for i in 1..=count {
        let index = usize::try_from(i - 1).unwrap_or_default();
        let started = Task::custom(format!("Task {i}")).status(StatusIndicator::Loading);
        turn.emit(ThreadStreamEvent::updated(item.id.clone(), ThreadItemUpdate::TaskAdded { task_index: index, task: started }))
            .await?;
        let finished = Task::Custom(CustomTask {
            status_indicator: StatusIndicator::Complete,
            title: Some(format!("Task {i}")),
            icon: None,
            content: Some(format!("Finished task {i}")),
        });
        turn.emit(ThreadStreamEvent::updated(
            item.id.clone(),
            ThreadItemUpdate::TaskUpdated { task_index: index, task: finished.clone() },
        ))
        .await?;
        tasks.push(finished);
    }
    item.workflow = Workflow {
        kind: WorkflowKind::Custom,
        tasks,
        summary: Some(WorkflowSummary::Custom { title: format!("Completed {count} tasks"), icon: Some(IconName::new("check")) }),
        expanded: false,
    };
    turn.emit(ThreadStreamEvent::done(item)).await?;
    turn.say(format!("Workflow finished with {count} tasks.")).await
}

async fn task(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let title = Some(args.join(" ")).filter(|t| !t.is_empty()).unwrap_or_else(|| "Untitled task".to_owned());
    let item = TaskItem {
        id: turn.new_id(IdKind::Task),
        thread_id: turn.thread().id.clone(),
        created_at: Timestamp::now(),
        task: Task::Custom(CustomTask {
            status_indicator: StatusIndicator::Complete,
            title: Some(title),
            icon: Some(IconName::new("check")),
            content: None,
        }),
    };
    turn.emit(ThreadStreamEvent::done(item)).await
}

async fn tool(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    let Some((name, rest)) = args.split_first() else {
        return Err(fail("Usage: tool <name> [args...]"));
    };
    let mut arguments = serde_json::Map::new();
    arguments.insert("args".into(), json!(rest));
    let call = ClientToolCallItem {
        id: turn.new_id(IdKind::ToolCall),
        thread_id: turn.thread().id.clone(),
        created_at: Timestamp::now(),
        status: ToolCallStatus::Pending,
        call_id: format!("call-{name}"),
        name: (*name).to_owned(),
        arguments,
        output: None,
    };
    turn.emit(ThreadStreamEvent::done(call)).await
}

async fn structured(turn: &mut Turn<Caller>) -> HandlerResult {
    let inputs: Vec<StructuredInput> = serde_json::from_value(json!([
        {"type": "multiple_choice", "id": "color", "question": "Pick a color",
         "options": [{"value": "Red"}, {"value": "Green"}, {"value": "Blue"}], "multiple": false},
        {"type": "freeform", "id": "note", "question": "Anything else?", "description": "Optional"}
    ]))?;
    let item = StructuredInputItem {
        id: turn.new_id(IdKind::Message),
        thread_id: turn.thread().id.clone(),
        created_at: Timestamp::now(),
        status: chatkit::StructuredStatus::Pending,
        inputs,
    };
    turn.emit(ThreadStreamEvent::done(item)).await
}

async fn error(turn: &mut Turn<Caller>, args: &[&str]) -> HandlerResult {
    turn.say("About to fail.").await?;
    let mode = args.first().copied().unwrap_or_default();
    let rest = Some(args.get(1..).unwrap_or_default().join(" ")).filter(|r| !r.is_empty());
    Err(match mode {
        "custom" => fail(rest.unwrap_or_else(|| "Custom failure".into())),
        "retryable" => fail(rest.unwrap_or_else(|| "Try again".into())).retryable(),
        "crash" => HandlerError::Other("scripted crash".into()),
        _ => HandlerError::stream(true),
    })
}

async fn cite(turn: &mut Turn<Caller>) -> HandlerResult {
    let text = "See the docs and ask Ada.";
    let annotations = vec![
        Annotation::new(Source::url("Example docs", "https://example.com/docs")).index(12),
        Annotation::new(Source::Entity(EntitySource {
            title: "Ada".into(),
            description: None,
            timestamp: None,
            group: None,
            id: "ent-ada".into(),
            icon: Some(IconName::new("profile")),
            label: None,
            inline_label: None,
            interactive: true,
            data: Default::default(),
            preview: None,
        }))
        .index(24),
    ];
    let mut message = turn.start_message().await?;
    message.push(turn, text).await?;
    for (index, annotation) in annotations.iter().enumerate() {
        let update = ThreadItemUpdate::AnnotationAdded { content_index: 0, annotation_index: index, annotation: annotation.clone() };
        turn.emit(ThreadStreamEvent::updated(message.id().clone(), update)).await?;
    }
    message.finish_with(turn, annotations).await
}

async fn image(turn: &mut Turn<Caller>) -> HandlerResult {
    let mut item = GeneratedImageItem {
        id: turn.new_id(IdKind::Message),
        thread_id: turn.thread().id.clone(),
        created_at: Timestamp::now(),
        image: None,
    };
    turn.emit(ThreadStreamEvent::added(item.clone())).await?;
    let partial = GeneratedImage { id: "img-1".into(), url: "https://example.com/img-1-partial.png".into() };
    turn.emit(ThreadStreamEvent::updated(item.id.clone(), ThreadItemUpdate::GeneratedImageUpdated { image: partial, progress: Some(0.5) }))
        .await?;
    item.image = Some(GeneratedImage { id: "img-1".into(), url: "https://example.com/img-1.png".into() });
    turn.emit(ThreadStreamEvent::done(item)).await
}

async fn undo(turn: &mut Turn<Caller>) -> HandlerResult {
    let mut after: Option<String> = None;
    let target = loop {
        let page = turn.items(after.as_deref(), 50, Order::Desc).await?;
        if let Some(found) = page.data.iter().find(|i| matches!(i, ThreadItem::AssistantMessage(_))) {
            break Some(found.id().clone());
        }
        match page.after {
            Some(next) if page.has_more => after = Some(next),
            _ => break None,
        }
    };
    match target {
        None => turn.say("Nothing to undo.").await,
        Some(item_id) => {
            turn.emit(ThreadStreamEvent::ItemRemoved { item_id }).await?;
            turn.say("Removed the previous assistant message.").await
        }
    }
}
