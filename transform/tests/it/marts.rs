//! Daily marts on the basic lake: attribution, daily downloads, trending, coverage,
//! concentration, totals, filter, the marts manifest.

use polars::prelude::*;

use crate::lake::{basic_lake, date, mart};
use crate::{close, run};
use hubtrends_transform::{Filter, MARTS};

/// Rows of `df` where `key` == `value` on `day`.
pub fn row(df: &DataFrame, day: &str, key: &str, value: &str) -> DataFrame {
    df.clone()
        .lazy()
        .filter(col("date").eq(lit(date(day))).and(col(key).eq(lit(value))))
        .collect()
        .unwrap()
}

pub fn i64_of(df: &DataFrame, column: &str) -> Option<i64> {
    assert_eq!(df.height(), 1, "expected one row, got {df}");
    df.column(column)
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .get(0)
}

pub fn f64_of(df: &DataFrame, column: &str) -> Option<f64> {
    assert_eq!(df.height(), 1, "expected one row, got {df}");
    df.column(column).unwrap().f64().unwrap().get(0)
}

#[test]
fn every_mart_is_written_with_the_design_columns() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 5);
    let summary = run(tmp.path(), Filter::default(), false);
    assert_eq!(summary.days, 5);
    assert_eq!(summary.recomputed_days, 5);
    assert_eq!(summary.marts.len(), MARTS.len());
    let expected: &[(&str, &[&str])] = &[
        (
            "org_daily",
            &[
                "date",
                "org",
                "country",
                "region",
                "kind",
                "attributed",
                "models",
                "new_models",
                "downloads_30d",
                "downloads_day",
                "likes",
                "trending_entries",
                "best_trending_rank",
                "downloads_30d_share",
            ],
        ),
        (
            "country_daily",
            &[
                "date",
                "country",
                "region",
                "models",
                "downloads_30d",
                "downloads_30d_share",
                "likes",
                "trending_entries",
                "trending_share",
                "coverage_downloads_30d",
                "coverage_trending",
            ],
        ),
        (
            "org_weekly",
            &[
                "week",
                "org",
                "country",
                "region",
                "kind",
                "attributed",
                "days",
                "downloads_30d",
                "downloads_week",
                "downloads_30d_share",
                "trending_entries",
                "trending_share",
                "best_trending_rank",
                "rank",
                "rank_change",
                "share_change",
                "trending_rank",
                "new_entrant",
            ],
        ),
        (
            "country_weekly",
            &[
                "week",
                "country",
                "region",
                "days",
                "downloads_30d",
                "downloads_30d_share",
                "trending_entries",
                "trending_share",
                "coverage_downloads_30d",
                "coverage_trending",
                "rank",
                "rank_change",
                "share_change",
            ],
        ),
        (
            "model_daily",
            &[
                "date",
                "id",
                "org",
                "downloads_all_time",
                "downloads_day",
                "gap_days",
                "flag",
            ],
        ),
        (
            "lineage_credit",
            &[
                "date",
                "org",
                "country",
                "direct_downloads_30d",
                "lineage_downloads_30d",
                "derivative_models",
            ],
        ),
        (
            "concentration",
            &[
                "date",
                "dimension",
                "measure",
                "hhi",
                "top1_share",
                "top5_share",
                "top10_share",
                "gini",
            ],
        ),
        (
            "movers",
            &[
                "week",
                "org",
                "country",
                "kind",
                "rank",
                "previous_rank",
                "rank_change",
            ],
        ),
    ];
    for (name, columns) in expected {
        let df = mart(tmp.path(), name);
        let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        assert!(names.starts_with(columns), "{name}: {names:?}");
    }
    let od = mart(tmp.path(), "org_daily");
    assert_eq!(od.column("date").unwrap().dtype(), &DataType::Date);
    assert_eq!(
        od.column("best_trending_rank").unwrap().dtype(),
        &DataType::Int32
    );
    assert_eq!(od.column("attributed").unwrap().dtype(), &DataType::Boolean);
    let md = mart(tmp.path(), "model_daily");
    assert_eq!(md.column("gap_days").unwrap().dtype(), &DataType::Int32);
}

