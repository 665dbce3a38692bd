//! # cat-lounge
//!
//! The official ChatKit "Cat Lounge" sample in Rust: an assistant looks after a virtual cat,
//! one cat per thread.
//!
//! * **Server tools that read and change app state** — `get_cat_status`, `feed_cat`,
//!   `play_with_cat`, `clean_cat`, `set_cat_name`, `speak_as_cat` work on the thread's
//!   [`CatState`] (kept in a [`CatStore`], apart from the ChatKit store).
//! * **Client effects** — every change sends `update_cat_status` (the new state and a note to
//!   flash) and `speak_as_cat` sends `cat_say`, so the page's side panel follows the cat.
//! * **Hidden context** — each action leaves a [`CatEvent`] tag (`<FED_CAT>`, `<PLAYED_WITH_CAT>`,
//!   `<CLEANED_CAT>`, `<CAT_NAME_SELECTED>`) in the thread for the model's next turns.
//! * **A widget with client actions, forwarded** — `suggest_cat_names` shows the name picker
//!   (`widgets/cat_name_suggestions.widget`). Its `cats.select_name` action is handled by the
//!   page, which forwards it with `sendCustomAction`; the server ([`App`]'s
//!   [`action`](chatkit::ChatKitServer::action)) names the cat, replaces the picker with the
//!   choice checked, renames the thread to "*Name*’s Lounge" and answers. A second pick (from
//!   an older picker) is answered "already has a name". `cats.more_names` is the page's alone:
//!   it sends a user message.
//! * **A presentation widget** — `show_cat_profile` shows the cat's profile card
//!   (`widgets/cat_profile.widget`).
//! * **Image generation** — the agent offers the model API's hosted `image_generation` tool
//!   with three partial images: asked for a picture of a named cat, the model reads its status
//!   and draws it; the picture streams as a `generated_image` item (each partial image, then the
//!   final one) and is stored with the thread.
//! * **Offline** — [`App::scripted_model`] calls the same tools on cue, and draws the cat in its
//!   coat (PNG pictures completed step by step, [`cat_png`]), so the lounge runs without a model
//!   server; with one, the model decides.
//!
//! ```
//! use std::sync::Arc;
//! use chatkit::{ChatKit, MemoryStore};
//! let app = cat_lounge::App::new(Arc::new(cat_lounge::App::scripted_model()));
//! let router: axum::Router = cat_lounge::router(ChatKit::new(app, MemoryStore::new())).merge(cat_lounge::page().router());
//! # let _ = router;
//! ```

mod art;
mod events;
mod http;
mod picture;
mod script;
mod state;
mod tools;
mod widgets;

use std::sync::Arc;

use chatkit::{
    Action, ChatKitServer, HandlerError, HandlerResult, RequestContext, StreamOptions, ThreadMetadata, Turn,
    UserMessageItem, WidgetItem,
};
use chatkit_agents::Agent;
use chatkit_agents::model::Model;
use serde::Deserialize;

pub use art::cat_svg;
pub use events::CatEvent;
pub use http::{page, router};
pub use picture::{PICTURE_SIZE, PICTURE_STEPS, cat_png};
pub use script::LoungeScript;
pub use state::{CatPayload, CatState, CatStore, ColorPattern, UNNAMED};
pub use widgets::{NameSuggestion, image_src};

/// The model's instructions (the sample's).
pub const INSTRUCTIONS: &str = include_str!("instructions.md");

/// The partial images the image generation tool is asked for (as in the sample).
pub const PARTIAL_IMAGES: u32 = 3;

/// What the tools and the action handler share.
pub(crate) struct Shared {
    cats: CatStore,
    templates: widgets::Templates,
}

/// The cat lounge: a [`ChatKitServer`] whose agent cares for one cat per thread.
pub struct App {
    shared: Arc<Shared>,
    agent: Agent<RequestContext>,
}

impl App {
    /// The lounge on a model (a real one, or [`App::scripted_model`]).
    pub fn new(model: Arc<dyn Model>) -> Self {
        let shared = Arc::new(Shared { cats: CatStore::new(), templates: widgets::Templates::load() });
        let agent = Agent::with_model("Cozy Cat Companion", model)
            .instructions(INSTRUCTIONS)
            .tool(tools::GetCatStatus(shared.clone()))
            .tool(tools::ShowCatProfile(shared.clone()))
            .tool(tools::SpeakAsCat(shared.clone()))
            .tool(tools::FeedCat(shared.clone()))
            .tool(tools::PlayWithCat(shared.clone()))
            .tool(tools::CleanCat(shared.clone()))
            .tool(tools::SetCatName(shared.clone()))
            .tool(tools::SuggestCatNames(shared.clone()))
            .hosted_tool(serde_json::json!({"type": "image_generation", "partial_images": PARTIAL_IMAGES}))
            .partial_images(PARTIAL_IMAGES)
            // Their widget is the answer: no model call to comment on it.
            .stop_at_tools(["suggest_cat_names", "show_cat_profile"]);
        Self { shared, agent }
    }

