//! Controls: `Button`, `Input`, `Textarea`, `Select`, `DatePicker`, `Checkbox`, `RadioGroup`.

use serde::{Deserialize, Serialize};

use super::values::{ControlSize, ControlVariant, Direction};
use crate::{Action, IconName};

tokens! {
    /// Preset style of a `Button`.
    ButtonStyle { Primary = "primary", Secondary = "secondary" }
}

tokens! {
    /// Size of the icons in a `Button`.
    ButtonIconSize { Sm = "sm", Md = "md", Lg = "lg", Xl = "xl", TwoXl = "2xl" }
}

tokens! {
    /// Color of a `Button`.
    ButtonColor { Primary = "primary", Secondary = "secondary", Info = "info", Discovery = "discovery",
        Success = "success", Caution = "caution", Warning = "warning", Danger = "danger" }
}

tokens! {
    /// Native type of an `Input`.
    InputType { Number = "number", Email = "email", Text = "text", Password = "password", Tel = "tel", Url = "url" }
}

tokens! {
    /// Style of an `Input` or `Textarea`.
    InputVariant { Soft = "soft", Outline = "outline" }
}

tokens! {
    /// Gutter at the edges of an `Input` or `Textarea`.
    GutterSize { TwoXs = "2xs", Xs = "xs", Sm = "sm", Md = "md", Lg = "lg", Xl = "xl" }
}

tokens! {
    /// Side of a `DatePicker` the calendar opens on.
    PopoverSide { Top = "top", Bottom = "bottom", Left = "left", Right = "right" }
}

tokens! {
    /// Alignment of a `DatePicker`'s calendar relative to the control.
    PopoverAlign { Start = "start", Center = "center", End = "end" }
}

component! {
    /// A button, usually with an action.
    ///
    /// ```
    /// use chatkit::{Action, IconName, widgets::{Button, ButtonColor, ControlVariant}};
    /// let button = Button::new("Add")
    ///     .icon_start(IconName::Plus)
    ///     .color(ButtonColor::Primary)
    ///     .variant(ControlVariant::Soft)
    ///     .on_click_action(Action::of("counter.add"));
    /// assert_eq!(
    ///     serde_json::to_string(&button).unwrap(),
    ///     r#"{"type":"Button","label":"Add","onClickAction":{"type":"counter.add"},"iconStart":"plus","color":"primary","variant":"soft"}"#
    /// );
    /// ```
    Button = "Button" custom {
        /// Submit the enclosing form.
        submit "submit": opt bool,
        /// Text of the button (icon-only buttons have none).
        label "label": opt String,
        /// Action on click.
        on_click_action "onClickAction": opt Action,
        /// Icon before the label.
        icon_start "iconStart": opt IconName,
        /// Icon after the label.
        icon_end "iconEnd": opt IconName,
        /// Preset style.
        style "style": opt ButtonStyle,
        /// Size of the icons.
        icon_size "iconSize": opt ButtonIconSize,
        /// Color.
        color "color": opt ButtonColor,
        /// Visual variant.
        variant "variant": opt ControlVariant,
        /// Size.
        size "size": opt ControlSize,
        /// Fully rounded.
        pill "pill": opt bool,
        /// Same width and height (icon-only buttons).
        uniform "uniform": opt bool,
        /// Full width.
        block "block": opt bool,
        /// Disabled.
        disabled "disabled": opt bool,
    }
}

impl Button {
    /// A button with a label.
    pub fn new(label: impl Into<String>) -> Self {
        Self::icon_only(None::<IconName>).label(label)
    }

    /// A button without a label, showing `icon` (pass `None` for neither).
    pub fn icon_only(icon: impl Into<Option<IconName>>) -> Self {
        Self {
            key: None,
            id: None,
            submit: None,
            label: None,
            on_click_action: None,
            icon_start: icon.into(),
            icon_end: None,
            style: None,
            icon_size: None,
            color: None,
            variant: None,
            size: None,
            pill: None,
            uniform: None,
            block: None,
            disabled: None,
            extra: serde_json::Map::new(),
        }
    }
}

/// An option of a `Select`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SelectOption {
    /// Value submitted.
    pub value: String,
    /// Text shown.
    pub label: String,
    /// Not selectable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Secondary text below the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl SelectOption {
    /// An option.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self { value: value.into(), label: label.into(), disabled: None, description: None }
    }

    /// Sets the secondary text.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Makes the option unselectable.
    #[must_use]
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = Some(disabled);
        self
    }
}

