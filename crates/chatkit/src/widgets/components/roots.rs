//! Roots (`Card`, `ListView`, `Basic`) and the rows of a `ListView`.

use serde::{Deserialize, Serialize};

use super::values::{Alignment, BackgroundColor, Borders, Color, Dimension, Direction, Justification, Spacing, Theme, WidgetStatus};
use super::Component;
use crate::Action;

tokens! {
    /// Width of a `Card`.
    CardSize { Sm = "sm", Md = "md", Lg = "lg", Full = "full" }
}

/// A footer button of a `Card` (`confirm`, `cancel`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CardAction {
    /// Button label.
    pub label: String,
    /// What the button does.
    pub action: Action,
}

impl CardAction {
    /// A footer button.
    pub fn new(label: impl Into<String>, action: Action) -> Self {
        Self { label: label.into(), action }
    }
}

/// How many `ListView` rows show before "Show more".
///
/// ```
/// use chatkit::widgets::Limit;
/// assert_eq!(serde_json::to_string(&Limit::Auto).unwrap(), r#""auto""#);
/// assert_eq!(serde_json::from_str::<Limit>("3").unwrap(), Limit::Count(3));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// This many rows.
    Count(u32),
    /// The client's choice (`"auto"`).
    Auto,
}

impl Serialize for Limit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Limit::Count(count) => serializer.serialize_u32(*count),
            Limit::Auto => serializer.serialize_str("auto"),
        }
    }
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) if text == "auto" => Ok(Limit::Auto),
            value => u32::deserialize(value)
                .map(Limit::Count)
                .map_err(|_| D::Error::custom("expected a row count or \"auto\"")),
        }
    }
}

impl From<u32> for Limit {
    fn from(count: u32) -> Self {
        Limit::Count(count)
    }
}

component! {
    /// A bordered, padded surface: the usual widget root.
    ///
    /// ```
    /// use chatkit::{Action, widgets::{Card, CardAction, CardSize, Text}};
    /// let card = Card::new()
    ///     .size(CardSize::Sm)
    ///     .child(Text::new("Delete the draft?"))
    ///     .confirm(CardAction::new("Delete", Action::of("draft.delete")));
    /// assert_eq!(
    ///     serde_json::to_string(&card).unwrap(),
    ///     r#"{"type":"Card","children":[{"type":"Text","value":"Delete the draft?"}],"size":"sm","confirm":{"label":"Delete","action":{"type":"draft.delete"}}}"#
    /// );
    #[derive(Default)]
    /// ```
    Card = "Card" () {
        /// Treat the card as a form: confirm/cancel collect its fields.
        as_form "asForm": opt bool,
        /// Child components.
        children "children": list Vec<Component>,
        /// Background color.
        background "background": opt Color<BackgroundColor>,
        /// Width of the card.
        size "size": opt CardSize,
        /// Inner spacing.
        padding "padding": opt Spacing,
        /// Status line above the card.
        status "status": opt WidgetStatus,
        /// Collapse the body once the main action is done.
        collapsed "collapsed": opt bool,
        /// Confirm button in the footer.
        confirm "confirm": opt CardAction,
        /// Cancel button in the footer.
        cancel "cancel": opt CardAction,
        /// Force a color scheme for the subtree.
        theme "theme": opt Theme,
        /// Border (JS client types only).
        border "border": opt Borders,
    }
}

children_builders!(Card, list Component);

component! {
    /// A list of rows ([`ListViewItem`]), with "Show more" past `limit`.
    ///
    /// ```
    /// use chatkit::{Action, widgets::{Limit, ListView, ListViewItem, Text}};
    /// let list = ListView::new()
    ///     .limit(Limit::Auto)
    ///     .child(ListViewItem::new().child(Text::new("Red line")).on_click_action(Action::of("line.red")));
    /// let json = serde_json::to_value(&list).unwrap();
    /// assert_eq!(json["children"][0]["onClickAction"]["type"], "line.red");
    #[derive(Default)]
    /// ```
    ListView = "ListView" () {
        /// The rows.
        children "children": list Vec<ListViewItem>,
        /// How many rows show before "Show more".
        limit "limit": opt Limit,
        /// Status line above the list.
        status "status": opt WidgetStatus,
        /// Force a color scheme for the subtree.
        theme "theme": opt Theme,
    }
}

children_builders!(ListView, list ListViewItem);

component! {
    /// One row of a [`ListView`]; with an action the whole row is a button.
    ///
    /// ```
    /// use chatkit::widgets::{Alignment, ListViewItem, Text};
    /// let row = ListViewItem::new().gap(2).align(Alignment::Start).child(Text::new("Blue line"));
    /// assert_eq!(serde_json::to_value(&row).unwrap()["align"], "start");
    #[derive(Default)]
    /// ```
    ListViewItem = "ListViewItem" () {
        /// Content of the row.
        children "children": list Vec<Component>,
        /// Action when the row is clicked.
        on_click_action "onClickAction": opt Action,
        /// Gap between children: spacing units or CSS.
        gap "gap": opt Dimension,
        /// Cross-axis alignment of the content.
        align "align": opt Alignment,
    }
}

children_builders!(ListViewItem, list Component);

component! {
    /// A root without chrome, for previews and inline layouts; its children may be roots.
    ///
    /// ```
    /// use chatkit::widgets::{Basic, Direction, Title};
    /// let basic = Basic::new().direction(Direction::Row).gap(2).child(Title::new("Preview"));
    /// assert_eq!(
    ///     serde_json::to_string(&basic).unwrap(),
    ///     r#"{"type":"Basic","children":[{"type":"Title","value":"Preview"}],"direction":"row","gap":2}"#
    /// );
    #[derive(Default)]
    /// ```
    Basic = "Basic" () {
        /// Child components (or roots).
        children "children": kids Vec<Component>,
        /// Force a color scheme for the subtree.
        theme "theme": opt Theme,
        /// Flex direction (the client's default: column).
        direction "direction": opt Direction,
        /// Gap between children.
        gap "gap": opt Dimension,
        /// Inner spacing.
        padding "padding": opt Spacing,
        /// Cross-axis alignment.
        align "align": opt Alignment,
        /// Main-axis distribution.
        justify "justify": opt Justification,
    }
}

children_builders!(Basic, opt Component);
