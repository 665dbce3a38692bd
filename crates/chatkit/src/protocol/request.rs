//! Requests: the body of every `POST` to the ChatKit endpoint.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Action, AttachmentId, InferenceOptions, ItemId, Order, ThreadId, UserContent};

/// A ChatKit request: `{"type": …, "params": {…}, "metadata"?: {…}}`.
///
/// Parse with [`Request::parse`], which reports where a body is wrong.
///
/// ```
/// use chatkit::Request;
/// let req = Request::parse(br#"{"type":"threads.list","params":{"limit":5}}"#).unwrap();
/// assert!(!req.is_streaming());
/// let err = Request::parse(br#"{"type":"threads.list","params":{"limit":"x"}}"#).unwrap_err();
/// assert!(err.to_string().contains("params.limit"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Request {
    /// Start a thread with a first message (streaming).
    #[serde(rename = "threads.create")]
    ThreadsCreate {
        /// Params.
        params: ThreadCreateParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Add a user message to a thread (streaming).
    #[serde(rename = "threads.add_user_message")]
    ThreadsAddUserMessage {
        /// Params.
        params: ThreadAddUserMessageParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Answer a pending client tool call (streaming).
    #[serde(rename = "threads.add_client_tool_output")]
    ThreadsAddClientToolOutput {
        /// Params.
        params: ThreadAddClientToolOutputParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Answer a structured input item (streaming).
    #[serde(rename = "threads.add_structured_input")]
    ThreadsAddStructuredInput {
        /// Params.
        params: ThreadAddStructuredInputParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Regenerate the answer to a user message (streaming).
    #[serde(rename = "threads.retry_after_item")]
    ThreadsRetryAfterItem {
        /// Params.
        params: ItemRefParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// A widget action (streaming).
    #[serde(rename = "threads.custom_action")]
    ThreadsCustomAction {
        /// Params.
        params: CustomActionParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// A widget action answered with JSON (`streaming: false`).
    #[serde(rename = "threads.sync_custom_action")]
    ThreadsSyncCustomAction {
        /// Params.
        params: CustomActionParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Load a thread with its first items.
    #[serde(rename = "threads.get_by_id")]
    ThreadsGetById {
        /// Params.
        params: ThreadRefParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// List the caller's threads.
    #[serde(rename = "threads.list")]
    ThreadsList {
        /// Params.
        params: ListParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Rename a thread.
    #[serde(rename = "threads.update")]
    ThreadsUpdate {
        /// Params.
        params: ThreadUpdateParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Delete a thread.
    #[serde(rename = "threads.delete")]
    ThreadsDelete {
        /// Params.
        params: ThreadRefParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// List a thread's items.
    #[serde(rename = "items.list")]
    ItemsList {
        /// Params.
        params: ItemsListParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Thumbs up/down on items.
    #[serde(rename = "items.feedback")]
    ItemsFeedback {
        /// Params.
        params: FeedbackParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Register an attachment before uploading it (two-phase upload).
    #[serde(rename = "attachments.create")]
    AttachmentsCreate {
        /// Params.
        params: AttachmentCreateParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Delete an attachment.
    #[serde(rename = "attachments.delete")]
    AttachmentsDelete {
        /// Params.
        params: AttachmentDeleteParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
    /// Speech to text for the composer.
    #[serde(rename = "input.transcribe")]
    InputTranscribe {
        /// Params.
        params: TranscribeParams,
        /// Unused by the server.
        #[serde(default)]
        metadata: Map<String, Value>,
    },
}

impl Request {
    /// Parses a request body, naming the path of the first problem.
    ///
    /// Bodies nested deeper than [`MAX_REQUEST_DEPTH`] levels are refused before parsing, and every
    /// member that holds an object must be a JSON object (never an array read positionally).
    pub fn parse(body: &[u8]) -> Result<Request, ParseError> {
        #[derive(Deserialize)]
        struct Envelope<'a> {
            #[serde(rename = "type")]
            kind: String,
            #[serde(borrow)]
            params: &'a serde_json::value::RawValue,
            #[serde(default)]
            metadata: Map<String, Value>,
        }

        check_depth(body)?;
        let Object(envelope): Object<Envelope<'_>> = parse_at("", body)?;
        let params = envelope.params.get().as_bytes();
        let metadata = envelope.metadata;
        macro_rules! by_type {
            ($($name:literal => $variant:ident,)*) => {
                match envelope.kind.as_str() {
                    $($name => Request::$variant { params: parse_at::<Object<_>>("params", params)?.0, metadata },)*
                    other => {
                        let known = [$($name),*].join(", ");
                        return Err(ParseError {
                            path: "type".into(),
                            reason: format!("unknown request type `{}`; expected one of {known}", clip(other, 64)),
                            syntax: false,
                        });
                    }
                }
            };
        }
        Ok(by_type! {
            "threads.create" => ThreadsCreate,
            "threads.add_user_message" => ThreadsAddUserMessage,
            "threads.add_client_tool_output" => ThreadsAddClientToolOutput,
            "threads.add_structured_input" => ThreadsAddStructuredInput,
            "threads.retry_after_item" => ThreadsRetryAfterItem,
            "threads.custom_action" => ThreadsCustomAction,
            "threads.sync_custom_action" => ThreadsSyncCustomAction,
            "threads.get_by_id" => ThreadsGetById,
            "threads.list" => ThreadsList,
            "threads.update" => ThreadsUpdate,
            "threads.delete" => ThreadsDelete,
            "items.list" => ItemsList,
            "items.feedback" => ItemsFeedback,
            "attachments.create" => AttachmentsCreate,
            "attachments.delete" => AttachmentsDelete,
            "input.transcribe" => InputTranscribe,
        })
    }

    /// The wire `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Request::ThreadsCreate { .. } => "threads.create",
            Request::ThreadsAddUserMessage { .. } => "threads.add_user_message",
            Request::ThreadsAddClientToolOutput { .. } => "threads.add_client_tool_output",
            Request::ThreadsAddStructuredInput { .. } => "threads.add_structured_input",
            Request::ThreadsRetryAfterItem { .. } => "threads.retry_after_item",
            Request::ThreadsCustomAction { .. } => "threads.custom_action",
            Request::ThreadsSyncCustomAction { .. } => "threads.sync_custom_action",
            Request::ThreadsGetById { .. } => "threads.get_by_id",
            Request::ThreadsList { .. } => "threads.list",
            Request::ThreadsUpdate { .. } => "threads.update",
            Request::ThreadsDelete { .. } => "threads.delete",
            Request::ItemsList { .. } => "items.list",
            Request::ItemsFeedback { .. } => "items.feedback",
            Request::AttachmentsCreate { .. } => "attachments.create",
            Request::AttachmentsDelete { .. } => "attachments.delete",
            Request::InputTranscribe { .. } => "input.transcribe",
        }
    }

    /// Whether the response is an event stream (else a JSON body).
    pub fn is_streaming(&self) -> bool {
        matches!(
            self,
            Request::ThreadsCreate { .. }
                | Request::ThreadsAddUserMessage { .. }
                | Request::ThreadsAddClientToolOutput { .. }
                | Request::ThreadsAddStructuredInput { .. }
                | Request::ThreadsRetryAfterItem { .. }
                | Request::ThreadsCustomAction { .. }
        )
    }

    /// The thread the request names, if any.
    pub fn thread_id(&self) -> Option<&ThreadId> {
        match self {
            Request::ThreadsAddUserMessage { params, .. } => Some(&params.thread_id),
            Request::ThreadsAddClientToolOutput { params, .. } => Some(&params.thread_id),
            Request::ThreadsAddStructuredInput { params, .. } => Some(&params.thread_id),
            Request::ThreadsRetryAfterItem { params, .. } => Some(&params.thread_id),
            Request::ThreadsCustomAction { params, .. } | Request::ThreadsSyncCustomAction { params, .. } => {
                Some(&params.thread_id)
            }
            Request::ThreadsGetById { params, .. } | Request::ThreadsDelete { params, .. } => Some(&params.thread_id),
            Request::ThreadsUpdate { params, .. } => Some(&params.thread_id),
            Request::ItemsList { params, .. } => Some(&params.thread_id),
            Request::ItemsFeedback { params, .. } => Some(&params.thread_id),
            _ => None,
        }
    }
}

/// How deeply a request body may nest arrays and objects. Deeper bodies are refused before
/// parsing: no request needs it, and stored items must stay readable (JSON parsers stop at 128).
pub const MAX_REQUEST_DEPTH: usize = 64;

/// Refuses bodies nested deeper than [`MAX_REQUEST_DEPTH`], in one pass over the bytes.
fn check_depth(body: &[u8]) -> Result<(), ParseError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, byte) in body.iter().enumerate() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_REQUEST_DEPTH {
                    return Err(ParseError {
                        path: ".".into(),
                        reason: format!("the body is nested deeper than {MAX_REQUEST_DEPTH} levels (at byte {offset})"),
                        syntax: true,
                    });
                }
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            (false, _, _) => {}
        }
    }
    Ok(())
}

/// A struct that must arrive as a JSON object: serde would also read an array positionally
/// (`[]` as `{}`), which no ChatKit client sends and the reference refuses.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        object(d).map(Object)
    }
}

/// `deserialize_with` for optional members that hold an object (see [`Object`]).
pub(super) fn optional_object<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::<Object<T>>::deserialize(d).map(|value| value.map(|Object(value)| value))
}

/// `deserialize_with` for lists of objects (see [`Object`]).
fn objects<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Vec::<Object<T>>::deserialize(d).map(|values| values.into_iter().map(|Object(value)| value).collect())
}

/// `deserialize_with` for maps whose values are objects (see [`Object`]).
fn object_values<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<indexmap::IndexMap<String, T>, D::Error> {
    let map = indexmap::IndexMap::<String, Object<T>>::deserialize(d)?;
    Ok(map.into_iter().map(|(key, Object(value))| (key, value)).collect())
}

/// `deserialize_with` for members that hold an object (see [`Object`]).
fn object<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(Visitor(std::marker::PhantomData))
}

/// `text`, cut to at most `max` characters (an ellipsis and the full length mark the cut), so
/// that error messages never echo megabytes a client sent.
pub(crate) fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}… ({} bytes)", &text[..cut], text.len())),
    }
}

