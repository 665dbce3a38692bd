//! The lounge over real HTTP, driven as its page drives it, on the offline scripted model.

use std::sync::Arc;

use base64::Engine as _;
use cat_lounge::{App, ColorPattern, LoungeScript, PICTURE_STEPS, cat_png};
use chatkit::{ChatKit, MemoryStore};
use chatkit_agents::model::Recording;
use chatkit_testing::TestServer;
use chatkit_testing::events::{effects, of_type, replies, widget};
use serde_json::{Value, json};

/// The lounge on the scripted model, which remembers what it was asked.
async fn start() -> (TestServer, Recording<LoungeScript>) {
    let model = Recording::new(App::scripted_model().delay(std::time::Duration::ZERO));
    let chatkit = ChatKit::new(App::new(Arc::new(model.clone())), MemoryStore::new());
    (TestServer::start(cat_lounge::router(chatkit)).await, model)
}

/// The cat of the thread, as the page reads it.
async fn cat(lounge: &TestServer, thread: &str) -> Value {
    let (status, body) = lounge.get_json(&format!("/api/cats/{thread}")).await;
    assert_eq!(status, 200);
    body["cat"].clone()
}

/// The `cats.select_name` action of the picker row for `name`.
fn pick(picker: &Value, name: &str) -> Value {
    let row = picker["children"].as_array().expect("rows").iter().find(|row| row["key"] == name);
    row.unwrap_or_else(|| panic!("no row {name} in {picker}"))["onClickAction"].clone()
}

fn titles(events: &[Value]) -> Vec<Value> {
    of_type(events, "thread.updated").iter().map(|e| e["thread"]["title"].clone()).collect()
}

#[tokio::test]
async fn naming_the_cat_through_the_picker() {
    let (lounge, model) = start().await;
    let (thread, events) = lounge.start_thread("Could you suggest some fun names for the cat?").await;
    assert_eq!(of_type(&events, "stream_options"), [&json!({"type": "stream_options", "stream_options": {"allow_cancel": false}})]);
    assert_eq!(replies(&events), ["Here are some name suggestions for your cat."], "the picker ends the turn");
    let (picker_id, picker) = widget(&events);
    assert_eq!(picker["type"], "ListView");
    let willow = pick(&picker, "Willow");
    assert_eq!(willow["handler"], "client", "the page handles it, then forwards it");
    assert_eq!(willow["payload"]["options"].as_array().map(Vec::len), Some(3));
    assert_eq!(cat(&lounge, &thread).await["name"], "Unnamed Cat");
    assert!(titles(&events).is_empty(), "the lounge is titled when the cat is named");

    let events = lounge.act(&thread, Some(&picker_id), &willow).await;
    let replaced = of_type(&events, "thread.item.replaced");
    assert_eq!(replaced.len(), 1);
    assert_eq!(replaced[0]["item"]["id"], picker_id.as_str(), "the picker is replaced in place");
    let chosen = &replaced[0]["item"]["widget"];
    assert_eq!(chosen["children"][0]["children"][0]["children"][0]["name"], "check", "Willow is checked: {chosen}");
    assert!(pick(chosen, "Willow").is_null() && pick(chosen, "Pixel").is_null(), "nothing is clickable any more");
    assert_eq!(titles(&events), [json!("Willow’s Lounge")]);
    let status = effects(&events, "update_cat_status");
    assert_eq!(status.len(), 1);
    assert_eq!(status[0]["state"]["name"], "Willow");
    assert_eq!(status[0]["flash"], "Now called Willow");
    assert_eq!(replies(&events), ["Love that choice. Willow’s profile card is now ready. Would you like to check it out?"]);
    assert!(events.iter().all(|e| e["item"]["type"] != "hidden_context_item"), "hidden context is never sent");

    // The page reads the same cat; its coat is revealed now.
    let cat = cat(&lounge, &thread).await;
    assert_eq!(cat["name"], "Willow");
    assert_eq!(cat["threadId"], thread.as_str());
    let pattern = cat["colorPattern"].as_str().expect("a coat once named").to_owned();
    assert_eq!(status[0]["state"]["colorPattern"], pattern.as_str());

    // The stored picker is the replaced one.
    let items = lounge.items(&thread).await;
    let stored = items.iter().find(|i| i["id"] == picker_id.as_str()).expect("picker stored");
    assert_eq!(stored["widget"], *chosen);

    // The next turn's model input carries the choice as hidden context, and the status tool
    // reads it back.
    let events = lounge.say(&thread, "How is the cat doing?").await;
    let asked = model.requests().into_iter().rev().nth(1).expect("a model call");
    assert_eq!(asked.last_user_text().as_deref(), Some("How is the cat doing?"));
    assert!(
        asked.input.iter().any(|i| i.to_string().contains("<CAT_NAME_SELECTED>Willow</CAT_NAME_SELECTED>")),
        "{:#?}",
        asked.input
    );
    let reply = replies(&events).pop().expect("a reply");
    assert!(reply.starts_with("Done: Willow, 2 years — energy 6/10"), "{reply}");
    assert!(reply.ends_with("Done in this chat so far: named Willow."), "{reply}");
    assert!(reply.contains(&format!("{pattern} coat")), "{reply}");
}

