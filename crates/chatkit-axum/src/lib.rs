//! # chatkit-axum
//!
//! Serves a [`chatkit::ChatKit`] engine over HTTP: one `POST` endpoint that answers JSON or
//! streams server-sent events, exactly as ChatKit clients expect.
//!
//! The request context is whatever the app extracts from the request: any type implementing
//! axum's [`FromRequestParts`](axum::extract::FromRequestParts). Authentication is a tower
//! layer (or an extractor that rejects).
//!
//! ```no_run
//! use axum::extract::FromRequestParts;
//! use axum::http::{StatusCode, request::Parts};
//! use chatkit::{ChatKit, ChatKitServer, HandlerResult, MemoryStore, RequestContext, Turn, UserMessageItem};
//!
//! /// The caller, from a header set by the auth proxy.
//! #[derive(Clone)]
//! struct User(RequestContext);
//!
//! impl<S: Send + Sync> FromRequestParts<S> for User {
//!     type Rejection = (StatusCode, &'static str);
//!     async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
//!         let id = parts.headers.get("x-user-id").and_then(|v| v.to_str().ok())
//!             .ok_or((StatusCode::UNAUTHORIZED, "missing x-user-id"))?;
//!         Ok(User(RequestContext::new(id)))
//!     }
//! }
//! impl chatkit::store::StoreContext for User {
//!     fn owner(&self) -> std::borrow::Cow<'_, str> { self.0.owner() }
//! }
//!
//! struct Echo;
//! impl ChatKitServer for Echo {
//!     type Context = User;
//!     async fn respond(&self, turn: &mut Turn<User>, input: Option<UserMessageItem>) -> HandlerResult {
//!         turn.say(input.map(|m| m.text()).unwrap_or_default()).await
//!     }
//! }
//!
//! # async fn run() -> std::io::Result<()> {
//! let app = chatkit_axum::router(ChatKit::new(Echo, MemoryStore::new()));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
//! chatkit_axum::serve(listener, app).await
//! # }
//! ```
//!
//! ## Authentication: a bearer-token layer
//!
//! A tower layer resolves the caller once and puts it into the request's extensions; the
//! context function only reads it. Requests without a valid token never reach the engine.
//! The token itself is never logged: log the user it resolved to.
//!
//! ```
//! use axum::extract::Request;
//! use axum::http::{StatusCode, header, request::Parts};
//! use axum::middleware::{self, Next};
//! use axum::response::{IntoResponse, Response};
//! use chatkit::{ChatKit, MemoryStore, RequestContext};
//! # struct App;
//! # impl chatkit::ChatKitServer for App {
//! #     type Context = RequestContext;
//! #     async fn respond(&self, _: &mut chatkit::Turn<RequestContext>, _: Option<chatkit::UserMessageItem>) -> chatkit::HandlerResult { Ok(()) }
//! # }
//!
//! /// `Authorization: Bearer <token>` → the user, or 401.
//! async fn bearer_auth(mut request: Request, next: Next) -> Response {
//!     let token = request.headers().get(header::AUTHORIZATION)
//!         .and_then(|value| value.to_str().ok())
//!         .and_then(|value| value.strip_prefix("Bearer "));
//!     // Look the token up in a session store, or verify a JWT, here.
//!     let user = match token {
//!         Some("token-of-alice") => "alice",
//!         _ => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
//!     };
//!     request.extensions_mut().insert(RequestContext::new(user));
//!     next.run(request).await
//! }
//!
//! let chatkit = ChatKit::new(App, MemoryStore::new());
//! let app = chatkit_axum::router_with(chatkit, |parts: &Parts| {
//!     parts.extensions.get::<RequestContext>().cloned().ok_or_else(|| StatusCode::UNAUTHORIZED.into_response())
//! })
//! .layer(middleware::from_fn(bearer_auth));
//!
//! # tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(async {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//! let url = format!("http://{}/chatkit", listener.local_addr().unwrap());
//! tokio::spawn(chatkit_axum::serve(listener, app));
//! let list = r#"{"type":"threads.list","params":{}}"#;
//! let client = reqwest::Client::new();
//! let anonymous = client.post(&url).body(list).send().await.unwrap();
//! assert_eq!(anonymous.status(), 401);
//! let forged = client.post(&url).bearer_auth("guess").body(list).send().await.unwrap();
//! assert_eq!(forged.status(), 401);
//! let alice = client.post(&url).bearer_auth("token-of-alice").body(list).send().await.unwrap();
//! assert_eq!(alice.status(), 200);
//! # });
//! ```
//!
//! ## Authentication: a bearer-token layer
//!
//! A tower layer resolves the caller once and puts it into the request's extensions; the
//! context function only reads it. Requests without a valid token never reach the engine.
//! Never log the token itself; log the user it resolved to.
//!
//! ```
//! use axum::extract::Request;
//! use axum::http::{StatusCode, header, request::Parts};
//! use axum::middleware::{self, Next};
//! use axum::response::{IntoResponse, Response};
//! use chatkit::{ChatKit, MemoryStore, RequestContext};
//! # struct App;
//! # impl chatkit::ChatKitServer for App {
//! #     type Context = RequestContext;
//! #     async fn respond(&self, _: &mut chatkit::Turn<RequestContext>, _: Option<chatkit::UserMessageItem>) -> chatkit::HandlerResult { Ok(()) }
//! # }
//!
//! /// `Authorization: Bearer <token>` → the user, or 401.
//! async fn bearer_auth(mut request: Request, next: Next) -> Response {
//!     let token = request.headers().get(header::AUTHORIZATION)
//!         .and_then(|value| value.to_str().ok())
//!         .and_then(|value| value.strip_prefix("Bearer "));
//!     // Look the token up in a session store, or verify a JWT, here.
//!     let user = match token {
//!         Some("token-of-alice") => "alice",
//!         _ => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
//!     };
//!     request.extensions_mut().insert(RequestContext::new(user));
//!     next.run(request).await
//! }
//!
//! let chatkit = ChatKit::new(App, MemoryStore::new());
//! let app = chatkit_axum::router_with(chatkit, |parts: &Parts| {
//!     parts.extensions.get::<RequestContext>().cloned().ok_or_else(|| StatusCode::UNAUTHORIZED.into_response())
//! })
//! .layer(middleware::from_fn(bearer_auth));
//!
//! # tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(async {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//! let url = format!("http://{}/chatkit", listener.local_addr().unwrap());
//! tokio::spawn(chatkit_axum::serve(listener, app));
//! let list = r#"{"type":"threads.list","params":{}}"#;
//! let client = reqwest::Client::new();
//! assert_eq!(client.post(&url).body(list).send().await.unwrap().status(), 401);
//! assert_eq!(client.post(&url).bearer_auth("guess").body(list).send().await.unwrap().status(), 401);
//! assert_eq!(client.post(&url).bearer_auth("token-of-alice").body(list).send().await.unwrap().status(), 200);
//! # });
//! ```

