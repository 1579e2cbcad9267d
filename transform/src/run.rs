//! One transform run: check the lake, bring the per-day cache up to date, assemble every mart
//! into a staging directory, write the manifest, and swap it in as `{lake}/marts`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cache::{Cache, DayStats, chain_keys};
use crate::columns as c;
use crate::config::{Filter, MART_SCHEMA_VERSION, TransformConfig, TransformSummary};
use crate::day::{Day, Snapshot};
use crate::error::TransformError;
use crate::history::{History, TOP_RANK};
use crate::lake::{self, Partition};
use crate::lineage::{LineageStats, MAX_DEPTH};
use crate::marts::{Grain, MARTS, Mart};
use crate::{downloads, write};

/// Parquet key-value metadata keys written into every mart.
const KV_MART: &str = "hubtrends.mart";
const KV_SCHEMA_VERSION: &str = "hubtrends.mart_schema_version";
const KV_FILTER: &str = "hubtrends.filter";
const KV_REGISTRY: &str = "hubtrends.registry_version";
/// The published marts directory, under the lake.
const MARTS_DIR: &str = "marts";
/// Prefix of a run's staged marts directory under `.staging/`.
const STAGED_PREFIX: &str = "marts-";

#[derive(Serialize)]
struct FilterRecord<'a> {
    pipeline: Option<&'a str>,
    library: Option<&'a str>,
}

#[derive(Serialize)]
struct InputRecord {
    date: String,
    partition: String,
    models_sha256: String,
    trending_sha256: String,
}

#[derive(Serialize)]
struct MartRecord {
    name: &'static str,
    file: String,
    grain: &'static str,
    rows: u64,
    sha256: String,
}

#[derive(Serialize)]
struct LineageRecord {
    max_depth: usize,
    latest_date: String,
    latest: LineageStats,
    all_days: LineageStats,
}

#[derive(Serialize)]
struct Manifest<'a> {
    schema_version: u32,
    tool_version: &'static str,
    filter: FilterRecord<'a>,
    registry_version: String,
    inputs: Vec<InputRecord>,
    marts: Vec<MartRecord>,
    lineage: LineageRecord,
    model_daily_flags: BTreeMap<String, u64>,
    top_rank: i64,
}

/// Builds every mart from all snapshots of `config.lake` into `{lake}/marts` (see the crate doc).
pub fn run(config: &TransformConfig) -> Result<TransformSummary, TransformError> {
    let lake = config.lake.as_path();
    let parts = lake::partitions(lake)?;
    let registry_version = config.registry.version();
    let cache = Cache::new(lake, &config.filter)?;
    let keys = chain_keys(&parts, &registry_version, &config.filter);
    let recomputed = update_cache(config, &cache, &parts, &keys)?;
    cache.prune(&parts)?;

    let staging_root = lake.join(".staging");
    remove_leftovers(&staging_root)?;
    let staging = tempfile::Builder::new()
        .prefix(STAGED_PREFIX)
        .tempdir_in(&staging_root)
        .map_err(|e| TransformError::io("creating a directory in", &staging_root, e))?;
    let history = History::new(
        parts
            .iter()
            .map(|p| (p.date, cache.day_dir(p.date)))
            .collect(),
    );
    let mut records = Vec::with_capacity(MARTS.len());
    for mart in MARTS {
        let path = staging.path().join(format!("{}.parquet", mart.name()));
        let kv = metadata(mart.name(), &config.filter, &registry_version);
        let rows = match mart.grain() {
            Grain::Daily => concat_pieces(&path, mart.name(), &history_dirs(&parts, &cache), &kv)?,
            Grain::History => match mart.build_history(&history)? {
                Some(df) => write::write_frame(&path, df, &kv)?,
                None => continue,
            },
        };
        tracing::debug!(mart = mart.name(), rows, "mart written");
        records.push(MartRecord {
            name: mart.name(),
            file: format!("{}.parquet", mart.name()),
            grain: match mart.grain() {
                Grain::Daily => "daily",
                Grain::History => "history",
            },
            rows,
            sha256: write::sha256_file(&path)?,
        });
    }
    let summary_marts = records
        .iter()
        .map(|r| (r.name.to_owned(), r.rows))
        .collect();
    write_manifest(
        staging.path(),
        config,
        &registry_version,
        &parts,
        &cache,
        records,
    )?;
    write::sync_file(staging.path())?;
    let dir = swap_in(lake, staging.keep())?;
    tracing::debug!(days = parts.len(), recomputed, dir = %dir.display(), "marts written");
    Ok(TransformSummary {
        marts: summary_marts,
        days: parts.len(),
        recomputed_days: recomputed,
        dir,
    })
}

