//! The offline concierge: a deterministic [`Model`] that reads the same input a hosted model
//! gets (the `<CUSTOMER_PROFILE>` block, the conversation, hidden context) and calls the same
//! tools, so offline and real-model runs share one code path.

use async_trait::async_trait;
use chatkit_agents::model::{Model, ModelError, ModelEvent, ModelRequest, ModelStream, ToolCall, ToolCommand, Usage};
use serde_json::{Value, json};

/// A scripted concierge.
///
/// | the traveller says | it calls |
/// |---|---|
/// | … meal … | `meal_preference_list` |
/// | … seat … (`14C`, `OA476` read from the text) | `change_seat` |
/// | … bag … | `add_checked_bag` |
/// | … cancel … | `cancel_trip` |
/// | … assistance / wheelchair … | `request_assistance` |
/// | … book / flight / trip / a city … (dates `YYYY-MM-DD` and cabin read from the text) | `flight_option_list` |
///
/// A message `/NAME {json arguments}` ([`ToolCommand`]) calls any tool it is offered with
/// those arguments (a tool that is not offered, or arguments that are not a JSON object, are
/// answered in text).
///
/// After a tool it repeats the tool's result. "What did I pick?" is answered from the hidden
/// context (`<WIDGET_ACTION …>`) in its input; anything else gets a greeting from the
/// `<CUSTOMER_PROFILE>`. Asked for a thread title (a request without tools), it names the
/// request.
#[derive(Clone, Copy, Debug, Default)]
pub struct SupportScript;

/// City names the script knows, with their airports.
const CITIES: [(&str, &str); 6] =
    [("paris", "CDG"), ("tokyo", "HND"), ("santorini", "JTR"), ("new york", "JFK"), ("london", "LHR"), ("san francisco", "SFO")];

/// What the traveller wants, from their message.
#[derive(Clone, Debug, PartialEq)]
enum Intent {
    Tool(&'static str, Value),
    Recall,
    Greet,
}

fn intent(text: &str) -> Intent {
    let lower = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["what did i", "what have i", "recap", "remind me what"]) {
        return Intent::Recall;
    }
    if has(&["meal"]) {
        return Intent::Tool("meal_preference_list", json!({}));
    }
    if has(&["seat"]) {
        let words: Vec<String> = text.split(|c: char| !c.is_ascii_alphanumeric()).map(str::to_uppercase).collect();
        let flight = words.iter().find(|w| is_flight(w)).cloned().unwrap_or_else(|| "OA476".into());
        let seat = words.iter().find(|w| is_seat(w)).cloned().unwrap_or_else(|| "14C".into());
        return Intent::Tool("change_seat", json!({"flight_number": flight, "seat": seat}));
    }
    if has(&["bag"]) {
        return Intent::Tool("add_checked_bag", json!({}));
    }
    if has(&["cancel"]) {
        return Intent::Tool("cancel_trip", json!({}));
    }
    if has(&["assistance", "wheelchair"]) {
        let note = lower.split_once(" for ").map_or(text.trim(), |(_, rest)| rest.trim()).trim_end_matches(['.', '!']);
        return Intent::Tool("request_assistance", json!({"note": note}));
    }
    let city = CITIES.iter().find(|(name, _)| lower.contains(name));
    if city.is_some() || has(&["book", "flight", "trip"]) {
        let destination = city.map_or("JFK", |(_, code)| code);
        let dates: Vec<&str> = text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric())).filter(|w| is_date(w)).collect();
        let cabin = ["premium economy", "business", "first", "economy"].into_iter().find(|c| lower.contains(c)).unwrap_or("economy");
        return Intent::Tool(
            "flight_option_list",
            json!({
                "destination": destination,
                "depart_date": dates.first().copied().unwrap_or("2025-11-14"),
                "return_date": dates.get(1).copied().unwrap_or("2025-11-21"),
                "cabin": cabin,
            }),
        );
    }
    Intent::Greet
}

