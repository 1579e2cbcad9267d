//! Mart names, column names and other repeated strings of the marts contract (DESIGN.md).

/// `country_weekly` mart.
pub(crate) const COUNTRY_WEEKLY: &str = "country_weekly";
/// `country_daily` mart.
pub(crate) const COUNTRY_DAILY: &str = "country_daily";
/// `org_weekly` mart.
pub(crate) const ORG_WEEKLY: &str = "org_weekly";
/// `org_daily` mart.
pub(crate) const ORG_DAILY: &str = "org_daily";
/// `model_daily` mart.
pub(crate) const MODEL_DAILY: &str = "model_daily";
/// `lineage_credit` mart.
pub(crate) const LINEAGE_CREDIT: &str = "lineage_credit";
/// `concentration` mart.
pub(crate) const CONCENTRATION: &str = "concentration";
/// `movers` mart.
pub(crate) const MOVERS: &str = "movers";

/// Every mart name of the contract, in DESIGN.md order.
pub static MARTS: &[&str] = &[
    ORG_DAILY,
    COUNTRY_DAILY,
    ORG_WEEKLY,
    COUNTRY_WEEKLY,
    MODEL_DAILY,
    LINEAGE_CREDIT,
    CONCENTRATION,
    MOVERS,
];

/// The marts directory under the lake.
pub(crate) const MARTS_DIR: &str = "marts";
/// The marts manifest file.
pub(crate) const MANIFEST: &str = "_manifest.json";
/// The reports directory under the lake.
pub(crate) const REPORTS_DIR: &str = "reports";
/// The staging directory under the lake.
pub(crate) const STAGING_DIR: &str = ".staging";
/// The symlink to the newest report.
pub(crate) const LATEST: &str = "latest";

pub(crate) const WEEK: &str = "week";
pub(crate) const DATE: &str = "date";
pub(crate) const ORG: &str = "org";
pub(crate) const COUNTRY: &str = "country";
pub(crate) const ATTRIBUTED: &str = "attributed";
pub(crate) const DAYS: &str = "days";
pub(crate) const DOWNLOADS_30D: &str = "downloads_30d";
pub(crate) const DOWNLOADS_30D_SHARE: &str = "downloads_30d_share";
pub(crate) const TRENDING_ENTRIES: &str = "trending_entries";
pub(crate) const TRENDING_SHARE: &str = "trending_share";
pub(crate) const COVERAGE_DOWNLOADS_30D: &str = "coverage_downloads_30d";
pub(crate) const COVERAGE_TRENDING: &str = "coverage_trending";
pub(crate) const RANK: &str = "rank";
pub(crate) const RANK_CHANGE: &str = "rank_change";
pub(crate) const PREVIOUS_RANK: &str = "previous_rank";
pub(crate) const KIND: &str = "kind";
pub(crate) const DIRECT_DOWNLOADS_30D: &str = "direct_downloads_30d";
pub(crate) const LINEAGE_DOWNLOADS_30D: &str = "lineage_downloads_30d";
pub(crate) const DERIVATIVE_MODELS: &str = "derivative_models";
pub(crate) const DIMENSION: &str = "dimension";
pub(crate) const MEASURE: &str = "measure";
pub(crate) const HHI: &str = "hhi";
pub(crate) const TOP1_SHARE: &str = "top1_share";
pub(crate) const TOP5_SHARE: &str = "top5_share";
pub(crate) const TOP10_SHARE: &str = "top10_share";
pub(crate) const GINI: &str = "gini";

/// `movers.kind` for a rank gain.
pub(crate) const KIND_GAIN: &str = "gain";
/// `movers.kind` for a new entrant to the top 20.
pub(crate) const KIND_NEW_ENTRANT: &str = "new_entrant";
/// `concentration.dimension` by organisation.
pub(crate) const DIM_ORG: &str = "org";
/// `concentration.dimension` by country.
pub(crate) const DIM_COUNTRY: &str = "country";
/// `concentration.measure` of 30-day downloads.
pub(crate) const MEASURE_DOWNLOADS: &str = "downloads_30d";
/// `concentration.measure` of trending entries.
pub(crate) const MEASURE_TRENDING: &str = "trending_entries";

/// How tables and charts name the null country.
pub(crate) const UNATTRIBUTED: &str = "unattributed";
