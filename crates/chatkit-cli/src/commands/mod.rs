//! One module per subcommand.

pub(crate) mod conformance;
pub(crate) mod serve;
pub(crate) mod widget;

/// Installs the log subscriber: `RUST_LOG` filters (default `info`), logs go to stderr.
pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi).try_init();
}

/// Builds the multi-threaded runtime the servers run on.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Opens the store named by `--store` (connecting and migrating as needed).
pub(crate) async fn open_store<C: chatkit::store::StoreContext>(
    url: &chatkit_store::StoreUrl,
) -> anyhow::Result<std::sync::Arc<dyn chatkit::Store<C>>> {
    use anyhow::Context as _;
    let store = url
        .open()
        .await
        .with_context(|| format!("cannot open the store {url}; pass --store sqlite:PATH, postgres://USER@HOST/DATABASE or memory"))?;
    tracing::info!(store = %url, "store ready");
    Ok(store)
}

/// Adds CORS to `app` for these origins (`*`: any); none leaves the app same-origin only.
/// Preflights are answered for `POST` with `Content-Type`, `Authorization` and `X-User-Id`.
pub(crate) fn cors(app: axum::Router, origins: &[String]) -> anyhow::Result<axum::Router> {
    use anyhow::Context as _;
    use axum::http::{HeaderName, HeaderValue, Method, header};
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins: Vec<&str> = origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()).collect();
    if origins.is_empty() {
        return Ok(app);
    }
    let allow = if origins.contains(&"*") {
        AllowOrigin::any()
    } else {
        let values = origins
            .iter()
            .map(|o| HeaderValue::from_str(o.trim_end_matches('/')).with_context(|| format!("--cors-origin {o:?} is not a valid origin")))
            .collect::<anyhow::Result<Vec<_>>>()?;
        AllowOrigin::list(values)
    };
    let layer = CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::POST, Method::GET, Method::PUT])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static("x-user-id")])
        .max_age(std::time::Duration::from_secs(600));
    tracing::info!(origins = ?origins, "CORS enabled");
    Ok(app.layer(layer))
}

/// Binds `host:port`.
pub(crate) async fn bind(host: &str, port: u16) -> anyhow::Result<tokio::net::TcpListener> {
    use anyhow::Context as _;
    tokio::net::TcpListener::bind((host, port))
        .await
        .with_context(|| format!("cannot listen on {host}:{port}; pass another --port or stop what uses it"))
}

/// Serves `app` on `listener` until Ctrl-C or SIGTERM, then drains: no new connections, open
/// streams get `drain_timeout` to finish, and streams still running after that are stopped
/// with their partial output stored.
pub(crate) async fn serve_until_signal<S: chatkit::ChatKitServer>(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    chatkit: &chatkit::ChatKit<S>,
    drain_timeout: std::time::Duration,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let local = listener.local_addr()?;
    // Printed on stdout as well, so scripts that pass `--port 0` learn the port.
    println!("listening on http://{local}");
    tracing::info!("listening on http://{local}");

    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    // Boxed so that it can be dropped (closing the remaining connections) before draining.
    let mut server = Box::pin(chatkit_axum::serve_with_shutdown(listener, app, async move {
        shutdown_signal().await;
        let _ = signalled.send(());
    }));
    tokio::select! {
        result = &mut server => return result.context("server failed"),
        _ = on_signal => {}
    }
    tracing::info!(open_streams = chatkit.open_streams(), "shutting down: waiting for open streams to finish");
    if tokio::time::timeout(drain_timeout, &mut server).await.is_err() {
        tracing::warn!(open_streams = chatkit.open_streams(), "drain timeout: stopping the remaining streams");
    }
    drop(server);
    if tokio::time::timeout(std::time::Duration::from_secs(10), chatkit.drain()).await.is_err() {
        tracing::error!("streams still running 10 s after shutdown; exiting anyway");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
