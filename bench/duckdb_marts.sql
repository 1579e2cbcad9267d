-- Benchmark 5's reference: the daily marts of transform/README.md computed by DuckDB SQL straight
-- from the snapshot files. Placeholders {lake}, {orgs} and {out} are filled by duckdb_marts.py.
-- Computes model_daily, org_daily, country_daily, concentration and org_weekly (not lineage_credit,
-- country_weekly and movers), so the comparison is conservative: DuckDB does less work than hubtrends.
SET TimeZone = 'UTC';

-- The built-in registry (data/orgs.csv): namespace -> org, country, region, kind.
CREATE TEMP TABLE reg AS
SELECT lower(namespace) AS ns, org, nullif(country, '') AS country, kind,
       CASE WHEN nullif(country, '') IS NULL THEN NULL
            WHEN upper(country) = 'US' THEN 'us'
            WHEN upper(country) IN ('CN', 'HK') THEN 'china'
            WHEN upper(country) IN ('AT','BE','BG','CY','CZ','DE','DK','EE','ES','FI','FR','GR','HR',
                                    'HU','IE','IT','LT','LU','LV','MT','NL','PL','PT','RO','SE','SI','SK')
                 THEN 'eu'
            ELSE 'other' END AS region
FROM read_csv('{orgs}', header = true, all_varchar = true);

