//! Widget actions. Picking a flight books it, locks the picker to that flight and offers
//! return flights in a new picker (the actions chain); picking a meal sets it and locks the
//! meal picker. Each records a `<WIDGET_ACTION>` hidden context item, so the next turn's
//! model knows what the traveller clicked, and refreshes the side panel.

use chatkit::{Action, HandlerError, HandlerResult, RequestContext, Turn, WidgetItem};
use serde::Deserialize;

use crate::App;
use crate::state::FlightSegment;
use crate::tools::sync_profile;
use crate::widgets::{FLIGHT_SELECT, FlightSelect, Leg, MealChoice, SET_MEAL_PREFERENCE, describe_flight, flight_options};

/// Confirms a held round trip.
pub const BOOKING_CONFIRM: &str = "booking.confirm_selection";
/// Asks to change the plan.
pub const BOOKING_MODIFY: &str = "booking.modify_request";
/// Accepts an upgrade offer.
pub const UPSELL_ACCEPT: &str = "upsell.accept";
/// Declines an upgrade offer.
pub const UPSELL_DECLINE: &str = "upsell.decline";
/// Picks another departure time for a flight.
pub const REBOOK_SELECT: &str = "rebook.select_option";

/// Payload of [`BOOKING_CONFIRM`].
#[derive(Debug, Default, Deserialize)]
struct BookingConfirm {
    #[serde(default = "the_trip")]
    destination: String,
    #[serde(default = "outbound")]
    depart_label: String,
    #[serde(default = "return_flight")]
    return_label: String,
}

fn the_trip() -> String {
    "the trip".into()
}
fn outbound() -> String {
    "outbound flight".into()
}
fn return_flight() -> String {
    "return flight".into()
}

/// Payload of the upgrade offers.
#[derive(Debug, Deserialize)]
struct Upgrade {
    #[serde(default = "the_upgrade")]
    cabin_name: String,
    #[serde(default = "quoted")]
    price: String,
}

fn the_upgrade() -> String {
    "the upgrade".into()
}
fn quoted() -> String {
    "the quoted amount".into()
}

/// Payload of [`REBOOK_SELECT`].
#[derive(Debug, Deserialize)]
struct Rebook {
    flight_number: String,
    option_id: String,
    #[serde(default)]
    depart_time: String,
    #[serde(default)]
    arrival_time: String,
    #[serde(default = "alternate")]
    option_note: String,
}

fn alternate() -> String {
    "Selected alternate time".into()
}

fn payload<T: serde::de::DeserializeOwned>(action: &Action) -> HandlerResult<T> {
    action.payload().map_err(|e| HandlerError::custom(e.to_string()))
}

/// The row of a default seat for a cabin: `(first row, last row, letters)`.
fn seat_plan(cabin: &str) -> (u32, u32, &'static str) {
    match cabin.trim().to_lowercase().as_str() {
        "first" => (1, 3, "AD"),
        "business" => (4, 9, "ACDF"),
        "premium economy" => (10, 19, "ABCDEF"),
        "economy" => (20, 45, "ABCDEF"),
        _ => (12, 38, "ABCDEF"),
    }
}

/// A seat for a new booking, spread over the cabin by how many flights are booked already
/// (deterministic, so replies and tests are stable).
fn default_seat(cabin: &str, booked: usize) -> String {
    let (first, last, letters) = seat_plan(cabin);
    let rows = (last - first + 1) as usize;
    let row = first as usize + (booked * 7) % rows;
    let letter = letters.as_bytes()[booked % letters.len()] as char;
    format!("{row}{letter}")
}

impl App {
    pub(crate) async fn run_action(&self, turn: &mut Turn<RequestContext>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        match action.kind() {
            SET_MEAL_PREFERENCE => self.set_meal(turn, &action, sender).await,
            FLIGHT_SELECT => self.select_flight(turn, &action, sender).await,
            BOOKING_CONFIRM => {
                let p: BookingConfirm = payload(&action)?;
                let thread = turn.thread().id.to_string();
                let confirmation = self.accounts.with(&thread, |a| a.record_booking_hold(&p.destination, &p.depart_label, &p.return_label));
                turn.say(format!("{confirmation} I’ll keep monitoring inventory and let you know if something better opens.")).await?;
                sync_profile(turn, &self.accounts).await
            }
            BOOKING_MODIFY => {
                turn.say("Happy to tweak the plan. Let me know what you'd like to change and feel free to attach a new inspiration photo if it helps.")
                    .await
            }
            UPSELL_ACCEPT => {
                let p: Upgrade = payload(&action)?;
                let thread = turn.thread().id.to_string();
                let confirmation = self.accounts.with(&thread, |a| a.record_upgrade(&p.cabin_name, &p.price));
                turn.say(confirmation).await?;
                sync_profile(turn, &self.accounts).await
            }
            UPSELL_DECLINE => {
                let p: Upgrade = payload(&action)?;
                turn.say(format!(
                    "No worries—I'll keep the current cabin and continue helping with {} availability.",
                    p.cabin_name.to_lowercase()
                ))
                .await
            }
            REBOOK_SELECT => {
                let p: Rebook = payload(&action)?;
                if p.option_id == "keep" {
                    return turn.say("Sounds good — we'll keep the original departure on file.").await;
                }
                let thread = turn.thread().id.to_string();
                let reply = self
                    .accounts
                    .with(&thread, |a| a.rebook_segment(&p.flight_number, &p.depart_time, &p.arrival_time, &p.option_note))
                    .unwrap_or_else(|e| e.to_string());
                turn.say(reply).await?;
                sync_profile(turn, &self.accounts).await
            }
            other => Err(HandlerError::custom(format!("Unknown action `{other}`."))),
        }
    }

