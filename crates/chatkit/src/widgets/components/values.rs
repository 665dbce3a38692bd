//! Value types shared by components: tokens, colors, dimensions, spacing, borders, status.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Number;

use crate::IconName;

tokens! {
    /// Corner radius token.
    Radius { TwoXs = "2xs", Xs = "xs", Sm = "sm", Md = "md", Lg = "lg", Xl = "xl", TwoXl = "2xl",
        ThreeXl = "3xl", FourXl = "4xl", Full = "full", Percent100 = "100%", None = "none" }
}

tokens! {
    /// Horizontal text alignment.
    TextAlign { Start = "start", Center = "center", End = "end" }
}

tokens! {
    /// Body text size (`Text`, `Label`).
    TextSize { Xs = "xs", Sm = "sm", Md = "md", Lg = "lg", Xl = "xl" }
}

tokens! {
    /// Icon size.
    IconSize { Xs = "xs", Sm = "sm", Md = "md", Lg = "lg", Xl = "xl", TwoXl = "2xl", ThreeXl = "3xl" }
}

tokens! {
    /// Title text size.
    TitleSize { Sm = "sm", Md = "md", Lg = "lg", Xl = "xl", TwoXl = "2xl", ThreeXl = "3xl",
        FourXl = "4xl", FiveXl = "5xl" }
}

tokens! {
    /// Caption text size.
    CaptionSize { Sm = "sm", Md = "md", Lg = "lg" }
}

tokens! {
    /// Font weight.
    TextWeight { Normal = "normal", Medium = "medium", Semibold = "semibold", Bold = "bold" }
}

tokens! {
    /// Cross-axis alignment of flex children (`align-items`).
    Alignment { Start = "start", Center = "center", End = "end", Baseline = "baseline", Stretch = "stretch" }
}

tokens! {
    /// Main-axis distribution of flex children (`justify-content`).
    Justification { Start = "start", Center = "center", End = "end", Between = "between",
        Around = "around", Evenly = "evenly", Stretch = "stretch" }
}

tokens! {
    /// Flex wrapping.
    FlexWrap { NoWrap = "nowrap", Wrap = "wrap", WrapReverse = "wrap-reverse" }
}

tokens! {
    /// Flex direction.
    Direction { Row = "row", Col = "col" }
}

tokens! {
    /// Forced color scheme of a subtree.
    Theme { Light = "light", Dark = "dark" }
}

tokens! {
    /// Visual style of buttons, selects and date pickers.
    ControlVariant { Solid = "solid", Soft = "soft", Outline = "outline", Ghost = "ghost" }
}

tokens! {
    /// Height of a control.
    ControlSize { ThreeXs = "3xs", TwoXs = "2xs", Xs = "xs", Sm = "sm", Md = "md", Lg = "lg",
        Xl = "xl", TwoXl = "2xl", ThreeXl = "3xl" }
}

tokens! {
    /// Border line style.
    BorderStyle { Solid = "solid", Dashed = "dashed", Dotted = "dotted", Double = "double",
        Groove = "groove", Ridge = "ridge", Inset = "inset", Outset = "outset" }
}

open_tokens! {
    /// Text and icon color token (or any primitive token such as `red-500`, or CSS color).
    TextColor { Prose = "prose", Primary = "primary", Emphasis = "emphasis", Secondary = "secondary",
        Tertiary = "tertiary", Success = "success", Warning = "warning", Danger = "danger" }
}

open_tokens! {
    /// Background color token (or any primitive token such as `gray-100`, or CSS color).
    BackgroundColor { Surface = "surface", SurfaceSecondary = "surface-secondary",
        SurfaceTertiary = "surface-tertiary", SurfaceElevated = "surface-elevated",
        SurfaceElevatedSecondary = "surface-elevated-secondary" }
}

open_tokens! {
    /// Border and divider color token (or any primitive token, or CSS color).
    BorderColor { Default = "default", Subtle = "subtle", Strong = "strong" }
}

open_tokens! {
    /// Chart series color token (or any primitive token, or CSS color).
    ChartColor { Blue = "blue", Purple = "purple", Orange = "orange", Green = "green", Red = "red",
        Yellow = "yellow", Pink = "pink" }
}

