//! Sorted spill runs and their k-way merge into the final `models.parquet`.
//!
//! The listing arrives sorted by downloads, the table is sorted by id: pages are buffered as
//! Arrow record batches (compact: a few hundred bytes a model, against about a kilobyte as
//! owned [`ModelRecord`](crate::ModelRecord)s), sorted by an index permutation and spilled as
//! runs, then merged in one streaming pass that moves rows between Arrow batches without
//! decoding them. At most [`MAX_FAN_IN`] runs are merged at once (more are first merged in
//! groups), so memory stays flat however large the Hub grows.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_ipc::reader::FileReader;
use arrow_ipc::writer::FileWriter;
use arrow_select::interleave::interleave;
use parquet::arrow::ArrowWriter;

use crate::error::IngestError;
use crate::schema;
use crate::writer::props;

/// Rows per batch when reading a run back and per batch written by the merge: with k runs
/// the merge holds about k such batches (a few hundred KiB each) plus one output batch.
const MERGE_BATCH: usize = 1024;
/// Most runs merged in one pass; beyond it, runs are first merged in groups into larger runs.
/// An open Arrow IPC run costs one batch of [`MERGE_BATCH`] rows (~0.3 MiB) and a read buffer,
/// so a 3M-model snapshot's 30 runs merge in one pass (Parquet runs cost ~5 MiB each: a page
/// and a ZSTD context per column, which capped the fan-in at 8).
pub(crate) const MAX_FAN_IN: usize = 64;
/// Gathered batches queued between the merge and the encoder thread.
const SINK_QUEUE: usize = 4;
/// Read and write buffer of a run file.
const IO_BUFFER: usize = 256 * 1024;
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

/// File extension of a spill run (an Arrow IPC file).
pub(crate) const RUN_EXT: &str = "arrow";

/// The name of the `k`-th spill run inside `runs/`.
pub(crate) fn run_name(k: usize) -> String {
    format!("run-{k:05}.{RUN_EXT}")
}

fn ipc_err(path: &Path) -> impl FnOnce(arrow_schema::ArrowError) -> IngestError {
    let path = path.to_owned();
    move |source| IngestError::SpillRun { path, source }
}

/// Sorts the buffered batches' rows by id (stable: equal ids keep their arrival order) and
/// writes them as a run file, fsynced, via a temporary name.
///
/// Runs are uncompressed Arrow IPC: writing one is a copy and reading it back is nearly one,
/// where the Parquet runs they replace spent more CPU on dictionary encoding, ZSTD and decoding
/// than the whole final write (a run lives for seconds; only the final file needs to be small).
pub(crate) fn write_run(path: &Path, batches: &[RecordBatch]) -> Result<(), IngestError> {
    let mut order: Vec<(usize, usize)> = batches
        .iter()
        .enumerate()
        .flat_map(|(b, batch)| (0..batch.num_rows()).map(move |r| (b, r)))
        .collect();
    let columns: Vec<&StringArray> = batches.iter().map(ids).collect();
    order.sort_by(|&(ab, ar), &(bb, br)| columns[ab].value(ar).cmp(columns[bb].value(br)));
    let tmp = path.with_extension("tmp");
    let mut sink = Sink::ipc(&tmp)?;
    for chunk in order.chunks(MERGE_BATCH) {
        sink.write(&gather(batches, chunk)?)?;
    }
    sink.finish()?;
    std::fs::rename(&tmp, path).map_err(IngestError::io(path))
}

/// Where merged rows go: an intermediate run (Arrow IPC) or the published table (Parquet).
enum Sink {
    Ipc {
        path: PathBuf,
        writer: FileWriter<BufWriter<File>>,
    },
    Parquet {
        path: PathBuf,
        writer: ArrowWriter<File>,
    },
}

impl Sink {
    fn ipc(path: &Path) -> Result<Sink, IngestError> {
        let file = File::create(path).map_err(IngestError::io(path))?;
        let writer = FileWriter::try_new(
            BufWriter::with_capacity(IO_BUFFER, file),
            &schema::models_schema(),
        )
        .map_err(ipc_err(path))?;
        Ok(Sink::Ipc {
            path: path.to_owned(),
            writer,
        })
    }

    fn parquet(path: &Path) -> Result<Sink, IngestError> {
        let file = File::create(path).map_err(IngestError::io(path))?;
        let writer = ArrowWriter::try_new(file, schema::models_schema(), Some(props::models()))
            .map_err(IngestError::parquet(path))?;
        Ok(Sink::Parquet {
            path: path.to_owned(),
            writer,
        })
    }