use std::convert::Infallible;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use chatkit::{ChatKit, ChatKitServer, Processed, RequestError};
use futures_util::StreamExt;
use http_body_util::BodyExt;

/// Default largest request body: 10 MiB (audio for dictation is the largest common body).
pub const DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024;

/// A router with `POST /chatkit` answering ChatKit requests.
///
/// The context type of the app (`S::Context`) is extracted from each request with
/// [`FromRequestParts`]; a rejection is answered as is.
pub fn router<S>(chatkit: ChatKit<S>) -> Router
where
    S: ChatKitServer,
    S::Context: FromRequestParts<()>,
{
    Router::new().route("/chatkit", endpoint(chatkit, DEFAULT_BODY_LIMIT))
}

/// A router with `POST /chatkit` whose request context is built by `context` from the
/// request's head (headers, extensions set by an auth layer, …). Returning `Err` answers the
/// request with that response.
///
/// ```
/// use axum::http::{StatusCode, request::Parts};
/// use axum::response::IntoResponse;
/// use chatkit::{ChatKit, MemoryStore, RequestContext};
/// # struct App;
/// # impl chatkit::ChatKitServer for App {
/// #     type Context = RequestContext;
/// #     async fn respond(&self, _: &mut chatkit::Turn<RequestContext>, _: Option<chatkit::UserMessageItem>) -> chatkit::HandlerResult { Ok(()) }
/// # }
/// let app = chatkit_axum::router_with(ChatKit::new(App, MemoryStore::new()), |parts: &Parts| {
///     let user = parts.headers.get("x-user-id").and_then(|v| v.to_str().ok());
///     user.map(RequestContext::new).ok_or_else(|| (StatusCode::UNAUTHORIZED, "who are you?").into_response())
/// });
/// # let _: axum::Router = app;
/// ```
pub fn router_with<S, F>(chatkit: ChatKit<S>, context: F) -> Router
where
    S: ChatKitServer,
    F: Fn(&Parts) -> Result<S::Context, Response> + Clone + Send + Sync + 'static,
{
    Router::new().route("/chatkit", endpoint_with(chatkit, DEFAULT_BODY_LIMIT, context))
}

