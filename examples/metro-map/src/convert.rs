//! Thread items → model input: @-mentioned stations become `<STATION_TAG>` blocks.

use std::sync::Arc;

use async_trait::async_trait;
use chatkit::Tag;
use chatkit_agents::convert::{ConvertError, ItemConverter, input_text};
use serde_json::Value;

use crate::map::MapStore;

/// The converter of the metro agent: a tagged station is described in full (id, name,
/// description, lines with ids, colours and orientations), so the model needs no lookup.
pub struct StationTags {
    maps: Arc<MapStore>,
    owner: String,
}

impl StationTags {
    /// Tags resolved against `owner`'s map.
    pub fn for_owner(maps: Arc<MapStore>, owner: &str) -> Self {
        Self { maps, owner: owner.to_owned() }
    }

    /// The `<STATION_TAG>` text of a tag.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// let tags = metro_map::StationTags::for_owner(Arc::new(metro_map::MapStore::new()), "alice");
    /// let tag: chatkit::Tag = serde_json::from_value(serde_json::json!({
    ///     "id": "titan-border", "text": "Titan Border", "data": {"type": "station", "station_id": "titan-border"}
    /// })).unwrap();
    /// let text = tags.describe(&tag);
    /// assert!(text.starts_with("Tagged station with full details:\n<STATION_TAG>\nid: titan-border\nname: Titan Border\n"));
    /// assert!(text.contains("- Blue Line (id=blue, color=#06b6d4, orientation=horizontal)"));
    /// ```
    pub fn describe(&self, tag: &Tag) -> String {
        let field = |key: &str| tag.data.get(key).and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty());
        let station_id = field("station_id").unwrap_or(tag.id.trim()).to_owned();
        let name = field("name").unwrap_or(tag.text.trim()).to_owned();
        self.maps.with(&self.owner, |map| {
            let Some(station) = map.station(&station_id) else {
                return format!("Tagged station (not found):\n<STATION_TAG>\nname: {name}\nstatus: not found\n</STATION_TAG>");
            };
            let lines: Vec<String> = station
                .lines
                .iter()
                .filter_map(|id| map.line(id))
                .map(|line| {
                    let orientation = serde_json::to_value(line.orientation).ok().and_then(|v| v.as_str().map(str::to_owned));
                    format!(
                        "- {} (id={}, color={}, orientation={})",
                        line.name,
                        line.id,
                        line.color,
                        orientation.unwrap_or_default()
                    )
                })
                .collect();
            let lines = if lines.is_empty() { "- none".to_owned() } else { lines.join("\n") };
            format!(
                "Tagged station with full details:\n<STATION_TAG>\nid: {}\nname: {}\ndescription: {}\nlines:\n{lines}\n</STATION_TAG>",
                station.id, station.name, station.description
            )
        })
    }
}

#[async_trait]
impl ItemConverter for StationTags {
    async fn tag(&self, tag: &Tag) -> Result<Value, ConvertError> {
        Ok(input_text(self.describe(tag)))
    }
}
