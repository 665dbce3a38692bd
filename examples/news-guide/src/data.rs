//! The newsroom's bundled data: twelve Foxhollow Dispatch articles (metadata in
//! `data/articles.json`, bodies in `data/articles/*.md`) and twelve local events
//! (`data/events.json`), with the searches the tools run.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// An article's metadata (everything but the body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleMetadata {
    /// Slug, e.g. `jazz-crosswalk`.
    pub id: String,
    /// Headline.
    pub title: String,
    /// File name of the hero image in the sample.
    pub hero_image: String,
    /// Where the hero image is served.
    pub hero_image_url: String,
    /// Path of the article page.
    pub url: String,
    /// File name of the body.
    pub filename: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// Byline.
    pub author: String,
    /// Sections.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Search keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// An article with its markdown body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Article {
    /// The metadata.
    #[serde(flatten)]
    pub meta: ArticleMetadata,
    /// The body, markdown.
    pub content: String,
}

/// An author of the archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Author {
    /// Slug of the name, e.g. `elowen-wilder`.
    pub id: String,
    /// The name.
    pub name: String,
    /// How many articles they wrote.
    #[serde(rename = "articleCount")]
    pub article_count: usize,
}

/// A scheduled event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Slug.
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: NaiveDate,
    /// E.g. `Saturday`.
    #[serde(rename = "dayOfWeek")]
    pub day_of_week: String,
    /// `HH:MM`.
    #[serde(with = "hh_mm")]
    pub time: NaiveTime,
    /// Where.
    pub location: String,
    /// Name.
    pub title: String,
    /// A few sentences.
    pub details: String,
    /// E.g. `music`.
    pub category: String,
    /// Search keywords.
    #[serde(default)]
    pub keywords: Vec<String>,
}

mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(time: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&time.format("%H:%M").to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M:%S"))
            .map_err(serde::de::Error::custom)
    }
}

/// The bodies, by file name.
const BODIES: [(&str, &str); 12] = [
    ("bench-orientation-debate.md", include_str!("../data/articles/bench-orientation-debate.md")),
    ("cafe-emotional-support-espresso.md", include_str!("../data/articles/cafe-emotional-support-espresso.md")),
    ("community-fridge-apple-pies.md", include_str!("../data/articles/community-fridge-apple-pies.md")),
    ("deli-loyal-customer-sandwich.md", include_str!("../data/articles/deli-loyal-customer-sandwich.md")),
    ("extremely-slow-bus.md", include_str!("../data/articles/extremely-slow-bus.md")),
    ("jazz-crosswalk.md", include_str!("../data/articles/jazz-crosswalk.md")),
    ("missed-connection-reunion.md", include_str!("../data/articles/missed-connection-reunion.md")),
    ("neighborhood-dog-newspapers.md", include_str!("../data/articles/neighborhood-dog-newspapers.md")),
    ("plant-babysitting.md", include_str!("../data/articles/plant-babysitting.md")),
    ("squirrel-croissant-sighting.md", include_str!("../data/articles/squirrel-croissant-sighting.md")),
    ("transit-pass-machine-updated.md", include_str!("../data/articles/transit-pass-machine-updated.md")),
    ("unscheduled-parade-formation.md", include_str!("../data/articles/unscheduled-parade-formation.md")),
];

/// `Elowen Wilder` → `elowen-wilder`.
///
/// ```
/// assert_eq!(news_guide::slugify("Member of Technical Staff!"), "member-of-technical-staff");
/// ```
pub fn slugify(value: &str) -> String {
    let lower = value.to_lowercase();
    let parts: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()).collect();
    parts.join("-")
}

/// The articles, in archive order.
#[derive(Clone, Debug)]
pub struct ArticleStore {
    articles: Vec<Article>,
}

impl ArticleStore {
    /// The bundled archive. Hero images are served by this app at
    /// `/api/articles/{id}/cover.svg`, so the page works offline.
    ///
    /// ```
    /// let store = news_guide::ArticleStore::bundled();
    /// assert_eq!(store.list().len(), 12);
    /// assert!(store.get("jazz-crosswalk").unwrap().content.contains("jazz riff"));
    /// ```
    pub fn bundled() -> Self {
        let metadata: Vec<ArticleMetadata> =
            serde_json::from_str(include_str!("../data/articles.json")).expect("data/articles.json is valid (unit tested)");
        let articles = metadata
            .into_iter()
            .map(|mut meta| {
                let content = BODIES.iter().find(|(name, _)| *name == meta.filename).map_or("", |(_, body)| body).to_owned();
                meta.hero_image_url = format!("/api/articles/{}/cover.svg", meta.id);
                Article { meta, content }
            })
            .collect();
        Self { articles }
    }