#[tokio::test]
async fn a_second_pick_keeps_the_first_name() {
    let (lounge, _) = start().await;
    let (thread, events) = lounge.start_thread("name ideas please: names!").await;
    let (first_id, first) = widget(&events);
    lounge.act(&thread, Some(&first_id), &pick(&first, "Pixel")).await;

    // "Suggest more names" (the page sends this message) shows another picker...
    let events = lounge.say(&thread, "More name suggestions, please").await;
    let (second_id, second) = widget(&events);
    assert!(second.to_string().contains("Mochi"), "{second}");
    // ...whose pick is refused: the cat keeps its name, the picker shows it is taken.
    let events = lounge.act(&thread, Some(&second_id), &pick(&second, "Mochi")).await;
    assert_eq!(replies(&events), ["Pixel already has a name, so we can't rename them."]);
    let replaced = &of_type(&events, "thread.item.replaced")[0]["item"];
    assert_eq!(replaced["id"], second_id.as_str());
    assert!(pick(&replaced["widget"], "Mochi").is_null(), "the second picker is closed too");
    assert!(!replaced["widget"].to_string().contains("\"check\""), "Mochi is not checked");
    assert!(titles(&events).is_empty(), "the title stays");
    assert!(effects(&events, "update_cat_status").is_empty());

    // A repeated click on the first picker (sent before it was redrawn) is answered the same way.
    let events = lounge.act(&thread, Some(&first_id), &pick(&first, "Willow")).await;
    assert_eq!(replies(&events), ["Pixel already has a name, so we can't rename them."]);
    let redrawn = &of_type(&events, "thread.item.replaced")[0]["item"]["widget"];
    assert_eq!(redrawn["children"][1]["key"], "Pixel");
    assert_eq!(redrawn["children"][1]["children"][0]["children"][0]["name"], "check", "Pixel stays checked");
    assert_eq!(cat(&lounge, &thread).await["name"], "Pixel");
}

