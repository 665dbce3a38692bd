//! Typed widget components with builders.
//!
//! Every component of the reference is a struct with public props and consuming builders;
//! [`Component`] is any of them (by `type`), [`Widget`] is a typed root. Their JSON is the
//! reference's: `type` always written, unset props left out, prop names as on the wire. Props
//! this library does not know are kept in each component's `extra`, and unknown component
//! types are kept as [`CustomComponent`], so every widget the reference accepts parses and
//! serializes back unchanged.
//!
//! ```
//! use chatkit::{Action, WidgetRoot};
//! use chatkit::widgets::{Button, Card, Row, Text, TextWeight};
//!
//! let card = Card::new()
//!     .child(Text::new("Count: 0").id("count").weight(TextWeight::Bold))
//!     .child(Row::new().child(Button::new("Add").on_click_action(Action::of("counter.add"))));
//! let root = WidgetRoot::from(card); // what `Turn::show_widget` and the store take
//! assert_eq!(root.find("count").unwrap()["value"], "Count: 0");
//! ```

mod content;
mod controls;
mod data;
mod layout;
mod roots;
mod values;

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

pub use content::{
    Badge, BadgeColor, BadgeSize, BadgeVariant, Caption, Editable, EditableField, Icon, Image, ImageFit,
    ImagePosition, Label, Markdown, Text, Title,
};
pub use controls::{
    Button, ButtonColor, ButtonIconSize, ButtonStyle, Checkbox, DatePicker, GutterSize, Input, InputType,
    InputVariant, PopoverAlign, PopoverSide, RadioGroup, RadioOption, Select, SelectOption, Textarea,
};
pub use data::{CellAlign, Chart, ChartRow, ColSize, CurveType, Series, SeriesProps, Table, TableCell, TableRow, XAxis, XAxisConfig};
pub use layout::{Col, Divider, Form, Row, Spacer, Transition, WidgetBox};
pub use roots::{Basic, Card, CardAction, CardSize, Limit, ListView, ListViewItem};
pub use values::{
    Alignment, BackgroundColor, Border, BorderColor, BorderSide, BorderSides, BorderStyle, Borders, CaptionSize,
    ChartColor, Color, ControlSize, ControlVariant, Scalar, Dimension, Direction, FlexWrap, IconSize,
    Justification, Radius, Spacing, SpacingSides, TextAlign, TextColor, TextSize, TextWeight, Theme, ThemeColor,
    TitleSize, WidgetStatus,
};

use super::{InvalidWidget, WidgetPath, WidgetRoot};

/// Declares [`Component`] from the list of component types: the enum, dispatch on `type`,
/// serialization (each component writes its own `type`) and `From` conversions.
macro_rules! components {
    ($($variant:ident($ty:ty)),+ $(,)?) => {
        /// Any widget component, by its `type` (internally tagged: the `type` member picks the
        /// variant). Unknown types are kept as [`Component::Custom`].
        ///
        /// ```
        /// use chatkit::widgets::{Component, Text};
        /// let node: Component = serde_json::from_str(r#"{"type":"Text","value":"Hi","size":"sm"}"#).unwrap();
        /// assert_eq!(node, Component::Text(Text::new("Hi").size(chatkit::widgets::TextSize::Sm)));
        /// let odd: Component = serde_json::from_str(r#"{"type":"Sparkline","points":[1,2]}"#).unwrap();
        /// assert_eq!(odd.kind(), "Sparkline");
        /// ```
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant, reason = "trees are built once; boxing would only complicate matching")]
        pub enum Component {
            $(
                #[doc = concat!("`", stringify!($variant), "`.")]
                $variant($ty),
            )+
            /// A component type this library does not know, kept verbatim.
            Custom(CustomComponent),
        }

        impl Component {
            /// The component's `type` on the wire.
            pub fn kind(&self) -> &str {
                match self {
                    $(Component::$variant(_) => <$ty>::TYPE,)+
                    Component::Custom(custom) => custom.kind(),
                }
            }

            /// Whether `kind` is a component type this library models.
            pub fn is_known_type(kind: &str) -> bool {
                matches!(kind, $(<$ty>::TYPE)|+)
            }

            /// Deserializes the component of type `kind` from a deserializer holding it.
            fn deserialize_as<'de, D: Deserializer<'de>>(kind: &str, deserializer: D) -> Result<Self, D::Error> {
                $(
                    if kind == <$ty>::TYPE {
                        return <$ty>::deserialize(deserializer).map(Component::$variant);
                    }
                )+
                CustomComponent::deserialize(deserializer).map(Component::Custom)
            }
        }

        impl Serialize for Component {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Component::$variant(component) => component.serialize(serializer),)+
                    Component::Custom(custom) => custom.serialize(serializer),
                }
            }
        }

        $(
            impl From<$ty> for Component {
                fn from(component: $ty) -> Self {
                    Component::$variant(component)
                }
            }
        )+
    };
}

