//! Text and content: `Text`, `Title`, `Caption`, `Markdown`, `Label`, `Badge`, `Icon`, `Image`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::values::{
    BackgroundColor, CaptionSize, Color, Dimension, IconSize, Radius, Scalar, Spacing, TextAlign, TextColor, TextSize,
    TextWeight, TitleSize,
};
use crate::IconName;

tokens! {
    /// Color of a `Badge`.
    BadgeColor { Secondary = "secondary", Success = "success", Danger = "danger", Warning = "warning",
        Info = "info", Discovery = "discovery" }
}

tokens! {
    /// Style of a `Badge`.
    BadgeVariant { Solid = "solid", Soft = "soft", Outline = "outline" }
}

tokens! {
    /// Size of a `Badge`.
    BadgeSize { Sm = "sm", Md = "md", Lg = "lg" }
}

tokens! {
    /// How an `Image` fills its box (`object-fit`).
    ImageFit { Cover = "cover", Contain = "contain", Fill = "fill", ScaleDown = "scale-down", None = "none" }
}

tokens! {
    /// Focal point of an `Image` (`object-position`).
    ImagePosition { TopLeft = "top left", Top = "top", TopRight = "top right", Left = "left",
        Center = "center", Right = "right", BottomLeft = "bottom left", Bottom = "bottom",
        BottomRight = "bottom right" }
}

/// The inline input of an editable `Text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EditableField {
    /// Form field name.
    pub name: String,
    /// Focus the input when it appears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_focus: Option<bool>,
    /// Select the text on focus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_select: Option<bool>,
    /// Native autocomplete hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_complete: Option<String>,
    /// Allow password managers and autofill extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_autofill_extensions: Option<bool>,
    /// Validation regex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Required for submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

impl EditableField {
    /// An inline input for the form field `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            auto_focus: None,
            auto_select: None,
            auto_complete: None,
            allow_autofill_extensions: None,
            pattern: None,
            placeholder: None,
            required: None,
        }
    }
}

/// `editable` of a `Text`: `false`, or the inline input's settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Editable {
    /// Not editable (`false`).
    Off,
    /// Editable, as this form field.
    Field(EditableField),
}

impl From<EditableField> for Editable {
    fn from(field: EditableField) -> Self {
        Editable::Field(field)
    }
}

impl Serialize for Editable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Editable::Off => serializer.serialize_bool(false),
            Editable::Field(field) => field.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Editable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Bool(false) => Ok(Editable::Off),
            value @ serde_json::Value::Object(_) => {
                EditableField::deserialize(value).map(Editable::Field).map_err(D::Error::custom)
            }
            _ => Err(D::Error::custom("expected false or {name, placeholder?, required?, …}")),
        }
    }
}

component! {
    /// Plain text with typography controls; `streaming` text grows by deltas.
    ///
    /// ```
    /// use chatkit::widgets::{Text, TextColor, TextSize, TextWeight};
    /// let text = Text::new("Hi").weight(TextWeight::Bold).size(TextSize::Lg).color(TextColor::Secondary).max_lines(2);
    /// assert_eq!(
    ///     serde_json::to_string(&text).unwrap(),
    ///     r#"{"type":"Text","value":"Hi","color":"secondary","weight":"bold","size":"lg","maxLines":2}"#
    /// );
    /// ```
    Text = "Text" (value: Scalar) {
        /// The text.
        value "value": req Scalar,
        /// Show a caret while deltas arrive.
        streaming "streaming": opt bool,
        /// Italic.
        italic "italic": opt bool,
        /// Strike through.
        line_through "lineThrough": opt bool,
        /// Color (the client's default: `prose`).
        color "color": opt Color<TextColor>,
        /// Font weight.
        weight "weight": opt TextWeight,
        /// Width: px or CSS.
        width "width": opt Dimension,
        /// Size.
        size "size": opt TextSize,
        /// Horizontal alignment.
        text_align "textAlign": opt TextAlign,
        /// Truncate with an ellipsis.
        truncate "truncate": opt bool,
        /// Reserve at least this many lines.
        min_lines "minLines": num u32,
        /// Clamp to this many lines.
        max_lines "maxLines": num u32,
        /// Inline editing.
        editable "editable": opt Editable,
    }
}

component! {
    /// A headline.
    ///
    /// ```
    /// use chatkit::widgets::{Title, TitleSize};
    /// assert_eq!(serde_json::to_string(&Title::new("Trip").size(TitleSize::TwoXl)).unwrap(), r#"{"type":"Title","value":"Trip","size":"2xl"}"#);
    /// ```
    Title = "Title" (value: Scalar) {
        /// The text.
        value "value": req Scalar,
        /// Color.
        color "color": opt Color<TextColor>,
        /// Font weight (the client's default: semibold).
        weight "weight": opt TextWeight,
        /// Size.
        size "size": opt TitleSize,
        /// Horizontal alignment.
        text_align "textAlign": opt TextAlign,
        /// Truncate with an ellipsis.
        truncate "truncate": opt bool,
        /// Clamp to this many lines.
        max_lines "maxLines": num u32,
    }
}