#[tokio::test]
async fn care_tools_update_the_cat_and_the_page() {
    let (lounge, _) = start().await;
    let (thread, events) = lounge.start_thread("Please feed the cat something tasty.").await;
    let status = effects(&events, "update_cat_status");
    assert_eq!(status.len(), 1);
    assert_eq!(status[0]["flash"], "Fed Unnamed Cat a crunchy fish treat");
    assert_eq!((status[0]["state"]["energy"].as_u64(), status[0]["state"]["happiness"].as_u64()), (Some(9), Some(7)));
    let reply = replies(&events).pop().expect("a reply");
    assert!(reply.starts_with("Done: Fed Unnamed Cat a crunchy fish treat. Now: Unnamed Cat, 2 years — energy 9/10"), "{reply}");

    let events = lounge.say(&thread, "Start a quick play session using the ribbon toy.").await;
    let status = effects(&events, "update_cat_status");
    assert_eq!(status[0]["flash"], "Unnamed Cat played: Ribbon wand");
    assert_eq!((status[0]["state"]["energy"].as_u64(), status[0]["state"]["happiness"].as_u64()), (Some(8), Some(9)));

    let events = lounge.say(&thread, "Give the cat a bath to freshen up.").await;
    let status = effects(&events, "update_cat_status");
    assert_eq!(status[0]["flash"], "Unnamed Cat is fresh: Warm bath");
    let cat = cat(&lounge, &thread).await;
    assert_eq!(status[0]["state"], cat, "the effect carries what the page reads");
    let cleanliness = cat["cleanliness"].as_u64().expect("a number");
    assert!((6..=9).contains(&cleanliness), "6, minus up to 2 side effects, plus 3: {cleanliness}");

    // Every action is remembered as hidden context, stored but never listed to the client.
    let items = lounge.items(&thread).await;
    assert!(items.iter().all(|i| i["type"] != "hidden_context_item"));
    let events = lounge.say(&thread, "What happened so far?").await;
    let reply = replies(&events).pop().expect("a reply");
    assert!(
        reply.ends_with("Done in this chat so far: Fed Unnamed Cat a crunchy fish treat; played: Ribbon wand; cleaned: Warm bath."),
        "{reply}"
    );
}

#[tokio::test]
async fn the_cat_speaks_through_an_effect() {
    let (lounge, _) = start().await;
    let (_, events) = lounge.start_thread("Hello, cat! How are you feeling?").await;
    let said = effects(&events, "cat_say");
    assert_eq!(said.len(), 1);
    assert_eq!(said[0]["message"], "Meow! (Hello, human. Is it snack time?)");
    assert_eq!(said[0]["state"]["name"], "Unnamed Cat");
    assert_eq!(replies(&events), ["Done: Unnamed Cat said: Meow! (Hello, human. Is it snack time?)"]);
}

#[tokio::test]
async fn the_profile_card_is_the_answer() {
    let (lounge, _) = start().await;
    let (thread, events) = lounge.start_thread("Can you show me the cat's profile card?").await;
    let (_, card) = widget(&events);
    assert_eq!(card["type"], "Card");
    let text = card.to_string();
    assert!(text.contains("\"Unnamed Cat\"") && text.contains("\"2 years\"") && text.contains("\"N/A\""), "{text}");
    assert!(text.contains("/apps/cat-lounge/cats/unknown.svg"));
    assert_eq!(replies(&events), ["Would you like to give your cat a name?"], "no model call after the card");
    let copy = events.iter().find(|e| e["item"]["type"] == "widget").expect("widget")["item"]["copy_text"].clone();
    assert_eq!(copy, "Unnamed Cat, age 2, is a mystery cat.");

    // The picture it shows is served.
    let picture = lounge.get("/apps/cat-lounge/cats/unknown.svg").await;
    assert_eq!(picture.status(), 200);
    assert_eq!(picture.headers()["content-type"], "image/svg+xml");
    assert!(picture.text().await.expect("svg").starts_with("<svg"));

    // Once named, the card shows the coat.
    let events = lounge.say(&thread, "Let's name the cat Whiskers").await;
    assert_eq!(titles(&events), [json!("Mr. Whiskers’s Lounge")]);
    let events = lounge.say(&thread, "Show the profile again").await;
    let (_, card) = widget(&events);
    let pattern = cat(&lounge, &thread).await["colorPattern"].as_str().expect("coat").to_owned();
    assert!(card.to_string().contains(&format!("/apps/cat-lounge/cats/{pattern}.svg")));
    assert_eq!(replies(&events), ["License checked! Would you like to feed, play with, or clean Mr. Whiskers?"]);
}

