//! The demo end to end: partitions, schema v1, row counts, mart totals, decodable charts.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use arrow_array::{Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use chrono::{Days, NaiveDate};
use hubtrends_hubsim::{Population, SimConfig};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use polars::prelude::*;

use crate::util::{files_below, hubtrends, run, streams};

const START: &str = "2026-11-02"; // a Monday: 8 days give one complete ISO week (2026-W45)
const DAYS: u64 = 8;
const MODELS: usize = 2_000;
const SEED: u64 = 7;

fn read_batches(path: &Path) -> Vec<RecordBatch> {
    let file = File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

fn sum_i64(batches: &[RecordBatch], column: &str) -> i64 {
    batches
        .iter()
        .map(|b| {
            let col = b
                .column_by_name(column)
                .unwrap()
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap()
                .clone();
            col.iter().flatten().sum::<i64>()
        })
        .sum()
}

fn mart(lake: &Path, name: &str) -> DataFrame {
    let path = lake.join("marts").join(format!("{name}.parquet"));
    LazyFrame::scan_parquet(
        PlRefPath::new(path.to_str().unwrap()),
        ScanArgsParquet::default(),
    )
    .unwrap()
    .collect()
    .unwrap()
}

#[test]
fn demo_builds_a_lake_marts_and_a_report_from_the_simulated_hub() {
    let temp = tempfile::tempdir().unwrap();
    let lake = temp.path().join("lake");
    let output = run(hubtrends(&lake).args([
        "demo",
        "--days",
        &DAYS.to_string(),
        "--models",
        &MODELS.to_string(),
        "--seed",
        &SEED.to_string(),
        "--start",
        START,
    ]));
    assert!(output.status.success(), "{}", streams(&output));

    // The last line of standard output is the report's index.html.
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let index = Path::new(stdout.lines().last().expect("demo prints the report path"));
    assert!(
        index.ends_with("index.html") && index.is_file(),
        "{}",
        streams(&output)
    );

    // One partition per simulated day, each complete, rows equal to the simulated population.
    let start = NaiveDate::parse_from_str(START, "%Y-%m-%d").unwrap();
    let population = Population::new(SimConfig {
        seed: SEED,
        models: MODELS,
        start_date: start,
    });
    let mut downloads_by_date = BTreeMap::new();
    for offset in 0..DAYS {
        let date = start + Days::new(offset);
        let partition = lake.join("snapshots").join(format!("date={date}"));
        for file in ["models.parquet", "trending.parquet", "_manifest.json"] {
            assert!(
                partition.join(file).is_file(),
                "missing {}",
                partition.join(file).display()
            );
        }
        let batches = read_batches(&partition.join("models.parquet"));
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        assert_eq!(rows, population.day(date).len(), "rows on {date}");
        check_models_schema(&batches[0]);
        downloads_by_date.insert(date, sum_i64(&batches, "downloads_30d"));

        let manifest: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(partition.join("_manifest.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(manifest["schema_version"], 1);
        assert_eq!(manifest["files"]["models.parquet"]["rows"], rows as u64);
    }
    assert_eq!(
        files_below(&lake.join("snapshots"))
            .iter()
            .filter(|p| p.ends_with("models.parquet"))
            .count(),
        DAYS as usize
    );

    // Mart totals equal snapshot totals, per date.
    for name in ["org_daily", "country_daily"] {
        let totals = mart(&lake, name)
            .lazy()
            .group_by([col("date")])
            .agg([col("downloads_30d").sum()])
            .sort(["date"], SortMultipleOptions::default())
            .collect()
            .unwrap();
        assert_eq!(
            totals.height(),
            DAYS as usize,
            "{name} has one group per day"
        );
        let sums: Vec<i64> = totals
            .column("downloads_30d")
            .unwrap()
            .i64()
            .unwrap()
            .into_no_null_iter()
            .collect();
        let expected: Vec<i64> = downloads_by_date.values().copied().collect();
        assert_eq!(
            sums, expected,
            "{name} downloads_30d totals equal the snapshots'"
        );
    }

    // Charts decode as images, PNG and SVG both present.
    let report_dir = index.parent().unwrap();
    let charts = files_below(&report_dir.join("charts"));
    let pngs: Vec<_> = charts
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    let svgs: Vec<_> = charts
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    assert!(pngs.len() >= 3 && svgs.len() >= 3, "charts: {charts:?}");
    for png in pngs {
        let image =
            image::open(png).unwrap_or_else(|e| panic!("{} does not decode: {e}", png.display()));
        assert!(
            image.width() >= 800 && image.height() >= 400,
            "{} is {}x{}",
            png.display(),
            image.width(),
            image.height()
        );
    }
    for svg in svgs {
        let text = std::fs::read_to_string(svg).unwrap();
        assert!(
            text.contains("<svg") && text.contains("</svg>"),
            "{} is not an SVG",
            svg.display()
        );
    }
    let tables = files_below(&report_dir.join("tables"));
    assert!(
        tables
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "csv")),
        "tables: {tables:?}"
    );
}

fn check_models_schema(batch: &RecordBatch) {
    let schema = batch.schema();
    let expect = |name: &str, ty: DataType| {
        let field = schema
            .field_with_name(name)
            .unwrap_or_else(|_| panic!("column {name} missing"));
        assert_eq!(field.data_type(), &ty, "type of {name}");
    };
    expect("snapshot_date", DataType::Date32);
    expect("id", DataType::Utf8);
    expect("author", DataType::Utf8);
    for name in [
        "downloads_30d",
        "downloads_all_time",
        "likes",
        "trending_score",
        "num_parameters",
    ] {
        expect(name, DataType::Int64);
    }
    for name in ["created_at", "last_modified"] {
        expect(
            name,
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        );
    }
    for name in ["pipeline_tag", "library_name", "license", "gated"] {
        expect(name, DataType::Utf8);
    }
    assert!(
        matches!(schema.field_with_name("base_models").unwrap().data_type(), DataType::List(f) if matches!(f.data_type(), DataType::Struct(_)))
    );
    assert!(
        matches!(schema.field_with_name("tags").unwrap().data_type(), DataType::List(f) if f.data_type() == &DataType::Utf8)
    );
    // Sorted by id.
    let ids = batch
        .column_by_name("id")
        .unwrap()
        .as_any()
        .downcast_ref::<arrow_array::StringArray>()
        .unwrap();
    assert!(
        (1..ids.len()).all(|i| ids.value(i - 1) < ids.value(i)),
        "ids sorted and unique"
    );
    assert_eq!(schema.fields().len(), 16);
}
