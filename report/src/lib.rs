//! The weekly report: reads the marts (`{lake}/marts/*.parquet`) and writes one week's chart
//! pack to `{lake}/reports/YYYY-Www/`: charts as PNG (2x) and SVG, each chart's data as CSV and
//! Markdown, a methods note and one self-contained `index.html`, then points
//! `{lake}/reports/latest` at it.
//!
//! - [`build`] is the whole stage; [`ReportConfig`] is its input, [`ReportSummary`] its output.
//! - [`CHARTS`] is the ordered registry of charts; each chart is one file under `charts/`
//!   implementing [`Chart`].
//! - Charts are described as data ([`Figure`]) and drawn by `render/` onto any plotters
//!   backend, so the PNG and the SVG come from the same drawing code.
#![deny(missing_docs)]

mod build;
mod charts;
mod columns;
mod config;
mod csv;
mod data;
mod error;
mod extract;
mod figure;
mod format;
mod html;
mod markdown;
mod marts;
mod methods;
mod render;
#[cfg(test)]
mod sample;
mod table;
mod theme;
mod week;

pub use build::build;
pub use charts::{CHARTS, Chart};
pub use columns::MARTS;
pub use config::{ReportConfig, ReportSummary};
pub use data::ReportData;
pub use error::ReportError;
pub use figure::Figure;
pub use week::IsoWeek;
