//! Concentration statistics of a distribution of non-negative values.

/// HHI, top-k shares and Gini of one distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Concentration {
    /// Sum of squared shares, in (0, 1].
    pub hhi: f64,
    /// Share of the largest value.
    pub top1: f64,
    /// Share of the five largest values.
    pub top5: f64,
    /// Share of the ten largest values.
    pub top10: f64,
    /// Gini coefficient (0 = equal, towards 1 = one unit holds all).
    pub gini: f64,
}

/// Concentration of the positive values of `values` (zeros and negatives are not units of the
/// distribution: an organisation with no trending entry is not "a share of trending"); `None`
/// when nothing positive remains.
pub(crate) fn concentration(values: &[f64]) -> Option<Concentration> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| *x > 0.0).collect();
    if v.is_empty() {
        return None;
    }
    // Descending, with a total order so NaN cannot make the sort non-deterministic.
    v.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = v.iter().sum();
    let top = |k: usize| v.iter().take(k).sum::<f64>() / total;
    let hhi = v.iter().map(|x| (x / total) * (x / total)).sum();
    let n = v.len() as f64;
    // Gini over ascending x_i (i = 1..n): 2 * sum(i * x_i) / (n * sum) - (n + 1) / n.
    let weighted: f64 = v
        .iter()
        .rev()
        .enumerate()
        .map(|(i, x)| (i as f64 + 1.0) * x)
        .sum();
    let gini = 2.0 * weighted / (n * total) - (n + 1.0) / n;
    Some(Concentration {
        hhi,
        top1: top(1),
        top5: top(5),
        top10: top(10),
        gini: gini.max(0.0),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn three_units_by_hand() {
        // Shares 0.5, 0.3, 0.2: HHI 0.38; Gini = 2*(20 + 60 + 150)/(3*100) - 4/3 = 0.2.
        let c = concentration(&[30.0, 50.0, 0.0, 20.0]).unwrap();
        assert!((c.hhi - 0.38).abs() < 1e-12);
        assert!((c.top1 - 0.5).abs() < 1e-12);
        assert!((c.top5 - 1.0).abs() < 1e-12 && (c.top10 - 1.0).abs() < 1e-12);
        assert!((c.gini - 0.2).abs() < 1e-12);
    }

    #[test]
    fn one_unit_is_fully_concentrated_and_equal_units_have_zero_gini() {
        let c = concentration(&[7.0]).unwrap();
        assert_eq!((c.hhi, c.top1, c.gini), (1.0, 1.0, 0.0));
        let c = concentration(&[5.0; 4]).unwrap();
        assert!((c.hhi - 0.25).abs() < 1e-12 && c.gini.abs() < 1e-12);
        assert!(concentration(&[0.0, 0.0]).is_none());
    }
}
