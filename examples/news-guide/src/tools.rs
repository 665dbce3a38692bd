//! The tools of the three agents: the News Guide's article searches and list widget, the
//! Event Finder's calendar searches and timeline widget, and the two delegations.
//!
//! Searches report progress (`progress_update`) and return JSON for the model; the widget
//! tools show their widget and end the turn.

use std::sync::Arc;

use chatkit::{RequestContext, ThreadStreamEvent};
use chatkit_agents::convert::user_text;
use chatkit_agents::{Agent, FunctionTool, ToolContext, ToolError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Newsroom;
use crate::data::{Article, ArticleMetadata, Event};

/// The request context key of the article the reader has open (`featured` for the front
/// page), from the `article-id` header.
pub const ARTICLE_ID: &str = "article_id";

/// The tools that end the News Guide's turn once they ran.
pub const NEWS_STOP_AT: [&str; 3] = ["show_article_list_widget", "delegate_to_event_finder", "delegate_to_puzzle_keeper"];
/// The tool that ends the Event Finder's turn once it ran.
pub const EVENTS_STOP_AT: [&str; 1] = ["show_event_list_widget"];

fn json_output(value: &impl Serialize) -> Result<String, ToolError> {
    serde_json::to_string(value).map_err(|e| ToolError::failed(e.to_string()))
}

async fn progress(ctx: &mut ToolContext<'_, RequestContext>, text: impl Into<String>) -> Result<(), ToolError> {
    ctx.emit(ThreadStreamEvent::progress(text)).await.map_err(ToolError::from)
}

fn articles_output(articles: &[&ArticleMetadata]) -> Result<String, ToolError> {
    json_output(&json!({"articles": articles}))
}

fn events_output(events: &[&Event]) -> Result<String, ToolError> {
    json_output(&json!({"events": events}))
}

/// No arguments.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct NoArgs {}

macro_rules! tool {
    ($ty:ident, $name:literal, $description:literal, $args:ty, |$this:ident, $ctx:ident, $a:ident| $body:block) => {
        pub(crate) struct $ty(pub(crate) Arc<Newsroom>);

        impl FunctionTool<RequestContext> for $ty {
            type Args = $args;
            fn name(&self) -> &str {
                $name
            }
            fn description(&self) -> &str {
                $description
            }
            async fn run(&self, $ctx: &mut ToolContext<'_, RequestContext>, $a: $args) -> Result<String, ToolError> {
                let $this = &*self.0;
                $body
            }
        }
    };
}

/// Tags to search.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct TagsArgs {
    /// One or more tags to filter by.
    tags: Vec<String>,
}

tool!(SearchByTags, "search_articles_by_tags", "List newsroom articles, optionally filtered by tags.\n- `tags`: One or more tags to filter by.", TagsArgs, |this, ctx, args| {
    let tags: Vec<String> = args.tags.iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect();
    if tags.is_empty() {
        return Err(ToolError::failed("Please provide at least one tag to search for."));
    }
    progress(ctx, format!("Searching for tags: {}", tags.join(", "))).await?;
    articles_output(&this.articles.with_tags(&tags))
});

/// An author.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct AuthorArgs {
    /// Author name to search for (case-insensitive).
    author: String,
}

tool!(SearchByAuthor, "search_articles_by_author", "Find articles written by a specific author.\n- `author`: Author name to search for (case-insensitive).", AuthorArgs, |this, ctx, args| {
    let author = args.author.trim();
    if author.is_empty() {
        return Err(ToolError::failed("Please provide an author name to search for."));
    }
    let display = author.split('-').map(|w| {
        let mut c = w.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
    }).collect::<Vec<_>>().join(" ");
    progress(ctx, format!("Looking for articles by {display}...")).await?;
    json_output(&json!({"author": author, "articles": this.articles.by_author(author)}))
});

tool!(ListTagsAndKeywords, "list_available_tags_and_keywords", "List all unique tags and keywords available across the newsroom archive. No parameters.", NoArgs, |this, ctx, _args| {
    progress(ctx, "Referencing available tags and keywords...").await?;
    let (tags, keywords) = this.articles.tags_and_keywords();
    json_output(&json!({"tags": tags, "keywords": keywords}))
});