components! {
    Card(Card),
    ListView(ListView),
    Basic(Basic),
    ListViewItem(ListViewItem),
    Box(WidgetBox),
    Row(Row),
    Col(Col),
    Form(Form),
    Spacer(Spacer),
    Divider(Divider),
    Transition(Transition),
    Text(Text),
    Title(Title),
    Caption(Caption),
    Markdown(Markdown),
    Label(Label),
    Badge(Badge),
    Icon(Icon),
    Image(Image),
    Button(Button),
    Input(Input),
    Textarea(Textarea),
    Select(Select),
    DatePicker(DatePicker),
    Checkbox(Checkbox),
    RadioGroup(RadioGroup),
    Chart(Chart),
    Table(Table),
    TableRow(TableRow),
    TableCell(TableCell),
}

impl From<CustomComponent> for Component {
    fn from(custom: CustomComponent) -> Self {
        Component::Custom(custom)
    }
}

impl From<Widget> for Component {
    fn from(widget: Widget) -> Self {
        match widget {
            Widget::Card(card) => Component::Card(card),
            Widget::ListView(list) => Component::ListView(list),
            Widget::Basic(basic) => Component::Basic(basic),
        }
    }
}

impl Component {
    /// Parses a component, with an error that points at the offending member
    /// (`children[2].onClickAction.type: …`).
    pub fn from_value(value: Value) -> Result<Self, WidgetParseError> {
        Self::deserialize(&value).map_err(|err| locate(&value, None).unwrap_or_else(|| WidgetParseError::at_root(err)))
    }
}

impl<'de> Deserialize<'de> for Component {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let kind = component_type(&value).map_err(D::Error::custom)?.to_owned();
        Component::deserialize_as(&kind, value).map_err(D::Error::custom)
    }
}

/// A component of a type this library does not model (the reference passes unknown types
/// through): its JSON object, `type` included, kept verbatim.
///
/// ```
/// use chatkit::widgets::CustomComponent;
/// let custom = CustomComponent::new("Sparkline").prop("points", serde_json::json!([1, 2]));
/// assert_eq!(serde_json::to_string(&custom).unwrap(), r#"{"type":"Sparkline","points":[1,2]}"#);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CustomComponent(Map<String, Value>);

impl CustomComponent {
    /// A component of type `kind` without props.
    pub fn new(kind: impl Into<String>) -> Self {
        let mut map = Map::new();
        map.insert("type".into(), Value::String(kind.into()));
        Self(map)
    }

    /// Sets a prop (`null` removes it: unset props are left out).
    #[must_use]
    pub fn prop(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let (name, value) = (name.into(), value.into());
        if name != "type" {
            if value.is_null() {
                self.0.shift_remove(&name);
            } else {
                self.0.insert(name, value);
            }
        }
        self
    }

    /// The component's `type`.
    pub fn kind(&self) -> &str {
        self.0.get("type").and_then(Value::as_str).unwrap_or_default()
    }