/// A color for the light and the dark scheme.
///
/// ```
/// use chatkit::widgets::{Color, TextColor, ThemeColor};
/// let color: Color<TextColor> = ThemeColor::new("orange-700", "orange-100").into();
/// assert_eq!(serde_json::to_string(&color).unwrap(), r#"{"dark":"orange-100","light":"orange-700"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ThemeColor {
    /// Color in the dark scheme.
    pub dark: String,
    /// Color in the light scheme.
    pub light: String,
}

impl ThemeColor {
    /// A color per scheme.
    pub fn new(light: impl Into<String>, dark: impl Into<String>) -> Self {
        Self { dark: dark.into(), light: light.into() }
    }
}

/// A color prop: a token of `T` (which also takes primitive tokens and CSS strings), or a
/// [`ThemeColor`].
///
/// ```
/// use chatkit::widgets::{BackgroundColor, Color};
/// let token: Color<BackgroundColor> = BackgroundColor::SurfaceSecondary.into();
/// let css: Color<BackgroundColor> = "#ff0000".into();
/// assert_eq!(serde_json::to_value(&token).unwrap(), "surface-secondary");
/// assert_eq!(css, Color::Token(BackgroundColor::Other("#ff0000".into())));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Color<T> {
    /// A token, primitive token or CSS string.
    Token(T),
    /// A color per scheme.
    Theme(ThemeColor),
}

impl<T> From<T> for Color<T> {
    fn from(token: T) -> Self {
        Color::Token(token)
    }
}

macro_rules! color_conversions {
    ($($token:ty),+) => {$(
        impl From<&str> for Color<$token> {
            fn from(value: &str) -> Self {
                Color::Token(value.into())
            }
        }

        impl From<String> for Color<$token> {
            fn from(value: String) -> Self {
                Color::Token(value.into())
            }
        }

        impl From<ThemeColor> for Color<$token> {
            fn from(value: ThemeColor) -> Self {
                Color::Theme(value)
            }
        }
    )+};
}

color_conversions!(TextColor, BackgroundColor, BorderColor, ChartColor);

impl<T: Serialize> Serialize for Color<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Color::Token(token) => token.serialize(serializer),
            Color::Theme(theme) => theme.serialize(serializer),
        }
    }
}

impl<'de, T: From<String>> Deserialize<'de> for Color<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColorVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: From<String>> Visitor<'de> for ColorVisitor<T> {
            type Value = Color<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a color token, a CSS color or {\"light\": …, \"dark\": …}")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Color<T>, E> {
                Ok(Color::Token(T::from(value.to_owned())))
            }

            fn visit_string<E: de::Error>(self, value: String) -> Result<Color<T>, E> {
                Ok(Color::Token(T::from(value)))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Color<T>, A::Error> {
                ThemeColor::deserialize(de::value::MapAccessDeserializer::new(map)).map(Color::Theme)
            }
        }

        deserializer.deserialize_any(ColorVisitor(std::marker::PhantomData))
    }
}

