//! The task board over real HTTP: every pattern, driven as the web client drives it.

use std::ops::Deref;
use std::sync::Arc;

use chatkit::{ChatKit, MemoryStore, RequestContext, Store};
use chatkit_testing::events::{effects, of_type, reply, widget};
use chatkit_testing::{TestServer, text};
use serde_json::{Value, json};
use task_board::TaskBoard;

/// The board served, and the engine behind it, to read what it stored.
struct App {
    http: TestServer,
    chatkit: ChatKit<TaskBoard>,
}

impl Deref for App {
    type Target = TestServer;
    fn deref(&self) -> &TestServer {
        &self.http
    }
}

async fn start() -> App {
    start_with(TaskBoard::offline(), Arc::new(MemoryStore::new())).await
}

async fn start_with(app: TaskBoard, store: Arc<dyn Store<RequestContext>>) -> App {
    let chatkit = ChatKit::with_store(app, store);
    App { http: TestServer::start(task_board::router(chatkit.clone())).await, chatkit }
}

impl App {
    /// The thread's board, as stored.
    async fn board(&self, thread: &str) -> task_board::Board {
        let stored = self.chatkit.store().load_thread(&thread.into(), &RequestContext::new(self.user())).await;
        task_board::Board::of_thread(&stored.expect("the thread")).expect("its board")
    }
}

/// The first action config of `kind` inside a widget whose payload names `task`.
fn action_in(widget: &Value, kind: &str, task: &str) -> Value {
    fn walk(node: &Value, kind: &str, task: &str) -> Option<Value> {
        match node {
            Value::Object(map) => {
                if map.get("type").and_then(Value::as_str) == Some(kind)
                    && map.get("payload").and_then(|p| p.get("taskId")).and_then(Value::as_str) == Some(task)
                {
                    return Some(node.clone());
                }
                map.values().find_map(|v| walk(v, kind, task))
            }
            Value::Array(items) => items.iter().find_map(|v| walk(v, kind, task)),
            _ => None,
        }
    }
    walk(widget, kind, task).unwrap_or_else(|| panic!("no {kind} for {task} in {widget}"))
}

#[tokio::test]
async fn help_names_the_thread_and_streams_the_reply() {
    let app = start().await;
    let (_, events) = app.start_thread("help").await;
    let titles: Vec<&Value> = of_type(&events, "thread.updated").iter().map(|e| &e["thread"]["title"]).collect();
    assert_eq!(titles, vec![&json!("Help")]);
    assert!(reply(&events).contains("add task"));
    assert!(of_type(&events, "thread.item.updated").len() > 3, "the reply is streamed in pieces");
}

#[tokio::test]
async fn tool_shows_the_task_list_with_server_and_client_actions() {
    let app = start().await;
    let (_, events) = app.start_thread("show tasks").await;
    assert_eq!(of_type(&events, "progress_update").len(), 1);
    let (_, list) = widget(&events);
    assert_eq!(list["type"], "ListView");
    assert_eq!(list["status"]["text"], "All tasks · 3 open, 0 done");
    assert_eq!(action_in(&list, "task.toggle", "task-1")["handler"], "server");
    assert_eq!(action_in(&list, "task.select", "task-1")["handler"], "client");
    assert_eq!(action_in(&list, "task.open", "task-1")["handler"], "client");
    assert_eq!(reply(&events), "3 of 3 tasks on the board are open.");
}

