//! The customer-support app over real HTTP, driven as the web client drives it: every tool,
//! every action, the chained flight pickers, the side panel's account, attachments, feedback.

use std::ops::Deref;
use std::sync::Arc;

use chatkit::{ChatKit, MemoryStore};
use chatkit_agents::model::Recording;
use chatkit_store::attachments::LocalFileAttachments;
use chatkit_testing::TestServer;
use chatkit_testing::events::{replies as messages, widgets};
use customer_support::{App, SupportScript};
use serde_json::{Value, json};

/// The app served with its attachments, on the scripted model, which records every request.
struct Server {
    http: TestServer,
    chatkit: ChatKit<App>,
    model: Recording<SupportScript>,
    _files: TempDir,
}

impl Deref for Server {
    type Target = TestServer;
    fn deref(&self) -> &TestServer {
        &self.http
    }
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn start() -> Server {
    let model = Recording::new(SupportScript);
    let mut parts = None;
    let http = TestServer::start_with(|base| {
        let port = base.rsplit(':').next().unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("customer-support-test-{}-{port}", std::process::id()));
        let files = LocalFileAttachments::new(&dir, format!("{base}/attachments"));
        let chatkit = ChatKit::new(App::new(Arc::new(model.clone())), MemoryStore::new()).attachment_store(files.clone());
        parts = Some((chatkit.clone(), dir));
        customer_support::router(chatkit).nest("/attachments", chatkit_store::attachments::router(files))
    })
    .await
    .as_user("jordan");
    let (chatkit, dir) = parts.expect("the router was built");
    Server { http, chatkit, model, _files: TempDir(dir) }
}

impl Server {
    async fn customer(&self, thread: Option<&str>, user: &str) -> (u16, Value) {
        let path = thread.map_or_else(|| "/api/customer".to_owned(), |t| format!("/api/customer?thread_id={t}"));
        self.as_user(user).get_json(&path).await
    }
}

/// The input of the last request that offered tools (not a title request).
fn last_input(model: &Recording<SupportScript>) -> String {
    let request = model.requests().into_iter().rev().find(|r| !r.tools.is_empty()).expect("a model call");
    serde_json::to_string(&request.input).expect("json")
}

/// The profile of the last `customer_profile/update` effect.
fn effect_profile(events: &[Value]) -> Value {
    events
        .iter()
        .rev()
        .find(|e| e["type"] == "client_effect" && e["name"] == customer_support::PROFILE_EFFECT)
        .map(|e| e["data"]["profile"].clone())
        .unwrap_or_else(|| panic!("no profile effect in {events:#?}"))
}

/// The widget that replaced the sender (`thread.item.replaced`).
fn replaced(events: &[Value]) -> Value {
    events
        .iter()
        .find(|e| e["type"] == "thread.item.replaced" && e["item"]["type"] == "widget")
        .map(|e| e["item"]["widget"].clone())
        .unwrap_or_else(|| panic!("no widget replacement in {events:#?}"))
}