/// The endpoint as a method router, to mount at any path, with a body size limit; the context
/// comes from [`FromRequestParts`].
pub fn endpoint<S>(chatkit: ChatKit<S>, body_limit: usize) -> MethodRouter
where
    S: ChatKitServer,
    S::Context: FromRequestParts<()>,
{
    post(handle::<S, Extract>).fallback(method_not_allowed).with_state(Endpoint { chatkit, body_limit, context: Extract })
}

/// The endpoint as a method router, with a body size limit and a context function.
pub fn endpoint_with<S, F>(chatkit: ChatKit<S>, body_limit: usize, context: F) -> MethodRouter
where
    S: ChatKitServer,
    F: Fn(&Parts) -> Result<S::Context, Response> + Clone + Send + Sync + 'static,
{
    post(handle::<S, ByFn<F>>).fallback(method_not_allowed).with_state(Endpoint { chatkit, body_limit, context: ByFn(context) })
}

/// How an endpoint gets the request context.
trait ContextSource<C>: Clone + Send + Sync + 'static {
    fn context(&self, parts: &mut Parts) -> impl std::future::Future<Output = Result<C, Response>> + Send;
}

/// Through the context type's own `FromRequestParts`.
#[derive(Clone, Copy)]
struct Extract;

impl<C: FromRequestParts<()>> ContextSource<C> for Extract {
    async fn context(&self, parts: &mut Parts) -> Result<C, Response> {
        C::from_request_parts(parts, &()).await.map_err(IntoResponse::into_response)
    }
}

/// Through a function of the request head.
#[derive(Clone)]
struct ByFn<F>(F);

impl<C, F> ContextSource<C> for ByFn<F>
where
    C: Send,
    F: Fn(&Parts) -> Result<C, Response> + Clone + Send + Sync + 'static,
{
    async fn context(&self, parts: &mut Parts) -> Result<C, Response> {
        (self.0)(parts)
    }
}

struct Endpoint<S: ChatKitServer, X> {
    chatkit: ChatKit<S>,
    body_limit: usize,
    context: X,
}

impl<S: ChatKitServer, X: Clone> Clone for Endpoint<S, X> {
    fn clone(&self) -> Self {
        Self { chatkit: self.chatkit.clone(), body_limit: self.body_limit, context: self.context.clone() }
    }
}

async fn handle<S, X>(State(endpoint): State<Endpoint<S, X>>, request: Request) -> Response
where
    S: ChatKitServer,
    X: ContextSource<S::Context>,
{
    let (mut parts, body) = request.into_parts();
    let context = match endpoint.context.context(&mut parts).await {
        Ok(context) => context,
        Err(rejection) => return rejection,
    };
    if let Some(problem) = content_type_problem(&parts.headers) {
        return http_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", &problem);
    }
    let body = match read_body(body, endpoint.body_limit).await {
        Ok(body) => body,
        Err(err) => return error_response(&err),
    };
    match endpoint.chatkit.process(&body, context).await {
        Ok(Processed::Json(json)) => json_response(StatusCode::OK, json),
        Ok(Processed::Stream(stream)) => {
            let body = Body::from_stream(stream.map(Ok::<_, Infallible>));
            let mut response = Response::new(body);
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream; charset=utf-8"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            // Proxies such as nginx buffer responses unless told not to.
            headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
            response
        }
        Err(err) => error_response(&err),
    }
}

/// Refuses bodies declared as something other than JSON; a missing type is accepted, as
/// clients and tools often omit it.
fn content_type_problem(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?;
    let text = String::from_utf8_lossy(value.as_bytes());
    let media = text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if media == "application/json" || media.ends_with("+json") || media == "text/plain" || media.is_empty() {
        None
    } else {
        let shown: String = text.chars().take(64).collect();
        let cut = if shown.len() < text.len() { "…" } else { "" };
        Some(format!("content type `{shown}{cut}` is not supported; send the request as application/json"))
    }
}

