#![allow(clippy::unwrap_used)]

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::*;
use crate::batch::models_from_batch;
use crate::record::BaseModel;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

fn record(id: &str, downloads: i64, score: Option<i64>) -> ModelRecord {
    ModelRecord {
        id: id.into(),
        author: id.split('/').next().unwrap().into(),
        downloads_30d: downloads,
        trending_score: score,
        base_models: vec![BaseModel {
            relation: "finetune".into(),
            id: "base/m".into(),
        }],
        tags: vec!["t".into()],
        ..ModelRecord::default()
    }
}

fn read_models(path: &Path) -> Vec<ModelRecord> {
    let b = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    assert_eq!(b.schema().fields(), schema::models_schema().fields());
    b.build()
        .unwrap()
        .flat_map(|batch| models_from_batch(&batch.unwrap()).unwrap())
        .collect()
}

fn meta() -> PartitionMeta {
    PartitionMeta {
        tool_version: "test".into(),
        endpoint: "sim".into(),
        scope: "full".into(),
        ..PartitionMeta::default()
    }
}

#[test]
fn writer_round_trip_sorts_by_id_across_spilled_runs() {
    let lake = tempfile::tempdir().unwrap();
    let mut w = PartitionWriter::create(lake.path(), date(), false)
        .unwrap()
        .with_spill_rows(3);
    // Descending downloads, like the listing; ids in no order.
    let ids = [
        "m/k", "a/z", "q/b", "a/a", "z/z", "b/c", "c/d", "k/k", "x/y", "d/e",
    ];
    let records: Vec<ModelRecord> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| record(id, 100 - i as i64, (i == 4).then_some(42)))
        .collect();
    for page in records.chunks(2) {
        w.push_models(page).unwrap();
    }
    w.quarantine(
        "http://h/api/models",
        &serde_json::json!({"id": 3}),
        "id is not a string",
    )
    .unwrap();
    w.set_trending(vec![
        TrendingRecord {
            rank: 2,
            id: "nobody/else".into(),
            author: "nobody".into(),
            ..TrendingRecord::default()
        },
        TrendingRecord {
            rank: 1,
            id: "z/z".into(),
            author: "z".into(),
            ..TrendingRecord::default()
        },
    ]);
    let published = w.finish(meta()).unwrap();
    assert_eq!(published.path, partition_path(lake.path(), date()));
    assert!(
        !work_path(lake.path(), date()).exists(),
        "staging cleaned up"
    );

    let got = read_models(&published.path.join(MODELS_FILE));
    let mut want = records.clone();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, want);

    let m = Manifest::read(&published.path.join(MANIFEST_FILE)).unwrap();
    assert_eq!(m, published.manifest);
    assert_eq!(m.files[MODELS_FILE].rows, 10);
    assert_eq!(m.files[TRENDING_FILE].rows, 2);
    assert_eq!(m.quarantined, 1);
    assert_eq!(m.files[QUARANTINE_FILE].rows, 1);
    for (name, e) in &m.files {
        let (bytes, sha) = digest(&published.path.join(name)).unwrap();
        assert_eq!((bytes, sha), (e.bytes, e.sha256.clone()), "{name}");
    }
    let q = std::fs::read_to_string(published.path.join(QUARANTINE_FILE)).unwrap();
    let line: serde_json::Value = serde_json::from_str(q.trim()).unwrap();
    assert_eq!(line["reason"], "id is not a string");
    assert_eq!(line["raw"]["id"], 3);

    let t = ParquetRecordBatchReaderBuilder::try_new(
        File::open(published.path.join(TRENDING_FILE)).unwrap(),
    )
    .unwrap();
    assert_eq!(t.schema().fields(), schema::trending_schema().fields());
    let batch = t.build().unwrap().next().unwrap().unwrap();
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    let ranks = batch
        .column(1)
        .as_primitive::<arrow_array::types::Int32Type>();
    assert_eq!(ranks.values().to_vec(), vec![1, 2], "sorted by rank");
    let scores = batch
        .column(4)
        .as_primitive::<arrow_array::types::Int64Type>();
    assert_eq!(scores.value(0), 42, "score filled from the models listing");
    assert!(scores.is_null(1), "not in the listing: stays null");
}

