//! The look: the shipped font, an Okabe-Ito based palette with a fixed colour per country, and
//! the neutral greys (unattributed is always grey, never hidden).

use std::sync::OnceLock;

use plotters::style::{FontStyle, RGBColor, register_font};

use crate::error::ReportError;

/// The font family every chart uses; registered with plotters and declared in the SVGs.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans";
/// The regular face's file name in `fonts/`.
pub(crate) const FONT_REGULAR_FILE: &str = "DejaVuSans.ttf";
/// The bold face's file name in `fonts/`.
pub(crate) const FONT_BOLD_FILE: &str = "DejaVuSans-Bold.ttf";
/// The licence file shipped beside the fonts.
pub(crate) const FONT_LICENSE_FILE: &str = "LICENSE-DejaVu.txt";

static FONT_REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
static FONT_LICENSE: &[u8] = include_bytes!("../assets/fonts/LICENSE-DejaVu.txt");

/// The files copied into every report's `fonts/` directory.
pub(crate) static FONT_FILES: [(&str, &[u8]); 3] = [
    (FONT_REGULAR_FILE, FONT_REGULAR),
    (FONT_BOLD_FILE, FONT_BOLD),
    (FONT_LICENSE_FILE, FONT_LICENSE),
];

/// Registers the compiled-in font with plotters once per process, so PNGs never depend on
/// the system's fonts.
pub(crate) fn register_fonts() -> Result<(), ReportError> {
    static DONE: OnceLock<Result<(), &'static str>> = OnceLock::new();
    let result = DONE.get_or_init(|| {
        register_font(FONT_FAMILY, FontStyle::Normal, FONT_REGULAR)
            .map_err(|_| FONT_REGULAR_FILE)?;
        register_font(FONT_FAMILY, FontStyle::Bold, FONT_BOLD).map_err(|_| FONT_BOLD_FILE)
    });
    result.map_err(|name| ReportError::Font { name })
}

/// Text.
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text: subtitles, axis labels, source line.
pub(crate) const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Gridlines.
pub(crate) const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);
/// Axis baselines.
pub(crate) const AXIS: RGBColor = RGBColor(0x80, 0x80, 0x80);
/// The page.
pub(crate) const PAPER: RGBColor = RGBColor(0xff, 0xff, 0xff);
/// Unattributed (null country): a neutral grey, always shown.
pub(crate) const UNATTRIBUTED_GREY: RGBColor = RGBColor(0xb4, 0xb4, 0xb4);
/// Countries without a colour of their own (Okabe-Ito black, softened).
pub(crate) const OTHER_COUNTRIES: RGBColor = RGBColor(0x4d, 0x4d, 0x4d);
/// A measure of downloads in charts without countries.
pub(crate) const DOWNLOADS_INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// A measure of trending in charts without countries.
pub(crate) const TRENDING_INK: RGBColor = RGBColor(0x8c, 0x8c, 0x8c);
/// Direct download credit.
pub(crate) const DIRECT: RGBColor = RGBColor(0x33, 0x41, 0x5c);
/// Lineage download credit.
pub(crate) const LINEAGE: RGBColor = RGBColor(0xa7, 0xb6, 0xc9);
/// The dark end of the heat grid's sequential scale.
pub(crate) const HEAT: RGBColor = RGBColor(0x1b, 0x49, 0x65);

/// Countries with a colour of their own: ISO code, name, Okabe-Ito colour. Fixed, so a
/// country has the same colour in every chart and every week.
const COUNTRIES: [(&str, &str, RGBColor); 7] = [
    ("US", "United States", RGBColor(0x00, 0x72, 0xb2)),
    ("CN", "China", RGBColor(0xd5, 0x5e, 0x00)),
    ("FR", "France", RGBColor(0x56, 0xb4, 0xe9)),
    ("DE", "Germany", RGBColor(0x00, 0x9e, 0x73)),
    ("GB", "United Kingdom", RGBColor(0xcc, 0x79, 0xa7)),
    ("CA", "Canada", RGBColor(0xe6, 0x9f, 0x00)),
    ("KR", "South Korea", RGBColor(0xf0, 0xe4, 0x42)),
];

/// Names for frequent countries without a colour of their own.
const MORE_NAMES: [(&str, &str); 10] = [
    ("JP", "Japan"),
    ("AE", "United Arab Emirates"),
    ("IL", "Israel"),
    ("IN", "India"),
    ("SG", "Singapore"),
    ("CH", "Switzerland"),
    ("NL", "Netherlands"),
    ("SE", "Sweden"),
    ("ES", "Spain"),
    ("IT", "Italy"),
];

/// The label of "every country without its own colour".
pub(crate) const OTHER_COUNTRIES_LABEL: &str = "Other countries";
/// The label of the null country.
pub(crate) const UNATTRIBUTED_LABEL: &str = "No known country";

/// True when the country has a colour of its own.
pub(crate) fn has_own_color(code: Option<&str>) -> bool {
    code.is_some_and(|c| COUNTRIES.iter().any(|(k, _, _)| *k == c))
}

/// The fixed colour of a country (`None` = unattributed).
pub(crate) fn country_color(code: Option<&str>) -> RGBColor {
    match code {
        None => UNATTRIBUTED_GREY,
        Some(c) => COUNTRIES
            .iter()
            .find(|(k, _, _)| *k == c)
            .map_or(OTHER_COUNTRIES, |(_, _, color)| *color),
    }
}

/// A country's display name: its English name when known, else its code.
pub(crate) fn country_name(code: Option<&str>) -> String {
    match code {
        None => UNATTRIBUTED_LABEL.to_string(),
        Some(c) => COUNTRIES
            .iter()
            .map(|(k, n, _)| (*k, *n))
            .chain(MORE_NAMES)
            .find(|(k, _)| *k == c)
            .map_or_else(|| c.to_string(), |(_, n)| n.to_string()),
    }
}

/// Relative luminance (0 dark .. 1 light), to pick a readable text colour on a fill.
pub(crate) fn is_light(c: RGBColor) -> bool {
    let l = 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
    l > 150.0
}

/// `t` of the way from white to `to`.
pub(crate) fn tint(to: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * t).round() as u8;
    RGBColor(mix(to.0), mix(to.1), mix(to.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_country_keeps_one_colour_and_unattributed_is_grey() {
        assert_eq!(country_color(Some("US")), country_color(Some("US")));
        assert_eq!(country_color(None), UNATTRIBUTED_GREY);
        assert_eq!(country_color(Some("ZZ")), OTHER_COUNTRIES);
        assert_eq!(country_color(Some("JP")), OTHER_COUNTRIES);
        let colors: Vec<RGBColor> = COUNTRIES.iter().map(|(_, _, c)| *c).collect();
        for (i, a) in colors.iter().enumerate() {
            assert_ne!(*a, UNATTRIBUTED_GREY);
            assert_ne!(*a, OTHER_COUNTRIES);
            assert!(colors[i + 1..].iter().all(|b| b != a), "colour reused");
        }
        assert_eq!(country_name(Some("CN")), "China");
        assert_eq!(country_name(Some("JP")), "Japan");
        assert_eq!(country_name(Some("ZZ")), "ZZ");
        assert_eq!(country_name(None), UNATTRIBUTED_LABEL);
        assert!(has_own_color(Some("FR")) && !has_own_color(Some("JP")) && !has_own_color(None));
    }

    #[test]
    fn the_font_registers() {
        assert!(register_fonts().is_ok());
        assert!(register_fonts().is_ok());
    }
}
