//! Deterministic Parquet writing, hashing and fsync.
//!
//! Byte-identical output needs more than sorted rows: the row-group layout must not depend on how
//! Polars happened to chunk a frame in memory. Every frame is rechunked and cut into fixed-size
//! row groups here, and the writer settings are fixed (ZSTD default level, statistics on).

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::column::writer::ColumnCloseResult;
use parquet::file::metadata::{KeyValue, PageIndexPolicy, ParquetMetaDataReader};
use parquet::file::properties::{WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
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

/// Concatenates Parquet files written by [`write_frames`] (the cached daily pieces of one mart)
/// into one file at `path` by copying their encoded column chunks, with file-level key-value
/// metadata `kv` added to the first input's; returns the number of rows, or `None` when the
/// inputs' Parquet schemas differ (the caller then decodes and re-encodes them).
///
/// A piece's row groups are already cut at [`ROW_GROUP_ROWS`] from its first row, exactly as
/// re-encoding the concatenated frames would cut them, so copying the compressed pages gives the
/// same layout without decoding and compressing every row a second time (ZSTD was a tenth of a
/// full rebuild). The file is fsynced.
pub(crate) fn concat_files(
    path: &Path,
    inputs: &[PathBuf],
    kv: &[(String, String)],
) -> Result<Option<u64>, TransformError> {
    let err = |at: &Path| {
        let at = at.to_owned();
        move |source| TransformError::CopyParquet { path: at, source }
    };
    let mut footers = Vec::with_capacity(inputs.len());
    for input in inputs {
        let file = File::open(input).map_err(|e| TransformError::io("opening", input, e))?;
        let footer = ParquetMetaDataReader::new()
            .with_page_index_policy(PageIndexPolicy::Optional)
            .parse_and_finish(&file)
            .map_err(err(input))?;
        footers.push(footer);
    }
    let Some(first) = footers.first() else {
        return Ok(None);
    };
    let schema = first.file_metadata().schema_descr();
    if footers
        .iter()
        .any(|f| f.file_metadata().schema_descr().root_schema() != schema.root_schema())
    {
        return Ok(None);
    }
    let mut metadata: Vec<KeyValue> = first
        .file_metadata()
        .key_value_metadata()
        .cloned()
        .unwrap_or_default();
    metadata.retain(|m| !kv.iter().any(|(k, _)| *k == m.key));
    metadata.extend(kv.iter().map(|(k, v)| KeyValue::new(k.clone(), v.clone())));
    let mut props = WriterProperties::builder()
        .set_key_value_metadata(Some(metadata))
        .set_writer_version(if first.file_metadata().version() <= 1 {
            WriterVersion::PARQUET_1_0
        } else {
            WriterVersion::PARQUET_2_0
        });
    if let Some(created_by) = first.file_metadata().created_by() {
        props = props.set_created_by(created_by.to_owned());
    }
    let file = File::create(path).map_err(|e| TransformError::io("creating", path, e))?;
    let mut writer = SerializedFileWriter::new(
        BufWriter::with_capacity(1 << 20, file),
        schema.root_schema_ptr(),
        Arc::new(props.build()),
    )
    .map_err(err(path))?;
    let mut rows = 0u64;
    for (input, footer) in inputs.iter().zip(&footers) {
        let file = File::open(input).map_err(|e| TransformError::io("opening", input, e))?;
        let page_index = footer.page_index();
        for (g, group) in footer.row_groups().iter().enumerate() {
            let mut out = writer.next_row_group().map_err(err(path))?;
            for (k, column) in group.columns().iter().enumerate() {
                let close = ColumnCloseResult {
                    bytes_written: column.compressed_size() as u64,
                    rows_written: group.num_rows() as u64,
                    metadata: column.clone(),
                    bloom_filter: None,
                    column_index: page_index.and_then(|p| p.column_index(g, k)).cloned(),
                    offset_index: page_index.and_then(|p| p.offset_index(g, k)).cloned(),
                };
                out.append_column(&file, close).map_err(err(input))?;
            }
            out.close().map_err(err(path))?;
            rows += group.num_rows() as u64;
        }
    }
    let mut buf = writer.into_inner().map_err(err(path))?;
    buf.flush()
        .map_err(|e| TransformError::io("writing", path, e))?;
    drop(buf);
    sync_file(path)?;
    Ok(Some(rows))
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