/// Any method but `POST`: 405 with `Allow: POST` and a JSON error like every other refusal.
async fn method_not_allowed(method: axum::http::Method) -> Response {
    let message = format!("ChatKit requests are sent with POST, not {method}");
    let mut response = http_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", &message);
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

/// A JSON error, `{"error": {"code", "message"}}`, for refusals the HTTP layer decides.
fn http_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({"error": {"code": code, "message": message}});
    json_response(status, Bytes::from(body.to_string()))
}

async fn read_body(body: Body, limit: usize) -> Result<Bytes, RequestError> {
    let limited = http_body_util::Limited::new(body, limit);
    match limited.collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => Err(RequestError::TooLarge { limit }),
        Err(err) => Err(RequestError::BadParam(format!("could not read the request body: {err}"))),
    }
}

/// The JSON error response for a refused request.
pub fn error_response(err: &RequestError) -> Response {
    if err.status() >= 500 {
        tracing::error!(error = ?err, "request failed");
    } else {
        tracing::debug!(error = %err, "request refused");
    }
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
    json_response(status, Bytes::from(err.to_json()))
}

fn json_response(status: StatusCode, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Serves `app` on `listener` until the process ends: HTTP/1.1 with keep-alive, and
/// `TCP_NODELAY` on every connection (without it each multi-frame stream waits on Nagle's
/// algorithm and delayed ACKs).
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    serve_with_shutdown(listener, app, std::future::pending()).await
}

/// Like [`serve`], but stops accepting connections once `signal` completes and then waits for
/// open connections (and their streams) to finish. Bound the wait with a timeout; dropping
/// the future closes what is left, which stops those streams and stores their partial output
/// (await [`ChatKit::drain`](chatkit::ChatKit::drain) afterwards).
pub fn serve_with_shutdown<F>(
    listener: tokio::net::TcpListener,
    app: Router,
    signal: F,
) -> impl std::future::Future<Output = std::io::Result<()>> + Send
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    run(listener, app, signal)
}

/// The accept loop of [`serve_with_shutdown`]: one task per connection, tracked so that
/// shutdown can wait for them.
///
/// HTTP/1 only, on hyper's HTTP/1 connection rather than `axum::serve`'s, which first reads
/// the start of each connection to tell HTTP/1 from HTTP/2: hyper then gets those bytes on
/// their own, its read buffer doubles to 16 KiB, and every open stream keeps that buffer.
async fn run<F>(listener: tokio::net::TcpListener, app: Router, signal: F) -> std::io::Result<()>
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    // hyper's defaults, which are already the smallest: keep-alive on; an 8 KiB read buffer
    // and an 8 KiB head buffer (`max_buf_size` only bounds their growth and cannot go below
    // 8 KiB); half-close off, so a client that hangs up mid-stream is noticed at once and its
    // stream stops with exactly what the client received.
    let http = hyper::server::conn::http1::Builder::new();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let connections = tokio_util::task::TaskTracker::new();
    let mut signal = std::pin::pin!(signal);
    loop {
        let tcp = tokio::select! {
            tcp = accept(&listener) => tcp,
            () = &mut signal => break,
        };
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::warn!(error = %err, "could not set TCP_NODELAY");
        }
        // The router is shared (an `Arc`), not rebuilt per connection.
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = http.serve_connection(hyper_util::rt::TokioIo::new(tcp), service).with_upgrades();
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            let mut conn = std::pin::pin!(conn);
            let result = tokio::select! {
                result = conn.as_mut() => result,
                () = shutdown.cancelled() => {
                    // Finish the request in flight (and its stream), then close.
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(err) = result {
                tracing::trace!(error = %err, "connection ended with an error");
            }
        });
    }
    drop(listener);
    shutdown.cancel();
    connections.close();
    connections.wait().await;
    Ok(())
}

/// The next connection. Errors of one connection (reset before it was accepted) are skipped;
/// others, such as running out of file descriptors, are logged and retried after a second.
async fn accept(listener: &tokio::net::TcpListener) -> tokio::net::TcpStream {
    use std::io::ErrorKind;
    loop {
        match listener.accept().await {
            Ok((tcp, _)) => return tcp,
            Err(err) if matches!(err.kind(), ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset) => {}
            Err(err) => {
                tracing::error!(error = %err, "accept failed");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}

/// The README's examples compile.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