    /// The component as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl Serialize for CustomComponent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CustomComponent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        component_type(&value).map_err(D::Error::custom)?;
        let Value::Object(mut map) = value else { unreachable!("component_type accepts objects only") };
        map.retain(|_, v| !v.is_null());
        Ok(Self(map))
    }
}

/// The `type` of a component's JSON.
fn component_type(value: &Value) -> Result<&str, String> {
    let Value::Object(map) = value else {
        return Err(format!("a component must be a JSON object, not {}", json_kind(value)));
    };
    match map.get("type") {
        Some(Value::String(kind)) => Ok(kind),
        None => Err("every component needs a `type`".to_owned()),
        Some(other) => Err(format!("`type` must be a string, not {}", json_kind(other))),
    }
}

/// A typed widget root: `Card`, `ListView` or `Basic`.
///
/// Converts into the untyped [`WidgetRoot`] that items, events and stores carry, and back:
///
/// ```
/// use chatkit::WidgetRoot;
/// use chatkit::widgets::{Card, Text, Widget};
///
/// let root: WidgetRoot = Card::new().child(Text::new("Hi")).into();
/// let Widget::Card(card) = Widget::try_from(&root).unwrap() else { unreachable!() };
/// assert_eq!(card.children.len(), 1);
///
/// let err = Widget::from_value(serde_json::json!({
///     "type": "Card",
///     "children": [{"type": "Text", "value": "a"}, {"type": "Button", "onClickAction": {"payload": 1}}]
/// })).unwrap_err();
/// assert_eq!(err.to_string(), "children[1].onClickAction: missing field `type`");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant, reason = "trees are built once; boxing would only complicate matching")]
pub enum Widget {
    /// A card.
    Card(Card),
    /// A list.
    ListView(ListView),
    /// A root without chrome.
    Basic(Basic),
}

impl Widget {
    /// The root type: `Card`, `ListView` or `Basic`.
    pub fn kind(&self) -> &'static str {
        match self {
            Widget::Card(_) => Card::TYPE,
            Widget::ListView(_) => ListView::TYPE,
            Widget::Basic(_) => Basic::TYPE,
        }
    }

    /// Parses a widget root, with an error that points at the offending member.
    pub fn from_value(value: Value) -> Result<Self, WidgetParseError> {
        Self::deserialize(&value).map_err(|err| locate_root(&value).unwrap_or_else(|| WidgetParseError::at_root(err)))
    }

    /// The widget as JSON.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("widgets serialize to JSON: every map key is a string")
    }
}

impl Serialize for Widget {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Widget::Card(card) => card.serialize(serializer),
            Widget::ListView(list) => list.serialize(serializer),
            Widget::Basic(basic) => basic.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Widget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match component_type(&value).map_err(D::Error::custom)? {
            Card::TYPE => Card::deserialize(value).map(Widget::Card),
            ListView::TYPE => ListView::deserialize(value).map(Widget::ListView),
            Basic::TYPE => Basic::deserialize(value).map(Widget::Basic),
            other => return Err(D::Error::custom(not_a_root(other))),
        }
        .map_err(D::Error::custom)
    }
}

fn not_a_root(kind: &str) -> String {
    format!("`{kind}` cannot be a widget root; use Card, ListView or Basic")
}

macro_rules! root_conversions {
    ($($ty:ident),+) => {$(
        impl From<$ty> for Widget {
            fn from(root: $ty) -> Self {
                Widget::$ty(root)
            }
        }

        impl From<$ty> for WidgetRoot {
            fn from(root: $ty) -> Self {
                Widget::$ty(root).into()
            }
        }
    )+};
}

root_conversions!(Card, ListView, Basic);

impl From<Widget> for WidgetRoot {
    fn from(widget: Widget) -> Self {
        WidgetRoot::from_value(widget.to_value()).expect("a typed widget serializes to a valid root")
    }
}

impl TryFrom<&WidgetRoot> for Widget {
    type Error = WidgetParseError;

