use serde_json::{Value, json};

use super::*;
use crate::{Action, IconName};

fn round_trip(component: impl Into<Component>) -> Value {
    let component = component.into();
    let json = serde_json::to_value(&component).expect("serializes");
    let back = Component::from_value(json.clone()).unwrap_or_else(|err| panic!("{err} in {json}"));
    assert_eq!(back, component, "parses back to the same component");
    json
}

fn error(value: Value) -> String {
    Widget::from_value(value).expect_err("invalid").to_string()
}

#[test]
fn every_component_builds_and_round_trips() {
    let action = Action::of("go").with_payload(json!({"id": 1}));
    let everything = Card::new()
        .as_form(true)
        .background(ThemeColor::new("#fff", "#000"))
        .size(CardSize::Full)
        .padding(4)
        .status(WidgetStatus::new("Working").favicon("https://example.com/f.ico").frame(true))
        .collapsed(false)
        .confirm(CardAction::new("OK", action.clone()))
        .cancel(CardAction::new("Cancel", Action::of("cancel")))
        .theme(Theme::Dark)
        .border(Border::new(1).color(BorderColor::Strong))
        .child(
            WidgetBox::new()
                .direction(Direction::Col)
                .align(Alignment::Stretch)
                .justify(Justification::Evenly)
                .wrap(FlexWrap::WrapReverse)
                .flex(1)
                .gap("8px")
                .height(10)
                .width(1.5)
                .size(3)
                .min_height(1)
                .min_width(1)
                .min_size(1)
                .max_height(2)
                .max_width(2)
                .max_size(2)
                .margin(SpacingSides::new().top(1).right(2).bottom(3).left(4))
                .border(BorderSides::new().x(1).y(Border::new(2).style(BorderStyle::Dotted)))
                .radius(Radius::Full)
                .aspect_ratio(1.5)
                .child(Row::new().child(Col::new().child(Spacer::new().min_size(2)))),
        )
        .child(Form::new().on_submit_action(action.clone()).direction(Direction::Row).children([
            Component::from(Input::new("a").input_type(InputType::Password).variant(InputVariant::Outline).gutter_size(GutterSize::TwoXs)),
            Textarea::new("b").pattern(".+").into(),
            Select::new("c").option(SelectOption::new("x", "X").disabled(true)).searchable(true).into(),
            DatePicker::new("d").align(PopoverAlign::End).max("2030-01-01").into(),
            Checkbox::new("e").on_change_action(action.clone()).into(),
            RadioGroup::new("f").option(RadioOption::new("1", "One")).aria_label("Pick").into(),
            Label::new("A", "a").size(TextSize::Xs).into(),
        ]))
        .child(Divider::new().size(1).color(ThemeColor::new("a", "b")))
        .child(Transition::new().child(Text::new("t").key("k")))
        .child(
            Text::new("x")
                .streaming(true)
                .italic(true)
                .line_through(true)
                .width("50%")
                .text_align(TextAlign::Center)
                .truncate(true)
                .min_lines(1)
                .editable(EditableField::new("note")),
        )
        .child(Text::new("not editable").editable(Editable::Off))
        .child(Title::new("T").weight(TextWeight::Semibold).color("red-500"))
        .child(Caption::new("C").truncate(true))
        .child(Markdown::new("**m**"))
        .child(Badge::new("B").size(BadgeSize::Lg))
        .child(Icon::new(IconName::Star).color(TextColor::Warning).size(IconSize::ThreeXl))
        .child(Image::new("https://example.com/i.png").position(ImagePosition::BottomRight).frame(true).flush(true))
        .child(
            Button::icon_only(IconName::Plus)
                .uniform(true)
                .style(ButtonStyle::Secondary)
                .icon_size(ButtonIconSize::TwoXl)
                .size(ControlSize::ThreeXs)
                .block(true)
                .disabled(false)
                .icon_end(IconName::Other("lucide:rocket".into())),
        )
        .child(
            Chart::new(XAxisConfig::new("m"))
                .row(ChartRow::from([("m".into(), Scalar::from("Jan")), ("v".into(), Scalar::from(2.5))]))
                .series(Series::area("v").stack("s").curve_type(CurveType::MonotoneX))
                .series(Series::line("v").color(ChartColor::Pink))
                .bar_gap(2)
                .bar_category_gap(4)
                .show_tooltip(true),
        )
        .child(Table::new().child(TableRow::new().child(TableCell::new().v_align(CellAlign::End).col_size(ColSize::Xs).padding(SpacingSides::new().x(1)))))
        .child(Basic::new().child(ListView::new().limit(3).status("s").child(ListViewItem::new().child(Text::new("row")))))
        .child(CustomComponent::new("Sparkline").prop("points", json!([1, 2])));
    let json = round_trip(everything.clone());
    assert_eq!(json["children"].as_array().map(Vec::len), Some(17));
    assert_eq!(json["children"][0]["type"], "Box");
    assert_eq!(json["children"][1]["children"][0]["inputType"], "password");
    assert_eq!(json["children"][4]["editable"], json!({"name": "note"}));
    assert_eq!(json["children"][5]["editable"], json!(false));
    assert_eq!(json["children"][12]["iconStart"], "plus");
    assert_eq!(json["children"][12]["iconEnd"], "lucide:rocket");
    assert_eq!(json["children"][13]["xAxis"], json!({"dataKey": "m"}));
    assert_eq!(json["children"][14]["children"][0]["children"][0]["type"], "Table.Cell");
    assert_eq!(json["children"][15]["children"][0]["limit"], 3);
    assert!(!json.to_string().contains("null"), "unset props are left out: {json}");
    let root = WidgetRoot::from(everything);
    assert_eq!(root.to_value(), json);
}

