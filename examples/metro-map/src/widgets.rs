//! The map's widgets: the line picker (the sample's `line_select.widget`) and station previews.

use chatkit::WidgetRoot;
use chatkit::widgets::{TemplateError, WidgetTemplate};
use serde_json::{Value, json};

use crate::map::{MetroMap, Station};

/// The line picker template, compiled once.
///
/// Our `widgets/line_select.widget` fixes the sample's: its template showed `item.name` while
/// its `jsonSchema` (which rejects unknown fields) only allows `id`, `label` and `color`, so
/// data that passed the schema rendered with no line names (and strict rendering fails on the
/// missing field). The copy reads `item.label`, and [`line_select`](Templates::line_select)
/// sends each line's name as `label`.
pub(crate) struct Templates {
    line_select: WidgetTemplate,
}

impl Templates {
    pub(crate) fn load() -> Self {
        let line_select =
            WidgetTemplate::from_str(include_str!("../widgets/line_select.widget")).expect("the bundled .widget file compiles");
        Self { line_select }
    }

    /// Every line of the map, each sending the server action `line.select` (`{"id": …}`) until
    /// one is `selected`; then that one is checked and nothing is clickable.
    pub(crate) fn line_select(&self, map: &MetroMap, selected: Option<&str>) -> Result<WidgetRoot, TemplateError> {
        let items: Vec<Value> =
            map.lines.iter().map(|line| json!({"id": line.id, "label": line.name, "color": line.color})).collect();
        self.line_select.build(&json!({"items": items, "selected": selected}))
    }
}

/// The preview of a station (hovering an @-mention): name, the lines serving it, description.
pub(crate) fn station_preview(map: &MetroMap, station: &Station) -> WidgetRoot {
    let badges: Vec<Value> = station
        .lines
        .iter()
        .filter_map(|id| map.line(id))
        .map(|line| {
            json!({"type": "Row", "gap": 2, "align": "center", "children": [
                {"type": "Box", "size": 12, "radius": "full", "background": line.color},
                {"type": "Text", "value": line.name, "size": "sm"}
            ]})
        })
        .collect();
    let description = if station.description.is_empty() { "A brand new stop on the map." } else { &station.description };
    WidgetRoot::from_value(json!({
        "type": "Card", "size": "sm", "children": [
            {"type": "Row", "gap": 2, "align": "center", "children": [
                {"type": "Icon", "name": "map-pin", "size": "lg"},
                {"type": "Title", "value": station.name, "size": "sm"}
            ]},
            {"type": "Row", "gap": 4, "wrap": "wrap", "children": badges},
            {"type": "Text", "value": description, "size": "sm", "color": "secondary"}
        ]
    }))
    .expect("the station preview is a valid widget")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_names_every_line_until_one_is_chosen() {
        let map = MetroMap::orbital_transit();
        let templates = Templates::load();
        let open = serde_json::to_value(templates.line_select(&map, None).expect("renders")).expect("JSON");
        let rows = open["children"].as_array().expect("rows");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["key"], "blue");
        assert_eq!(rows[0]["onClickAction"], json!({"type": "line.select", "payload": {"id": "blue"}, "handler": "server"}));
        assert_eq!(rows[0]["children"][1]["value"], "Blue Line", "the label is shown");
        assert_eq!(rows[2]["children"][0]["background"], "#f59e0b");

        let chosen = serde_json::to_value(templates.line_select(&map, Some("purple")).expect("renders")).expect("JSON");
        let rows = chosen["children"].as_array().expect("rows");
        assert!(rows.iter().all(|r| r.get("onClickAction").is_none_or(Value::is_null)));
        assert_eq!(rows[1]["children"][2]["name"], "check");
        assert_eq!(rows[0]["children"][1]["color"], "gray-300");
        assert_eq!(rows[1]["children"][1]["color"], "gray-900");
        assert_eq!(rows[0]["children"].as_array().map(Vec::len), Some(2), "no check on the others");
    }

    #[test]
    fn previews_show_the_lines() {
        let map = MetroMap::orbital_transit();
        let gate = map.station("orionis-gate").expect("station");
        let preview = serde_json::to_string(&station_preview(&map, gate)).expect("JSON");
        for text in ["Orionis Gate", "Blue Line", "Purple Line", "Orange Line", &gate.description] {
            assert!(preview.contains(text), "{text} in {preview}");
        }
    }
}
