//! The news-guide app over real HTTP, driven as its page drives it: searches streaming article
//! lists, the page-aware summary, @-mentions, composer tools routing to the Event Finder and
//! the Puzzle Keeper, both widget actions, and the newspaper's API.

use std::sync::Arc;

use chatkit::{ChatKit, MemoryStore};
use chatkit_testing::events::{progress, replies as messages, widget};
use chatkit_testing::{TestServer, text};
use news_guide::App;
use serde_json::{Value, json};

/// The app, read from its front page (`article-id: featured`).
async fn start() -> TestServer {
    let chatkit = ChatKit::new(App::new(Arc::new(App::scripted_model())), MemoryStore::new());
    TestServer::start(news_guide::router(chatkit)).await.as_user("reader").with_header("article-id", "featured")
}

/// A new thread asked from the page `page` (sent as `article-id`), routed to the composer tool
/// `tool` if any: its id and events.
async fn create(server: &TestServer, content: Value, tool: Option<&str>, page: &str) -> (String, Vec<Value>) {
    let options = tool.map_or_else(|| json!({}), |id| json!({"tool_choice": {"id": id}}));
    server.with_header("article-id", page).create(content, options).await
}

/// The ids of the articles an article list shows.
fn listed(widget: &Value) -> Vec<String> {
    widget["children"].as_array().expect("a list").iter().filter_map(|i| i["key"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn a_search_streams_an_article_list_whose_view_button_is_answered() {
    let server = start().await;
    let (thread, events) = create(&server, text("What's trending right now?"), None, "featured").await;
    assert_eq!(progress(&events), ["Searching for tags: trending"]);
    assert_eq!(messages(&events), ["These stories match what you asked about:"], "the list ends the turn");
    let (item, list) = widget(&events);
    assert_eq!(listed(&list), ["cafe-emotional-support-espresso", "plant-babysitting"]);
    let title = events.iter().find(|e| e["type"] == "thread.updated").expect("a title");
    assert_eq!(title["thread"]["title"], "Foxhollow trending stories");

    // The page opens the article and forwards the client action.
    let open = json!({"type": news_guide::OPEN_ARTICLE, "handler": "client", "payload": {"id": "plant-babysitting"}});
    let events = server.act(&thread, Some(&item), &open).await;
    let said = messages(&events);
    assert_eq!(said.len(), 1);
    assert!(said[0].starts_with("Want a quick summary of _") && said[0].ends_with("_ or have any questions about it?"), "{}", said[0]);

    let bad = server.act(&thread, Some(&item), &json!({"type": news_guide::OPEN_ARTICLE, "payload": {"nope": 1}})).await;
    assert!(bad.iter().any(|e| e["type"] == "error"), "{bad:#?}");
}

#[tokio::test]
async fn this_page_is_the_article_the_reader_has_open() {
    let server = start().await;
    let (_, events) = create(&server, text("Give me a summary of this page."), None, "jazz-crosswalk").await;
    assert_eq!(progress(&events), ["Full article retrieved"]);
    let reply = messages(&events).pop().expect("a reply");
    assert!(reply.starts_with("_Crosswalk Button Plays Soft Jazz When Pressed"), "{reply}");
    assert!(reply.contains("jazz riff"), "the summary comes from the body: {reply}");

    let (_, events) = create(&server, text("Summarize this page"), None, "featured").await;
    assert_eq!(progress(&events), ["Page contents retrieved"]);
    assert!(messages(&events)[0].starts_with("The front page features:"), "{:?}", messages(&events));
}

#[tokio::test]
async fn mentions_become_references_the_agent_resolves() {
    let server = start().await;
    let article = json!([{"type": "input_text", "text": "Tell me about "},
        {"type": "input_tag", "id": "extremely-slow-bus", "text": "Extremely Slow Bus", "data": {"article_id": "extremely-slow-bus"}}]);
    let (_, events) = create(&server, article, None, "featured").await;
    assert_eq!(progress(&events), ["Loading article..."]);
    assert!(messages(&events)[0].contains("by Todd Harris"), "{:?}", messages(&events));

    let author = json!([{"type": "input_tag", "id": "author:elowen-wilder", "text": "Elowen Wilder",
        "data": {"type": "author", "author": "Elowen Wilder", "author_id": "elowen-wilder"}}, {"type": "input_text", "text": " latest stories?"}]);
    let (_, events) = create(&server, author, None, "featured").await;
    assert_eq!(progress(&events), ["Looking for articles by Elowen Wilder..."]);
    assert_eq!(messages(&events), ["Here is the latest from elowen-wilder:"]);
    assert_eq!(listed(&widget(&events).1), ["bench-orientation-debate", "transit-pass-machine-updated"]);
}

#[tokio::test]
async fn the_event_finder_tool_shows_a_timeline_whose_details_open_on_the_server() {
    let server = start().await;
    let (thread, events) = create(&server, text("Anything happening this weekend?"), Some(news_guide::TOOL_EVENT_FINDER), "featured").await;
    assert_eq!(progress(&events), ["Checking saturday events", "Checking sunday events"]);
    let (item, timeline) = widget(&events);
    assert_eq!(messages(&events), ["These 4 events fit what you asked for."]);
    let rows = timeline["children"].as_array().expect("a list");
    assert_eq!(rows.len(), 6, "two date headers and four events");
    let show = rows[2]["children"][0]["children"][0]["children"][0]["children"][2]["onClickAction"].clone();
    assert_eq!(show["payload"]["id"], "lantern-walk-session");

    let events = server.act(&thread, Some(&item), &show).await;
    let replaced = events.iter().find(|e| e["type"] == "thread.item.replaced").expect("the timeline is redrawn");
    let row = &replaced["item"]["widget"]["children"][2]["children"][0]["children"][0];
    assert!(row["children"][3]["value"].as_str().unwrap_or_default().starts_with("A twilight lantern stroll"), "{row}");
    assert_eq!(row["children"][0]["children"][2]["onClickAction"]["payload"]["is_selected"], true);

    // A selected event's button does nothing more.
    let mut again = show;
    again["payload"]["is_selected"] = json!(true);
    let events = server.act(&thread, Some(&item), &again).await;
    assert!(events.iter().all(|e| e["type"] != "thread.item.replaced"), "{events:#?}");
}

#[tokio::test]
async fn the_news_guide_delegates_and_the_puzzle_tool_routes() {
    let server = start().await;
    let (_, events) = create(&server, text("What events are happening on Saturday?"), None, "featured").await;
    assert_eq!(progress(&events), ["Checking saturday events"], "delegated to the Event Finder");
    assert_eq!(widget(&events).1["children"].as_array().map(Vec::len), Some(3));

    let (_, events) = create(&server, text("Two truths please"), Some(news_guide::TOOL_PUZZLE), "featured").await;
    let reply = messages(&events).pop().expect("a puzzle");
    assert!(reply.starts_with("Welcome to the Coffee Break Puzzle Corner!"), "{reply}");
    assert!(reply.contains("Which one is the lie?"), "{reply}");
    let title = events.iter().find(|e| e["type"] == "thread.updated").expect("a title");
    assert_eq!(title["thread"]["title"], "Coffee break puzzle");
}

#[tokio::test]
async fn a_typed_tool_command_calls_any_offered_tool_and_answers_with_its_result() {
    let server = start().await;
    let (thread, events) = create(&server, text(r#"/search_articles_by_tags {"tags": ["Parks"]}"#), None, "featured").await;
    assert_eq!(progress(&events), ["Searching for tags: parks"]);
    let said = messages(&events);
    assert_eq!(said.len(), 1, "the result is the answer: {said:?}");
    let result: Value = serde_json::from_str(&said[0]).expect("the tool's JSON result");
    let found = result["articles"].as_array().expect("articles");
    assert!(!found.is_empty() && found.iter().all(|a| a["tags"].as_array().is_some_and(|t| t.contains(&json!("parks")))), "{result}");

    // A widget tool shows its widget with the typed arguments.
    let show = r#"/show_article_list_widget {"articles": [{"id": "plant-babysitting"}], "message": "Picked for you:"}"#;
    let events = server.say(&thread, show).await;
    assert_eq!(listed(&widget(&events).1), ["plant-babysitting"]);
    assert_eq!(messages(&events), ["Picked for you:"]);

    // The tool's errors, a tool the agent does not offer and arguments that are not JSON are said.
    let events = server.say(&thread, r#"/search_articles_by_tags {"tags": [" "]}"#).await;
    assert_eq!(messages(&events), ["Error: Please provide at least one tag to search for."]);
    let events = server.say(&thread, r#"/search_events_by_date {"date": "2025-02-22"}"#).await;
    let said = messages(&events);
    assert!(said[0].starts_with("there is no tool `search_events_by_date` here; the tools are: "), "{said:?}");
    assert!(said[0].contains("search_articles_by_tags") && said[0].contains("delegate_to_event_finder"), "{said:?}");
    let events = server.say(&thread, "/get_article_by_id plant-babysitting").await;
    assert!(messages(&events)[0].starts_with("the arguments of /get_article_by_id must be a JSON object"), "{events:#?}");

    // The Event Finder's tools, through its composer tool.
    let command = text(r#"/search_events_by_date {"date": "2025-02-22"}"#);
    let (_, events) = create(&server, command, Some(news_guide::TOOL_EVENT_FINDER), "featured").await;
    let result: Value = serde_json::from_str(&messages(&events)[0]).expect("the tool's JSON result");
    let dates: Vec<&Value> = result["events"].as_array().expect("events").iter().map(|e| &e["date"]).collect();
    assert!(!dates.is_empty() && dates.iter().all(|d| *d == "2025-02-22"), "{result}");
}

#[tokio::test]
async fn the_newspaper_api() {
    let server = start().await;
    let featured: Value = server.get("/api/articles/featured").await.json().await.expect("JSON");
    assert_eq!(featured["articles"].as_array().map(Vec::len), Some(4));
    let tags: Value = server.get("/api/articles/tags").await.json().await.expect("JSON");
    let tags = tags["tags"].as_array().expect("tags");
    assert_eq!(tags.len(), 20, "twelve articles and eight authors");
    assert!(tags.iter().all(|t| t["preview"]["type"] == "Basic"));
    let author = tags.iter().find(|t| t["entity"]["id"] == "author:joan-li").expect("an author");
    assert_eq!(author["entity"]["data"], json!({"author": "Joan Li", "author_id": "joan-li", "type": "author"}));
    let article: Value = server.get("/api/articles/jazz-crosswalk").await.json().await.expect("JSON");
    assert!(article["article"]["content"].as_str().unwrap_or_default().contains("jazz riff"));
    let missing = server.get("/api/articles/nope").await;
    assert_eq!(missing.status(), 404);
    let cover = server.get("/api/articles/jazz-crosswalk/cover.svg").await;
    assert_eq!(cover.headers()["content-type"], "image/svg+xml");
    assert!(cover.text().await.expect("svg").starts_with("<svg"));
    assert_eq!(server.get("/api/authors/joan-li/avatar.svg").await.status(), 200);
    assert_eq!(server.get("/api/authors/nobody/avatar.svg").await.status(), 404);
}
