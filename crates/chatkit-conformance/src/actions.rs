//! The actions of APP.md §7.

use chatkit::{Action, HandlerError, HandlerResult, ThreadStreamEvent, Turn, WidgetItem};
use chatkit_agents::pyjson::canonical;
use serde_json::{Map, Value, json};

use crate::app::ConformanceApp;
use crate::python::{equals_int, str_of};
use crate::{Caller, widgets};

fn fail(message: impl Into<String>) -> HandlerError {
    HandlerError::custom(message)
}

/// The sender when it is a widget of this kind (matched by a member of one of its components).
fn sender_with<'a>(sender: Option<&'a WidgetItem>, key: &str, value: &str) -> Option<&'a WidgetItem> {
    sender.filter(|s| widgets::find(&s.widget, key, value).is_some())
}

/// The toggle widget flipped, or `None` when `sender` is not a toggle.
pub(crate) fn flip(sender: &WidgetItem) -> Option<WidgetItem> {
    let light = widgets::find(&sender.widget, "id", "light")?;
    let on = light.get("value").and_then(Value::as_str) == Some("Light: off");
    let mut flipped = sender.clone();
    flipped.widget = widgets::toggle(on);
    Some(flipped)
}

/// A form value as `Received …` writes it: strings raw, anything else canonical JSON.
fn render_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => canonical(other),
    }
}

impl ConformanceApp {
    pub(crate) async fn run_action(
        &self,
        turn: &mut Turn<Caller>,
        action: Action,
        sender: Option<WidgetItem>,
    ) -> HandlerResult {
        let empty = Map::new();
        let payload = action.raw_payload().as_object().unwrap_or(&empty);
        let sender = sender.as_ref();
        match action.kind() {
            "ping" => turn.say(format!("pong {}", canonical(action.raw_payload()))).await,
            "counter.increment" => {
                let (Some(sender), Some(text)) = (sender, sender.and_then(|s| widgets::find(&s.widget, "id", "count"))) else {
                    return Err(fail("counter.increment needs a counter widget"));
                };
                let by = match payload.get("by") {
                    None => 1,
                    Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {
                        n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)).unwrap_or_default()
                    }
                    Some(_) => return Err(fail("counter.increment: 'by' must be an integer")),
                };
                let current = text
                    .get("value")
                    .and_then(Value::as_str)
                    .and_then(|v| v.split_once(": "))
                    .and_then(|(_, n)| n.trim().parse::<i128>().ok())
                    .ok_or_else(|| fail("counter.increment needs a counter widget"))?;
                let count = current.checked_add(by).ok_or_else(|| fail("counter.increment: the count is too large"))?;
                turn.replace_widget(sender, widgets::counter(count)).await?;
                turn.add_hidden_context(format!("Counter {} is now {count}", sender.id)).await?;
                turn.say(format!("Count is now {count}")).await
            }
            "item.select" => {
                let Some(sender) = sender_with(sender, "key", "colors") else {
                    return Err(fail("item.select needs a list widget"));
                };
                let choice = payload.get("id").cloned().unwrap_or(Value::Null);
                let Some((key, label)) = widgets::COLORS.iter().find(|(k, _)| choice.as_str() == Some(*k)) else {
                    return Err(fail(format!("Unknown item: {}", str_of(&choice))));
                };
                let status = sender.widget.as_map().get("status").and_then(|s| s.get("text")).and_then(Value::as_str);
                if status == Some(format!("Selected: {label}").as_str()) {
                    return turn.say(format!("{label} is already selected.")).await;
                }
                turn.replace_widget(sender, widgets::color_list(Some(key))).await?;
                turn.add_hidden_context(format!("Selected color: {key}")).await?;
                let mut data = Map::new();
                data.insert("id".into(), json!(key));
                turn.emit(ThreadStreamEvent::effect("highlight", data)).await?;
                turn.say(format!("Selected {label}.")).await
            }
            "form.submit" => {
                let Some(sender) = sender_with(sender, "key", "form") else {
                    return Err(fail("form.submit needs a form widget"));
                };
                if widgets::find(&sender.widget, "type", "Form").is_none() {
                    return turn.say("This form was already submitted.").await;
                }
                let mut values: Vec<(String, String)> =
                    payload.iter().map(|(k, v)| (k.clone(), render_value(v))).collect();
                values.sort_by(|a, b| a.0.cmp(&b.0));
                turn.replace_widget(sender, widgets::submitted(&values)).await?;
                let summary: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let summary = if summary.is_empty() { "nothing".to_owned() } else { summary.join(", ") };
                turn.say(format!("Received {summary}")).await
            }
            "names.pick" => {
                let Some(sender) = sender_with(sender, "key", "names") else {
                    return Err(fail("names.pick needs a names widget"));
                };
                let name = str_of(payload.get("name").unwrap_or(&json!(""))).trim().to_owned();
                let Some(Value::Array(options)) = payload.get("options") else {
                    return Err(fail("names.pick needs a name and the options"));
                };
                if name.is_empty() {
                    return Err(fail("names.pick needs a name and the options"));
                }
                let current = turn.thread().metadata.get("pet_name").filter(|v| !v.is_null()).cloned();
                if let Some(current) = current {
                    let current = str_of(&current);
                    let widget = self.names.render(options, Some(&current)).map_err(fail)?;
                    turn.replace_widget(sender, widget).await?;
                    return turn.say(format!("This thread is already named {current}.")).await;
                }
                let widget = self.names.render(options, Some(&name)).map_err(fail)?;
                turn.replace_widget(sender, widget).await?;
                let title = format!("{name}'s Lounge");
                let thread = turn.thread_mut();
                thread.metadata.insert("pet_name".into(), json!(name));
                thread.title = Some(title.clone());
                turn.add_hidden_context(format!("Name selected: {name}")).await?;
                turn.say(format!("{name} it is. This thread is now {title}.")).await
            }
            "wizard.next" => {
                let Some(sender) = sender_with(sender, "key", "wizard") else {
                    return Err(fail("wizard.next needs a wizard widget"));
                };
                let title = widgets::find(&sender.widget, "type", "Title")
                    .and_then(|t| t.get("value"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if title == "Done" {
                    return turn.say("Wizard already complete.").await;
                }
                let current: i64 = title
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| fail("wizard.next needs a wizard widget"))?;
                let step = payload.get("step").cloned().unwrap_or(Value::Null);
                if !equals_int(&step, current) {
                    return turn.say(format!("Step {} is not the current step.", str_of(&step))).await;
                }
                if current == widgets::WIZARD_STEPS {
                    turn.replace_widget(sender, widgets::wizard(None)).await?;
                    return turn.say("Wizard complete.").await;
                }
                turn.replace_widget(sender, widgets::wizard(Some(current + 1))).await?;
                turn.say(format!("On step {}.", current + 1)).await
            }
            "toggle.flip" => {
                let Some(flipped) = sender.and_then(flip) else {
                    return Err(fail("toggle.flip needs a toggle widget"));
                };
                turn.emit(ThreadStreamEvent::replaced(flipped)).await
            }
            other => Err(fail(format!("Unknown action: {other}"))),
        }
    }
}
