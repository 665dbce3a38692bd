//! `chatkit conformance-app`: the scripted app of the conformance kit.

use chatkit::ChatKit;
use chatkit_store::StoreUrl;

/// Arguments of `chatkit conformance-app`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on.
    #[arg(long, default_value_t = 8765)]
    port: u16,
    /// On shutdown, how long open streams may take to finish (seconds).
    #[arg(long, default_value_t = 30)]
    drain_timeout: u64,
    /// Browser origins allowed to call the server from other sites (CORS), e.g.
    /// `https://app.example.com`; repeat the flag or separate with commas; `*` allows any.
    /// Without it, only same-origin pages can call the server.
    #[arg(long, env = "CHATKIT_CORS_ORIGIN", value_name = "ORIGIN", value_delimiter = ',')]
    cors_origin: Vec<String>,
    /// Where threads live: `memory`, `sqlite:PATH` or `postgres://USER@HOST/DATABASE`.
    #[arg(long, env = "CHATKIT_STORE", value_name = "URL", default_value = "memory")]
    store: StoreUrl,
}

pub(crate) fn run(args: Args) -> anyhow::Result<()> {
    super::init_logging();
    super::runtime()?.block_on(async {
        let store = super::open_store(&args.store).await?;
        let chatkit = ChatKit::with_store(chatkit_conformance::ConformanceApp::new(), store)
            .attachment_store(chatkit_conformance::UploadUrls);
        let app = chatkit_conformance::router(chatkit.clone()).merge(chatkit_web::router());
        let drain = std::time::Duration::from_secs(args.drain_timeout);
        let listener = super::bind(&args.host, args.port).await?;
        super::serve_until_signal(listener, super::cors(app, &args.cors_origin)?, &chatkit, drain).await
    })
}