fn error_message(events: &[Value]) -> String {
    events.iter().find(|e| e["type"] == "error").and_then(|e| e["message"].as_str()).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn meal_picker_sets_the_meal_locks_and_informs_the_next_turn() {
    let server = start().await;
    let (thread, events) = server.start_thread("Set my meal preference.").await;
    assert_eq!(messages(&events), ["Please select your meal preference."], "the picker ends the turn");
    let title = events.iter().find(|e| e["type"] == "thread.updated").expect("a title");
    assert_eq!(title["thread"]["title"], "Meal preference update");
    let (picker, widget) = widgets(&events).pop().expect("the meal picker");
    let kosher = widget["children"][1]["onClickAction"].clone();
    assert_eq!(kosher["payload"], json!({"meal": "kosher"}));

    let events = server.act(&thread, Some(&picker), &kosher).await;
    let locked = replaced(&events);
    assert!(locked["children"].as_array().expect("list").iter().all(|i| i["onClickAction"].is_null()), "{locked}");
    assert_eq!(locked["children"][1]["children"][0]["children"][0]["name"], "check");
    assert_eq!(messages(&events), ["Your meal preference has been updated to \"Kosher\"."]);
    assert_eq!(effect_profile(&events)["meal_preference"], "Kosher");
    assert!(events.iter().all(|e| e["item"]["type"] != "hidden_context_item"), "hidden context is not sent");

    let (status, customer) = server.customer(Some(&thread), "jordan").await;
    assert_eq!(status, 200);
    assert_eq!(customer["customer"]["meal_preference"], "Kosher");
    assert_eq!(customer["customer"]["timeline"][0]["entry"], "Meal preference updated to Kosher.");

    // The next turn's model reads the hidden record of the click.
    let events = server.say(&thread, "What did I pick?").await;
    assert_eq!(messages(&events), ["In this chat you set your meal preference to kosher."]);
    assert!(last_input(&server.model).contains("support.set_meal_preference payload: kosher"));
    assert!(last_input(&server.model).contains("Meal Preference: Kosher"), "the profile block is current");
}

#[tokio::test]
async fn flight_pickers_chain_from_outbound_to_return() {
    let server = start().await;
    let (thread, events) = server.start_thread("Book a trip to Paris in business class, 2025-12-01 to 2025-12-09.").await;
    assert!(events.iter().any(|e| e["type"] == "progress_update" && e["text"] == "Searching SFO → CDG…"), "{events:#?}");
    let (outbound, widget) = widgets(&events).pop().expect("the flight picker");
    let options = widget["children"].as_array().expect("list");
    assert_eq!(options.len(), 3);
    let midday = options[1]["onClickAction"].clone();
    assert_eq!(midday["payload"]["leg"], "outbound");
    assert_eq!(midday["payload"]["request"]["destination"], "CDG");
    assert_eq!(effect_profile(&events)["timeline"][0]["entry"], "Booking request for SFO → CDG (2025-12-01 to 2025-12-09).");

    let events = server.act(&thread, Some(&outbound), &midday).await;
    let said = messages(&events);
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said[0].starts_with("Scheduled: Business SFO → CDG on Mon, Dec 1 departing 12:35 (arrives 21:05); return on 2025-12-09. Seat "), "{}", said[0]);
    assert!(said[0].ends_with("I'll surface a few returns now."));
    assert_eq!(said[1], "Here are return options that line up with your trip:");
    let locked = replaced(&events);
    assert_eq!(locked["children"].as_array().map(Vec::len), Some(1));
    assert_eq!(locked["children"][0]["onClickAction"], Value::Null);
    let (returns, widget) = widgets(&events).pop().expect("the return picker");
    let late = widget["children"][2]["onClickAction"].clone();
    assert_eq!((late["payload"]["leg"].as_str(), late["payload"]["request"]["origin"].as_str()), (Some("return"), Some("CDG")));
    let profile = effect_profile(&events);
    let flights: Vec<&str> = profile["segments"].as_array().expect("segments").iter().filter_map(|s| s["flight_number"].as_str()).collect();
    assert_eq!(flights, ["OA476", "OA477", "OA917"]);

    // The locked picker books nothing twice.
    let events = server.act(&thread, Some(&outbound), &midday).await;
    assert_eq!(messages(&events), ["That flight is already booked; pick from the newest options to book another."]);

    let events = server.act(&thread, Some(&returns), &late).await;
    let said = messages(&events);
    assert_eq!(said.len(), 1);
    assert!(said[0].ends_with("Return scheduled. Want me to watch for upgrades?"), "{}", said[0]);
    assert!(widgets(&events).is_empty(), "no third picker");
    assert_eq!(effect_profile(&events)["segments"][3]["flight_number"], "OA927");

    let events = server.say(&thread, "What did I pick?").await;
    assert_eq!(
        messages(&events),
        ["In this chat you booked the outbound SFO → CDG flight at 12:35, then booked the return CDG → SFO flight at 21:55."]
    );
}

#[tokio::test]
async fn account_tools_update_the_side_panel() {
    let server = start().await;
    let (thread, events) = server.start_thread("Move me to seat 3A on flight OA477.").await;
    assert_eq!(messages(&events), ["Seat updated to 3A on flight OA477."]);
    assert_eq!(effect_profile(&events)["segments"][1]["seat"], "3A");
    assert_eq!(events.iter().find(|e| e["type"] == "thread.updated").expect("title")["thread"]["title"], "Seat change request");

    let events = server.say(&thread, "Add one more checked bag to the reservation.").await;
    assert_eq!(messages(&events), ["Checked bag added. You now have 1 bag(s) checked."]);
    assert_eq!(effect_profile(&events)["bags_checked"], 1);
    assert!(events.iter().all(|e| e["type"] != "thread.updated"), "the title is set once");

    let events = server.say(&thread, "I need wheelchair assistance for the gate transfer.").await;
    assert_eq!(messages(&events), ["Assistance request recorded. Airport staff will be notified."]);
    assert_eq!(effect_profile(&events)["special_assistance"], "the gate transfer");

    let events = server.say(&thread, "Move me to seat 2B on flight ZZ123.").await;
    assert_eq!(messages(&events), ["Error: Flight ZZ123 is not on the customer's itinerary."], "the model is told, and says so");

    let events = server.say(&thread, "Cancel my upcoming trip and request a refund.").await;
    assert!(messages(&events)[0].starts_with("The reservation has been cancelled."));
    let profile = effect_profile(&events);
    assert!(profile["segments"].as_array().expect("segments").iter().all(|s| s["status"] == "Cancelled"));
    assert_eq!(profile["timeline"][0]["kind"], "warning");

    let events = server.say(&thread, "Give me a quick overview of my account.").await;
    let greeting = &messages(&events)[0];
    assert!(greeting.starts_with("Hi Jordan! As an Aviator Gold member"), "{greeting}");
    assert!(greeting.contains("you have 1 checked bag(s)"), "the profile block is read: {greeting}");
}

