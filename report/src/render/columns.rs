//! Stacked columns of shares, labelled directly beside the last column.

use plotters::prelude::*;

use super::pen::{Align, Pen, Rect, spread};
use crate::error::ReportError;
use crate::figure::Columns;
use crate::format::percent;
use crate::theme::{AXIS, GRID, INK, MUTED};

const TICK_EM: f64 = 13.0;
const LABEL_EM: f64 = 13.0;
const LABELS_WIDTH: f64 = 190.0;

pub(super) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    area: Rect,
    plot: &Columns,
) -> Result<(), ReportError> {
    let n = plot.categories.len().max(1);
    let x0 = area.x0 + 44.0;
    let x1 = area.x1 - LABELS_WIDTH;
    let (y0, y1) = (area.y0 + 6.0, area.y1 - 26.0);
    let y = |share: f64| y1 - (y1 - y0) * share.clamp(0.0, 1.0);
    for i in 0..=4 {
        let v = f64::from(i) * 0.25;
        pen.line(
            &[(x0, y(v)), (x1, y(v))],
            if i == 0 { AXIS } else { GRID },
            1.0,
            false,
        )?;
        pen.text(
            &percent(v, 0),
            x0 - 8.0,
            y(v) + 4.5,
            TICK_EM,
            MUTED,
            Align::Right,
            false,
        )?;
    }
    let slot = (x1 - x0) / n as f64;
    let bar = slot * 0.72;
    let label_every = if n > 16 { 2 } else { 1 };
    for (c, category) in plot.categories.iter().enumerate() {
        let left = x0 + slot * c as f64 + (slot - bar) / 2.0;
        let mut base = 0.0;
        for s in &plot.series {
            let v = s.values.get(c).copied().unwrap_or(0.0).max(0.0);
            if v > 0.0 {
                pen.rect(left, y(base + v), left + bar, y(base), s.color)?;
            }
            base += v;
        }
        if c % label_every == 0 || c + 1 == n {
            pen.text(
                category,
                left + bar / 2.0,
                y1 + 18.0,
                TICK_EM,
                MUTED,
                Align::Center,
                false,
            )?;
        }
    }
    // Direct labels at the middle of each segment of the last column.
    let last = plot.categories.len().saturating_sub(1);
    let mut base = 0.0;
    let mut mids = Vec::new();
    for s in &plot.series {
        let v = s.values.get(last).copied().unwrap_or(0.0).max(0.0);
        mids.push(y(base + v / 2.0) + 4.5);
        base += v;
    }
    let placed = spread(&mids, LABEL_EM * 1.25, y0 + 4.0, y1 + 4.0);
    let right = x1 - (slot - bar) / 2.0;
    for ((s, &want), &at) in plot.series.iter().zip(&mids).zip(&placed) {
        let v = s.values.get(last).copied().unwrap_or(0.0);
        let lx = right + 14.0;
        pen.line(
            &[(right + 2.0, want - 4.5), (lx - 3.0, at - 4.5)],
            MUTED,
            1.0,
            false,
        )?;
        pen.rect(lx, at - 10.0, lx + 10.0, at, s.color)?;
        let label = pen.fit(
            &format!("{} {}", s.label, percent(v, 0)),
            LABEL_EM,
            false,
            LABELS_WIDTH - 30.0,
        );
        pen.text(&label, lx + 14.0, at, LABEL_EM, INK, Align::Left, false)?;
    }
    Ok(())
}