#[test]
fn key_and_id_come_first_and_extra_last() {
    let text = Text::new("Hi").id("t").key("k").extra("tone", "warm");
    assert_eq!(serde_json::to_string(&text).expect("serializes"), r#"{"key":"k","id":"t","type":"Text","value":"Hi","tone":"warm"}"#);
    let parsed: Text = serde_json::from_str(r#"{"tone":"warm","value":"Hi","type":"Text","size":null}"#).expect("parses");
    assert_eq!(parsed.extra.get("tone"), Some(&json!("warm")));
    assert_eq!(parsed.size, None);
}

#[test]
fn a_standalone_component_checks_its_type() {
    let err = serde_json::from_str::<Text>(r#"{"type":"Title","value":"x"}"#).expect_err("wrong type");
    assert!(err.to_string().contains("expected a `Text` component, found `Title`"), "{err}");
    let untyped: Text = serde_json::from_str(r#"{"value":"x"}"#).expect("`type` may be left out");
    assert_eq!(untyped.value, "x");
}

#[test]
fn errors_point_at_the_member() {
    assert_eq!(
        error(json!({"type": "Card", "children": [{"type": "Row", "children": [{"type": "Text"}]}]})),
        "children[0].children[0]: missing field `value`"
    );
    assert_eq!(
        error(json!({"type": "Card", "children": [{"type": "Text", "value": "x", "size": "huge"}]})),
        "children[0].size: unknown variant `huge`, expected one of `xs`, `sm`, `md`, `lg`, `xl`"
    );
    assert_eq!(
        error(json!({"type": "Card", "children": [{"type": "Button", "onClickAction": {"type": "go", "handler": "x"}}]})),
        "children[0].onClickAction.handler: unknown variant `x`, expected `client` or `server`"
    );
    assert_eq!(
        error(json!({"type": "ListView", "children": [{"type": "Text", "value": "x"}]})),
        "children[0].type: expected a `ListViewItem` component, found `Text`"
    );
    assert_eq!(
        error(json!({"type": "ListView", "children": [{"type": "ListViewItem", "children": [{"type": "Badge"}]}]})),
        "children[0].children[0]: missing field `label`"
    );
    assert_eq!(error(json!({"type": "Text", "value": "x"})), "type: `Text` cannot be a widget root; use Card, ListView or Basic");
    assert_eq!(error(json!({"type": "Card", "children": [{"value": 1}]})), "children[0].type: every component needs a `type`");
    assert_eq!(error(json!({"type": "Card", "children": [3]})), "children[0]: a component must be a JSON object, not a number");
    assert_eq!(error(json!({"type": "Card", "children": {"type": "Text", "value": "x"}})), "children: invalid type: map, expected a sequence");
    assert_eq!(
        error(json!({"type": "Basic", "children": [{"type": "Transition", "children": {"type": "Icon", "name": 3}}]})),
        "children[0].children.name: invalid type: integer `3`, expected a string"
    );
    assert_eq!(
        error(json!({"type": "Card", "children": [{"type": "Table", "children": [{"type": "Table.Row", "children": [{"type": "Table.Cell", "colSpan": -1}]}]}]})),
        "children[0].children[0].children[0].colSpan: invalid value: integer `-1`, expected u32"
    );
    assert_eq!(
        error(json!({"type": "Card", "children": [], "confirm": {"label": "OK", "action": {"payload": {}}}})),
        "confirm.action: missing field `type`"
    );
    assert_eq!(error(json!({"type": "Card", "children": [], "limit": null, "key": 5})), "key: invalid type: integer `5`, expected a string");
}

#[test]
fn unknown_types_and_props_pass_through() {
    let wire = json!({
        "type": "Card",
        "children": [
            {"type": "Sparkline", "children": [{"type": "Text"}], "points": [1, 2]},
            {"type": "Text", "value": "x", "tone": {"warm": true}}
        ],
        "elevation": 3
    });
    let widget = Widget::from_value(wire.clone()).expect("parses");
    let Widget::Card(card) = &widget else { panic!("a card") };
    assert_eq!(card.extra.get("elevation"), Some(&json!(3)));
    assert_eq!(card.children[0].kind(), "Sparkline");
    assert!(matches!(&card.children[1], Component::Text(text) if text.extra.contains_key("tone")));
    assert_eq!(widget.to_value(), wire);
    assert!(Component::is_known_type("Table.Cell"));
    assert!(!Component::is_known_type("Sparkline"));
}

#[test]
fn numbers_and_enums_keep_their_wire_form() {
    let wire = json!({"type": "Basic", "children": [
        {"type": "Box", "gap": 1.0, "flex": "1 1 auto", "aspectRatio": 1.7777, "padding": {"x": 4, "top": 0.5}},
        {"type": "ListView", "limit": "auto", "children": []},
        {"type": "Image", "src": "a", "fit": "scale-down", "radius": "100%", "margin": "auto"}
    ]});
    assert_eq!(Widget::from_value(wire.clone()).expect("parses").to_value(), wire);
}

#[test]
fn typed_widgets_feed_the_untyped_root() {
    let root: WidgetRoot = ListView::new().child(ListViewItem::new().child(Text::new("a").id("a"))).into();
    assert_eq!(root.kind(), "ListView");
    assert_eq!(root.find("a").and_then(|node| node.get("value")), Some(&json!("a")));
    let back = Widget::try_from(root.clone()).expect("parses");
    assert_eq!(back.kind(), "ListView");
    assert_eq!(WidgetRoot::from(back), root);
    let basic: WidgetRoot = Basic::new().into();
    assert_eq!(basic.to_value(), json!({"type": "Basic"}));
}

#[test]
fn widget_parse_errors_convert_to_invalid_widget() {
    let err = Widget::from_value(json!({"type": "Card"})).expect_err("no children");
    assert_eq!(err.path.to_string(), "(root)");
    assert_eq!(crate::widgets::InvalidWidget::from(err).to_string(), "invalid widget: (root): missing field `children`");
}
