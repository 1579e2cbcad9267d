//! The streaming, atomic partition writer.
//!
//! Everything is written under `{lake}/.staging/date=D/` (same filesystem as the lake):
//! sorted spill runs in `runs/`, the future partition in `partition/`. `finish` merges the runs
//! into `models.parquet`, writes `trending.parquet`, the quarantine file and `_manifest.json`
//! (last), fsyncs them and the directory, then renames `partition/` to
//! `{lake}/snapshots/date=D` and fsyncs the parent. A crash at any point leaves no visible
//! partition.

mod props;
mod publish;
mod spill;

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use chrono::{DateTime, NaiveDate, Utc};
use parquet::arrow::ArrowWriter;
use serde::{Deserialize, Serialize};

use crate::batch::{models_batch, trending_batch};
use crate::error::IngestError;
use crate::manifest::{FileEntry, Manifest, digest};
use crate::record::{ModelRecord, TrendingRecord};
use crate::schema::{self, MANIFEST_FILE, MODELS_FILE, QUARANTINE_FILE, TRENDING_FILE};
pub use publish::partition_path;
pub(crate) use publish::{SNAPSHOTS_DIR, remove_dir_if_exists, sync_dir, work_path};
use publish::{check_absent, create_dir_all, publish};

const RUNS_DIR: &str = "runs";
const OUT_DIR: &str = "partition";
/// Default records buffered before a sorted run is spilled. Buffered as Arrow batches, a
/// model takes a few hundred bytes, so this is a few tens of MiB at most.
pub const DEFAULT_SPILL_ROWS: usize = 100_000;

/// How far a writer got, durably: what a resumed run restarts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Checkpoint {
    /// Spilled run files (names inside `runs/`), in order.
    pub runs: Vec<String>,
    /// Records in those runs.
    pub rows: u64,
    /// Records quarantined so far.
    pub quarantined: u64,
    /// Length of the quarantine file at the checkpoint.
    pub quarantine_bytes: u64,
}

/// Provenance of a partition, for its manifest (everything the writer cannot know itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartitionMeta {
    /// Version of the tool.
    pub tool_version: String,
    /// Endpoint the data came from (`sim` or similar when written without HTTP).
    pub endpoint: String,
    /// `full` or `top`.
    pub scope: String,
    /// N of `top`.
    pub top: Option<usize>,
    /// The queries that started each listing.
    pub queries: Vec<String>,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// HTTP requests made.
    pub requests: u64,
    /// Retries made.
    pub retries: u64,
    /// 429 responses received.
    pub rate_limited: u64,
    /// Notes for readers of the manifest.
    pub warnings: Vec<String>,
}

/// A partition that was published.
#[derive(Debug, Clone)]
pub struct Published {
    /// The partition directory, `{lake}/snapshots/date=D`.
    pub path: PathBuf,
    /// Its manifest, as written.
    pub manifest: Manifest,
}

/// Streams one date's records into a partition that appears atomically on [`finish`](Self::finish).
///
/// Usable on its own (the simulator's `sim lake` writes through it without HTTP). The caller
/// should hold the [`LakeLock`](crate::LakeLock).
pub struct PartitionWriter {
    lake: PathBuf,
    date: NaiveDate,
    force: bool,
    work: PathBuf,
    out: PathBuf,
    spill_rows: usize,
    /// Pages not yet spilled, as schema-v1 batches (much smaller than owned records).
    buffer: Vec<RecordBatch>,
    buffered: usize,
    checkpoint: Checkpoint,
    trending: Vec<TrendingRecord>,
    quarantine: BufWriter<File>,
    /// The run being written in the background, if any.
    inflight: Option<InflightRun>,
}

/// A sorted run being written by a background thread.
struct InflightRun {
    handle: std::thread::JoinHandle<Result<(), IngestError>>,
    name: String,
    rows: u64,
    /// Quarantine counters when the run's last page was pushed (what a resume keeps).
    quarantined: u64,
    quarantine_bytes: u64,
}

/// What [`PartitionWriter::push_batch_background`] did.
#[derive(Debug)]
pub(crate) struct PushOutcome {
    /// The checkpoint made durable by a background run that finished, if one did.
    pub durable: Option<Checkpoint>,
    /// Whether this push started a background run.
    pub started: bool,
}

impl Drop for PartitionWriter {
    /// A writer dropped mid-run (a cancelled snapshot) waits for its background run: a detached
    /// thread would otherwise go on writing into a staging directory that the next run may
    /// already have discarded and recreated, renaming its file over that run's. The wait is one
    /// spill's sort and write (plain file I/O, at most `spill_rows` rows), on the dropping thread.
    fn drop(&mut self) {
        if let Some(run) = self.inflight.take() {
            let _ = run.handle.join();
        }
    }
}

