//! Sorted spill runs and their k-way merge into the final `models.parquet`.
//!
//! The listing arrives sorted by downloads, the table is sorted by id: pages are buffered as
//! Arrow record batches (compact: a few hundred bytes a model, against about a kilobyte as
//! owned [`ModelRecord`](crate::ModelRecord)s), sorted by an index permutation and spilled as
//! runs, then merged in one streaming pass that moves rows between Arrow batches without
//! decoding them. At most [`MAX_FAN_IN`] runs are merged at once (more are first merged in
//! groups), so memory stays flat however large the Hub grows.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_select::interleave::interleave;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::file::properties::WriterProperties;

use crate::error::IngestError;
use crate::schema;
use crate::writer::props;

/// Rows per batch when reading a run back and per batch written by the merge: with k runs
/// the merge holds about k such batches (a few hundred KiB each) plus one output batch.
const MERGE_BATCH: usize = 1024;
/// Most runs merged in one pass; beyond it, runs are first merged in groups into larger runs.
/// Each open run costs about 5 MiB (a page and a ZSTD context per column): at 3M models, 30
/// runs merged at once peaked at 250 MiB, 8 at 134 MiB.
pub(crate) const MAX_FAN_IN: usize = 8;
/// Column index of `id` and of `trending_score` in schema v1.
const ID_COLUMN: usize = 1;
const SCORE_COLUMN: usize = 6;

fn arrow_err(what: &'static str) -> impl FnOnce(arrow_schema::ArrowError) -> IngestError {
    move |source| IngestError::Arrow { what, source }
}

/// The `id` column of a schema-v1 batch.
fn ids(batch: &RecordBatch) -> &StringArray {
    batch.column(ID_COLUMN).as_string::<i32>()
}

/// Gathers `indices` ((batch, row) pairs) from `batches` into one schema-v1 batch.
fn gather(batches: &[RecordBatch], indices: &[(usize, usize)]) -> Result<RecordBatch, IngestError> {
    let columns = (0..schema::models_schema().fields().len())
        .map(|c| {
            let values: Vec<&dyn Array> = batches.iter().map(|b| b.column(c).as_ref()).collect();
            interleave(&values, indices)
        })
        .collect::<Result<Vec<ArrayRef>, _>>()
        .map_err(arrow_err("models (gather)"))?;
    RecordBatch::try_new(schema::models_schema(), columns).map_err(arrow_err("models (gather)"))
}

