//! The HTTP client for OpenAI-compatible servers: configuration, retries, timeouts, streaming.

use std::collections::VecDeque;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use serde_json::{Map, Value};

use super::sse::SseDecoder;
use super::{Model, ModelError, ModelEvent, ModelRequest, ModelStream, chat, responses};

/// The wire protocol a server speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Api {
    /// `POST {base}/chat/completions` — spoken by nearly every compatible server (vLLM,
    /// Ollama, llama.cpp, Azure, OpenAI).
    #[default]
    ChatCompletions,
    /// `POST {base}/responses` — OpenAI's newer API (reasoning summaries, citations).
    Responses,
}

impl std::str::FromStr for Api {
    type Err = ModelError;

    fn from_str(text: &str) -> Result<Self, ModelError> {
        match text {
            "chat" | "chat-completions" | "chat_completions" => Ok(Api::ChatCompletions),
            "responses" => Ok(Api::Responses),
            other => Err(ModelError::Config(format!("unknown API `{other}`: use `chat` or `responses`"))),
        }
    }
}

/// The default base URL.
pub const OPENAI_BASE_URL: &str = "https://api.openai.com/v1";

/// Where and how to reach a model.
///
/// ```
/// use chatkit_agents::model::{Api, OpenAiConfig};
/// let config = OpenAiConfig::new("http://127.0.0.1:11434/v1", "llama3.2").api(Api::ChatCompletions).max_retries(2);
/// assert_eq!(config.model, "llama3.2");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct OpenAiConfig {
    /// Base URL, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`.
    pub base_url: String,
    /// Bearer token; `None` sends no `Authorization` header (local servers).
    pub api_key: Option<String>,
    /// Default model name.
    pub model: String,
    /// Wire protocol.
    pub api: Api,
    /// Retries of 429, 408, 5xx and connection failures before the first byte.
    pub max_retries: u32,
    /// First retry delay; doubled each time, capped at 10 s (or the server's `Retry-After`).
    pub initial_backoff: Duration,
    /// Limit for connecting.
    pub connect_timeout: Duration,
    /// Limit for the response headers after sending a request.
    pub response_timeout: Duration,
    /// Limit between two chunks of a streamed body.
    pub idle_timeout: Duration,
    /// Members merged into every request body (e.g. `{"reasoning": {"summary": "auto"}}`).
    pub extra_body: Map<String, Value>,
}

