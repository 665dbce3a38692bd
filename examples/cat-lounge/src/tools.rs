//! The agent's tools: read and change the thread's cat, keep the page in sync, show widgets.

use std::sync::Arc;

use chatkit::{RequestContext, ThreadItem, ThreadStreamEvent};
use chatkit_agents::{FunctionTool, ToolContext, ToolError};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Shared;
use crate::events::CatEvent;
use crate::state::{CatState, title_case};
use crate::widgets::{NameSuggestion, profile_copy_text};

type Ctx<'a, 'b> = &'a mut ToolContext<'b, RequestContext>;

/// A client effect from a JSON object.
pub(crate) fn effect(name: &str, data: Value) -> ThreadStreamEvent {
    let Value::Object(data) = data else { unreachable!("effect data is built as a JSON object") };
    ThreadStreamEvent::effect(name, data)
}

/// Sends the cat's state to the page (`update_cat_status`), with a short note to flash.
pub(crate) async fn sync_status(
    turn: &mut chatkit::Turn<RequestContext>,
    cat: &CatState,
    flash: Option<&str>,
) -> chatkit::HandlerResult {
    let state = cat.payload(&turn.thread().id);
    turn.emit(effect("update_cat_status", json!({"state": state, "flash": flash}))).await
}

/// Reads the cat's stats, plus what was done in this chat.
pub(crate) struct GetCatStatus(pub(crate) Arc<Shared>);

/// No arguments.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct NoArgs {}

impl FunctionTool<RequestContext> for GetCatStatus {
    type Args = NoArgs;

    fn name(&self) -> &str {
        "get_cat_status"
    }

    fn description(&self) -> &str {
        "Read the cat's current stats before deciding what to do next. No parameters."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, _args: NoArgs) -> Result<String, ToolError> {
        let cat = self.0.cats.load(&ctx.thread().id);
        // What was done is in the thread as hidden context; a model reads it from its input
        // too, and repeating it here lets any model (the offline one included) answer with it.
        let done: Vec<String> = ctx
            .history()
            .await?
            .iter()
            .filter_map(|item| match item {
                ThreadItem::HiddenContext(hidden) => hidden.content.as_str().and_then(CatEvent::parse),
                _ => None,
            })
            .map(|event| event.describe())
            .collect();
        let recap = if done.is_empty() {
            "Nothing has been done for the cat in this chat yet.".to_owned()
        } else {
            format!("Done in this chat so far: {}.", done.join("; "))
        };
        Ok(format!("{} {recap}", cat.summary()))
    }
}

/// The optional detail of a care action.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct MealArgs {
    /// Meal or snack description to include in the update.
    #[serde(default)]
    meal: Option<String>,
}

/// The toy of a play session.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct PlayArgs {
    /// Toy or activity used during playtime.
    #[serde(default)]
    activity: Option<String>,
}

/// How the cat is cleaned.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct CleanArgs {
    /// Cleaning method or item used.
    #[serde(default)]
    method: Option<String>,
}

