//! The planner over real HTTP, driven as its page drives it, on the offline scripted model.

use std::sync::Arc;

use chatkit::{ChatKit, MemoryStore};
use chatkit_agents::model::{ModelRequest, Recording, ScriptedModel};
use chatkit_testing::events::{done as done_of, effects, of_type, progress, replies};
use chatkit_testing::TestServer;
use metro_map::App;
use serde_json::{Value, json};

/// The planner on the scripted model, which remembers what it was asked.
async fn start() -> (TestServer, Recording<ScriptedModel>) {
    let model = Recording::new(App::scripted_model().delay(std::time::Duration::ZERO));
    let chatkit = ChatKit::new(App::new(Arc::new(model.clone())), MemoryStore::new());
    (TestServer::start(metro_map::router(chatkit)).await, model)
}

fn station_tag(id: &str, name: &str) -> Value {
    json!({"type": "input_tag", "id": id, "text": name, "group": "Stations", "interactive": true,
           "data": {"type": "station", "station_id": id, "name": name}})
}

/// The first model request of the last turn.
fn last_turn_request(model: &Recording<ScriptedModel>) -> ModelRequest {
    let title_free: Vec<ModelRequest> = model.requests().into_iter().filter(|r| !r.tools.is_empty()).collect();
    let last = title_free.iter().rposition(|r| !r.input.iter().any(|i| i["type"] == "function_call_output"));
    title_free[last.expect("a model call")].clone()
}

#[tokio::test]
async fn adding_a_station_through_the_line_picker() {
    let (planner, model) = start().await;
    let (thread, events) = planner.start_thread("I would like to add a new metro station.").await;
    let titles: Vec<&Value> = of_type(&events, "thread.updated").iter().map(|e| &e["thread"]["title"]).collect();
    assert_eq!(titles, [&json!("I would like to add a")]);
    assert_eq!(replies(&events), ["Which line should the new station join?"], "the picker ends the turn");
    let picker = done_of(&events, "widget")[0].clone();
    let picker_id = picker["id"].as_str().expect("id").to_owned();
    let rows = picker["widget"]["children"].as_array().expect("rows").clone();
    let names: Vec<&str> = rows.iter().map(|r| r["children"][1]["value"].as_str().expect("label")).collect();
    assert_eq!(names, ["Blue Line", "Purple Line", "Orange Line"]);
    let purple = rows[1]["onClickAction"].clone();
    assert_eq!(purple, json!({"type": "line.select", "payload": {"id": "purple"}, "handler": "server"}));

    // The server action: picker replaced, hidden context, a question, the placement mode.
    let events = planner.act(&thread, Some(&picker_id), &purple).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().expect("type")).collect();
    let replaced = kinds.iter().position(|k| *k == "thread.item.replaced").expect("replaced");
    let effect = kinds.iter().position(|k| *k == "client_effect").expect("effect");
    assert!(replaced < effect, "{kinds:?}");
    let chosen = &events[replaced]["item"];
    assert_eq!(chosen["id"], picker_id.as_str());
    assert_eq!(chosen["widget"]["children"][1]["children"][2]["name"], "check");
    assert!(chosen["widget"]["children"].as_array().expect("rows").iter().all(|r| r["onClickAction"].is_null()));
    assert_eq!(replies(&events), ["Would you like to add the station to the beginning or end of the line?"]);
    assert_eq!(effects(&events, "location_select_mode"), [json!({"lineId": "purple"})]);
    assert!(events.iter().all(|e| e["item"]["type"] != "hidden_context_item"), "hidden context is never sent");

    // The page's arrow sends this; the agent adds the station to the line picked above.
    let events = planner.say(&thread, "I would like to add the station to the end of the Purple Line line.").await;
    let asked = last_turn_request(&model);
    assert!(asked.input.iter().any(|i| i.to_string().contains("<LINE_SELECTED>purple</LINE_SELECTED>")), "{:#?}", asked.input);
    assert_eq!(progress(&events), ["Adding station..."]);
    let added = effects(&events, "add_station");
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["stationId"], "aurora");
    let purple_line = added[0]["map"]["lines"].as_array().expect("lines").iter().find(|l| l["id"] == "purple").cloned();
    assert_eq!(purple_line.expect("purple")["stations"].as_array().and_then(|s| s.last()), Some(&json!("aurora")));
    assert_eq!(
        replies(&events),
        ["Done: Added Aurora (id aurora) at the end of the Purple Line. The map now has 16 stations."]
    );

    // The page reads the same map; other users keep theirs.
    let (status, body) = planner.get_json("/api/map").await;
    assert_eq!(status, 200);
    assert_eq!(body["map"], added[0]["map"]);
    let aurora = body["map"]["stations"].as_array().expect("stations").iter().find(|s| s["id"] == "aurora").cloned();
    assert_eq!(aurora.map(|s| (s["x"].clone(), s["y"].clone())), Some((json!(6), json!(1))), "right of Lyra Verge");
    let (_, bob) = planner.as_user("bob").get_json("/api/map").await;
    assert_eq!(bob["map"]["stations"].as_array().map(Vec::len), Some(15));
}