/// Deserializes `bytes` as `T`, reporting problems with their path below `prefix`.
fn parse_at<'de, T: Deserialize<'de>>(prefix: &str, bytes: &'de [u8]) -> Result<T, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let inner_path = err.path().to_string();
        let inner = err.into_inner();
        let path = match (prefix, inner_path.as_str()) {
            ("", p) => p.to_owned(),
            (prefix, "." | "") => prefix.to_owned(),
            (prefix, p) => format!("{prefix}.{p}"),
        };
        ParseError { path, reason: describe(&inner), syntax: inner.is_syntax() || inner.is_eof() }
    })?;
    de.end().map_err(|err| ParseError { path: ".".into(), reason: describe(&err), syntax: true })?;
    Ok(value)
}

fn describe(err: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; keep it for syntax errors only.
    let text = err.to_string();
    let text = match text.rfind(" at line ") {
        Some(cut) if !(err.is_syntax() || err.is_eof()) => &text[..cut],
        _ => text.as_str(),
    };
    // Values the client sent are quoted in backticks; long ones are cut.
    let mut out = String::with_capacity(text.len().min(1024));
    for (n, part) in text.split('`').enumerate() {
        if n > 0 {
            out.push('`');
        }
        out.push_str(if n % 2 == 1 { clip(part, 64) } else { std::borrow::Cow::Borrowed(part) }.as_ref());
    }
    out
}

