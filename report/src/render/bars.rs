//! Horizontal bars, one row per item, one or more bars per row, values labelled at the end.

use plotters::prelude::*;

use super::pen::{Align, Pen, Rect};
use crate::error::ReportError;
use crate::figure::Bars;
use crate::format::{compact, ticks};
use crate::theme::{AXIS, GRID, INK, MUTED};

const LABEL_EM: f64 = 14.0;
const TICK_EM: f64 = 12.0;
const NOTE_EM: f64 = 13.0;

pub(super) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    area: Rect,
    plot: &Bars,
) -> Result<(), ReportError> {
    let n = plot.rows.len().max(1);
    let label_w = plot
        .rows
        .iter()
        .map(|r| pen.width(&r.label, LABEL_EM, false))
        .fold(0.0, f64::max)
        .min(250.0);
    let chip = if plot.rows.iter().any(|r| r.chip.is_some()) {
        16.0
    } else {
        0.0
    };
    let note_w = plot
        .rows
        .iter()
        .map(|r| pen.width(&r.note, NOTE_EM, false))
        .fold(0.0, f64::max)
        + 12.0;
    let x0 = area.x0 + chip + label_w + 12.0;
    let x1 = area.x1 - note_w;
    let (y0, y1) = (area.y0, area.y1 - 40.0);
    let max = plot
        .rows
        .iter()
        .flat_map(|r| r.values.iter().map(|v| v.0))
        .fold(0.0, f64::max);
    let t = ticks(max, 5);
    let top = t.last().copied().unwrap_or(1.0).max(f64::MIN_POSITIVE);
    let x = |v: f64| x0 + (x1 - x0) * (v.max(0.0) / top);
    for v in &t {
        pen.line(&[(x(*v), y0), (x(*v), y1)], GRID, 1.0, false)?;
        pen.text(
            &compact(*v),
            x(*v),
            y1 + 16.0,
            TICK_EM,
            MUTED,
            Align::Center,
            false,
        )?;
    }
    pen.line(&[(x0, y0), (x0, y1)], AXIS, 1.0, false)?;
    pen.text(
        &plot.axis,
        (x0 + x1) / 2.0,
        y1 + 34.0,
        TICK_EM,
        MUTED,
        Align::Center,
        false,
    )?;
    let row_h = (y1 - y0) / n as f64;
    for (i, row) in plot.rows.iter().enumerate() {
        let top = y0 + row_h * i as f64;
        let mid = top + row_h / 2.0;
        let groups = row.values.len().max(1) as f64;
        let thick = (row_h * 0.72 / groups).min(28.0);
        let start = mid - thick * groups / 2.0;
        let mut end = x0;
        for (g, (v, color)) in row.values.iter().enumerate() {
            let by = start + thick * g as f64;
            pen.rect(x0, by, x(*v).max(x0 + 1.0), by + thick - 1.0, *color)?;
            end = end.max(x(*v));
        }
        if let Some(c) = row.chip {
            pen.rect(area.x0, mid - 6.0, area.x0 + 10.0, mid + 4.0, c)?;
        }
        let label = pen.fit(&row.label, LABEL_EM, false, label_w);
        pen.text(
            &label,
            area.x0 + chip,
            mid + 5.0,
            LABEL_EM,
            INK,
            Align::Left,
            false,
        )?;
        pen.text(
            &row.note,
            end + 6.0,
            mid + 4.5,
            NOTE_EM,
            INK,
            Align::Left,
            false,
        )?;
    }
    Ok(())
}
