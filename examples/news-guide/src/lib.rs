//! # news-guide
//!
//! The official ChatKit news-guide sample in Rust: News Guide, the Foxhollow Dispatch's
//! newsroom assistant, beside the newspaper it reads from.
//!
//! * **Retrieval tools** — tag, keyword, exact-text and author searches over a bundled archive
//!   ([`ArticleStore`]), each reporting progress; `get_article_by_id`; page-aware
//!   `get_current_page`, reading the `article-id` header the page sends.
//! * **Widgets streamed from tools** — `show_article_list_widget` (the sample's
//!   `article_list.widget`) and the Event Finder's `show_event_list_widget` timeline
//!   (`event_list.widget`).
//! * **Actions** — `open_article` is a client action (the page opens the article) that the
//!   page forwards, and the server answers; `view_event_details` is a server action that
//!   replaces the timeline with the event's details.
//! * **Entities** — articles and authors are @-mentionable ([`router`] serves them with
//!   their preview widgets); [`NewsConverter`] turns them into `<ARTICLE_REFERENCE>` and
//!   `<AUTHOR_REFERENCE>` markers the agent resolves with its tools.
//! * **Composer tools** — `event_finder` and `puzzle` route the turn to the Event Finder and
//!   the Puzzle Keeper agents ([`chatkit_agents::Agents`]); the News Guide also delegates to
//!   them by tool.
//! * **Titles** — the first message names the thread.
//!
//! Offline it runs on [`NewsScript`], a deterministic model calling the same tools.
//!
//! ```
//! use std::sync::Arc;
//! use chatkit::{ChatKit, MemoryStore};
//! use news_guide::App;
//! let chatkit = ChatKit::new(App::new(Arc::new(App::scripted_model())), MemoryStore::new());
//! let app: axum::Router = news_guide::router(chatkit);
//! # let _ = app;
//! ```

mod convert;
mod data;
mod http;
mod script;
mod tools;
mod widgets;

use std::sync::Arc;

use chatkit::{Action, ChatKitServer, HandlerError, HandlerResult, RequestContext, Turn, UserMessageItem, WidgetItem};
use chatkit_agents::model::Model;
use chatkit_agents::{Agent, Agents, generate_title};
use serde::Deserialize;

pub use convert::NewsConverter;
pub use data::{Article, ArticleMetadata, ArticleStore, Author, Event, EventStore, slugify};
pub use http::{context_from_parts, page, router};
pub use script::NewsScript;
pub use tools::{ARTICLE_ID, EVENTS_STOP_AT, NEWS_STOP_AT};
pub use widgets::{OPEN_ARTICLE, VIEW_EVENT_DETAILS};

/// The composer tool that routes a turn to the Event Finder.
pub const TOOL_EVENT_FINDER: &str = "event_finder";
/// The composer tool that routes a turn to the Puzzle Keeper.
pub const TOOL_PUZZLE: &str = "puzzle";

/// The instructions of the three agents (the sample's).
pub mod instructions {
    /// News Guide.
    pub const NEWS: &str = include_str!("instructions/news.md");
    /// Foxhollow Event Finder.
    pub const EVENTS: &str = include_str!("instructions/events.md");
    /// Foxhollow Puzzle Keeper.
    pub const PUZZLE: &str = include_str!("instructions/puzzle.md");
}

/// The newsroom's data and widgets, shared by the tools.
pub(crate) struct Newsroom {
    pub(crate) articles: ArticleStore,
    pub(crate) events: EventStore,
    pub(crate) templates: widgets::Templates,
}

/// The news-guide app.
pub struct App {
    agents: Agents<RequestContext>,
    model: Arc<dyn Model>,
    newsroom: Arc<Newsroom>,
}

