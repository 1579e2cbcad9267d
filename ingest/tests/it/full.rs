//! A full snapshot lists every model and maps every field.

use std::collections::HashMap;

use hubtrends_ingest::{NoProgress, snapshot, verify};

use crate::common::*;

#[tokio::test]
async fn full_snapshot_has_every_model_with_every_field() {
    let server = serve(sim(1_200), |_| {}).await;
    let lake = tempfile::tempdir().unwrap();
    let summary = snapshot(&config(&server, lake.path()), &NoProgress)
        .await
        .unwrap();

    let day = server.population().day(date());
    let mut want: Vec<_> = (0..day.len()).map(|i| expected(&day.model(i))).collect();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    let got = read_models(&partition(lake.path()).join("models.parquet"));
    assert_eq!(got.len(), day.len());
    assert_eq!(summary.models as usize, day.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
    assert!(!summary.resumed);
    assert_eq!(summary.quarantined, 0);

    // 1200+ models at 100 a page, plus the trending call.
    let pages = day.len().div_ceil(100) as u64;
    assert_eq!(summary.requests, pages + 1);
    assert_eq!(server.stats().requests, summary.requests);

    let m = manifest(lake.path());
    assert_eq!(m.schema_version, 1);
    assert_eq!(m.scope, "full");
    assert_eq!(m.files["models.parquet"].rows as usize, day.len());
    assert_eq!(m.requests, summary.requests);
    assert!(m.queries[0].starts_with("/api/models?sort=downloads&limit=100&expand%5B%5D="));
    assert!(
        m.queries
            .iter()
            .any(|q| q.starts_with("/api/trending?type=model"))
    );
    assert!(!lake.path().join(".staging/date=2026-10-01").exists());
    assert!(verify(lake.path()).unwrap().is_ok());
}

#[tokio::test]
async fn trending_is_ranked_and_scored_from_the_listing() {
    let server = serve(sim(600), |_| {}).await;
    let lake = tempfile::tempdir().unwrap();
    let summary = snapshot(&config(&server, lake.path()), &NoProgress)
        .await
        .unwrap();
    let day = server.population().day(date());
    let want = day.trending(20);
    assert_eq!(summary.trending, 20);

    let file = std::fs::File::open(partition(lake.path()).join("trending.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut rows: Vec<(i32, String, Option<i64>)> = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        use arrow_array::Array;
        use arrow_array::cast::AsArray;
        use arrow_array::types::{Int32Type, Int64Type};
        let rank = batch.column(1).as_primitive::<Int32Type>();
        let id = batch.column(2).as_string::<i32>();
        let score = batch.column(4).as_primitive::<Int64Type>();
        for i in 0..batch.num_rows() {
            rows.push((
                rank.value(i),
                id.value(i).to_owned(),
                score.is_valid(i).then(|| score.value(i)),
            ));
        }
    }
    let by_id: HashMap<&str, i64> = want
        .iter()
        .map(|m| (m.id.as_str(), m.trending_score))
        .collect();
    for (i, (rank, id, score)) in rows.iter().enumerate() {
        assert_eq!(*rank as usize, i + 1);
        assert_eq!(id, &want[i].id);
        assert_eq!(
            *score,
            Some(by_id[id.as_str()]),
            "score filled from the listing"
        );
    }
}
