//! `chatkit serve`: the demo app with the web client.

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
}

/// Attachment uploads never completed are removed after this long.
const STALE_UPLOADS: Duration = Duration::from_secs(24 * 3600);

pub(crate) fn run(args: Args) -> anyhow::Result<()> {
    super::init_logging();
    super::runtime()?.block_on(async {
        let url = args.store.unwrap_or_else(|| StoreUrl::Sqlite(args.data_dir.join("chatkit.db")));
        let store = super::open_store(&url).await?;
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
        let chatkit = ChatKit::with_store(chatkit_conformance::ConformanceApp::new(), store).attachment_store(files.clone());
        let app = chatkit_conformance::router(chatkit.clone())
            .nest("/attachments", attachments::router(files))
            .merge(crate::assets::router());
        let drain = Duration::from_secs(args.drain_timeout);
        super::serve_until_signal(listener, app, &chatkit, drain).await
    })
}