/// Declares a "number or string" value type that keeps the number exactly as written.
macro_rules! number_or_string {
    ($(#[$meta:meta])* $name:ident, $string:ident, $expecting:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            /// A number (kept as written: `1` stays `1`, `1.5` stays `1.5`).
            Number(Number),
            /// A string.
            $string(String),
        }

        impl From<i32> for $name {
            fn from(value: i32) -> Self {
                Self::Number(value.into())
            }
        }

        impl From<u32> for $name {
            fn from(value: u32) -> Self {
                Self::Number(value.into())
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                Self::Number(value.into())
            }
        }

        impl From<u64> for $name {
            fn from(value: u64) -> Self {
                Self::Number(value.into())
            }
        }

        /// A non-finite float (not representable in JSON) becomes its string form.
        impl From<f64> for $name {
            fn from(value: f64) -> Self {
                Number::from_f64(value).map_or_else(|| Self::$string(value.to_string()), Self::Number)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::$string(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::$string(value)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::Number(number) => number.serialize(serializer),
                    Self::$string(text) => serializer.serialize_str(text),
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(NumberOrStringVisitor($expecting)).map(|value| match value {
                    NumberOrString::Number(number) => Self::Number(number),
                    NumberOrString::String(text) => Self::$string(text),
                })
            }
        }
    };
}

enum NumberOrString {
    Number(Number),
    String(String),
}

struct NumberOrStringVisitor(&'static str);

impl<'de> Visitor<'de> for NumberOrStringVisitor {
    type Value = NumberOrString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<NumberOrString, E> {
        Ok(NumberOrString::Number(value.into()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<NumberOrString, E> {
        Ok(NumberOrString::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<NumberOrString, E> {
        Number::from_f64(value)
            .map(NumberOrString::Number)
            .ok_or_else(|| E::custom("a number must be finite"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<NumberOrString, E> {
        Ok(NumberOrString::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<NumberOrString, E> {
        Ok(NumberOrString::String(value))
    }
}

number_or_string! {
    /// A length, flex factor or aspect ratio: a number (px, spacing units or a ratio, per
    /// prop) or a CSS string.
    ///
    /// ```
    /// use chatkit::widgets::Dimension;
    /// assert_eq!(serde_json::to_string(&Dimension::from(12)).unwrap(), "12");
    /// assert_eq!(serde_json::to_string(&Dimension::from("50%")).unwrap(), r#""50%""#);
    /// ```
    Dimension, Css, "a number or a CSS string"
}

number_or_string! {
    /// A string or a number: a chart data value, or the text of a `Text`, `Title`, `Caption`,
    /// `Markdown`, `Label` or `Badge` (templates often render numbers there, and the reference
    /// passes them on as numbers).
    ///
    /// ```
    /// use chatkit::widgets::{Scalar, Text};
    /// assert_eq!(Text::new("Hi").value, Scalar::from("Hi"));
    /// assert_eq!(Text::new(42).value.to_string(), "42");
    /// assert_eq!(serde_json::to_string(&Text::new(2.5)).unwrap(), r#"{"type":"Text","value":2.5}"#);
    /// ```
    Scalar, String, "a string or a number"
}

impl Scalar {
    /// The string, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::String(text) => Some(text),
            Scalar::Number(_) => None,
        }
    }
}

/// The text as shown: the string, or the number as JSON writes it.
impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::String(text) => f.write_str(text),
            Scalar::Number(number) => write!(f, "{number}"),
        }
    }
}

impl PartialEq<str> for Scalar {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Scalar {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// Spacing (`padding`, `margin`): one value for every side, or per side.
///
/// ```
/// use chatkit::widgets::{Spacing, SpacingSides};
/// let padding = Spacing::from(SpacingSides::new().x(4).y(2));
/// assert_eq!(serde_json::to_string(&padding).unwrap(), r#"{"x":4,"y":2}"#);
/// assert_eq!(serde_json::to_string(&Spacing::from(3)).unwrap(), "3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Spacing {
    /// Every side: spacing units (number) or CSS.
    All(Dimension),
    /// Per side.
    Sides(SpacingSides),
}

/// Spacing per side; sides beat `x`/`y`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpacingSides {
    /// Top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<Dimension>,
    /// Right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<Dimension>,
    /// Bottom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottom: Option<Dimension>,
    /// Left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<Dimension>,
    /// Left and right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<Dimension>,
    /// Top and bottom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<Dimension>,
}

macro_rules! side_setters {
    ($ty:ty, $value:ty; $($side:ident),+) => {
        $(
            #[doc = concat!("Sets `", stringify!($side), "`.")]
            #[must_use]
            pub fn $side(mut self, value: impl Into<$value>) -> Self {
                self.$side = Some(value.into());
                self
            }
        )+
    };
}

impl SpacingSides {
    /// No side set.
    pub fn new() -> Self {
        Self::default()
    }

    side_setters!(SpacingSides, Dimension; top, right, bottom, left, x, y);
}

impl<T: Into<Dimension>> From<T> for Spacing {
    fn from(value: T) -> Self {
        Spacing::All(value.into())
    }
}

impl From<SpacingSides> for Spacing {
    fn from(sides: SpacingSides) -> Self {
        Spacing::Sides(sides)
    }
}

impl Serialize for Spacing {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Spacing::All(value) => value.serialize(serializer),
            Spacing::Sides(sides) => sides.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Spacing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpacingVisitor;

        impl<'de> Visitor<'de> for SpacingVisitor {
            type Value = Spacing;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, a CSS string or {top, right, bottom, left, x, y}")
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Spacing, E> {
                NumberOrStringVisitor("").visit_u64(value).map(number_spacing)
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Spacing, E> {
                NumberOrStringVisitor("").visit_i64(value).map(number_spacing)
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Spacing, E> {
                NumberOrStringVisitor("").visit_f64(value).map(number_spacing)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Spacing, E> {
                Ok(Spacing::All(Dimension::Css(value.to_owned())))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Spacing, A::Error> {
                SpacingSides::deserialize(de::value::MapAccessDeserializer::new(map)).map(Spacing::Sides)
            }
        }

        fn number_spacing(value: NumberOrString) -> Spacing {
            match value {
                NumberOrString::Number(number) => Spacing::All(Dimension::Number(number)),
                NumberOrString::String(text) => Spacing::All(Dimension::Css(text)),
            }
        }

        deserializer.deserialize_any(SpacingVisitor)
    }
}

/// A border line.
///
/// ```
/// use chatkit::widgets::{Border, BorderColor, BorderStyle};
/// let border = Border::new(1).color(BorderColor::Subtle).style(BorderStyle::Dashed);
/// assert_eq!(serde_json::to_string(&border).unwrap(), r#"{"size":1,"color":"subtle","style":"dashed"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Border {
    /// Thickness in px.
    pub size: u32,
    /// Color: border token (`default`, `subtle`, `strong`), primitive token, CSS or per scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Color<BorderColor>>,
    /// Line style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<BorderStyle>,
}

impl Border {
    /// A solid line of `size` px.
    pub fn new(size: u32) -> Self {
        Self { size, color: None, style: None }
    }

    /// Sets the color.
    #[must_use]
    pub fn color(mut self, color: impl Into<Color<BorderColor>>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// Sets the line style.
    #[must_use]
    pub fn style(mut self, style: BorderStyle) -> Self {
        self.style = Some(style);
        self
    }
}

/// One edge of a per-side border: a width in px or a [`Border`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BorderSide {
    /// Width in px (solid, `default` color).
    Width(u32),
    /// A border line.
    Line(Border),
}

impl From<u32> for BorderSide {
    fn from(width: u32) -> Self {
        BorderSide::Width(width)
    }
}

impl From<Border> for BorderSide {
    fn from(border: Border) -> Self {
        BorderSide::Line(border)
    }
}

/// Borders per side; sides beat `x`/`y`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BorderSides {
    /// Top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<BorderSide>,
    /// Right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<BorderSide>,
    /// Bottom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottom: Option<BorderSide>,
    /// Left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<BorderSide>,
    /// Left and right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<BorderSide>,
    /// Top and bottom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<BorderSide>,
}

impl BorderSides {
    /// No side set.
    pub fn new() -> Self {
        Self::default()
    }

    side_setters!(BorderSides, BorderSide; top, right, bottom, left, x, y);
}

/// A `border` prop: a width in px, one [`Border`] for every side, or [`BorderSides`].
///
/// ```
/// use chatkit::widgets::{Border, BorderSides, Borders};
/// let left = Borders::from(BorderSides::new().left(Border::new(5).color("red-500")));
/// assert_eq!(serde_json::to_string(&left).unwrap(), r#"{"left":{"size":5,"color":"red-500"}}"#);
/// assert_eq!(serde_json::from_str::<Borders>("1").unwrap(), Borders::Width(1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::large_enum_variant, reason = "props are built once; boxing would only complicate matching")]
pub enum Borders {
    /// Width in px (solid, `default` color).
    Width(u32),
    /// The same line on every side.
    All(Border),
    /// Per side.
    Sides(BorderSides),
}

impl From<u32> for Borders {
    fn from(width: u32) -> Self {
        Borders::Width(width)
    }
}

impl From<Border> for Borders {
    fn from(border: Border) -> Self {
        Borders::All(border)
    }
}

impl From<BorderSides> for Borders {
    fn from(sides: BorderSides) -> Self {
        Borders::Sides(sides)
    }
}

impl Serialize for Borders {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Borders::Width(width) => width.serialize(serializer),
            Borders::All(border) => border.serialize(serializer),
            Borders::Sides(sides) => sides.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Borders {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        // A `Border` has a `size`; per-side borders never do.
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Object(map) if map.contains_key("size") => {
                Border::deserialize(serde_json::Value::Object(map)).map(Borders::All).map_err(D::Error::custom)
            }
            value @ serde_json::Value::Object(_) => {
                BorderSides::deserialize(value).map(Borders::Sides).map_err(D::Error::custom)
            }
            value => u32::deserialize(value).map(Borders::Width).map_err(|_| {
                D::Error::custom("expected a width in px, {size, color?, style?} or per-side borders")
            }),
        }
    }
}

/// The status line above a `Card` or `ListView`: text with an icon or a favicon.
///
/// ```
/// use chatkit::{IconName, widgets::WidgetStatus};
/// let status = WidgetStatus::new("Done").icon(IconName::CheckCircle);
/// assert_eq!(serde_json::to_string(&status).unwrap(), r#"{"text":"Done","icon":"check-circle"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WidgetStatus {
    /// Status text.
    pub text: String,
    /// URL of a favicon shown before the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favicon: Option<String>,
    /// Frame the favicon for contrast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<bool>,
    /// Icon shown before the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<IconName>,
}

impl WidgetStatus {
    /// A status with text only.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into(), favicon: None, frame: None, icon: None }
    }

    /// Shows an icon before the text.
    #[must_use]
    pub fn icon(mut self, icon: impl Into<IconName>) -> Self {
        self.icon = Some(icon.into());
        self
    }

    /// Shows a favicon (URL) before the text.
    #[must_use]
    pub fn favicon(mut self, url: impl Into<String>) -> Self {
        self.favicon = Some(url.into());
        self
    }

    /// Frames the favicon.
    #[must_use]
    pub fn frame(mut self, frame: bool) -> Self {
        self.frame = Some(frame);
        self
    }
}

impl From<&str> for WidgetStatus {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for WidgetStatus {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_keep_their_form() {
        for text in ["1", "1.5", "-2", "1.0", "\"50%\""] {
            let value: Dimension = serde_json::from_str(text).expect("parses");
            assert_eq!(serde_json::to_string(&value).expect("serializes"), text);
        }
        assert!(serde_json::from_str::<Dimension>("true").unwrap_err().to_string().contains("a number or a CSS string"));
        assert_eq!(Dimension::from(f64::NAN), Dimension::Css("NaN".into()));
    }

    #[test]
    fn colors_take_tokens_css_and_themes() {
        let parse = |v: serde_json::Value| serde_json::from_value::<Color<TextColor>>(v).expect("parses");
        assert_eq!(parse(json!("secondary")), Color::Token(TextColor::Secondary));
        assert_eq!(parse(json!("red-100")), Color::Token(TextColor::Other("red-100".into())));
        assert_eq!(parse(json!({"light": "a", "dark": "b"})), Color::Theme(ThemeColor::new("a", "b")));
        assert!(serde_json::from_value::<Color<TextColor>>(json!({"light": "a"})).is_err());
        assert!(serde_json::from_value::<Color<TextColor>>(json!(3)).is_err());
        assert!(TextColor::from("prose").is_known());
        assert_eq!(TextColor::KNOWN.len(), 8);
    }

    #[test]
    fn spacing_and_borders_round_trip() {
        for value in [json!(2), json!("1rem"), json!({"x": 5, "top": 2}), json!(1.5)] {
            let spacing: Spacing = serde_json::from_value(value.clone()).expect("parses");
            assert_eq!(serde_json::to_value(&spacing).expect("serializes"), value);
        }
        for value in [
            json!(1),
            json!({"size": 1, "color": "default", "style": "dashed"}),
            json!({"left": {"color": "color 0", "size": 5}, "top": 1}),
        ] {
            let borders: Borders = serde_json::from_value(value.clone()).expect("parses");
            assert_eq!(serde_json::to_value(&borders).expect("serializes"), value);
        }
        assert!(serde_json::from_value::<Borders>(json!("thick")).is_err());
        assert!(serde_json::from_value::<Borders>(json!({"size": 1, "style": "wavy"})).is_err());
    }

    #[test]
    fn tokens_are_closed() {
        assert_eq!(serde_json::to_string(&Radius::Percent100).expect("serializes"), r#""100%""#);
        assert!(serde_json::from_value::<TextSize>(json!("huge")).is_err());
        assert_eq!(ControlSize::ALL.len(), 9);
        assert_eq!(TitleSize::FiveXl.to_string(), "5xl");
    }
}