    fn write(&mut self, batch: &RecordBatch) -> Result<(), IngestError> {
        match self {
            Sink::Ipc { path, writer } => writer.write(batch).map_err(ipc_err(path)),
            Sink::Parquet { path, writer } => {
                writer.write(batch).map_err(IngestError::parquet(&*path))
            }
        }
    }

    /// Closes the file and fsyncs it.
    fn finish(self) -> Result<(), IngestError> {
        let (path, file) = match self {
            Sink::Ipc { path, mut writer } => {
                writer.finish().map_err(ipc_err(&path))?;
                let file = writer
                    .into_inner()
                    .map_err(ipc_err(&path))?
                    .into_inner()
                    .map_err(|e| IngestError::io(&path)(e.into_error()))?;
                (path, file)
            }
            Sink::Parquet { path, writer } => {
                let file = writer.into_inner().map_err(IngestError::parquet(&path))?;
                (path, file)
            }
        };
        file.sync_all().map_err(IngestError::io(&path))
    }
}

/// One run being read back, a batch at a time: the current batch sits in the merge's batch
/// store at `slot` (its ids also in `ids`), and `row` is the next row to merge.
struct RunCursor {
    path: PathBuf,
    reader: FileReader<BufReader<File>>,
    slot: usize,
    ids: StringArray,
    row: usize,
    rows: usize,
}

impl RunCursor {
    fn open(path: &Path) -> Result<RunCursor, IngestError> {
        let file = File::open(path).map_err(IngestError::io(path))?;
        let reader = FileReader::try_new(BufReader::with_capacity(IO_BUFFER, file), None)
            .map_err(ipc_err(path))?;
        if reader.schema().fields() != schema::models_schema().fields() {
            return Err(not_schema_v1(path));
        }
        Ok(RunCursor {
            path: path.to_owned(),
            reader,
            slot: 0,
            ids: StringArray::from(Vec::<&str>::new()),
            row: 0,
            rows: 0,
        })
    }

    /// The id of the current row.
    fn id(&self) -> &str {
        self.ids.value(self.row)
    }

    /// Moves to the next row, loading the next batch into `store` when this one is done.
    /// Returns whether there is a current row (false: the run is exhausted).
    fn advance(&mut self, store: &mut Vec<RecordBatch>) -> Result<bool, IngestError> {
        self.row += 1;
        while self.row >= self.rows {
            let Some(batch) = self.reader.next() else {
                return Ok(false);
            };
            let batch = batch.map_err(ipc_err(&self.path))?;
            if batch.schema().fields() != schema::models_schema().fields() {
                return Err(not_schema_v1(&self.path));
            }
            self.ids = ids(&batch).clone();
            self.rows = batch.num_rows();
            self.row = 0;
            store.push(batch);
            self.slot = store.len() - 1;
        }
        Ok(true)
    }
}

