//! The newsroom's widgets, rendered from the sample's `.widget` files: the article list, the
//! event timeline, and the @-mention previews of articles and authors.
//!
//! The sample's `event_list.widget` carried an `outputJsonPreview` made with an older
//! template (a selected event's button was `info`, the template says `secondary`); the copy
//! here has the preview rendered from the template and its own preview data, so
//! `chatkit widget check` passes (see the test below).

use chatkit::WidgetRoot;
use chatkit::widgets::{TemplateError, WidgetTemplate};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::data::{ArticleMetadata, Author, Event};

/// The client action of an article's "View" button.
pub const OPEN_ARTICLE: &str = "open_article";
/// The server action of an event's "Show details" button.
pub const VIEW_EVENT_DETAILS: &str = "view_event_details";

/// The bundled templates: name and source.
pub(crate) const FILES: [(&str, &str); 4] = [
    ("article_list", include_str!("../widgets/article_list.widget")),
    ("article_preview", include_str!("../widgets/article_preview.widget")),
    ("author_preview", include_str!("../widgets/author_preview.widget")),
    ("event_list", include_str!("../widgets/event_list.widget")),
];

/// The four templates, compiled once.
pub(crate) struct Templates {
    article_list: WidgetTemplate,
    article_preview: WidgetTemplate,
    author_preview: WidgetTemplate,
    event_list: WidgetTemplate,
}

/// Bios of the archive's authors (the sample's); others get a generic one.
const BIOS: [(&str, &str); 8] = [
    ("elowen-wilder", "Local Features Editor who chases neighborly mysteries and parks department quirks."),
    ("marlow-keene", "Community reporter spotlighting food stories, mutual aid, and small joys."),
    ("joan-li", "Human-interest writer covering serendipity, bulletin boards, and chance reunions."),
    ("todd-harris", "Transit and traffic correspondent obsessed with slow buses and route lore."),
    ("maggie-wang", "City hall watcher translating policy updates into friendly neighborhood takeaways."),
    ("charley-oh", "Education and parks beat writer with a soft spot for musical crosswalks."),
    ("sean-mcconnell", "Events scout cataloging pop-ups, parades, and unexpected happenings."),
    ("member-of-technical-staff", "Staff engineer moonlighting as a newsroom copy editor and systems tinkerer."),
];

/// The colors of event categories on the timeline.
fn category_color(category: &str) -> &'static str {
    match category.trim().to_lowercase().as_str() {
        "community" => "purple-400",
        "civics" => "blue-400",
        "arts" => "pink-400",
        "outdoors" => "green-400",
        "music" => "orange-400",
        "family" => "yellow-400",
        "food" => "red-400",
        "fitness" => "teal-400",
        _ => "gray-400",
    }
}

/// `2025-02-04` → `Feb 4, 2025` (or `Feb 04, 2025` with `padded`).
fn article_date(raw: &str, padded: bool) -> String {
    let format = if padded { "%b %d, %Y" } else { "%b %-d, %Y" };
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_or_else(|_| raw.to_owned(), |d| d.format(format).to_string())
}

impl Templates {
    pub(crate) fn load() -> Self {
        let load = |i: usize| WidgetTemplate::from_str(FILES[i].1).expect("the bundled .widget files compile (unit tested)");
        Self { article_list: load(0), article_preview: load(1), author_preview: load(2), event_list: load(3) }
    }

    /// The article list: image, date, title, byline and a "View" button (`open_article`).
    pub(crate) fn article_list(&self, articles: &[&ArticleMetadata]) -> Result<WidgetRoot, TemplateError> {
        let articles: Vec<Value> = articles
            .iter()
            .map(|a| json!({"id": a.id, "title": a.title, "author": a.author, "heroImageUrl": a.hero_image_url, "date": article_date(&a.date, false)}))
            .collect();
        self.article_list.build(&json!({"articles": articles}))
    }

    /// The preview of an @-mentioned article.
    pub(crate) fn article_preview(&self, a: &ArticleMetadata) -> Result<WidgetRoot, TemplateError> {
        self.article_preview.build(&json!({
            "id": a.id, "title": a.title, "author": a.author, "heroImageUrl": a.hero_image_url, "date": article_date(&a.date, true),
        }))
    }

    /// The preview of an @-mentioned author.
    pub(crate) fn author_preview(&self, author: &Author) -> Result<WidgetRoot, TemplateError> {
        let bio = BIOS.iter().find(|(slug, _)| *slug == author.id).map_or("Foxhollow Dispatch contributor.", |(_, bio)| bio);
        self.author_preview.build(&json!({
            "slug": author.id, "name": author.name, "image": format!("/api/authors/{}/avatar.svg", author.id),
            "bio": bio, "articleCount": author.article_count,
        }))
    }

