//! The metro map: stations, lines, and adding a station at either end of a line.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

/// A station on the map (grid coordinates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Station {
    /// Id, a slug of the name (`"lyra-verge"`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Column.
    pub x: i32,
    /// Row.
    pub y: i32,
    /// A sentence about it.
    pub description: String,
    /// Ids of the lines serving it.
    #[serde(default)]
    pub lines: Vec<String>,
}

/// Which way a line runs, so a new end station goes beside the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Left to right.
    Horizontal,
    /// Top to bottom.
    Vertical,
}

/// A line: its stations in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Id (`"blue"`).
    pub id: String,
    /// Name (`"Blue Line"`).
    pub name: String,
    /// CSS colour.
    pub color: String,
    /// Direction.
    pub orientation: Orientation,
    /// Station ids, first to last.
    pub stations: Vec<String>,
}

/// A whole network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetroMap {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// One sentence about it.
    pub summary: String,
    /// Every station.
    pub stations: Vec<Station>,
    /// Every line.
    pub lines: Vec<Line>,
}

/// Why a station could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MapError {
    /// No line has this id or name.
    #[error("Line '{0}' is not found.")]
    UnknownLine(String),
    /// The name is empty.
    #[error("A station needs a name.")]
    EmptyName,
    /// The name is longer than [`MAX_NAME`] characters.
    #[error("A station name has at most {MAX_NAME} characters.")]
    NameTooLong,
}

/// The longest station name, in characters.
pub const MAX_NAME: usize = 40;

/// Each word capitalised, the rest lower case (`"north  STAR"` → `"North Star"`), as the
/// sample names new stations.
pub(crate) fn title_words(name: &str) -> String {
    let words = name.split_whitespace().map(|word| {
        let mut chars = word.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>()).unwrap_or_default()
    });
    words.collect::<Vec<_>>().join(" ")
}

/// A slug: lower case, runs of other characters as one `-` (`"Lyra Verge"` → `"lyra-verge"`).
pub(crate) fn slug(value: &str) -> String {
    let mut out = String::new();
    for c in value.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

impl MetroMap {
    /// The sample's map, Orbital Transit (`data/metro_map.json`).
    ///
    /// ```
    /// let map = metro_map::MetroMap::orbital_transit();
    /// assert_eq!(map.lines.len(), 3);
    /// assert_eq!(map.station("orionis-gate").map(|s| s.lines.len()), Some(3));
    /// ```
    pub fn orbital_transit() -> Self {
        serde_json::from_str(include_str!("../data/metro_map.json")).expect("the bundled map is valid")
    }

    /// The station with this id.
    pub fn station(&self, id: &str) -> Option<&Station> {
        self.stations.iter().find(|s| s.id == id)
    }

    /// The line with this id, or whose name or slug matches (`"Blue Line"`, `"blue-line"`).
    pub fn line(&self, id_or_name: &str) -> Option<&Line> {
        let wanted = slug(id_or_name);
        self.lines.iter().find(|l| l.id == id_or_name).or_else(|| {
            self.lines.iter().find(|l| l.id == wanted || slug(&l.name) == wanted || slug(&format!("{} line", l.id)) == wanted)
        })
    }

    /// The stations of a line, in order.
    pub fn stations_of(&self, line: &Line) -> Vec<&Station> {
        line.stations.iter().filter_map(|id| self.station(id)).collect()
    }

    /// Stations whose name, id or line names contain `query` (ignoring case); all for an
    /// empty query.
    pub fn search(&self, query: &str) -> Vec<&Station> {
        let query = query.trim().to_lowercase();
        self.stations
            .iter()
            .filter(|s| {
                query.is_empty()
                    || s.name.to_lowercase().contains(&query)
                    || s.id.contains(&query)
                    || s.lines.iter().filter_map(|l| self.line(l)).any(|l| l.name.to_lowercase().contains(&query))
            })
            .collect()
    }

    /// Adds a station at the end (`append`) or the beginning of a line, one grid step beyond
    /// the current end in the line's direction. Returns the new station.
    ///
    /// ```
    /// let mut map = metro_map::MetroMap::orbital_transit();
    /// let aurora = map.add_station("Aurora", "blue", true).unwrap();
    /// assert_eq!((aurora.id.as_str(), aurora.x, aurora.y), ("aurora", 6, 0)); // after Cygnus Way (5, 0)
    /// assert_eq!(map.line("blue").unwrap().stations.last().map(String::as_str), Some("aurora"));
    /// let again = map.add_station("Aurora", "Orange Line", false).unwrap();
    /// assert_eq!((again.id.as_str(), again.x, again.y), ("aurora-2", 3, -4)); // above Lumen Cradle
    /// ```
    pub fn add_station(&mut self, name: &str, line: &str, append: bool) -> Result<Station, MapError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(MapError::EmptyName);
        }
        if name.chars().count() > MAX_NAME {
            return Err(MapError::NameTooLong);
        }
        let line_index = self
            .line(line)
            .filter(|l| !l.stations.is_empty())
            .and_then(|found| self.lines.iter().position(|l| l.id == found.id))
            .ok_or_else(|| MapError::UnknownLine(line.to_owned()))?;
        let line = &self.lines[line_index];
        let end = if append { line.stations.last() } else { line.stations.first() };
        let (x, y) = end.and_then(|id| self.station(id)).map_or((0, 0), |s| (s.x, s.y));
        let step = if append { 1 } else { -1 };
        let (x, y) = match line.orientation {
            Orientation::Horizontal => (x + step, y),
            Orientation::Vertical => (x, y + step),
        };
        let station = Station {
            id: self.next_station_id(name),
            name: name.to_owned(),
            x,
            y,
            description: String::new(),
            lines: vec![line.id.clone()],
        };
        self.stations.push(station.clone());
        let stations = &mut self.lines[line_index].stations;
        if append {
            stations.push(station.id.clone());
        } else {
            stations.insert(0, station.id.clone());
        }
        Ok(station)
    }

    fn next_station_id(&self, name: &str) -> String {
        let base = Some(slug(name)).filter(|s| !s.is_empty()).unwrap_or_else(|| "station".to_owned());
        let mut candidate = base.clone();
        let mut counter = 2;
        while self.station(&candidate).is_some() {
            candidate = format!("{base}-{counter}");
            counter += 1;
        }
        candidate
    }
}