#[test]
fn attribution_groups_namespaces_and_keeps_unregistered_ones_visible() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 1);
    run(tmp.path(), Filter::default(), false);
    let od = mart(tmp.path(), "org_daily");
    let orgs: Vec<&str> = od
        .column("org")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    // Sorted by org; facebook and meta-llama are one organisation.
    assert_eq!(orgs, ["Anon Lab", "Meta", "Qwen", "alice", "bob"]);
    let meta = row(&od, "2026-11-02", "org", "Meta");
    assert_eq!(i64_of(&meta, "models"), Some(2));
    assert_eq!(i64_of(&meta, "new_models"), Some(1));
    assert_eq!(i64_of(&meta, "downloads_30d"), Some(150));
    assert_eq!(i64_of(&meta, "likes"), Some(15));
    assert_eq!(i64_of(&meta, "trending_entries"), Some(1));
    assert_eq!(i64_of(&meta, "best_trending_rank"), Some(3));
    assert!(close(
        f64_of(&meta, "downloads_30d_share").unwrap(),
        150.0 / 400.0
    ));
    assert_eq!(
        meta.column("country").unwrap().str().unwrap().get(0),
        Some("US")
    );
    assert_eq!(
        meta.column("region").unwrap().str().unwrap().get(0),
        Some("us")
    );
    // The first day has no earlier all-time value: downloads_day is null, not zero.
    assert_eq!(i64_of(&meta, "downloads_day"), None);
    let alice = row(&od, "2026-11-02", "org", "alice");
    assert_eq!(
        alice.column("attributed").unwrap().bool().unwrap().get(0),
        Some(false)
    );
    assert_eq!(alice.column("country").unwrap().str().unwrap().get(0), None);
    assert_eq!(i64_of(&alice, "best_trending_rank"), Some(2));
    let anon = row(&od, "2026-11-02", "org", "Anon Lab");
    assert_eq!(
        anon.column("attributed").unwrap().bool().unwrap().get(0),
        Some(true)
    );
    assert_eq!(anon.column("country").unwrap().str().unwrap().get(0), None);
}

#[test]
fn daily_downloads_handle_gaps_resets_first_values_and_missing_counts() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 5);
    run(tmp.path(), Filter::default(), false);
    let md = mart(tmp.path(), "model_daily");
    let get = |day: &str, id: &str| {
        let r = row(&md, day, "id", id);
        let flag = r
            .column("flag")
            .unwrap()
            .str()
            .unwrap()
            .get(0)
            .unwrap()
            .to_owned();
        (i64_of(&r, "downloads_day"), i64_of(&r, "gap_days"), flag)
    };
    assert_eq!(
        get("2026-11-02", "meta-llama/L1"),
        (None, None, "first_seen".into())
    );
    assert_eq!(
        get("2026-11-03", "meta-llama/L1"),
        (Some(10), Some(1), "ok".into())
    );
    assert_eq!(
        get("2026-11-03", "facebook/F1"),
        (None, Some(1), "negative_dropped".into())
    );
    assert_eq!(
        get("2026-11-03", "alice/A1"),
        (None, None, "no_all_time".into())
    );
    assert_eq!(
        get("2026-11-03", "alice/A2"),
        (None, None, "first_seen".into())
    );
    // 30 over a 3-day gap: 10 a day.
    assert_eq!(
        get("2026-11-06", "meta-llama/L1"),
        (Some(10), Some(3), "gap_spread".into())
    );
    // 5 over 3 days: 1 a day, the observed day carrying the remainder 2.
    assert_eq!(
        get("2026-11-06", "facebook/F1"),
        (Some(3), Some(3), "gap_spread".into())
    );
    // 100 over 3 days: 33 + remainder 1.
    assert_eq!(
        get("2026-11-09", "qwen/Q1"),
        (Some(34), Some(3), "gap_spread".into())
    );
    assert_eq!(md.height(), 6 + 7 + 7 + 8 + 8);

    let od = mart(tmp.path(), "org_daily");
    // org downloads_day sums its models' values, ignoring nulls; null when all are null.
    assert_eq!(
        i64_of(&row(&od, "2026-11-03", "org", "Meta"), "downloads_day"),
        Some(10)
    );
    assert_eq!(
        i64_of(&row(&od, "2026-11-03", "org", "alice"), "downloads_day"),
        None
    );
    assert_eq!(
        i64_of(&row(&od, "2026-11-06", "org", "Meta"), "downloads_day"),
        Some(13)
    );
    assert_eq!(
        i64_of(&row(&od, "2026-11-10", "org", "newco"), "downloads_day"),
        Some(40)
    );

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("marts/_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["model_daily_flags"]["negative_dropped"], 1);
    assert_eq!(manifest["model_daily_flags"]["first_seen"], 5 + 1 + 1);
}

