//! Parquet writer properties: explicit, so the bytes depend only on the data.

use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::metadata::SortingColumn;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::schema::types::ColumnPath;

use crate::schema;

/// Fixed `created_by`, so files do not change with the build (the manifest has the tool version).
const CREATED_BY: &str = "hubtrends-ingest (schema v1)";
/// Rows per row group of the published tables. Each row group repeats the dictionaries of
/// tags, parent ids and parameter counts (7.4 B/model at 128k rows). Measured at 1M simulated
/// models (level 9): 128k rows 37.9 B/model, 512k 36.3, 1M 36.2 (the parameter-count
/// dictionary overflows to its delta fallback). The open row group is held in memory with its
/// dictionaries: at 3M models 512k rows peaked at 174 MiB against 134 MiB with 128k.
const ROW_GROUP_ROWS: usize = 512 * 1024;
/// ZSTD level of the published tables. Measured at 1M models: 9 -> 12 saves 2% (37.7 ->
/// 37.0 B/model) but costs ~60 MiB of peak RSS (one compression context per column, sized to
/// its pages); 15 saves 4% at ~80 MiB and twice the time. Memory wins. Downwards, with the
/// schema as it is now: 9 gives 29.25 B/model at 1M models, 6 gives 29.65 B (goal: 30) and
/// saves ~1.1 CPU-s per million models (a fifth of a snapshot's CPU); 3 gives 30.04 B at 300k.
const ZSTD_LEVEL: i32 = 6;
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

/// The leaf of the `tags` list column, `tags.list.item`.
fn tags_leaf() -> ColumnPath {
    ColumnPath::new(vec![
        schema::TAGS.into(),
        LIST.into(),
        schema::LIST_ITEM.into(),
    ])
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
        tags_leaf(),
        ColumnPath::new(vec![
            schema::BASE_MODELS.into(),
            LIST.into(),
            schema::LIST_ITEM.into(),
            schema::ID.into(),
        ]),
    ] {
        b = b.set_column_dictionary_page_size_limit(path, DICTIONARY_PAGE_BYTES);
    }
    // Larger data pages for ids and tags (4 MiB / 100k rows instead of 1 MiB / 20k) give ZSTD
    // more context: 1M models 36.3 -> 35.2 B/model, but the peak RSS at 3M models rose from
    // 174 to 224 MiB (each column's buffers and ZSTD context grow with its pages). Not taken.
    // Timestamps are nearly unique: skip the dictionary, delta-pack them. BYTE_STREAM_SPLIT
    // saves only 0.07 B/model each at level 9 and needs readers from 2024 on (INT64 support
    // came with Parquet format 2.11): not worth it.
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