    async fn set_meal(&self, turn: &mut Turn<RequestContext>, action: &Action, sender: Option<WidgetItem>) -> HandlerResult {
        let choice: MealChoice = payload(action)?;
        let label = choice.meal.label();
        let thread = turn.thread().id.to_string();
        self.accounts.with(&thread, |a| a.set_meal(label));
        if let Some(sender) = sender {
            turn.replace_widget(&sender, self.templates.meals(Some(choice.meal))?).await?;
            turn.say(format!("Your meal preference has been updated to \"{label}\".")).await?;
            turn.add_hidden_context(format!(
                "<WIDGET_ACTION widgetId={}>{} payload: {}</WIDGET_ACTION>",
                sender.id,
                action.kind(),
                choice.meal.value()
            ))
            .await?;
        }
        sync_profile(turn, &self.accounts).await
    }

    async fn select_flight(&self, turn: &mut Turn<RequestContext>, action: &Action, sender: Option<WidgetItem>) -> HandlerResult {
        let select: FlightSelect = payload(action)?;
        let thread = turn.thread().id.to_string();
        if let Some(sender) = &sender {
            if self.accounts.with(&thread, |a| a.is_widget_consumed(&sender.id)) {
                return turn.say("That flight is already booked; pick from the newest options to book another.").await;
            }
        }
        let request = &select.request;
        let options = if select.options.is_empty() { flight_options(request) } else { select.options.clone() };
        let Some(chosen) = options.iter().find(|o| o.id == select.id) else {
            return Err(HandlerError::custom(format!("There is no flight option `{}` in this list.", select.id)));
        };
        // Render first: a payload the templates refuse books nothing.
        let locked = self.templates.flights(std::slice::from_ref(chosen), request, Some(&chosen.id), select.leg)?;
        let returns = match select.leg {
            Leg::Outbound => {
                let back = request.reversed();
                Some((self.templates.flights(&flight_options(&back), &back, None, Leg::Return)?, back))
            }
            Leg::Return => None,
        };

        let depart_label = format!("{} {}→{} {}", request.depart_date, chosen.from_airport, chosen.to_airport, chosen.dep_time);
        let return_label = format!("{} {}→{}", request.return_date, request.destination_code(), request.origin_code());
        let booking = self.accounts.with(&thread, |a| {
            a.record_booking_hold(&request.destination_code(), &depart_label, &return_label);
            let seat = default_seat(&request.cabin, a.segments.len());
            a.record_flight_booking(FlightSegment {
                flight_number: if select.leg == Leg::Outbound { "OA917" } else { "OA927" }.into(),
                date: request.depart_date.clone(),
                origin: request.origin_code(),
                destination: request.destination_code(),
                departure_time: chosen.dep_time.clone(),
                arrival_time: chosen.arr_time.clone(),
                seat,
                status: "Scheduled".into(),
            })
        });
        let next = match select.leg {
            Leg::Outbound => "You're scheduled on that option. I'll surface a few returns now.",
            Leg::Return => "Return scheduled. Want me to watch for upgrades?",
        };
        turn.say(format!("Scheduled: {}. Seat {} for now; {next}", describe_flight(chosen, request), booking.seat)).await?;
        if let Some(sender) = &sender {
            turn.replace_widget(sender, locked).await?;
            self.accounts.with(&thread, |a| a.consume_widget(&sender.id));
        }
        if let Some((widget, back)) = returns {
            turn.say("Here are return options that line up with your trip:").await?;
            turn.show_widget(widget, Some(format!("Flights {} → {}", back.origin_code(), back.destination_code()))).await?;
        }
        let widget_id = sender.as_ref().map_or("unknown", |s| s.id.as_str());
        let payload = serde_json::to_string(&select).unwrap_or_default();
        turn.add_hidden_context(format!("<WIDGET_ACTION widgetId={widget_id}>{} payload: {payload}</WIDGET_ACTION>", action.kind()))
            .await?;
        sync_profile(turn, &self.accounts).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_follow_the_cabin() {
        assert_eq!(default_seat("first", 0), "1A");
        assert_eq!(default_seat("Business", 2), "6D");
        assert_eq!(default_seat("economy", 2), "34C");
        assert_eq!(default_seat("unknown", 1), "19B");
    }
}
