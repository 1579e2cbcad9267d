//! Coverage: how much of a weighted list of namespaces the registry attributes.

use crate::registry::Registry;

/// Totals of a weighted list of namespaces (e.g. models weighted by 30-day downloads, or
/// trending entries weighted 1), split by what the registry knows about each namespace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Sum of all weights.
    pub total: u64,
    /// Sum of the weights of namespaces with a registry row.
    pub attributed: u64,
    /// Sum of the weights of namespaces with a registry row that has a country.
    pub with_country: u64,
}

impl Coverage {
    /// Share of the total attributed to an organisation, in [0, 1] (1 for an empty list).
    pub fn attributed_share(&self) -> f64 {
        share(self.attributed, self.total)
    }

    /// Share of the total attributed to an organisation with a country, in [0, 1].
    pub fn country_share(&self) -> f64 {
        share(self.with_country, self.total)
    }
}

// An empty list has nothing unattributed, so its coverage is complete rather than undefined.
fn share(part: u64, total: u64) -> f64 {
    if total == 0 {
        1.0
    } else {
        part as f64 / total as f64
    }
}

impl Registry {
    /// Coverage of `(namespace, weight)` items (a namespace may repeat; weights add up).
    pub fn coverage<'a>(&self, items: impl IntoIterator<Item = (&'a str, u64)>) -> Coverage {
        let mut c = Coverage::default();
        for (namespace, weight) in items {
            c.total += weight;
            if let Some(record) = self.lookup(namespace) {
                c.attributed += weight;
                if record.country.is_some() {
                    c.with_country += weight;
                }
            }
        }
        c
    }

    /// The namespaces of `items` lacking a row or a country, with their summed weight and whether
    /// they have a row, heaviest first (ties by namespace, so the order is deterministic).
    pub fn gaps<'a>(&self, items: impl IntoIterator<Item = (&'a str, u64)>) -> Vec<Gap> {
        let mut sums: std::collections::BTreeMap<String, (String, u64)> = Default::default();
        for (namespace, weight) in items {
            if self.lookup(namespace).is_some_and(|r| r.country.is_some()) {
                continue;
            }
            let slot = sums
                .entry(namespace.to_ascii_lowercase())
                .or_insert_with(|| (namespace.to_owned(), 0));
            slot.1 += weight;
        }
        let mut gaps: Vec<Gap> = sums
            .into_values()
            .map(|(namespace, weight)| Gap {
                registered: self.lookup(&namespace).is_some(),
                namespace,
                weight,
            })
            .collect();
        gaps.sort_by(|a, b| {
            b.weight
                .cmp(&a.weight)
                .then_with(|| a.namespace.cmp(&b.namespace))
        });
        gaps
    }
}

/// A namespace the registry does not attribute to a country, for `hubtrends orgs unattributed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The namespace as first seen in the items.
    pub namespace: String,
    /// Summed weight of its items.
    pub weight: u64,
    /// Whether it has a row (without a country) rather than no row at all.
    pub registered: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const CSV: &str = "namespace,org,parent,country,kind,evidence\n\
        bartowski,bartowski,,,individual,hf.co/bartowski profile\n\
        Qwen,Qwen,,CN,company,hf.co/Qwen\n";

    #[test]
    fn coverage_weights_rows_with_and_without_country() {
        let reg = Registry::from_csv(CSV, "t.csv").unwrap();
        let c = reg.coverage([("qwen", 6), ("bartowski", 3), ("nobody", 1)]);
        assert_eq!(
            c,
            Coverage {
                total: 10,
                attributed: 9,
                with_country: 6
            }
        );
        assert!((c.attributed_share() - 0.9).abs() < 1e-12);
        assert!((c.country_share() - 0.6).abs() < 1e-12);
        assert_eq!(reg.coverage([]).country_share(), 1.0);
    }

    #[test]
    fn gaps_list_unattributed_heaviest_first() {
        let reg = Registry::from_csv(CSV, "t.csv").unwrap();
        let gaps = reg.gaps([
            ("nobody", 1),
            ("Qwen", 9),
            ("bartowski", 3),
            ("Nobody", 4),
            ("alpha", 5),
        ]);
        let got: Vec<_> = gaps
            .iter()
            .map(|g| (g.namespace.as_str(), g.weight, g.registered))
            .collect();
        assert_eq!(
            got,
            [
                ("alpha", 5, false),
                ("nobody", 5, false),
                ("bartowski", 3, true)
            ]
        );
    }
}
