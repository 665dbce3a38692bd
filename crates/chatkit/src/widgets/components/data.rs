//! Data display: `Chart` (the Python reference's) and `Table` (the JS client's).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::Component;
use super::values::{ChartColor, Color, Scalar, Dimension, Spacing};

tokens! {
    /// How `area` and `line` series connect points (d3 curve names).
    CurveType { Basis = "basis", BasisClosed = "basisClosed", BasisOpen = "basisOpen", BumpX = "bumpX",
        BumpY = "bumpY", Bump = "bump", Linear = "linear", LinearClosed = "linearClosed",
        Natural = "natural", MonotoneX = "monotoneX", MonotoneY = "monotoneY", Monotone = "monotone",
        Step = "step", StepBefore = "stepBefore", StepAfter = "stepAfter" }
}

tokens! {
    /// Alignment inside a table cell.
    CellAlign { Start = "start", Center = "center", End = "end" }
}

tokens! {
    /// Width class of a table column.
    ColSize { Xs = "xs", Sm = "sm", Md = "md", Lg = "lg", Xl = "xl" }
}

/// One row of chart data: field name → value.
pub type ChartRow = IndexMap<String, Scalar>;

/// A chart series, by `type`.
///
/// ```
/// use chatkit::widgets::{ChartColor, Series};
/// let bars = Series::bar("sales").label("Sales").color(ChartColor::Blue);
/// assert_eq!(serde_json::to_string(&bars).unwrap(), r#"{"type":"bar","label":"Sales","dataKey":"sales","color":"blue"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Series {
    /// Bars; series with the same `stack` stack.
    Bar(SeriesProps),
    /// A filled area; series with the same `stack` stack.
    Area(SeriesProps),
    /// A line (`stack` is not used).
    Line(SeriesProps),
}

/// The props of a [`Series`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SeriesProps {
    /// Legend label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The field of each data row holding the value.
    pub data_key: String,
    /// Stack group (bar and area).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// Color (the client cycles through chart colors when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Color<ChartColor>>,
    /// Curve (area and line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curve_type: Option<CurveType>,
}

impl SeriesProps {
    fn new(data_key: impl Into<String>) -> Self {
        Self { label: None, data_key: data_key.into(), stack: None, color: None, curve_type: None }
    }
}

impl Series {
    /// Bars of the field `data_key`.
    pub fn bar(data_key: impl Into<String>) -> Self {
        Series::Bar(SeriesProps::new(data_key))
    }

    /// An area of the field `data_key`.
    pub fn area(data_key: impl Into<String>) -> Self {
        Series::Area(SeriesProps::new(data_key))
    }

    /// A line of the field `data_key`.
    pub fn line(data_key: impl Into<String>) -> Self {
        Series::Line(SeriesProps::new(data_key))
    }

    /// The props.
    pub fn props(&self) -> &SeriesProps {
        match self {
            Series::Bar(props) | Series::Area(props) | Series::Line(props) => props,
        }
    }

    fn props_mut(&mut self) -> &mut SeriesProps {
        match self {
            Series::Bar(props) | Series::Area(props) | Series::Line(props) => props,
        }
    }

    /// Sets the legend label.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.props_mut().label = Some(label.into());
        self
    }

    /// Sets the stack group.
    #[must_use]
    pub fn stack(mut self, stack: impl Into<String>) -> Self {
        self.props_mut().stack = Some(stack.into());
        self
    }

    /// Sets the color.
    #[must_use]
    pub fn color(mut self, color: impl Into<Color<ChartColor>>) -> Self {
        self.props_mut().color = Some(color.into());
        self
    }

    /// Sets the curve.
    #[must_use]
    pub fn curve_type(mut self, curve: CurveType) -> Self {
        self.props_mut().curve_type = Some(curve);
        self
    }
}

/// The x axis of a chart: a data field, or a config.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum XAxis {
    /// The field of each data row holding the category.
    Key(String),
    /// A config.
    Config(XAxisConfig),
}

/// Config of a chart's x axis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct XAxisConfig {
    /// The field of each data row holding the category.
    pub data_key: String,
    /// Hide the axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide: Option<bool>,
    /// Display labels by tick value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<IndexMap<String, String>>,
}

