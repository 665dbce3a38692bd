//! # metro-map
//!
//! The official ChatKit "Metro Map" sample in Rust: an assistant that helps plan the Orbital
//! Transit network, with the map drawn beside the chat.
//!
//! * **Tools that read the map** — `get_map` (with a progress update), `list_lines`,
//!   `list_stations`, `get_station`.
//! * **A server action** — `show_line_selector` shows the line picker
//!   (`widgets/line_select.widget`); its `line.select` action reaches [`App`]'s
//!   [`action`](chatkit::ChatKitServer::action), which replaces the picker with the choice
//!   checked, stores `<LINE_SELECTED>line</LINE_SELECTED>` as hidden context, asks where the
//!   station goes, and sends the `location_select_mode` client effect (the page shows arrows at
//!   both ends of the line). The next turn's `add_station` reads the line from that hidden
//!   context and sends the `add_station` effect with the new map.
//! * **Entities** — stations are @-mentionable: [`router`] serves the search and preview
//!   endpoints, [`StationTags`] writes a tagged station as a `<STATION_TAG>` block for the
//!   model, and `plan_route` answers with station annotations the page can focus.
//! * **A client tool** — `get_selected_stations` asks the page for the stations selected on
//!   the map, and the answer continues the response.
//! * **The page's "Add station" form** — [`router`]'s `POST /api/stations` adds a station
//!   the way `add_station` does ([`MapStore::add_station`]), with 4xx errors naming the field.
//! * **Titles** — the first message names the thread (asked of the model).
//! * **Offline** — [`App::scripted_model`] calls the same tools on cue.
//!
//! ```
//! use std::sync::Arc;
//! use chatkit::{ChatKit, MemoryStore};
//! let app = metro_map::App::new(Arc::new(metro_map::App::scripted_model()));
//! let router: axum::Router = metro_map::router(ChatKit::new(app, MemoryStore::new()));
//! # let _ = router;
//! ```

mod convert;
mod http;
mod map;
mod script;
mod tools;
mod widgets;

use std::sync::Arc;

use chatkit::store::StoreContext;
use chatkit::{
    Action, ChatKitServer, HandlerError, HandlerResult, RequestContext, Turn, UserMessageItem, WidgetItem,
};
use chatkit_agents::convert::ItemConverter;
use chatkit_agents::model::Model;
use chatkit_agents::{Agent, generate_title};
use serde::Deserialize;

pub use convert::StationTags;
pub use http::{page, router};
pub use map::{Line, MAX_NAME, MapError, MapStore, MetroMap, Orientation, Station};

/// The model's instructions (the sample's, with routes given as station ids).
pub const INSTRUCTIONS: &str = include_str!("instructions.md");

/// What the tools and the action handler share.
pub(crate) struct Shared {
    maps: Arc<MapStore>,
    templates: widgets::Templates,
}

/// The metro planner: a [`ChatKitServer`] whose agent reads and extends each user's map.
pub struct App {
    shared: Arc<Shared>,
    agent: Agent<RequestContext>,
    model: Arc<dyn Model>,
}

impl App {
    /// The planner on a model (a real one, or [`App::scripted_model`]).
    pub fn new(model: Arc<dyn Model>) -> Self {
        let shared = Arc::new(Shared { maps: Arc::new(MapStore::new()), templates: widgets::Templates::load() });
        let agent = Agent::with_model("metro_map", model.clone())
            .instructions(INSTRUCTIONS)
            .tool(tools::GetMap(shared.clone()))
            .tool(tools::ListLines(shared.clone()))
            .tool(tools::ListStations(shared.clone()))
            .tool(tools::GetStation(shared.clone()))
            .tool(tools::PlanRoute(shared.clone()))
            .tool(tools::ShowLineSelector(shared.clone()))
            .tool(tools::AddStation(shared.clone()))
            .tool(tools::GetSelectedStations)
            // Their message or widget is the answer (the client tool stops the turn anyway).
            .stop_at_tools(["plan_route", "show_line_selector"]);
        Self { shared, agent, model }
    }

    /// The offline model: deterministic replies that call the planner's tools. The first cue
    /// found in what the user typed (ignoring case) picks the tool; tool outputs are answered
    /// with `"Done: <output>"`, and titles are the first words of the first message.
    ///
    /// | Cue | Tool |
    /// |---|---|
    /// | "end of the", "beginning of the" | `add_station` ("Aurora", on the line picked last) |
    /// | "selected" | `get_selected_stations` (the page answers) |
    /// | "new station", "new metro station", "add a station", "another station" | `show_line_selector` |
    /// | "quickest way", "route" | `plan_route` (Cinderia → Lyra Verge) |
    /// | "titan border" | `get_station` (Titan Border) |
    /// | "each line", "lines" | `list_lines` |
    /// | "stations" | `list_stations` |
    pub fn scripted_model() -> chatkit_agents::model::ScriptedModel {
        script::model()
    }

    /// The maps of every user (the page's map is [`MapStore::get`] of its user).
    pub fn maps(&self) -> &MapStore {
        &self.shared.maps
    }
}

/// Payload of `line.select`.
#[derive(Deserialize)]
struct SelectLine {
    id: String,
}

impl ChatKitServer for App {
    type Context = RequestContext;

    async fn respond(&self, turn: &mut Turn<RequestContext>, input: Option<UserMessageItem>) -> HandlerResult {
        let owner = turn.context().owner().into_owned();
        let history = turn.history().await?;
        let converter = StationTags::for_owner(self.shared.maps.clone(), &owner);
        let input_items = converter.convert(&history).await.map_err(HandlerError::from)?;
        // The first message names the thread, asked of the model while the agent answers.
        let first = input.filter(|_| turn.thread().title.is_none()).map(|m| m.text());
        let title = async {
            match &first {
                Some(text) => Some(generate_title(self.model.as_ref(), text).await),
                None => None,
            }
        };
        let (title, outcome) = futures_util::future::join(title, self.agent.run(turn, input_items, None)).await;
        if let Some(title) = title.filter(|t| !t.is_empty()) {
            turn.thread_mut().title = Some(title.trim_end_matches('.').to_owned());
        }
        outcome.map(|_| ())
    }

    async fn action(&self, turn: &mut Turn<RequestContext>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        match action.kind() {
            "line.select" => {
                let SelectLine { id } = action.payload().map_err(|e| HandlerError::custom(e.to_string()))?;
                let owner = turn.context().owner().into_owned();
                let map = self.shared.maps.get(&owner);
                let Some(line) = map.line(&id) else {
                    return Err(HandlerError::custom(format!("There is no line `{id}`.")));
                };
                let line_id = line.id.clone();
                // The picker shows the choice and takes no more clicks.
                if let Some(sender) = &sender {
                    let picker = self
                        .shared
                        .templates
                        .line_select(&map, Some(&line_id))
                        .map_err(|e| HandlerError::custom(e.to_string()))?;
                    turn.replace_widget(sender, picker).await?;
                }
                // The next run of the agent picks the line up from here.
                turn.add_hidden_context(tools::line_selected(&line_id)).await?;
                turn.say("Would you like to add the station to the beginning or end of the line?").await?;
                turn.emit(tools::effect("location_select_mode", serde_json::json!({"lineId": line_id}))).await
            }
            other => Err(HandlerError::custom(format!("Unknown action `{other}`."))),
        }
    }
}
