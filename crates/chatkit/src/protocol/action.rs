//! Actions sent by widgets (`threads.custom_action`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An action a widget sent: a `type` and a `payload`.
///
/// Action data is only reachable through [`Action::payload`], typed, so the common mistake of
/// looking for it elsewhere (`arguments`, …) cannot compile, and a payload of the wrong shape is
/// a clear error instead of a panic.
///
/// ```
/// use chatkit::Action;
/// #[derive(serde::Deserialize)]
/// struct Select { id: String }
///
/// let action: Action = serde_json::from_str(
///     r#"{"type":"line.select","payload":{"id":"blue"},"handler":"server"}"#,
/// ).unwrap();
/// assert_eq!(action.kind(), "line.select");
/// let select: Select = action.payload().unwrap();
/// assert_eq!(select.id, "blue");
///
/// let err = action.payload::<Vec<u32>>().unwrap_err();
/// assert!(err.to_string().contains("line.select"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    payload: Value,
}

impl Action {
    /// An action of this type with a payload.
    pub fn new(kind: impl Into<String>, payload: Value) -> Self {
        Self { kind: kind.into(), payload }
    }

    /// The action type (`type` on the wire), e.g. `"counter.increment"`.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The payload decoded into `T`.
    ///
    /// A missing payload decodes as JSON `null` (so `Option<T>` or `()` accept it).
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T, PayloadError> {
        serde_path_to_error::deserialize(&self.payload).map_err(|err| PayloadError {
            action: self.kind.clone(),
            path: err.path().to_string(),
            reason: err.inner().to_string(),
        })
    }

    /// The payload as raw JSON (`null` when absent).
    pub fn raw_payload(&self) -> &Value {
        &self.payload
    }
}

/// An action payload did not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("payload of action `{action}` at `{path}`: {reason}")]
pub struct PayloadError {
    /// The action type.
    pub action: String,
    /// Where in the payload (`.` for the whole payload).
    pub path: String,
    /// What was wrong.
    pub reason: String,
}