fn detail(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Feeds the cat.
pub(crate) struct FeedCat(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for FeedCat {
    type Args = MealArgs;

    fn name(&self) -> &str {
        "feed_cat"
    }

    fn description(&self) -> &str {
        "Feed the cat to replenish energy and keep moods stable.\n- `meal`: Meal or snack description to include in the update."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: MealArgs) -> Result<String, ToolError> {
        let cat = self.0.cats.mutate(&ctx.thread().id, CatState::feed);
        let flash = match detail(args.meal) {
            Some(meal) => format!("Fed {} {meal}", cat.name),
            None => format!("{} enjoyed a snack", cat.name),
        };
        ctx.add_hidden_context(CatEvent::Fed(flash.clone()).to_string()).await?;
        sync_status(ctx, &cat, Some(&flash)).await?;
        Ok(format!("{flash}. Now: {}", cat.summary()))
    }
}

/// Plays with the cat.
pub(crate) struct PlayWithCat(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for PlayWithCat {
    type Args = PlayArgs;

    fn name(&self) -> &str {
        "play_with_cat"
    }

    fn description(&self) -> &str {
        "Play with the cat to boost happiness and create fun moments.\n- `activity`: Toy or activity used during playtime."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: PlayArgs) -> Result<String, ToolError> {
        let cat = self.0.cats.mutate(&ctx.thread().id, CatState::play);
        let activity = detail(args.activity).unwrap_or_else(|| "Playtime".to_owned());
        ctx.add_hidden_context(CatEvent::Played(activity.clone()).to_string()).await?;
        sync_status(ctx, &cat, Some(&format!("{} played: {activity}", cat.name))).await?;
        Ok(format!("{} played ({activity}). Now: {}", cat.name, cat.summary()))
    }
}

/// Cleans the cat.
pub(crate) struct CleanCat(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for CleanCat {
    type Args = CleanArgs;

    fn name(&self) -> &str {
        "clean_cat"
    }

    fn description(&self) -> &str {
        "Clean the cat to tidy up and improve cleanliness.\n- `method`: Cleaning method or item used."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: CleanArgs) -> Result<String, ToolError> {
        let cat = self.0.cats.mutate(&ctx.thread().id, CatState::clean);
        let method = detail(args.method).unwrap_or_else(|| "Bath time".to_owned());
        ctx.add_hidden_context(CatEvent::Cleaned(method.clone()).to_string()).await?;
        sync_status(ctx, &cat, Some(&format!("{} is fresh: {method}", cat.name))).await?;
        Ok(format!("{} is clean ({method}). Now: {}", cat.name, cat.summary()))
    }
}

/// The cat's new name.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct NameArgs {
    /// Desired name for the cat.
    name: String,
}

/// Names the cat (once) and renames the thread after it.
pub(crate) struct SetCatName(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for SetCatName {
    type Args = NameArgs;

    fn name(&self) -> &str {
        "set_cat_name"
    }

    fn description(&self) -> &str {
        "Give the cat a permanent name and update the thread title to match.\n- `name`: Desired name for the cat."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: NameArgs) -> Result<String, ToolError> {
        let current = self.0.cats.load(&ctx.thread().id);
        if current.is_named() {
            ctx.say(format!("{} is ready to play!", current.name)).await?;
            return Ok(format!("The cat is already named {}; a cat is never renamed.", current.name));
        }
        let name = title_case(args.name.trim());
        if name.is_empty() {
            return Err(ToolError::failed("A name is required to rename the cat."));
        }
        let cat = self.0.name_cat(ctx, &name).await?;
        Ok(format!("The cat is now called {}. {}", cat.name, cat.summary()))
    }
}

/// What the profile card shows.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct ProfileArgs {
    /// Cat age (in years) to display and persist.
    #[serde(default)]
    age: Option<i64>,
    /// Favorite toy label to include.
    #[serde(default)]
    favorite_toy: Option<String>,
}

/// Shows the profile card (the answer of its turn: the agent stops after it).
pub(crate) struct ShowCatProfile(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for ShowCatProfile {
    type Args = ProfileArgs;

    fn name(&self) -> &str {
        "show_cat_profile"
    }

    fn description(&self) -> &str {
        "Show the cat's profile card with avatar and age.\n- `age`: Cat age (in years) to display and persist.\n- `favorite_toy`: Favorite toy label to include."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: ProfileArgs) -> Result<String, ToolError> {
        let cat = self.0.cats.mutate(&ctx.thread().id, |cat| cat.set_age(args.age));
        let card =
            self.0.templates.profile_card(&cat, args.favorite_toy.as_deref()).map_err(|e| ToolError::failed(e.to_string()))?;
        ctx.show_widget(card, Some(profile_copy_text(&cat))).await?;
        if cat.is_named() {
            ctx.say(format!("License checked! Would you like to feed, play with, or clean {}?", cat.name)).await?;
        } else {
            ctx.say("Would you like to give your cat a name?").await?;
        }
        Ok(format!("The profile card of {} is shown.", cat.name))
    }
}

/// A line for the cat to say.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct SpeakArgs {
    /// The text the cat should say.
    line: String,
}

/// Makes the cat talk: a speech bubble on the page (`cat_say` effect).
pub(crate) struct SpeakAsCat(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for SpeakAsCat {
    type Args = SpeakArgs;

    fn name(&self) -> &str {
        "speak_as_cat"
    }

    fn description(&self) -> &str {
        "Speak as the cat so a bubble appears in the dashboard.\n- `line`: The text the cat should say."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: SpeakArgs) -> Result<String, ToolError> {
        let line = args.line.trim();
        if line.is_empty() {
            return Err(ToolError::failed("A line is required for the cat to speak."));
        }
        let cat = self.0.cats.load(&ctx.thread().id);
        let state = cat.payload(&ctx.thread().id);
        ctx.emit(effect("cat_say", json!({"state": state, "message": line}))).await?;
        Ok(format!("{} said: {line}", cat.name))
    }
}

/// The names to offer.
#[derive(Deserialize, JsonSchema)]
pub(crate) struct SuggestArgs {
    /// List of name suggestions with a `name` and `reason` for each.
    suggestions: Vec<NameSuggestion>,
}

/// Shows the name picker (the answer of its turn: the agent stops after it).
pub(crate) struct SuggestCatNames(pub(crate) Arc<Shared>);

impl FunctionTool<RequestContext> for SuggestCatNames {
    type Args = SuggestArgs;

    fn name(&self) -> &str {
        "suggest_cat_names"
    }

    fn description(&self) -> &str {
        "Render up to three creative cat name options provided in the `suggestions` argument.\n- `suggestions`: List of name suggestions with a `name` and `reason` for each."
    }

    async fn run(&self, ctx: Ctx<'_, '_>, args: SuggestArgs) -> Result<String, ToolError> {
        let suggestions: Vec<NameSuggestion> = args.suggestions.iter().filter_map(NameSuggestion::normalized).collect();
        if suggestions.is_empty() {
            return Err(ToolError::failed("Provide at least one valid name suggestion before calling the tool."));
        }
        let widget = self.0.templates.name_suggestions(&suggestions, None).map_err(|e| ToolError::failed(e.to_string()))?;
        let names: Vec<&str> = suggestions.iter().map(|s| s.name.as_str()).collect();
        ctx.say("Here are some name suggestions for your cat.").await?;
        ctx.show_widget(widget, Some(names.join(", "))).await?;
        Ok(format!("Suggested {}; the user picks one in the list.", names.join(", ")))
    }
}