/// Keywords to search.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct KeywordsArgs {
    /// List of keywords to match against metadata.
    keywords: Vec<String>,
}

tool!(SearchByKeywords, "search_articles_by_keywords", "Search newsroom articles by keywords within their metadata (title, tags, keywords, etc.).\n- `keywords`: List of keywords to match against metadata.", KeywordsArgs, |this, ctx, args| {
    let keywords: Vec<String> = args.keywords.iter().map(|k| k.trim().to_lowercase()).filter(|k| !k.is_empty()).collect();
    if keywords.is_empty() {
        return Err(ToolError::failed("Please provide at least one non-empty keyword to search for."));
    }
    progress(ctx, format!("Searching for keywords: {}", keywords.join(", "))).await?;
    articles_output(&this.articles.search_keywords(&keywords))
});

/// Text to find.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct TextArgs {
    /// Exact string to find inside article bodies.
    text: String,
}

tool!(SearchByText, "search_articles_by_exact_text", "Search newsroom articles for an exact text match within their content.\n- `text`: Exact string to find inside article bodies.", TextArgs, |this, ctx, args| {
    let text = args.text.trim();
    if text.is_empty() {
        return Err(ToolError::failed("Please provide a non-empty text string to search for."));
    }
    progress(ctx, format!("Scanning articles for: {text}")).await?;
    articles_output(&this.articles.search_text(text))
});

/// An article id.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ArticleIdArgs {
    /// Identifier of the article to load.
    article_id: String,
}

tool!(GetArticle, "get_article_by_id", "Fetch the markdown content for a specific article.\n- `article_id`: Identifier of the article to load.", ArticleIdArgs, |this, ctx, args| {
    progress(ctx, "Loading article...").await?;
    let article = this.articles.get(&args.article_id).ok_or_else(|| ToolError::failed(format!("Article '{}' does not exist.", args.article_id)))?;
    json_output(&json!({"article": article}))
});

tool!(GetCurrentPage, "get_current_page", "Load the full content for the page the reader currently has open. No parameters.", NoArgs, |this, ctx, _args| {
    let page = ctx.context().metadata.get(ARTICLE_ID).and_then(|v| v.as_str()).map(str::to_owned);
    let Some(page) = page.filter(|p| !p.is_empty()) else {
        return Err(ToolError::failed("No article id is available in the current request context."));
    };
    if page == "featured" {
        let articles: Vec<&Article> = this.articles.with_tags(&["featured".into()]).iter().filter_map(|m| this.articles.get(&m.id)).collect();
        progress(ctx, "Page contents retrieved").await?;
        return json_output(&json!({"page": "featured", "articles": articles}));
    }
    let article = this.articles.get(&page).ok_or_else(|| ToolError::failed(format!("Article '{page}' does not exist.")))?;
    progress(ctx, "Full article retrieved").await?;
    json_output(&json!({"page": "article", "articles": [article], "article_id": page}))
});

/// An article the model picked; only the id is used (the rest comes from the archive).
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ArticleChoice {
    /// The article's id.
    id: String,
}

/// Articles to show.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ArticleListArgs {
    /// Article metadata entries to display (at least their `id`).
    articles: Vec<ArticleChoice>,
    /// Introductory text explaining why these were selected.
    message: String,
}

tool!(ShowArticleList, "show_article_list_widget", "Show a Newsroom-style article list widget for a provided set of articles.\n- `articles`: Article metadata entries to display.\n- `message`: Introductory text explaining why these were selected.", ArticleListArgs, |this, ctx, args| {
    let articles: Vec<&ArticleMetadata> = args.articles.iter().filter_map(|a| this.articles.get(&a.id)).map(|a| &a.meta).collect();
    if articles.is_empty() {
        return Err(ToolError::failed("Provide at least one article metadata entry before calling this tool."));
    }
    let widget = this.templates.article_list(&articles).map_err(|e| ToolError::failed(e.to_string()))?;
    ctx.say(args.message).await?;
    let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
    ctx.show_widget(widget, Some(titles.join(", "))).await?;
    Ok(format!("Showed {} articles.", articles.len()))
});