    /// Every article's metadata, in archive order.
    pub fn list(&self) -> Vec<&ArticleMetadata> {
        self.articles.iter().map(|a| &a.meta).collect()
    }

    /// One article.
    pub fn get(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.meta.id == id.trim())
    }

    /// Articles with any of `tags` (case-insensitive); all of them for no tags.
    pub fn with_tags(&self, tags: &[String]) -> Vec<&ArticleMetadata> {
        let wanted: Vec<String> = tags.iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect();
        if wanted.is_empty() {
            return self.list();
        }
        self.list().into_iter().filter(|a| a.tags.iter().any(|t| wanted.contains(&t.to_lowercase()))).collect()
    }

    /// Articles whose metadata (id, title, author, url, file, tags, keywords, date) contains
    /// any keyword, the keywords joined, or any word of them.
    pub fn search_keywords(&self, keywords: &[String]) -> Vec<&ArticleMetadata> {
        let cleaned: Vec<String> = keywords.iter().map(|k| k.trim().to_lowercase()).filter(|k| !k.is_empty()).collect();
        if cleaned.is_empty() {
            return Vec::new();
        }
        let mut terms: BTreeSet<String> = cleaned.iter().cloned().collect();
        terms.insert(cleaned.join(" "));
        for term in terms.clone() {
            terms.extend(term.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned));
        }
        self.list()
            .into_iter()
            .filter(|a| {
                let fields = [&a.id, &a.title, &a.author, &a.url, &a.filename, &a.date]
                    .into_iter()
                    .chain(&a.tags)
                    .chain(&a.keywords)
                    .map(|f| f.to_lowercase())
                    .collect::<Vec<_>>();
                terms.iter().any(|t| fields.iter().any(|f| f.contains(t.as_str())))
            })
            .collect()
    }

    /// Articles whose body contains `text` exactly.
    pub fn search_text(&self, text: &str) -> Vec<&ArticleMetadata> {
        let text = text.trim();
        if text.is_empty() {
            return Vec::new();
        }
        self.articles.iter().filter(|a| a.content.contains(text)).map(|a| &a.meta).collect()
    }

    /// Articles by an author (name part, or slug).
    pub fn by_author(&self, author: &str) -> Vec<&ArticleMetadata> {
        let wanted = author.trim().to_lowercase();
        if wanted.is_empty() {
            return Vec::new();
        }
        let slug = slugify(&wanted);
        self.list()
            .into_iter()
            .filter(|a| {
                let name_slug = slugify(&a.author);
                a.author.to_lowercase().contains(&wanted) || name_slug == slug || name_slug.contains(&wanted)
            })
            .collect()
    }

    /// Every author, by name.
    pub fn authors(&self) -> Vec<Author> {
        let mut authors: Vec<Author> = Vec::new();
        for article in &self.articles {
            let id = slugify(&article.meta.author);
            match authors.iter_mut().find(|a| a.id == id) {
                Some(author) => author.article_count += 1,
                None => authors.push(Author { id, name: article.meta.author.clone(), article_count: 1 }),
            }
        }
        authors.sort_by(|a, b| a.name.cmp(&b.name));
        authors
    }

    /// Every tag and keyword, sorted.
    pub fn tags_and_keywords(&self) -> (Vec<String>, Vec<String>) {
        let tags: BTreeSet<String> = self.articles.iter().flat_map(|a| a.meta.tags.iter().cloned()).collect();
        let keywords: BTreeSet<String> = self.articles.iter().flat_map(|a| a.meta.keywords.iter().cloned()).collect();
        (tags.into_iter().collect(), keywords.into_iter().collect())
    }
}

/// The events, in calendar order of the file.
#[derive(Clone, Debug)]
pub struct EventStore {
    events: Vec<Event>,
}