/// Removes `marts-*` directories an interrupted run left in `.staging/` (a whole copy of the marts
/// each), and puts back the previous marts if a crash interrupted the fallback swap. Safe because
/// transform runs hold the lake lock (taken by the binary).
fn remove_leftovers(staging_root: &Path) -> Result<(), TransformError> {
    let marts = staging_root
        .parent()
        .unwrap_or(staging_root)
        .join(MARTS_DIR);
    hubtrends_atomic::clean_staging(staging_root, STAGED_PREFIX, &marts, &[]).map_err(atomic)?;
    Ok(())
}

fn history_dirs(parts: &[Partition], cache: &Cache) -> Vec<PathBuf> {
    parts.iter().map(|p| cache.day_dir(p.date)).collect()
}

/// Recomputes the stale days (all of them on a full rebuild); returns how many.
fn update_cache(
    config: &TransformConfig,
    cache: &Cache,
    parts: &[Partition],
    keys: &[String],
) -> Result<usize, TransformError> {
    let mut start = if config.full_rebuild {
        0
    } else {
        cache.first_stale(parts, keys)
    };
    let mut state = downloads::empty_state();
    if start > 0 && start < parts.len() {
        match cache.load_state(&keys[start - 1])? {
            Some(saved) => state = saved,
            // The state saved is not the one after the day before the first stale day (an
            // earlier day changed): daily downloads must be recomputed from the start.
            None => start = 0,
        }
    }
    // The next day's snapshot is read and decoded on a second thread while this one is
    // computed (reading depends on no earlier day); a rendezvous channel keeps at most one day
    // read ahead, so memory stays at two days of models plus the state.
    std::thread::scope(|s| -> Result<(), TransformError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        let todo = &parts[start.min(parts.len())..];
        let mut reader = Some(s.spawn(move || {
            for p in todo {
                let snapshot = Snapshot::read(p, &config.registry, &config.filter);
                let failed = snapshot.is_err();
                // The receiver is gone when the main loop stopped on an error.
                if tx.send(snapshot).is_err() || failed {
                    break;
                }
            }
        }));
        for (p, key) in todo.iter().zip(&keys[start.min(parts.len())..]) {
            tracing::debug!(date = %p.date, "computing day");
            let snapshot = match rx.recv() {
                Ok(snapshot) => snapshot?,
                // Hung up early: a panic in the reader is re-raised as the panic it is.
                Err(_) => {
                    if let Some(Err(panic)) = reader.take().map(|r| r.join()) {
                        std::panic::resume_unwind(panic);
                    }
                    return Err(TransformError::ReaderStopped { date: p.date });
                }
            };
            let day = Day::new(snapshot, &state)?;
            let tmp = cache.begin_day(p.date)?;
            let write_piece = |mart: &&dyn Mart| -> Result<(), TransformError> {
                if let Some(df) = mart.build_day(&day)? {
                    write::write_frame(&tmp.join(format!("{}.parquet", mart.name())), df, &[])?;
                }
                Ok(())
            };
            let daily = || MARTS.iter().filter(|m| m.grain() == Grain::Daily);
            // Pieces are files, so their writing order is free: the ones that do not need the
            // lineage walk (model_daily's is the largest to compress) are written during it.
            day.with_lineage_walk(|| {
                daily()
                    .filter(|m| !m.uses_lineage())
                    .try_for_each(write_piece)
            })?;
            daily()
                .filter(|m| m.uses_lineage())
                .try_for_each(write_piece)?;
            let stats = DayStats {
                lineage: day.lineage()?.1,
                flags: day.flags().clone(),
            };
            state = day.next_state().clone();
            cache.commit_day(p.date, key, &stats, &tmp)?;
        }
        Ok(())
    })?;
    if start < parts.len()
        && let Some(last) = keys.last()
    {
        cache.save_state(state, last)?;
    }
    Ok(parts.len() - start)
}

