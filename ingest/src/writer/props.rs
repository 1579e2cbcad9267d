//! Parquet writer properties: explicit, so the bytes depend only on the data.

use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::metadata::SortingColumn;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::schema::types::ColumnPath;

use crate::schema;

/// Fixed `created_by`, so files do not change with the build (the manifest has the tool version).
const CREATED_BY: &str = "hubtrends-ingest (schema v1)";
/// Rows per row group of the published tables. Measured at 1M simulated models: 128k rows
/// 38.6 B/model, 512k 36.4 B/model (each row group repeats the large tag dictionary), 1M rows
/// 35.6 B/model; but the open row group is held in memory, and at 3M models 512k-row groups
/// lifted the peak RSS from about 160 MiB to 308 MiB: memory wins.
const ROW_GROUP_ROWS: usize = 128 * 1024;
/// Rows per row group of a spill run: small, so the merge holds little of each run in memory.
pub(crate) const SPILL_ROW_GROUP_ROWS: usize = 8 * 1024;
/// ZSTD level of the published tables: 6 -> 9 saved about 3%, 12 another 2% at ~45 MB more
/// memory and 20% more time.
const ZSTD_LEVEL: i32 = 9;

/// Dictionary page limit of the list columns (the default 1 MiB overflows at a million models).
const DICTIONARY_PAGE_BYTES: usize = 16 * 1024 * 1024;
/// The middle level of a Parquet list column's leaf path (`tags.list.item`).
const LIST: &str = "list";

fn zstd(level: i32) -> Compression {
    // Levels 1..=22 are valid; the constants above are in range, so the fallback never applies.
    Compression::ZSTD(ZstdLevel::try_new(level).unwrap_or_default())
}

fn col(name: &str) -> ColumnPath {
    ColumnPath::from(name)
}

/// `models.parquet`: sorted ids delta-encoded, integers dictionary-first with delta fallback.
pub(crate) fn models() -> WriterProperties {
    let mut b = WriterProperties::builder()
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .set_created_by(CREATED_BY.to_owned())
        .set_compression(zstd(ZSTD_LEVEL))
        .set_dictionary_enabled(true)
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_sorting_columns(Some(vec![SortingColumn {
            column_idx: 1,
            descending: false,
            nulls_first: false,
        }]))
        // Ids are unique and sorted: a dictionary never pays, prefix sharing does.
        .set_column_dictionary_enabled(col(schema::ID), false)
        .set_column_encoding(col(schema::ID), Encoding::DELTA_BYTE_ARRAY);
    // With the dictionary on, the column encoding is the fallback once the dictionary is full.
    for name in [
        schema::DOWNLOADS_30D,
        schema::DOWNLOADS_ALL_TIME,
        schema::LIKES,
        schema::TRENDING_SCORE,
        schema::NUM_PARAMETERS,
    ] {
        b = b.set_column_encoding(col(name), Encoding::DELTA_BINARY_PACKED);
    }
    // Tags and parent ids repeat a lot but have many distinct values (every `base_model:` tag):
    // a larger dictionary keeps them from falling back to plain mid-row-group.
    for path in [
        ColumnPath::new(vec![
            schema::TAGS.into(),
            LIST.into(),
            schema::LIST_ITEM.into(),
        ]),
        ColumnPath::new(vec![
            schema::BASE_MODELS.into(),
            LIST.into(),
            schema::LIST_ITEM.into(),
            schema::ID.into(),
        ]),
    ] {
        b = b.set_column_dictionary_page_size_limit(path, DICTIONARY_PAGE_BYTES);
    }
    // Timestamps are nearly unique: skip the dictionary, delta-pack them.
    for name in [schema::CREATED_AT, schema::LAST_MODIFIED] {
        b = b
            .set_column_dictionary_enabled(col(name), false)
            .set_column_encoding(col(name), Encoding::DELTA_BINARY_PACKED);
    }
    b.build()
}

/// `trending.parquet`: small; defaults plus ZSTD and the fixed `created_by`.
pub(crate) fn trending() -> WriterProperties {
    WriterProperties::builder()
        .set_created_by(CREATED_BY.to_owned())
        .set_compression(zstd(ZSTD_LEVEL))
        .build()
}

/// Spill runs: fast to write and read back, small row groups.
pub(crate) fn spill() -> WriterProperties {
    WriterProperties::builder()
        .set_created_by(CREATED_BY.to_owned())
        .set_compression(zstd(1))
        .set_max_row_group_row_count(Some(SPILL_ROW_GROUP_ROWS))
        .build()
}