    /// The event timeline, grouped by date; `selected` shows that event's details.
    pub(crate) fn event_list(&self, events: &[&Event], selected: Option<&str>) -> Result<WidgetRoot, TemplateError> {
        let mut events: Vec<&Event> = events.to_vec();
        events.sort_by_key(|e| (e.date, e.time));
        let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
        let mut groups: Vec<Value> = Vec::new();
        for event in &events {
            let date_label = event.date.format("%A, %b %-d").to_string();
            let item = json!({
                "id": event.id, "title": event.title, "location": event.location,
                "timeLabel": event.time.format("%-I:%M %p").to_string(), "dateLabel": date_label,
                "color": category_color(&event.category), "details": event.details,
            });
            match groups.last_mut() {
                Some(group) if group["dateLabel"] == date_label.as_str() => {
                    if let Some(list) = group["events"].as_array_mut() {
                        list.push(item);
                    }
                }
                _ => groups.push(json!({"dateLabel": date_label, "events": [item]})),
            }
        }
        // The schema wants a string or nothing: no selection leaves the key out.
        let mut data = json!({"groups": groups, "eventIds": ids});
        if let Some(selected) = selected {
            data["selectedEventId"] = json!(selected);
        }
        self.event_list.build(&data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ArticleStore, EventStore};

    #[test]
    fn every_bundled_template_renders_its_own_preview() {
        for (name, source) in FILES {
            let template = WidgetTemplate::from_str(source).expect("compiles");
            let data = template.preview_data().unwrap_or_else(|| panic!("{name} has preview data"));
            assert!(template.violations(&data).is_empty(), "{name}: {:?}", template.violations(&data));
            let rendered = template.build(&data).expect("renders").to_value();
            assert_eq!(Some(&rendered), template.preview(), "{name}: the preview is what the template renders");
        }
    }

    #[test]
    fn article_widgets() {
        let templates = Templates::load();
        let store = ArticleStore::bundled();
        let featured = store.with_tags(&["featured".into()]);
        let list = templates.article_list(&featured[..2]).expect("renders").to_value();
        let items = list["children"].as_array().expect("a list");
        assert_eq!(items.len(), 2);
        let view = &items[0]["children"][0]["children"][0]["children"][1]["children"][1]["children"][0];
        assert_eq!(view["onClickAction"], json!({"type": OPEN_ARTICLE, "handler": "client", "payload": {"id": featured[0].id}}));
        assert_eq!(items[0]["children"][0]["children"][0]["children"][0]["src"], format!("/api/articles/{}/cover.svg", featured[0].id));
        let preview = templates.article_preview(featured[0]).expect("renders").to_value();
        assert_eq!(preview["type"], "Basic");
        let author = &store.authors()[0];
        let preview = templates.author_preview(author).expect("renders").to_value();
        assert!(preview.to_string().contains("article in the archive") || preview.to_string().contains("articles in the archive"));
    }

    #[test]
    fn event_timeline_groups_by_date_and_selects() {
        let templates = Templates::load();
        let events = EventStore::bundled();
        let weekend: Vec<&Event> = events.on_day("sunday").into_iter().chain(events.on_day("saturday")).collect();
        let widget = templates.event_list(&weekend, None).expect("renders").to_value();
        let items = widget["children"].as_array().expect("a list");
        // Saturday header, two events, Sunday header, two events: sorted by date.
        assert_eq!(items.len(), 6);
        assert_eq!(items[0]["key"], "Saturday, Feb 22-header");
        assert_eq!(items[1]["key"], "blue-heron-cleanup");
        let button = &items[1]["children"][0]["children"][0]["children"][0]["children"][2];
        assert_eq!(button["onClickAction"]["payload"]["is_selected"], false);
        assert_eq!(button["onClickAction"]["payload"]["event_ids"].as_array().map(Vec::len), Some(4));
        assert_eq!(items[1]["children"][0]["children"][0]["children"][3]["value"], "", "no details until selected");

        let selected = templates.event_list(&weekend, Some("blue-heron-cleanup")).expect("renders").to_value();
        let item = &selected["children"][1]["children"][0]["children"][0];
        assert_eq!(item["children"][0]["children"][2]["onClickAction"]["payload"]["is_selected"], true);
        assert!(item["children"][3]["value"].as_str().unwrap_or_default().starts_with("Park rangers lead"));
        assert_eq!(item["children"][0]["children"][0]["value"], "9:30 AM");
    }
}