/// A date.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct DateArgs {
    /// YYYY-MM-DD.
    date: String,
}

tool!(EventsByDate, "search_events_by_date", "Find scheduled events happening on a specific date (YYYY-MM-DD).", DateArgs, |this, ctx, args| {
    if args.date.trim().is_empty() {
        return Err(ToolError::failed("Provide a valid date in YYYY-MM-DD format."));
    }
    progress(ctx, format!("Looking up events on {}", args.date.trim())).await?;
    events_output(&this.events.on_date(&args.date))
});

/// A day of the week.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct DayArgs {
    /// E.g. Saturday.
    day: String,
}

tool!(EventsByDay, "search_events_by_day_of_week", "List events occurring on a given day of the week.", DayArgs, |this, ctx, args| {
    if args.day.trim().is_empty() {
        return Err(ToolError::failed("Provide a day of the week to search for (e.g., Saturday)."));
    }
    progress(ctx, format!("Checking {} events", args.day.trim())).await?;
    events_output(&this.events.on_day(&args.day))
});

tool!(EventsByKeyword, "search_events_by_keyword", "Search events with general keywords (title, category, location, or details).", KeywordsArgs, |this, ctx, args| {
    let tokens: Vec<String> = args.keywords.iter().map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()).collect();
    if tokens.is_empty() {
        return Err(ToolError::failed("Provide at least one keyword to search for."));
    }
    progress(ctx, format!("Searching for: {}", tokens.join(", "))).await?;
    events_output(&this.events.search(&tokens))
});

tool!(EventKeywords, "list_available_event_keywords", "List all unique event keywords and categories.", NoArgs, |this, ctx, _args| {
    progress(ctx, "Referencing available event keywords...").await?;
    json_output(&json!({"keywords": this.events.keywords()}))
});

/// An event the model picked; only the id is used.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct EventChoice {
    /// The event's id.
    id: String,
}

/// Events to show.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct EventListArgs {
    /// The events to display (at least their `id`).
    events: Vec<EventChoice>,
    /// One sentence on why these events were selected.
    #[serde(default)]
    message: Option<String>,
}

tool!(ShowEventList, "show_event_list_widget", "Show a timeline-styled widget for a provided set of events.", EventListArgs, |this, ctx, args| {
    let events: Vec<&Event> = args.events.iter().filter_map(|e| this.events.get(&e.id)).collect();
    if events.is_empty() {
        // The turn ends after this tool, so the reader must hear something.
        ctx.say(args.message.unwrap_or_else(|| "I couldn't find any events that match that search.".into())).await?;
        return Ok("No events to show.".into());
    }
    let widget = this.templates.event_list(&events, None).map_err(|e| ToolError::failed(e.to_string()))?;
    let titles: Vec<&str> = events.iter().map(|e| e.title.as_str()).collect();
    ctx.show_widget(widget, Some(titles.join(", "))).await?;
    ctx.say(args.message.unwrap_or_else(|| "Here are the events that match your request.".into())).await?;
    Ok(format!("Showed {} events.", events.len()))
});

/// What the other agent is asked.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct DelegateArgs {
    /// The reader's request, in their words.
    input: String,
}

/// A tool that hands the request to another agent, which answers in the same turn (the
/// sample's `agent.as_tool`).
pub(crate) struct Delegate {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) agent: Agent<RequestContext>,
}

impl FunctionTool<RequestContext> for Delegate {
    type Args = DelegateArgs;

    fn name(&self) -> &str {
        self.name
    }

    fn description(&self) -> &str {
        self.description
    }

    async fn run(&self, ctx: &mut ToolContext<'_, RequestContext>, args: DelegateArgs) -> Result<String, ToolError> {
        let outcome = self.agent.run(ctx, vec![user_text(args.input)], None).await?;
        Ok(format!("{} answered the reader ({} tool calls).", self.agent.name(), outcome.tool_calls))
    }
}
