//! A chart described as data: its words, its table and what to draw. `render/` draws it.

use chrono::NaiveDate;
use plotters::style::RGBColor;

use crate::table::Table;

/// One chart, ready to draw and to tabulate.
#[derive(Debug, Clone)]
pub struct Figure {
    /// States the finding's subject.
    pub(crate) title: String,
    /// The measure and the period.
    pub(crate) subtitle: String,
    /// One or two sentences with the main numbers, for screen readers.
    pub(crate) alt: String,
    /// Colour key drawn under the subtitle (empty when labels are direct).
    pub(crate) legend: Vec<(String, RGBColor)>,
    /// What to draw.
    pub(crate) plot: Plot,
    /// Lines above the source line (coverage of attribution, caveats).
    pub(crate) notes: Vec<String>,
    /// The chart's data.
    pub(crate) table: Table,
}

/// The kinds of plot the renderer knows.
#[derive(Debug, Clone)]
pub(crate) enum Plot {
    Columns(Columns),
    Bars(Bars),
    Heat(Heat),
    Lines(Lines),
    Movers(Movers),
    /// Nothing to draw; the message says why.
    Empty(String),
}

/// One coloured series of values, one per category.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub label: String,
    pub color: RGBColor,
    pub values: Vec<f64>,
}

/// Stacked columns of shares (0..1), labelled directly beside the last column.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    pub categories: Vec<String>,
    /// Bottom of the stack first.
    pub series: Vec<Series>,
}

/// One row of horizontal bars.
#[derive(Debug, Clone)]
pub(crate) struct BarRow {
    pub label: String,
    /// A country chip before the label.
    pub chip: Option<RGBColor>,
    /// One value per bar group, with its colour.
    pub values: Vec<(f64, RGBColor)>,
    /// Text after the longest bar.
    pub note: String,
}

/// Horizontal bars, one row per item, optionally several bars per row.
#[derive(Debug, Clone)]
pub(crate) struct Bars {
    pub rows: Vec<BarRow>,
    /// The x axis's label with its unit.
    pub axis: String,
}

/// A grid of counts: rows (label, chip colour) by columns.
#[derive(Debug, Clone)]
pub(crate) struct Heat {
    pub rows: Vec<(String, RGBColor)>,
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<f64>>,
}

/// One line.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub label: String,
    pub color: RGBColor,
    pub dashed: bool,
    pub points: Vec<(NaiveDate, f64)>,
}

/// One panel of lines.
#[derive(Debug, Clone)]
pub(crate) struct Panel {
    pub title: String,
    /// Values are fractions shown as percentages (else as plain indices, 0..1).
    pub percent: bool,
    pub lines: Vec<Line>,
}

/// Side-by-side panels of lines over dates, each with its own y axis from 0.
#[derive(Debug, Clone)]
pub(crate) struct Lines {
    pub panels: Vec<Panel>,
}

/// One climber: from `previous` to `rank`.
#[derive(Debug, Clone)]
pub(crate) struct Climb {
    pub label: String,
    pub color: RGBColor,
    pub previous: i64,
    pub rank: i64,
}

/// Rank gains as bars (left) and new entrants as a list (right).
#[derive(Debug, Clone)]
pub(crate) struct Movers {
    pub gains: Vec<Climb>,
    /// (rank, label, country colour).
    pub entrants: Vec<(i64, String, RGBColor)>,
    /// Heading of the entrants list.
    pub entrants_title: String,
}

impl Figure {
    /// The chart's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The chart's alt text.
    pub fn alt(&self) -> &str {
        &self.alt
    }
}
