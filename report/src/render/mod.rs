//! Draws a [`Figure`] onto any plotters backend: the frame (title, subtitle, legend, notes,
//! source line) here, each plot kind in its own module. The same code draws the SVG at 1x and
//! the PNG at 2x.

mod bars;
mod columns;
mod heat;
mod lines;
mod movers;
mod pen;

use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use plotters::prelude::*;

use crate::error::ReportError;
use crate::figure::{Figure, Plot};
use crate::theme::{self, FONT_BOLD_FILE, FONT_FAMILY, FONT_REGULAR_FILE, INK, MUTED, PAPER};

pub(crate) use pen::{Pen, Rect};

/// Logical chart size in CSS pixels; the SVG has this size, the PNG twice it.
pub(crate) const WIDTH: u32 = 1200;
/// See [`WIDTH`].
pub(crate) const HEIGHT: u32 = 675;
/// PNG pixels per logical pixel (retina).
pub(crate) const PNG_SCALE: u32 = 2;

const PAD: f64 = 36.0;
const TITLE_EM: f64 = 26.0;
const SUBTITLE_EM: f64 = 16.0;
const LEGEND_EM: f64 = 14.0;
const FOOT_EM: f64 = 12.0;
const FOOT_LINE: f64 = 18.0;

/// Draws the frame and the plot.
fn draw<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    fig: &Figure,
    source: &str,
) -> Result<(), ReportError> {
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    pen.rect(0.0, 0.0, w, h, PAPER)?;
    let mut y = 44.0;
    for line in pen.wrap(&fig.title, TITLE_EM, true, w - 2.0 * PAD) {
        pen.text(&line, PAD, y, TITLE_EM, INK, pen::Align::Left, true)?;
        y += TITLE_EM * 1.25;
    }
    y += 2.0;
    for line in pen.wrap(&fig.subtitle, SUBTITLE_EM, false, w - 2.0 * PAD) {
        pen.text(&line, PAD, y, SUBTITLE_EM, MUTED, pen::Align::Left, false)?;
        y += SUBTITLE_EM * 1.35;
    }
    if !fig.legend.is_empty() {
        y += 8.0;
        let mut x = PAD;
        for (label, color) in &fig.legend {
            let width = pen.width(label, LEGEND_EM, false) + 34.0;
            if x + width > w - PAD {
                x = PAD;
                y += LEGEND_EM * 1.6;
            }
            pen.rect(x, y - 11.0, x + 12.0, y + 1.0, *color)?;
            pen.text(label, x + 17.0, y, LEGEND_EM, INK, pen::Align::Left, false)?;
            x += width;
        }
        y += 4.0;
    }
    let top = y + 18.0;
    let mut foot = Vec::new();
    for note in &fig.notes {
        foot.extend(pen.wrap(note, FOOT_EM, false, w - 2.0 * PAD));
    }
    foot.extend(pen.wrap(source, FOOT_EM, false, w - 2.0 * PAD));
    let bottom = h - 14.0 - FOOT_LINE * foot.len() as f64;
    for (i, line) in foot.iter().enumerate() {
        let baseline = bottom + FOOT_LINE * (i as f64 + 1.0);
        pen.text(line, PAD, baseline, FOOT_EM, MUTED, pen::Align::Left, false)?;
    }
    let area = Rect {
        x0: PAD,
        y0: top,
        x1: w - PAD,
        y1: bottom - 10.0,
    };
    match &fig.plot {
        Plot::Columns(p) => columns::draw(pen, area, p),
        Plot::Bars(p) => bars::draw(pen, area, p),
        Plot::Heat(p) => heat::draw(pen, area, p),
        Plot::Lines(p) => lines::draw(pen, area, p),
        Plot::Movers(p) => movers::draw(pen, area, p),
        Plot::Empty(message) => pen.text(
            message,
            (area.x0 + area.x1) / 2.0,
            (area.y0 + area.y1) / 2.0,
            SUBTITLE_EM,
            MUTED,
            pen::Align::Center,
            false,
        ),
    }
}

/// The chart as an encoded PNG at twice the logical size.
pub(crate) fn png(fig: &Figure, chart: &'static str, source: &str) -> Result<Vec<u8>, ReportError> {
    theme::register_fonts()?;
    let (w, h) = (WIDTH * PNG_SCALE, HEIGHT * PNG_SCALE);
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    {
        let backend = BitMapBackend::with_buffer(&mut buf, (w, h));
        let area = backend.into_drawing_area();
        let pen = Pen::new(&area, f64::from(PNG_SCALE), false, chart);
        draw(&pen, fig, source)?;
        area.present().map_err(|e| pen.error(&e))?;
    }
    let mut out = Vec::with_capacity(buf.len() / 8);
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&buf, w, h, image::ExtendedColorType::Rgb8)
        .map_err(|source| ReportError::Png {
            path: format!("charts/{chart}.png").into(),
            source,
        })?;
    Ok(out)
}

/// The chart as SVG text at the logical size, with the shipped font declared.
pub(crate) fn svg(fig: &Figure, chart: &'static str, source: &str) -> Result<String, ReportError> {
    theme::register_fonts()?;
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT));
        let area = backend.into_drawing_area();
        let pen = Pen::new(&area, 1.0, true, chart);
        draw(&pen, fig, source)?;
        area.present().map_err(|e| pen.error(&e))?;
    }
    Ok(with_font_face(&out, &fig.title, &fig.alt))
}

/// Inserts a title, a description and an `@font-face` rule for the shipped font (relative to
/// the report's `charts/` directory) right after the root `<svg>` tag. The rule on `text`
/// outranks plotters' presentation attributes; the generic fallback keeps it readable when the
/// SVG is opened without its `fonts/` directory.
fn with_font_face(svg: &str, title: &str, alt: &str) -> String {
    let esc = |s: &str| html_escape::encode_text(s).into_owned();
    let head = format!(
        "<title>{}</title>\n<desc>{}</desc>\n<defs><style>\
         @font-face{{font-family:'{FONT_FAMILY}';font-weight:normal;src:url('../fonts/{FONT_REGULAR_FILE}') format('truetype');}}\
         @font-face{{font-family:'{FONT_FAMILY}';font-weight:bold;src:url('../fonts/{FONT_BOLD_FILE}') format('truetype');}}\
         text{{font-family:'{FONT_FAMILY}',Verdana,sans-serif;}}</style></defs>\n",
        esc(title),
        esc(alt),
    );
    match svg.find('>') {
        Some(end) if svg.starts_with("<svg") => {
            let (open, rest) = svg.split_at(end + 1);
            format!("{open}\n{head}{}", rest.trim_start_matches('\n'))
        }
        _ => svg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_face_goes_inside_the_root_element() {
        let out = with_font_face("<svg width=\"1\">\n<rect/>\n</svg>\n", "A & B", "x<y");
        assert!(
            out.starts_with("<svg width=\"1\">\n<title>A &amp; B</title>"),
            "{out}"
        );
        assert!(out.contains("<desc>x&lt;y</desc>"));
        assert!(out.contains("url('../fonts/DejaVuSans.ttf')"));
        assert!(out.ends_with("<rect/>\n</svg>\n"));
    }
}
