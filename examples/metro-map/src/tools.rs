//! The agent's tools: read the map, plan routes, pick a line, add a station, read the
//! selection on the page.

use std::sync::Arc;

use chatkit::store::StoreContext;
use chatkit::{Annotation, EntitySource, OutputText, RequestContext, Source, ThreadItem, ThreadStreamEvent};
use chatkit_agents::{FunctionTool, ToolContext, ToolError};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::Shared;
use crate::map::{MetroMap, Station, title_words};

type Ctx<'a, 'b> = &'a mut ToolContext<'b, RequestContext>;

fn owner(ctx: &ToolContext<'_, RequestContext>) -> String {
    ctx.context().owner().into_owned()
}

/// The hidden context a line pick leaves: `<LINE_SELECTED>blue</LINE_SELECTED>`.
pub(crate) fn line_selected(line_id: &str) -> String {
    format!("<LINE_SELECTED>{line_id}</LINE_SELECTED>")
}

/// The line picked last in this thread, read back from its hidden context.
async fn last_selected_line(ctx: &ToolContext<'_, RequestContext>) -> Result<Option<String>, ToolError> {
    let history = ctx.history().await?;
    Ok(history.iter().rev().find_map(|item| match item {
        ThreadItem::HiddenContext(hidden) => hidden
            .content
            .as_str()?
            .trim()
            .strip_prefix("<LINE_SELECTED>")?
            .strip_suffix("</LINE_SELECTED>")
            .map(str::to_owned),
        _ => None,
    }))
}

/// A client effect from a JSON object.
pub(crate) fn effect(name: &str, data: Value) -> ThreadStreamEvent {
    let Value::Object(data) = data else { unreachable!("effect data is built as a JSON object") };
    ThreadStreamEvent::effect(name, data)
}

fn station_line(map: &MetroMap, station: &Station) -> String {
    let lines: Vec<&str> = station.lines.iter().filter_map(|id| map.line(id)).map(|l| l.name.as_str()).collect();
    format!("{} (id {}; {}): {}", station.name, station.id, lines.join(", "), station.description)
}

/// No arguments.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct NoArgs {}

/// Shows the line picker; the answer of its turn (the agent stops after it).
pub(crate) struct ShowLineSelector(pub(crate) Arc<Shared>);

/// The prompt above the picker.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct SelectorArgs {
    /// Text shown above the widget to prompt the user.
    message: String,
}

impl FunctionTool<RequestContext> for ShowLineSelector {
    type Args = SelectorArgs;

    fn name(&self) -> &str {
        "show_line_selector"
    }

    fn description(&self) -> &str {
        "Show a clickable widget listing metro lines.\n- `message`: Text shown above the widget to prompt the user."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: SelectorArgs) -> Result<String, ToolError> {
        let map = self.0.maps.get(&owner(ctx));
        let widget = self.0.templates.line_select(&map, None).map_err(|e| ToolError::failed(e.to_string()))?;
        let message = args.message.trim();
        let message = if message.is_empty() { "Which line should the new station join?" } else { message };
        ctx.say(message).await?;
        ctx.show_widget(widget, None).await?;
        Ok("The line picker is shown; the user's choice arrives as <LINE_SELECTED>.".to_owned())
    }
}