/// Every user's map, each starting as [`MetroMap::orbital_transit`].
#[derive(Debug)]
pub struct MapStore {
    initial: MetroMap,
    maps: Mutex<HashMap<String, MetroMap>>,
}

impl Default for MapStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MapStore {
    /// A store where every user starts with the sample's map.
    pub fn new() -> Self {
        Self { initial: MetroMap::orbital_transit(), maps: Mutex::default() }
    }

    /// Reads or changes the map of `owner`.
    pub fn with<T>(&self, owner: &str, f: impl FnOnce(&mut MetroMap) -> T) -> T {
        // Changes are single pushes after every check: a panic cannot leave a half-changed map.
        let mut maps = self.maps.lock().unwrap_or_else(PoisonError::into_inner);
        f(maps.entry(owner.to_owned()).or_insert_with(|| self.initial.clone()))
    }

    /// A copy of the map of `owner`.
    pub fn get(&self, owner: &str) -> MetroMap {
        self.with(owner, |map| map.clone())
    }

    /// Adds a station to the map of `owner`, named in title case (`"north star"` →
    /// `"North Star"`), as the assistant and the page's form both do: see
    /// [`MetroMap::add_station`]. Returns the new station and a copy of the changed map.
    ///
    /// ```
    /// let store = metro_map::MapStore::new();
    /// let (station, map) = store.add_station("alice", "  solstice POINT ", "orange", true).unwrap();
    /// assert_eq!((station.id.as_str(), station.name.as_str()), ("solstice-point", "Solstice Point"));
    /// assert_eq!(map, store.get("alice"));
    /// ```
    pub fn add_station(&self, owner: &str, name: &str, line: &str, append: bool) -> Result<(Station, MetroMap), MapError> {
        let name = title_words(name);
        self.with(owner, |map| {
            let station = map.add_station(&name, line, append)?;
            Ok((station, map.clone()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case() {
        assert_eq!(title_words("north  STAR"), "North Star");
        assert_eq!(title_words(" ébène gate "), "Ébène Gate");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Lyra Verge"), "lyra-verge");
        assert_eq!(slug("  Mr. X's  stop!! "), "mr-x-s-stop");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn lines_by_id_name_or_slug() {
        let map = MetroMap::orbital_transit();
        for key in ["purple", "Purple Line", "purple-line", "PURPLE"] {
            assert_eq!(map.line(key).map(|l| l.id.as_str()), Some("purple"), "{key}");
        }
        assert!(map.line("green").is_none());
    }

    #[test]
    fn adding_stations() {
        let mut map = MetroMap::orbital_transit();
        let first = map.add_station("Nova", "purple", false).expect("added");
        assert_eq!((first.x, first.y), (-2, 1), "before Kepler Forge (-1, 1)");
        assert_eq!(map.line("purple").expect("line").stations[0], "nova");
        let bottom = map.add_station("Deep", "orange", true).expect("added");
        assert_eq!((bottom.x, bottom.y), (3, 3));
        assert_eq!(map.add_station("X", "green", true), Err(MapError::UnknownLine("green".into())));
        assert_eq!(map.add_station("  ", "blue", true), Err(MapError::EmptyName));
        assert_eq!(map.add_station(&"x".repeat(MAX_NAME + 1), "blue", true), Err(MapError::NameTooLong));
        assert_eq!(map.add_station("!!!", "blue", true).map(|s| s.id), Ok("station".into()));
        assert!(map.add_station(&"é".repeat(MAX_NAME), "blue", true).is_ok(), "characters, not bytes");
    }

    #[test]
    fn search_by_name_id_or_line() {
        let map = MetroMap::orbital_transit();
        let names = |q: &str| map.search(q).iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("lyra"), ["Lyra Verge"]);
        assert_eq!(names("orange line").len(), 6);
        assert_eq!(names("").len(), map.stations.len());
        assert!(names("zzz").is_empty());
    }

    #[test]
    fn maps_are_per_owner() {
        let store = MapStore::new();
        store.with("alice", |map| map.add_station("Aurora", "blue", true)).expect("added");
        assert!(store.get("alice").station("aurora").is_some());
        assert!(store.get("bob").station("aurora").is_none());
    }
}
