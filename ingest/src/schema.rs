//! Schema v1 of the snapshot tables: column names and Arrow schemas (see DESIGN.md).
//!
//! Every column name is a constant here; no other module spells one out.

use std::sync::{Arc, LazyLock};

use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};

/// `snapshot_date`: the run's date (Date32).
pub const SNAPSHOT_DATE: &str = "snapshot_date";
/// `id`: the model id, `namespace/name`.
pub const ID: &str = "id";
/// `author`: the API's `author`, else the namespace part of `id`.
pub const AUTHOR: &str = "author";
/// `downloads_30d`: the API's rolling 30-day `downloads`.
pub const DOWNLOADS_30D: &str = "downloads_30d";
/// `downloads_all_time`: the API's `downloadsAllTime`.
pub const DOWNLOADS_ALL_TIME: &str = "downloads_all_time";
/// `likes`: the API's `likes`.
pub const LIKES: &str = "likes";
/// `trending_score`: the API's `trendingScore`.
pub const TRENDING_SCORE: &str = "trending_score";
/// `created_at`: the API's `createdAt`, UTC milliseconds.
pub const CREATED_AT: &str = "created_at";
/// `last_modified`: the API's `lastModified`, UTC milliseconds.
pub const LAST_MODIFIED: &str = "last_modified";
/// `pipeline_tag`: the API's `pipeline_tag`.
pub const PIPELINE_TAG: &str = "pipeline_tag";
/// `library_name`: the API's `library_name`.
pub const LIBRARY_NAME: &str = "library_name";
/// `license`: the value of the `license:X` tag.
pub const LICENSE: &str = "license";
/// `gated`: the API's `gated` as text (`false`, `auto`, `manual`).
pub const GATED: &str = "gated";
/// `num_parameters`: the API's `safetensors.total`.
pub const NUM_PARAMETERS: &str = "num_parameters";
/// `base_models`: parents from the `base_model:<relation>:<id>` tags.
pub const BASE_MODELS: &str = "base_models";
/// `relation`: field of a `base_models` entry (`finetune`, `quantized`, `adapter`, `merge`, `unknown`).
pub const RELATION: &str = "relation";
/// `tags`: the API's `tags`, verbatim.
pub const TAGS: &str = "tags";
/// `rank`: position in the trending list, 1 = top.
pub const RANK: &str = "rank";
/// Name of the list item field in both list columns (the Arrow default).
pub const LIST_ITEM: &str = "item";
/// Relation of a bare `base_model:<id>` tag.
pub const RELATION_UNKNOWN: &str = "unknown";

/// Time zone of both timestamp columns.
pub const UTC: &str = "UTC";

/// File name of the models table inside a partition.
pub const MODELS_FILE: &str = "models.parquet";
/// File name of the trending table inside a partition.
pub const TRENDING_FILE: &str = "trending.parquet";
/// File name of the quarantined records inside a partition (only when there are some).
pub const QUARANTINE_FILE: &str = "quarantine.jsonl";
/// File name of the partition manifest.
pub const MANIFEST_FILE: &str = "_manifest.json";

fn timestamp_ms() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some(UTC.into()))
}

/// The struct type of one `base_models` entry.
pub fn base_model_fields() -> Fields {
    Fields::from(vec![
        Field::new(RELATION, DataType::Utf8, false),
        Field::new(ID, DataType::Utf8, false),
    ])
}

/// The list item field of `base_models`.
pub fn base_models_item() -> Arc<Field> {
    Arc::new(Field::new(
        LIST_ITEM,
        DataType::Struct(base_model_fields()),
        false,
    ))
}

/// The list item field of `tags`.
pub fn tags_item() -> Arc<Field> {
    Arc::new(Field::new(LIST_ITEM, DataType::Utf8, false))
}

static MODELS: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new(SNAPSHOT_DATE, DataType::Date32, false),
        Field::new(ID, DataType::Utf8, false),
        Field::new(AUTHOR, DataType::Utf8, false),
        Field::new(DOWNLOADS_30D, DataType::Int64, false),
        Field::new(DOWNLOADS_ALL_TIME, DataType::Int64, true),
        Field::new(LIKES, DataType::Int64, false),
        Field::new(TRENDING_SCORE, DataType::Int64, true),
        Field::new(CREATED_AT, timestamp_ms(), true),
        Field::new(LAST_MODIFIED, timestamp_ms(), true),
        Field::new(PIPELINE_TAG, DataType::Utf8, true),
        Field::new(LIBRARY_NAME, DataType::Utf8, true),
        Field::new(LICENSE, DataType::Utf8, true),
        Field::new(GATED, DataType::Utf8, true),
        Field::new(NUM_PARAMETERS, DataType::Int64, true),
        Field::new(BASE_MODELS, DataType::List(base_models_item()), false),
        Field::new(TAGS, DataType::List(tags_item()), false),
    ]))
});

static TRENDING: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new(SNAPSHOT_DATE, DataType::Date32, false),
        Field::new(RANK, DataType::Int32, false),
        Field::new(ID, DataType::Utf8, false),
        Field::new(AUTHOR, DataType::Utf8, false),
        Field::new(TRENDING_SCORE, DataType::Int64, true),
        Field::new(LIKES, DataType::Int64, false),
        Field::new(DOWNLOADS_30D, DataType::Int64, false),
    ]))
});

/// The Arrow schema of `models.parquet`, schema v1.
pub fn models_schema() -> SchemaRef {
    MODELS.clone()
}

/// The Arrow schema of `trending.parquet`, schema v1.
pub fn trending_schema() -> SchemaRef {
    TRENDING.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_schema_matches_design_column_order_and_nullability() {
        let schema = models_schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(
            names,
            [
                SNAPSHOT_DATE,
                ID,
                AUTHOR,
                DOWNLOADS_30D,
                DOWNLOADS_ALL_TIME,
                LIKES,
                TRENDING_SCORE,
                CREATED_AT,
                LAST_MODIFIED,
                PIPELINE_TAG,
                LIBRARY_NAME,
                LICENSE,
                GATED,
                NUM_PARAMETERS,
                BASE_MODELS,
                TAGS
            ]
        );
        let non_null: Vec<&str> = schema
            .fields()
            .iter()
            .filter(|f| !f.is_nullable())
            .map(|f| f.name().as_str())
            .collect();
        assert_eq!(
            non_null,
            [
                SNAPSHOT_DATE,
                ID,
                AUTHOR,
                DOWNLOADS_30D,
                LIKES,
                BASE_MODELS,
                TAGS
            ]
        );
    }

    #[test]
    fn trending_schema_has_rank_int32() {
        let schema = trending_schema();
        assert_eq!(schema.fields().len(), 7);
        let rank = schema.field_with_name(RANK).map(|f| f.data_type().clone());
        assert_eq!(rank.ok(), Some(DataType::Int32));
    }
}