impl OpenAiConfig {
    /// A configuration with the defaults: Chat Completions, 3 retries from 500 ms, 10 s to
    /// connect, 120 s for headers, 120 s between chunks.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            api_key: None,
            model: model.into(),
            api: Api::ChatCompletions,
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            connect_timeout: Duration::from_secs(10),
            response_timeout: Duration::from_secs(120),
            idle_timeout: Duration::from_secs(120),
            extra_body: Map::new(),
        }
    }

    /// The configuration from the standard variables, or `None` when neither
    /// `OPENAI_API_KEY` nor `OPENAI_BASE_URL` is set.
    ///
    /// `OPENAI_BASE_URL` (default OpenAI's), `OPENAI_API_KEY`, the model from `model` or
    /// `CHATKIT_MODEL` or `OPENAI_MODEL` (default `gpt-4.1-mini`), the protocol from
    /// `CHATKIT_MODEL_API` (`chat` or `responses`; default `responses` for OpenAI's own URL,
    /// `chat` elsewhere).
    pub fn from_env(model: Option<String>) -> Result<Option<Self>, ModelError> {
        Self::from_vars(model, |name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// [`from_env`](Self::from_env) with the variables looked up by `var`.
    ///
    /// ```
    /// use chatkit_agents::model::{Api, OpenAiConfig};
    /// let vars = |name: &str| (name == "OPENAI_BASE_URL").then(|| "http://localhost:8080/v1/".to_owned());
    /// let config = OpenAiConfig::from_vars(Some("qwen".into()), vars).unwrap().unwrap();
    /// assert_eq!((config.base_url.as_str(), config.api, config.model.as_str()), ("http://localhost:8080/v1", Api::ChatCompletions, "qwen"));
    /// assert!(OpenAiConfig::from_vars(None, |_| None).unwrap().is_none());
    /// ```
    pub fn from_vars(model: Option<String>, var: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, ModelError> {
        let api_key = var("OPENAI_API_KEY");
        let base_url = var("OPENAI_BASE_URL");
        if api_key.is_none() && base_url.is_none() {
            return Ok(None);
        }
        let base_url = base_url.unwrap_or_else(|| OPENAI_BASE_URL.to_owned());
        let model = model.or_else(|| var("CHATKIT_MODEL")).or_else(|| var("OPENAI_MODEL")).unwrap_or_else(|| "gpt-4.1-mini".to_owned());
        let mut config = Self::new(base_url, model);
        config.api_key = api_key;
        config.api = match var("CHATKIT_MODEL_API") {
            Some(api) => api.parse()?,
            None if config.base_url == OPENAI_BASE_URL => Api::Responses,
            None => Api::ChatCompletions,
        };
        Ok(Some(config))
    }

    /// Sets the API key.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Sets the wire protocol.
    #[must_use]
    pub fn api(mut self, api: Api) -> Self {
        self.api = api;
        self
    }

    /// Sets the number of retries.
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sets the first retry delay.
    #[must_use]
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets the limit for response headers.
    #[must_use]
    pub fn response_timeout(mut self, limit: Duration) -> Self {
        self.response_timeout = limit;
        self
    }

    /// Sets the limit between two chunks.
    #[must_use]
    pub fn idle_timeout(mut self, limit: Duration) -> Self {
        self.idle_timeout = limit;
        self
    }
}

/// A model behind an OpenAI-compatible HTTP API.
///
/// Requests stream (`"stream": true`). Before the first byte of a successful response, 429,
/// 408, 5xx and connection failures are retried with exponential backoff (honouring
/// `Retry-After`); other statuses fail at once with the server's message. Dropping the event
/// stream closes the connection, which cancels the generation upstream.
///
/// ```no_run
/// # async fn demo() -> Result<(), chatkit_agents::model::ModelError> {
/// use chatkit_agents::model::{Model, ModelRequest, OpenAiConfig, OpenAiModel};
/// let config = OpenAiConfig::from_env(None)?.expect("set OPENAI_API_KEY or OPENAI_BASE_URL");
/// let model = OpenAiModel::new(config)?;
/// let events = model.stream(ModelRequest::new("Be brief.", vec![chatkit_agents::convert::user_text("Hi")])).await?;
/// # drop(events); Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct OpenAiModel {
    config: OpenAiConfig,
    http: reqwest::Client,
}

impl OpenAiModel {
    /// A client for this configuration.
    pub fn new(config: OpenAiConfig) -> Result<Self, ModelError> {
        if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
            return Err(ModelError::Config(format!("base URL `{}` must start with http:// or https://", config.base_url)));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("chatkit-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ModelError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { config, http })
    }

    /// The configuration.
    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    fn endpoint(&self) -> String {
        match self.config.api {
            Api::ChatCompletions => format!("{}/chat/completions", self.config.base_url),
            Api::Responses => format!("{}/responses", self.config.base_url),
        }
    }

    fn body(&self, request: &ModelRequest) -> Value {
        let model = request.model.clone().unwrap_or_else(|| self.config.model.clone());
        let mut body = match self.config.api {
            Api::ChatCompletions => chat::request_body(&model, request),
            Api::Responses => responses::request_body(&model, request),
        };
        if let Value::Object(map) = &mut body {
            for (key, value) in &self.config.extra_body {
                map.insert(key.clone(), value.clone());
            }
        }
        body
    }

    /// Sends the request until it succeeds or fails for good.
    async fn send(&self, body: &Value) -> Result<reqwest::Response, ModelError> {
        let url = self.endpoint();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut builder = self.http.post(&url).json(body).header("accept", "text/event-stream");
            if let Some(key) = &self.config.api_key {
                builder = builder.bearer_auth(key);
            }
            let (error, retry_after) = match tokio::time::timeout(self.config.response_timeout, builder.send()).await {
                Err(_) => (ModelError::Timeout { phase: "response headers", after: self.config.response_timeout }, None),
                Ok(Err(source)) => (ModelError::Connect { attempts: attempt, source }, None),
                Ok(Ok(response)) if response.status().is_success() => return Ok(response),
                Ok(Ok(response)) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<f64>().ok())
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .map(Duration::from_secs_f64);
                    let message = error_message(response).await;
                    (ModelError::Status { status, message, attempts: attempt }, retry_after)
                }
            };
            if !error.is_retryable() || attempt > self.config.max_retries {
                return Err(error);
            }
            let backoff = self.config.initial_backoff.saturating_mul(1 << (attempt - 1).min(16)).min(MAX_BACKOFF);
            let delay = retry_after.map_or(backoff, |after| after.min(MAX_BACKOFF));
            tracing::info!(attempt, ?delay, error = %error, "model request failed; retrying");
            tokio::time::sleep(delay).await;
        }
    }
}