#[tokio::test]
async fn a_new_pick_moves_the_next_station() {
    let (planner, _) = start().await;
    let (thread, events) = planner.start_thread("add a station please").await;
    let picker = done_of(&events, "widget")[0]["id"].as_str().expect("id").to_owned();
    planner.act(&thread, Some(&picker), &json!({"type": "line.select", "payload": {"id": "orange"}, "handler": "server"})).await;
    let events = planner.say(&thread, "At the beginning of the line, please.").await;
    assert_eq!(replies(&events), ["Done: Added Aurora (id aurora) at the beginning of the Orange Line. The map now has 16 stations."]);

    let events = planner.say(&thread, "And another station").await;
    let picker = done_of(&events, "widget")[0]["id"].as_str().expect("id").to_owned();
    planner.act(&thread, Some(&picker), &json!({"type": "line.select", "payload": {"id": "blue"}})).await;
    let events = planner.say(&thread, "the end of the line").await;
    assert_eq!(effects(&events, "add_station")[0]["stationId"], "aurora-2");
    assert_eq!(replies(&events), ["Done: Added Aurora (id aurora-2) at the end of the Blue Line. The map now has 17 stations."]);
}

#[tokio::test]
async fn adding_without_a_line_tells_the_model_to_ask() {
    let (planner, _) = start().await;
    let (_, events) = planner.start_thread("Put it at the end of the line").await;
    assert!(effects(&events, "add_station").is_empty());
    assert_eq!(replies(&events), ["Done: Error: No line was given and none was picked: call show_line_selector first."]);
}

#[tokio::test]
async fn station_mentions_reach_the_model_in_full() {
    let (planner, model) = start().await;
    let content = json!([{"type": "input_text", "text": "Tell me about the "}, station_tag("titan-border", "Titan Border"),
                         {"type": "input_text", "text": " station."}]);
    let (_, events) = planner.create(content, json!({})).await;
    let asked = last_turn_request(&model);
    let context = asked.input.iter().map(Value::to_string).find(|i| i.contains("<STATION_TAG>")).expect("a station tag");
    assert!(context.contains("id: titan-border\\nname: Titan Border\\ndescription: "), "{context}");
    assert!(context.contains("- Blue Line (id=blue, color=#06b6d4, orientation=horizontal)"), "{context}");
    let reply = replies(&events).pop().expect("a reply");
    assert!(reply.starts_with("Done: Titan Border (id titan-border; Blue Line): "), "{reply}");

    // An unknown station is said to be unknown.
    let content = json!([{"type": "input_text", "text": "What about "}, station_tag("atlantis", "Atlantis")]);
    planner.create(content, json!({})).await;
    let asked = last_turn_request(&model);
    assert!(asked.input.iter().any(|i| i.to_string().contains("name: Atlantis\\nstatus: not found")));
}