#[tokio::test]
async fn toggle_replaces_the_list_records_hidden_context_and_updates_the_page() {
    let app = start().await;
    let (thread, events) = app.start_thread("show tasks").await;
    let (item, list) = widget(&events);
    let toggle = action_in(&list, "task.toggle", "task-1");

    let events = app.act(&thread, Some(&item), &toggle).await;
    let replaced = of_type(&events, "thread.item.replaced");
    assert_eq!(replaced.len(), 1);
    assert_eq!(replaced[0]["item"]["id"], item.as_str(), "replaced in place");
    let new_list = &replaced[0]["item"]["widget"];
    assert_eq!(new_list["status"]["text"], "All tasks · 2 open, 1 done");
    assert!(new_list.to_string().contains("\"Reopen\""));
    let board = effects(&events, "board.updated");
    assert_eq!(board.len(), 1);
    assert_eq!(board[0]["tasks"][0]["done"], true);
    assert!(events.iter().all(|e| e["item"]["type"] != "hidden_context_item"), "hidden context is never sent");
    assert!(app.board(&thread).await.tasks()[0].done);

    // The page sees the same list when it reloads the thread.
    let thread_json = app.json(json!({"type": "threads.get_by_id", "params": {"thread_id": thread}})).await;
    let stored = thread_json["items"]["data"].as_array().expect("items").iter().find(|i| i["id"] == item.as_str()).cloned();
    assert_eq!(stored.expect("widget stored")["widget"], *new_list);

    // The next turn uses the hidden context.
    let events = app.say(&thread, "what did I do?").await;
    assert_eq!(reply(&events), "Here is what you did in this chat:\n- You completed “Write the release notes”");

    // Toggling again (from the replaced widget) reopens it.
    let toggle = action_in(new_list, "task.toggle", "task-1");
    let events = app.act(&thread, Some(&item), &toggle).await;
    assert_eq!(of_type(&events, "thread.item.replaced")[0]["item"]["widget"]["status"]["text"], "All tasks · 3 open, 0 done");
    let events = app.say(&thread, "recap").await;
    assert!(reply(&events).ends_with("- You reopened “Write the release notes”"));
}

#[tokio::test]
async fn forwarded_client_action_marks_the_selection() {
    let app = start().await;
    let (thread, events) = app.start_thread("show tasks for Alan").await;
    let (item, list) = widget(&events);
    assert_eq!(list["status"]["text"], "Alan's tasks · 1 open, 0 done");
    // The page handles task.select itself, then forwards it with sendCustomAction.
    let select = action_in(&list, "task.select", "task-2");
    let events = app.act(&thread, Some(&item), &select).await;
    let new_list = &of_type(&events, "thread.item.replaced")[0]["item"]["widget"];
    assert!(new_list.to_string().contains("\"Selected\""));
    assert_eq!(new_list["status"]["text"], "Alan's tasks · 1 open, 0 done", "the view survives the redraw");
    let events = app.say(&thread, "recap").await;
    assert!(reply(&events).contains("You looked at “Review the widget designs”"));
}

#[tokio::test]
async fn client_only_actions_and_bad_payloads_are_errors_not_crashes() {
    let app = start().await;
    let (thread, events) = app.start_thread("show tasks").await;
    let (item, list) = widget(&events);
    let events = app.act(&thread, Some(&item), &action_in(&list, "task.open", "task-1")).await;
    let errors = of_type(&events, "error");
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["message"].as_str().expect("message").contains("handled by the page"));
    let events = app.act(&thread, Some(&item), &json!({"type": "task.toggle", "payload": {"task": 1}})).await;
    assert!(of_type(&events, "error")[0]["message"].as_str().expect("message").contains("taskId"));
    let events = app.act(&thread, Some(&item), &json!({"type": "task.toggle", "payload": {"taskId": "task-99"}})).await;
    assert_eq!(of_type(&events, "error")[0]["message"], "That task no longer exists.");
    assert_eq!(app.board(&thread).await.open_count(), 3);
}

