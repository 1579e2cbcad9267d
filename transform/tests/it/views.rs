//! Cross-checks on the basic lake: concentration by hand, totals against the snapshots, the
//! filter, and the registry views of the latest snapshot.

use polars::prelude::*;

use crate::lake::{basic_days, basic_lake, date, mart};
use crate::marts::{i64_of, row};
use crate::{close, run};
use hubtrends_transform::Filter;

#[test]
fn concentration_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 1);
    run(tmp.path(), Filter::default(), false);
    let conc = mart(tmp.path(), "concentration");
    let dims: Vec<&str> = conc
        .column("dimension")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    let measures: Vec<&str> = conc
        .column("measure")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(dims, ["country", "country", "org", "org"]);
    assert_eq!(
        measures,
        [
            "downloads_30d",
            "trending_entries",
            "downloads_30d",
            "trending_entries"
        ]
    );
    let value =
        |i: usize, column: &str| conc.column(column).unwrap().f64().unwrap().get(i).unwrap();
    // Orgs by downloads_30d: Qwen 200, Meta 150, alice 30, bob 20 (Anon Lab's 0 is not a unit).
    assert!(close(value(2, "hhi"), 0.25 + 0.140625 + 0.005625 + 0.0025));
    assert!(close(value(2, "top1_share"), 0.5));
    assert!(close(value(2, "top5_share"), 1.0));
    // Ascending 20, 30, 150, 200: 2 * 1330 / (4 * 400) - 5 / 4.
    assert!(close(value(2, "gini"), 0.4125));
    // Three orgs with one trending entry each: equal shares.
    assert!(close(value(3, "hhi"), 1.0 / 3.0));
    assert!(close(value(3, "gini"), 0.0));
    // Countries CN 200, US 150 (the unattributed remainder excluded).
    assert!(close(
        value(0, "hhi"),
        (200.0f64 / 350.0).powi(2) + (150.0f64 / 350.0).powi(2)
    ));
}

#[test]
fn mart_totals_equal_snapshot_totals() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 5);
    run(tmp.path(), Filter::default(), false);
    let od = mart(tmp.path(), "org_daily");
    let cd = mart(tmp.path(), "country_daily");
    let lc = mart(tmp.path(), "lineage_credit");
    for (day, models, trending) in basic_days() {
        let dl: i64 = models.iter().map(|m| m.downloads_30d).sum();
        let likes: i64 = models.iter().map(|m| m.likes).sum();
        let on = |df: &DataFrame| {
            df.clone()
                .lazy()
                .filter(col("date").eq(lit(date(day))))
                .collect()
                .unwrap()
        };
        let sum = |df: &DataFrame, c: &str| {
            df.column(c)
                .unwrap()
                .cast(&DataType::Float64)
                .unwrap()
                .f64()
                .unwrap()
                .sum()
                .unwrap_or(0.0)
        };
        for df in [on(&od), on(&cd)] {
            assert_eq!(sum(&df, "downloads_30d"), dl as f64, "{day}");
            assert_eq!(sum(&df, "models"), models.len() as f64, "{day}");
            assert_eq!(sum(&df, "likes"), likes as f64, "{day}");
            assert_eq!(sum(&df, "trending_entries"), trending.len() as f64, "{day}");
            assert!(close(sum(&df, "downloads_30d_share"), 1.0));
        }
        let l = on(&lc);
        assert_eq!(sum(&l, "direct_downloads_30d"), dl as f64);
        assert!(close(sum(&l, "lineage_downloads_30d"), dl as f64));
    }
}

#[test]
fn a_pipeline_filter_applies_to_every_mart_and_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 2);
    let filter = Filter {
        pipeline: Some("text-generation".into()),
        library: None,
    };
    run(tmp.path(), filter, false);
    let od = mart(tmp.path(), "org_daily");
    // facebook/F1 is feature-extraction: Meta keeps only meta-llama/L1.
    let meta = row(&od, "2026-11-02", "org", "Meta");
    assert_eq!(
        (i64_of(&meta, "models"), i64_of(&meta, "downloads_30d")),
        (Some(1), Some(100))
    );
    let md = mart(tmp.path(), "model_daily");
    assert!(
        md.column("id")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .all(|id| id != Some("facebook/F1"))
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("marts/_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["filter"]["pipeline"], "text-generation");
    assert!(manifest["filter"]["library"].is_null());
    let file = std::fs::File::open(tmp.path().join("marts/org_daily.parquet")).unwrap();
    let mut reader = ParquetReader::new(file);
    let meta = reader.get_metadata().unwrap().clone();
    let kv = meta.key_value_metadata().clone().unwrap();
    assert!(
        kv.iter().any(|k| k.key == "hubtrends.filter"
            && k.value.as_deref() == Some("pipeline=text-generation"))
    );
}

#[test]
fn unattributed_and_coverage_read_the_latest_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 5);
    let registry = crate::lake::registry();
    let top = hubtrends_transform::unattributed(tmp.path(), &registry, 2).unwrap();
    let names: Vec<&str> = top.iter().map(|r| r.namespace.as_str()).collect();
    assert_eq!(names, ["newco", "alice"]);
    assert_eq!((top[1].downloads_30d, top[1].models), (35, 2));
    assert!(close(top[0].downloads_share, 40.0 / 645.0));
    let cov = hubtrends_transform::coverage(tmp.path(), &registry).unwrap();
    assert_eq!(cov.date, date("2026-11-10"));
    assert!(close(cov.models_share, 4.0 / 8.0));
    assert!(close(cov.downloads_30d_share, 550.0 / 645.0));
    assert!(close(cov.trending_share, 1.0));
}
