//! The offline model: cues that call the lounge's tools, and pictures of the cat.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use chatkit_agents::model::{Model, ModelError, ModelEvent, ModelRequest, ModelStream, ScriptedModel, ToolCall, Usage};
use futures_util::StreamExt as _;
use serde_json::{Value, json};

use crate::picture::{PICTURE_STEPS, cat_png};
use crate::state::ColorPattern;

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

/// The cues of the tools (listed on [`App::scripted_model`](crate::App::scripted_model)).
fn rules() -> ScriptedModel {
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
}

/// What asks for a picture of the cat.
const PICTURE_CUES: [&str; 5] = ["picture", "draw", "photo", "portrait", "image"];

/// The lounge's offline model (see [`App::scripted_model`](crate::App::scripted_model)): a
/// [`ScriptedModel`] for the tools, and pictures drawn with the image generation tool.
#[derive(Clone, Debug)]
pub struct LoungeScript {
    script: ScriptedModel,
    /// The wait before each event.
    delay: Duration,
    /// The wait before each image, partial or final.
    picture_delay: Duration,
}

impl LoungeScript {
    pub(crate) fn new() -> Self {
        Self { script: rules(), delay: Duration::from_millis(15), picture_delay: Duration::from_millis(300) }
    }

    /// Waits this long before each event, images included (default: 15 ms, and 300 ms before
    /// each image, so that the partial images show).
    #[must_use]
    pub fn delay(self, delay: Duration) -> Self {
        Self { delay, picture_delay: delay, ..self }
    }

    /// The answer to a request for a picture (upstream's instructions: the status first, then
    /// a picture of the named cat, or a request to name it first); `None` for other requests.
    fn picture(&self, request: &ModelRequest) -> Option<Vec<(ModelEvent, Duration)>> {
        let text = request.last_user_text()?.to_lowercase();
        let drawing = request.hosted_tools.iter().any(|tool| tool["type"] == "image_generation");
        let status_tool = request.tools.iter().any(|tool| tool.name == "get_cat_status");
        if !drawing || !status_tool || !PICTURE_CUES.iter().any(|cue| text.contains(cue)) {
            return None;
        }
        let calls = request.input.iter().filter(|item| item["type"] == "function_call");
        let Some(output) = request.input.last().filter(|item| item["type"] == "function_call_output") else {
            let call = ToolCall { call_id: format!("call_{}", calls.count() + 1), name: "get_cat_status".into(), arguments: "{}".into() };
            return Some(vec![(ModelEvent::ToolCall(call), self.delay), (usage(request, 1), self.delay)]);
        };
        let status_call = calls.filter(|call| call["call_id"] == output["call_id"]).any(|call| call["name"] == "get_cat_status");
        if !status_call {
            return None;
        }
        let status = output["output"].as_str().unwrap_or_default();
        let Some((name, pattern)) = named_cat(status) else {
            return Some(self.words(request, "Let's give your cat a name first: their coat is a mystery until then, so I can't picture them yet. Would you like some name ideas?"));
        };
        let id = format!("ig_{}", images_so_far(request) + 1);
        let b64 = |step| base64::engine::general_purpose::STANDARD.encode(cat_png(pattern, step));
        let mut events = vec![(ModelEvent::ImageStarted { id: id.clone() }, self.delay)];
        for step in 0..PICTURE_STEPS - 1 {
            events.push((ModelEvent::ImagePartial { id: id.clone(), b64: b64(step), index: u32::from(step) }, self.picture_delay));
        }
        events.push((ModelEvent::ImageDone { id, b64: b64(PICTURE_STEPS - 1) }, self.picture_delay));
        events.extend(self.words(request, &format!("Here is {name} lounging at home on the rug. {}", pattern.description())));
        Some(events)
    }

    /// A message streamed word by word.
    fn words(&self, request: &ModelRequest, text: &str) -> Vec<(ModelEvent, Duration)> {
        let mut events: Vec<_> = text.split_inclusive(' ').map(|word| (ModelEvent::TextDelta(word.to_owned()), self.delay)).collect();
        let words = events.len() as u64;
        events.push((ModelEvent::MessageDone, self.delay));
        events.push((usage(request, words), self.delay));
        events
    }
}

fn usage(request: &ModelRequest, output_tokens: u64) -> ModelEvent {
    let input_tokens = request.instructions.split_whitespace().count() as u64 + request.input.len() as u64;
    ModelEvent::Usage(Usage { input_tokens, output_tokens })
}

/// The images the input shows (those generated before, as the converter passes them on).
fn images_so_far(request: &ModelRequest) -> usize {
    let parts = request.input.iter().filter_map(|item| item["content"].as_array()).flatten();
    parts.filter(|part| part["type"] == "input_image").count()
}

/// The name and coat of the cat from `get_cat_status`'s output ([`CatState::summary`](crate::CatState::summary):
/// "Name, age — stats; pattern coat (description)."); `None` while the cat has no name.
fn named_cat(status: &str) -> Option<(&str, ColorPattern)> {
    let pattern = ColorPattern::ALL.into_iter().find(|p| status.contains(&format!("; {} coat (", p.as_str())))?;
    let (head, _) = status.split_once(" — ")?;
    let (name, _) = head.rsplit_once(", ")?;
    Some((name, pattern))
}

#[async_trait]
impl Model for LoungeScript {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ModelError> {
        let Some(events) = self.picture(&request) else {
            let delay = self.delay;
            let events = self.script.stream(request).await?;
            return Ok(Box::pin(events.then(move |event| pause(delay, event))));
        };
        Ok(Box::pin(futures_util::stream::iter(events).then(|(event, delay)| pause(delay, Ok::<_, ModelError>(event)))))
    }
}

async fn pause<T>(delay: Duration, value: T) -> T {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::CatState;

    #[test]
    fn the_status_tells_the_name_and_coat_of_a_named_cat_only() {
        let mut cat = CatState::new(&"thr_1".into());
        assert_eq!(named_cat(&cat.summary()), None);
        cat.rename("Sir Pounce, The Third");
        let pattern = cat.color_pattern.expect("a coat once named");
        let status = format!("{} Nothing has been done for the cat in this chat yet.", cat.summary());
        assert_eq!(named_cat(&status), Some(("Sir Pounce, The Third", pattern)));
    }
}
