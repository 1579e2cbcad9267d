//! The public value types of the population: configuration, enums, one materialised model.

use chrono::{DateTime, NaiveDate, Utc};

/// What to simulate: a seed, the population size on the start date, and that date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimConfig {
    /// Seed of every draw; the same seed gives the same Hub, byte for byte.
    pub seed: u64,
    /// Number of models listed on `start_date` (about 0.5% more appear every following day).
    pub models: usize,
    /// The first simulated day; models before it have creation dates spread over the past.
    pub start_date: NaiveDate,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            models: 5_000,
            start_date: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default(),
        }
    }
}

/// Access gating of a repository, as in the API's `gated` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gated {
    /// Open (`false` in the API).
    False,
    /// Automatically approved access requests (`"auto"`).
    Auto,
    /// Manually reviewed access requests (`"manual"`).
    Manual,
}

impl Gated {
    /// The spelling stored in the lake: `false`, `auto`, `manual`.
    pub fn as_str(self) -> &'static str {
        match self {
            Gated::False => "false",
            Gated::Auto => "auto",
            Gated::Manual => "manual",
        }
    }
}

/// How a model derives from a parent, as in `base_model:<relation>:<id>` tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// Further training of the parent.
    Finetune,
    /// A quantised copy of the parent.
    Quantized,
    /// A LoRA or other adapter on top of the parent.
    Adapter,
    /// A merge of two or more parents.
    Merge,
}

impl Relation {
    /// The tag spelling: `finetune`, `quantized`, `adapter`, `merge`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Finetune => "finetune",
            Relation::Quantized => "quantized",
            Relation::Adapter => "adapter",
            Relation::Merge => "merge",
        }
    }
}

/// A listing order of the `/api/models` endpoint (always descending).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// `sort=downloads`: 30-day downloads.
    Downloads,
    /// `sort=likes`.
    Likes,
    /// `sort=trendingScore`.
    TrendingScore,
    /// `sort=createdAt`.
    CreatedAt,
    /// `sort=lastModified`.
    LastModified,
}

impl SortKey {
    /// Every key, in a fixed order (the index of a key's cached sort).
    pub const ALL: [SortKey; 5] = [
        SortKey::Downloads,
        SortKey::Likes,
        SortKey::TrendingScore,
        SortKey::CreatedAt,
        SortKey::LastModified,
    ];

    /// The API's spelling (`trendingScore`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Downloads => "downloads",
            SortKey::Likes => "likes",
            SortKey::TrendingScore => "trendingScore",
            SortKey::CreatedAt => "createdAt",
            SortKey::LastModified => "lastModified",
        }
    }

    /// Parses the API's spelling; `None` for anything else.
    pub fn parse(text: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub(crate) fn slot(self) -> usize {
        self as usize
    }
}

/// One model as listed on one day: exactly the fields the ingest stores (schema v1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimModel {
    /// `namespace/name`, unique case-insensitively.
    pub id: String,
    /// The namespace.
    pub author: String,
    /// Whether the namespace is an organisation (`authorData.type == "org"`).
    pub author_is_org: bool,
    /// Downloads over the last 30 days (the API's `downloads`).
    pub downloads_30d: i64,
    /// Downloads since creation, or since the last rename (`downloadsAllTime`).
    pub downloads_all_time: i64,
    /// Likes.
    pub likes: i64,
    /// Trending score: likes gained over the last 7 days.
    pub trending_score: i64,
    /// Creation time (whole seconds).
    pub created_at: DateTime<Utc>,
    /// Time of the last commit (whole seconds).
    pub last_modified: DateTime<Utc>,
    /// Pipeline tag (`text-generation`).
    pub pipeline_tag: Option<&'static str>,
    /// Library name (`transformers`); `None` for GGUF and EXL2 repositories.
    pub library_name: Option<&'static str>,
    /// License (`apache-2.0`), also present as a `license:` tag.
    pub license: Option<&'static str>,
    /// Gating.
    pub gated: Gated,
    /// `safetensors.total`; `None` for repositories without safetensors.
    pub num_parameters: Option<i64>,
    /// Parents with their relation; merges have two. Some parents are not in the population
    /// (deleted repositories), as on the real Hub.
    pub base_models: Vec<(Relation, String)>,
    /// The API's tags, including `base_model:` and `license:` tags.
    pub tags: Vec<String>,
}

impl SimModel {
    /// The namespace part of the id's name (`Qwen3-8B` of `Qwen/Qwen3-8B`).
    pub fn name(&self) -> &str {
        self.id.split_once('/').map_or(self.id.as_str(), |(_, n)| n)
    }
}
