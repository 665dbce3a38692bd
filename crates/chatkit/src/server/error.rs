//! Errors answered instead of a response.

use crate::ParseError;
use crate::store::StoreError;

/// Why a request was refused before any response was produced.
///
/// Nothing is stored when a request fails this way. [`status`](Self::status) and
/// [`code`](Self::code) tell an HTTP adapter what to answer; [`to_json`](Self::to_json) is the
/// body, `{"error": {"code": …, "message": …}}`.
///
/// ```
/// use chatkit::RequestError;
/// let err = RequestError::not_found("thread", "thr_1");
/// assert_eq!((err.status(), err.code()), (404, "not_found"));
/// assert_eq!(err.to_json(), br#"{"error":{"code":"not_found","message":"thread `thr_1` not found"}}"#);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The body is not a valid request.
    #[error(transparent)]
    Invalid(#[from] ParseError),
    /// A param is well-formed but not acceptable (e.g. a negative limit).
    #[error("invalid request: {0}")]
    BadParam(String),
    /// A thread, item, attachment or cursor does not exist for the caller.
    #[error("{what} `{}` not found", crate::protocol::clip(id, 64))]
    NotFound {
        /// What was looked up.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// The thread is not in a state that allows the request.
    #[error("{0}")]
    InvalidState(String),
    /// The request needs something this server does not provide.
    #[error("{0}")]
    Unsupported(String),
    /// The app or a store refused the request with a message for the user.
    #[error("{0}")]
    Refused(String),
    /// The body is larger than allowed.
    #[error("request body is larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The caller has too many streams open.
    #[error("too many responses in progress (at most {limit} at a time); wait for one to finish")]
    TooManyStreams {
        /// The limit.
        limit: usize,
    },
    /// A store or the app failed; details are logged, not sent.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl RequestError {
    /// A missing thread, item, attachment or cursor.
    pub fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        RequestError::NotFound { what, id: id.into() }
    }

    /// The HTTP status that fits.
    pub fn status(&self) -> u16 {
        match self {
            RequestError::NotFound { .. } => 404,
            RequestError::TooLarge { .. } => 413,
            RequestError::TooManyStreams { .. } => 429,
            RequestError::Internal(_) => 500,
            _ => 400,
        }
    }

    /// The error code in the body.
    pub fn code(&self) -> &'static str {
        match self {
            RequestError::Invalid(_) | RequestError::BadParam(_) | RequestError::InvalidState(_) => "invalid_request",
            RequestError::NotFound { .. } => "not_found",
            RequestError::Unsupported(_) => "unsupported",
            RequestError::Refused(_) => "refused",
            RequestError::TooLarge { .. } => "too_large",
            RequestError::TooManyStreams { .. } => "rate_limited",
            RequestError::Internal(_) => "internal",
        }
    }

    /// The JSON error body. The message is cut after 1,000 characters: values a client sent
    /// are cut, never echoed in full.
    pub fn to_json(&self) -> Vec<u8> {
        let message = self.to_string();
        let body = serde_json::json!({"error": {"code": self.code(), "message": crate::protocol::clip(&message, 1000)}});
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

impl From<StoreError> for RequestError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { what, id } => RequestError::NotFound { what, id },
            StoreError::Rejected(message) => RequestError::Refused(message),
            other => RequestError::Internal(Box::new(other)),
        }
    }
}

impl From<super::HandlerError> for RequestError {
    fn from(err: super::HandlerError) -> Self {
        use super::HandlerError;
        match err {
            HandlerError::Custom { message, .. } => RequestError::Refused(message),
            HandlerError::Unsupported(what) => RequestError::Unsupported(format!("this server does not support {what}")),
            HandlerError::Other(source) => RequestError::Internal(source),
            other => RequestError::Internal(other.to_string().into()),
        }
    }
}
