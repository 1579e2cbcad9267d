//! A heat grid of counts: rows by columns, the count written in each cell.

use plotters::prelude::*;

use super::pen::{Align, Pen, Rect};
use crate::error::ReportError;
use crate::figure::Heat;
use crate::theme::{HEAT, INK, MUTED, PAPER, is_light, tint};

const LABEL_EM: f64 = 14.0;
const CELL_EM: f64 = 12.0;

pub(super) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    area: Rect,
    plot: &Heat,
) -> Result<(), ReportError> {
    let label_w = plot
        .rows
        .iter()
        .map(|(l, _)| pen.width(l, LABEL_EM, false))
        .fold(0.0, f64::max)
        .min(240.0);
    let x0 = area.x0 + 16.0 + label_w + 12.0;
    let (y0, y1) = (area.y0 + 22.0, area.y1);
    let cols = plot.columns.len().max(1) as f64;
    let rows = plot.rows.len().max(1) as f64;
    let cw = ((area.x1 - x0) / cols).min(90.0);
    let rh = ((y1 - y0) / rows).min(42.0);
    let max = plot.cells.iter().flatten().copied().fold(0.0, f64::max);
    for (c, name) in plot.columns.iter().enumerate() {
        let cx = x0 + cw * (c as f64 + 0.5);
        pen.text(name, cx, y0 - 8.0, CELL_EM, MUTED, Align::Center, false)?;
    }
    for (r, (label, chip)) in plot.rows.iter().enumerate() {
        let top = y0 + rh * r as f64;
        let mid = top + rh / 2.0;
        pen.rect(area.x0, mid - 6.0, area.x0 + 10.0, mid + 4.0, *chip)?;
        let label = pen.fit(label, LABEL_EM, false, label_w);
        pen.text(
            &label,
            area.x0 + 16.0,
            mid + 5.0,
            LABEL_EM,
            INK,
            Align::Left,
            false,
        )?;
        for c in 0..plot.columns.len() {
            let v = plot
                .cells
                .get(r)
                .and_then(|row| row.get(c))
                .copied()
                .unwrap_or(0.0);
            let left = x0 + cw * c as f64;
            // A floor of 8% keeps a single entry visibly different from none.
            let fill = if v > 0.0 && max > 0.0 {
                tint(HEAT, 0.08 + 0.92 * v / max)
            } else {
                RGBColor(0xf4, 0xf4, 0xf4)
            };
            pen.rect(left + 1.0, top + 1.0, left + cw - 1.0, top + rh - 1.0, fill)?;
            let text = if v > 0.0 {
                format!("{}", v.round() as i64)
            } else {
                String::from("–")
            };
            let ink = if is_light(fill) { INK } else { PAPER };
            pen.text(
                &text,
                left + cw / 2.0,
                mid + 4.5,
                CELL_EM,
                ink,
                Align::Center,
                false,
            )?;
        }
    }
    Ok(())
}