/// The whole map as JSON.
pub(crate) struct GetMap(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for GetMap {
    type Args = NoArgs;

    fn name(&self) -> &str {
        "get_map"
    }

    fn description(&self) -> &str {
        "Load the latest metro map with lines and stations. No parameters."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, _args: NoArgs) -> Result<String, ToolError> {
        ctx.emit(ThreadStreamEvent::progress("Retrieving the latest metro map...")).await?;
        let map = self.0.maps.get(&owner(ctx));
        serde_json::to_string(&json!({"map": map})).map_err(|e| ToolError::failed(e.to_string()))
    }
}

/// Every line with its stops.
pub(crate) struct ListLines(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for ListLines {
    type Args = NoArgs;

    fn name(&self) -> &str {
        "list_lines"
    }

    fn description(&self) -> &str {
        "List all metro lines with their colors and endpoints. No parameters."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, _args: NoArgs) -> Result<String, ToolError> {
        let map = self.0.maps.get(&owner(ctx));
        let lines: Vec<String> = map
            .lines
            .iter()
            .map(|line| {
                let stops: Vec<&str> = map.stations_of(line).iter().map(|s| s.name.as_str()).collect();
                format!("{} (id {}, color {}): {}", line.name, line.id, line.color, stops.join(" → "))
            })
            .collect();
        Ok(lines.join("\n"))
    }
}

/// Every station with its lines.
pub(crate) struct ListStations(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for ListStations {
    type Args = NoArgs;

    fn name(&self) -> &str {
        "list_stations"
    }

    fn description(&self) -> &str {
        "List all stations and which lines serve them. No parameters."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, _args: NoArgs) -> Result<String, ToolError> {
        let map = self.0.maps.get(&owner(ctx));
        Ok(map.stations.iter().map(|s| station_line(&map, s)).collect::<Vec<_>>().join("\n"))
    }
}

/// One station.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct StationArgs {
    /// Station identifier to retrieve.
    station_id: String,
}

/// One station and its lines.
pub(crate) struct GetStation(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for GetStation {
    type Args = StationArgs;

    fn name(&self) -> &str {
        "get_station"
    }

    fn description(&self) -> &str {
        "Look up a single station and the lines serving it.\n- `station_id`: Station identifier to retrieve."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: StationArgs) -> Result<String, ToolError> {
        let map = self.0.maps.get(&owner(ctx));
        let station =
            map.station(args.station_id.trim()).ok_or_else(|| ToolError::failed(format!("Station '{}' was not found.", args.station_id)))?;
        Ok(station_line(&map, station))
    }
}

/// A route to show.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct RouteArgs {
    /// Ids of the stations of the journey, in order.
    route: Vec<String>,
    /// One-sentence description of the itinerary.
    message: String,
}

/// Answers with the route: a message whose stations are entity annotations (clickable, they
/// focus the station on the map). The answer of its turn (the agent stops after it).
pub(crate) struct PlanRoute(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for PlanRoute {
    type Args = RouteArgs;

    fn name(&self) -> &str {
        "plan_route"
    }

    fn description(&self) -> &str {
        "Show the user the planned route.\n- `route`: Ordered list of the ids of the stations in the journey.\n- `message`: One-sentence description of the itinerary."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: RouteArgs) -> Result<String, ToolError> {
        let map = self.0.maps.get(&owner(ctx));
        let mut text = OutputText::new(args.message.trim());
        for id in &args.route {
            let station = map.station(id.trim()).ok_or_else(|| ToolError::failed(format!("Station '{id}' was not found.")))?;
            // Anchored right after the station's name in the message, as the sample does.
            let index = text.text.find(&station.name).map(|at| text.text[..at].chars().count() + station.name.chars().count());
            let mut data = Map::new();
            data.insert("type".into(), json!("station"));
            data.insert("station_id".into(), json!(station.id));
            data.insert("name".into(), json!(station.name));
            let source = EntitySource {
                title: station.name.clone(),
                description: Some(station.description.clone()).filter(|d| !d.is_empty()),
                timestamp: None,
                group: None,
                id: station.id.clone(),
                icon: Some(chatkit::IconName::new("map-pin")),
                label: Some("Station".into()),
                inline_label: None,
                interactive: true,
                data,
                preview: None,
            };
            let mut annotation = Annotation::new(Source::Entity(source));
            annotation.index = index.map(|i| i as u64);
            text = text.annotation(annotation);
        }
        let mut message = ctx.assistant_message("");
        message.content = vec![text];
        ctx.emit(ThreadStreamEvent::done(message)).await?;
        Ok(format!("The route of {} stations is shown.", args.route.len()))
    }
}

/// Where to add a station.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct AddArgs {
    /// The name of the station to add.
    station_name: String,
    /// The id of the line to add the station to (one of the ids of `list_lines`). Defaults to
    /// the line the user picked last (<LINE_SELECTED>).
    #[serde(default)]
    line_id: Option<String>,
    /// Whether to add the station to the end of the line (true) or the beginning (false).
    #[serde(default = "yes")]
    append: bool,
}

fn yes() -> bool {
    true
}

/// Adds a station; the page redraws the map and focuses it (`add_station` effect).
pub(crate) struct AddStation(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for AddStation {
    type Args = AddArgs;

    fn name(&self) -> &str {
        "add_station"
    }

    fn description(&self) -> &str {
        "Add a new station to the metro map.\n- `station_name`: The name of the station to add.\n- `line_id`: The id of the line to add the station to (from list_lines); defaults to the line in the latest <LINE_SELECTED>.\n- `append`: Whether to add the station to the end of the line or the beginning. Defaults to true."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: AddArgs) -> Result<String, ToolError> {
        let line_id = match args.line_id.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()) {
            Some(line) => line,
            None => last_selected_line(ctx).await?.ok_or_else(|| {
                ToolError::failed("No line was given and none was picked: call show_line_selector first.")
            })?,
        };
        ctx.emit(ThreadStreamEvent::progress("Adding station...")).await?;
        let (station, map) = match self.0.maps.add_station(&owner(ctx), &args.station_name, &line_id, args.append) {
            Ok(added) => added,
            Err(err) => {
                ctx.say(format!("There was an error adding **{}**", title_words(&args.station_name))).await?;
                return Err(ToolError::failed(err.to_string()));
            }
        };
        ctx.emit(effect("add_station", json!({"stationId": station.id, "map": map}))).await?;
        let line = map.line(&station.lines[0]).map_or(line_id.as_str(), |l| l.name.as_str());
        let end = if args.append { "end" } else { "beginning" };
        Ok(format!("Added {} (id {}) at the {end} of the {line}. The map now has {} stations.", station.name, station.id, map.stations.len()))
    }
}

/// Asks the page which stations are selected on the map (a client tool).
pub(crate) struct GetSelectedStations;

impl FunctionTool<RequestContext> for GetSelectedStations {
    type Args = NoArgs;

    fn name(&self) -> &str {
        "get_selected_stations"
    }

    fn description(&self) -> &str {
        "Fetch the ids of the currently selected stations from the client UI. No parameters."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, _args: NoArgs) -> Result<String, ToolError> {
        // Stays on screen while the page answers.
        ctx.emit(ThreadStreamEvent::progress("Fetching selected stations from the map...")).await?;
        ctx.call_client_tool("get_selected_stations", Map::new());
        Ok(String::new())
    }
}
