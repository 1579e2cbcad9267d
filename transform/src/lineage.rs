//! Lineage credit: resolve each model's `base_models` to its root model(s) and credit downloads
//! to the roots' organisations.
//!
//! Runs on one day's snapshot at a time, in Rust (a graph walk is not a columnar query): ids are
//! interned to indices, each model's parents become index lists, and each derivative is walked
//! up to [`MAX_DEPTH`] steps. Weight 1 starts at the model and splits evenly among its listed
//! parents at every step (a merge of k parents gives each 1/k). A branch stops, keeping its
//! weight on the last existing model, when the parent is missing from the snapshot, when the
//! parent is already on the path (a cycle), or when the depth bound is hit.

use std::collections::BTreeMap;

use polars::prelude::*;
use rustc_hash::FxHashMap;

use crate::columns as c;

/// Steps followed from a model towards its roots before the walk stops.
pub(crate) const MAX_DEPTH: usize = 16;

/// Nodes expanded per model at most, so a pathological merge fan-out cannot explode.
const MAX_EXPANSIONS: usize = 4096;

/// A parent reference of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parent {
    /// A model of the same snapshot (index).
    Known(u32),
    /// A model absent from the snapshot.
    Missing,
}

/// What a walk ran into (each counted once per model in the day's statistics).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Walk {
    /// A parent was already on the path.
    pub cycle: bool,
    /// A parent is absent from the snapshot.
    pub missing: bool,
    /// The depth bound stopped the walk.
    pub truncated: bool,
}

/// Per-day counts of lineage problems, for the marts manifest.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LineageStats {
    /// Derivative models (non-empty base_models).
    pub derivatives: u64,
    /// Models whose walk met a cycle.
    pub cycles: u64,
    /// Models with a parent missing from the snapshot.
    pub missing_parents: u64,
    /// Models whose walk hit the depth bound.
    pub depth_truncated: u64,
}

/// Every model's parent list in one flat array (compressed sparse rows): a million models
/// with a short list each would otherwise be a million small heap allocations.
pub(crate) struct Parents {
    /// `list[offsets[i]..offsets[i + 1]]` are model i's parents.
    offsets: Vec<u32>,
    list: Vec<Parent>,
}