/// `OA476`: two letters, then digits.
fn is_flight(word: &str) -> bool {
    word.len() > 2 && word[..2].chars().all(|c| c.is_ascii_alphabetic()) && word[2..].chars().all(|c| c.is_ascii_digit())
}

/// `14C`: digits, then one letter.
fn is_seat(word: &str) -> bool {
    word.len() >= 2 && word[..word.len() - 1].chars().all(|c| c.is_ascii_digit()) && word.ends_with(|c: char| c.is_ascii_alphabetic())
}

/// `2025-11-14`.
fn is_date(word: &str) -> bool {
    chrono::NaiveDate::parse_from_str(word, "%Y-%m-%d").is_ok()
}

/// The text of an input item (a message's text parts, joined).
fn text_of(item: &Value) -> String {
    match &item["content"] {
        Value::String(text) => text.clone(),
        Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect::<Vec<_>>().join("\n"),
        _ => String::new(),
    }
}

/// What the hidden context says the traveller clicked, in words.
fn recall(request: &ModelRequest) -> String {
    let mut done = Vec::new();
    for item in &request.input {
        let text = text_of(item);
        let Some(record) = text.strip_prefix("<WIDGET_ACTION") else { continue };
        let Some((_, body)) = record.split_once('>') else { continue };
        let body = body.trim_end_matches("</WIDGET_ACTION>");
        if let Some(meal) = body.strip_prefix("support.set_meal_preference payload: ") {
            done.push(format!("set your meal preference to {meal}"));
        } else if let Some(payload) = body.strip_prefix("flight.select payload: ") {
            let payload: Value = serde_json::from_str(payload).unwrap_or_default();
            let option = payload["options"].as_array().and_then(|o| o.iter().find(|o| o["id"] == payload["id"]));
            let (from, to, dep) = option.map_or(("?", "?", "?"), |o| {
                (o["from_airport"].as_str().unwrap_or("?"), o["to_airport"].as_str().unwrap_or("?"), o["dep_time"].as_str().unwrap_or("?"))
            });
            done.push(format!("booked the {} {from} → {to} flight at {dep}", payload["leg"].as_str().unwrap_or("outbound")));
        }
    }
    match done.len() {
        0 => "You haven't picked anything from the widgets in this chat yet.".into(),
        _ => format!("In this chat you {}.", done.join(", then ")),
    }
}

/// The greeting, from the `<CUSTOMER_PROFILE>` block of the input.
fn greet(request: &ModelRequest) -> String {
    let profile = request.input.iter().map(text_of).find(|t| t.starts_with("<CUSTOMER_PROFILE>")).unwrap_or_default();
    let field = |name: &str| profile.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or("?").to_owned();
    let name = field("Name:");
    let first = name.split_whitespace().next().unwrap_or("there");
    let status = name.split_once('(').map_or("", |(_, s)| s.trim_end_matches(')'));
    format!(
        "Hi {first}! As an {status} member you're in good hands. Your meal preference is {} and you have {} checked bag(s). \
         I can book a trip, change a seat, add a bag, set your meal, note special assistance or cancel the trip — what would you like?",
        field("Meal Preference:").to_lowercase(),
        field("Checked Bags:")
    )
}

/// A title for the first message (2–5 words, no punctuation).
fn title(text: &str) -> &'static str {
    match intent(text) {
        Intent::Tool("meal_preference_list", _) => "Meal preference update",
        Intent::Tool("change_seat", _) => "Seat change request",
        Intent::Tool("add_checked_bag", _) => "Extra checked bag",
        Intent::Tool("cancel_trip", _) => "Trip cancellation",
        Intent::Tool("request_assistance", _) => "Special assistance request",
        Intent::Tool(_, _) => "New trip booking",
        Intent::Recall => "Trip recap",
        Intent::Greet => "Concierge check in",
    }
}

fn words(text: &str) -> Vec<ModelEvent> {
    let mut events: Vec<ModelEvent> = text.split_inclusive(' ').map(|w| ModelEvent::TextDelta(w.to_owned())).collect();
    let count = events.len() as u64;
    events.push(ModelEvent::MessageDone);
    events.push(ModelEvent::Usage(Usage { input_tokens: 0, output_tokens: count }));
    events
}

