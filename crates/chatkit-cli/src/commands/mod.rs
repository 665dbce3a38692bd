//! One module per subcommand.

pub(crate) mod conformance;
pub(crate) mod serve;

/// Installs the log subscriber: `RUST_LOG` filters (default `info`), logs go to stderr.
pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi).try_init();
}

/// Builds the multi-threaded runtime the servers run on.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Binds `host:port` and serves `app` until Ctrl-C or SIGTERM.
pub(crate) async fn serve_until_signal(host: &str, port: u16, app: axum::Router) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let listener = tokio::net::TcpListener::bind((host, port))
        .await
        .with_context(|| format!("cannot listen on {host}:{port}; pass another --port or stop what uses it"))?;
    let local = listener.local_addr()?;
    // Printed on stdout as well, so scripts that pass `--port 0` learn the port.
    println!("listening on http://{local}");
    tracing::info!("listening on http://{local}");
    tokio::select! {
        result = chatkit_axum::serve(listener, app) => result.context("server failed"),
        () = shutdown_signal() => {
            tracing::info!("shutting down");
            Ok(())
        }
    }
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
