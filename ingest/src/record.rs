//! The rows of the two snapshot tables, as owned Rust values.

/// One parent of a model, from a `base_model:<relation>:<id>` tag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BaseModel {
    /// `finetune`, `quantized`, `adapter`, `merge`, ... or `unknown` for a bare `base_model:<id>`.
    pub relation: String,
    /// The parent's model id.
    pub id: String,
}

/// One row of `models.parquet` (schema v1), except `snapshot_date`, which the writer sets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelRecord {
    /// Model id, `namespace/name`.
    pub id: String,
    /// The API's `author`, else the namespace part of `id`.
    pub author: String,
    /// Rolling 30-day downloads (missing -> 0).
    pub downloads_30d: i64,
    /// All-time downloads, when the API gave them.
    pub downloads_all_time: Option<i64>,
    /// Likes (missing -> 0).
    pub likes: i64,
    /// The API's trending score.
    pub trending_score: Option<i64>,
    /// Creation time, milliseconds since the Unix epoch (UTC).
    pub created_at: Option<i64>,
    /// Last modification time, milliseconds since the Unix epoch (UTC).
    pub last_modified: Option<i64>,
    /// The task, e.g. `text-generation`.
    pub pipeline_tag: Option<String>,
    /// The library, e.g. `transformers`.
    pub library_name: Option<String>,
    /// The value of the `license:X` tag.
    pub license: Option<String>,
    /// `false`, `auto` or `manual`.
    pub gated: Option<String>,
    /// `safetensors.total`: the parameter count.
    pub num_parameters: Option<i64>,
    /// Parents from the `base_model:` tags, in tag order, without duplicates.
    pub base_models: Vec<BaseModel>,
    /// The tags, verbatim.
    pub tags: Vec<String>,
}

/// One row of `trending.parquet` (schema v1), except `snapshot_date`, which the writer sets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrendingRecord {
    /// Position in the day's trending list, 1 = top.
    pub rank: i32,
    /// Model id.
    pub id: String,
    /// Author (namespace when absent).
    pub author: String,
    /// Trending score, filled from the models listing when the model is in it.
    pub trending_score: Option<i64>,
    /// Likes.
    pub likes: i64,
    /// Rolling 30-day downloads.
    pub downloads_30d: i64,
}