#[test]
fn trending_counts_best_rank_and_an_empty_day() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 3);
    run(tmp.path(), Filter::default(), false);
    let od = mart(tmp.path(), "org_daily");
    let qwen = row(&od, "2026-11-02", "org", "Qwen");
    assert_eq!(
        (
            i64_of(&qwen, "trending_entries"),
            i64_of(&qwen, "best_trending_rank")
        ),
        (Some(1), Some(1))
    );
    // Day 2 has an empty trending list: no entries, no rank, no share; the day still exists.
    let day2 = od
        .clone()
        .lazy()
        .filter(col("date").eq(lit(date("2026-11-03"))))
        .collect()
        .unwrap();
    assert_eq!(day2.height(), 5);
    assert_eq!(
        day2.column("trending_entries")
            .unwrap()
            .i64()
            .unwrap()
            .sum(),
        Some(0)
    );
    assert_eq!(day2.column("best_trending_rank").unwrap().null_count(), 5);
    let cd = mart(tmp.path(), "country_daily");
    let cd2 = cd
        .clone()
        .lazy()
        .filter(col("date").eq(lit(date("2026-11-03"))))
        .collect()
        .unwrap();
    assert_eq!(
        cd2.column("coverage_trending").unwrap().null_count(),
        cd2.height()
    );
    let conc = mart(tmp.path(), "concentration");
    let empty = conc
        .lazy()
        .filter(
            col("date")
                .eq(lit(date("2026-11-03")))
                .and(col("measure").eq(lit("trending_entries"))),
        )
        .collect()
        .unwrap();
    assert_eq!(empty.height(), 2);
    assert_eq!(empty.column("hhi").unwrap().null_count(), 2);
}

#[test]
fn country_view_has_an_unattributed_row_last_and_coverage() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 1);
    run(tmp.path(), Filter::default(), false);
    let cd = mart(tmp.path(), "country_daily");
    let countries: Vec<Option<&str>> = cd
        .column("country")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(countries, [Some("CN"), Some("US"), None]);
    let dl: Vec<Option<i64>> = cd
        .column("downloads_30d")
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .collect();
    // alice 30 + bob 20 + Anon Lab (registered, no country) 0.
    assert_eq!(dl, [Some(200), Some(150), Some(50)]);
    for i in 0..3 {
        assert!(close(
            cd.column("coverage_downloads_30d")
                .unwrap()
                .f64()
                .unwrap()
                .get(i)
                .unwrap(),
            350.0 / 400.0
        ));
        assert!(close(
            cd.column("coverage_trending")
                .unwrap()
                .f64()
                .unwrap()
                .get(i)
                .unwrap(),
            2.0 / 3.0
        ));
    }
    let share: Vec<f64> = cd
        .column("trending_share")
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert!(close(share[2], 1.0 / 3.0));
}
