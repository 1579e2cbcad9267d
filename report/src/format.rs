//! Number formatting for chart labels, tables and alt text.

/// A count in compact form: `950`, `12.3K`, `4.5M`, `1.2B`.
pub(crate) fn compact(v: f64) -> String {
    let a = v.abs();
    let (div, unit) = if a >= 1e9 {
        (1e9, "B")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e3 {
        (1e3, "K")
    } else {
        return format!("{}", v.round() as i64);
    };
    let x = v / div;
    let text = if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    };
    // Round numbers read better without a trailing ".0" (axis ticks: 10M, 20M).
    format!("{}{unit}", text.strip_suffix(".0").unwrap_or(&text))
}

/// A fraction as a percentage with `decimals` places: `0.4123` -> `41.2%`.
pub(crate) fn percent(fraction: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, fraction * 100.0)
}

/// An integer with thousands separators: `1234567` -> `1,234,567`.
pub(crate) fn thousands(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if v < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "Nice" axis ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten.
pub(crate) fn ticks(max: f64, target: usize) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0, 1.0];
    }
    let raw = max / target.max(1) as f64;
    let pow = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * pow);
    let n = (max / step).ceil() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_for_people() {
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(12_345.0), "12.3K");
        assert_eq!(compact(4_500_000.0), "4.5M");
        assert_eq!(compact(20_000_000.0), "20M");
        assert_eq!(compact(123_456_789.0), "123M");
        assert_eq!(compact(1_200_000_000.0), "1.2B");
        assert_eq!(percent(0.41234, 1), "41.2%");
        assert_eq!(percent(1.0, 0), "100%");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn ticks_cover_the_maximum_with_round_steps() {
        assert_eq!(
            ticks(1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        let t = ticks(37.0, 4);
        assert_eq!(t, vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        let t = ticks(123_456.0, 5);
        assert!(*t.last().unwrap_or(&0.0) >= 123_456.0);
        assert!(t.len() <= 7);
        assert_eq!(ticks(0.0, 5), vec![0.0, 1.0]);
    }
}
