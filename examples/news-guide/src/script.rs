//! The offline newsroom: a deterministic [`Model`] answering for all three agents from the
//! same input and tools a hosted model gets, so offline and real-model runs share one path.

use async_trait::async_trait;
use chatkit_agents::model::{Model, ModelError, ModelEvent, ModelRequest, ModelStream, ToolCall, ToolCommand, Usage};
use serde_json::{Value, json};

/// A scripted newsroom model.
///
/// * **News Guide** (offered `show_article_list_widget`): an `<ARTICLE_REFERENCE>` calls
///   `get_article_by_id`, an `<AUTHOR_REFERENCE>` or "by NAME" calls
///   `search_articles_by_author`; "this page"/"summary" calls `get_current_page`; "tagged X"
///   calls `search_articles_by_tags`, "trending" the `trending` tag, a quoted phrase
///   `search_articles_by_exact_text`; events and puzzles are delegated; anything else is a
///   keyword search. Search results are shown with `show_article_list_widget` (two
///   articles); a loaded article is summarized from its body.
/// * **Event Finder** (offered `show_event_list_widget`): a date, a weekday ("weekend":
///   Saturday and Sunday) or keywords, then the timeline widget.
/// * **Puzzle Keeper** (no tools, puzzle instructions): a Foxhollow puzzle.
/// * A request without tools otherwise asks for a thread title.
/// * In any agent, a message `/NAME {json arguments}` ([`ToolCommand`]) calls any tool the
///   agent offers with those arguments, and the tool's result is the answer (a tool that is
///   not offered, or arguments that are not a JSON object, are answered in text).
#[derive(Clone, Copy, Debug, Default)]
pub struct NewsScript;

const STOP_WORDS: [&str; 40] = [
    "what", "whats", "what's", "the", "and", "any", "are", "there", "show", "tell", "about", "me", "some", "latest", "news",
    "stories", "story", "articles", "article", "lately", "right", "now", "this", "week", "with", "from", "have", "give",
    "for", "on", "in", "of", "a", "an", "is", "to", "i", "you", "find", "read",
];

const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

fn text_of(item: &Value) -> String {
    match &item["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect::<Vec<_>>().join("\n"),
        _ => String::new(),
    }
}

/// The reader's latest turn: the user messages at the end of the input (the message and its
/// @-mention context), joined.
fn latest_user_turn(request: &ModelRequest) -> String {
    let mut texts: Vec<String> = request
        .input
        .iter()
        .rev()
        .take_while(|i| i["type"] == "message" && i["role"] == "user")
        .map(text_of)
        .collect();
    texts.reverse();
    texts.join("\n")
}

/// The text between `<TAG>` and `</TAG>`.
fn marker(text: &str, tag: &str) -> Option<String> {
    let start = text.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = text[start..].find(&format!("</{tag}>"))? + start;
    Some(text[start..end].trim().to_owned())
}

fn keywords(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|w| w.trim_matches(['\'', '-']))
        .filter(|w| w.len() > 2 && !STOP_WORDS.contains(w))
        .map(str::to_owned)
        .collect()
}

fn call(name: &str, arguments: Value, index: usize) -> ModelEvent {
    ModelEvent::ToolCall(ToolCall { call_id: format!("call_{index}"), name: name.to_owned(), arguments: arguments.to_string() })
}

fn calls(request: &ModelRequest, list: Vec<(&str, Value)>) -> Vec<ModelEvent> {
    let before = request.input.iter().filter(|i| i["type"] == "function_call").count();
    let mut events: Vec<ModelEvent> = list.into_iter().enumerate().map(|(n, (name, args))| call(name, args, before + n + 1)).collect();
    events.push(ModelEvent::Usage(Usage { input_tokens: 0, output_tokens: 1 }));
    events
}

fn words(text: &str) -> Vec<ModelEvent> {
    let mut events: Vec<ModelEvent> = text.split_inclusive(' ').map(|w| ModelEvent::TextDelta(w.to_owned())).collect();
    let count = events.len() as u64;
    events.push(ModelEvent::MessageDone);
    events.push(ModelEvent::Usage(Usage { input_tokens: 0, output_tokens: count }));
    events
}

