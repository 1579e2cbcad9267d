//! JSON field names, expand values, headers and routes of the Hub API, in one place.

/// `_id`: the Mongo-style object id.
pub(crate) const F_OID: &str = "_id";
/// `id`: `namespace/name`.
pub(crate) const F_ID: &str = "id";
/// `modelId`: the legacy copy of `id` in default items.
pub(crate) const F_MODEL_ID: &str = "modelId";
pub(crate) const F_AUTHOR: &str = "author";
pub(crate) const F_DOWNLOADS: &str = "downloads";
pub(crate) const F_DOWNLOADS_ALL_TIME: &str = "downloadsAllTime";
pub(crate) const F_LIKES: &str = "likes";
pub(crate) const F_TRENDING_SCORE: &str = "trendingScore";
pub(crate) const F_CREATED_AT: &str = "createdAt";
pub(crate) const F_LAST_MODIFIED: &str = "lastModified";
pub(crate) const F_PIPELINE_TAG: &str = "pipeline_tag";
pub(crate) const F_LIBRARY_NAME: &str = "library_name";
pub(crate) const F_TAGS: &str = "tags";
pub(crate) const F_GATED: &str = "gated";
pub(crate) const F_SAFETENSORS: &str = "safetensors";
pub(crate) const F_PRIVATE: &str = "private";
pub(crate) const F_SHA: &str = "sha";
pub(crate) const F_NUM_PARAMETERS: &str = "numParameters";

/// Expand values this simulator serves.
pub(crate) const SERVED_EXPANDS: &[&str] = &[
    F_AUTHOR,
    F_DOWNLOADS,
    F_DOWNLOADS_ALL_TIME,
    F_LIKES,
    F_TRENDING_SCORE,
    F_CREATED_AT,
    F_LAST_MODIFIED,
    F_PIPELINE_TAG,
    F_LIBRARY_NAME,
    F_TAGS,
    F_GATED,
    F_SAFETENSORS,
    F_PRIVATE,
    F_SHA,
];

/// Expand values the real API knows that the simulator accepts and leaves out.
pub(crate) const ACCEPTED_EXPANDS: &[&str] = &[
    "baseModels",
    "cardData",
    "childrenModelCount",
    "config",
    "disabled",
    "gguf",
    "inference",
    "inferenceProviderMapping",
    "mask_token",
    "model-index",
    "resourceGroup",
    "siblings",
    "spaces",
    "transformersInfo",
    "widgetData",
    "xetEnabled",
];

/// Query parameter names.
pub(crate) const Q_SORT: &str = "sort";
pub(crate) const Q_LIMIT: &str = "limit";
pub(crate) const Q_EXPAND: &str = "expand";
pub(crate) const Q_EXPAND_BRACKETS: &str = "expand[]";
pub(crate) const Q_CURSOR: &str = "cursor";
pub(crate) const Q_DIRECTION: &str = "direction";
pub(crate) const Q_AUTHOR: &str = "author";
pub(crate) const Q_PIPELINE_TAG: &str = "pipeline_tag";
pub(crate) const Q_TYPE: &str = "type";

/// Routes.
pub(crate) const ROUTE_MODELS: &str = "/api/models";
pub(crate) const ROUTE_TRENDING: &str = "/api/trending";

/// Response headers.
pub(crate) const H_RATELIMIT: &str = "ratelimit";
pub(crate) const H_RATELIMIT_POLICY: &str = "ratelimit-policy";
pub(crate) const H_RETRY_AFTER: &str = "retry-after";
pub(crate) const H_LINK: &str = "link";

/// Page size when `limit` is absent, and its cap.
pub(crate) const MAX_LIMIT: usize = 1000;
/// Trending list size when `limit` is absent, and its cap.
pub(crate) const TRENDING_DEFAULT: usize = 10;
pub(crate) const TRENDING_MAX: usize = 100;
