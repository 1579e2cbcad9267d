//! Storage accounting: bytes per column of a Parquet file, from its footer.

use std::fs::File;
use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};

use crate::error::IngestError;

/// Bytes one (leaf) column takes in a Parquet file, summed over its row groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSize {
    /// Dotted leaf path, e.g. `id` or `tags.list.item`.
    pub column: String,
    /// Bytes on disk (compressed pages, dictionary included).
    pub compressed_bytes: u64,
    /// Bytes before compression.
    pub uncompressed_bytes: u64,
}

/// Per-column sizes of a Parquet file (in schema order) and its row count.
pub fn column_sizes(path: &Path) -> Result<(Vec<ColumnSize>, u64), IngestError> {
    let file = File::open(path).map_err(IngestError::io(path))?;
    let reader = SerializedFileReader::new(file).map_err(IngestError::parquet(path))?;
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    let mut sizes: Vec<ColumnSize> = schema
        .columns()
        .iter()
        .map(|c| ColumnSize {
            column: c.path().string(),
            compressed_bytes: 0,
            uncompressed_bytes: 0,
        })
        .collect();
    for rg in meta.row_groups() {
        for (i, col) in rg.columns().iter().enumerate() {
            if let Some(s) = sizes.get_mut(i) {
                s.compressed_bytes += u64::try_from(col.compressed_size()).unwrap_or(0);
                s.uncompressed_bytes += u64::try_from(col.uncompressed_size()).unwrap_or(0);
            }
        }
    }
    let rows = u64::try_from(meta.file_metadata().num_rows()).unwrap_or(0);
    Ok((sizes, rows))
}