#[tokio::test]
async fn form_submit_adds_a_task_once() {
    let app = start().await;
    let (thread, events) = app.start_thread("new task for alan").await;
    let (item, form) = widget(&events);
    assert_eq!(form["type"], "Card");
    assert!(form.to_string().contains(r#""defaultValue":"alan""#));
    let submit = json!({"type": "task.create", "payload": {"title": "  ", "assignee": "alan"}});
    let events = app.act(&thread, Some(&item), &submit).await;
    assert_eq!(of_type(&events, "error")[0]["message"], "A task needs a title.");

    let submit = json!({"type": "task.create", "payload": {"title": "Sketch the logo", "assignee": "alan"}});
    let events = app.act(&thread, Some(&item), &submit).await;
    let replaced = &of_type(&events, "thread.item.replaced")[0]["item"]["widget"];
    assert!(replaced.to_string().contains("Added “Sketch the logo”"));
    assert!(!replaced.to_string().contains("\"Form\""));
    assert_eq!(effects(&events, "board.updated")[0]["tasks"].as_array().expect("tasks").len(), 4);
    assert!(reply(&events).starts_with("Added “Sketch the logo”"));

    let events = app.act(&thread, Some(&item), &submit).await;
    assert_eq!(reply(&events), "This form was already submitted.");
    let board = app.board(&thread).await;
    assert_eq!(board.tasks().len(), 4);
    assert_eq!(board.tasks()[3].assignee.as_deref(), Some("alan"));
}

#[tokio::test]
async fn mentions_search_preview_and_act() {
    let app = start().await;
    let (status, found) = app.get_json("/api/entities?q=gra").await;
    assert_eq!(status, 200);
    assert_eq!(found, json!([{"id": "grace", "title": "Grace", "icon": "profile", "group": "People",
                               "interactive": true, "data": {"type": "person"}}]));
    let (_, found) = app.get_json("/api/entities?q=launch").await;
    assert_eq!(found[0]["id"], "task-3");
    assert_eq!(found[0]["group"], "Tasks");
    let (status, preview) = app.get_json("/api/entities/task-1/preview").await;
    assert_eq!(status, 200);
    assert_eq!(preview["preview"]["type"], "Basic");
    assert!(preview.to_string().contains("Assigned to Ada"));
    let (_, preview) = app.get_json("/api/entities/ada/preview").await;
    assert!(preview.to_string().contains("1 open, 0 done"));
    let (status, missing) = app.get_json("/api/entities/nobody/preview").await;
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["code"], "not_found");

    let content = json!([
        {"type": "input_text", "text": "assign "},
        {"type": "input_tag", "id": "task-3", "text": "Plan the launch demo", "data": {"type": "task"}, "interactive": true},
        {"type": "input_text", "text": " to "},
        {"type": "input_tag", "id": "grace", "text": "Grace", "data": {"type": "person"}, "interactive": true}
    ]);
    let (thread, events) = app.create(content, json!({})).await;
    assert_eq!(reply(&events), "Assigned “Plan the launch demo” to Grace.");
    assert_eq!(of_type(&events, "thread.updated")[0]["thread"]["title"], "Assign @Plan the launch demo to @Grace");
    assert_eq!(app.board(&thread).await.tasks()[2].assignee.as_deref(), Some("grace"));
    let (_, preview) = app.get_json(&format!("/api/entities/grace/preview?thread={thread}")).await;
    assert!(preview.to_string().contains("1 open, 0 done"));
    let (_, preview) = app.get_json("/api/entities/grace/preview").await;
    assert!(preview.to_string().contains("0 open, 0 done"), "a new thread's board");
}

#[tokio::test]
async fn composer_tools_route_the_message() {
    let app = start().await;
    let (thread, events) = app.create(text("Water the plants"), json!({"tool_choice": {"id": "new_task"}})).await;
    assert_eq!(reply(&events), "Added “Water the plants”.");
    let user = &of_type(&events, "thread.item.done")[0]["item"];
    assert_eq!(user["inference_options"]["tool_choice"]["id"], "new_task");
    let events = app
        .stream(json!({"type": "threads.add_user_message", "params": {"thread_id": thread, "input": {
            "content": [{"type": "input_tag", "id": "ada", "text": "Ada", "data": {"type": "person"}}],
            "attachments": [], "inference_options": {"tool_choice": {"id": "board"}}}}}))
        .await;
    assert_eq!(widget(&events).1["status"]["text"], "Ada's tasks · 1 open, 0 done");
    assert_eq!(app.board(&thread).await.tasks().len(), 4);
}

#[tokio::test]
async fn feedback_is_recorded_and_retry_does_not_duplicate() {
    let app = start().await;
    let (thread, events) = app.start_thread("add task Buy milk for Grace").await;
    assert_eq!(reply(&events), "Added “Buy milk” for Grace.");
    assert_eq!(effects(&events, "board.updated").len(), 1);
    let message = of_type(&events, "thread.item.done")[0]["item"]["id"].as_str().expect("user message id").to_owned();
    let answer = events
        .iter()
        .rev()
        .find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message")
        .and_then(|e| e["item"]["id"].as_str())
        .expect("assistant message")
        .to_owned();

    let ok = app
        .json(json!({"type": "items.feedback", "params": {"thread_id": thread, "item_ids": [answer], "kind": "negative"}}))
        .await;
    assert_eq!(ok, json!({}));
    let feedback = app.chatkit.server().feedback();
    assert_eq!(feedback.len(), 1);
    assert_eq!(feedback[0].item_id.as_str(), answer);
    assert_eq!(serde_json::to_value(feedback[0].kind).expect("kind"), "negative");

    let events = app.stream(json!({"type": "threads.retry_after_item", "params": {"thread_id": thread, "item_id": message}})).await;
    assert_eq!(reply(&events), "Added “Buy milk” for Grace.");
    let milk = app.board(&thread).await.tasks().iter().filter(|t| t.title == "Buy milk").count();
    assert_eq!(milk, 1, "a retried message does not add its task twice");
}

#[tokio::test]
async fn boards_belong_to_their_threads_and_users() {
    let app = start().await;
    let (thread, _) = app.start_thread("add task Alice's secret").await;
    let (status, board) = app.get_json(&format!("/api/board?thread={thread}")).await;
    assert_eq!(status, 200);
    assert_eq!(board["tasks"][3]["title"], "Alice's secret");
    assert_eq!(board["people"].as_array().expect("people").len(), 3);
    let (_, found) = app.get_json(&format!("/api/entities?q=secret&thread={thread}")).await;
    assert_eq!(found[0]["title"], "Alice's secret");
    // Another thread (and the start screen) has its own board.
    let (_, board) = app.get_json("/api/board").await;
    assert_eq!(board["tasks"].as_array().expect("tasks").len(), 3);
    let (other, _) = app.start_thread("show tasks").await;
    assert_eq!(app.board(&other).await.tasks().len(), 3);
    // Someone else's thread does not exist for bob.
    let bob = app.as_user("bob");
    for path in [format!("/api/board?thread={thread}"), format!("/api/entities?q=secret&thread={thread}"),
                 format!("/api/entities/task-4/preview?thread={thread}")] {
        let (status, body) = bob.get_json(&path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn boards_survive_a_restart_of_the_app() {
    let store: Arc<dyn Store<RequestContext>> = Arc::new(MemoryStore::new());
    let first = start_with(TaskBoard::offline(), store.clone()).await;
    let (thread, _) = first.start_thread("add task Water the plants for Grace").await;
    // A new app on the same store (as after a restart) finds the board in the thread.
    let second = start_with(TaskBoard::offline(), store).await;
    let (_, board) = second.get_json(&format!("/api/board?thread={thread}")).await;
    assert_eq!(board["tasks"][3]["title"], "Water the plants");
    let events = second.say(&thread, "complete water the plants").await;
    assert_eq!(reply(&events), "Marked “Water the plants” as done.");
    assert!(second.board(&thread).await.tasks()[3].done);
}

/// A tool from elsewhere (as MCP tools are given to the app), called by a model.
struct Weather;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct WeatherArgs {
    /// The city.
    city: String,
}

impl chatkit_agents::FunctionTool<RequestContext> for Weather {
    type Args = WeatherArgs;

    fn name(&self) -> &str {
        "weather"
    }

    fn description(&self) -> &str {
        "The weather in a city"
    }

    async fn run(
        &self,
        _ctx: &mut chatkit_agents::ToolContext<'_, RequestContext>,
        args: WeatherArgs,
    ) -> Result<String, chatkit_agents::ToolError> {
        Ok(format!("Sunny in {}.", args.city))
    }
}

#[tokio::test]
async fn a_model_calls_the_board_tools_and_extra_ones() {
    use chatkit_agents::model::ScriptedModel;
    let model = ScriptedModel::new()
        .rule("weather", "weather", json!({"city": "Paris"}))
        .rule("board", "list_tasks", json!({"assignee": "Ada"}))
        .rule("plants", "add_task", json!({"title": "Water the plants", "assignee": "grace"}));
    let extra: Arc<dyn chatkit_agents::Tool<RequestContext>> = Arc::new(chatkit_agents::tools::Typed(Weather));
    let app = start_with(TaskBoard::new(Arc::new(model)).with_tools([extra]), Arc::new(MemoryStore::new())).await;
    let (thread, events) = app.start_thread("What's the weather?").await;
    assert_eq!(reply(&events), "Done: Sunny in Paris.");
    let events = app.say(&thread, "Show the board").await;
    assert_eq!(widget(&events).1["status"]["text"], "Ada's tasks · 1 open, 0 done");
    let events = app.say(&thread, "The plants need water").await;
    assert_eq!(reply(&events), "Done: Added “Water the plants” for Grace.");
    assert_eq!(effects(&events, "board.updated")[0]["tasks"].as_array().expect("tasks").len(), 4);
    assert_eq!(app.board(&thread).await.tasks()[3].assignee.as_deref(), Some("grace"));
}

#[tokio::test]
async fn unknown_phrasing_gets_a_hint() {
    let app = start().await;
    let (_, events) = app.start_thread("sing me a song").await;
    assert!(reply(&events).contains("help"));
    let (_, events) = app.start_thread("complete the moon landing").await;
    assert_eq!(reply(&events), "I couldn't find a task matching “the moon landing”.");
}
