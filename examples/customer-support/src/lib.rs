//! # customer-support
//!
//! The official ChatKit customer-support sample in Rust: an airline concierge (OpenSkies)
//! acting for a traveller, beside a side panel showing the traveller's account.
//!
//! * **Tools** ([`tools`](crate::App)) — `change_seat`, `cancel_trip`, `add_checked_bag`,
//!   `request_assistance`, and two that show a widget and end the turn:
//!   `meal_preference_list` and `flight_option_list`.
//! * **Widgets** — the sample's `flight_options.widget` and `meal_preferences.widget`.
//! * **Server actions that chain** — picking an outbound flight (`flight.select`) books it,
//!   locks that picker to the flight and shows a second picker for the return; picking a meal
//!   (`support.set_meal_preference`) sets it and locks the meal picker. Both record what was
//!   clicked as hidden context for the next turn.
//! * **Client effects** — every change sends `customer_profile/update` with the account,
//!   which the page's side panel shows.
//! * **Model context** — each turn starts with a `<CUSTOMER_PROFILE>` block; attached photos
//!   reach the model as images ([`SupportConverter`]).
//! * **Titles** — the first message names the thread (asked of the model).
//! * **Feedback** — thumbs up/down are recorded ([`App::feedback`]).
//!
//! Offline it runs on [`SupportScript`], a deterministic model calling the same tools.
//!
//! ```
//! use std::sync::Arc;
//! use chatkit::{ChatKit, MemoryStore};
//! use customer_support::App;
//! let chatkit = ChatKit::new(App::new(Arc::new(App::scripted_model())), MemoryStore::new());
//! let app: axum::Router = customer_support::router(chatkit);
//! # let _ = app;
//! ```

mod actions;
mod convert;
mod http;
mod script;
mod state;
mod tools;
mod widgets;

use std::sync::{Arc, Mutex, PoisonError};

use chatkit::{
    Action, ChatKitServer, FeedbackKind, HandlerResult, ItemId, RequestContext, ThreadId, Turn, UserMessageItem, WidgetItem,
};
use chatkit_agents::model::Model;
use chatkit_agents::{Agent, generate_title};
use serde::Serialize;

pub use actions::{BOOKING_CONFIRM, BOOKING_MODIFY, REBOOK_SELECT, UPSELL_ACCEPT, UPSELL_DECLINE};
pub use convert::SupportConverter;
pub use http::{context_from_parts, page, router};
pub use script::SupportScript;
pub use state::{AccountError, Accounts, CustomerProfile, EntryKind, FlightSegment, LoyaltyProgress, TimelineEntry};
pub use tools::{PROFILE_EFFECT, STOP_AT};
pub use widgets::{
    FLIGHT_SELECT, FlightOption, FlightSearchRequest, FlightSelect, Leg, Meal, MealChoice, SET_MEAL_PREFERENCE, date_label,
    describe_flight, flight_options,
};

/// The concierge's instructions (the sample's, word for word).
pub const INSTRUCTIONS: &str = include_str!("instructions.md");

/// A thumbs up or down the traveller gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Feedback {
    /// The thread.
    pub thread_id: ThreadId,
    /// The item rated.
    pub item_id: ItemId,
    /// Up or down.
    pub kind: FeedbackKind,
}

/// The customer-support app.
pub struct App {
    agent: Agent<RequestContext>,
    model: Arc<dyn Model>,
    accounts: Arc<Accounts>,
    templates: Arc<widgets::Templates>,
    feedback: Mutex<Vec<Feedback>>,
}

impl App {
    /// The app on a model: a hosted one, or [`App::scripted_model`] offline.
    pub fn new(model: Arc<dyn Model>) -> Self {
        let accounts = Arc::new(Accounts::default());
        let templates = Arc::new(widgets::Templates::load());
        let shared = tools::Shared { accounts: accounts.clone(), templates: templates.clone() };
        let agent = Agent::with_model("OpenSkies Concierge", model.clone())
            .instructions(INSTRUCTIONS)
            .converter(SupportConverter::new())
            .tool(tools::ChangeSeat(shared.clone()))
            .tool(tools::CancelTrip(shared.clone()))
            .tool(tools::AddCheckedBag(shared.clone()))
            .tool(tools::MealPreferenceList(shared.clone()))
            .tool(tools::FlightOptionList(shared.clone()))
            .tool(tools::RequestAssistance(shared))
            .stop_at_tools(STOP_AT);
        Self { agent, model, accounts, templates, feedback: Mutex::default() }
    }

    /// The offline model: deterministic replies that call the concierge's tools.
    pub fn scripted_model() -> SupportScript {
        SupportScript
    }

    /// The account of a thread (every thread starts with [`CustomerProfile::sample`]).
    pub fn profile(&self, thread_id: &str) -> CustomerProfile {
        self.accounts.profile(thread_id)
    }

    /// Feedback received so far, oldest first.
    pub fn feedback(&self) -> Vec<Feedback> {
        self.feedback.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl ChatKitServer for App {
    type Context = RequestContext;

    async fn respond(&self, turn: &mut Turn<RequestContext>, input: Option<UserMessageItem>) -> HandlerResult {
        // The title is asked of the model while the answer streams.
        let first = input.filter(|_| turn.thread().title.is_none()).map(|m| m.text());
        let title = async {
            match &first {
                Some(text) => Some(generate_title(self.model.as_ref(), text).await),
                None => None,
            }
        };
        let profile = self.accounts.profile(&turn.thread().id);
        let answer = async {
            let mut input = vec![chatkit_agents::convert::user_text(profile.model_context())];
            input.extend(self.agent.input(turn).await?);
            self.agent.run(turn, input, None).await
        };
        let (title, outcome) = futures_util::join!(title, answer);
        if let Some(title) = title {
            turn.thread_mut().title = Some(title);
        }
        outcome.map(|_| ())
    }

    async fn action(&self, turn: &mut Turn<RequestContext>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        self.run_action(turn, action, sender).await
    }

    async fn add_feedback(
        &self,
        thread_id: &ThreadId,
        item_ids: &[ItemId],
        kind: FeedbackKind,
        _context: &RequestContext,
    ) -> HandlerResult {
        let mut feedback = self.feedback.lock().unwrap_or_else(PoisonError::into_inner);
        feedback.extend(item_ids.iter().map(|id| Feedback { thread_id: thread_id.clone(), item_id: id.clone(), kind }));
        Ok(())
    }
}