#[tokio::test]
async fn a_typed_tool_command_calls_any_offered_tool_and_answers_with_its_result() {
    let server = start().await;
    let (thread, events) = server.start_thread(r#"/change_seat {"flight_number": "OA476", "seat": "2A"}"#).await;
    assert_eq!(messages(&events), ["Seat updated to 2A on flight OA476."]);
    assert_eq!(effect_profile(&events)["segments"][0]["seat"], "2A");

    // A tool without arguments, and a picker, which shows its widget and ends the turn.
    let events = server.say(&thread, "/add_checked_bag").await;
    assert_eq!(messages(&events), ["Checked bag added. You now have 1 bag(s) checked."]);
    let events = server.say(&thread, "/meal_preference_list {}").await;
    assert_eq!(widgets(&events).len(), 1, "{events:#?}");

    // The tool's errors, a tool the concierge does not offer and arguments that are not JSON are said.
    let events = server.say(&thread, r#"/change_seat {"flight_number": "ZZ123", "seat": "2B"}"#).await;
    assert_eq!(messages(&events), ["Error: Flight ZZ123 is not on the customer's itinerary."]);
    let events = server.say(&thread, "/upgrade_cabin {}").await;
    let said = messages(&events);
    assert!(said[0].starts_with("there is no tool `upgrade_cabin` here; the tools are: "), "{said:?}");
    assert!(said[0].contains("change_seat") && said[0].contains("flight_option_list"), "{said:?}");
    let events = server.say(&thread, "/change_seat 2B").await;
    assert!(messages(&events)[0].starts_with("the arguments of /change_seat must be a JSON object"), "{events:#?}");
    let (_, account) = server.customer(Some(&thread), "jordan").await;
    assert_eq!(account["customer"]["segments"][0]["seat"], "2A", "nothing changed: {account}");
}

#[tokio::test]
async fn other_sample_actions() {
    let server = start().await;
    let (thread, _) = server.start_thread("Hello").await;
    let act = |kind: &str, payload: Value| json!({"type": kind, "payload": payload});

    let events = server.act(&thread, None, &act(customer_support::BOOKING_CONFIRM, json!({"destination": "CDG"}))).await;
    assert!(messages(&events)[0].starts_with("Flights to CDG are on hold: outbound flight outbound and return flight return."));
    assert_eq!(effect_profile(&events)["timeline"][0]["kind"], "success");

    let events = server.act(&thread, None, &act(customer_support::BOOKING_MODIFY, Value::Null)).await;
    assert!(messages(&events)[0].starts_with("Happy to tweak the plan."));

    let events = server.act(&thread, None, &act(customer_support::UPSELL_ACCEPT, json!({"cabin_name": "Business", "price": "$120"}))).await;
    assert_eq!(messages(&events), ["Business upgrade confirmed. $120 will be charged at ticketing."]);
    let events = server.act(&thread, None, &act(customer_support::UPSELL_DECLINE, json!({"cabin_name": "Business"}))).await;
    assert_eq!(messages(&events), ["No worries—I'll keep the current cabin and continue helping with business availability."]);

    let rebook = |option: &str, flight: &str| {
        act(customer_support::REBOOK_SELECT, json!({"flight_number": flight, "option_id": option, "depart_time": "20:10", "arrival_time": "23:35"}))
    };
    let events = server.act(&thread, None, &rebook("keep", "OA477")).await;
    assert_eq!(messages(&events), ["Sounds good — we'll keep the original departure on file."]);
    let events = server.act(&thread, None, &rebook("later", "OA477")).await;
    assert_eq!(messages(&events), ["You're now set for OA477 departing at 20:10. I'll keep the seat assignment the same."]);
    assert_eq!(effect_profile(&events)["segments"][1]["departure_time"], "20:10");
    let events = server.act(&thread, None, &rebook("later", "XX1")).await;
    assert_eq!(messages(&events), ["Flight XX1 is not on the customer's itinerary."]);

    // Bad input: an error event, nothing changed.
    let events = server.act(&thread, None, &act(customer_support::SET_MEAL_PREFERENCE, json!({"meal": "caviar"}))).await;
    assert!(error_message(&events).contains("payload of action `support.set_meal_preference` at `meal`"), "{events:#?}");
    let events = server.act(&thread, None, &act(customer_support::FLIGHT_SELECT, json!({"id": "nope", "request": {
        "origin": "SFO", "destination": "CDG", "depart_date": "2025-12-01", "return_date": "2025-12-09", "cabin": "economy"}}))).await;
    assert_eq!(error_message(&events), "There is no flight option `nope` in this list.");
    let events = server.act(&thread, None, &act(customer_support::FLIGHT_SELECT, json!({"id": "flight-morning", "request": {
        "origin": "", "destination": "CDG", "depart_date": "2025-12-01", "return_date": "2025-12-09", "cabin": "economy"}}))).await;
    assert!(events.iter().any(|e| e["type"] == "error"), "an empty origin is refused: {events:#?}");
    let events = server.act(&thread, None, &act("rocket.launch", Value::Null)).await;
    assert_eq!(error_message(&events), "Unknown action `rocket.launch`.");
    let (_, customer) = server.customer(Some(&thread), "jordan").await;
    assert_eq!(customer["customer"]["meal_preference"], Value::Null);
    assert_eq!(customer["customer"]["segments"].as_array().map(Vec::len), Some(2), "bad selections book nothing");
}

#[tokio::test]
async fn the_account_endpoint_is_per_caller() {
    let server = start().await;
    let (status, fresh) = server.customer(None, "jordan").await;
    assert_eq!((status, fresh["customer"]["name"].as_str()), (200, Some("Jordan Miles")));
    let (thread, _) = server.start_thread("Add a checked bag").await;
    let (status, mine) = server.customer(Some(&thread), "jordan").await;
    assert_eq!((status, mine["customer"]["bags_checked"].as_u64()), (200, Some(1)));
    let (status, theirs) = server.customer(Some(&thread), "mallory").await;
    assert_eq!((status, theirs["error"]["code"].as_str()), (404, Some("not_found")));
    let (status, _) = server.customer(Some("thr_missing"), "jordan").await;
    assert_eq!(status, 404);
    assert_eq!(server.chatkit.server().profile(&thread).bags_checked, 1);
}

#[tokio::test]
async fn feedback_is_recorded() {
    let server = start().await;
    let (thread, events) = server.start_thread("Hello").await;
    let item = events
        .iter()
        .find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message")
        .and_then(|e| e["item"]["id"].as_str())
        .expect("a reply")
        .to_owned();
    let response = server.post(json!({"type": "items.feedback", "params": {"thread_id": thread, "item_ids": [item], "kind": "negative"}})).await;
    assert_eq!(response.status(), 200);
    let feedback = server.chatkit.server().feedback();
    assert_eq!(feedback.len(), 1);
    assert_eq!((feedback[0].item_id.as_str(), feedback[0].kind), (item.as_str(), chatkit::FeedbackKind::Negative));
}

#[tokio::test]
async fn an_attached_photo_reaches_the_model_inline() {
    let server = start().await;
    let png = [0x89u8, b'P', b'N', b'G', 13, 10, 26, 10, 1, 2, 3];
    let created: Value = server
        .post(json!({"type": "attachments.create", "params": {"name": "Tokyo.png", "size": png.len(), "mime_type": "image/png"}}))
        .await
        .json()
        .await
        .expect("JSON");
    let id = created["id"].as_str().expect("an attachment id").to_owned();
    let upload = created["upload_descriptor"]["url"].as_str().expect("an upload URL");
    let response = server.client().put(upload).body(png.to_vec()).send().await.expect("upload");
    assert!(response.status().is_success(), "{}", response.status());

    let events = server
        .stream(json!({"type": "threads.create", "params": {"input": {
            "content": [{"type": "input_text", "text": "Let's explore flights to Tokyo."}], "attachments": [id], "inference_options": {}}}}))
        .await;
    let (_, widget) = widgets(&events).pop().expect("flight options");
    assert_eq!(widget["children"][0]["onClickAction"]["payload"]["request"]["destination"], "HND");
    assert!(last_input(&server.model).contains("data:image/png;base64,iVBORw0KGgoBAgM="), "{}", last_input(&server.model));
}
