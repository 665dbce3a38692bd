//! The engine: parses requests and runs them against the app and the store.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use tokio_util::task::TaskTracker;

use super::limits::StreamLimit;
use super::pipe::PipeReader;
use super::locks::ThreadLocks;
use super::{ChatKitServer, RequestError, nonstreaming, streaming};
use crate::Request;
use crate::store::{AttachmentStore, Store};

/// Limits and behaviour of the engine.
///
/// ```
/// let config = chatkit::Config { max_page_size: 200, ..Default::default() };
/// assert_eq!(config.default_page_size, 20);
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// Page size when a listing names none (or `0`). The reference uses 20.
    pub default_page_size: usize,
    /// Largest page a listing may ask for; larger limits are refused with a clear error.
    pub max_page_size: usize,
    /// Frames buffered per stream before the handler waits for the client (backpressure).
    pub stream_buffer: usize,
    /// Run requests that change one thread one at a time, in arrival order, so concurrent
    /// actions on a widget never lose an update. Requests on different threads stay parallel.
    pub serialize_threads: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self { default_page_size: 20, max_page_size: 1000, stream_buffer: 64, serialize_threads: true }
    }
}

/// A ChatKit server: an app ([`ChatKitServer`]) with its store, ready to answer requests.
///
/// Cheap to clone (shared state behind an `Arc`).
///
/// ```
/// # use chatkit::{ChatKitServer, HandlerResult, RequestContext, Turn, UserMessageItem};
/// # struct Echo;
/// # impl ChatKitServer for Echo {
/// #     type Context = RequestContext;
/// #     async fn respond(&self, turn: &mut Turn<RequestContext>, _: Option<UserMessageItem>) -> HandlerResult { Ok(()) }
/// # }
/// use chatkit::{ChatKit, MemoryStore, Processed};
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let chatkit = ChatKit::new(Echo, MemoryStore::new());
/// let body = br#"{"type":"threads.list","params":{}}"#;
/// match chatkit.process(body, RequestContext::new("alice")).await.unwrap() {
///     Processed::Json(json) => assert_eq!(&json[..], br#"{"data":[],"has_more":false}"#),
///     Processed::Stream(_) => unreachable!("threads.list answers JSON"),
/// }
/// # });
/// ```
pub struct ChatKit<S: ChatKitServer> {
    pub(crate) inner: Arc<Inner<S>>,
}

pub(crate) struct Inner<S: ChatKitServer> {
    pub(crate) server: S,
    pub(crate) store: Arc<dyn Store<S::Context>>,
    pub(crate) attachments: Option<Arc<dyn AttachmentStore<S::Context>>>,
    pub(crate) config: Config,
    pub(crate) locks: ThreadLocks,
    pub(crate) stream_limit: Option<StreamLimit<S::Context>>,
    /// Every running stream task, so shutdown can wait for them.
    pub(crate) tasks: TaskTracker,
}

impl<S: ChatKitServer> Clone for ChatKit<S> {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone() }
    }
}

impl<S: ChatKitServer> ChatKit<S> {
    /// An engine for this app and store, with the default [`Config`].
    pub fn new(server: S, store: impl Store<S::Context>) -> Self {
        Self::with_store(server, Arc::new(store))
    }

    /// An engine with a shared store (e.g. one chosen at run time).
    pub fn with_store(server: S, store: Arc<dyn Store<S::Context>>) -> Self {
        Self {
            inner: Arc::new(Inner {
                server,
                store,
                attachments: None,
                config: Config::default(),
                locks: ThreadLocks::default(),
                stream_limit: None,
                tasks: TaskTracker::new(),
            }),
        }
    }

    fn map_inner(self, f: impl FnOnce(&mut Inner<S>)) -> Self {
        let mut inner = match Arc::try_unwrap(self.inner) {
            Ok(inner) => inner,
            Err(_) => panic!("configure a ChatKit before cloning it"),
        };
        f(&mut inner);
        Self { inner: Arc::new(inner) }
    }

    /// Enables attachments (`attachments.create` / `attachments.delete`).
    ///
    /// # Panics
    /// When called on an engine that was already cloned.
    #[must_use]
    pub fn attachment_store(self, store: impl AttachmentStore<S::Context>) -> Self {
        let store: Arc<dyn AttachmentStore<S::Context>> = Arc::new(store);
        self.map_inner(|inner| inner.attachments = Some(store))
    }

    /// Replaces the configuration.
    ///
    /// # Panics
    /// When called on an engine that was already cloned.
    #[must_use]
    pub fn config(self, config: Config) -> Self {
        self.map_inner(|inner| inner.config = config)
    }

    /// Limits how many streams one caller may have open at once; `key` tells callers apart
    /// (e.g. by user id). Beyond the limit a streaming request is refused with 429.
    ///
    /// # Panics
    /// When called on an engine that was already cloned.
    #[must_use]
    pub fn stream_limit(self, max: usize, key: impl Fn(&S::Context) -> String + Send + Sync + 'static) -> Self {
        let limit = StreamLimit::new(max, key);
        self.map_inner(|inner| inner.stream_limit = Some(limit))
    }

    /// The app.
    pub fn server(&self) -> &S {
        &self.inner.server
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store<S::Context>> {
        &self.inner.store
    }

    /// The number of streams running now.
    pub fn open_streams(&self) -> usize {
        self.inner.tasks.len()
    }

    /// Waits until every running stream has ended (finished, or stopped and its partial output
    /// stored because its client went away). For graceful shutdown: stop accepting requests,
    /// then await this.
    pub async fn drain(&self) {
        self.inner.tasks.close();
        self.inner.tasks.wait().await;
        self.inner.tasks.reopen();
    }

    /// Answers one request body.
    ///
    /// Every check (parsing, existence, ownership, state) happens before anything is written
    /// or streamed: an `Err` means nothing changed. A stream runs in its own task; dropping the
    /// [`EventStream`] (the client went away) stops the handler at its next await point and
    /// stores what was already streamed.
    pub async fn process(&self, body: &[u8], context: S::Context) -> Result<Processed, RequestError> {
        let request = Request::parse(body)?;
        self.handle(request, context).await
    }

    /// Answers an already parsed request.
    pub async fn handle(&self, request: Request, context: S::Context) -> Result<Processed, RequestError> {
        tracing::debug!(kind = request.kind(), "chatkit request");
        if request.is_streaming() {
            streaming::start(self.inner.clone(), request, context).await.map(Processed::Stream)
        } else {
            nonstreaming::answer(&self.inner, request, &context).await.map(Processed::Json)
        }
    }
}

/// The result of a request: JSON, or a stream of SSE frames.
#[derive(Debug)]
pub enum Processed {
    /// A JSON body (`application/json`).
    Json(Bytes),
    /// SSE frames (`text/event-stream`).
    Stream(EventStream),
}

/// The frames of a streamed response, as they are produced.
///
/// Frames already waiting are handed out together, so a fast producer costs one write per
/// batch instead of one per event.
#[derive(Debug)]
pub struct EventStream {
    rx: PipeReader,
}

impl EventStream {
    pub(crate) fn new(rx: PipeReader) -> Self {
        Self { rx }
    }

    /// Collects the whole stream (for tests and non-streaming transports).
    pub async fn collect(mut self) -> Bytes {
        let mut all = BytesMut::new();
        while let Some(chunk) = std::future::poll_fn(|cx| self.rx.poll_read(cx)).await {
            if all.is_empty() {
                all = chunk.into();
            } else {
                all.extend_from_slice(&chunk);
            }
        }
        all.freeze()
    }
}

impl Stream for EventStream {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        self.rx.poll_read(cx)
    }
}
