//! Registry health on the latest snapshot, for `hubtrends orgs unattributed|coverage`.

use std::path::Path;

use chrono::NaiveDate;
use hubtrends_orgs::Registry;
use polars::prelude::*;

use crate::columns as c;
use crate::error::TransformError;
use crate::lake;

/// An unregistered namespace of the latest snapshot and its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct UnattributedRow {
    /// The Hub namespace (not in the registry).
    pub namespace: String,
    /// Sum of its models' downloads_30d.
    pub downloads_30d: i64,
    /// downloads_30d / the snapshot's total downloads_30d.
    pub downloads_share: f64,
    /// Its entries in the trending list.
    pub trending_entries: i64,
    /// trending_entries / the trending list's length.
    pub trending_share: f64,
    /// Its models in the listing.
    pub models: i64,
}

/// How much of the latest snapshot the registry attributes (namespace found in the registry).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coverage {
    /// The snapshot's date.
    pub date: NaiveDate,
    /// Share of models whose namespace is registered.
    pub models_share: f64,
    /// Share of downloads_30d whose namespace is registered.
    pub downloads_30d_share: f64,
    /// Share of trending entries whose namespace is registered.
    pub trending_share: f64,
}

/// One namespace of the latest snapshot: (namespace, models, downloads_30d, trending entries).
type NamespaceRow = (String, i64, i64, i64);

/// Every namespace of the latest snapshot, sorted by namespace; and the snapshot date.
fn namespaces(lake: &Path) -> Result<(NaiveDate, Vec<NamespaceRow>), TransformError> {
    let parts = lake::partitions(lake)?;
    let Some(latest) = parts.last() else {
        return Err(TransformError::NoSnapshots {
            dir: lake.join("snapshots"),
        });
    };
    let q = |e| TransformError::query("orgs coverage", latest.date, e);
    let models = lake::scan(&latest.models_path())?
        .group_by([col(c::AUTHOR)])
        .agg([
            len().cast(DataType::Int64).alias(c::MODELS),
            col(c::DOWNLOADS_30D).sum(),
        ]);
    let trending = lake::scan(&latest.trending_path())?
        .group_by([col(c::AUTHOR)])
        .agg([len().cast(DataType::Int64).alias(c::TRENDING_ENTRIES)]);
    let mut args = JoinArgs::new(JoinType::Full);
    args.coalesce = JoinCoalesce::CoalesceColumns;
    let df = models
        .join(trending, [col(c::AUTHOR)], [col(c::AUTHOR)], args)
        .sort([c::AUTHOR], SortMultipleOptions::default())
        .collect()
        .map_err(|source| TransformError::CorruptParquet {
            path: latest.dir.clone(),
            source,
        })?;
    let authors = df.column(c::AUTHOR).map_err(q)?.str().map_err(q)?;
    let m = df.column(c::MODELS).map_err(q)?.i64().map_err(q)?;
    let d = df.column(c::DOWNLOADS_30D).map_err(q)?.i64().map_err(q)?;
    let t = df
        .column(c::TRENDING_ENTRIES)
        .map_err(q)?
        .i64()
        .map_err(q)?;
    let rows = (0..df.height())
        .filter_map(|i| {
            let a = authors.get(i)?;
            Some((
                a.to_owned(),
                m.get(i).unwrap_or(0),
                d.get(i).unwrap_or(0),
                t.get(i).unwrap_or(0),
            ))
        })
        .collect();
    Ok((latest.date, rows))
}

fn share(part: i64, total: i64) -> f64 {
    if total > 0 {
        part as f64 / total as f64
    } else {
        0.0
    }
}

/// The `top` unregistered namespaces of the latest snapshot by downloads_30d (then trending
/// entries, then name).
pub fn unattributed(
    lake: &Path,
    registry: &Registry,
    top: usize,
) -> Result<Vec<UnattributedRow>, TransformError> {
    let (_, rows) = namespaces(lake)?;
    let total_d: i64 = rows.iter().map(|r| r.2).sum();
    let total_t: i64 = rows.iter().map(|r| r.3).sum();
    let mut out: Vec<UnattributedRow> = rows
        .into_iter()
        .filter(|r| registry.lookup(&r.0).is_none())
        .map(|(namespace, models, d, t)| UnattributedRow {
            namespace,
            downloads_30d: d,
            downloads_share: share(d, total_d),
            trending_entries: t,
            trending_share: share(t, total_t),
            models,
        })
        .collect();
    out.sort_by(|a, b| {
        b.downloads_30d
            .cmp(&a.downloads_30d)
            .then(b.trending_entries.cmp(&a.trending_entries))
            .then(a.namespace.cmp(&b.namespace))
    });
    out.truncate(top);
    Ok(out)
}

/// The registry's coverage of the latest snapshot (by models, downloads_30d, trending entries).
pub fn coverage(lake: &Path, registry: &Registry) -> Result<Coverage, TransformError> {
    let (date, rows) = namespaces(lake)?;
    let (mut all, mut known) = ([0i64; 3], [0i64; 3]);
    for (ns, m, d, t) in rows {
        let registered = registry.lookup(&ns).is_some();
        for (i, v) in [m, d, t].into_iter().enumerate() {
            all[i] += v;
            if registered {
                known[i] += v;
            }
        }
    }
    Ok(Coverage {
        date,
        models_share: share(known[0], all[0]),
        downloads_30d_share: share(known[1], all[1]),
        trending_share: share(known[2], all[2]),
    })
}