component! {
    /// Small supporting text.
    ///
    /// ```
    /// use chatkit::widgets::{Caption, CaptionSize};
    /// assert_eq!(serde_json::to_string(&Caption::new("2 min ago").size(CaptionSize::Sm)).unwrap(), r#"{"type":"Caption","value":"2 min ago","size":"sm"}"#);
    /// ```
    Caption = "Caption" (value: Scalar) {
        /// The text.
        value "value": req Scalar,
        /// Color (the client's default: `secondary`).
        color "color": opt Color<TextColor>,
        /// Font weight.
        weight "weight": opt TextWeight,
        /// Size.
        size "size": opt CaptionSize,
        /// Horizontal alignment.
        text_align "textAlign": opt TextAlign,
        /// Truncate with an ellipsis.
        truncate "truncate": opt bool,
        /// Clamp to this many lines.
        max_lines "maxLines": num u32,
    }
}

component! {
    /// Markdown, rendered like assistant messages; `streaming` markdown grows by deltas.
    ///
    /// ```
    /// use chatkit::widgets::Markdown;
    /// assert_eq!(serde_json::to_string(&Markdown::new("**Done**").streaming(true)).unwrap(), r#"{"type":"Markdown","value":"**Done**","streaming":true}"#);
    /// ```
    Markdown = "Markdown" (value: Scalar) {
        /// Markdown source.
        value "value": req Scalar,
        /// Show a caret while deltas arrive.
        streaming "streaming": opt bool,
    }
}

component! {
    /// A form label bound to the control whose `name` is `fieldName`.
    ///
    /// ```
    /// use chatkit::widgets::{Label, TextWeight};
    /// let label = Label::new("Email", "email").weight(TextWeight::Medium);
    /// assert_eq!(serde_json::to_string(&label).unwrap(), r#"{"type":"Label","value":"Email","fieldName":"email","weight":"medium"}"#);
    /// ```
    Label = "Label" (value: Scalar, field_name: String) {
        /// The text.
        value "value": req Scalar,
        /// `name` of the labelled control.
        field_name "fieldName": req String,
        /// Size.
        size "size": opt TextSize,
        /// Font weight.
        weight "weight": opt TextWeight,
        /// Horizontal alignment.
        text_align "textAlign": opt TextAlign,
        /// Color.
        color "color": opt Color<TextColor>,
    }
}

component! {
    /// A small status or category tag.
    ///
    /// ```
    /// use chatkit::widgets::{Badge, BadgeColor, BadgeVariant};
    /// let badge = Badge::new("Paid").color(BadgeColor::Success).variant(BadgeVariant::Outline).pill(true);
    /// assert_eq!(serde_json::to_string(&badge).unwrap(), r#"{"type":"Badge","label":"Paid","color":"success","variant":"outline","pill":true}"#);
    /// ```
    Badge = "Badge" (label: Scalar) {
        /// The text.
        label "label": req Scalar,
        /// Color.
        color "color": opt BadgeColor,
        /// Style.
        variant "variant": opt BadgeVariant,
        /// Size.
        size "size": opt BadgeSize,
        /// Fully rounded.
        pill "pill": opt bool,
    }
}

component! {
    /// An icon.
    ///
    /// ```
    /// use chatkit::{IconName, widgets::{Icon, IconSize}};
    /// let icon = Icon::new(IconName::MapPin).size(IconSize::Lg);
    /// assert_eq!(serde_json::to_string(&icon).unwrap(), r#"{"type":"Icon","name":"map-pin","size":"lg"}"#);
    /// assert_eq!(Icon::new("lucide:rocket").name, IconName::Other("lucide:rocket".into()));
    /// ```
    Icon = "Icon" (name: IconName) {
        /// Which icon.
        name "name": req IconName,
        /// Color.
        color "color": opt Color<TextColor>,
        /// Size.
        size "size": opt IconSize,
    }
}

component! {
    /// An image.
    ///
    /// ```
    /// use chatkit::widgets::{Image, ImageFit, Radius};
    /// let image = Image::new("https://example.com/cat.png").alt("A cat").fit(ImageFit::Cover).radius(Radius::Md).size(64);
    /// let json = serde_json::to_value(&image).unwrap();
    /// assert_eq!(json["fit"], "cover");
    /// assert_eq!(json["size"], 64);
    /// ```
    Image = "Image" (src: String) {
        /// URL.
        src "src": req String,
        /// Alternative text.
        alt "alt": opt String,
        /// How the image fills its box.
        fit "fit": opt ImageFit,
        /// Focal point.
        position "position": opt ImagePosition,
        /// Corner radius.
        radius "radius": opt Radius,
        /// Draw a subtle frame.
        frame "frame": opt bool,
        /// Extend over the parent's padding.
        flush "flush": opt bool,
        ..sizes,
        /// Outer spacing.
        margin "margin": opt Spacing,
        /// Background color.
        background "background": opt Color<BackgroundColor>,
        /// Aspect ratio: a number or CSS.
        aspect_ratio "aspectRatio": opt Dimension,
        /// Flex factor or CSS `flex`.
        flex "flex": opt Dimension,
    }
}