/// The trailing tool results: (tool name, parsed output).
fn trailing_outputs(request: &ModelRequest) -> Vec<(String, Value)> {
    // The calls of the last model response and their outputs, interleaved.
    let tail: Vec<&Value> =
        request.input.iter().rev().take_while(|i| i["type"] == "function_call_output" || i["type"] == "function_call").collect();
    tail.into_iter()
        .rev()
        .filter(|i| i["type"] == "function_call_output")
        .map(|o| {
            let name = request
                .input
                .iter()
                .find(|i| i["type"] == "function_call" && i["call_id"] == o["call_id"])
                .and_then(|i| i["name"].as_str())
                .unwrap_or_default()
                .to_owned();
            let output = o["output"].as_str().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_else(|| o["output"].clone());
            (name, output)
        })
        .collect()
}

/// The first sentences of a markdown body, up to about 320 characters.
fn lead(body: &str) -> String {
    let mut out = String::new();
    for sentence in body.split_inclusive(['.', '!', '?']) {
        if out.len() > 160 {
            break;
        }
        out.push_str(sentence);
    }
    out.trim().replace('\n', " ")
}

impl NewsScript {
    fn news(&self, request: &ModelRequest) -> Vec<ModelEvent> {
        let outputs = trailing_outputs(request);
        if let Some((name, output)) = outputs.last() {
            return match name.as_str() {
                "get_article_by_id" | "get_current_page" => {
                    let articles: Vec<&Value> = match output.get("articles").and_then(Value::as_array) {
                        Some(list) => list.iter().collect(),
                        None => output.get("article").into_iter().collect(),
                    };
                    match articles.as_slice() {
                        [] => words(output.as_str().unwrap_or("I couldn't load that article.")),
                        [one] => words(&format!(
                            "_{}_ by {}.\n\n{}\n\nDo you have any questions about it?",
                            one["title"].as_str().unwrap_or("?"),
                            one["author"].as_str().unwrap_or("?"),
                            lead(one["content"].as_str().unwrap_or_default())
                        )),
                        many => {
                            let titles: Vec<String> = many.iter().map(|a| format!("- _{}_", a["title"].as_str().unwrap_or("?"))).collect();
                            words(&format!("The front page features:\n\n{}\n\nWant me to dig into one of them?", titles.join("\n")))
                        }
                    }
                }
                "list_available_tags_and_keywords" => {
                    let tags: Vec<&str> = output["tags"].as_array().map(|t| t.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                    words(&format!("You can browse these sections: {}.", tags.join(", ")))
                }
                _ => {
                    let ids: Vec<Value> = output["articles"]
                        .as_array()
                        .map(|list| list.iter().take(2).map(|a| json!({"id": a["id"]})).collect())
                        .unwrap_or_default();
                    if ids.is_empty() {
                        words(output.as_str().filter(|s| s.starts_with("Error")).unwrap_or(
                            "I couldn't find any stories about that. Try a section like parks, food or transit.",
                        ))
                    } else {
                        let message = match output["author"].as_str() {
                            Some(author) => format!("Here is the latest from {author}:"),
                            None => "These stories match what you asked about:".to_owned(),
                        };
                        calls(request, vec![("show_article_list_widget", json!({"articles": ids, "message": message}))])
                    }
                }
            };
        }
        let turn = latest_user_turn(request);
        let lower = turn.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        let step = if let Some(id) = marker(&turn, "ARTICLE_REFERENCE") {
            ("get_article_by_id", json!({"article_id": id}))
        } else if let Some(author) = marker(&turn, "AUTHOR_REFERENCE") {
            ("search_articles_by_author", json!({"author": author}))
        } else if has(&["puzzle", "brain teaser", "crossword"]) {
            ("delegate_to_puzzle_keeper", json!({"input": turn}))
        } else if has(&["event", "happening", "things to do", "weekend"]) {
            ("delegate_to_event_finder", json!({"input": turn}))
        } else if has(&["this page", "this article", "this story", "summar"]) {
            ("get_current_page", json!({}))
        } else if let Some((_, rest)) = lower.split_once("tagged ") {
            let tags: Vec<String> = rest.split([',', ' ']).map(|t| t.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')).filter(|t| !t.is_empty() && *t != "and").map(str::to_owned).collect();
            ("search_articles_by_tags", json!({"tags": tags}))
        } else if let Some(quoted) = turn.split('"').nth(1).filter(|q| !q.trim().is_empty()) {
            ("search_articles_by_exact_text", json!({"text": quoted}))
        } else if has(&["trending"]) {
            ("search_articles_by_tags", json!({"tags": ["trending"]}))
        } else if has(&["sections", "topics", "tags"]) {
            ("list_available_tags_and_keywords", json!({}))
        } else if let Some((_, name)) = lower.split_once(" by ") {
            ("search_articles_by_author", json!({"author": name.trim_end_matches(['?', '.', '!']).trim()}))
        } else {
            let words_ = keywords(&turn);
            if words_.is_empty() {
                return words("I'm News Guide for the Foxhollow Dispatch. Ask me what's trending, about a topic, or type @ to mention a story or an author.");
            }
            ("search_articles_by_keywords", json!({"keywords": words_}))
        };
        calls(request, vec![step])
    }

    fn events(&self, request: &ModelRequest) -> Vec<ModelEvent> {
        let outputs = trailing_outputs(request);
        if !outputs.is_empty() {
            let mut ids: Vec<Value> = Vec::new();
            for (_, output) in &outputs {
                for event in output["events"].as_array().into_iter().flatten() {
                    if !ids.contains(&event["id"]) {
                        ids.push(event["id"].clone());
                    }
                }
            }
            if ids.is_empty() {
                return words("I couldn't find events for that. Try a day like Saturday, or a theme like music or food.");
            }
            let events: Vec<Value> = ids.into_iter().map(|id| json!({"id": id})).collect();
            let message = format!("These {} events fit what you asked for.", events.len());
            return calls(request, vec![("show_event_list_widget", json!({"events": events, "message": message}))]);
        }
        let turn = latest_user_turn(request);
        let lower = turn.to_lowercase();
        let date = turn.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-')).find(|w| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok());
        let mut days: Vec<&str> = DAYS.iter().copied().filter(|d| lower.contains(d)).collect();
        if lower.contains("weekend") {
            for day in ["saturday", "sunday"] {
                if !days.contains(&day) {
                    days.push(day);
                }
            }
        }
        let steps: Vec<(&str, Value)> = if let Some(date) = date {
            vec![("search_events_by_date", json!({"date": date}))]
        } else if !days.is_empty() {
            days.iter().map(|d| ("search_events_by_day_of_week", json!({"day": d}))).collect()
        } else {
            let mut words_ = keywords(&turn);
            words_.retain(|w| !["event", "events", "happening", "things"].contains(&w.as_str()));
            if words_.is_empty() {
                return words("Tell me a day (like Saturday) or a theme (music, food, outdoors) and I'll check the Foxhollow calendar.");
            }
            vec![("search_events_by_keyword", json!({"keywords": words_}))]
        };
        calls(request, steps)
    }

    fn puzzle(&self, request: &ModelRequest) -> Vec<ModelEvent> {
        let lower = latest_user_turn(request).to_lowercase();
        let intro = "Welcome to the Coffee Break Puzzle Corner! I offer two Foxhollow puzzles: (1) \"Two Truths and a Lie: Local Edition\" and (2) \"Mini Crossword Clue.\"";
        let body = if lower.contains("crossword") || lower.contains("clue") {
            "Here's your clue: the Route 7 ride famous for taking its sweet time, rolling past the orchard at a snail's pace (4). _ _ _ _ — take a guess before I reveal it!"
        } else if lower.contains("truth") || lower.contains("lie") {
            "1. The Corner Hearth sold out of cardamom buns before 7 a.m. on market day.\n2. The Blue Heron Trail cleanup found a letterpress tray from the Dispatch archive.\n3. The Main Street crosswalk now plays polka instead of jazz.\n\nWhich one is the lie?"
        } else {
            "Which one would you like to play?"
        };
        words(&format!("{intro}\n\n{body}"))
    }

    fn title(&self, request: &ModelRequest) -> Vec<ModelEvent> {
        let lower = request.last_user_text().unwrap_or_default().to_lowercase();
        let title = if ["puzzle", "truth", "crossword"].iter().any(|w| lower.contains(w)) {
            "Coffee break puzzle".to_owned()
        } else if ["event", "happening", "weekend", "saturday", "sunday"].iter().any(|w| lower.contains(w)) {
            "Foxhollow events".to_owned()
        } else if lower.contains("page") || lower.contains("summar") {
            "Page summary".to_owned()
        } else {
            match keywords(&lower).first() {
                Some(word) => format!("Foxhollow {word} stories"),
                None => "Foxhollow news".to_owned(),
            }
        };
        words(&title)
    }

    /// The answer to a typed tool command, when the reader's last message is one: the call,
    /// then the tool's result; or why the call cannot be made.
    fn command(&self, request: &ModelRequest) -> Option<Vec<ModelEvent>> {
        let typed = request.last_user_text()?;
        let outputs: Vec<&Value> = request.input.iter().rev().take_while(|i| i["type"] == "function_call_output").collect();
        if !outputs.is_empty() {
            ToolCommand::parse(&typed).ok()??;
            let results: Vec<String> =
                outputs.iter().rev().map(|o| o["output"].as_str().map_or_else(|| o["output"].to_string(), str::to_owned)).collect();
            return Some(words(&results.join("\n")));
        }
        Some(match ToolCommand::call_for(&typed, request).transpose()? {
            Ok(call) => vec![ModelEvent::ToolCall(call), ModelEvent::Usage(Usage { input_tokens: 0, output_tokens: 1 })],
            Err(err) => words(&err.to_string()),
        })
    }

    fn answer(&self, request: &ModelRequest) -> Vec<ModelEvent> {
        let offered = |name: &str| request.tools.iter().any(|t| t.name == name);
        let puzzle = request.instructions.contains("Puzzle Corner");
        if let Some(answer) = (puzzle || !request.tools.is_empty()).then(|| self.command(request)).flatten() {
            answer
        } else if offered("show_article_list_widget") {
            self.news(request)
        } else if offered("show_event_list_widget") {
            self.events(request)
        } else if puzzle {
            self.puzzle(request)
        } else {
            self.title(request)
        }
    }
}

#[async_trait]
impl Model for NewsScript {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ModelError> {
        Ok(Box::pin(futures_util::stream::iter(self.answer(&request).into_iter().map(Ok))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatkit_agents::convert::user_text;
    use chatkit_agents::model::ToolSpec;

    fn news_request(texts: &[&str]) -> ModelRequest {
        ModelRequest::new("", texts.iter().map(|t| user_text(*t)).collect())
            .tools(vec![ToolSpec::new("show_article_list_widget", "", json!({}))])
    }

    fn first_call(events: &[ModelEvent]) -> (String, Value) {
        match &events[0] {
            ModelEvent::ToolCall(call) => (call.name.clone(), serde_json::from_str(&call.arguments).expect("json")),
            other => panic!("not a call: {other:?}"),
        }
    }

    fn said(events: &[ModelEvent]) -> String {
        events.iter().filter_map(|e| if let ModelEvent::TextDelta(t) = e { Some(t.as_str()) } else { None }).collect()
    }

    #[test]
    fn news_intents() {
        let script = NewsScript;
        let step = |texts: &[&str]| first_call(&script.news(&news_request(texts)));
        assert_eq!(step(&["What's trending right now?"]), ("search_articles_by_tags".into(), json!({"tags": ["trending"]})));
        assert_eq!(step(&["Any small-town drama lately?"]), ("search_articles_by_keywords".into(), json!({"keywords": ["small-town", "drama"]})));
        assert_eq!(step(&["Give me a summary of this page."]).0, "get_current_page");
        assert_eq!(step(&["Show me everything tagged parks and outdoor"]).1, json!({"tags": ["parks", "outdoor"]}));
        assert_eq!(step(&["Which story mentions \"jazz riff\"?"]).1, json!({"text": "jazz riff"}));
        assert_eq!(step(&["Tell me more about @Jazz", "# context\nTagged article: Jazz\n<ARTICLE_REFERENCE>jazz-crosswalk</ARTICLE_REFERENCE>"]).1, json!({"article_id": "jazz-crosswalk"}));
        assert_eq!(step(&["@Elowen latest?", "Tagged author: Elowen\n<AUTHOR_REFERENCE>elowen-wilder</AUTHOR_REFERENCE>"]).1, json!({"author": "elowen-wilder"}));
        assert_eq!(step(&["What's happening this weekend?"]).0, "delegate_to_event_finder");
        assert_eq!(step(&["Give me a quick puzzle break."]).0, "delegate_to_puzzle_keeper");
        assert_eq!(step(&["Stories by Todd Harris?"]).1, json!({"author": "todd harris"}));
    }

    #[test]
    fn event_intents() {
        let script = NewsScript;
        let request = |text: &str| ModelRequest::new("", vec![user_text(text)]).tools(vec![ToolSpec::new("show_event_list_widget", "", json!({}))]);
        let events = script.events(&request("Anything happening this weekend?"));
        let names: Vec<String> = events.iter().filter_map(|e| if let ModelEvent::ToolCall(c) = e { Some(c.arguments.clone()) } else { None }).collect();
        assert_eq!(names, [r#"{"day":"saturday"}"#, r#"{"day":"sunday"}"#]);
        assert_eq!(first_call(&script.events(&request("Events on 2025-02-22?"))).1, json!({"date": "2025-02-22"}));
        assert_eq!(first_call(&script.events(&request("Any live music?"))).1, json!({"keywords": ["live", "music"]}));
    }

    #[test]
    fn a_typed_tool_command_calls_any_offered_tool_and_answers_with_its_result() {
        let script = NewsScript;
        let tools = ["get_article_by_id", "show_article_list_widget"].map(|n| ToolSpec::new(n, "", json!({})));
        let typed = user_text(r#"/get_article_by_id {"article_id": "jazz-crosswalk"}"#);
        let request = ModelRequest::new("", vec![typed.clone()]).tools(tools.to_vec());
        assert_eq!(first_call(&script.answer(&request)), ("get_article_by_id".into(), json!({"article_id": "jazz-crosswalk"})));
        let after = vec![
            typed,
            json!({"type": "function_call", "call_id": "call_1", "name": "get_article_by_id", "arguments": "{}"}),
            json!({"type": "function_call_output", "call_id": "call_1", "output": "{\"article\":{\"title\":\"Jazz\"}}"}),
        ];
        let events = script.answer(&ModelRequest::new("", after).tools(tools.to_vec()));
        assert_eq!(said(&events), r#"{"article":{"title":"Jazz"}}"#);
        // The Event Finder's tools are not the News Guide's; the puzzle agent has none.
        let events = ModelRequest::new("", vec![user_text("/get_article_by_id")]).tools(vec![ToolSpec::new("show_event_list_widget", "", json!({}))]);
        assert_eq!(said(&script.answer(&events)), "there is no tool `get_article_by_id` here; the tools are: show_event_list_widget");
        let puzzle = ModelRequest::new(crate::instructions::PUZZLE, vec![user_text("/get_article_by_id {")]);
        let text = said(&script.answer(&puzzle));
        assert!(text.starts_with("the arguments of /get_article_by_id must be a JSON object"), "{text}");
    }

    #[test]
    fn markers_and_leads() {
        assert_eq!(marker("x <A>id-1</A> y", "A").as_deref(), Some("id-1"));
        assert_eq!(marker("<A>open", "A"), None);
        assert_eq!(lead("One. Two! Three? Four."), "One. Two! Three? Four.");
    }
}
