//! Drawing in logical (1x) coordinates on any backend, with text placed by its baseline so
//! the PNG and the SVG put letters in the same place.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::ReportError;
use crate::theme::FONT_FAMILY;

/// ab_glyph scales a font so ascent - descent = size; DejaVu's is 2384/2048 em.
const GLYPH_SIZE_PER_EM: f64 = 2384.0 / 2048.0;
/// plotters' SVG backend writes `font-size = size / 1.24`.
const SVG_SIZE_PER_EM: f64 = 1.24;
/// plotters' SVG backend shifts top-anchored text down by `dy = 0.76em`.
const SVG_TOP_DY_EM: f64 = 0.76;

/// Horizontal text alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// A rectangle in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// A drawing area with the scale from logical to device pixels.
pub(crate) struct Pen<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    scale: f64,
    svg: bool,
    chart: &'static str,
}

impl<'a, DB: DrawingBackend> Pen<'a, DB> {
    /// A pen on `area`; `svg` selects the SVG text placement.
    pub fn new(
        area: &'a DrawingArea<DB, Shift>,
        scale: f64,
        svg: bool,
        chart: &'static str,
    ) -> Self {
        Self {
            area,
            scale,
            svg,
            chart,
        }
    }

    /// A drawing error of this chart.
    pub fn error(&self, e: &dyn std::fmt::Display) -> ReportError {
        ReportError::Draw {
            chart: self.chart,
            format: if self.svg { "svg" } else { "png" },
            message: e.to_string(),
        }
    }

    fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    /// A filled rectangle.
    pub fn rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        color: RGBColor,
    ) -> Result<(), ReportError> {
        let r = Rectangle::new(
            [(self.px(x0), self.px(y0)), (self.px(x1), self.px(y1))],
            color.filled(),
        );
        self.area.draw(&r).map_err(|e| self.error(&e))
    }

    /// A polyline `width` logical pixels wide, optionally dashed.
    pub fn line(
        &self,
        points: &[(f64, f64)],
        color: RGBColor,
        width: f64,
        dashed: bool,
    ) -> Result<(), ReportError> {
        let pts: Vec<(i32, i32)> = points
            .iter()
            .map(|&(x, y)| (self.px(x), self.px(y)))
            .collect();
        let stroke = ((width * self.scale).round() as u32).max(1);
        let style = color.stroke_width(stroke);
        if dashed {
            let (dash, gap) = (self.px(6.0), self.px(4.0));
            self.area
                .draw(&DashedPathElement::new(pts, dash, gap, style))
                .map_err(|e| self.error(&e))
        } else {
            self.area
                .draw(&PathElement::new(pts, style))
                .map_err(|e| self.error(&e))
        }
    }

    /// A filled circle of radius `r`.
    pub fn dot(&self, x: f64, y: f64, r: f64, color: RGBColor) -> Result<(), ReportError> {
        let c = Circle::new((self.px(x), self.px(y)), self.px(r).max(1), color.filled());
        self.area.draw(&c).map_err(|e| self.error(&e))
    }

    fn font(em: f64, bold: bool, size_per_em: f64) -> FontDesc<'static> {
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FontFamily::Name(FONT_FAMILY), em * size_per_em, style)
    }

    /// Text with its baseline at `y`, `em` logical pixels per em.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &self,
        text: &str,
        x: f64,
        y: f64,
        em: f64,
        color: RGBColor,
        align: Align,
        bold: bool,
    ) -> Result<(), ReportError> {
        if text.is_empty() {
            return Ok(());
        }
        let h = match align {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
            Align::Right => HPos::Right,
        };
        let (font, top) = if self.svg {
            (
                Self::font(em, bold, SVG_SIZE_PER_EM),
                y - SVG_TOP_DY_EM * em,
            )
        } else {
            // plotters' ab_glyph drawing puts the baseline half a "size" below a top anchor.
            let font = Self::font(em * self.scale, bold, GLYPH_SIZE_PER_EM);
            (font, y - em * GLYPH_SIZE_PER_EM / 2.0)
        };
        let style = font.color(&color).pos(Pos::new(h, VPos::Top));
        let t = Text::new(text.to_string(), (self.px(x), self.px(top)), style);
        self.area.draw(&t).map_err(|e| self.error(&e))
    }

    /// The advance width of `text` in logical pixels.
    pub fn width(&self, text: &str, em: f64, bold: bool) -> f64 {
        Self::font(em, bold, GLYPH_SIZE_PER_EM)
            .box_size(text)
            .map_or(text.chars().count() as f64 * em * 0.6, |(w, _)| {
                f64::from(w)
            })
    }

    /// `text` shortened with an ellipsis to fit `max` logical pixels.
    pub fn fit(&self, text: &str, em: f64, bold: bool, max: f64) -> String {
        if self.width(text, em, bold) <= max {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate: String = chars.iter().collect::<String>() + "…";
            if self.width(&candidate, em, bold) <= max {
                return candidate;
            }
        }
        String::from("…")
    }

    /// `text` broken into lines of at most `max` logical pixels, at spaces.
    pub fn wrap(&self, text: &str, em: f64, bold: bool, max: f64) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.width(&candidate, em, bold) > max {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// Spreads label positions (sorted or not) so neighbours are at least `gap` apart, keeping
/// them within `[lo, hi]` where possible. Returns positions in the input order.
pub(crate) fn spread(wanted: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]).then(a.cmp(&b)));
    let mut pos: Vec<f64> = order.iter().map(|&i| wanted[i]).collect();
    for i in 0..pos.len() {
        let floor = if i == 0 { lo } else { pos[i - 1] + gap };
        pos[i] = pos[i].max(floor);
    }
    // Pushed past the bottom: shift back up from the end.
    for i in (0..pos.len()).rev() {
        let ceil = if i + 1 == pos.len() {
            hi
        } else {
            pos[i + 1] - gap
        };
        pos[i] = pos[i].min(ceil);
    }
    let mut out = vec![0.0; wanted.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = pos[k];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_keeps_labels_apart_and_in_bounds() {
        let out = spread(&[10.0, 11.0, 50.0, 12.0], 5.0, 0.0, 100.0);
        let mut sorted = out.clone();
        sorted.sort_by(f64::total_cmp);
        assert!(
            sorted.windows(2).all(|w| w[1] - w[0] >= 5.0 - 1e-9),
            "{out:?}"
        );
        assert_eq!(out[2], 50.0);
        let out = spread(&[99.0, 100.0], 5.0, 0.0, 100.0);
        assert!(
            out.iter().all(|v| *v <= 100.0) && (out[1] - out[0]).abs() >= 5.0 - 1e-9,
            "{out:?}"
        );
    }
}
