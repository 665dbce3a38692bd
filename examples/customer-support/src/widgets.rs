//! The flight options and meal preference pickers, rendered from the sample's `.widget` files.

use chatkit::WidgetRoot;
use chatkit::widgets::{TemplateError, WidgetTemplate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The action a flight option sends (handled by the server).
pub const FLIGHT_SELECT: &str = "flight.select";
/// The action a meal option sends (handled by the server).
pub const SET_MEAL_PREFERENCE: &str = "support.set_meal_preference";

/// What the traveller asked for: the search behind a flight options widget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FlightSearchRequest {
    /// Airport code of departure.
    pub origin: String,
    /// Airport code of arrival.
    pub destination: String,
    /// `YYYY-MM-DD`.
    pub depart_date: String,
    /// `YYYY-MM-DD`.
    pub return_date: String,
    /// `economy`, `premium economy`, `business` or `first`.
    pub cabin: String,
}

/// Up to three letters, upper case: `" sfo "` → `SFO`.
pub(crate) fn airport_code(raw: &str) -> String {
    raw.trim().to_uppercase().chars().take(3).collect()
}

impl FlightSearchRequest {
    /// The origin as an airport code.
    pub fn origin_code(&self) -> String {
        airport_code(&self.origin)
    }

    /// The destination as an airport code.
    pub fn destination_code(&self) -> String {
        airport_code(&self.destination)
    }

    /// The search for the way back.
    pub fn reversed(&self) -> Self {
        Self {
            origin: self.destination_code(),
            destination: self.origin_code(),
            depart_date: self.return_date.clone(),
            return_date: self.depart_date.clone(),
            cabin: self.cabin.clone(),
        }
    }
}

/// One flight shown in the picker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlightOption {
    /// `flight-morning`, `flight-midday` or `flight-late`.
    pub id: String,
    /// Airport code.
    pub from_airport: String,
    /// Airport code.
    pub to_airport: String,
    /// `HH:MM`.
    pub dep_time: String,
    /// `HH:MM`, maybe `(+1)`.
    pub arr_time: String,
    /// E.g. `Fri, Nov 14`.
    pub date_label: String,
    /// E.g. `Business`.
    pub cabin: String,
}

/// Which way a flight options widget books.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Leg {
    /// The flight out; booking it offers returns.
    #[default]
    Outbound,
    /// The flight back.
    Return,
}

/// The payload of [`FLIGHT_SELECT`]: the chosen option and the widget's whole state, so the
/// server can redraw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlightSelect {
    /// The chosen option's id.
    pub id: String,
    /// Every option the widget showed.
    #[serde(default)]
    pub options: Vec<FlightOption>,
    /// The search.
    pub request: FlightSearchRequest,
    /// Which way.
    #[serde(default)]
    pub leg: Leg,
}

/// The meals on offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Meal {
    /// Vegetarian.
    Vegetarian,
    /// Kosher.
    Kosher,
    /// Gluten intolerant.
    #[serde(rename = "gluten intolerant")]
    GlutenIntolerant,
    /// Child.
    Child,
}

impl Meal {
    /// Every meal, in the picker's order.
    pub const ALL: [Meal; 4] = [Meal::Vegetarian, Meal::Kosher, Meal::GlutenIntolerant, Meal::Child];

    /// The wire value (`gluten intolerant`).
    pub fn value(self) -> &'static str {
        match self {
            Meal::Vegetarian => "vegetarian",
            Meal::Kosher => "kosher",
            Meal::GlutenIntolerant => "gluten intolerant",
            Meal::Child => "child",
        }
    }

    /// The label shown (`Gluten intolerant`).
    pub fn label(self) -> &'static str {
        match self {
            Meal::Vegetarian => "Vegetarian",
            Meal::Kosher => "Kosher",
            Meal::GlutenIntolerant => "Gluten intolerant",
            Meal::Child => "Child",
        }
    }
}

/// The payload of [`SET_MEAL_PREFERENCE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MealChoice {
    /// The meal picked.
    pub meal: Meal,
}

/// `2025-11-14` → `Fri, Nov 14`; anything else unchanged.
///
/// ```
/// assert_eq!(customer_support::date_label("2025-11-14"), "Fri, Nov 14");
/// assert_eq!(customer_support::date_label("next week"), "next week");
/// ```
pub fn date_label(raw: &str) -> String {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_or_else(|_| raw.to_owned(), |d| d.format("%a, %b %-d").to_string())
}

/// Three flights for a search: morning, midday and overnight.
pub fn flight_options(request: &FlightSearchRequest) -> Vec<FlightOption> {
    let cabin = title_case(&request.cabin);
    let date = date_label(&request.depart_date);
    [("flight-morning", "08:10", "16:40"), ("flight-midday", "12:35", "21:05"), ("flight-late", "21:55", "06:20 (+1)")]
        .into_iter()
        .map(|(id, dep, arr)| FlightOption {
            id: id.to_owned(),
            from_airport: request.origin_code(),
            to_airport: request.destination_code(),
            dep_time: dep.to_owned(),
            arr_time: arr.to_owned(),
            date_label: date.clone(),
            cabin: cabin.clone(),
        })
        .collect()
}