/// A request body that is not a valid ChatKit request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid request at `{path}`: {reason}")]
pub struct ParseError {
    /// Where the problem is (`.` for the whole body).
    pub path: String,
    /// What is wrong.
    pub reason: String,
    /// Whether the body is not JSON at all.
    pub syntax: bool,
}

/// What the user typed: content, attachment ids, quote and composer choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserMessageInput {
    /// Text and entity tags.
    #[serde(deserialize_with = "objects")]
    pub content: Vec<UserContent>,
    /// Ids of attachments created with `attachments.create`.
    pub attachments: Vec<AttachmentId>,
    /// Quoted text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_text: Option<String>,
    /// Tool and model choice.
    #[serde(deserialize_with = "object")]
    pub inference_options: InferenceOptions,
}

/// Params of `threads.create`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadCreateParams {
    /// The first message.
    #[serde(deserialize_with = "object")]
    pub input: UserMessageInput,
}

/// Params of `threads.add_user_message`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadAddUserMessageParams {
    /// The thread.
    pub thread_id: ThreadId,
    /// The message.
    #[serde(deserialize_with = "object")]
    pub input: UserMessageInput,
}

/// Params of `threads.add_client_tool_output`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadAddClientToolOutputParams {
    /// The thread.
    pub thread_id: ThreadId,
    /// The tool's output (any JSON, `null` included; the key is required).
    #[serde(deserialize_with = "required_value")]
    pub result: Value,
}