-- model_daily: difference of downloads_all_time against the model's previous non-null value.
CREATE TEMP TABLE md AS
WITH m AS (
    SELECT snapshot_date AS date, id, coalesce(author, split_part(id, '/', 1)) AS ns,
           coalesce(downloads_30d, 0) AS d30, coalesce(likes, 0) AS likes,
           coalesce(created_at::DATE = snapshot_date, false) AS is_new,
           downloads_all_time AS adt
    FROM read_parquet('{lake}/snapshots/date=*/models.parquet')
), w AS (
    SELECT *,
           last_value(adt IGNORE NULLS) OVER win AS prev_at,
           last_value(CASE WHEN adt IS NOT NULL THEN date END IGNORE NULLS) OVER win AS prev_date
    FROM m
    WINDOW win AS (PARTITION BY id ORDER BY date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), f AS (
    SELECT *, (date - prev_date)::INTEGER AS k, adt - prev_at AS d,
           CASE WHEN adt IS NULL THEN 'no_all_time'
                WHEN prev_at IS NULL THEN 'first_seen'
                WHEN adt < prev_at THEN 'negative_dropped'
                WHEN date - prev_date > 1 THEN 'gap_spread'
                ELSE 'ok' END AS flag
    FROM w
)
SELECT date, id, ns, d30, likes, is_new, adt AS downloads_all_time,
       CASE flag WHEN 'ok' THEN d
                 WHEN 'gap_spread' THEN d // k + d % k END::BIGINT AS downloads_day,
       CASE WHEN flag IN ('first_seen', 'no_all_time') THEN NULL ELSE k END::INTEGER AS gap_days,
       flag
FROM f;

-- org_daily: models and trending entries attributed to organisations.
CREATE TEMP TABLE org_daily AS
WITH units AS (
    SELECT date, ns, 1 AS models, is_new::BIGINT AS new_models, d30, downloads_day, likes,
           0 AS te, NULL::INTEGER AS rnk
    FROM md
    UNION ALL
    SELECT snapshot_date, coalesce(author, split_part(id, '/', 1)), 0, 0, 0, NULL, 0, 1, rank::INTEGER
    FROM read_parquet('{lake}/snapshots/date=*/trending.parquet')
), att AS (
    SELECT u.*, coalesce(r.org, u.ns) AS org, r.country, r.region, r.kind,
           r.ns IS NOT NULL AS attributed
    FROM units u LEFT JOIN reg r ON r.ns = lower(u.ns)
), g AS (
    SELECT date, org, any_value(country) AS country, any_value(region) AS region,
           any_value(kind) AS kind, bool_or(attributed) AS attributed,
           sum(models)::BIGINT AS models, sum(new_models)::BIGINT AS new_models,
           sum(d30)::BIGINT AS downloads_30d, sum(downloads_day)::BIGINT AS downloads_day,
           sum(likes)::BIGINT AS likes, sum(te)::BIGINT AS trending_entries,
           min(rnk) AS best_trending_rank
    FROM att GROUP BY date, org
)
SELECT g.*, downloads_30d / nullif(sum(downloads_30d) OVER (PARTITION BY date), 0) AS downloads_30d_share
FROM g ORDER BY date, org;

CREATE TEMP TABLE listed AS
SELECT snapshot_date AS date, count(*) AS n FROM read_parquet('{lake}/snapshots/date=*/trending.parquet') GROUP BY ALL;

CREATE TEMP TABLE country_daily AS
WITH day AS (
    SELECT date, sum(downloads_30d) AS total,
           sum(downloads_30d) FILTER (WHERE country IS NOT NULL) AS cov_dl,
           sum(trending_entries) FILTER (WHERE country IS NOT NULL) AS cov_tr
    FROM org_daily GROUP BY date
), c AS (
    SELECT date, country, any_value(region) AS region, sum(models)::BIGINT AS models,
           sum(downloads_30d)::BIGINT AS downloads_30d, sum(likes)::BIGINT AS likes,
           sum(trending_entries)::BIGINT AS trending_entries
    FROM org_daily GROUP BY date, country
)
SELECT c.date, c.country, c.region, c.models, c.downloads_30d,
       c.downloads_30d / nullif(day.total, 0) AS downloads_30d_share, c.likes, c.trending_entries,
       c.trending_entries / nullif(l.n, 0) AS trending_share,
       coalesce(day.cov_dl, 0) / nullif(day.total, 0) AS coverage_downloads_30d,
       coalesce(day.cov_tr, 0) / nullif(l.n, 0) AS coverage_trending
FROM c JOIN day USING (date) LEFT JOIN listed l USING (date)
ORDER BY c.date, c.country NULLS LAST;

-- concentration: four rows a day over the units with a positive value.
CREATE TEMP TABLE concentration AS
WITH units AS (
    SELECT date, 'org' AS dimension, 'downloads_30d' AS measure, downloads_30d::DOUBLE AS x FROM org_daily
    UNION ALL SELECT date, 'org', 'trending_entries', trending_entries FROM org_daily
    UNION ALL SELECT date, 'country', 'downloads_30d', downloads_30d FROM country_daily WHERE country IS NOT NULL
    UNION ALL SELECT date, 'country', 'trending_entries', trending_entries FROM country_daily WHERE country IS NOT NULL
), keys AS (
    SELECT DISTINCT date, dimension, measure FROM units
), pos AS (
    SELECT *, row_number() OVER (PARTITION BY date, dimension, measure ORDER BY x) AS i,
           row_number() OVER (PARTITION BY date, dimension, measure ORDER BY x DESC) AS r,
           count(*) OVER (PARTITION BY date, dimension, measure) AS n,
           sum(x) OVER (PARTITION BY date, dimension, measure) AS tot
    FROM units WHERE x > 0
), agg AS (
    SELECT date, dimension, measure, sum((x / tot) ^ 2) AS hhi,
           sum(x / tot) FILTER (WHERE r <= 1) AS top1_share,
           sum(x / tot) FILTER (WHERE r <= 5) AS top5_share,
           sum(x / tot) FILTER (WHERE r <= 10) AS top10_share,
           2 * sum(i * x) / (any_value(n) * any_value(tot)) - (any_value(n) + 1) / any_value(n) AS gini
    FROM pos GROUP BY ALL
)
SELECT k.date, k.dimension, k.measure, a.hhi, a.top1_share, a.top5_share, a.top10_share, a.gini
FROM keys k LEFT JOIN agg a USING (date, dimension, measure)
ORDER BY date, dimension, measure;

-- org_weekly: ISO weeks of the snapshot days, ranked by mean downloads_30d.
CREATE TEMP TABLE org_weekly AS
WITH d AS (
    SELECT *, strftime(date, '%G-W%V') AS week FROM org_daily
), wk AS (
    SELECT week, count(DISTINCT date) AS wdays, sum(downloads_30d) AS wd30,
           sum(trending_entries) AS wte
    FROM d GROUP BY week
), wk_i AS (
    SELECT *, row_number() OVER (ORDER BY week) AS wi FROM wk
), o AS (
    SELECT week, org, arg_max(country, date) AS country, arg_max(region, date) AS region,
           arg_max(kind, date) AS kind, arg_max(attributed, date) AS attributed,
           count(*)::BIGINT AS days, sum(downloads_30d) AS d30, sum(downloads_day)::BIGINT AS downloads_week,
           sum(trending_entries)::BIGINT AS trending_entries, min(best_trending_rank) AS best_trending_rank
    FROM d GROUP BY week, org
), r AS (
    SELECT o.*, wk_i.wi, o.d30 / wk_i.wdays AS downloads_30d,
           o.d30 / nullif(wk_i.wd30, 0) AS downloads_30d_share,
           o.trending_entries / nullif(wk_i.wte, 0) AS trending_share,
           row_number() OVER (PARTITION BY o.week ORDER BY o.d30 DESC, o.org) AS rank
    FROM o JOIN wk_i USING (week)
), t AS (
    SELECT week, org, row_number() OVER (PARTITION BY week ORDER BY trending_entries DESC,
           best_trending_rank NULLS LAST, org) AS trending_rank
    FROM r WHERE trending_entries > 0
)
SELECT r.week, r.org, r.country, r.region, r.kind, r.attributed, r.days, r.downloads_30d,
       r.downloads_week, r.downloads_30d_share, r.trending_entries, r.trending_share,
       r.best_trending_rank, r.rank, p.rank - r.rank AS rank_change,
       r.downloads_30d_share - p.downloads_30d_share AS share_change, t.trending_rank,
       (r.wi > 1 AND r.rank <= 20 AND NOT EXISTS (
            SELECT 1 FROM r AS e WHERE e.org = r.org AND e.wi < r.wi AND e.rank <= 20)) AS new_entrant
FROM r LEFT JOIN r AS p ON p.org = r.org AND p.wi = r.wi - 1
       LEFT JOIN t ON t.week = r.week AND t.org = r.org
ORDER BY r.week, r.rank;

COPY (SELECT md.date, md.id, coalesce(r.org, md.ns) AS org, md.downloads_all_time, md.downloads_day,
             md.gap_days, md.flag
      FROM md LEFT JOIN reg r ON r.ns = lower(md.ns) ORDER BY md.date, md.id)
    TO '{out}/model_daily.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY org_daily TO '{out}/org_daily.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY country_daily TO '{out}/country_daily.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY concentration TO '{out}/concentration.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY org_weekly TO '{out}/org_weekly.parquet' (FORMAT parquet, COMPRESSION zstd);
