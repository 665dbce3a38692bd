//! Layout: flex containers (`Box`, `Row`, `Col`, `Form`), `Spacer`, `Divider`, `Transition`.

use super::Component;
use super::values::{
    Alignment, BackgroundColor, BorderColor, Borders, Color, Dimension, Direction, FlexWrap, Justification, Radius,
    Spacing,
};
use crate::Action;

/// Declares a flex container: the props every container shares, then its own.
macro_rules! container {
    ($(#[$meta:meta])* $name:ident = $wire:literal { $($own:tt)* }) => {
        component! {
            $(#[$meta])*
            #[derive(Default)]
            $name = $wire () {
                $($own)*
                /// Child components.
                children "children": kids Vec<Component>,
                /// Cross-axis alignment of children.
                align "align": opt Alignment,
                /// Main-axis distribution of children.
                justify "justify": opt Justification,
                /// Wrapping of children.
                wrap "wrap": opt FlexWrap,
                /// Flex factor (number) or CSS `flex`.
                flex "flex": opt Dimension,
                /// Gap between children: spacing units or CSS.
                gap "gap": opt Dimension,
                ..sizes,
                /// Inner spacing.
                padding "padding": opt Spacing,
                /// Outer spacing.
                margin "margin": opt Spacing,
                /// Border.
                border "border": opt Borders,
                /// Corner radius.
                radius "radius": opt Radius,
                /// Background color.
                background "background": opt Color<BackgroundColor>,
                /// Aspect ratio: a number (e.g. `1.5`) or CSS.
                aspect_ratio "aspectRatio": opt Dimension,
            }
        }

        children_builders!($name, opt Component);
    };
}

container! {
    /// A flex container (`Box` on the wire; named so it does not shadow `std::boxed::Box`),
    /// laid out as a column unless `direction` says otherwise.
    ///
    /// ```
    /// use chatkit::widgets::{BackgroundColor, Direction, Radius, SpacingSides, Text, WidgetBox};
    /// let tile = WidgetBox::new()
    ///     .direction(Direction::Row)
    ///     .padding(SpacingSides::new().x(4).y(2))
    ///     .radius(Radius::Lg)
    ///     .background(BackgroundColor::SurfaceSecondary)
    ///     .child(Text::new("Tile"));
    /// let json = serde_json::to_value(&tile).unwrap();
    /// assert_eq!(json["type"], "Box");
    /// assert_eq!(json["padding"], serde_json::json!({"x": 4, "y": 2}));
    /// ```
    WidgetBox = "Box" {
        /// Flex direction (the client's default: column).
        direction "direction": opt Direction,
    }
}

container! {
    /// A horizontal flex container.
    ///
    /// ```
    /// use chatkit::widgets::{Justification, Row, Spacer, Text};
    /// let row = Row::new().justify(Justification::Between).child(Text::new("Total")).child(Spacer::new()).child(Text::new("$4"));
    /// assert_eq!(serde_json::to_value(&row).unwrap()["children"].as_array().unwrap().len(), 3);
    /// ```
    Row = "Row" {}
}

container! {
    /// A vertical flex container.
    ///
    /// ```
    /// use chatkit::widgets::{Caption, Col, Title};
    /// let col = Col::new().gap(1).child(Title::new("Flight 42")).child(Caption::new("On time"));
    /// assert_eq!(serde_json::to_value(&col).unwrap()["gap"], 1);
    /// ```
    Col = "Col" {}
}

container! {
    /// A form: a submit button (or Enter in a field) sends `onSubmitAction` with the values of
    /// its fields merged into the payload by `name`.
    ///
    /// ```
    /// use chatkit::{Action, widgets::{Button, Form, Input}};
    /// let form = Form::new()
    ///     .on_submit_action(Action::of("profile.save"))
    ///     .child(Input::new("email").required(true))
    ///     .child(Button::new("Save").submit(true));
    /// let json = serde_json::to_value(&form).unwrap();
    /// assert_eq!(json["onSubmitAction"]["type"], "profile.save");
    /// ```
    Form = "Form" {
        /// Action dispatched on submit.
        on_submit_action "onSubmitAction": opt Action,
        /// Flex direction (the client's default: column).
        direction "direction": opt Direction,
    }
}

component! {
    /// A flexible filler that pushes siblings apart.
    ///
    /// ```
    /// use chatkit::widgets::Spacer;
    /// assert_eq!(serde_json::to_string(&Spacer::new().min_size(8)).unwrap(), r#"{"type":"Spacer","minSize":8}"#);
    #[derive(Default)]
    /// ```
    Spacer = "Spacer" () {
        /// Minimum size along the main axis: px or CSS.
        min_size "minSize": opt Dimension,
    }
}

component! {
    /// A line between sections.
    ///
    /// ```
    /// use chatkit::widgets::{BorderColor, Divider};
    /// let divider = Divider::new().color(BorderColor::Subtle).spacing(2).flush(true);
    /// assert_eq!(serde_json::to_string(&divider).unwrap(), r#"{"type":"Divider","color":"subtle","spacing":2,"flush":true}"#);
    #[derive(Default)]
    /// ```
    Divider = "Divider" () {
        /// Line color.
        color "color": opt Color<BorderColor>,
        /// Thickness: px or CSS.
        size "size": opt Dimension,
        /// Space above and below: spacing units or CSS.
        spacing "spacing": opt Dimension,
        /// Extend over the parent's padding.
        flush "flush": opt bool,
    }
}

component! {
    /// Animates its single child when the child's `key` or type changes.
    ///
    /// ```
    /// use chatkit::widgets::{Text, Transition};
    /// let t = Transition::new().child(Text::new("Step 2").key("step-2"));
    /// assert_eq!(
    ///     serde_json::to_string(&t).unwrap(),
    ///     r#"{"type":"Transition","children":{"key":"step-2","type":"Text","value":"Step 2"}}"#
    /// );
    #[derive(Default)]
    /// ```
    Transition = "Transition" () {
        /// The animated child.
        children "children": kids Box<Component>,
    }
}

impl Transition {

    /// Sets the child.
    #[must_use]
    pub fn child(mut self, child: impl Into<Component>) -> Self {
        self.children = Some(Box::new(child.into()));
        self
    }
}
