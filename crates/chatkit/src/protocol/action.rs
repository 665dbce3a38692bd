//! Actions: declared by widgets (`onClickAction`, `confirm.action`, …) and sent back by the
//! client (`threads.custom_action`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

tokens! {
    /// Who handles an action: the server (`threads.custom_action`) or the client's
    /// `widgets.onAction` callback.
    Handler { Client = "client", Server = "server" }
}

tokens! {
    /// Which part of the widget shows the loading state while an action runs.
    LoadingBehavior { Auto = "auto", None = "none", Itself = "self", Container = "container" }
}

/// An action: a `type` and a `payload`, plus (in widgets) who handles it and how it loads.
///
/// The same type is what a widget declares (`Button::on_click`, `Form::on_submit`, …) and what
/// the client sends back (`ChatKitServer::action`). The client sends only `type` and `payload`;
/// `handler`, `loadingBehavior` and `streaming` steer the client and are written only when set
/// (templates usually leave them out; [`Action::with_defaults`] writes the reference's defaults
/// out, as its code-built `ActionConfig` does).
///
/// Action data is only reachable through [`Action::payload`], typed, so the common mistake of
/// looking for it elsewhere (`arguments`, …) cannot compile, and a payload of the wrong shape is
/// a clear error naming the field instead of a panic.
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
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Move { to: u32 }
/// let err = Action::new("move", serde_json::json!({"to": "north"})).payload::<Move>().unwrap_err();
/// assert_eq!(err.path, "to");
/// assert_eq!(err.to_string(), "payload of action `move` at `to`: invalid type: string \"north\", expected u32");
/// ```
///
/// Declaring one in a widget:
///
/// ```
/// use chatkit::{Action, Handler, LoadingBehavior};
/// let action = Action::of("counter.add").with_payload(serde_json::json!({"by": 1}));
/// assert_eq!(serde_json::to_string(&action).unwrap(), r#"{"type":"counter.add","payload":{"by":1}}"#);
///
/// let local = Action::of("menu.open").handler(Handler::Client).loading_behavior(LoadingBehavior::None);
/// assert_eq!(
///     serde_json::to_string(&local).unwrap(),
///     r#"{"type":"menu.open","handler":"client","loadingBehavior":"none"}"#
/// );
/// assert_eq!(
///     serde_json::to_string(&Action::of("go").with_defaults()).unwrap(),
///     r#"{"type":"go","handler":"server","loadingBehavior":"auto","streaming":true}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    payload: Value,
    /// Who handles the action (the reference's default: [`Handler::Server`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<Handler>,
    /// Which part of the widget shows the loading state (default: [`LoadingBehavior::Auto`]).
    #[serde(rename = "loadingBehavior", default, skip_serializing_if = "Option::is_none")]
    pub loading_behavior: Option<LoadingBehavior>,
    /// Whether a server action streams (`threads.custom_action`, the default) or answers once
    /// (`threads.sync_custom_action`). The strings `"true"`/`"false"` are accepted too.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "lenient_bool")]
    pub streaming: Option<bool>,
}

impl Action {
    /// An action of this type with a payload.
    pub fn new(kind: impl Into<String>, payload: Value) -> Self {
        Self { kind: kind.into(), payload, handler: None, loading_behavior: None, streaming: None }
    }

    /// An action of this type without a payload.
    pub fn of(kind: impl Into<String>) -> Self {
        Self::new(kind, Value::Null)
    }

    /// Replaces the payload.
    #[must_use]
    pub fn with_payload(mut self, payload: impl Into<Value>) -> Self {
        self.payload = payload.into();
        self
    }

    /// Sets who handles the action.
    #[must_use]
    pub fn handler(mut self, handler: Handler) -> Self {
        self.handler = Some(handler);
        self
    }

    /// Sets which part of the widget shows the loading state.
    #[must_use]
    pub fn loading_behavior(mut self, behavior: LoadingBehavior) -> Self {
        self.loading_behavior = Some(behavior);
        self
    }

    /// Sets whether a server action streams its answer.
    #[must_use]
    pub fn streaming(mut self, streaming: bool) -> Self {
        self.streaming = Some(streaming);
        self
    }

    /// Fills unset `handler`, `loadingBehavior` and `streaming` with the reference's defaults
    /// (server, auto, true), so the JSON is what the reference's `ActionConfig` writes.
    #[must_use]
    pub fn with_defaults(mut self) -> Self {
        self.handler.get_or_insert(Handler::Server);
        self.loading_behavior.get_or_insert(LoadingBehavior::Auto);
        self.streaming.get_or_insert(true);
        self
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

fn lenient_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    use serde::de::Error as _;
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(flag)),
        Some(Value::String(text)) if text == "true" => Ok(Some(true)),
        Some(Value::String(text)) if text == "false" => Ok(Some(false)),
        Some(_) => Err(D::Error::custom("expected a boolean (or \"true\"/\"false\")")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Select {
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
    }

    #[test]
    fn payload_errors_name_the_field() {
        let missing = Action::new("pick", json!({})).payload::<Select>().expect_err("missing field");
        assert_eq!((missing.path.as_str(), missing.reason.as_str()), (".", "missing field `items`"));
        let nested = Action::new("pick", json!({"items": [{"id": "a"}, {"id": 2}]}))
            .payload::<Select>()
            .expect_err("wrong type");
        assert_eq!(nested.path, "items[1].id");
        assert_eq!(nested.to_string(), "payload of action `pick` at `items[1].id`: invalid type: integer `2`, expected a string");
        let absent = Action::of("pick").payload::<Select>().expect_err("no payload");
        assert!(absent.reason.contains("invalid type: null"), "{absent}");
        assert_eq!(Action::of("pick").payload::<Option<Select>>().expect("null is None").map(|s| s.items.len()), None);
    }

    #[test]
    fn widget_fields_round_trip() {
        let wire = json!({"type": "go", "payload": {"k": 1}, "handler": "client", "loadingBehavior": "self", "streaming": false});
        let action: Action = serde_json::from_value(wire.clone()).expect("parses");
        assert_eq!(action.handler, Some(Handler::Client));
        assert_eq!(action.loading_behavior, Some(LoadingBehavior::Itself));
        assert_eq!(serde_json::to_value(&action).expect("serializes"), wire);
        let lenient: Action = serde_json::from_value(json!({"type": "go", "streaming": "false"})).expect("parses");
        assert_eq!(lenient.streaming, Some(false));
        assert!(serde_json::from_value::<Action>(json!({"type": "go", "handler": "browser"})).is_err());
        assert!(serde_json::from_value::<Action>(json!({"type": "go", "streaming": 0})).is_err());
    }
}
