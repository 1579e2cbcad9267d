//! Side-by-side panels of lines over dates, each with its own y axis, labelled at the line ends.

use chrono::{Datelike, NaiveDate, Weekday};
use plotters::prelude::*;

use super::pen::{Align, Pen, Rect, spread};
use crate::error::ReportError;
use crate::figure::{Lines, Panel};
use crate::format::{percent, ticks};
use crate::theme::{AXIS, GRID, INK, MUTED};
use crate::week::IsoWeek;

const PANEL_EM: f64 = 15.0;
const TICK_EM: f64 = 12.0;
const LABEL_EM: f64 = 12.5;
const LABELS_WIDTH: f64 = 190.0;
const GAP: f64 = 28.0;

pub(super) fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    area: Rect,
    plot: &Lines,
) -> Result<(), ReportError> {
    let n = plot.panels.len().max(1) as f64;
    let width = (area.x1 - area.x0 - GAP * (n - 1.0)) / n;
    for (i, panel) in plot.panels.iter().enumerate() {
        let left = area.x0 + (width + GAP) * i as f64;
        let r = Rect {
            x0: left,
            y0: area.y0,
            x1: left + width,
            y1: area.y1,
        };
        draw_panel(pen, r, panel)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    area: Rect,
    panel: &Panel,
) -> Result<(), ReportError> {
    let max = panel
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0, f64::max)
        .min(1.0);
    let fmt = |v: f64| {
        if !panel.percent {
            format!("{v:.2}")
        } else if ((v * 100.0).round() - v * 100.0).abs() > 1e-6 {
            percent(v, 1)
        } else {
            percent(v, 0)
        }
    };
    pen.text(
        &panel.title,
        area.x0,
        area.y0 + 14.0,
        PANEL_EM,
        INK,
        Align::Left,
        true,
    )?;
    let x0 = area.x0 + 42.0;
    let x1 = area.x1 - LABELS_WIDTH;
    let (y0, y1) = (area.y0 + 34.0, area.y1 - 24.0);
    let t = ticks(max, 4);
    let top = t.last().copied().unwrap_or(1.0).max(f64::MIN_POSITIVE);
    let y = |v: f64| y1 - (y1 - y0) * (v / top);
    for v in &t {
        pen.line(
            &[(x0, y(*v)), (x1, y(*v))],
            if *v == 0.0 { AXIS } else { GRID },
            1.0,
            false,
        )?;
        pen.text(
            &fmt(*v),
            x0 - 6.0,
            y(*v) + 4.0,
            TICK_EM,
            MUTED,
            Align::Right,
            false,
        )?;
    }
    let dates: Vec<NaiveDate> = panel
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .collect();
    let (Some(first), Some(last)) = (dates.iter().min().copied(), dates.iter().max().copied())
    else {
        return Ok(());
    };
    let span = ((last - first).num_days()).max(1) as f64;
    let x = |d: NaiveDate| x0 + (x1 - x0) * ((d - first).num_days() as f64 / span);
    // Week ticks on Mondays, thinned to at most 6 labels.
    let mondays: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| d.weekday() == Weekday::Mon)
        .collect();
    let every = mondays.len().div_ceil(6).max(1);
    for (k, d) in mondays.iter().enumerate() {
        pen.line(&[(x(*d), y1), (x(*d), y1 + 4.0)], AXIS, 1.0, false)?;
        if k % every == 0 {
            pen.text(
                &IsoWeek::of(*d).short(),
                x(*d),
                y1 + 18.0,
                TICK_EM,
                MUTED,
                Align::Center,
                false,
            )?;
        }
    }
    let mut ends = Vec::new();
    for line in &panel.lines {
        let pts: Vec<(f64, f64)> = line.points.iter().map(|&(d, v)| (x(d), y(v))).collect();
        if pts.len() == 1 {
            pen.dot(pts[0].0, pts[0].1, 3.0, line.color)?;
        } else {
            pen.line(&pts, line.color, 2.5, line.dashed)?;
        }
        if let Some(&(ex, ey)) = pts.last() {
            pen.dot(ex, ey, 3.0, line.color)?;
            ends.push(ey);
        } else {
            ends.push(y(0.0));
        }
    }
    let placed = spread(
        &ends.iter().map(|e| e + 4.0).collect::<Vec<_>>(),
        LABEL_EM * 1.3,
        y0,
        y1 + 4.0,
    );
    for (line, at) in panel.lines.iter().zip(placed) {
        let value = line.points.last().map_or(0.0, |p| p.1);
        let value = if panel.percent {
            percent(value, 0)
        } else {
            format!("{value:.2}")
        };
        let text = pen.fit(
            &format!("{} {value}", line.label),
            LABEL_EM,
            false,
            LABELS_WIDTH - 10.0,
        );
        pen.text(
            &text,
            x1 + 8.0,
            at,
            LABEL_EM,
            line.color,
            Align::Left,
            false,
        )?;
    }
    Ok(())
}