#[tokio::test]
async fn set_cat_name_names_once() {
    let (lounge, _) = start().await;
    let (thread, events) = lounge.start_thread("Your name is Whiskers").await;
    assert_eq!(titles(&events), [json!("Mr. Whiskers’s Lounge")]);
    assert_eq!(effects(&events, "update_cat_status")[0]["flash"], "Now called Mr. Whiskers");
    let events = lounge.say(&thread, "whiskers again").await;
    let replies = replies(&events);
    assert_eq!(replies[0], "Mr. Whiskers is ready to play!");
    assert!(replies[1].contains("already named Mr. Whiskers"), "{replies:?}");
    assert!(titles(&events).is_empty());
}

#[tokio::test]
async fn bad_actions_are_errors_not_crashes() {
    let (lounge, _) = start().await;
    let (thread, events) = lounge.start_thread("names").await;
    let (picker_id, _) = widget(&events);
    let cases = [
        (json!({"type": "cats.select_name", "payload": {"options": []}}), "payload of action `cats.select_name`"),
        (json!({"type": "cats.select_name", "payload": {"name": "  ", "options": []}}), "Pick a name"),
        (json!({"type": "cats.more_names", "payload": {}}), "handled by the page"),
        (json!({"type": "cats.adopt", "payload": {}}), "Unknown action"),
    ];
    for (action, message) in cases {
        let events = lounge.act(&thread, Some(&picker_id), &action).await;
        let error = of_type(&events, "error");
        assert_eq!(error.len(), 1, "{action}: {events:#?}");
        assert!(error[0]["message"].as_str().is_some_and(|m| m.contains(message)), "{action}: {}", error[0]);
    }
    let events = lounge
        .stream(json!({"type": "threads.custom_action", "params": {"thread_id": thread,
            "action": {"type": "cats.select_name", "payload": {"name": "Willow", "options": []}}}}))
        .await;
    assert!(of_type(&events, "error")[0]["message"].as_str().is_some_and(|m| m.contains("picker")));
    assert_eq!(cat(&lounge, &thread).await["name"], "Unnamed Cat");
}

#[tokio::test]
async fn cats_belong_to_their_thread_owner() {
    let (lounge, _) = start().await;
    let (thread, _) = lounge.start_thread("feed the cat").await;
    let bob = lounge.as_user("bob");
    let response = bob.get(&format!("/api/cats/{thread}")).await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(lounge.get("/api/cats/thr_missing").await.status(), 404);
    assert_eq!(lounge.get("/apps/cat-lounge/cats/plaid.svg").await.status(), 404);
    assert_eq!(lounge.get("/apps/cat-lounge/cats/tabby.png").await.status(), 404);
    for pattern in ["black", "calico", "colorpoint", "tabby", "white"] {
        assert_eq!(lounge.get(&format!("/apps/cat-lounge/cats/{pattern}.svg")).await.status(), 200);
    }
}

/// The events of the turn's generated image: `(event type, the event)`.
fn image_events(events: &[Value]) -> Vec<&Value> {
    events.iter().filter(|e| e["item"]["type"] == "generated_image" || e["update"]["type"] == "generated_image.updated").collect()
}

/// The PNG file of a `data:` URL.
fn png_of(url: &Value) -> Vec<u8> {
    let b64 = url.as_str().and_then(|u| u.strip_prefix("data:image/png;base64,")).unwrap_or_else(|| panic!("a PNG data URL: {url}"));
    base64::engine::general_purpose::STANDARD.decode(b64).expect("base64")
}