fn required_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    Value::deserialize(d)
}

/// Params of `threads.add_structured_input`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadAddStructuredInputParams {
    /// The thread.
    pub thread_id: ThreadId,
    /// The structured input item.
    pub item_id: ItemId,
    /// The answers.
    #[serde(deserialize_with = "object")]
    pub input: StructuredInputSubmission,
}

/// Answers to a structured input item.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StructuredInputSubmission {
    /// `answered` (default) or `skipped`.
    #[serde(default = "answered")]
    pub status: SubmissionStatus,
    /// Answers by question id.
    #[serde(default, deserialize_with = "object_values")]
    pub answers: indexmap::IndexMap<String, AnswerSubmission>,
}

fn answered() -> SubmissionStatus {
    SubmissionStatus::Answered
}

/// Whether the user answered or skipped the whole form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmissionStatus {
    /// Answered.
    #[default]
    Answered,
    /// Skipped.
    Skipped,
}

/// One submitted answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSubmission {
    /// Values.
    #[serde(default)]
    pub values: Vec<String>,
    /// Skipped.
    #[serde(default)]
    pub skipped: bool,
}

/// Params naming a thread and an item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemRefParams {
    /// The thread.
    pub thread_id: ThreadId,
    /// The item.
    pub item_id: ItemId,
}

/// Params naming a thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadRefParams {
    /// The thread.
    pub thread_id: ThreadId,
}

/// Params of `threads.custom_action` and `threads.sync_custom_action`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomActionParams {
    /// The thread.
    pub thread_id: ThreadId,
    /// The widget item that sent the action, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<ItemId>,
    /// The action.
    #[serde(deserialize_with = "object")]
    pub action: Action,
}

/// Params of `threads.list`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListParams {
    /// Page size (missing, `null` or `0` → 20).
    #[serde(default)]
    pub limit: Option<i64>,
    /// Sort order (default `desc`).
    #[serde(default)]
    pub order: Order,
    /// Exclusive cursor.
    #[serde(default)]
    pub after: Option<String>,
}

/// Params of `threads.update`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadUpdateParams {
    /// The thread.
    pub thread_id: ThreadId,
    /// The new title.
    pub title: String,
}

/// Params of `items.list`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemsListParams {
    /// The thread.
    pub thread_id: ThreadId,
    /// Page size (missing, `null` or `0` → 20).
    #[serde(default)]
    pub limit: Option<i64>,
    /// Sort order (default `desc`).
    #[serde(default)]
    pub order: Order,
    /// Exclusive cursor.
    #[serde(default)]
    pub after: Option<String>,
}