impl SupportScript {
    fn answer(&self, request: &ModelRequest) -> Vec<ModelEvent> {
        let text = request.last_user_text().unwrap_or_default();
        if request.tools.is_empty() {
            return words(title(&text));
        }
        let outputs: Vec<&Value> = request.input.iter().rev().take_while(|i| i["type"] == "function_call_output").collect();
        if !outputs.is_empty() {
            let lines: Vec<String> = outputs.iter().rev().map(|o| o["output"].as_str().unwrap_or_default().to_owned()).collect();
            return words(&lines.join("\n"));
        }
        if let Some(command) = ToolCommand::call_for(&text, request).transpose() {
            return match command {
                Ok(call) => vec![ModelEvent::ToolCall(call), ModelEvent::Usage(Usage { input_tokens: 0, output_tokens: 1 })],
                Err(err) => words(&err.to_string()),
            };
        }
        match intent(&text) {
            Intent::Tool(name, arguments) if request.tools.iter().any(|t| t.name == name) => {
                let calls = request.input.iter().filter(|i| i["type"] == "function_call").count();
                let call = ToolCall { call_id: format!("call_{}", calls + 1), name: name.to_owned(), arguments: arguments.to_string() };
                vec![ModelEvent::ToolCall(call), ModelEvent::Usage(Usage { input_tokens: 0, output_tokens: 1 })]
            }
            Intent::Recall => words(&recall(request)),
            _ => words(&greet(request)),
        }
    }
}

#[async_trait]
impl Model for SupportScript {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ModelError> {
        Ok(Box::pin(futures_util::stream::iter(self.answer(&request).into_iter().map(Ok))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(text: &str) -> (&'static str, Value) {
        match intent(text) {
            Intent::Tool(name, args) => (name, args),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn intents() {
        assert_eq!(tool("Set my meal preference.").0, "meal_preference_list");
        assert_eq!(tool("Move me to seat 3A on flight OA477.").1, json!({"flight_number": "OA477", "seat": "3A"}));
        assert_eq!(tool("Change my seat").1, json!({"flight_number": "OA476", "seat": "14C"}));
        assert_eq!(tool("Add one more checked bag").0, "add_checked_bag");
        assert_eq!(tool("Cancel my upcoming trip").0, "cancel_trip");
        assert_eq!(tool("I need wheelchair assistance for the gate transfer.").1, json!({"note": "the gate transfer"}));
        let (name, args) = tool("Let's explore flights to Tokyo in business, 2025-12-01 to 2025-12-09.");
        assert_eq!(name, "flight_option_list");
        assert_eq!(args, json!({"destination": "HND", "depart_date": "2025-12-01", "return_date": "2025-12-09", "cabin": "business"}));
        assert_eq!(tool("Book a new trip").1["destination"], "JFK");
        assert_eq!(intent("What did I pick?"), Intent::Recall);
        assert_eq!(intent("Give me a quick overview of my account."), Intent::Greet);
        assert_eq!(title("Cancel my trip"), "Trip cancellation");
    }

    #[test]
    fn recall_reads_hidden_context() {
        let input = vec![
            chatkit_agents::convert::user_text("<WIDGET_ACTION widgetId=w1>support.set_meal_preference payload: kosher</WIDGET_ACTION>"),
            chatkit_agents::convert::user_text(
                r#"<WIDGET_ACTION widgetId=w2>flight.select payload: {"id":"b","options":[{"id":"b","from_airport":"SFO","to_airport":"CDG","dep_time":"12:35"}],"leg":"outbound"}</WIDGET_ACTION>"#,
            ),
        ];
        let request = ModelRequest::new("", input);
        assert_eq!(recall(&request), "In this chat you set your meal preference to kosher, then booked the outbound SFO → CDG flight at 12:35.");
        assert_eq!(recall(&ModelRequest::new("", vec![])), "You haven't picked anything from the widgets in this chat yet.");
    }
}