impl EventStore {
    /// The bundled calendar.
    ///
    /// ```
    /// let events = news_guide::EventStore::bundled();
    /// assert_eq!(events.on_day("saturday").len(), 2);
    /// ```
    pub fn bundled() -> Self {
        let events = serde_json::from_str(include_str!("../data/events.json")).expect("data/events.json is valid (unit tested)");
        Self { events }
    }

    /// Every event.
    pub fn list(&self) -> &[Event] {
        &self.events
    }

    /// One event.
    pub fn get(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    /// Events on a date (`YYYY-MM-DD`, or a longer ISO timestamp).
    pub fn on_date(&self, date: &str) -> Vec<&Event> {
        let date = date.trim();
        let Ok(date) = NaiveDate::parse_from_str(date.get(..10).unwrap_or(date), "%Y-%m-%d") else { return Vec::new() };
        self.events.iter().filter(|e| e.date == date).collect()
    }

    /// Events on a day of the week (`Saturday`, any case).
    pub fn on_day(&self, day: &str) -> Vec<&Event> {
        let day = day.trim();
        self.events.iter().filter(|e| e.day_of_week.eq_ignore_ascii_case(day)).collect()
    }

    /// Events whose id, day, place, title, details, category or keywords contain a term or
    /// one of its words.
    pub fn search(&self, keywords: &[String]) -> Vec<&Event> {
        let mut terms: Vec<String> = Vec::new();
        for keyword in keywords {
            let keyword = keyword.trim().to_lowercase();
            if keyword.is_empty() {
                continue;
            }
            let words: Vec<String> = keyword.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect();
            terms.push(keyword);
            terms.extend(words);
        }
        if terms.is_empty() {
            return Vec::new();
        }
        self.events
            .iter()
            .filter(|e| {
                let fields = [&e.id, &e.day_of_week, &e.location, &e.title, &e.details, &e.category, &e.keywords.join(" ")]
                    .map(|f| f.to_lowercase());
                terms.iter().any(|t| fields.iter().any(|f| f.contains(t.as_str())))
            })
            .collect()
    }

    /// Every keyword and category, lower case, sorted.
    pub fn keywords(&self) -> Vec<String> {
        let set: BTreeSet<String> = self
            .events
            .iter()
            .flat_map(|e| e.keywords.iter().chain(std::iter::once(&e.category)))
            .map(|k| k.trim().to_lowercase())
            .filter(|k| !k.is_empty())
            .collect();
        set.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_loads_with_every_body() {
        let store = ArticleStore::bundled();
        assert!(store.articles.iter().all(|a| !a.content.is_empty()), "every article has its body");
        assert_eq!(store.with_tags(&["featured".into()]).len(), 4);
        assert_eq!(store.with_tags(&[]).len(), 12);
        let authors = store.authors();
        assert_eq!(authors.len(), 8);
        assert_eq!(authors[0].name, "Charley Oh");
        assert!(store.by_author("elowen-wilder").iter().all(|a| a.author == "Elowen Wilder"));
        assert!(!store.by_author("Elowen").is_empty());
        assert!(store.by_author("  ").is_empty());
        assert_eq!(store.search_text("jazz riff").iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["jazz-crosswalk"]);
        assert!(store.search_keywords(&["bench".into()]).iter().any(|a| a.id == "bench-orientation-debate"));
        assert!(store.search_keywords(&[" ".into()]).is_empty());
        let (tags, keywords) = store.tags_and_keywords();
        assert!(tags.contains(&"parks".to_owned()) && keywords.len() > 50);
    }

    #[test]
    fn the_calendar_loads_and_searches() {
        let events = EventStore::bundled();
        assert_eq!(events.list().len(), 12);
        assert_eq!(events.on_date("2025-02-22").len(), 2);
        assert_eq!(events.on_date("2025-02-22T10:00:00").len(), 2);
        assert!(events.on_date("soon").is_empty());
        assert!(events.search(&["night market".into()]).iter().any(|e| e.id == "winter-night-market"));
        assert!(events.keywords().contains(&"music".to_owned()));
        let json = serde_json::to_value(events.get("lantern-walk-session").expect("an event")).expect("json");
        assert_eq!((json["time"].as_str(), json["dayOfWeek"].as_str()), (Some("19:00"), Some("Saturday")));
    }
}
