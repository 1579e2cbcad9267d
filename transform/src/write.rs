//! Deterministic Parquet writing, hashing and fsync.
//!
//! Byte-identical output needs more than sorted rows: the row-group layout must not depend on how
//! Polars happened to chunk a frame in memory. Every frame is rechunked and cut into fixed-size
//! row groups here, and the writer settings are fixed (ZSTD default level, statistics on).

use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::Path;

use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::TransformError;

/// Rows per Parquet row group.
const ROW_GROUP_ROWS: usize = 256 * 1024;

/// Writes `frames` (same schema) one after the other into one Parquet file at `path` with
/// file-level key-value metadata `kv`; returns the number of rows. `schema` is used when no
/// frame comes (an empty mart still has its columns). The file is fsynced.
pub(crate) fn write_frames<I>(
    path: &Path,
    schema: &Schema,
    frames: I,
    kv: &[(String, String)],
) -> Result<u64, TransformError>
where
    I: IntoIterator<Item = Result<DataFrame, TransformError>>,
{
    let err = |source| TransformError::WriteParquet {
        path: path.to_owned(),
        source,
    };
    let file = File::create(path).map_err(|e| TransformError::io("creating", path, e))?;
    let metadata = (!kv.is_empty()).then(|| KeyValueMetadata::from_static(kv.to_vec()));
    let mut writer = ParquetWriter::new(BufWriter::new(file))
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::default())
        .with_key_value_metadata(metadata)
        .batched(schema)
        .map_err(err)?;
    let mut rows = 0u64;
    for frame in frames {
        let mut frame = frame?;
        if frame.height() == 0 {
            continue;
        }
        frame.rechunk_mut();
        let mut offset = 0usize;
        while offset < frame.height() {
            let len = ROW_GROUP_ROWS.min(frame.height() - offset);
            let slice = frame.slice(offset as i64, len);
            writer.write_batch(&slice).map_err(err)?;
            offset += len;
        }
        rows += frame.height() as u64;
    }
    writer.finish().map_err(err)?;
    drop(writer);
    sync_file(path)?;
    Ok(rows)
}

/// Writes one frame (see [`write_frames`]).
pub(crate) fn write_frame(
    path: &Path,
    frame: DataFrame,
    kv: &[(String, String)],
) -> Result<u64, TransformError> {
    let schema = frame.schema().as_ref().clone();
    write_frames(path, &schema, [Ok(frame)], kv)
}

/// Reads a whole Parquet file the transform wrote.
pub(crate) fn read_frame(path: &Path) -> Result<DataFrame, TransformError> {
    let file = File::open(path).map_err(|e| TransformError::io("opening", path, e))?;
    ParquetReader::new(file)
        .finish()
        .map_err(|source| TransformError::CorruptParquet {
            path: path.to_owned(),
            source,
        })
}

/// Writes bytes to a file and fsyncs it.
pub(crate) fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), TransformError> {
    std::fs::write(path, bytes).map_err(|e| TransformError::io("writing", path, e))?;
    sync_file(path)
}

/// fsyncs a file (or, on Unix, a directory) by path.
pub(crate) fn sync_file(path: &Path) -> Result<(), TransformError> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| TransformError::io("syncing", path, e))
}

/// Lower-case hex sha256 of a file's bytes, streamed.
pub(crate) fn sha256_file(path: &Path) -> Result<String, TransformError> {
    let mut file = File::open(path).map_err(|e| TransformError::io("opening", path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| TransformError::io("reading", path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Lower-case hex sha256 of some text.
pub(crate) fn sha256_text(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}