impl XAxisConfig {
    /// An axis over the field `data_key`.
    pub fn new(data_key: impl Into<String>) -> Self {
        Self { data_key: data_key.into(), hide: None, labels: None }
    }
}

impl From<&str> for XAxis {
    fn from(key: &str) -> Self {
        XAxis::Key(key.to_owned())
    }
}

impl From<String> for XAxis {
    fn from(key: String) -> Self {
        XAxis::Key(key)
    }
}

impl From<XAxisConfig> for XAxis {
    fn from(config: XAxisConfig) -> Self {
        XAxis::Config(config)
    }
}

component! {
    /// A bar, line or area chart.
    ///
    /// ```
    /// use chatkit::widgets::{Chart, ChartRow, Series};
    /// let chart = Chart::new("month")
    ///     .row(ChartRow::from([("month".into(), "Jan".into()), ("sales".into(), 12.into())]))
    ///     .series(Series::bar("sales"))
    ///     .show_legend(false)
    ///     .height(160);
    /// assert_eq!(
    ///     serde_json::to_string(&chart).unwrap(),
    ///     r#"{"type":"Chart","data":[{"month":"Jan","sales":12}],"series":[{"type":"bar","dataKey":"sales"}],"xAxis":"month","showLegend":false,"height":160}"#
    /// );
    /// ```
    Chart = "Chart" (x_axis: XAxis) {
        /// The rows.
        data "data": list Vec<ChartRow>,
        /// What to draw.
        series "series": list Vec<Series>,
        /// The x axis.
        x_axis "xAxis": req XAxis,
        /// Show the y axis.
        show_y_axis "showYAxis": opt bool,
        /// Show a legend.
        show_legend "showLegend": opt bool,
        /// Show a tooltip on hover.
        show_tooltip "showTooltip": opt bool,
        /// Gap between bars of a category, px.
        bar_gap "barGap": num u32,
        /// Gap between categories, px.
        bar_category_gap "barCategoryGap": num u32,
        /// Flex factor or CSS `flex`.
        flex "flex": opt Dimension,
        ..sizes,
        /// Aspect ratio: a number or CSS.
        aspect_ratio "aspectRatio": opt Dimension,
    }
}

impl Chart {
    /// Appends a data row.
    #[must_use]
    pub fn row(mut self, row: ChartRow) -> Self {
        self.data.push(row);
        self
    }

    /// Appends a series.
    #[must_use]
    pub fn series(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }
}

component! {
    /// A table (the JS client's): rows of cells.
    ///
    /// ```
    /// use chatkit::widgets::{Table, TableCell, TableRow, Text};
    /// let table = Table::new()
    ///     .child(TableRow::new().header(true).child(TableCell::new().child(Text::new("Name"))))
    ///     .child(TableRow::new().child(TableCell::new().col_span(2).child(Text::new("Ada"))));
    /// let json = serde_json::to_value(&table).unwrap();
    /// assert_eq!(json["children"][0]["type"], "Table.Row");
    /// assert_eq!(json["children"][1]["children"][0]["colSpan"], 2);
    /// ```
    #[derive(Default)]
    Table = "Table" () {
        /// The rows.
        children "children": kids Vec<TableRow>,
    }
}

children_builders!(Table, opt TableRow);

component! {
    /// A row of a [`Table`].
    #[derive(Default)]
    TableRow = "Table.Row" () {
        /// The cells.
        children "children": kids Vec<TableCell>,
        /// A header row (cells render as `<th>`).
        header "header": opt bool,
    }
}

children_builders!(TableRow, opt TableCell);

component! {
    /// A cell of a [`TableRow`].
    #[derive(Default)]
    TableCell = "Table.Cell" () {
        /// Content of the cell.
        children "children": kids Vec<Component>,
        /// Width: px or CSS.
        width "width": opt Dimension,
        /// Inner spacing.
        padding "padding": opt Spacing,
        /// Columns spanned.
        col_span "colSpan": num u32,
        /// Rows spanned.
        row_span "rowSpan": num u32,
        /// Horizontal alignment.
        align "align": opt CellAlign,
        /// Vertical alignment.
        v_align "vAlign": opt CellAlign,
        /// Width class of the column.
        col_size "colSize": opt ColSize,
    }
}

children_builders!(TableCell, opt Component);