/// An option of a `RadioGroup`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RadioOption {
    /// Text shown.
    pub label: String,
    /// Value submitted.
    pub value: String,
    /// Not selectable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

impl RadioOption {
    /// An option.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self { label: label.into(), value: value.into(), disabled: None }
    }

    /// Makes the option unselectable.
    #[must_use]
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = Some(disabled);
        self
    }
}

component! {
    /// A single-line text field.
    ///
    /// ```
    /// use chatkit::widgets::{Input, InputType};
    /// let input = Input::new("email").input_type(InputType::Email).placeholder("you@example.com").required(true);
    /// assert_eq!(
    ///     serde_json::to_string(&input).unwrap(),
    ///     r#"{"type":"Input","name":"email","inputType":"email","required":true,"placeholder":"you@example.com"}"#
    /// );
    /// ```
    Input = "Input" (name: String) {
        /// Form field name.
        name "name": req String,
        /// Native input type.
        input_type "inputType": opt InputType,
        /// Initial value.
        default_value "defaultValue": opt String,
        /// Required for submission.
        required "required": opt bool,
        /// Validation regex.
        pattern "pattern": opt String,
        /// Placeholder.
        placeholder "placeholder": opt String,
        /// Allow password managers and autofill extensions.
        allow_autofill_extensions "allowAutofillExtensions": opt bool,
        /// Select the content when mounted.
        auto_select "autoSelect": opt bool,
        /// Focus when mounted.
        auto_focus "autoFocus": opt bool,
        /// Disabled.
        disabled "disabled": opt bool,
        /// Style.
        variant "variant": opt InputVariant,
        /// Size.
        size "size": opt ControlSize,
        /// Gutter at the edges (overrides `size`).
        gutter_size "gutterSize": opt GutterSize,
        /// Fully rounded.
        pill "pill": opt bool,
    }
}

component! {
    /// A multi-line text field.
    ///
    /// ```
    /// use chatkit::widgets::Textarea;
    /// let notes = Textarea::new("notes").rows(4).auto_resize(true).max_rows(10);
    /// assert_eq!(serde_json::to_string(&notes).unwrap(), r#"{"type":"Textarea","name":"notes","rows":4,"autoResize":true,"maxRows":10}"#);
    /// ```
    Textarea = "Textarea" (name: String) {
        /// Form field name.
        name "name": req String,
        /// Initial value.
        default_value "defaultValue": opt String,
        /// Required for submission.
        required "required": opt bool,
        /// Validation regex.
        pattern "pattern": opt String,
        /// Placeholder.
        placeholder "placeholder": opt String,
        /// Select the content when mounted.
        auto_select "autoSelect": opt bool,
        /// Focus when mounted.
        auto_focus "autoFocus": opt bool,
        /// Disabled.
        disabled "disabled": opt bool,
        /// Style.
        variant "variant": opt InputVariant,
        /// Size.
        size "size": opt ControlSize,
        /// Gutter at the edges (overrides `size`).
        gutter_size "gutterSize": opt GutterSize,
        /// Visible rows.
        rows "rows": num u32,
        /// Grow and shrink with the content.
        auto_resize "autoResize": opt bool,
        /// Most rows when auto-resizing.
        max_rows "maxRows": num u32,
        /// Allow password managers and autofill extensions.
        allow_autofill_extensions "allowAutofillExtensions": opt bool,
    }
}

component! {
    /// A dropdown.
    ///
    /// ```
    /// use chatkit::{Action, widgets::{Select, SelectOption}};
    /// let select = Select::new("size")
    ///     .option(SelectOption::new("s", "Small"))
    ///     .option(SelectOption::new("l", "Large").description("Extra room"))
    ///     .default_value("s")
    ///     .on_change_action(Action::of("size.changed"));
    /// let json = serde_json::to_value(&select).unwrap();
    /// assert_eq!(json["options"][1], serde_json::json!({"value": "l", "label": "Large", "description": "Extra room"}));
    /// ```
    Select = "Select" (name: String) {
        /// Form field name.
        name "name": req String,
        /// The options.
        options "options": list Vec<SelectOption>,
        /// Action when the value changes.
        on_change_action "onChangeAction": opt Action,
        /// Placeholder.
        placeholder "placeholder": opt String,
        /// Initial value.
        default_value "defaultValue": opt String,
        /// Visual variant.
        variant "variant": opt ControlVariant,
        /// Size.
        size "size": opt ControlSize,
        /// Fully rounded.
        pill "pill": opt bool,
        /// Full width.
        block "block": opt bool,
        /// Offer a control that clears the value.
        clearable "clearable": opt bool,
        /// Disabled.
        disabled "disabled": opt bool,
        /// Offer a search field (the client's default: above 15 options).
        searchable "searchable": opt bool,
    }
}

