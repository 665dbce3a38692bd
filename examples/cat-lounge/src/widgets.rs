//! The lounge's widgets, rendered from the sample's `.widget` templates in `widgets/`.
//!
//! `cat_name_suggestions.widget` differs from the sample's in one place: its schema makes a
//! suggestion's `reason` optional (absent, never `null`), but the template read
//! `suggestion.reason` unguarded, which fails under strict undefined when it is absent (the
//! sample only got away with it by sending `"reason": null`, which its own schema forbids). Our
//! copy tests `suggestion.reason is defined and suggestion.reason`.

use chatkit::WidgetRoot;
use chatkit::widgets::{TemplateError, WidgetTemplate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::state::{CatState, age_label, title_case};

/// A name idea and why it fits the cat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NameSuggestion {
    /// The name: short and unique.
    pub name: String,
    /// Why it fits the cat's personality or stats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl NameSuggestion {
    /// A suggestion with a reason.
    pub fn new(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { name: name.into(), reason: Some(reason.into()) }
    }

    /// Trimmed, with an empty reason dropped; `None` for an empty name.
    pub(crate) fn normalized(&self) -> Option<Self> {
        let name = self.name.trim();
        let reason = self.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        (!name.is_empty()).then(|| Self { name: name.to_owned(), reason: reason.map(str::to_owned) })
    }
}

/// The two templates, compiled once.
pub(crate) struct Templates {
    names: WidgetTemplate,
    profile: WidgetTemplate,
}

impl Templates {
    pub(crate) fn load() -> Self {
        let load = |source: &str| WidgetTemplate::from_str(source).expect("the bundled .widget files compile");
        Self {
            names: load(include_str!("../widgets/cat_name_suggestions.widget")),
            profile: load(include_str!("../widgets/cat_profile.widget")),
        }
    }

    /// The name picker: each suggestion sends the client action `cats.select_name` (with every
    /// option, so the server can redraw the list) until one is `selected`; then the chosen one
    /// has a check mark and nothing is clickable.
    pub(crate) fn name_suggestions(
        &self,
        suggestions: &[NameSuggestion],
        selected: Option<&str>,
    ) -> Result<WidgetRoot, TemplateError> {
        let selected = selected.map(|s| title_case(s.trim())).filter(|s| !s.is_empty());
        self.names.build(&json!({"items": suggestions, "selected": selected}))
    }

    /// The cat's "meowing license".
    pub(crate) fn profile_card(&self, cat: &CatState, favorite_toy: Option<&str>) -> Result<WidgetRoot, TemplateError> {
        let pattern = cat.color_pattern.map_or_else(|| "N/A".to_owned(), |p| capitalize(p.as_str()));
        let toy = favorite_toy.map(str::trim).filter(|t| !t.is_empty()).map_or_else(|| "A laser pointer".to_owned(), capitalize);
        self.profile.build(&json!({
            "name": cat.name,
            "image_src": image_src(cat),
            "age": age_label(cat.age),
            "color_pattern": pattern,
            "favorite_toy": toy,
        }))
    }
}

/// The picture of a cat, served by [`router`](crate::router) (the sample links to hosted
/// pictures; these are drawn here, so the lounge works offline).
pub fn image_src(cat: &CatState) -> String {
    let file = cat.color_pattern.map_or("unknown", |p| p.as_str());
    format!("/apps/cat-lounge/cats/{file}.svg")
}

/// The text copied from a profile card.
pub(crate) fn profile_copy_text(cat: &CatState) -> String {
    let pattern = cat.color_pattern.map_or("mystery", |p| p.as_str());
    format!("{}, age {}, is a {pattern} cat.", cat.name, cat.age)
}

/// Python's `str.capitalize()`: the first letter upper case, the rest lower case.
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn suggestions() -> Vec<NameSuggestion> {
        vec![NameSuggestion::new("Willow", "Calm, playful vibes"), NameSuggestion { name: "Pixel".into(), reason: None }]
    }

    #[test]
    fn the_picker_offers_every_name_until_one_is_chosen() {
        let templates = Templates::load();
        let open = serde_json::to_value(templates.name_suggestions(&suggestions(), None).expect("renders")).expect("JSON");
        let items = open["children"].as_array().expect("a list");
        assert_eq!(items.len(), 3, "two names and the 'more' button");
        let action = &items[0]["onClickAction"];
        assert_eq!(action["type"], "cats.select_name");
        assert_eq!(action["handler"], "client");
        assert_eq!(action["payload"]["name"], "Willow");
        assert_eq!(action["payload"]["options"], json!([{"name": "Willow", "reason": "Calm, playful vibes"}, {"name": "Pixel"}]));
        assert_eq!(items[2]["children"][0]["onClickAction"]["type"], "cats.more_names");
        assert_eq!(items[2]["children"][0]["disabled"], false);

        let chosen = serde_json::to_value(templates.name_suggestions(&suggestions(), Some(" pixel ")).expect("renders")).expect("JSON");
        let items = chosen["children"].as_array().expect("a list");
        assert!(items[..2].iter().all(|i| i.get("onClickAction").is_none_or(Value::is_null)), "{chosen}");
        assert_eq!(items[1]["children"][0]["children"][0]["name"], "check");
        assert_eq!(items[0]["children"][0]["children"][0]["name"], "dot");
        assert_eq!(items[2]["children"][0]["disabled"], true);
    }

    #[test]
    fn the_profile_card_shows_the_cat() {
        let templates = Templates::load();
        let mut cat = CatState::new(&"thr_1".into());
        let unnamed = serde_json::to_string(&templates.profile_card(&cat, None).expect("renders")).expect("JSON");
        assert!(unnamed.contains("\"N/A\"") && unnamed.contains("A laser pointer") && unnamed.contains("unknown.svg"), "{unnamed}");
        cat.rename("Miso");
        cat.set_age(Some(1));
        let card = serde_json::to_string(&templates.profile_card(&cat, Some("ball of YARN")).expect("renders")).expect("JSON");
        let pattern = cat.color_pattern.expect("named").as_str();
        assert!(card.contains("\"Miso\"") && card.contains("\"1 year\"") && card.contains("Ball of yarn"), "{card}");
        assert!(card.contains(&format!("/apps/cat-lounge/cats/{pattern}.svg")));
        assert!(card.contains(&format!("\"{}\"", capitalize(pattern))));
    }

    #[test]
    fn suggestions_are_normalized() {
        let blank = NameSuggestion { name: "  ".into(), reason: Some("x".into()) };
        assert_eq!(blank.normalized(), None);
        let padded = NameSuggestion { name: " Tofu ".into(), reason: Some(" ".into()) };
        assert_eq!(padded.normalized(), Some(NameSuggestion { name: "Tofu".into(), reason: None }));
    }
}
