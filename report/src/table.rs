//! A chart's data as a table: typed cells that CSV, Markdown and HTML each format their way.

use chrono::NaiveDate;

use crate::format::{percent, thousands};

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Text from the data (escaped by each writer).
    Text(String),
    /// A count.
    Int(i64),
    /// A measure with `decimals` places (e.g. a weekly mean of downloads).
    Num(f64, usize),
    /// A fraction in [0, 1]: CSV writes the fraction, people see a percentage.
    Share(f64),
    /// An ISO date.
    Date(NaiveDate),
    /// No value.
    Null,
}

impl Cell {
    /// A count, or `Null` when absent.
    pub fn opt_int(v: Option<i64>) -> Self {
        v.map_or(Cell::Null, Cell::Int)
    }

    /// The machine form: fractions as fractions, no thousands separators, ISO dates.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(v) => v.to_string(),
            Cell::Num(v, d) => format!("{v:.d$}"),
            Cell::Share(v) => format!("{v:.6}"),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Null => String::new(),
        }
    }

    /// The human form: percentages, thousands separators, ISO dates.
    pub fn human(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(v) => thousands(*v),
            Cell::Num(v, 0) => thousands(v.round() as i64),
            Cell::Num(v, d) => format!("{v:.d$}"),
            Cell::Share(v) => percent(*v, 1),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Null => String::from("–"),
        }
    }

    /// True for cells that read better right-aligned.
    pub fn numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Num(..) | Cell::Share(_))
    }
}

/// A chart's data: a header and rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn csv_keeps_fractions_and_iso_dates() {
        assert_eq!(Cell::Share(0.25).csv(), "0.250000");
        assert_eq!(Cell::Share(0.25).human(), "25.0%");
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(Cell::Date(d).csv(), "2026-01-05");
        assert_eq!(Cell::Int(1_234_567).csv(), "1234567");
        assert_eq!(Cell::Int(1_234_567).human(), "1,234,567");
        assert_eq!(Cell::Num(1234.56, 1).csv(), "1234.6");
        assert_eq!(Cell::Num(1234.56, 0).human(), "1,235");
        assert_eq!(Cell::Null.csv(), "");
        assert_eq!(Cell::opt_int(None), Cell::Null);
    }
}