#[test]
fn same_records_give_byte_identical_files_whatever_the_spill_size() {
    let records: Vec<ModelRecord> = (0..50)
        .map(|i| record(&format!("org{}/m{}", i % 7, (i * 37) % 50), i, None))
        .collect();
    let mut digests = Vec::new();
    for spill in [1, 7, 1000] {
        let lake = tempfile::tempdir().unwrap();
        let mut w = PartitionWriter::create(lake.path(), date(), false)
            .unwrap()
            .with_spill_rows(spill);
        for page in records.chunks(5) {
            w.push_models(page).unwrap();
        }
        let p = w.finish(meta()).unwrap();
        digests.push(p.manifest.files[MODELS_FILE].sha256.clone());
    }
    assert!(digests.windows(2).all(|w| w[0] == w[1]), "{digests:?}");
}

#[test]
fn duplicate_ids_are_dropped_keeping_the_first_and_warned() {
    let lake = tempfile::tempdir().unwrap();
    let mut w = PartitionWriter::create(lake.path(), date(), false)
        .unwrap()
        .with_spill_rows(2);
    w.push_models(&[record("a/a", 10, None), record("b/b", 9, None)])
        .unwrap();
    w.push_models(&[record("a/a", 8, None)]).unwrap();
    let p = w.finish(meta()).unwrap();
    let got = read_models(&p.path.join(MODELS_FILE));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].downloads_30d, 10, "first fetched copy wins");
    assert_eq!(p.manifest.warnings.len(), 1);
    assert!(!p.path.join(QUARANTINE_FILE).exists());
}

#[test]
fn existing_partition_is_refused_without_force_and_replaced_with_it() {
    let lake = tempfile::tempdir().unwrap();
    let mut w = PartitionWriter::create(lake.path(), date(), false).unwrap();
    w.push_models(&[record("a/a", 1, None)]).unwrap();
    w.finish(meta()).unwrap();

    let err = PartitionWriter::create(lake.path(), date(), false).unwrap_err();
    assert!(matches!(err, IngestError::PartitionExists { .. }), "{err}");

    let mut w = PartitionWriter::create(lake.path(), date(), true).unwrap();
    w.push_models(&[record("b/b", 1, None), record("c/c", 1, None)])
        .unwrap();
    let p = w.finish(meta()).unwrap();
    let got = read_models(&p.path.join(MODELS_FILE));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].id, "b/b");
    let leftovers: Vec<_> = std::fs::read_dir(lake.path().join(super::publish::STAGING_DIR))
        .unwrap()
        .collect();
    assert!(leftovers.is_empty(), "old partition removed from staging");
}

#[test]
fn an_unfinished_writer_leaves_no_visible_partition() {
    let lake = tempfile::tempdir().unwrap();
    let mut w = PartitionWriter::create(lake.path(), date(), false)
        .unwrap()
        .with_spill_rows(1);
    w.push_models(&[record("a/a", 1, None)]).unwrap();
    drop(w);
    assert!(!partition_path(lake.path(), date()).exists());
}

#[test]
fn resume_drops_runs_and_quarantine_lines_after_the_checkpoint() {
    let lake = tempfile::tempdir().unwrap();
    let mut w = PartitionWriter::create(lake.path(), date(), false)
        .unwrap()
        .with_spill_rows(1);
    w.push_models(&[record("a/a", 3, None)]).unwrap();
    let cp = w.checkpoint().unwrap();
    // Work after the checkpoint that a crash would lose track of.
    w.push_models(&[record("b/b", 2, None)]).unwrap();
    w.quarantine("u", &serde_json::json!(1), "x").unwrap();
    w.checkpoint().unwrap();
    drop(w);

    let mut w = PartitionWriter::resume(lake.path(), date(), false, cp).unwrap();
    assert_eq!(w.rows(), 1);
    w.push_models(&[record("c/c", 1, None)]).unwrap();
    let p = w.finish(meta()).unwrap();
    let ids: Vec<String> = read_models(&p.path.join(MODELS_FILE))
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, ["a/a", "c/c"]);
    assert_eq!(p.manifest.quarantined, 0);
}

