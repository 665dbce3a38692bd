//! The offline model's cues.

use std::time::Duration;

use chatkit_agents::model::ScriptedModel;
use serde_json::json;

/// The offline model (its cues are listed on [`App::scripted_model`](crate::App::scripted_model)).
pub(crate) fn model() -> ScriptedModel {
    let pick_line = json!({"message": "Which line should the new station join?"});
    let route = json!({
        "route": ["cinderia", "vega-reach", "orionis-gate", "sagan-halo", "lyra-verge"],
        "message": "Ride the Blue Line from Cinderia to Vega Reach, switch to the Purple Line there and glide past Orionis Gate and Sagan Halo to Lyra Verge: about 10.6 light years."
    });
    ScriptedModel::new()
        .rule("end of the", "add_station", json!({"station_name": "Aurora", "append": true}))
        .rule("beginning of the", "add_station", json!({"station_name": "Aurora", "append": false}))
        .rule("selected", "get_selected_stations", json!({}))
        .rule("new station", "show_line_selector", pick_line.clone())
        .rule("new metro station", "show_line_selector", pick_line.clone())
        .rule("add a station", "show_line_selector", pick_line.clone())
        .rule("another station", "show_line_selector", pick_line)
        .rule("quickest way", "plan_route", route.clone())
        .rule("route", "plan_route", route)
        .rule("titan border", "get_station", json!({"station_id": "titan-border"}))
        .rule("each line", "list_lines", json!({}))
        .rule("lines", "list_lines", json!({}))
        .rule("stations", "list_stations", json!({}))
        .delay(Duration::from_millis(15))
}
