//! Namespace -> organisation, country, region, kind, through the registry.
//!
//! The registry is looked up in Rust, once per distinct namespace of a day (a few hundred
//! thousand at most), with the registry's own case-insensitive matching; the result is joined
//! onto the day's rows by Polars.

use hubtrends_orgs::Registry;
use polars::prelude::*;
use rustc_hash::FxHashSet;

use crate::columns as c;

/// The registry's answer for one namespace: `(org, country, region, kind, attributed)`.
/// An unregistered namespace stands for itself with everything else null.
pub(crate) fn attribute_one(
    registry: &Registry,
    namespace: &str,
) -> (
    String,
    Option<String>,
    Option<&'static str>,
    Option<&'static str>,
    bool,
) {
    match registry.lookup(namespace) {
        Some(r) => (
            r.org.clone(),
            r.country.clone(),
            r.region().map(|g| g.as_str()),
            Some(r.kind.as_str()),
            true,
        ),
        None => (namespace.to_owned(), None, None, None, false),
    }
}

/// Replaces a null `author` with the namespace part of `id` (DESIGN: "author, else the
/// namespace part of id"); a no-op on well-formed snapshots.
pub(crate) fn fill_author(df: DataFrame) -> PolarsResult<DataFrame> {
    if df.column(c::AUTHOR)?.null_count() == 0 {
        return Ok(df);
    }
    let ids = df.column(c::ID)?.str()?.clone();
    let authors = df.column(c::AUTHOR)?.str()?.clone();
    let filled: StringChunked = authors
        .iter()
        .zip(ids.iter())
        .map(|(a, id)| a.or_else(|| id.map(|id| id.split('/').next().unwrap_or(id))))
        .collect();
    let mut df = df;
    df.with_column(
        filled
            .with_name(c::AUTHOR.into())
            .into_series()
            .into_column(),
    )?;
    Ok(df)
}

/// The attribution table for the distinct values of the `author` column of `frames`:
/// author, org, country, region, kind, attributed.
pub(crate) fn table(registry: &Registry, frames: &[&DataFrame]) -> PolarsResult<DataFrame> {
    // Distinct authors through a hash set, then sorted once: a B-tree insert per row (a million
    // string comparisons deep) cost more than the whole lookup.
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    for df in frames {
        let mut last: Option<&str> = None;
        for a in df.column(c::AUTHOR)?.str()?.iter().flatten() {
            // Rows sorted by id come in runs of one author: skip the repeats cheaply.
            if last != Some(a) {
                seen.insert(a);
                last = Some(a);
            }
        }
    }
    let mut namespaces: Vec<&str> = seen.into_iter().collect();
    namespaces.sort_unstable();
    let n = namespaces.len();
    let (mut authors, mut orgs) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut countries, mut regions) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut kinds, mut attributed) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for ns in namespaces {
        let (org, country, region, kind, known) = attribute_one(registry, ns);
        authors.push(ns);
        orgs.push(org);
        countries.push(country);
        regions.push(region);
        kinds.push(kind);
        attributed.push(known);
    }
    DataFrame::new_infer_height(vec![
        Column::new(c::AUTHOR.into(), authors),
        Column::new(c::ORG.into(), orgs),
        Column::new(c::COUNTRY.into(), countries),
        Column::new(c::REGION.into(), regions),
        Column::new(c::KIND.into(), kinds),
        Column::new(c::ATTRIBUTED.into(), attributed),
    ])
}

/// Left-joins the attribution table onto `lf` by `author`, keeping `lf`'s row order.
pub(crate) fn join(lf: LazyFrame, table: &DataFrame) -> LazyFrame {
    left_join_ordered(lf, table.clone().lazy(), c::AUTHOR)
}

/// Left join on one key column that keeps the left side's row order (determinism).
pub(crate) fn left_join_ordered(left: LazyFrame, right: LazyFrame, key: &str) -> LazyFrame {
    let mut args = JoinArgs::new(JoinType::Left);
    args.maintain_order = MaintainOrderJoin::Left;
    left.join(right, [col(key)], [col(key)], args)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const CSV: &str = "namespace,org,parent,country,kind,evidence\n\
        meta-llama,Meta,,US,company,https://ai.meta.com\n\
        nocountry,NoCountry,,,community,https://example.org\n";

    #[test]
    fn registered_namespaces_match_case_insensitively_and_others_stand_for_themselves() {
        let registry = Registry::from_csv(CSV, "test").unwrap();
        let (org, country, region, kind, known) = attribute_one(&registry, "Meta-Llama");
        assert_eq!(
            (org.as_str(), country.as_deref(), region, known),
            ("Meta", Some("US"), Some("us"), true)
        );
        assert!(kind.is_some());
        let (org, country, region, kind, known) = attribute_one(&registry, "someone");
        assert_eq!(
            (org.as_str(), country, region, kind, known),
            ("someone", None, None, None, false)
        );
        let (_, country, _, _, known) = attribute_one(&registry, "nocountry");
        assert!(known && country.is_none());
    }

    #[test]
    fn null_author_falls_back_to_the_id_namespace() {
        let df = DataFrame::new_infer_height(vec![
            Column::new(c::ID.into(), ["a/x", "b/y"]),
            Column::new(c::AUTHOR.into(), [Some("a"), None]),
        ])
        .unwrap();
        let df = fill_author(df).unwrap();
        let authors: Vec<_> = df
            .column(c::AUTHOR)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(authors, vec![Some("a"), Some("b")]);
    }
}
