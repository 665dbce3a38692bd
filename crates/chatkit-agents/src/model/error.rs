//! Why a model request failed.

use std::time::Duration;

use chatkit::HandlerError;

/// A model request failed.
///
/// [`ModelError::into_handler_error`] gives the user a plain message in an `error` event
/// (`custom` code), retryable when trying again may help. (`?` on a `ModelError` in a handler
/// also works, but reports the generic `stream.error`.)
///
/// ```
/// use chatkit_agents::model::ModelError;
/// let err = ModelError::Status { status: 401, message: "bad key".into(), attempts: 1 };
/// assert!(!err.is_retryable());
/// assert_eq!(err.to_string(), "the model server answered HTTP 401: bad key");
/// let event = err.into_handler_error().to_event().unwrap();
/// assert!(!event.allow_retry);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The server could not be reached.
    #[error("cannot reach the model server after {attempts} attempt(s)")]
    Connect {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with an error status (after the retries, for 429 and 5xx).
    #[error("the model server answered HTTP {status}: {message}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The server's error message.
        message: String,
        /// Attempts made.
        attempts: u32,
    },
    /// No answer in time.
    #[error("the model server did not answer within {after:?} ({phase})")]
    Timeout {
        /// What was awaited: response headers or the next chunk.
        phase: &'static str,
        /// The limit.
        after: Duration,
    },
    /// The connection broke mid-stream.
    #[error("the model stream broke")]
    Read(#[source] reqwest::Error),
    /// The server reported an error inside the stream.
    #[error("the model failed: {0}")]
    Upstream(String),
    /// The stream did not follow the protocol.
    #[error("unexpected model output: {0}")]
    Protocol(String),
    /// The configuration is unusable.
    #[error("invalid model configuration: {0}")]
    Config(String),
}

impl ModelError {
    /// Whether asking again may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            ModelError::Status { status, .. } => *status == 429 || *status == 408 || *status >= 500,
            ModelError::Connect { .. } | ModelError::Timeout { .. } | ModelError::Read(_) | ModelError::Upstream(_) => true,
            ModelError::Protocol(_) | ModelError::Config(_) => false,
        }
    }

    /// What the user is told.
    pub fn user_message(&self) -> String {
        match self {
            ModelError::Connect { .. } => "The model server cannot be reached. Try again later.".to_owned(),
            ModelError::Status { status: 401 | 403, .. } => {
                "The model server refused the credentials (check OPENAI_API_KEY).".to_owned()
            }
            ModelError::Status { status: 404, message, .. } => format!("The model was not found: {message}"),
            ModelError::Status { status: 429, .. } => "The model is busy (rate limited). Try again in a moment.".to_owned(),
            ModelError::Status { status, message, .. } if *status >= 500 => {
                format!("The model server failed (HTTP {status}): {message}")
            }
            ModelError::Status { status, message, .. } => format!("The model rejected the request (HTTP {status}): {message}"),
            ModelError::Timeout { .. } => "The model took too long to answer. Try again.".to_owned(),
            ModelError::Read(_) => "The connection to the model broke. Try again.".to_owned(),
            ModelError::Upstream(message) => format!("The model failed: {message}"),
            ModelError::Protocol(_) => "The model sent an answer this server cannot read.".to_owned(),
            ModelError::Config(message) => format!("The model is not configured correctly: {message}"),
        }
    }
}

impl ModelError {
    /// The handler error the user sees: [`user_message`](Self::user_message) as a `custom`
    /// error, retryable when [`is_retryable`](Self::is_retryable). The full error is logged.
    pub fn into_handler_error(self) -> HandlerError {
        tracing::warn!(error = %ErrorChain(&self), "model request failed");
        let custom = HandlerError::custom(self.user_message());
        if self.is_retryable() { custom.retryable() } else { custom }
    }
}

/// Displays an error with its sources.
pub(crate) struct ErrorChain<'a>(pub(crate) &'a dyn std::error::Error);

impl std::fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}
