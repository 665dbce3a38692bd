//! The offline model's cues: which phrases call which tool, with what.

use std::time::Duration;

use chatkit_agents::model::ScriptedModel;
use serde_json::{Value, json};

/// The name ideas of the sample's widget preview.
fn first_names() -> Value {
    json!({"suggestions": [
        {"name": "Willow", "reason": "Calm, playful vibes"},
        {"name": "Pixel", "reason": "Bright, curious, energetic"},
        {"name": "Miso", "reason": "Soft, cozy mood"}
    ]})
}

/// What "Suggest more names" brings.
fn more_names() -> Value {
    json!({"suggestions": [
        {"name": "Mochi", "reason": "Sweet and a little squishy"},
        {"name": "Biscuit", "reason": "Warm, golden and always snacking"},
        {"name": "Nimbus", "reason": "Floats from nap to nap"}
    ]})
}

/// The offline model (its cues are listed on [`App::scripted_model`](crate::App::scripted_model)).
pub(crate) fn model() -> ScriptedModel {
    let feed = json!({"meal": "a crunchy fish treat"});
    let play = json!({"activity": "Ribbon wand"});
    let clean = json!({"method": "Warm bath"});
    let hello = json!({"line": "Meow! (Hello, human. Is it snack time?)"});
    ScriptedModel::new()
        .rule("more name", "suggest_cat_names", more_names())
        .rule("whiskers", "set_cat_name", json!({"name": "Mr. Whiskers"}))
        .rule("names", "suggest_cat_names", first_names())
        .rule("name the cat", "suggest_cat_names", first_names())
        .rule("name it", "suggest_cat_names", first_names())
        .rule("profile", "show_cat_profile", json!({"age": 2, "favorite_toy": "Ball of yarn"}))
        .rule("feed", "feed_cat", feed.clone())
        .rule("treat", "feed_cat", feed.clone())
        .rule("snack", "feed_cat", feed)
        .rule("play", "play_with_cat", play)
        .rule("bath", "clean_cat", clean.clone())
        .rule("clean", "clean_cat", clean.clone())
        .rule("fresh", "clean_cat", clean)
        .rule("hello", "speak_as_cat", hello.clone())
        .rule("hi cat", "speak_as_cat", hello)
        .rule("how is", "get_cat_status", json!({}))
        .rule("doing", "get_cat_status", json!({}))
        .rule("status", "get_cat_status", json!({}))
        .rule("feeling", "get_cat_status", json!({}))
        .rule("what happened", "get_cat_status", json!({}))
        .delay(Duration::from_millis(15))
}
