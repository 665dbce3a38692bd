//! End to end: ChatKit requests → agent → a real local model server → ChatKit events.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chatkit::{
    Action, ChatKit, ChatKitServer, HandlerResult, MemoryStore, Processed, RequestContext, Tag, ThreadItem, Turn,
    UserMessageItem, WidgetItem, WidgetRoot,
};
use chatkit_agents::convert::{ConvertError, ItemConverter, input_text};
use chatkit_agents::model::{Api, OpenAiConfig, OpenAiModel};
use chatkit_agents::{Agent, Agents, FunctionTool, ToolContext, ToolError};
use futures_util::StreamExt;
use serde_json::{Value, json};
use support::{MockModel, Reply, Then};

// ---- recorded-style Chat Completions chunks -------------------------------------------------

fn chunk(delta: Value, finish: Option<&str>) -> String {
    let chunk = json!({"id": "chatcmpl-e2e", "object": "chat.completion.chunk", "created": 1741000000, "model": "m",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]});
    format!("data: {chunk}\n\n")
}

fn text_reply(parts: &[&str]) -> Vec<String> {
    let mut events = vec![chunk(json!({"role": "assistant", "content": ""}), None)];
    events.extend(parts.iter().map(|p| chunk(json!({"content": p}), None)));
    events.push(chunk(json!({}), Some("stop")));
    events.push("data: [DONE]\n\n".to_owned());
    events
}

fn tool_reply(call_id: &str, name: &str, arguments: &str) -> Vec<String> {
    let call = json!({"index": 0, "id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}});
    vec![
        chunk(json!({"role": "assistant", "content": null, "tool_calls": [call]}), None),
        chunk(json!({}), Some("tool_calls")),
        "data: [DONE]\n\n".to_owned(),
    ]
}

fn sse(events: Vec<String>) -> Reply {
    Reply::events(events, Duration::ZERO, Then::End)
}

// ---- the app ----------------------------------------------------------------------------------

fn counter(count: i64) -> WidgetRoot {
    WidgetRoot::from_value(json!({
        "type": "Card",
        "children": [
            {"type": "Text", "id": "count", "value": format!("Count: {count}")},
            {"type": "Button", "label": "Add", "onClickAction": {"type": "counter.add", "payload": {"count": count}, "handler": "server"}}
        ]
    }))
    .unwrap()
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct CounterArgs {
    /// The first value.
    start: i64,
}

struct ShowCounter;

impl FunctionTool<RequestContext> for ShowCounter {
    type Args = CounterArgs;
    fn name(&self) -> &str {
        "show_counter"
    }
    fn description(&self) -> &str {
        "Shows a counter widget"
    }
    async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, args: CounterArgs) -> Result<String, ToolError> {
        ctx.emit(chatkit::ThreadStreamEvent::progress("Building the counter")).await?;
        ctx.show_widget(counter(args.start), None).await?;
        Ok(format!("A counter starting at {} is shown.", args.start))
    }
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct ColorArgs {}

struct PickColor;

impl FunctionTool<RequestContext> for PickColor {
    type Args = ColorArgs;
    fn name(&self) -> &str {
        "pick_color"
    }
    fn description(&self) -> &str {
        "Asks the user's browser for a color"
    }
    async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, _args: ColorArgs) -> Result<String, ToolError> {
        ctx.call_client_tool("get_selected_color", serde_json::Map::new());
        Ok(String::new())
    }
}

struct Articles;

#[async_trait]
impl ItemConverter for Articles {
    async fn tag(&self, tag: &Tag) -> Result<Value, ConvertError> {
        let title = tag.data.get("title").and_then(Value::as_str).unwrap_or(&tag.text);
        Ok(input_text(format!("<ARTICLE_REFERENCE id='{}'>{title}</ARTICLE_REFERENCE>", tag.id)))
    }
}

struct App {
    agents: Agents<RequestContext>,
}

impl ChatKitServer for App {
    type Context = RequestContext;

    async fn respond(&self, turn: &mut Turn<RequestContext>, _input: Option<UserMessageItem>) -> HandlerResult {
        self.agents.respond(turn).await.map(|_| ())
    }

    async fn action(&self, turn: &mut Turn<RequestContext>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        #[derive(serde::Deserialize)]
        struct Add {
            count: i64,
        }
        let Some(sender) = sender else { return Err(chatkit::HandlerError::custom("no widget")) };
        let Add { count } = action.payload()?;
        turn.replace_widget(&sender, counter(count + 1)).await?;
        turn.add_hidden_context(format!("<COUNTER value={}/>", count + 1)).await
    }
}

fn chatkit(server: &MockModel, api: Api) -> ChatKit<App> {
    chatkit_with(OpenAiConfig::new(&server.base_url, "test-model").initial_backoff(Duration::from_millis(5)).api(api))
}

fn chatkit_with(config: OpenAiConfig) -> ChatKit<App> {
    let model: Arc<dyn chatkit_agents::model::Model> = Arc::new(OpenAiModel::new(config).unwrap());
    let general = Agent::with_model("general", model.clone())
        .instructions("You are the general assistant.")
        .tool(ShowCounter)
        .tool(PickColor)
        .hosted_tool(json!({"type": "image_generation", "partial_images": 2}))
        .converter(Articles);
    let research = Agent::with_model("research", model).instructions("You are the research assistant.").converter(Articles);
    ChatKit::new(App { agents: Agents::new(general).route("research", research) }, MemoryStore::new())
}

async fn send(chatkit: &ChatKit<App>, body: Value) -> Vec<Value> {
    let Processed::Stream(stream) = chatkit.process(body.to_string().as_bytes(), RequestContext::new("alice")).await.unwrap() else {
        panic!("expected a stream for {body}")
    };
    chatkit::sse::parse(&stream.collect().await).iter().map(|f| serde_json::from_str(f).unwrap()).collect()
}

fn create(text: Value, options: Value) -> Value {
    json!({"type": "threads.create", "params": {"input": {"content": text, "attachments": [], "inference_options": options}}})
}

fn of_type<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == kind).collect()
}