/// Params of `items.feedback`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedbackParams {
    /// The thread.
    pub thread_id: ThreadId,
    /// Items rated.
    pub item_ids: Vec<ItemId>,
    /// Thumbs up or down.
    pub kind: FeedbackKind,
}

/// Thumbs up or down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackKind {
    /// Thumbs up.
    Positive,
    /// Thumbs down.
    Negative,
}

/// Params of `attachments.create`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentCreateParams {
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// MIME type.
    pub mime_type: String,
}

/// Params of `attachments.delete`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDeleteParams {
    /// The attachment.
    pub attachment_id: AttachmentId,
}

/// Params of `input.transcribe`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscribeParams {
    /// Audio bytes, base64.
    pub audio_base64: String,
    /// MIME type, possibly with parameters (`audio/webm;codecs=opus`).
    pub mime_type: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_structure_not_strings() {
        let deep = format!("{}{}", "[".repeat(MAX_REQUEST_DEPTH), "]".repeat(MAX_REQUEST_DEPTH));
        assert!(check_depth(deep.as_bytes()).is_ok());
        let deeper = format!("[{deep}]");
        assert!(check_depth(deeper.as_bytes()).unwrap_err().reason.contains("nested deeper than 64"));
        let text = format!(r#"{{"a":"{}\"{}"}}"#, "[".repeat(500), "{".repeat(500));
        assert!(check_depth(text.as_bytes()).is_ok(), "brackets in strings and escaped quotes");
    }

    #[test]
    fn objects_are_never_read_from_arrays() {
        let err = Request::parse(br#"{"type":"threads.list","params":[]}"#).unwrap_err();
        assert_eq!((err.path.as_str(), err.reason.as_str()), ("params", "invalid type: sequence, expected a JSON object"));
        let err = Request::parse(br#"["threads.list",{},{}]"#).unwrap_err();
        assert!(err.reason.contains("expected a JSON object"), "{err}");
        assert!(Request::parse(br#"{"type":"threads.list","params":{}}"#).is_ok());
    }

    #[test]
    fn nested_objects_are_never_read_from_arrays() {
        let input = |content: &str, options: &str| {
            format!(r#"{{"type":"threads.create","params":{{"input":{{"content":{content},"attachments":[],"inference_options":{options}}}}}}}"#)
        };
        let ok = input(r#"[{"type":"input_text","text":"hi"}]"#, r#"{"tool_choice":{"id":"search"}}"#);
        assert!(Request::parse(ok.as_bytes()).is_ok());
        for (body, path) in [
            (input(r#"[["input_text","hi"]]"#, "{}"), "params.input.content[0]"),
            (input(r#"[{"type":"input_text","text":"hi"}]"#, r#"{"tool_choice":["search"]}"#), "params.input.inference_options.tool_choice"),
        ] {
            let err = Request::parse(body.as_bytes()).unwrap_err();
            assert_eq!(err.path, path, "{body}: {err}");
            assert!(err.reason.contains("expected a JSON object"), "{err}");
        }
        let answer = |answers: &str| {
            format!(r#"{{"type":"threads.add_structured_input","params":{{"thread_id":"t","item_id":"i","input":{{"answers":{answers}}}}}}}"#)
        };
        assert!(Request::parse(answer(r#"{"color":{"values":["Red"]}}"#).as_bytes()).is_ok());
        let err = Request::parse(answer(r#"{"color":[["Red"],false]}"#).as_bytes()).unwrap_err();
        assert_eq!(err.path, "params.input.answers.color", "{err}");
        assert!(err.reason.contains("expected a JSON object"), "{err}");
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let body = format!(r#"{{"type":"threads.list","params":{{"order":"{}"}}}}"#, "x".repeat(100_000));
        let err = Request::parse(body.as_bytes()).unwrap_err();
        assert!(err.reason.len() < 300, "{}", err.reason);
        assert!(err.reason.contains("(100000 bytes)"), "{}", err.reason);
        assert_eq!(clip("short", 64), "short");
    }
}