fn not_schema_v1(path: &Path) -> IngestError {
    IngestError::Arrow {
        what: "spill run (read back)",
        source: arrow_schema::ArrowError::SchemaError(format!("{}: not schema v1", path.display())),
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

/// Merges sorted runs into `out` (the published table's writer properties), dropping repeated
/// ids (the first run's record wins: the listing can shift while it is paged), and collecting
/// the trending scores of `wanted` ids on the way. With more than [`MAX_FAN_IN`] runs,
/// consecutive groups are first merged into `{work}/merged-L-G.arrow` runs, level by level.
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
            let merged = work.join(format!("merged-{level:02}-{g:05}.{RUN_EXT}"));
            let tmp = merged.with_extension("tmp");
            let o = merge_pass(group, Sink::ipc(&tmp)?, &HashMap::new())?;
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
    let mut outcome = merge_pass(&runs, Sink::parquet(out)?, wanted)?;
    outcome.duplicates += duplicates;
    Ok(outcome)
}

/// Whether cursor `a`'s current row comes before cursor `b`'s: by id, ties to the earlier run
/// (which makes the merge stable).
fn before(cursors: &[RunCursor], a: usize, b: usize) -> bool {
    match cursors[a].id().cmp(cursors[b].id()) {
        std::cmp::Ordering::Equal => a < b,
        o => o == std::cmp::Ordering::Less,
    }
}

/// Restores the min-heap order of `heap` (cursor indices) below position `i`.
fn sift_down(heap: &mut [usize], cursors: &[RunCursor], mut i: usize) {
    loop {
        let (l, r) = (2 * i + 1, 2 * i + 2);
        let mut least = i;
        if l < heap.len() && before(cursors, heap[l], heap[least]) {
            least = l;
        }
        if r < heap.len() && before(cursors, heap[r], heap[least]) {
            least = r;
        }
        if least == i {
            return;
        }
        heap.swap(i, least);
        i = least;
    }
}

/// One k-way merge of `runs` into `sink`.
///
/// The merge (comparisons and gathers) runs on this thread and the sink's encoding (for the
/// published table: dictionaries and ZSTD, the larger half of the work) on a second one, so a
/// snapshot's final pass uses both cores; at most [`SINK_QUEUE`] gathered batches wait between them.
fn merge_pass(
    runs: &[PathBuf],
    sink: Sink,
    wanted: &HashMap<String, ()>,
) -> Result<MergeOutcome, IngestError> {
    let mut cursors = runs
        .iter()
        .map(|p| RunCursor::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<RecordBatch>(SINK_QUEUE);
        let encoder = scope.spawn(move || -> Result<(), IngestError> {
            let mut sink = sink;
            for batch in rx {
                sink.write(&batch)?;
            }
            sink.finish()
        });
        let merged = merge_into(&mut cursors, wanted, &tx);
        drop(tx);
        let encoded = match encoder.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        // An encoder error closes the channel, which the merge reports as "sink closed":
        // the encoder's own error says what happened.
        encoded?;
        merged
    })
}

/// The merge loop: sends gathered batches of [`MERGE_BATCH`] rows to `tx`.
fn merge_into(
    cursors: &mut [RunCursor],
    wanted: &HashMap<String, ()>,
    tx: &std::sync::mpsc::SyncSender<RecordBatch>,
) -> Result<MergeOutcome, IngestError> {
    // Batches the pending rows point into; compacted after every flush.
    let mut store: Vec<RecordBatch> = Vec::new();
    let mut heap: Vec<usize> = Vec::with_capacity(cursors.len());
    for (i, c) in cursors.iter_mut().enumerate() {
        // A fresh cursor has an empty current batch: the first advance loads its first one.
        if c.advance(&mut store)? {
            heap.push(i);
        }
    }
    for i in (0..heap.len() / 2).rev() {
        sift_down(&mut heap, cursors, i);
    }
    let mut outcome = MergeOutcome::default();
    let mut pending: Vec<(usize, usize)> = Vec::with_capacity(MERGE_BATCH);
    let mut last_id: Vec<u8> = Vec::new();
    let mut any = false;
    while let Some(&i) = heap.first() {
        let c = &cursors[i];
        let (slot, row) = (c.slot, c.row);
        let id = c.id();
        if any && last_id == id.as_bytes() {
            outcome.duplicates += 1;
        } else {
            if wanted.contains_key(id) {
                let scores = store[slot].column(SCORE_COLUMN).as_primitive::<Int64Type>();
                let score = scores.is_valid(row).then(|| scores.value(row));
                outcome.scores.insert(id.to_owned(), score);
            }
            last_id.clear();
            last_id.extend_from_slice(id.as_bytes());
            any = true;
            pending.push((slot, row));
        }
        if !cursors[i].advance(&mut store)? {
            heap.swap_remove(0);
        }
        sift_down(&mut heap, cursors, 0);
        if pending.len() == MERGE_BATCH {
            flush(tx, &mut store, &mut pending, cursors)?;
            outcome.rows += MERGE_BATCH as u64;
        }
    }
    let rest = pending.len() as u64;
    flush(tx, &mut store, &mut pending, cursors)?;
    outcome.rows += rest;
    Ok(outcome)
}

/// Sends the pending rows as one batch and drops the batches no cursor needs any more.
fn flush(
    tx: &std::sync::mpsc::SyncSender<RecordBatch>,
    store: &mut Vec<RecordBatch>,
    pending: &mut Vec<(usize, usize)>,
    cursors: &mut [RunCursor],
) -> Result<(), IngestError> {
    if !pending.is_empty() {
        tx.send(gather(store, pending)?)
            .map_err(|_| IngestError::Arrow {
                what: "models (merge)",
                source: arrow_schema::ArrowError::ComputeError("the encoder stopped".into()),
            })?;
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