/// `premium economy` → `Premium Economy`.
fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect()).unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// A flight in words, for replies and the timeline.
pub fn describe_flight(option: &FlightOption, request: &FlightSearchRequest) -> String {
    format!(
        "{} {} → {} on {} departing {} (arrives {}); return on {}",
        option.cabin,
        option.from_airport,
        option.to_airport,
        date_label(&request.depart_date),
        option.dep_time,
        option.arr_time,
        request.return_date
    )
}

/// The two `.widget` templates, compiled once.
pub(crate) struct Templates {
    flights: WidgetTemplate,
    meals: WidgetTemplate,
}

impl Templates {
    pub(crate) fn load() -> Self {
        let load = |source: &str| WidgetTemplate::from_str(source).expect("the bundled .widget files compile (unit tested)");
        Self {
            flights: load(include_str!("../widgets/flight_options.widget")),
            meals: load(include_str!("../widgets/meal_preferences.widget")),
        }
    }

    /// The flight picker; with `selected`, locked to that option.
    pub(crate) fn flights(
        &self,
        options: &[FlightOption],
        request: &FlightSearchRequest,
        selected: Option<&str>,
        leg: Leg,
    ) -> Result<WidgetRoot, TemplateError> {
        self.flights.build(&json!({
            "options": options, "request": request, "selectedId": selected, "leg": leg, "actionType": FLIGHT_SELECT,
        }))
    }

    /// The meal picker; with `selected`, that meal is checked and nothing can be clicked.
    pub(crate) fn meals(&self, selected: Option<Meal>) -> Result<WidgetRoot, TemplateError> {
        let options: Vec<_> = Meal::ALL.iter().map(|m| json!({"value": m.value(), "label": m.label()})).collect();
        self.meals.build(&json!({"options": options, "selected": selected.map(Meal::value), "actionType": SET_MEAL_PREFERENCE}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn request() -> FlightSearchRequest {
        FlightSearchRequest {
            origin: "sfo".into(),
            destination: "cdg".into(),
            depart_date: "2025-11-14".into(),
            return_date: "2025-11-21".into(),
            cabin: "premium economy".into(),
        }
    }

    #[test]
    fn flight_picker_sends_its_state_and_locks_on_selection() {
        let templates = Templates::load();
        let request = request();
        let options = flight_options(&request);
        assert_eq!(options[0].cabin, "Premium Economy");
        assert_eq!(options[0].date_label, "Fri, Nov 14");
        let widget = serde_json::to_value(templates.flights(&options, &request, None, Leg::Outbound).expect("renders")).expect("json");
        let items = widget["children"].as_array().expect("a list");
        assert_eq!(items.len(), 3);
        let action = &items[1]["onClickAction"];
        assert_eq!(action["type"], FLIGHT_SELECT);
        let payload: FlightSelect = serde_json::from_value(action["payload"].clone()).expect("the payload decodes");
        assert_eq!((payload.id.as_str(), payload.leg, payload.options.len()), ("flight-midday", Leg::Outbound, 3));
        assert_eq!(payload.request, request);

        let locked = serde_json::to_value(templates.flights(&options[..1], &request, Some("flight-morning"), Leg::Return).expect("renders"))
            .expect("json");
        assert_eq!(locked["children"][0]["onClickAction"], Value::Null);
        assert_eq!(locked["children"][0]["children"][0]["border"]["style"], "solid");
    }

    #[test]
    fn meal_picker_locks_once_chosen() {
        let templates = Templates::load();
        let open = serde_json::to_value(templates.meals(None).expect("renders")).expect("json");
        assert_eq!(open["children"][2]["onClickAction"]["payload"]["meal"], "gluten intolerant");
        let choice: MealChoice = serde_json::from_value(open["children"][2]["onClickAction"]["payload"].clone()).expect("decodes");
        assert_eq!(choice.meal, Meal::GlutenIntolerant);
        let chosen = serde_json::to_value(templates.meals(Some(Meal::Kosher)).expect("renders")).expect("json");
        let items = chosen["children"].as_array().expect("a list");
        assert!(items.iter().all(|i| i["onClickAction"].is_null()));
        assert_eq!(items[1]["children"][0]["children"][0]["name"], "check");
    }

    #[test]
    fn empty_request_fields_are_refused() {
        let mut bad = request();
        bad.origin = String::new();
        let templates = Templates::load();
        assert!(templates.flights(&flight_options(&bad), &bad, None, Leg::Outbound).is_err());
        assert_eq!(bad.reversed().destination, "");
        assert_eq!(airport_code("  paris "), "PAR");
    }
}