#[test]
fn many_runs_merge_in_levels_keeping_the_first_copy_and_the_bytes() {
    // 3 * MAX_FAN_IN + 1 runs of one record each: two merge levels before the final pass.
    let n = 3 * spill::MAX_FAN_IN + 1;
    let mut records: Vec<ModelRecord> = (0..n)
        .map(|i| record(&format!("o/m{:03}", (i * 7) % n), i as i64, None))
        .collect();
    // Later copies of two ids (the listing shifted): the first fetched copy must win.
    records.push(record("o/m000", -1, None));
    records.push(record("o/m005", -1, None));
    let mut digests = Vec::new();
    for spill_rows in [1, 1000] {
        let lake = tempfile::tempdir().unwrap();
        let mut w = PartitionWriter::create(lake.path(), date(), false)
            .unwrap()
            .with_spill_rows(spill_rows);
        for r in &records {
            w.push_models(std::slice::from_ref(r)).unwrap();
        }
        let p = w.finish(meta()).unwrap();
        let got = read_models(&p.path.join(MODELS_FILE));
        assert_eq!(got.len(), n);
        assert!(got.windows(2).all(|w| w[0].id < w[1].id), "sorted, unique");
        assert!(
            got.iter().all(|r| r.downloads_30d >= 0),
            "first copies kept"
        );
        assert_eq!(p.manifest.warnings.len(), 1, "{:?}", p.manifest.warnings);
        assert!(p.manifest.warnings[0].starts_with("2 duplicate"));
        digests.push(p.manifest.files[MODELS_FILE].sha256.clone());
    }
    assert_eq!(digests[0], digests[1], "same bytes with and without levels");
}

#[test]
fn background_spills_write_the_same_bytes_and_durable_checkpoints_in_order() {
    // Ids out of order with repeats, pushed a page (3 records) at a time.
    let records: Vec<ModelRecord> = (0..40)
        .map(|i| record(&format!("o/m{:02}", (i * 7) % 23), i, Some(i)))
        .collect();
    let mut digests = Vec::new();
    for background in [false, true] {
        let lake = tempfile::tempdir().unwrap();
        let mut w = PartitionWriter::create(lake.path(), date(), false)
            .unwrap()
            .with_spill_rows(5);
        let mut durable: Vec<Checkpoint> = Vec::new();
        for (k, page) in records.chunks(3).enumerate() {
            if background {
                w.quarantine("u", &serde_json::json!({ "page": k }), "test")
                    .unwrap();
                let batch = Some(models_batch(date(), page).unwrap());
                let outcome = w.push_batch_background(batch).unwrap();
                durable.extend(outcome.durable);
            } else {
                w.push_models(page).unwrap();
            }
        }
        assert_eq!(background, !durable.is_empty());
        for pair in durable.windows(2) {
            assert!(pair[0].runs.len() < pair[1].runs.len());
            assert!(pair[0].rows < pair[1].rows);
            assert!(pair[0].quarantine_bytes < pair[1].quarantine_bytes);
        }
        // A run's checkpoint keeps the quarantine as of the page that started it: never ahead
        // of the rows it holds (3 records and one quarantined line per page).
        for cp in &durable {
            assert!(cp.quarantined * 3 >= cp.rows && cp.quarantined <= cp.rows.div_ceil(3) + 1);
        }
        assert_eq!(w.rows(), 40);
        let p = w.finish(meta()).unwrap();
        digests.push(p.manifest.files[MODELS_FILE].sha256.clone());
    }
    assert_eq!(digests[0], digests[1], "same bytes with background spills");
}

#[test]
fn a_dropped_writer_leaves_no_run_being_written() {
    let lake = tempfile::tempdir().unwrap();
    let mut w = PartitionWriter::create(lake.path(), date(), false)
        .unwrap()
        .with_spill_rows(50_000);
    // One run large enough that sorting and writing it takes a while on its thread.
    let records: Vec<ModelRecord> = (0..50_000)
        .map(|i| record(&format!("o/m{:06}", (i * 7_919) % 50_000), i, None))
        .collect();
    let outcome = w
        .push_batch_background(Some(models_batch(date(), &records).unwrap()))
        .unwrap();
    assert!(outcome.started);
    let runs = lake.path().join(".staging/date=2026-03-01").join(RUNS_DIR);
    drop(w);
    // Once dropped, nothing writes into the staging directory any more: the run is whole.
    let names: Vec<String> = std::fs::read_dir(&runs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![spill::run_name(0)], "{names:?}");
}