impl Select {
    /// Appends an option.
    #[must_use]
    pub fn option(mut self, option: SelectOption) -> Self {
        self.options.push(option);
        self
    }
}

component! {
    /// A date field; dates are ISO strings (`2025-01-31` or a full datetime).
    ///
    /// ```
    /// use chatkit::widgets::{DatePicker, PopoverSide};
    /// let picker = DatePicker::new("due").min("2025-01-01").side(PopoverSide::Bottom).clearable(true);
    /// assert_eq!(serde_json::to_string(&picker).unwrap(), r#"{"type":"DatePicker","name":"due","min":"2025-01-01","side":"bottom","clearable":true}"#);
    /// ```
    DatePicker = "DatePicker" (name: String) {
        /// Form field name.
        name "name": req String,
        /// Action when the date changes.
        on_change_action "onChangeAction": opt Action,
        /// Placeholder.
        placeholder "placeholder": opt String,
        /// Initial value (ISO date or datetime).
        default_value "defaultValue": opt String,
        /// Earliest selectable date.
        min "min": opt String,
        /// Latest selectable date.
        max "max": opt String,
        /// Visual variant.
        variant "variant": opt ControlVariant,
        /// Size.
        size "size": opt ControlSize,
        /// Side the calendar opens on.
        side "side": opt PopoverSide,
        /// Alignment of the calendar.
        align "align": opt PopoverAlign,
        /// Fully rounded.
        pill "pill": opt bool,
        /// Full width.
        block "block": opt bool,
        /// Offer a control that clears the value.
        clearable "clearable": opt bool,
        /// Disabled.
        disabled "disabled": opt bool,
    }
}

component! {
    /// A checkbox; its value in a form payload is a boolean.
    ///
    /// ```
    /// use chatkit::widgets::Checkbox;
    /// let agree = Checkbox::new("agree").label("I agree").default_checked(false).required(true);
    /// assert_eq!(serde_json::to_string(&agree).unwrap(), r#"{"type":"Checkbox","name":"agree","label":"I agree","defaultChecked":false,"required":true}"#);
    /// ```
    Checkbox = "Checkbox" (name: String) {
        /// Form field name.
        name "name": req String,
        /// Text next to the box.
        label "label": opt String,
        /// Initially checked.
        default_checked "defaultChecked": opt bool,
        /// Action when toggled.
        on_change_action "onChangeAction": opt Action,
        /// Disabled.
        disabled "disabled": opt bool,
        /// Required for submission.
        required "required": opt bool,
    }
}

component! {
    /// A group of radio buttons.
    ///
    /// ```
    /// use chatkit::widgets::{Direction, RadioGroup, RadioOption};
    /// let group = RadioGroup::new("plan")
    ///     .option(RadioOption::new("free", "Free"))
    ///     .option(RadioOption::new("pro", "Pro").disabled(true))
    ///     .direction(Direction::Row);
    /// let json = serde_json::to_value(&group).unwrap();
    /// assert_eq!(json["options"][1], serde_json::json!({"label": "Pro", "value": "pro", "disabled": true}));
    /// ```
    RadioGroup = "RadioGroup" (name: String) {
        /// Form field name.
        name "name": req String,
        /// The options.
        options "options": opt Vec<RadioOption>,
        /// Accessible label (the client falls back to `name`).
        aria_label "ariaLabel": opt String,
        /// Action when the selection changes.
        on_change_action "onChangeAction": opt Action,
        /// Initially selected value.
        default_value "defaultValue": opt String,
        /// Layout of the options.
        direction "direction": opt Direction,
        /// Disabled.
        disabled "disabled": opt bool,
        /// Required for submission.
        required "required": opt bool,
    }
}

impl RadioGroup {
    /// Appends an option.
    #[must_use]
    pub fn option(mut self, option: RadioOption) -> Self {
        self.options.get_or_insert_with(Vec::new).push(option);
        self
    }
}