impl App {
    /// The app on a model: a hosted one, or [`App::scripted_model`] offline.
    pub fn new(model: Arc<dyn Model>) -> Self {
        let newsroom =
            Arc::new(Newsroom { articles: ArticleStore::bundled(), events: EventStore::bundled(), templates: widgets::Templates::load() });
        let n = || newsroom.clone();
        let events = Agent::with_model("Foxhollow Event Finder", model.clone())
            .instructions(instructions::EVENTS)
            .converter(NewsConverter)
            .tool(tools::EventsByDate(n()))
            .tool(tools::EventsByDay(n()))
            .tool(tools::EventsByKeyword(n()))
            .tool(tools::EventKeywords(n()))
            .tool(tools::ShowEventList(n()))
            .stop_at_tools(EVENTS_STOP_AT);
        let puzzle = Agent::with_model("Foxhollow Puzzle Keeper", model.clone()).instructions(instructions::PUZZLE).converter(NewsConverter);
        let news = Agent::with_model("Foxhollow Dispatch News Guide", model.clone())
            .instructions(instructions::NEWS)
            .converter(NewsConverter)
            .tool(tools::ListTagsAndKeywords(n()))
            .tool(tools::GetArticle(n()))
            .tool(tools::GetCurrentPage(n()))
            .tool(tools::SearchByAuthor(n()))
            .tool(tools::SearchByTags(n()))
            .tool(tools::SearchByKeywords(n()))
            .tool(tools::SearchByText(n()))
            .tool(tools::ShowArticleList(n()))
            .tool(tools::Delegate {
                name: "delegate_to_event_finder",
                description: "Delegate event-specific requests to the Foxhollow Event Finder agent.",
                agent: events.clone(),
            })
            .tool(tools::Delegate {
                name: "delegate_to_puzzle_keeper",
                description: "Delegate coffee break puzzle requests to the Foxhollow Puzzle Keeper agent.",
                agent: puzzle.clone(),
            })
            .stop_at_tools(NEWS_STOP_AT);
        let agents = Agents::new(news).route(TOOL_EVENT_FINDER, events).route(TOOL_PUZZLE, puzzle);
        Self { agents, model, newsroom }
    }

    /// The offline model: deterministic replies that call the newsroom's tools.
    pub fn scripted_model() -> NewsScript {
        NewsScript
    }

    /// The article archive.
    pub fn articles(&self) -> &ArticleStore {
        &self.newsroom.articles
    }

    /// The event calendar.
    pub fn events(&self) -> &EventStore {
        &self.newsroom.events
    }
}

/// Payload of [`OPEN_ARTICLE`].
#[derive(Deserialize)]
struct OpenArticle {
    id: String,
}

/// Payload of [`VIEW_EVENT_DETAILS`].
#[derive(Deserialize)]
struct ViewEventDetails {
    id: String,
    #[serde(default)]
    event_ids: Vec<String>,
    #[serde(default)]
    is_selected: bool,
}

impl ChatKitServer for App {
    type Context = RequestContext;

    async fn respond(&self, turn: &mut Turn<RequestContext>, input: Option<UserMessageItem>) -> HandlerResult {
        let first = input.filter(|_| turn.thread().title.is_none()).map(|m| m.text());
        let title = async {
            match &first {
                Some(text) => Some(generate_title(self.model.as_ref(), text).await),
                None => None,
            }
        };
        let (title, outcome) = futures_util::join!(title, self.agents.respond(turn));
        if let Some(title) = title {
            turn.thread_mut().title = Some(title);
        }
        outcome.map(|_| ())
    }

    async fn action(&self, turn: &mut Turn<RequestContext>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        let bad = |e: chatkit::PayloadError| HandlerError::custom(e.to_string());
        match action.kind() {
            OPEN_ARTICLE => {
                let open: OpenArticle = action.payload().map_err(bad)?;
                let message = match self.newsroom.articles.get(&open.id) {
                    Some(article) => format!("Want a quick summary of _{}_ or have any questions about it?", article.meta.title),
                    None => "Want a quick summary or have any questions about this article?".to_owned(),
                };
                turn.say(message).await
            }
            VIEW_EVENT_DETAILS => {
                let view: ViewEventDetails = action.payload().map_err(bad)?;
                let events: Vec<&Event> = view.event_ids.iter().filter_map(|id| self.newsroom.events.get(id)).collect();
                // Already shown, unknown, or nothing to redraw: nothing to do.
                let (Some(sender), false, Some(_), false) = (sender, view.is_selected, self.newsroom.events.get(&view.id), events.is_empty())
                else {
                    return Ok(());
                };
                let widget = self.newsroom.templates.event_list(&events, Some(&view.id))?;
                turn.replace_widget(&sender, widget).await
            }
            other => Err(HandlerError::custom(format!("Unknown action `{other}`."))),
        }
    }
}
