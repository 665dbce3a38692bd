//! The concierge's tools. Each changes the thread's account and sends the
//! `customer_profile/update` client effect so the side panel follows; the two picker tools
//! show their widget and end the turn (the widget is the answer).

use std::sync::Arc;

use chatkit::{RequestContext, ThreadStreamEvent, Turn};
use chatkit_agents::{FunctionTool, ToolContext, ToolError};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::state::{Accounts, CustomerProfile};
use crate::widgets::{FlightSearchRequest, Leg, Templates, flight_options};

/// The client effect that carries the updated account to the page.
pub const PROFILE_EFFECT: &str = "customer_profile/update";

/// The tools that end the turn once they ran.
pub const STOP_AT: [&str; 2] = ["meal_preference_list", "flight_option_list"];

/// The `customer_profile/update` effect for an account.
pub(crate) fn profile_effect(profile: &CustomerProfile) -> ThreadStreamEvent {
    let mut data = Map::new();
    data.insert("profile".into(), serde_json::to_value(profile).unwrap_or(Value::Null));
    ThreadStreamEvent::effect(PROFILE_EFFECT, data)
}

/// Sends the account of the turn's thread to the page.
pub(crate) async fn sync_profile(turn: &mut Turn<RequestContext>, accounts: &Accounts) -> chatkit::HandlerResult {
    let profile = accounts.profile(&turn.thread().id);
    turn.emit(profile_effect(&profile)).await
}

/// What every tool shares.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) accounts: Arc<Accounts>,
    pub(crate) templates: Arc<Templates>,
}

/// No arguments.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct NoArgs {}

macro_rules! tool {
    ($ty:ident, $name:literal, $description:literal, $args:ty, |$this:ident, $ctx:ident, $a:ident| $body:block) => {
        pub(crate) struct $ty(pub(crate) Shared);

        impl FunctionTool<RequestContext> for $ty {
            type Args = $args;
            fn name(&self) -> &str {
                $name
            }
            fn description(&self) -> &str {
                $description
            }
            async fn run(&self, $ctx: &mut ToolContext<'_, RequestContext>, $a: $args) -> Result<String, ToolError> {
                let $this = &self.0;
                $body
            }
        }
    };
}

/// Arguments of `change_seat`.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ChangeSeatArgs {
    /// The flight, e.g. OA476.
    flight_number: String,
    /// The new seat, e.g. 14C.
    seat: String,
}

tool!(ChangeSeat, "change_seat", "Move the passenger to a different seat on a flight.", ChangeSeatArgs, |this, ctx, args| {
    let thread = ctx.thread().id.to_string();
    let message = this.accounts.with(&thread, |p| p.change_seat(&args.flight_number, &args.seat)).map_err(|e| ToolError::failed(e.to_string()))?;
    sync_profile(ctx, &this.accounts).await?;
    Ok(message)
});

tool!(CancelTrip, "cancel_trip", "Cancel the traveller's upcoming trip and note the refund.", NoArgs, |this, ctx, _args| {
    let thread = ctx.thread().id.to_string();
    let message = this.accounts.with(&thread, CustomerProfile::cancel_trip);
    sync_profile(ctx, &this.accounts).await?;
    Ok(message)
});

tool!(AddCheckedBag, "add_checked_bag", "Add a checked bag to the reservation.", NoArgs, |this, ctx, _args| {
    let thread = ctx.thread().id.to_string();
    let message = this.accounts.with(&thread, CustomerProfile::add_bag);
    sync_profile(ctx, &this.accounts).await?;
    Ok(message)
});

/// Arguments of `request_assistance`.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct AssistanceArgs {
    /// What airport staff should know, e.g. "wheelchair at the gate".
    note: String,
}

tool!(RequestAssistance, "request_assistance", "Note a special assistance request for airport staff.", AssistanceArgs, |this, ctx, args| {
    let note = args.note.trim();
    if note.is_empty() {
        return Err(ToolError::failed("Say what assistance is needed."));
    }
    let thread = ctx.thread().id.to_string();
    let message = this.accounts.with(&thread, |p| p.request_assistance(note));
    sync_profile(ctx, &this.accounts).await?;
    Ok(message)
});

tool!(MealPreferenceList, "meal_preference_list", "Display the meal preference picker.", NoArgs, |this, ctx, _args| {
    let widget = this.templates.meals(None).map_err(|e| ToolError::failed(e.to_string()))?;
    ctx.say("Please select your meal preference.").await?;
    ctx.show_widget(widget, Some("Meal preferences: Vegetarian, Kosher, Gluten intolerant, Child".into())).await?;
    Ok("Shared meal preference options with the traveller.".into())
});

/// Arguments of `flight_option_list`.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct FlightSearchArgs {
    /// Airport code of the destination, e.g. CDG.
    destination: String,
    /// Departure date, YYYY-MM-DD.
    depart_date: String,
    /// Return date, YYYY-MM-DD.
    return_date: String,
    /// economy, premium economy, business or first.
    cabin: String,
    /// Airport code of departure; the traveller's home airport when omitted.
    #[serde(default)]
    origin: Option<String>,
}

tool!(
    FlightOptionList,
    "flight_option_list",
    "Share specific flight options after collecting destination, dates, and cabin.",
    FlightSearchArgs,
    |this, ctx, args| {
        let thread = ctx.thread().id.to_string();
        let home = this.accounts.with(&thread, |p| p.home_airport.clone());
        let origin = args.origin.as_deref().map(str::trim).filter(|o| !o.is_empty()).unwrap_or(&home);
        let request = FlightSearchRequest {
            origin: origin.to_uppercase(),
            destination: args.destination.trim().to_uppercase(),
            depart_date: args.depart_date.trim().to_owned(),
            return_date: args.return_date.trim().to_owned(),
            cabin: args.cabin.trim().to_lowercase(),
        };
        ctx.emit(ThreadStreamEvent::progress(format!("Searching {} → {}…", request.origin_code(), request.destination_code()))).await?;
        let options = flight_options(&request);
        let widget = this.templates.flights(&options, &request, None, Leg::Outbound).map_err(|e| ToolError::failed(e.to_string()))?;
        this.accounts.with(&thread, |p| {
            p.record_trip_dates(&request.origin, &request.destination, &request.depart_date, &request.return_date)
        });
        ctx.say("I pulled a few flight options based on those dates and cabin preferences. Pick one to place on hold.").await?;
        ctx.show_widget(widget, Some(format!("Flights {} → {}", request.origin_code(), request.destination_code()))).await?;
        sync_profile(ctx, &this.accounts).await?;
        Ok("Shared flight options with the traveller.".into())
    }
);