fn metadata(mart: &str, filter: &Filter, registry_version: &str) -> Vec<(String, String)> {
    vec![
        (KV_MART.to_owned(), mart.to_owned()),
        (
            KV_SCHEMA_VERSION.to_owned(),
            MART_SCHEMA_VERSION.to_string(),
        ),
        (KV_FILTER.to_owned(), filter.describe()),
        (KV_REGISTRY.to_owned(), registry_version.to_owned()),
    ]
}

/// Writes a daily mart as its cached pieces in date order (each piece is sorted by the grain's
/// keys after the date, so the file is sorted by the grain): their encoded pages are copied as
/// they are; only pieces whose Parquet schemas differ (never written by this build) are decoded
/// and re-encoded.
fn concat_pieces(
    path: &Path,
    mart: &str,
    dirs: &[PathBuf],
    kv: &[(String, String)],
) -> Result<u64, TransformError> {
    let file = format!("{mart}.parquet");
    let files: Vec<PathBuf> = dirs.iter().map(|d| d.join(&file)).collect();
    let Some(first) = files.first() else {
        return Ok(0);
    };
    if let Some(rows) = write::concat_files(path, &files, kv)? {
        return Ok(rows);
    }
    let first = write::read_frame(first)?;
    let schema = first.schema().as_ref().clone();
    let rest = files[1..].iter().map(|f| write::read_frame(f));
    write::write_frames(path, &schema, std::iter::once(Ok(first)).chain(rest), kv)
}

fn write_manifest(
    dir: &Path,
    config: &TransformConfig,
    registry_version: &str,
    parts: &[Partition],
    cache: &Cache,
    marts: Vec<MartRecord>,
) -> Result<(), TransformError> {
    let mut all_days = LineageStats::default();
    let mut latest = LineageStats::default();
    let mut flags: BTreeMap<String, u64> = BTreeMap::new();
    for p in parts {
        let stats = cache.stats(p.date)?;
        all_days.derivatives += stats.lineage.derivatives;
        all_days.cycles += stats.lineage.cycles;
        all_days.missing_parents += stats.lineage.missing_parents;
        all_days.depth_truncated += stats.lineage.depth_truncated;
        latest = stats.lineage;
        for (flag, n) in stats.flags {
            *flags.entry(flag).or_insert(0) += n;
        }
    }
    let manifest = Manifest {
        schema_version: MART_SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        filter: FilterRecord {
            pipeline: config.filter.pipeline.as_deref(),
            library: config.filter.library.as_deref(),
        },
        registry_version: registry_version.to_owned(),
        inputs: parts
            .iter()
            .map(|p| InputRecord {
                date: p.date.to_string(),
                partition: format!("snapshots/date={}", p.date),
                models_sha256: p.models_sha256.clone(),
                trending_sha256: p.trending_sha256.clone(),
            })
            .collect(),
        marts,
        lineage: LineageRecord {
            max_depth: MAX_DEPTH,
            latest_date: parts.last().map(|p| p.date.to_string()).unwrap_or_default(),
            latest,
            all_days,
        },
        model_daily_flags: flags,
        top_rank: TOP_RANK,
    };
    let path = dir.join(c::MANIFEST_FILE);
    let mut bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|source| TransformError::Json {
            path: path.clone(),
            source,
        })?;
    bytes.push(b'\n');
    write::write_bytes(&path, &bytes)
}

/// Replaces `{lake}/marts` by `staged` in one step (see `hubtrends_atomic::publish_dir`): the
/// old directory is exchanged out and removed; a reader sees the old marts or the new ones.
fn swap_in(lake: &Path, staged: PathBuf) -> Result<PathBuf, TransformError> {
    let marts = lake.join(MARTS_DIR);
    let mut aside = staged.clone().into_os_string();
    aside.push("-old");
    hubtrends_atomic::publish_dir(
        &staged,
        &marts,
        Path::new(&aside),
        hubtrends_atomic::Existing::Replace,
    )
    .map_err(atomic)?;
    Ok(marts)
}

/// Folds a publication error into the crate's I/O error.
fn atomic(e: hubtrends_atomic::AtomicError) -> TransformError {
    let (action, path, source) = e.into_parts();
    TransformError::io(action, path, source)
}
