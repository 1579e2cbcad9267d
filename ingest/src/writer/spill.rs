//! Sorted spill runs and their k-way merge into the final `models.parquet`.
//!
//! The listing arrives sorted by downloads, the table is sorted by id: records are buffered,
//! sorted and spilled as runs of at most `spill_rows`, then merged in one streaming pass, so
//! memory stays flat however large the Hub grows.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use crate::batch::{models_batch, models_from_batch};
use crate::error::IngestError;
use crate::record::ModelRecord;
use crate::schema;
use crate::writer::props;

/// Records per batch when reading a run back or writing merged output: with k runs the merge
/// holds about k batches of decoded records (30 runs at 3M models).
const MERGE_BATCH: usize = 1024;

/// Sorts `records` by id (stable) and writes them as a run file, fsynced, via a temporary name.
pub(crate) fn write_run(
    path: &Path,
    date: NaiveDate,
    records: &mut [ModelRecord],
) -> Result<(), IngestError> {
    records.sort_by(|a, b| a.id.cmp(&b.id));
    let tmp = path.with_extension("tmp");
    let file = File::create(&tmp).map_err(IngestError::io(&tmp))?;
    let mut writer = ArrowWriter::try_new(file, schema::models_schema(), Some(props::spill()))
        .map_err(IngestError::parquet(&tmp))?;
    for chunk in records.chunks(props::SPILL_ROW_GROUP_ROWS) {
        let batch = models_batch(date, chunk)?;
        writer.write(&batch).map_err(IngestError::parquet(&tmp))?;
    }
    let file = writer.into_inner().map_err(IngestError::parquet(&tmp))?;
    file.sync_all().map_err(IngestError::io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(IngestError::io(path))
}

/// One run being read back, a batch at a time.
struct RunCursor {
    path: PathBuf,
    reader: ParquetRecordBatchReader,
    head: std::vec::IntoIter<ModelRecord>,
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
            head: Vec::new().into_iter(),
        })
    }

    fn next(&mut self) -> Result<Option<ModelRecord>, IngestError> {
        loop {
            if let Some(r) = self.head.next() {
                return Ok(Some(r));
            }
            match self.reader.next() {
                None => return Ok(None),
                Some(batch) => {
                    let batch = batch.map_err(|e| IngestError::Parquet {
                        path: self.path.clone(),
                        source: e.into(),
                    })?;
                    self.head = models_from_batch(&batch)?.into_iter();
                }
            }
        }
    }
}

/// What the merge wrote.
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
/// scores of `wanted` ids on the way.
pub(crate) fn merge_runs(
    runs: &[PathBuf],
    date: NaiveDate,
    out: &Path,
    wanted: &HashMap<String, ()>,
) -> Result<MergeOutcome, IngestError> {
    let mut cursors = runs
        .iter()
        .map(|p| RunCursor::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    // Heap of (id, run index); ties go to the earlier run, which makes the output stable.
    let mut heads: Vec<Option<ModelRecord>> = Vec::with_capacity(cursors.len());
    let mut heap: BinaryHeap<Reverse<(String, usize)>> = BinaryHeap::new();
    for (i, c) in cursors.iter_mut().enumerate() {
        let head = c.next()?;
        if let Some(r) = &head {
            heap.push(Reverse((r.id.clone(), i)));
        }
        heads.push(head);
    }
    let file = File::create(out).map_err(IngestError::io(out))?;
    let mut writer = ArrowWriter::try_new(file, schema::models_schema(), Some(props::models()))
        .map_err(IngestError::parquet(out))?;
    let mut outcome = MergeOutcome::default();
    let mut pending: Vec<ModelRecord> = Vec::with_capacity(MERGE_BATCH);
    let mut last_id: Option<String> = None;
    while let Some(Reverse((id, i))) = heap.pop() {
        let next = cursors[i].next()?;
        if let Some(r) = &next {
            heap.push(Reverse((r.id.clone(), i)));
        }
        let Some(record) = std::mem::replace(&mut heads[i], next) else {
            continue;
        };
        if last_id.as_deref() == Some(id.as_str()) {
            outcome.duplicates += 1;
            continue;
        }
        if wanted.contains_key(&id) {
            outcome.scores.insert(id.clone(), record.trending_score);
        }
        last_id = Some(id);
        pending.push(record);
        if pending.len() == MERGE_BATCH {
            writer
                .write(&models_batch(date, &pending)?)
                .map_err(IngestError::parquet(out))?;
            outcome.rows += pending.len() as u64;
            pending.clear();
        }
    }
    if !pending.is_empty() {
        writer
            .write(&models_batch(date, &pending)?)
            .map_err(IngestError::parquet(out))?;
        outcome.rows += pending.len() as u64;
    }
    let file = writer.into_inner().map_err(IngestError::parquet(out))?;
    file.sync_all().map_err(IngestError::io(out))?;
    Ok(outcome)
}