fn thread_id(events: &[Value]) -> String {
    events[0]["thread"]["id"].as_str().unwrap().to_owned()
}

async fn items(chatkit: &ChatKit<App>, thread: &str) -> Vec<ThreadItem> {
    let page = chatkit
        .store()
        .load_thread_items(&thread.into(), None, 100, chatkit::Order::Asc, &RequestContext::new("alice"))
        .await
        .unwrap();
    page.data
}

// ---- tests ------------------------------------------------------------------------------------

#[tokio::test]
async fn a_tool_streams_a_widget_then_the_answer_follows() {
    let server = MockModel::start(vec![
        sse(tool_reply("call_1", "show_counter", r#"{"start": 1}"#)),
        sse(text_reply(&["Here is ", "your counter."])),
    ])
    .await;
    let chatkit = chatkit(&server, Api::ChatCompletions);
    let events = send(&chatkit, create(json!([{"type": "input_text", "text": "Show me a counter"}]), json!({}))).await;

    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    let progress = kinds.iter().position(|k| *k == "progress_update").unwrap();
    let widget = events.iter().position(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "widget").unwrap();
    let message = events.iter().position(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message").unwrap();
    assert!(progress < widget && widget < message, "{kinds:?}");
    assert_eq!(events[widget]["item"]["widget"]["children"][0]["value"], "Count: 1");
    assert_eq!(events[message]["item"]["content"][0]["text"], "Here is your counter.");
    assert_eq!(of_type(&events, "thread.item.updated").iter().filter(|e| e["update"]["type"] == "assistant_message.content_part.text_delta").count(), 2);

    // The second model request carries the call and its output.
    let second = &server.received()[1].body;
    let messages = second["messages"].as_array().unwrap();
    assert_eq!(messages[0], json!({"role": "system", "content": "You are the general assistant."}));
    let call = messages.iter().find(|m| m["tool_calls"].is_array()).unwrap();
    assert_eq!(call["tool_calls"][0]["id"], "call_1");
    let output = messages.iter().find(|m| m["role"] == "tool").unwrap();
    assert_eq!(output["content"], "A counter starting at 1 is shown.");
    assert_eq!(second["tools"].as_array().unwrap().len(), 2);
    assert_eq!(second["tools"][0]["function"]["parameters"]["required"], json!(["start"]));

    // Both items are stored, widget first.
    let stored = items(&chatkit, &thread_id(&events)).await;
    let kinds: Vec<&str> = stored.iter().map(|i| if let ThreadItem::Widget(_) = i { "widget" } else if let ThreadItem::AssistantMessage(_) = i { "assistant" } else { "other" }).collect();
    assert_eq!(kinds, ["other", "widget", "assistant"]);
}

#[tokio::test]
async fn a_widget_action_replaces_it_and_its_hidden_context_reaches_the_next_request() {
    let server = MockModel::start(vec![
        sse(tool_reply("call_1", "show_counter", r#"{"start": 5}"#)),
        sse(text_reply(&["Done."])),
        sse(text_reply(&["The counter is at 6."])),
    ])
    .await;
    let chatkit = chatkit(&server, Api::ChatCompletions);
    let events = send(&chatkit, create(json!([{"type": "input_text", "text": "counter please"}]), json!({}))).await;
    let thread = thread_id(&events);
    let widget = events.iter().find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "widget").unwrap();
    let widget_id = widget["item"]["id"].as_str().unwrap();

    let action = json!({"type": "threads.custom_action", "params": {"thread_id": thread, "item_id": widget_id,
        "action": {"type": "counter.add", "payload": {"count": 5}}}});
    let events = send(&chatkit, action).await;
    let replaced = of_type(&events, "thread.item.replaced");
    assert_eq!(replaced.len(), 1);
    assert_eq!(replaced[0]["item"]["widget"]["children"][0]["value"], "Count: 6");
    assert!(!events.iter().any(|e| e["item"]["type"] == "hidden_context_item"), "hidden context must not be sent");

    let next = json!({"type": "threads.add_user_message", "params": {"thread_id": thread,
        "input": {"content": [{"type": "input_text", "text": "what is it now?"}], "attachments": [], "inference_options": {}}}});
    let events = send(&chatkit, next).await;
    assert!(events.iter().any(|e| e["type"] == "thread.item.done" && e["item"]["content"][0]["text"] == "The counter is at 6."));
    let third = server.received()[2].body.to_string();
    assert!(third.contains("<COUNTER value=6/>"), "{third}");
    assert!(third.contains("Count: 6"), "the replaced widget is described to the model: {third}");
}

#[tokio::test]
async fn entity_tags_reach_the_model_as_markers() {
    let server = MockModel::start(vec![sse(text_reply(&["Noted."]))]).await;
    let chatkit = chatkit(&server, Api::ChatCompletions);
    let content = json!([
        {"type": "input_text", "text": "Summarize "},
        {"type": "input_tag", "id": "art_42", "text": "Rust", "data": {"title": "Why Rust"}, "interactive": true}
    ]);
    send(&chatkit, create(content, json!({}))).await;
    let body = server.received()[0].body.to_string();
    assert!(body.contains("Summarize @Rust"), "{body}");
    assert!(body.contains("<ARTICLE_REFERENCE id='art_42'>Why Rust</ARTICLE_REFERENCE>"), "{body}");
}

#[tokio::test]
async fn the_composer_tool_choice_routes_to_another_agent() {
    let server = MockModel::start(vec![sse(text_reply(&["Researching."])), sse(text_reply(&["Hi."]))]).await;
    let chatkit = chatkit(&server, Api::ChatCompletions);
    send(&chatkit, create(json!([{"type": "input_text", "text": "dig"}]), json!({"tool_choice": {"id": "research"}, "model": "big-model"}))).await;
    send(&chatkit, create(json!([{"type": "input_text", "text": "hi"}]), json!({}))).await;
    let received = server.received();
    assert_eq!(received[0].body["messages"][0]["content"], "You are the research assistant.");
    assert_eq!(received[0].body["model"], "big-model");
    assert!(received[0].body.get("tools").is_none());
    assert_eq!(received[1].body["messages"][0]["content"], "You are the general assistant.");
    assert_eq!(received[1].body["model"], "test-model");
}

#[tokio::test]
async fn a_disconnect_mid_stream_cancels_upstream_and_keeps_the_partial_message() {
    let events = text_reply(&["Hello, ", "World"])[..3].to_vec();
    let server = MockModel::start(vec![Reply::events(events, Duration::from_millis(20), Then::KeepAlive)]).await;
    let chatkit = chatkit(&server, Api::ChatCompletions);
    let body = create(json!([{"type": "input_text", "text": "talk"}]), json!({}));
    let Processed::Stream(mut stream) = chatkit.process(body.to_string().as_bytes(), RequestContext::new("alice")).await.unwrap() else {
        panic!("stream")
    };
    let mut seen = String::new();
    let mut thread = String::new();
    while let Some(frame) = stream.next().await {
        let text = String::from_utf8_lossy(&frame).into_owned();
        if thread.is_empty() {
            if let Some(event) = chatkit::sse::parse(&frame).first() {
                let event: Value = serde_json::from_str(event).unwrap();
                thread = event["thread"]["id"].as_str().unwrap_or_default().to_owned();
            }
        }
        seen.push_str(&text);
        if seen.contains("World") {
            break;
        }
    }
    drop(stream);
    assert!(server.wait_aborted(1).await, "the model request was not cancelled");
    chatkit.drain().await;
    let stored = items(&chatkit, &thread).await;
    let message = stored.iter().find_map(|i| if let ThreadItem::AssistantMessage(m) = i { Some(m) } else { None }).unwrap();
    assert_eq!(message.content[0].text, "Hello, World");
    assert!(matches!(stored.last(), Some(ThreadItem::SdkHiddenContext(_))));
}

#[tokio::test]
async fn a_model_error_mid_stream_is_an_error_event_after_the_partial_text() {
    let server = MockModel::start(vec![Reply::fixture("chat_error_midstream")]).await;
    let chatkit = chatkit(&server, Api::ChatCompletions);
    let events = send(&chatkit, create(json!([{"type": "input_text", "text": "go"}]), json!({}))).await;
    let done = events.iter().find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message").unwrap();
    assert_eq!(done["item"]["content"][0]["text"], "Partial");
    let error = events.last().unwrap();
    assert_eq!(error["type"], "error");
    assert_eq!(error["code"], "custom");
    assert_eq!(error["message"], "The model failed: The model ran out of memory");
    assert_eq!(error["allow_retry"], true);
}

#[tokio::test]
async fn model_errors_and_timeouts_mid_stream_leave_a_consistent_thread() {
    let stalled = support::fixture_events("chat_text")[..2].to_vec();
    let server = MockModel::start(vec![
        Reply::fixture("chat_error_midstream"),
        Reply::events(stalled, Duration::ZERO, Then::Stall),
        sse(text_reply(&["Recovered."])),
    ])
    .await;
    let config = OpenAiConfig::new(&server.base_url, "test-model")
        .initial_backoff(Duration::from_millis(5))
        .idle_timeout(Duration::from_millis(300))
        .api(Api::ChatCompletions);
    let chatkit = chatkit_with(config);
    let say = |thread: &str, text: &str| {
        json!({"type": "threads.add_user_message", "params": {"thread_id": thread,
            "input": {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}})
    };
    let stored_texts = |items: Vec<ThreadItem>| -> Vec<(String, String)> {
        items
            .iter()
            .map(|item| match item {
                ThreadItem::UserMessage(m) => ("user".to_owned(), m.text()),
                ThreadItem::AssistantMessage(m) => ("assistant".to_owned(), m.content.iter().map(|c| c.text.as_str()).collect()),
                other => (other.kind().to_owned(), String::new()),
            })
            .collect()
    };

    // An error event mid-stream: the partial answer is stored, then the error is reported.
    let events = send(&chatkit, create(json!([{"type": "input_text", "text": "one"}]), json!({}))).await;
    let thread = thread_id(&events);
    assert_eq!(events.last().unwrap()["type"], "error", "{events:?}");
    let expected = |pairs: &[(&str, &str)]| pairs.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect::<Vec<_>>();
    assert_eq!(stored_texts(items(&chatkit, &thread).await), expected(&[("user", "one"), ("assistant", "Partial")]));

    // A model that stops sending mid-answer: the idle timeout ends it the same way.
    let events = send(&chatkit, say(&thread, "two")).await;
    let error = events.last().unwrap();
    assert_eq!(error["type"], "error", "{events:?}");
    assert_eq!(error["allow_retry"], true);
    assert_eq!(
        stored_texts(items(&chatkit, &thread).await),
        expected(&[("user", "one"), ("assistant", "Partial"), ("user", "two"), ("assistant", "Hello")])
    );

    // The thread goes on; the model sees the partial answers.
    let events = send(&chatkit, say(&thread, "three")).await;
    assert!(of_type(&events, "error").is_empty(), "{events:?}");
    assert_eq!(stored_texts(items(&chatkit, &thread).await).last().unwrap(), &("assistant".to_owned(), "Recovered.".to_owned()));
    let history = server.received()[2].body["messages"].to_string();
    assert!(history.contains("Partial") && history.contains("Hello"), "{history}");
}

#[tokio::test]
async fn rate_limits_are_retried_behind_the_stream() {
    let server = MockModel::start(vec![
        Reply::Status { status: 429, body: "{}".into(), retry_after: Some(0) },
        sse(text_reply(&["Fine."])),
    ])
    .await;
    let chatkit = chatkit(&server, Api::ChatCompletions);
    let events = send(&chatkit, create(json!([{"type": "input_text", "text": "go"}]), json!({}))).await;
    assert!(events.iter().any(|e| e["item"]["content"][0]["text"] == "Fine."));
    assert!(of_type(&events, "error").is_empty());
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn reasoning_becomes_a_workflow_and_citations_annotations() {
    let server = MockModel::start(vec![Reply::fixture("responses_reasoning_text")]).await;
    let chatkit = chatkit(&server, Api::Responses);
    let events = send(&chatkit, create(json!([{"type": "input_text", "text": "Is Rust safe?"}]), json!({}))).await;
    let updates: Vec<&str> = of_type(&events, "thread.item.updated").iter().map(|e| e["update"]["type"].as_str().unwrap()).collect();
    assert_eq!(&updates[..2], ["workflow.task.added", "workflow.task.updated"]);
    let added = events.iter().find(|e| e["type"] == "thread.item.added" && e["item"]["type"] == "workflow").unwrap();
    assert_eq!(added["item"]["workflow"]["type"], "reasoning");
    let done = events.iter().find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "workflow").unwrap();
    assert_eq!(done["item"]["workflow"]["tasks"][0]["content"], "**Looking up sources** for Rust.");
    assert!(done["item"]["workflow"]["summary"]["duration"].is_u64());
    let message = events.iter().find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message").unwrap();
    assert_eq!(message["item"]["content"][0]["annotations"][0]["source"]["url"], "https://doc.rust-lang.org/book/");
    assert!(updates.contains(&"assistant_message.content_part.annotation_added"));
    // The Responses message id is the ChatKit item id, as in the reference.
    assert_eq!(message["item"]["id"], "msg_68a1");
    let stored = items(&chatkit, &thread_id(&events)).await;
    assert!(stored.iter().any(|i| matches!(i, ThreadItem::AssistantMessage(m) if m.id.as_str() == "msg_68a1")));
}

#[tokio::test]
async fn a_generated_image_streams_its_partial_images_then_is_stored() {
    let server = MockModel::start(vec![Reply::fixture("responses_image_generation"), Reply::fixture("responses_reasoning_text")]).await;
    let chatkit = chatkit(&server, Api::Responses);
    let events = send(&chatkit, create(json!([{"type": "input_text", "text": "Draw a fox"}]), json!({}))).await;
    assert!(of_type(&events, "error").is_empty(), "{events:?}");
    let tools = server.received()[0].body["tools"].as_array().unwrap().clone();
    assert!(tools.contains(&json!({"type": "image_generation", "partial_images": 2})), "{tools:?}");

    let added = events.iter().position(|e| e["type"] == "thread.item.added" && e["item"]["type"] == "generated_image").unwrap();
    let image_id = events[added]["item"]["id"].as_str().unwrap().to_owned();
    assert!(events[added]["item"].get("image").is_none());
    let partials: Vec<&Value> = of_type(&events, "thread.item.updated").into_iter().filter(|e| e["item_id"] == image_id.as_str()).collect();
    assert_eq!(partials.len(), 2);
    for (partial, b64) in partials.iter().zip(["UEFSVElBTDA=", "UEFSVElBTDE="]) {
        assert_eq!(partial["update"]["type"], "generated_image.updated");
        assert_eq!(partial["update"]["image"], json!({"id": "ig_68c3", "url": format!("data:image/png;base64,{b64}")}));
        assert_eq!(partial["update"]["progress"], 0.0);
    }
    let done = events.iter().position(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "generated_image").unwrap();
    assert_eq!(events[done]["item"]["id"], image_id.as_str());
    assert_eq!(events[done]["item"]["image"], json!({"id": "ig_68c3", "url": "data:image/png;base64,RklOQUxQTkc="}));
    let answer = events.iter().position(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message").unwrap();
    assert!(added < done && done < answer);
    assert_eq!(events[answer]["item"]["id"], "msg_68c4");
    assert_eq!(events[answer]["item"]["content"][0]["text"], "Here is your fox.");

    let stored = items(&chatkit, &thread_id(&events)).await;
    let kinds: Vec<&str> = stored.iter().map(ThreadItem::kind).collect();
    assert_eq!(kinds, ["user_message", "generated_image", "assistant_message"]);
    let ThreadItem::GeneratedImage(image) = &stored[1] else { unreachable!() };
    assert_eq!(image.image.as_ref().unwrap().url, "data:image/png;base64,RklOQUxQTkc=");

    // The next request shows the model its image.
    let thread = thread_id(&events);
    let next = json!({"type": "threads.add_user_message", "params": {"thread_id": thread,
        "input": {"content": [{"type": "input_text", "text": "Thanks"}], "attachments": [], "inference_options": {}}}});
    send(&chatkit, next).await;
    let input = server.received()[1].body["input"].to_string();
    assert!(input.contains("data:image/png;base64,RklOQUxQTkc="), "{input}");
}

#[tokio::test]
async fn a_client_tool_call_stops_the_turn_and_its_output_continues_it() {
    let server = MockModel::start(vec![
        sse(tool_reply("call_color", "pick_color", "{}")),
        sse(text_reply(&["Nice, red."])),
    ])
    .await;
    let chatkit = chatkit(&server, Api::ChatCompletions);
    let events = send(&chatkit, create(json!([{"type": "input_text", "text": "pick a color"}]), json!({}))).await;
    let call = events.iter().find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "client_tool_call").unwrap();
    assert_eq!(call["item"]["call_id"], "call_color");
    assert_eq!(call["item"]["name"], "get_selected_color");
    assert_eq!(call["item"]["status"], "pending");
    assert_eq!(server.received().len(), 1);

    let output = json!({"type": "threads.add_client_tool_output", "params": {"thread_id": thread_id(&events), "result": {"color": "red"}}});
    let events = send(&chatkit, output).await;
    assert!(events.iter().any(|e| e["item"]["content"][0]["text"] == "Nice, red."));
    let second = server.received()[1].body.clone();
    let tool = second["messages"].as_array().unwrap().iter().find(|m| m["role"] == "tool").unwrap().clone();
    assert_eq!(tool, json!({"role": "tool", "tool_call_id": "call_color", "content": "{\"color\": \"red\"}"}));
}
