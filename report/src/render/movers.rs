//! Rank gains as bars with "from -> to" labels, and new entrants as a ranked list.

use plotters::prelude::*;

use super::pen::{Align, Pen, Rect};
use crate::error::ReportError;
use crate::figure::Movers;
use crate::theme::{AXIS, INK, MUTED};

const HEAD_EM: f64 = 15.0;
const LABEL_EM: f64 = 14.0;
const NOTE_EM: f64 = 13.0;
const MAX_ROW: f64 = 40.0;

pub(super) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    area: Rect,
    plot: &Movers,
) -> Result<(), ReportError> {
    let split = area.x0 + (area.x1 - area.x0) * 0.62;
    pen.text(
        "Biggest climbers (places gained)",
        area.x0,
        area.y0 + 14.0,
        HEAD_EM,
        INK,
        Align::Left,
        true,
    )?;
    pen.text(
        &plot.entrants_title,
        split + 24.0,
        area.y0 + 14.0,
        HEAD_EM,
        INK,
        Align::Left,
        true,
    )?;
    let (y0, y1) = (area.y0 + 34.0, area.y1);
    if plot.gains.is_empty() {
        pen.text(
            "No organisation climbed this week.",
            area.x0,
            y0 + 24.0,
            LABEL_EM,
            MUTED,
            Align::Left,
            false,
        )?;
    } else {
        let label_w = plot
            .gains
            .iter()
            .map(|g| pen.width(&g.label, LABEL_EM, false))
            .fold(0.0, f64::max)
            .min(200.0);
        let x0 = area.x0 + 16.0 + label_w + 10.0;
        // Leave room after the longest bar for its "+N  (#a → #b)" note.
        let note_w = plot
            .gains
            .iter()
            .map(|g| pen.width(&gain_note(g.previous, g.rank), NOTE_EM, false))
            .fold(0.0, f64::max);
        let x1 = split - note_w - 16.0;
        let max = plot
            .gains
            .iter()
            .map(|g| g.previous - g.rank)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let rh = ((y1 - y0) / plot.gains.len() as f64).min(MAX_ROW);
        pen.line(
            &[(x0, y0), (x0, y0 + rh * plot.gains.len() as f64)],
            AXIS,
            1.0,
            false,
        )?;
        for (i, g) in plot.gains.iter().enumerate() {
            let mid = y0 + rh * (i as f64 + 0.5);
            let gained = (g.previous - g.rank).max(0) as f64;
            let end = x0 + (x1 - x0) * gained / max;
            pen.rect(
                x0,
                mid - rh * 0.32,
                end.max(x0 + 1.0),
                mid + rh * 0.32,
                g.color,
            )?;
            pen.rect(area.x0, mid - 6.0, area.x0 + 10.0, mid + 4.0, g.color)?;
            let label = pen.fit(&g.label, LABEL_EM, false, label_w);
            pen.text(
                &label,
                area.x0 + 16.0,
                mid + 5.0,
                LABEL_EM,
                INK,
                Align::Left,
                false,
            )?;
            let note = gain_note(g.previous, g.rank);
            pen.text(
                &note,
                end + 6.0,
                mid + 4.5,
                NOTE_EM,
                INK,
                Align::Left,
                false,
            )?;
        }
    }
    let lx = split + 24.0;
    pen.line(&[(split, area.y0), (split, y1)], AXIS, 1.0, false)?;
    if plot.entrants.is_empty() {
        pen.text(
            "No new entrants this week.",
            lx,
            y0 + 24.0,
            LABEL_EM,
            MUTED,
            Align::Left,
            false,
        )?;
        return Ok(());
    }
    let rh = ((y1 - y0) / plot.entrants.len() as f64).min(MAX_ROW * 0.8);
    for (i, (rank, label, color)) in plot.entrants.iter().enumerate() {
        let mid = y0 + rh * (i as f64 + 0.5);
        pen.text(
            &format!("#{rank}"),
            lx + 36.0,
            mid + 5.0,
            LABEL_EM,
            MUTED,
            Align::Right,
            false,
        )?;
        pen.rect(lx + 46.0, mid - 6.0, lx + 56.0, mid + 4.0, *color)?;
        let label = pen.fit(label, LABEL_EM, false, area.x1 - lx - 64.0);
        pen.text(
            &label,
            lx + 62.0,
            mid + 5.0,
            LABEL_EM,
            INK,
            Align::Left,
            false,
        )?;
    }
    Ok(())
}

/// The note after a climber's bar: places gained, then the previous and the new rank.
fn gain_note(previous: i64, rank: i64) -> String {
    format!("+{}  (#{previous} → #{rank})", (previous - rank).max(0))
}