/// Sorts the buffered batches' rows by id (stable: equal ids keep their arrival order) and
/// writes them as a run file, fsynced, via a temporary name.
pub(crate) fn write_run(path: &Path, batches: &[RecordBatch]) -> Result<(), IngestError> {
    let mut order: Vec<(usize, usize)> = batches
        .iter()
        .enumerate()
        .flat_map(|(b, batch)| (0..batch.num_rows()).map(move |r| (b, r)))
        .collect();
    let columns: Vec<&StringArray> = batches.iter().map(ids).collect();
    order.sort_by(|&(ab, ar), &(bb, br)| columns[ab].value(ar).cmp(columns[bb].value(br)));
    let tmp = path.with_extension("tmp");
    let file = File::create(&tmp).map_err(IngestError::io(&tmp))?;
    let mut writer = ArrowWriter::try_new(file, schema::models_schema(), Some(props::spill()))
        .map_err(IngestError::parquet(&tmp))?;
    for chunk in order.chunks(MERGE_BATCH) {
        writer
            .write(&gather(batches, chunk)?)
            .map_err(IngestError::parquet(&tmp))?;
    }
    let file = writer.into_inner().map_err(IngestError::parquet(&tmp))?;
    file.sync_all().map_err(IngestError::io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(IngestError::io(path))
}

/// One run being read back, a batch at a time: the current batch sits in the merge's batch
/// store at `slot`, and `row` is the next row to merge.
struct RunCursor {
    path: PathBuf,
    reader: ParquetRecordBatchReader,
    slot: usize,
    row: usize,
    rows: usize,
}

impl RunCursor {
    fn open(path: &Path) -> Result<RunCursor, IngestError> {
        let file = File::open(path).map_err(IngestError::io(path))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .and_then(|b| b.with_batch_size(MERGE_BATCH).build())
            .map_err(IngestError::parquet(path))?;
        Ok(RunCursor {
            path: path.to_owned(),
            reader,
            slot: 0,
            row: 0,
            rows: 0,
        })
    }

    /// Moves to the next row, loading the next batch into `store` when this one is done.
    /// Returns the id of the new current row, or `None` when the run is exhausted.
    fn advance(&mut self, store: &mut Vec<RecordBatch>) -> Result<Option<String>, IngestError> {
        self.row += 1;
        while self.row >= self.rows {
            let Some(batch) = self.reader.next() else {
                return Ok(None);
            };
            let batch = batch.map_err(|e| IngestError::Parquet {
                path: self.path.clone(),
                source: e.into(),
            })?;
            if batch.schema().fields() != schema::models_schema().fields() {
                return Err(IngestError::Arrow {
                    what: "spill run (read back)",
                    source: arrow_schema::ArrowError::SchemaError(format!(
                        "{}: not schema v1",
                        self.path.display()
                    )),
                });
            }
            self.rows = batch.num_rows();
            self.row = 0;
            store.push(batch);
            self.slot = store.len() - 1;
        }
        Ok(Some(ids(&store[self.slot]).value(self.row).to_owned()))
    }
}

/// What a merge wrote.
#[derive(Debug, Default)]
pub(crate) struct MergeOutcome {
    /// Rows in the output.
    pub rows: u64,
    /// Records dropped because an earlier run already had their id.
    pub duplicates: u64,
    /// Trending scores of the ids asked for, as found in the output.
    pub scores: HashMap<String, Option<i64>>,
}

/// Merges sorted runs into `out` (final writer properties), dropping repeated ids (the first
/// run's record wins: the listing can shift while it is paged), and collecting the trending
/// scores of `wanted` ids on the way. With more than [`MAX_FAN_IN`] runs, consecutive groups
/// are first merged into `{work}/merged-L-G.parquet` runs, level by level.
pub(crate) fn merge_runs(
    runs: &[PathBuf],
    work: &Path,
    out: &Path,
    wanted: &HashMap<String, ()>,
) -> Result<MergeOutcome, IngestError> {
    let mut runs = runs.to_vec();
    let mut duplicates = 0;
    // Level by level, consecutive groups into one run each: every row is rewritten once per
    // level, and the runs keep their order (so "first run wins" still holds).
    let mut level = 0usize;
    while runs.len() > MAX_FAN_IN {
        let mut next = Vec::with_capacity(runs.len().div_ceil(MAX_FAN_IN));
        for (g, group) in runs.chunks(MAX_FAN_IN).enumerate() {
            if group.len() == 1 {
                next.extend_from_slice(group);
                continue;
            }
            let merged = work.join(format!("merged-{level:02}-{g:05}.parquet"));
            let tmp = merged.with_extension("tmp");
            let o = merge_pass(group, &tmp, props::spill(), &HashMap::new())?;
            std::fs::rename(&tmp, &merged).map_err(IngestError::io(&merged))?;
            duplicates += o.duplicates;
            tracing::debug!(
                level,
                runs = group.len(),
                rows = o.rows,
                "merged a group of runs"
            );
            next.push(merged);
        }
        // The previous level's merged runs are consumed; the spilled runs stay (resume).
        for done in runs.iter().filter(|r| !next.contains(r) && level > 0) {
            std::fs::remove_file(done).map_err(IngestError::io(done))?;
        }
        runs = next;
        level += 1;
    }
    let mut outcome = merge_pass(&runs, out, props::models(), wanted)?;
    outcome.duplicates += duplicates;
    Ok(outcome)
}

/// One k-way merge of `runs` into `out`, written with `props`.
fn merge_pass(
    runs: &[PathBuf],
    out: &Path,
    props: WriterProperties,
    wanted: &HashMap<String, ()>,
) -> Result<MergeOutcome, IngestError> {
    let mut cursors = runs
        .iter()
        .map(|p| RunCursor::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    // Batches the pending rows point into; compacted after every flush.
    let mut store: Vec<RecordBatch> = Vec::new();
    // Heap of (id, run index); ties go to the earlier run, which makes the output stable.
    let mut heap: BinaryHeap<Reverse<(String, usize)>> = BinaryHeap::new();
    for (i, c) in cursors.iter_mut().enumerate() {
        // A fresh cursor has an empty current batch: the first advance loads its first one.
        if let Some(id) = c.advance(&mut store)? {
            heap.push(Reverse((id, i)));
        }
    }
    let file = File::create(out).map_err(IngestError::io(out))?;
    let mut writer = ArrowWriter::try_new(file, schema::models_schema(), Some(props))
        .map_err(IngestError::parquet(out))?;
    let mut outcome = MergeOutcome::default();
    let mut pending: Vec<(usize, usize)> = Vec::with_capacity(MERGE_BATCH);
    let mut last_id: Option<String> = None;
    while let Some(Reverse((id, i))) = heap.pop() {
        let c = &mut cursors[i];
        let (slot, row) = (c.slot, c.row);
        if last_id.as_deref() == Some(id.as_str()) {
            outcome.duplicates += 1;
        } else {
            if wanted.contains_key(&id) {
                let scores = store[slot].column(SCORE_COLUMN).as_primitive::<Int64Type>();
                let score = scores.is_valid(row).then(|| scores.value(row));
                outcome.scores.insert(id.clone(), score);
            }
            last_id = Some(id);
            pending.push((slot, row));
        }
        if let Some(next) = c.advance(&mut store)? {
            heap.push(Reverse((next, i)));
        }
        if pending.len() == MERGE_BATCH {
            flush(&mut writer, &mut store, &mut pending, &mut cursors, out)?;
            outcome.rows += MERGE_BATCH as u64;
        }
    }
    let rest = pending.len() as u64;
    flush(&mut writer, &mut store, &mut pending, &mut cursors, out)?;
    outcome.rows += rest;
    let file = writer.into_inner().map_err(IngestError::parquet(out))?;
    file.sync_all().map_err(IngestError::io(out))?;
    Ok(outcome)
}

/// Writes the pending rows as one batch and drops the batches no cursor needs any more.
fn flush(
    writer: &mut ArrowWriter<File>,
    store: &mut Vec<RecordBatch>,
    pending: &mut Vec<(usize, usize)>,
    cursors: &mut [RunCursor],
    out: &Path,
) -> Result<(), IngestError> {
    if !pending.is_empty() {
        writer
            .write(&gather(store, pending)?)
            .map_err(IngestError::parquet(out))?;
        pending.clear();
    }
    let mut kept: Vec<RecordBatch> = Vec::with_capacity(cursors.len());
    let mut moved: HashMap<usize, usize> = HashMap::with_capacity(cursors.len());
    for c in cursors.iter_mut().filter(|c| c.row < c.rows) {
        let slot = *moved.entry(c.slot).or_insert_with(|| {
            kept.push(store[c.slot].clone());
            kept.len() - 1
        });
        c.slot = slot;
    }
    *store = kept;
    Ok(())
}
