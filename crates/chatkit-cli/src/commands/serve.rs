//! `chatkit serve`: the demo app (the task board of `examples/task-board`) with the web client.

use std::path::PathBuf;
use std::time::Duration;

use chatkit::ChatKit;
use chatkit_store::StoreUrl;
use chatkit_store::attachments::{self, LocalFileAttachments};

/// Arguments of `chatkit serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on.
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// On shutdown, how long open streams may take to finish (seconds).
    #[arg(long, default_value_t = 30)]
    drain_timeout: u64,
    /// Browser origins allowed to call the server from other sites (CORS), e.g.
    /// `https://app.example.com`; repeat the flag or separate with commas; `*` allows any.
    /// Without it, only same-origin pages can call the server.
    #[arg(long, env = "CHATKIT_CORS_ORIGIN", value_name = "ORIGIN", value_delimiter = ',')]
    cors_origin: Vec<String>,
    /// Where threads live: `sqlite:PATH`, `postgres://USER@HOST/DATABASE` or `memory`
    /// [default: sqlite:DATA_DIR/chatkit.db].
    #[arg(long, env = "CHATKIT_STORE", value_name = "URL")]
    store: Option<StoreUrl>,
    /// Directory of the default database and of uploaded attachments.
    #[arg(long, env = "CHATKIT_DATA_DIR", value_name = "DIR", default_value = ".chatkit")]
    data_dir: PathBuf,
    /// The server's address as browsers reach it, for attachment URLs
    /// [default: http://HOST:PORT].
    #[arg(long, env = "CHATKIT_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// The model of the task board's assistant. With OPENAI_API_KEY and/or OPENAI_BASE_URL
    /// set, it is that OpenAI-compatible server's model (protocol from CHATKIT_MODEL_API:
    /// `chat` or `responses`); otherwise, or with `scripted`, the board's offline model
    /// (deterministic answers that call the same tools).
    #[arg(long, env = "CHATKIT_MODEL", value_name = "NAME")]
    model: Option<String>,
    /// An MCP server whose tools the task board's assistant may call: a command line (stdio)
    /// or an `http(s)://` URL (streamable HTTP). Repeatable; CHATKIT_MCP holds one per line. A
    /// tool result whose `structuredContent.chatkit_widget` holds a widget shows it in the
    /// thread; its text goes back to the model.
    #[arg(long, env = "CHATKIT_MCP", value_name = "SERVER", value_delimiter = '\n')]
    mcp: Vec<String>,
    /// The app to serve.
    #[arg(long, env = "CHATKIT_APP", value_enum, default_value_t = AppName::TaskBoard)]
    app: AppName,
}

/// The apps `serve` runs.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum AppName {
    /// The task board demo (`examples/task-board`), on the configured model or offline.
    TaskBoard,
    /// The scripted conformance app: every item type, for process and browser tests.
    Conformance,
    /// The customer-support sample (`examples/customer-support`), on the configured model or
    /// offline.
    CustomerSupport,
    /// The news-guide sample (`examples/news-guide`), on the configured model or offline.
    NewsGuide,
    /// The Cat Lounge sample (`examples/cat-lounge`), on the configured model or offline.
    CatLounge,
    /// The Metro Map sample (`examples/metro-map`), on the configured model or offline.
    MetroMap,
}

/// Which app `serve` runs.
enum App {
    /// The task board demo (`examples/task-board`).
    TaskBoard(Box<task_board::TaskBoard>),
    /// The scripted conformance app.
    Conformance,
    /// The customer-support sample on its model.
    CustomerSupport(std::sync::Arc<dyn chatkit_agents::model::Model>),
    /// The news-guide sample on its model.
    NewsGuide(std::sync::Arc<dyn chatkit_agents::model::Model>),
    /// The Cat Lounge sample on its model.
    CatLounge(std::sync::Arc<dyn chatkit_agents::model::Model>),
    /// The Metro Map sample on its model.
    MetroMap(std::sync::Arc<dyn chatkit_agents::model::Model>),
}

/// The pace of the offline model's words, so that answers visibly stream.
const OFFLINE_WORD_DELAY: Duration = Duration::from_millis(15);