impl std::fmt::Debug for PartitionWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartitionWriter")
            .field("work", &self.work)
            .field("date", &self.date)
            .field("buffered", &self.buffered)
            .field("checkpoint", &self.checkpoint)
            .finish_non_exhaustive()
    }
}

impl PartitionWriter {
    /// Starts a fresh partition for `date`, discarding any staged state of that date.
    ///
    /// Refused with [`IngestError::PartitionExists`] when the partition exists and `force` is off.
    pub fn create(
        lake: &Path,
        date: NaiveDate,
        force: bool,
    ) -> Result<PartitionWriter, IngestError> {
        check_absent(lake, date, force)?;
        let work = work_path(lake, date);
        remove_dir_if_exists(&work)?;
        Self::open(lake, date, force, Checkpoint::default())
    }

    /// Reopens a partition staged up to `checkpoint`, dropping anything written after it.
    pub(crate) fn resume(
        lake: &Path,
        date: NaiveDate,
        force: bool,
        checkpoint: Checkpoint,
    ) -> Result<PartitionWriter, IngestError> {
        check_absent(lake, date, force)?;
        let work = work_path(lake, date);
        let runs = work.join(RUNS_DIR);
        for run in &checkpoint.runs {
            // Runs of another format (a build that spilled Parquet) cannot be merged.
            if !run.ends_with(&format!(".{}", spill::RUN_EXT)) {
                return Err(IngestError::BadInput {
                    what: "resume state",
                    message: format!("spill run {run} is not an Arrow IPC run"),
                });
            }
            let p = runs.join(run);
            if !p.is_file() {
                return Err(IngestError::io(&p)(std::io::ErrorKind::NotFound.into()));
            }
        }
        // Runs spilled after the checkpoint (or half-written) are not in it: drop them.
        if let Ok(entries) = std::fs::read_dir(&runs) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !checkpoint.runs.contains(&name) {
                    std::fs::remove_file(e.path()).map_err(IngestError::io(e.path()))?;
                }
            }
        }
        // Lines quarantined after the checkpoint will be quarantined again: cut them off.
        let q = work.join(OUT_DIR).join(QUARANTINE_FILE);
        let f = OpenOptions::new()
            .write(true)
            .open(&q)
            .map_err(IngestError::io(&q))?;
        let len = f.metadata().map_err(IngestError::io(&q))?.len();
        if len < checkpoint.quarantine_bytes {
            return Err(IngestError::io(&q)(
                std::io::ErrorKind::UnexpectedEof.into(),
            ));
        }
        f.set_len(checkpoint.quarantine_bytes)
            .map_err(IngestError::io(&q))?;
        Self::open(lake, date, force, checkpoint)
    }

    fn open(
        lake: &Path,
        date: NaiveDate,
        force: bool,
        checkpoint: Checkpoint,
    ) -> Result<PartitionWriter, IngestError> {
        let work = work_path(lake, date);
        let out = work.join(OUT_DIR);
        create_dir_all(&work.join(RUNS_DIR))?;
        create_dir_all(&out)?;
        let qpath = out.join(QUARANTINE_FILE);
        let qfile = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&qpath)
            .map_err(IngestError::io(&qpath))?;
        Ok(PartitionWriter {
            lake: lake.to_owned(),
            date,
            force,
            work,
            out,
            spill_rows: DEFAULT_SPILL_ROWS,
            buffer: Vec::new(),
            buffered: 0,
            checkpoint,
            trending: Vec::new(),
            quarantine: BufWriter::new(qfile),
            inflight: None,
        })
    }

    /// Sets how many records are buffered before a sorted run is spilled (at least 1).
    pub fn with_spill_rows(mut self, rows: usize) -> PartitionWriter {
        self.spill_rows = rows.max(1);
        self
    }

    /// The snapshot date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The work directory, `{lake}/.staging/date=D`.
    pub fn work_dir(&self) -> &Path {
        &self.work
    }

    /// Records received so far (spilled and buffered).
    pub fn rows(&self) -> u64 {
        self.checkpoint.rows + self.inflight.as_ref().map_or(0, |r| r.rows) + self.buffered as u64
    }

    /// Records quarantined so far.
    pub fn quarantined(&self) -> u64 {
        self.checkpoint.quarantined
    }

    /// Adds records (any order); spills a sorted run when the buffer is full. Returns whether
    /// a run was spilled.
    ///
    /// A spill only happens at the end of a call, so one call per page keeps runs on page
    /// boundaries (what resume needs). The records are copied into an Arrow batch at once.
    pub fn push_models(&mut self, records: &[ModelRecord]) -> Result<bool, IngestError> {
        let batch = if records.is_empty() {
            None
        } else {
            Some(models_batch(self.date, records)?)
        };
        self.push_batch(batch)
    }

    /// Like [`push_models`](Self::push_models), with the rows already in a schema-v1 batch
    /// of this writer's date (`None`: no rows, but a spill may still be due).
    pub(crate) fn push_batch(&mut self, batch: Option<RecordBatch>) -> Result<bool, IngestError> {
        self.buffer_batch(batch);
        if self.buffered >= self.spill_rows {
            self.spill()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Adds a batch's rows to the buffer (an empty one adds nothing).
    fn buffer_batch(&mut self, batch: Option<RecordBatch>) {
        if let Some(batch) = batch.filter(|b| b.num_rows() > 0) {
            self.buffered += batch.num_rows();
            self.buffer.push(batch);
        }
    }

    /// Like [`push_batch`](Self::push_batch), but a full buffer is sorted and written on a
    /// background thread while the caller goes on (at most one such run in flight: a second
    /// full buffer waits for the first run). A run counts for the checkpoint only once it is
    /// durable: the outcome's `durable` is the checkpoint a finished run made, with the
    /// quarantine counters as of the push that started it.
    pub(crate) fn push_batch_background(
        &mut self,
        batch: Option<RecordBatch>,
    ) -> Result<PushOutcome, IngestError> {
        self.buffer_batch(batch);
        let mut durable = self.finish_inflight(false)?;
        if self.buffered < self.spill_rows {
            return Ok(PushOutcome {
                durable,
                started: false,
            });
        }
        if let Some(cp) = self.finish_inflight(true)? {
            durable = Some(cp);
        }
        let name = spill::run_name(self.checkpoint.runs.len());
        let path = self.work.join(RUNS_DIR).join(&name);
        let batches = std::mem::take(&mut self.buffer);
        let rows = std::mem::take(&mut self.buffered) as u64;
        let handle = std::thread::Builder::new()
            .name("spill".into())
            .spawn(move || spill::write_run(&path, &batches))
            .map_err(IngestError::io(self.work.join(RUNS_DIR)))?;
        self.inflight = Some(InflightRun {
            handle,
            name,
            rows,
            quarantined: self.checkpoint.quarantined,
            quarantine_bytes: self.checkpoint.quarantine_bytes,
        });
        Ok(PushOutcome {
            durable,
            started: true,
        })
    }

    /// Takes in the background run if it is done (or, with `wait`, once it is): its run joins
    /// the checkpoint, the quarantine file is synced, and the durable checkpoint is returned.
    fn finish_inflight(&mut self, wait: bool) -> Result<Option<Checkpoint>, IngestError> {
        let Some(run) = self.inflight.take_if(|r| wait || r.handle.is_finished()) else {
            return Ok(None);
        };
        match run.handle.join() {
            Ok(written) => written?,
            Err(panic) => std::panic::resume_unwind(panic),
        }
        tracing::debug!(run = %run.name, rows = run.rows, "spilled a sorted run");
        self.checkpoint.rows += run.rows;
        self.checkpoint.runs.push(run.name);
        self.sync_quarantine()?;
        Ok(Some(Checkpoint {
            runs: self.checkpoint.runs.clone(),
            rows: self.checkpoint.rows,
            quarantined: run.quarantined,
            quarantine_bytes: run.quarantine_bytes,
        }))
    }

    fn sync_quarantine(&mut self) -> Result<(), IngestError> {
        let qpath = self.out.join(QUARANTINE_FILE);
        self.quarantine.flush().map_err(IngestError::io(&qpath))?;
        self.quarantine
            .get_ref()
            .sync_data()
            .map_err(IngestError::io(&qpath))
    }

    /// Like [`push_models`](Self::push_models), taking ownership (the records are dropped as
    /// soon as they are in the buffer).
    pub fn push_owned(&mut self, records: Vec<ModelRecord>) -> Result<bool, IngestError> {
        self.push_models(&records)
    }

    /// Keeps a record that failed to map, raw, with the reason and the URL it came from.
    pub fn quarantine(
        &mut self,
        url: &str,
        raw: &serde_json::Value,
        reason: &str,
    ) -> Result<(), IngestError> {
        let line = serde_json::json!({"reason": reason, "url": url, "raw": raw});
        let path = self.out.join(QUARANTINE_FILE);
        let mut bytes = serde_json::to_vec(&line).map_err(|source| IngestError::JsonFile {
            path: path.clone(),
            source,
        })?;
        bytes.push(b'\n');
        self.quarantine
            .write_all(&bytes)
            .map_err(IngestError::io(&path))?;
        self.checkpoint.quarantined += 1;
        self.checkpoint.quarantine_bytes += bytes.len() as u64;
        Ok(())
    }

    /// Sets the day's trending list (any order; written sorted by rank).
    pub fn set_trending(&mut self, records: Vec<TrendingRecord>) {
        self.trending = records;
    }

    /// Spills the buffer (if any) and flushes the quarantine file: everything so far is durable.
    pub(crate) fn checkpoint(&mut self) -> Result<Checkpoint, IngestError> {
        if !self.buffer.is_empty() {
            self.spill()?;
        }
        self.finish_inflight(true)?;
        self.sync_quarantine()?;
        Ok(self.checkpoint.clone())
    }

    fn spill(&mut self) -> Result<(), IngestError> {
        // Runs keep their order (the first copy of an id wins): the background one goes first.
        self.finish_inflight(true)?;
        let name = spill::run_name(self.checkpoint.runs.len());
        let path = self.work.join(RUNS_DIR).join(&name);
        spill::write_run(&path, &self.buffer)?;
        tracing::debug!(run = %name, rows = self.buffered, "spilled a sorted run");
        self.checkpoint.rows += self.buffered as u64;
        self.checkpoint.runs.push(name);
        self.buffer.clear();
        self.buffered = 0;
        Ok(())
    }

    /// Merges, writes, seals and publishes the partition; returns where and what was written.
    pub fn finish(mut self, meta: PartitionMeta) -> Result<Published, IngestError> {
        self.checkpoint()?;
        let runs: Vec<PathBuf> = self
            .checkpoint
            .runs
            .iter()
            .map(|r| self.work.join(RUNS_DIR).join(r))
            .collect();
        let wanted: HashMap<String, ()> = self
            .trending
            .iter()
            .filter(|t| t.trending_score.is_none())
            .map(|t| (t.id.clone(), ()))
            .collect();
        let models_path = self.out.join(MODELS_FILE);
        let merged = spill::merge_runs(&runs, &self.work.join(RUNS_DIR), &models_path, &wanted)?;
        let mut warnings = meta.warnings;
        if merged.duplicates > 0 {
            warnings.push(format!(
                "{} duplicate ids dropped (the listing shifted while it was paged)",
                merged.duplicates
            ));
        }
        let mut trending = std::mem::take(&mut self.trending);
        trending.sort_by_key(|t| t.rank);
        for t in &mut trending {
            if t.trending_score.is_none() {
                t.trending_score = merged.scores.get(&t.id).copied().flatten();
            }
        }
        let trending_path = self.out.join(TRENDING_FILE);
        write_trending(&trending_path, self.date, &trending)?;

        let mut files = std::collections::BTreeMap::new();
        files.insert(MODELS_FILE.to_owned(), entry(&models_path, merged.rows)?);
        files.insert(
            TRENDING_FILE.to_owned(),
            entry(&trending_path, trending.len() as u64)?,
        );
        // The quarantine file was flushed and synced by the checkpoint above. Its handle stays
        // open until `self` drops on return: removing or renaming an open file is fine on the
        // Unix systems the lake's atomic publication already requires.
        let qpath = self.out.join(QUARANTINE_FILE);
        if self.checkpoint.quarantined > 0 {
            files.insert(
                QUARANTINE_FILE.to_owned(),
                entry(&qpath, self.checkpoint.quarantined)?,
            );
        } else {
            std::fs::remove_file(&qpath).map_err(IngestError::io(&qpath))?;
        }
        let manifest = Manifest {
            schema_version: crate::SCHEMA_VERSION,
            tool_version: meta.tool_version,
            snapshot_date: self.date,
            endpoint: meta.endpoint,
            scope: meta.scope,
            top: meta.top,
            queries: meta.queries,
            started_at: meta.started_at,
            finished_at: Utc::now(),
            files,
            quarantined: self.checkpoint.quarantined,
            requests: meta.requests,
            retries: meta.retries,
            rate_limited: meta.rate_limited,
            warnings,
        };
        manifest.write(&self.out.join(MANIFEST_FILE))?;
        sync_dir(&self.out)?;
        let path = publish(&self.lake, self.date, &self.out, &self.work, self.force)?;
        remove_dir_if_exists(&self.work)?;
        tracing::debug!(partition = %path.display(), rows = merged.rows, "published snapshot");
        Ok(Published { path, manifest })
    }
}

fn entry(path: &Path, rows: u64) -> Result<FileEntry, IngestError> {
    let (bytes, sha256) = digest(path)?;
    Ok(FileEntry {
        rows,
        bytes,
        sha256,
    })
}

fn write_trending(
    path: &Path,
    date: NaiveDate,
    records: &[TrendingRecord],
) -> Result<(), IngestError> {
    let file = File::create(path).map_err(IngestError::io(path))?;
    let mut w = ArrowWriter::try_new(file, schema::trending_schema(), Some(props::trending()))
        .map_err(IngestError::parquet(path))?;
    w.write(&trending_batch(date, records)?)
        .map_err(IngestError::parquet(path))?;
    let file = w.into_inner().map_err(IngestError::parquet(path))?;
    file.sync_all().map_err(IngestError::io(path))
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
