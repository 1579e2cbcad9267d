//! Column names, flag values and other repeated strings: one place, so a mart, a test and the
//! README cannot drift apart.

// Snapshot columns (DESIGN.md, schema version 1).
/// Snapshot date of a partition row.
pub const SNAPSHOT_DATE: &str = "snapshot_date";
/// Model id (`namespace/name`).
pub const ID: &str = "id";
/// Uploader namespace.
pub const AUTHOR: &str = "author";
/// Downloads over the last 30 days.
pub const DOWNLOADS_30D: &str = "downloads_30d";
/// Downloads since the model was created (nullable).
pub const DOWNLOADS_ALL_TIME: &str = "downloads_all_time";
/// Likes.
pub const LIKES: &str = "likes";
/// Creation time (UTC, nullable).
pub const CREATED_AT: &str = "created_at";
/// Pipeline tag (nullable).
pub const PIPELINE_TAG: &str = "pipeline_tag";
/// Library name (nullable).
pub const LIBRARY_NAME: &str = "library_name";
/// Parents of a model: list of struct {relation, id}.
pub const BASE_MODELS: &str = "base_models";
/// Field of a `base_models` struct naming the parent id.
pub const BASE_ID_FIELD: &str = "id";
/// Trending rank (1 = top).
pub const RANK: &str = "rank";

// Attribution.
/// Organisation (registry `org`, or the namespace itself when unregistered).
pub const ORG: &str = "org";
/// ISO 3166-1 alpha-2 country code (null = unattributed).
pub const COUNTRY: &str = "country";
/// Region of the country (`us`, `china`, `eu`, `other`).
pub const REGION: &str = "region";
/// Publisher kind from the registry.
pub const KIND: &str = "kind";
/// Whether the namespace is in the registry.
pub const ATTRIBUTED: &str = "attributed";

// Mart columns.
/// Day of a daily mart row.
pub const DATE: &str = "date";
/// ISO week `YYYY-Www`.
pub const WEEK: &str = "week";
/// Number of models.
pub const MODELS: &str = "models";
/// Models created on the row's date.
pub const NEW_MODELS: &str = "new_models";
/// Downloads attributed to one day (derived from `downloads_all_time`).
pub const DOWNLOADS_DAY: &str = "downloads_day";
/// Sum of `downloads_day` over a week.
pub const DOWNLOADS_WEEK: &str = "downloads_week";
/// Entries in the day's trending list.
pub const TRENDING_ENTRIES: &str = "trending_entries";
/// Best (lowest) trending rank.
pub const BEST_TRENDING_RANK: &str = "best_trending_rank";
/// Share of the day's (week's) downloads_30d.
pub const DOWNLOADS_30D_SHARE: &str = "downloads_30d_share";
/// Share of the trending list.
pub const TRENDING_SHARE: &str = "trending_share";
/// Share of downloads_30d attributed to a country.
pub const COVERAGE_DOWNLOADS_30D: &str = "coverage_downloads_30d";
/// Share of trending entries attributed to a country.
pub const COVERAGE_TRENDING: &str = "coverage_trending";
/// Days between a model's two snapshots.
pub const GAP_DAYS: &str = "gap_days";
/// How `downloads_day` was derived.
pub const FLAG: &str = "flag";
/// Downloads credited to the uploader's organisation.
pub const DIRECT_DOWNLOADS_30D: &str = "direct_downloads_30d";
/// Downloads credited through lineage to the root's organisation.
pub const LINEAGE_DOWNLOADS_30D: &str = "lineage_downloads_30d";
/// Derivative models resolving to the organisation.
pub const DERIVATIVE_MODELS: &str = "derivative_models";
/// Concentration dimension (`org` / `country`).
pub const DIMENSION: &str = "dimension";
/// Concentration measure (`downloads_30d` / `trending_entries`).
pub const MEASURE: &str = "measure";
/// Herfindahl-Hirschman index (sum of squared shares).
pub const HHI: &str = "hhi";
/// Share of the largest unit.
pub const TOP1_SHARE: &str = "top1_share";
/// Share of the five largest units.
pub const TOP5_SHARE: &str = "top5_share";
/// Share of the ten largest units.
pub const TOP10_SHARE: &str = "top10_share";
/// Gini coefficient.
pub const GINI: &str = "gini";
/// Snapshot days in the week.
pub const DAYS: &str = "days";
/// Rank by downloads_30d (1 = top).
pub const WEEK_RANK: &str = "rank";
/// Previous week's rank.
pub const PREVIOUS_RANK: &str = "previous_rank";
/// previous rank - rank.
pub const RANK_CHANGE: &str = "rank_change";
/// share - previous share.
pub const SHARE_CHANGE: &str = "share_change";
/// Rank by trending entries.
pub const TRENDING_RANK: &str = "trending_rank";
/// In the top 20 for the first time.
pub const NEW_ENTRANT: &str = "new_entrant";

// Internal helper columns (never written).
/// Previous snapshot date of a model (state).
pub const LAST_DATE: &str = "last_date";
/// Previous downloads_all_time of a model (state).
pub const LAST_ALL_TIME: &str = "last_all_time";
/// Sum of downloads_30d over a week's days.
pub const DOWNLOADS_30D_SUM: &str = "downloads_30d_sum";
/// Whether a model was created on the row's date.
pub const IS_NEW: &str = "is_new";

// Values.
/// model_daily flag: consecutive snapshots, non-negative difference.
pub const FLAG_OK: &str = "ok";
/// model_daily flag: difference spread over a gap of several days.
pub const FLAG_GAP_SPREAD: &str = "gap_spread";
/// model_daily flag: negative difference (reset, rename) dropped.
pub const FLAG_NEGATIVE_DROPPED: &str = "negative_dropped";
/// model_daily flag: the model's first value.
pub const FLAG_FIRST_SEEN: &str = "first_seen";
/// model_daily flag: downloads_all_time missing.
pub const FLAG_NO_ALL_TIME: &str = "no_all_time";
/// concentration dimension / movers: organisation.
pub const DIM_ORG: &str = "org";
/// concentration dimension: country.
pub const DIM_COUNTRY: &str = "country";
/// movers kind: rank gain.
pub const MOVER_GAIN: &str = "gain";
/// movers kind: new entrant to the top 20.
pub const MOVER_NEW_ENTRANT: &str = "new_entrant";

// Files.
/// Snapshot models file.
pub const MODELS_FILE: &str = "models.parquet";
/// Snapshot trending file.
pub const TRENDING_FILE: &str = "trending.parquet";
/// Manifest file of a partition or of the marts directory.
pub const MANIFEST_FILE: &str = "_manifest.json";
