//! Message content: what users send and what the assistant writes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::IconName;

/// One part of a user message. Only text and entity tags exist: user content cannot be
/// anything else by construction.
///
/// ```
/// use chatkit::UserContent;
/// let part = UserContent::text("hello");
/// assert_eq!(serde_json::to_string(&part).unwrap(), r#"{"type":"input_text","text":"hello"}"#);
/// let tag = UserContent::tag("ent-1", "Ada", serde_json::Map::new());
/// assert_eq!(tag.plain_text(), "@Ada");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum UserContent {
    /// Typed text.
    #[serde(rename = "input_text")]
    Text {
        /// The text.
        text: String,
    },
    /// An @-mention of an entity.
    #[serde(rename = "input_tag")]
    Tag(Tag),
}

impl UserContent {
    /// A text part.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }

    /// An entity tag part.
    pub fn tag(id: impl Into<String>, text: impl Into<String>, data: Map<String, Value>) -> Self {
        Self::Tag(Tag { id: id.into(), text: text.into(), data, group: None, interactive: false })
    }

    /// The part as plain text: text as is, a tag as `@<text>`.
    pub fn plain_text(&self) -> String {
        match self {
            Self::Text { text } => text.clone(),
            Self::Tag(tag) => format!("@{}", tag.text),
        }
    }
}

/// An entity tag (`input_tag`) inside a user message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Entity id.
    pub id: String,
    /// Display text (without `@`).
    pub text: String,
    /// App data attached to the entity.
    pub data: Map<String, Value>,
    /// Group shown in the search menu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Whether clicking the chip calls the client's entity handler.
    #[serde(default)]
    pub interactive: bool,
}

/// Options the user picked in the composer.
///
/// ```
/// use chatkit::InferenceOptions;
/// let options: InferenceOptions = serde_json::from_str(r#"{"tool_choice":{"id":"search"}}"#).unwrap();
/// assert_eq!(options.tool_choice.unwrap().id, "search");
/// assert_eq!(serde_json::to_string(&InferenceOptions::default()).unwrap(), "{}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InferenceOptions {
    /// The composer tool the user selected.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::request::optional_object")]
    pub tool_choice: Option<ToolChoice>,
    /// The model the user selected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// A composer tool selection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolChoice {
    /// Tool id as configured in the client.
    pub id: String,
}

/// One part of an assistant message (`output_text`).
///
/// ```
/// use chatkit::OutputText;
/// let json = serde_json::to_string(&OutputText::new("Hi")).unwrap();
/// assert_eq!(json, r#"{"annotations":[],"text":"Hi","type":"output_text"}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OutputText {
    /// Citations and entity references within the text.
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// The text (markdown).
    pub text: String,
    #[serde(rename = "type", default)]
    kind: OutputTextTag,
}

impl OutputText {
    /// A text part without annotations.
    pub fn new(text: impl Into<String>) -> Self {
        Self { annotations: Vec::new(), text: text.into(), kind: OutputTextTag }
    }

    /// Adds an annotation.
    #[must_use]
    pub fn annotation(mut self, annotation: Annotation) -> Self {
        self.annotations.push(annotation);
        self
    }
}

/// The constant `"output_text"` tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct OutputTextTag;

impl Serialize for OutputTextTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("output_text")
    }
}

impl<'de> Deserialize<'de> for OutputTextTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tag = std::borrow::Cow::<str>::deserialize(d)?;
        if tag == "output_text" {
            Ok(OutputTextTag)
        } else {
            Err(serde::de::Error::custom(format!("expected `output_text`, got `{tag}`")))
        }
    }
}

/// A reference from a span of assistant text to a source.
///
/// ```
/// use chatkit::{Annotation, Source};
/// let a = Annotation::new(Source::url("Docs", "https://example.com")).index(4);
/// assert_eq!(
///     serde_json::to_string(&a).unwrap(),
///     r#"{"type":"annotation","source":{"type":"url","title":"Docs","url":"https://example.com"},"index":4}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "annotation")]
pub struct Annotation {
    /// What is referenced.
    pub source: Source,
    /// Character offset in the text, if anchored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
}

impl Annotation {
    /// An unanchored annotation.
    pub fn new(source: Source) -> Self {
        Self { source, index: None }
    }

    /// Anchors the annotation at a character offset.
    #[must_use]
    pub fn index(mut self, index: u64) -> Self {
        self.index = Some(index);
        self
    }
}

/// The target of an annotation or of a search task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Source {
    /// A web page.
    Url(UrlSource),
    /// A file.
    File(FileSource),
    /// An app entity (clickable, previewable).
    Entity(EntitySource),
}

impl Source {
    /// A URL source.
    pub fn url(title: impl Into<String>, url: impl Into<String>) -> Self {
        Self::Url(UrlSource {
            title: title.into(),
            description: None,
            timestamp: None,
            group: None,
            url: url.into(),
            attribution: None,
        })
    }

    /// A file source titled by its file name.
    pub fn file(filename: impl Into<String>) -> Self {
        let filename = filename.into();
        Self::File(FileSource { title: filename.clone(), description: None, timestamp: None, group: None, filename })
    }
}

/// A web page source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UrlSource {
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Timestamp text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Group label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The URL.
    pub url: String,
    /// Attribution text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

/// A file source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSource {
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Timestamp text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Group label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// File name.
    pub filename: String,
}

/// An app entity source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntitySource {
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Timestamp text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Group label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Entity id.
    pub id: String,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<IconName>,
    /// Label shown when no preview is available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Label shown inline in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_label: Option<String>,
    /// Whether the client's entity click handler applies.
    #[serde(default)]
    pub interactive: bool,
    /// App data.
    #[serde(default)]
    pub data: Map<String, Value>,
    /// Deprecated and ignored by clients; kept for round trips.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
}