#[tokio::test]
async fn a_picture_of_the_named_cat_streams_its_partial_images_and_is_stored() {
    let (lounge, model) = start().await;
    // The cat has no name yet: the model reads its status, then asks for a name first.
    let (thread, events) = lounge.start_thread("Can you draw a picture of my cat?").await;
    assert_eq!(model.last().expect("a model call").hosted_tools, [json!({"type": "image_generation", "partial_images": 3})]);
    assert!(image_events(&events).is_empty(), "{events:#?}");
    assert_eq!(
        replies(&events),
        ["Let's give your cat a name first: their coat is a mystery until then, so I can't picture them yet. Would you like some name ideas?"]
    );
    let asked = model.last().expect("a model call");
    let status = asked.input.last().expect("the status tool's output");
    assert_eq!(status["type"], "function_call_output");
    assert!(status["output"].as_str().is_some_and(|o| o.starts_with("Unnamed Cat, 2 years")), "{status}");

    lounge.say(&thread, "Your name is Whiskers").await;
    let pattern = ColorPattern::parse(cat(&lounge, &thread).await["colorPattern"].as_str().expect("a coat")).expect("a known coat");
    let events = lounge.say(&thread, "Draw a picture of Mr. Whiskers, please").await;
    assert!(of_type(&events, "error").is_empty(), "{events:#?}");
    let image = image_events(&events);
    let kinds: Vec<&str> = image.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(kinds, ["thread.item.added", "thread.item.updated", "thread.item.updated", "thread.item.updated", "thread.item.done"]);
    let item_id = image[0]["item"]["id"].as_str().expect("an item id");
    assert!(image[0]["item"].get("image").is_none(), "no image before the first partial one: {}", image[0]);
    for (step, partial) in image[1..4].iter().enumerate() {
        assert_eq!(partial["item_id"], item_id);
        assert_eq!(partial["update"]["image"]["id"], "ig_1");
        assert_eq!(partial["update"]["progress"].as_f64(), Some(step as f64 / 3.0), "progress over the 3 partial images");
        assert_eq!(png_of(&partial["update"]["image"]["url"]), cat_png(pattern, step as u8), "partial image {step}");
    }
    let done = &image[4]["item"];
    assert_eq!((done["id"].as_str(), done["thread_id"].as_str(), done["image"]["id"].as_str()), (Some(item_id), Some(thread.as_str()), Some("ig_1")));
    let picture = png_of(&done["image"]["url"]);
    assert_eq!(picture, cat_png(pattern, PICTURE_STEPS - 1), "the finished picture, in the cat's coat");
    assert_eq!(picture[..8], [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n']);
    let shown: Vec<&Value> = image[1..4].iter().map(|e| &e["update"]["image"]["url"]).chain([&done["image"]["url"]]).collect();
    assert!(shown.windows(2).all(|pair| pair[0] != pair[1]), "each image is more complete than the last");

    // Then the model says what it drew.
    let description = pattern.description();
    assert_eq!(replies(&events), [format!("Here is Mr. Whiskers lounging at home on the rug. {description}")]);
    let position = |wanted: &Value| events.iter().position(|e| e == wanted).expect("an event");
    let reply_done = events.iter().position(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message");
    assert!(reply_done.is_some_and(|reply| reply > position(image[4])), "the picture comes before the words");

    // The stored item is the finished picture, and the thread lists it.
    let items = lounge.items(&thread).await;
    let stored = items.iter().find(|i| i["id"] == item_id).expect("the picture is stored");
    assert_eq!(stored, done, "stored as it was sent");
    let kinds: Vec<&str> = items.iter().rev().take(3).filter_map(|i| i["type"].as_str()).collect();
    assert_eq!(kinds, ["assistant_message", "generated_image", "user_message"]);

    // The model sees its picture in the next turns; a second picture gets its own id.
    let events = lounge.say(&thread, "Another portrait!").await;
    let asked = model.last().expect("a model call");
    assert!(asked.input.iter().any(|i| i.to_string().contains(done["image"]["url"].as_str().expect("url"))));
    assert_eq!(image_events(&events).last().expect("a picture")["item"]["image"]["id"], "ig_2");
}
