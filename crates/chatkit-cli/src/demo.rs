//! The demo app of `chatkit serve` when a model is configured: an agent with tools that show
//! widgets, on a real model or the offline scripted one.

use std::sync::Arc;

use chatkit::{Action, ChatKitServer, HandlerError, HandlerResult, Turn, UserMessageItem, WidgetItem, WidgetRoot};
use chatkit_agents::model::{Model, ScriptedModel};
use chatkit_agents::tools::Tool;
use chatkit_agents::{Agent, Agents, FunctionTool, ToolContext, ToolError};
use chatkit_conformance::Caller;
use serde_json::json;

const INSTRUCTIONS: &str = "You are the chatkit-rs demo assistant. Answer briefly. \
    When the user wants a counter, call show_counter; when they want to roll dice, call roll_dice. \
    Widgets you show are visible to the user: do not repeat their content.";

/// The agent app.
pub(crate) struct DemoApp {
    agents: Agents<Caller>,
    model: Arc<dyn Model>,
    scripted: bool,
}

impl DemoApp {
    /// An app on this model, with extra tools (e.g. from MCP servers).
    pub(crate) fn new(model: Arc<dyn Model>, scripted: bool, extra_tools: Vec<Arc<dyn Tool<Caller>>>) -> Self {
        let agent = Agent::with_model("demo", model.clone())
            .instructions(INSTRUCTIONS)
            .tool(ShowCounter)
            .tool(RollDice)
            .tools(extra_tools);
        Self { agents: Agents::new(agent), model, scripted }
    }

    /// The offline model: deterministic, calls the demo tools when asked.
    pub(crate) fn scripted_model() -> ScriptedModel {
        ScriptedModel::new()
            .rule("counter", "show_counter", json!({"start": 0}))
            .rule("dice", "roll_dice", json!({"sides": 6}))
            .rule("roll", "roll_dice", json!({"sides": 6}))
            .delay(std::time::Duration::from_millis(15))
    }
}

impl ChatKitServer for DemoApp {
    type Context = Caller;

    async fn respond(&self, turn: &mut Turn<Caller>, input: Option<UserMessageItem>) -> HandlerResult {
        if let Some(message) = input.as_ref().filter(|_| turn.thread().title.is_none()) {
            let text = message.text();
            let title = if self.scripted {
                text.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
            } else {
                chatkit_agents::generate_title(self.model.as_ref(), &text).await
            };
            if !title.is_empty() {
                turn.thread_mut().title = Some(title);
            }
        }
        self.agents.respond(turn).await.map(|_| ())
    }

    async fn action(&self, turn: &mut Turn<Caller>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        #[derive(serde::Deserialize)]
        struct Add {
            count: i64,
        }
        match (action.kind(), sender) {
            ("counter.add", Some(sender)) => {
                let Add { count } = action.payload().map_err(|e| HandlerError::custom(e.to_string()))?;
                turn.replace_widget(&sender, counter(count + 1)).await?;
                turn.add_hidden_context(format!("The user clicked the counter; it now shows {}.", count + 1)).await
            }
            (kind, _) => Err(HandlerError::unsupported(format!("the action `{kind}`"))),
        }
    }
}

fn counter(count: i64) -> WidgetRoot {
    let widget = json!({
        "type": "Card",
        "children": [
            {"type": "Title", "value": "Counter"},
            {"type": "Text", "id": "count", "value": format!("Count: {count}")},
            {"type": "Button", "label": "Add one", "onClickAction": {"type": "counter.add", "payload": {"count": count}, "handler": "server"}}
        ]
    });
    WidgetRoot::from_value(widget).expect("the counter widget is a valid widget root")
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct CounterArgs {
    /// The value the counter starts at.
    start: i64,
}

/// Shows a counter widget whose button the server handles.
struct ShowCounter;

impl FunctionTool<Caller> for ShowCounter {
    type Args = CounterArgs;

    fn name(&self) -> &str {
        "show_counter"
    }

    fn description(&self) -> &str {
        "Shows a counter widget with a button that adds one"
    }

    async fn run(&self, ctx: &mut ToolContext<'_, Caller>, args: CounterArgs) -> Result<String, ToolError> {
        ctx.show_widget(counter(args.start), Some(format!("Count: {}", args.start))).await?;
        Ok(format!("A counter showing {} is displayed.", args.start))
    }
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct DiceArgs {
    /// Number of sides (2 to 100).
    sides: u32,
}

/// Rolls dice, streaming the widget as the roll settles.
struct RollDice;

impl FunctionTool<Caller> for RollDice {
    type Args = DiceArgs;

    fn name(&self) -> &str {
        "roll_dice"
    }

    fn description(&self) -> &str {
        "Rolls a die with the given number of sides and shows the result"
    }

    async fn run(&self, ctx: &mut ToolContext<'_, Caller>, args: DiceArgs) -> Result<String, ToolError> {
        if !(2..=100).contains(&args.sides) {
            return Err(ToolError::failed("sides must be between 2 and 100"));
        }
        // Deterministic per call, so that replays and tests see the same roll.
        let seed = ctx.call_id().bytes().fold(17u32, |acc, b| acc.wrapping_mul(31).wrapping_add(u32::from(b)));
        let roll = seed % args.sides + 1;
        let state = |text: String, streaming: bool| {
            WidgetRoot::from_value(json!({"type": "Card", "children": [
                {"type": "Title", "value": format!("d{}", args.sides)},
                {"type": "Text", "id": "roll", "value": text, "streaming": streaming}
            ]}))
            .expect("the dice widget is a valid widget root")
        };
        let states = vec![
            state("Rolling".to_owned(), true),
            state("Rolling…".to_owned(), true),
            state(format!("Rolling… {roll}"), false),
        ];
        ctx.stream_widget(futures_util::stream::iter(states), Some(roll.to_string())).await?;
        Ok(format!("The die shows {roll}."))
    }
}