const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// The error message of a failed response: `error.message` of a JSON body, else the text.
async fn error_message(response: reqwest::Response) -> String {
    let reason = response.status().canonical_reason().unwrap_or("error").to_owned();
    let Ok(Ok(body)) = tokio::time::timeout(Duration::from_secs(10), response.bytes()).await else { return reason };
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]).trim().to_owned();
    let message = serde_json::from_slice::<Value>(&body).ok().and_then(|json| match &json["error"] {
        Value::String(text) => Some(text.clone()),
        error => error["message"].as_str().map(str::to_owned),
    });
    match message {
        Some(message) => message,
        None if text.is_empty() => reason,
        None => text,
    }
}

#[async_trait]
impl Model for OpenAiModel {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ModelError> {
        let body = self.body(&request);
        let response = self.send(&body).await?;
        let decoder = match self.config.api {
            Api::ChatCompletions => Decoder::Chat(chat::Decoder::default()),
            Api::Responses => Decoder::Responses(responses::Decoder::default()),
        };
        Ok(Box::pin(events(response.bytes_stream(), decoder, self.config.idle_timeout)))
    }
}

/// The protocol-specific part of reading a stream.
pub(super) enum Decoder {
    Chat(chat::Decoder),
    Responses(responses::Decoder),
}

impl Decoder {
    fn event(&mut self, event: super::sse::SseEvent, out: &mut VecDeque<ModelEvent>) -> Result<bool, ModelError> {
        match self {
            Decoder::Chat(d) => d.event(&event, out),
            Decoder::Responses(d) => d.event(&event, out),
        }
    }

    fn finish(&mut self, out: &mut VecDeque<ModelEvent>) -> Result<(), ModelError> {
        match self {
            Decoder::Chat(d) => d.finish(out),
            Decoder::Responses(d) => d.finish(out),
        }
    }
}

struct Reader<S> {
    body: S,
    sse: SseDecoder,
    decoder: Decoder,
    queue: VecDeque<ModelEvent>,
    idle: Duration,
    finished: bool,
    error: Option<ModelError>,
}

/// Turns a response body into model events.
pub(super) fn events<S>(body: S, decoder: Decoder, idle: Duration) -> impl Stream<Item = Result<ModelEvent, ModelError>> + Send
where
    S: Stream<Item = reqwest::Result<Bytes>> + Send + Unpin + 'static,
{
    let reader = Reader { body, sse: SseDecoder::default(), decoder, queue: VecDeque::new(), idle, finished: false, error: None };
    futures_util::stream::unfold(reader, |mut r| async move {
        loop {
            if let Some(event) = r.queue.pop_front() {
                return Some((Ok(event), r));
            }
            if r.finished {
                return r.error.take().map(|err| (Err(err), r));
            }
            let chunk = match tokio::time::timeout(r.idle, r.body.next()).await {
                Err(_) => Err(ModelError::Timeout { phase: "next chunk", after: r.idle }),
                Ok(Some(Err(err))) => Err(ModelError::Read(err)),
                Ok(Some(Ok(bytes))) => Ok(Some(bytes)),
                Ok(None) => Ok(None),
            };
            let step = match chunk {
                Ok(Some(bytes)) => {
                    let mut result = Ok(());
                    for event in r.sse.feed(&bytes) {
                        match r.decoder.event(event, &mut r.queue) {
                            Ok(false) => {}
                            Ok(true) => {
                                r.finished = true;
                                break;
                            }
                            Err(err) => {
                                result = Err(err);
                                break;
                            }
                        }
                    }
                    if r.finished { result.and_then(|()| r.decoder.finish(&mut r.queue)) } else { result }
                }
                Ok(None) => {
                    r.finished = true;
                    let mut result = Ok(());
                    if let Some(event) = r.sse.finish() {
                        result = r.decoder.event(event, &mut r.queue).map(|_| ());
                    }
                    result.and_then(|()| r.decoder.finish(&mut r.queue))
                }
                Err(err) => Err(err),
            };
            if let Err(err) = step {
                r.finished = true;
                r.error = Some(err);
            }
        }
    })
}