impl App {
    async fn choose(model: Option<String>, app: AppName, mcp: &[String]) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        use chatkit_agents::model::{OpenAiConfig, OpenAiModel};
        use std::sync::Arc;
        let mcp: Vec<&str> = mcp.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        anyhow::ensure!(
            mcp.is_empty() || matches!(app, AppName::TaskBoard),
            "--mcp connects MCP servers to the task board app only (--app task-board)"
        );
        if let AppName::Conformance = app {
            return Ok(App::Conformance);
        }
        // The configured model; `None` runs the app on its own offline model.
        let configured: Option<Arc<dyn chatkit_agents::model::Model>> = if model.as_deref() == Some("scripted") {
            tracing::info!(?app, "offline model");
            None
        } else if let Some(config) = OpenAiConfig::from_env(model).context("reading OPENAI_* and CHATKIT_MODEL_API")? {
            tracing::info!(?app, base_url = %config.base_url, model = %config.model, api = ?config.api, "model server");
            Some(Arc::new(OpenAiModel::new(config).context("configuring the model client")?))
        } else {
            tracing::info!(?app, "offline model (set OPENAI_API_KEY or OPENAI_BASE_URL for a real one)");
            None
        };
        Ok(match app {
            AppName::TaskBoard => {
                let board = match configured {
                    Some(model) => task_board::TaskBoard::new(model),
                    None => task_board::TaskBoard::offline().word_delay(OFFLINE_WORD_DELAY),
                };
                App::TaskBoard(Box::new(board.with_tools(mcp_tools(&mcp).await?)))
            }
            AppName::Conformance => App::Conformance,
            AppName::CustomerSupport => {
                App::CustomerSupport(configured.unwrap_or_else(|| Arc::new(customer_support::App::scripted_model())))
            }
            AppName::NewsGuide => App::NewsGuide(configured.unwrap_or_else(|| Arc::new(news_guide::App::scripted_model()))),
            AppName::CatLounge => App::CatLounge(configured.unwrap_or_else(|| Arc::new(cat_lounge::App::scripted_model()))),
            AppName::MetroMap => App::MetroMap(configured.unwrap_or_else(|| Arc::new(metro_map::App::scripted_model()))),
        })
    }
}

/// Connects to the MCP servers of `--mcp` (command lines or URLs) and returns their tools.
async fn mcp_tools(servers: &[&str]) -> anyhow::Result<Vec<std::sync::Arc<dyn chatkit_agents::Tool<chatkit::RequestContext>>>> {
    use anyhow::Context as _;
    let mut tools = Vec::new();
    for spec in servers {
        let server = chatkit_agents::mcp::McpServer::connect(spec)
            .await
            .with_context(|| format!("cannot connect to the MCP server --mcp {spec:?}"))?;
        tracing::info!(server = %spec, tools = server.tools::<chatkit::RequestContext>().len(), "MCP server connected");
        tools.extend(server.tools());
    }
    Ok(tools)
}

/// Attachment uploads never completed are removed after this long.
const STALE_UPLOADS: Duration = Duration::from_secs(24 * 3600);

pub(crate) fn run(args: Args) -> anyhow::Result<()> {
    super::init_logging();
    super::runtime()?.block_on(async {
        let app = App::choose(args.model.clone(), args.app, &args.mcp).await?;
        let launch = Launch::new(args).await?;
        match app {
            App::TaskBoard(board) => launch.run(*board, task_board::router, task_board::page().router()).await,
            App::Conformance => {
                launch.run(chatkit_conformance::ConformanceApp::new(), chatkit_conformance::router, chatkit_web::router()).await
            }
            App::CustomerSupport(model) => {
                launch.run(customer_support::App::new(model), customer_support::router, customer_support::page().router()).await
            }
            App::NewsGuide(model) => launch.run(news_guide::App::new(model), news_guide::router, news_guide::page().router()).await,
            App::CatLounge(model) => launch.run(cat_lounge::App::new(model), cat_lounge::router, cat_lounge::page().router()).await,
            App::MetroMap(model) => launch.run(metro_map::App::new(model), metro_map::router, metro_map::page().router()).await,
        }
    })
}

/// What every app of `serve` shares: the listener, the store, uploads, CORS and draining.
struct Launch {
    listener: tokio::net::TcpListener,
    store: StoreUrl,
    files: LocalFileAttachments,
    cors_origin: Vec<String>,
    drain: Duration,
}

impl Launch {
    async fn new(args: Args) -> anyhow::Result<Self> {
        let store = args.store.unwrap_or_else(|| StoreUrl::Sqlite(args.data_dir.join("chatkit.db")));
        let listener = super::bind(&args.host, args.port).await?;
        let public_url = match args.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", listener.local_addr()?),
        };
        let files = LocalFileAttachments::new(args.data_dir.join("attachments"), format!("{public_url}/attachments"));
        let sweeper = files.clone();
        tokio::spawn(async move {
            if let Err(err) = sweeper.remove_stale(STALE_UPLOADS).await {
                tracing::warn!(error = %err, "could not remove stale uploads");
            }
        });
        let drain = Duration::from_secs(args.drain_timeout);
        Ok(Self { listener, store, files, cors_origin: args.cors_origin, drain })
    }

    /// Serves `server` with its HTTP routes (`api`: at least `POST /chatkit`) and its web page
    /// (`page`: the client's files and `/`) until a shutdown signal.
    async fn run<S>(self, server: S, api: impl FnOnce(ChatKit<S>) -> axum::Router, page: axum::Router) -> anyhow::Result<()>
    where
        S: chatkit::ChatKitServer,
        S::Context: chatkit::store::StoreContext,
        LocalFileAttachments: chatkit::AttachmentStore<S::Context>,
    {
        let store = super::open_store(&self.store).await?;
        let chatkit = ChatKit::with_store(server, store).attachment_store(self.files.clone());
        let app = api(chatkit.clone()).nest("/attachments", attachments::router(self.files)).merge(page);
        super::serve_until_signal(self.listener, super::cors(app, &self.cors_origin)?, &chatkit, self.drain).await
    }
}