#[tokio::test]
async fn search_and_preview_for_mentions() {
    let (planner, _) = start().await;
    let (status, found) = planner.get_json("/api/stations?q=lyra").await;
    assert_eq!(status, 200);
    assert_eq!(
        found,
        json!([{"id": "lyra-verge", "title": "Lyra Verge", "icon": "map-pin", "group": "Stations", "interactive": true,
                "description": "Purple Line", "data": {"type": "station", "station_id": "lyra-verge", "name": "Lyra Verge"}}])
    );
    let (_, orange) = planner.get_json("/api/stations?q=Orange%20Line").await;
    assert_eq!(orange.as_array().map(Vec::len), Some(6));
    let (_, all) = planner.get_json("/api/stations").await;
    assert_eq!(all.as_array().map(Vec::len), Some(15));

    let (status, preview) = planner.get_json("/api/stations/orionis-gate/preview").await;
    assert_eq!(status, 200);
    assert_eq!(preview["preview"]["type"], "Card");
    assert!(preview["preview"].to_string().contains("Orange Line"));
    let (status, error) = planner.get_json("/api/stations/atlantis/preview").await;
    assert_eq!(status, 404);
    assert_eq!(error["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_route_is_an_answer_with_station_annotations() {
    let (planner, _) = start().await;
    let content = json!([{"type": "input_text", "text": "What's the quickest way from "}, station_tag("cinderia", "Cinderia"),
                         {"type": "input_text", "text": " to "}, station_tag("lyra-verge", "Lyra Verge"), {"type": "input_text", "text": "?"}]);
    let (_, events) = planner.create(content, json!({})).await;
    let messages = done_of(&events, "assistant_message");
    assert_eq!(messages.len(), 1, "the route is the answer");
    let part = &messages[0]["content"][0];
    let message = part["text"].as_str().expect("text");
    assert!(message.contains("10.6 light years"));
    let annotations = part["annotations"].as_array().expect("annotations");
    let ids: Vec<&str> = annotations.iter().map(|a| a["source"]["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["cinderia", "vega-reach", "orionis-gate", "sagan-halo", "lyra-verge"]);
    let first = &annotations[0];
    assert_eq!(first["source"]["type"], "entity");
    assert_eq!(first["source"]["data"], json!({"type": "station", "station_id": "cinderia", "name": "Cinderia"}));
    assert_eq!(first["source"]["interactive"], true);
    let end = message.find("Cinderia").expect("named") + "Cinderia".len();
    assert_eq!(first["index"], end, "anchored after the name");
    let titles: Vec<&Value> = of_type(&events, "thread.updated").iter().map(|e| &e["thread"]["title"]).collect();
    assert_eq!(titles, [&json!("What's the quickest way from @Cinderia")]);
}

#[tokio::test]
async fn the_page_answers_the_selection_client_tool() {
    let (planner, _) = start().await;
    let (thread, events) = planner.start_thread("Tell me about the stations I've selected").await;
    assert_eq!(progress(&events), ["Fetching selected stations from the map..."]);
    let call = done_of(&events, "client_tool_call");
    assert_eq!(call.len(), 1);
    assert_eq!(call[0]["name"], "get_selected_stations");
    assert_eq!(call[0]["status"], "pending");
    assert!(replies(&events).is_empty(), "the response waits for the page");

    let events = planner
        .stream(json!({"type": "threads.add_client_tool_output", "params": {"thread_id": thread,
            "result": {"stationIds": ["cinderia", "vega-reach"]}}}))
        .await;
    assert_eq!(replies(&events), [r#"Done: {"stationIds": ["cinderia", "vega-reach"]}"#]);
}

#[tokio::test]
async fn lines_and_stations_are_listed() {
    let (planner, _) = start().await;
    let (_, events) = planner.start_thread("Give me a short rundown of each line and where they cross.").await;
    let reply = replies(&events).pop().expect("a reply");
    assert!(reply.starts_with("Done: Blue Line (id blue, color #06b6d4): Helios Prime → Cinderia → Vega Reach"), "{reply}");
    assert_eq!(reply.lines().count(), 3);
}

#[tokio::test]
async fn bad_actions_are_errors_not_crashes() {
    let (planner, _) = start().await;
    let (thread, events) = planner.start_thread("new station").await;
    let picker = done_of(&events, "widget")[0]["id"].as_str().expect("id").to_owned();
    let cases = [
        (json!({"type": "line.select"}), "payload of action `line.select`"),
        (json!({"type": "line.select", "payload": {"id": 7}}), "payload of action `line.select` at `id`"),
        (json!({"type": "line.select", "payload": {"id": "green"}}), "There is no line `green`"),
        (json!({"type": "map.delete", "payload": {}}), "Unknown action `map.delete`"),
    ];
    for (action, message) in cases {
        let events = planner.act(&thread, Some(&picker), &action).await;
        let error = of_type(&events, "error");
        assert_eq!(error.len(), 1, "{action}: {events:#?}");
        assert!(error[0]["message"].as_str().is_some_and(|m| m.contains(message)), "{action}: {}", error[0]);
        assert!(of_type(&events, "thread.item.replaced").is_empty());
    }
}

/// `POST /api/stations` (the page's form) with a raw `body` and content type: status and JSON.
async fn post_station(planner: &TestServer, content_type: &str, body: &str) -> (u16, Value) {
    let request = planner.client().post(format!("{}/api/stations", planner.base()));
    let request = request.header("x-user-id", planner.user()).header("content-type", content_type).body(body.to_owned());
    let response = request.send().await.expect("the server answers POST /api/stations");
    (response.status().as_u16(), response.json().await.expect("a JSON answer"))
}

#[tokio::test]
async fn the_add_station_form_saves_like_the_assistant() {
    let (planner, _) = start().await;
    let form = json!({"station_name": "  solstice   POINT ", "line_id": "orange"}).to_string();
    let (status, added) = post_station(&planner, "application/json", &form).await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(
        added["station"],
        json!({"id": "solstice-point", "name": "Solstice Point", "x": 3, "y": 3, "description": "", "lines": ["orange"]}),
        "below Farpoint Prime, the end of the vertical Orange Line"
    );
    let orange = added["map"]["lines"].as_array().expect("lines").iter().find(|l| l["id"] == "orange").cloned().expect("orange");
    assert_eq!(orange["stations"].as_array().and_then(|s| s.last()), Some(&json!("solstice-point")));
    let (_, map) = planner.get_json("/api/map").await;
    assert_eq!(map["map"], added["map"], "saved in the user's map");
    let (_, bob) = planner.as_user("bob").get_json("/api/map").await;
    assert_eq!(bob["map"]["stations"].as_array().map(Vec::len), Some(15));

    // At the beginning, by line name; the same name gets the next id, as the assistant's tool gives.
    let form = json!({"station_name": "Solstice Point", "line_id": "Blue Line", "append": false}).to_string();
    let (status, added) = post_station(&planner, "application/json; charset=utf-8", &form).await;
    assert_eq!(status, 201, "{added}");
    assert_eq!((&added["station"]["id"], &added["station"]["x"], &added["station"]["y"]), (&json!("solstice-point-2"), &json!(-1), &json!(-1)));
    let (thread, _) = planner.start_thread("add a station").await;
    let events = planner.act(&thread, None, &json!({"type": "line.select", "payload": {"id": "purple"}})).await;
    assert_eq!(effects(&events, "location_select_mode").len(), 1);
    let events = planner.say(&thread, "at the end of the line").await;
    let map = &effects(&events, "add_station")[0]["map"];
    assert_eq!(map["stations"].as_array().map(Vec::len), Some(18), "the assistant sees the form's stations: {map}");
}

#[tokio::test]
async fn bad_add_station_forms_are_4xx_errors_naming_the_field() {
    let (planner, _) = start().await;
    let long = "x".repeat(metro_map::MAX_NAME + 1);
    let cases = [
        (json!({"line_id": "blue"}), "invalid_field", Some("station_name"), "`station_name` must be a string."),
        (json!({"station_name": 7, "line_id": "blue"}), "invalid_field", Some("station_name"), "`station_name` must be a string."),
        (json!({"station_name": "  ", "line_id": "blue"}), "invalid_field", Some("station_name"), "A station needs a name."),
        (json!({"station_name": long, "line_id": "blue"}), "invalid_field", Some("station_name"), "A station name has at most 40 characters."),
        (json!({"station_name": "Nova"}), "invalid_field", Some("line_id"), "`line_id` must be a string."),
        (json!({"station_name": "Nova", "line_id": ["blue"]}), "invalid_field", Some("line_id"), "`line_id` must be a string."),
        (json!({"station_name": "Nova", "line_id": "green"}), "unknown_line", Some("line_id"), "Line 'green' is not found."),
        (json!({"station_name": "Nova", "line_id": "blue", "append": "yes"}), "invalid_field", Some("append"), "`append` must be true or false."),
        (json!(["Nova", "blue"]), "invalid_json", None, "The body must be a JSON object."),
    ];
    for (form, code, field, message) in cases {
        let (status, body) = post_station(&planner, "application/json", &form.to_string()).await;
        assert_eq!(status, 400, "{form}: {body}");
        assert_eq!(body["error"]["code"], code, "{form}: {body}");
        assert_eq!(body["error"]["field"].as_str(), field, "{form}: {body}");
        assert_eq!(body["error"]["message"], message, "{form}: {body}");
    }
    let (status, body) = post_station(&planner, "application/json", r#"{"station_name": "Nova","#).await;
    assert_eq!((status, &body["error"]["code"]), (400, &json!("invalid_json")), "{body}");
    let (status, body) = post_station(&planner, "text/plain", r#"{"station_name": "Nova", "line_id": "blue"}"#).await;
    assert_eq!((status, &body["error"]["code"]), (415, &json!("unsupported_media_type")), "{body}");
    let (_, map) = planner.get_json("/api/map").await;
    assert_eq!(map["map"]["stations"].as_array().map(Vec::len), Some(15), "nothing was added");
}