    fn try_from(root: &WidgetRoot) -> Result<Self, WidgetParseError> {
        Widget::from_value(root.to_value())
    }
}

impl TryFrom<WidgetRoot> for Widget {
    type Error = WidgetParseError;

    fn try_from(root: WidgetRoot) -> Result<Self, WidgetParseError> {
        Widget::from_value(root.into_value())
    }
}

impl From<WidgetParseError> for InvalidWidget {
    fn from(err: WidgetParseError) -> Self {
        InvalidWidget(err.to_string())
    }
}

/// Widget JSON that does not fit the typed components; names the member (`children[2].size`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct WidgetParseError {
    /// Where in the tree.
    pub path: WidgetPath,
    /// What is wrong there.
    pub reason: String,
}

impl WidgetParseError {
    fn at_root(err: impl fmt::Display) -> Self {
        Self { path: WidgetPath::default(), reason: err.to_string() }
    }
}

/// Finds the first member of a root that does not parse (only called once parsing failed).
fn locate_root(value: &Value) -> Option<WidgetParseError> {
    let kind = match component_type(value) {
        Ok(kind) => kind,
        Err(reason) => return Some(locate(value, None).unwrap_or_else(|| WidgetParseError::at_root(reason))),
    };
    if ![Card::TYPE, ListView::TYPE, Basic::TYPE].contains(&kind) {
        let mut path = WidgetPath::default();
        path.push_key("type");
        return Some(WidgetParseError { path, reason: not_a_root(kind) });
    }
    locate(value, None)
}

/// Finds the first member of a component that does not parse: children first (depth first),
/// then the component's own props, each parsed through `serde_path_to_error`.
fn locate(value: &Value, expected: Option<&str>) -> Option<WidgetParseError> {
    let mut path = WidgetPath::default();
    locate_at(value, expected, &mut path).map(|(path, reason)| WidgetParseError { path, reason })
}

fn locate_at(value: &Value, expected: Option<&str>, path: &mut WidgetPath) -> Option<(WidgetPath, String)> {
    let kind = match component_type(value) {
        Ok(kind) => kind,
        Err(reason) => {
            if value.is_object() {
                path.push_key("type");
            }
            return Some((path.clone(), reason));
        }
    };
    if let Some(expected) = expected.filter(|expected| *expected != kind) {
        path.push_key("type");
        return Some((path.clone(), format!("expected a `{expected}` component, found `{kind}`")));
    }
    if !Component::is_known_type(kind) {
        return None; // kept verbatim, children included
    }
    let child_type = match kind {
        ListView::TYPE => Some(ListViewItem::TYPE),
        Table::TYPE => Some(TableRow::TYPE),
        TableRow::TYPE => Some(TableCell::TYPE),
        _ => None,
    };
    let mut own = value.as_object().cloned().unwrap_or_default();
    match own.get("children") {
        Some(Value::Array(children)) => {
            path.push_key("children");
            for (index, child) in children.iter().enumerate() {
                path.push_index(index);
                if let Some(found) = locate_at(child, child_type, path) {
                    return Some(found);
                }
                path.pop();
            }
            path.pop();
            own.insert("children".into(), Value::Array(Vec::new()));
        }
        Some(child @ Value::Object(_)) if kind == Transition::TYPE => {
            path.push_key("children");
            if let Some(found) = locate_at(child, None, path) {
                return Some(found);
            }
            path.pop();
            own.shift_remove("children");
        }
        _ => {}
    }
    let mut track = serde_path_to_error::Track::new();
    let result = Component::deserialize_as(kind, serde_path_to_error::Deserializer::new(Value::Object(own), &mut track));
    let err = result.err()?;
    for segment in &track.path() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => path.push_index(*index),
            serde_path_to_error::Segment::Map { key } => path.push_key(key),
            serde_path_to_error::Segment::Enum { variant } => path.push_key(variant),
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    Some((path.clone(), err.to_string()))
}

/// The JSON kind of a value, for messages.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