impl Parents {
    /// Model `i`'s parents, in listed order.
    fn of(&self, i: usize) -> &[Parent] {
        &self.list[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

impl From<Vec<Vec<Parent>>> for Parents {
    fn from(lists: Vec<Vec<Parent>>) -> Parents {
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        offsets.push(0);
        let mut list = Vec::new();
        for l in lists {
            list.extend(l);
            offsets.push(list.len() as u32);
        }
        Parents { offsets, list }
    }
}

/// A walk's path from the start model (start included): at most `MAX_DEPTH + 1` models, kept
/// inline so a walk allocates nothing per step.
#[derive(Clone, Copy)]
struct Path {
    nodes: [u32; MAX_DEPTH + 1],
    len: usize,
}

impl Path {
    fn contains(&self, node: u32) -> bool {
        self.nodes[..self.len].contains(&node)
    }
}

/// Resolves `node` to its roots: pushes `(root, weight)` pairs (weights sum to 1) into `out`.
pub(crate) fn resolve(parents: &Parents, node: u32, out: &mut Vec<(u32, f64)>) -> Walk {
    let mut walk = Walk::default();
    if parents.of(node as usize).is_empty() {
        // Most models are roots: no walk at all.
        out.push((node, 1.0));
        return walk;
    }
    let mut start = Path {
        nodes: [0; MAX_DEPTH + 1],
        len: 1,
    };
    start.nodes[0] = node;
    let mut stack: Vec<(u32, f64, Path)> = vec![(node, 1.0, start)];
    let mut expansions = 0usize;
    while let Some((n, w, path)) = stack.pop() {
        let ps = parents.of(n as usize);
        if ps.is_empty() {
            out.push((n, w));
            continue;
        }
        if path.len > MAX_DEPTH || expansions >= MAX_EXPANSIONS {
            walk.truncated = true;
            out.push((n, w));
            continue;
        }
        expansions += 1;
        let share = w / ps.len() as f64;
        // Reverse so the first-listed parent is walked first (a stable, documented order).
        for p in ps.iter().rev() {
            match *p {
                Parent::Missing => {
                    walk.missing = true;
                    out.push((n, share));
                }
                Parent::Known(p) if path.contains(p) => {
                    walk.cycle = true;
                    out.push((n, share));
                }
                Parent::Known(p) => {
                    let mut next = path;
                    next.nodes[next.len] = p;
                    next.len += 1;
                    stack.push((p, share, next));
                }
            }
        }
    }
    walk
}

/// One organisation's credit on a day.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Credit {
    /// The organisation's country (from its models' attribution).
    pub country: Option<String>,
    /// downloads_30d of the organisation's own models.
    pub direct: i64,
    /// downloads_30d credited through lineage.
    pub lineage: f64,
    /// Derivative models whose roots include a model of this organisation.
    pub derivatives: i64,
}

/// Credits one day's models (columns id, org, country, downloads_30d, base_models, sorted by
/// id) to organisations; returns the credit per organisation (sorted) and the day's counts.
pub(crate) fn credit(models: &DataFrame) -> PolarsResult<(BTreeMap<String, Credit>, LineageStats)> {
    let ids = models.column(c::ID)?.str()?;
    let orgs = models.column(c::ORG)?.str()?;
    let countries = models.column(c::COUNTRY)?.str()?;
    let downloads: Vec<i64> = models
        .column(c::DOWNLOADS_30D)?
        .i64()?
        .iter()
        .map(|d| d.unwrap_or(0))
        .collect();
    let ids: Vec<&str> = ids.iter().map(Option::unwrap_or_default).collect();
    let parents = parent_lists(models, &ids)?;

    // Organisations interned to indices: one String per organisation, not per model. Rows come
    // sorted by id, so an organisation's models are mostly in runs: the previous row's answer is
    // tried before the map.
    let mut org_index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let mut credits: Vec<Credit> = Vec::new();
    let mut model_org: Vec<usize> = Vec::with_capacity(ids.len());
    let mut last: Option<(&str, usize)> = None;
    for (i, (org, country)) in orgs.iter().zip(countries.iter()).enumerate() {
        let org = org.unwrap_or_default();
        let o = match last {
            Some((name, o)) if name == org => o,
            _ => *org_index.entry(org).or_insert_with(|| {
                names.push(org);
                credits.push(Credit {
                    country: country.map(str::to_owned),
                    ..Credit::default()
                });
                names.len() - 1
            }),
        };
        debug_assert!(i == model_org.len());
        last = Some((org, o));
        model_org.push(o);
    }

    let mut stats = LineageStats::default();
    let mut roots = Vec::new();
    let mut root_orgs: Vec<usize> = Vec::new();
    // Models in id order, roots in walk order: float sums are reproducible.
    for (i, &org) in model_org.iter().enumerate() {
        let d = downloads[i];
        credits[org].direct += d;
        let derivative = !parents.of(i).is_empty();
        if !derivative {
            // A root (most models): its own downloads, no walk.
            credits[org].lineage += d as f64;
            continue;
        }
        roots.clear();
        let walk = resolve(&parents, i as u32, &mut roots);
        stats.derivatives += 1;
        stats.cycles += u64::from(walk.cycle);
        stats.missing_parents += u64::from(walk.missing);
        stats.depth_truncated += u64::from(walk.truncated);
        root_orgs.clear();
        for &(root, w) in &roots {
            let root_org = model_org[root as usize];
            credits[root_org].lineage += d as f64 * w;
            if root as usize != i && !root_orgs.contains(&root_org) {
                root_orgs.push(root_org);
            }
        }
        // A derivative counts once per organisation among its roots.
        for &o in &root_orgs {
            credits[o].derivatives += 1;
        }
    }
    let credits = names.into_iter().map(str::to_owned).zip(credits).collect();
    Ok((credits, stats))
}

/// Each model's parent list, in the order its `base_models` lists them (duplicates removed).
///
/// `ids` is the id column (sorted). Read straight from the list's offsets and the struct's `id`
/// field, without exploding it into a frame. Parents are looked up with FxHash (ids are trusted
/// snapshot data, so a DoS-resistant hasher buys nothing and SipHash cost a tenth of the run).
/// A repeated id (never written by ingest, but possible in a hand-made lake) resolves to its
/// last row, which also collects the parents listed on every row of that id.
fn parent_lists(models: &DataFrame, ids: &[&str]) -> PolarsResult<Parents> {
    let mut offsets: Vec<u32> = Vec::with_capacity(ids.len() + 1);
    offsets.push(0);
    let mut list: Vec<Parent> = Vec::new();
    let mut index: FxHashMap<&str, u32> =
        FxHashMap::with_capacity_and_hasher(ids.len(), Default::default());
    for (i, id) in ids.iter().enumerate() {
        index.insert(id, i as u32);
    }
    let lists = models.column(c::BASE_MODELS)?.list()?.rechunk();
    let inner = lists.get_inner();
    let inner = inner.struct_()?.field_by_name(c::BASE_ID_FIELD)?;
    let inner = inner.str()?.rechunk();
    let (Some(lists), Some(parent_ids)) =
        (lists.downcast_iter().next(), inner.downcast_iter().next())
    else {
        offsets.resize(ids.len() + 1, 0);
        return Ok(Parents { offsets, list });
    };
    let list_offsets = lists.offsets().as_slice();
    let validity = lists.validity();
    let mut seen: Vec<&str> = Vec::new();
    let mut row = 0usize;
    while row < ids.len() {
        // The run of rows sharing this id (one row unless the snapshot repeats it).
        let mut end = row + 1;
        while end < ids.len() && ids[end] == ids[row] {
            end += 1;
        }
        // Rows before the last of a run keep no parents (see above).
        for _ in row..end - 1 {
            offsets.push(list.len() as u32);
        }
        seen.clear();
        for r in row..end {
            if validity.is_some_and(|v| !v.get_bit(r)) {
                continue;
            }
            for j in list_offsets[r] as usize..list_offsets[r + 1] as usize {
                let Some(parent) = parent_ids.get(j) else {
                    continue;
                };
                if seen.contains(&parent) {
                    continue;
                }
                seen.push(parent);
                list.push(match index.get(parent) {
                    Some(&k) => Parent::Known(k),
                    None => Parent::Missing,
                });
            }
        }
        offsets.push(list.len() as u32);
        row = end;
    }
    Ok(Parents { offsets, list })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Parent::{Known, Missing};

    fn roots(parents: &[Vec<Parent>], node: u32) -> (Vec<(u32, f64)>, Walk) {
        let mut out = Vec::new();
        let walk = resolve(&Parents::from(parents.to_vec()), node, &mut out);
        out.sort_by_key(|a| a.0);
        (out, walk)
    }

    #[test]
    fn a_chain_resolves_to_its_root() {
        // 2 -> 1 -> 0
        let p = vec![vec![], vec![Known(0)], vec![Known(1)]];
        assert_eq!(roots(&p, 2), (vec![(0, 1.0)], Walk::default()));
    }

    #[test]
    fn a_merge_splits_evenly_and_nested_merges_multiply() {
        // 3 merges 1 and 2; 2 merges 0 and 1 -> 1 gets 1/2 + 1/4, 0 gets 1/4.
        let p = vec![
            vec![],
            vec![],
            vec![Known(0), Known(1)],
            vec![Known(1), Known(2)],
        ];
        assert_eq!(roots(&p, 3).0, vec![(0, 0.25), (1, 0.5), (1, 0.25)]);
    }

    #[test]
    fn a_missing_parent_stops_at_the_last_existing_model() {
        // 2 -> 1 -> (missing)
        let p = vec![vec![], vec![Missing], vec![Known(1)]];
        let (r, walk) = roots(&p, 2);
        assert_eq!(r, vec![(1, 1.0)]);
        assert!(walk.missing && !walk.cycle);
    }

    #[test]
    fn a_cycle_is_detected_and_stops() {
        // 0 -> 1 -> 0
        let p = vec![vec![Known(1)], vec![Known(0)]];
        let (r, walk) = roots(&p, 0);
        assert_eq!(r, vec![(1, 1.0)]);
        assert!(walk.cycle);
    }

    #[test]
    fn the_depth_bound_stops_long_chains() {
        // i -> i - 1 for 40 models: model 39 stops MAX_DEPTH steps up.
        let p: Vec<Vec<Parent>> = (0..40u32)
            .map(|i| if i == 0 { vec![] } else { vec![Known(i - 1)] })
            .collect();
        let (r, walk) = roots(&p, 39);
        assert_eq!(r, vec![(39 - MAX_DEPTH as u32, 1.0)]);
        assert!(walk.truncated);
    }
}