    /// The offline model: deterministic replies that call the lounge's tools. The first cue
    /// found in the user's message (ignoring case) picks the tool; tool outputs are answered
    /// with "Done: <output>".
    ///
    /// Asked for a picture ("picture", "draw", "photo", "portrait", "image"), it first reads
    /// the cat's status (`get_cat_status`); then, for a named cat, it generates a picture of it
    /// in its coat at home ([`cat_png`]: [`PARTIAL_IMAGES`] partial images, each more complete,
    /// then the final one) and says what it drew; for a cat without a name, it asks to name it
    /// first.
    ///
    /// | Cue | Tool |
    /// |---|---|
    /// | "more name" | `suggest_cat_names` (Mochi, Biscuit, Nimbus) |
    /// | "whiskers" | `set_cat_name` ("Mr. Whiskers") |
    /// | "names", "name the cat", "name it" | `suggest_cat_names` (Willow, Pixel, Miso) |
    /// | "profile" | `show_cat_profile` (2 years, ball of yarn) |
    /// | "feed", "treat", "snack" | `feed_cat` |
    /// | "play" | `play_with_cat` |
    /// | "bath", "clean", "fresh" | `clean_cat` |
    /// | "hello", "hi cat" | `speak_as_cat` |
    /// | "how is", "doing", "status", "feeling", "what happened" | `get_cat_status` |
    pub fn scripted_model() -> LoungeScript {
        LoungeScript::new()
    }

    /// The thread's cat.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// let app = cat_lounge::App::new(Arc::new(cat_lounge::App::scripted_model()));
    /// assert_eq!(app.cat(&"thr_1".into()).name, "Unnamed Cat");
    /// ```
    pub fn cat(&self, thread: &chatkit::ThreadId) -> CatState {
        self.shared.cats.load(thread)
    }
}

impl Shared {
    /// Names the cat: the state, the thread title, a hidden context tag, the page's panel.
    async fn name_cat(&self, turn: &mut Turn<RequestContext>, name: &str) -> HandlerResult<CatState> {
        let cat = self.cats.mutate(&turn.thread().id, |cat| cat.rename(name));
        turn.thread_mut().title = Some(format!("{}’s Lounge", cat.name));
        turn.add_hidden_context(CatEvent::Named(cat.name.clone()).to_string()).await?;
        tools::sync_status(turn, &cat, Some(&format!("Now called {}", cat.name))).await?;
        Ok(cat)
    }
}

/// Payload of `cats.select_name`: the chosen name and every option of the picker.
#[derive(Deserialize)]
struct SelectName {
    name: String,
    #[serde(default)]
    options: Vec<NameSuggestion>,
}

impl ChatKitServer for App {
    type Context = RequestContext;

    async fn respond(&self, turn: &mut Turn<RequestContext>, _input: Option<UserMessageItem>) -> HandlerResult {
        self.agent.respond(turn).await.map(|_| ())
    }

    async fn action(&self, turn: &mut Turn<RequestContext>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        match action.kind() {
            "cats.select_name" => {
                let SelectName { name, options } = action.payload().map_err(|e| HandlerError::custom(e.to_string()))?;
                let Some(sender) = sender else {
                    return Err(HandlerError::custom("`cats.select_name` must name the picker it comes from."));
                };
                let name = name.trim();
                if name.is_empty() {
                    return Err(HandlerError::custom("Pick a name from the list."));
                }
                let options: Vec<NameSuggestion> = options.iter().filter_map(NameSuggestion::normalized).collect();
                let current = self.shared.cats.load(&turn.thread().id);
                // A cat is named once: a later pick (from another picker, or a second click
                // before the first was drawn) shows the name it already has.
                let selection = if current.is_named() { current.name.as_str() } else { name };
                let picker = self
                    .shared
                    .templates
                    .name_suggestions(&options, Some(selection))
                    .map_err(|e| HandlerError::custom(e.to_string()))?;
                turn.replace_widget(&sender, picker).await?;
                if current.is_named() {
                    return turn.say(format!("{} already has a name, so we can't rename them.", current.name)).await;
                }
                let cat = self.shared.name_cat(turn, name).await?;
                turn.say(format!("Love that choice. {}’s profile card is now ready. Would you like to check it out?", cat.name))
                    .await
            }
            "cats.more_names" => Err(HandlerError::custom("`cats.more_names` is handled by the page, not the server.")),
            other => Err(HandlerError::custom(format!("Unknown action `{other}`."))),
        }
    }

    /// Answers are not cancellable: most of them change the cat.
    fn stream_options(&self, _thread: &ThreadMetadata, _context: &RequestContext) -> StreamOptions {
        StreamOptions { allow_cancel: false }
    }
}
