//! The ceiling: a bare axum server that answers with recorded bytes and does nothing else.
//!
//! `ceiling --sse FILE --json FILE [--port 0]`: `POST /sse` streams the SSE frames of FILE
//! (split after each blank line, one body chunk per frame), `POST /json` answers the JSON of
//! FILE. Connections get `TCP_NODELAY`, as any streaming server needs.

use std::net::SocketAddr;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::post;
use axum::serve::ListenerExt;
use chatkit_bench::Flags;

fn frames(sse: &[u8]) -> Vec<Bytes> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..sse.len() {
        if sse[i] == b'\n' && sse[i - 1] == b'\n' {
            out.push(Bytes::copy_from_slice(&sse[start..=i]));
            start = i + 1;
        }
    }
    if start < sse.len() {
        out.push(Bytes::copy_from_slice(&sse[start..]));
    }
    out
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let flags = Flags::from_env(1);
    let sse = frames(&std::fs::read(flags.required("sse")?)?);
    let json = Bytes::from(std::fs::read(flags.required("json")?)?);
    let port: u16 = flags.get("port", 0)?;
    let app = Router::new()
        .route(
            "/sse",
            post(move |_body: Bytes| {
                let sse = sse.clone();
                async move {
                    let stream = futures_util::stream::iter(sse.into_iter().map(Ok::<_, std::convert::Infallible>));
                    let mut response = Response::new(Body::from_stream(stream));
                    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream; charset=utf-8"));
                    response
                }
            }),
        )
        .route(
            "/json",
            post(move |_body: Bytes| {
                let json = json.clone();
                async move {
                    let mut response = Response::new(Body::from(json));
                    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    response
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await?;
    Ok(())
}
