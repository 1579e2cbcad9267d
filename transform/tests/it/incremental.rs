//! Determinism and incremental reruns: byte-identical marts.

use std::collections::BTreeMap;
use std::path::Path;

use crate::lake::{basic_days, basic_lake, write_day};
use crate::run;
use hubtrends_transform::Filter;

/// Every file of `{lake}/marts` with its bytes.
fn snapshot(lake: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(lake.join("marts"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn two_lakes_with_the_same_snapshots_give_byte_identical_marts() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    basic_lake(a.path(), 5);
    // Copy a's snapshot files so both lakes hold the same bytes.
    for entry in std::fs::read_dir(a.path().join("snapshots")).unwrap() {
        let entry = entry.unwrap();
        let dest = b.path().join("snapshots").join(entry.file_name());
        std::fs::create_dir_all(&dest).unwrap();
        for f in std::fs::read_dir(entry.path()).unwrap() {
            let f = f.unwrap();
            std::fs::copy(f.path(), dest.join(f.file_name())).unwrap();
        }
    }
    run(a.path(), Filter::default(), false);
    run(b.path(), Filter::default(), false);
    let (sa, sb) = (snapshot(a.path()), snapshot(b.path()));
    assert_eq!(sa.len(), 9, "{:?}", sa.keys());
    assert_eq!(sa, sb);
    // A rerun with nothing new recomputes nothing and changes nothing.
    let again = run(a.path(), Filter::default(), false);
    assert_eq!(again.recomputed_days, 0);
    assert_eq!(snapshot(a.path()), sa);
}

#[test]
fn an_appended_day_recomputes_only_that_day_and_equals_a_full_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 4);
    assert_eq!(run(tmp.path(), Filter::default(), false).recomputed_days, 4);
    let (day, models, trending) = basic_days().pop().unwrap();
    write_day(tmp.path(), day, &models, &trending);
    let incremental = run(tmp.path(), Filter::default(), false);
    assert_eq!((incremental.days, incremental.recomputed_days), (5, 1));
    let after_incremental = snapshot(tmp.path());
    let full = run(tmp.path(), Filter::default(), true);
    assert_eq!(full.recomputed_days, 5);
    assert_eq!(snapshot(tmp.path()), after_incremental);
    assert_eq!(incremental.marts, full.marts);
}

#[test]
fn a_changed_past_day_recomputes_from_that_day_on() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 3);
    run(tmp.path(), Filter::default(), false);
    let (day, mut models, trending) = basic_days().remove(1);
    models.truncate(3);
    write_day(tmp.path(), day, &models, &trending);
    let rerun = run(tmp.path(), Filter::default(), false);
    assert_eq!(rerun.recomputed_days, 3);
    let after = snapshot(tmp.path());
    run(tmp.path(), Filter::default(), true);
    assert_eq!(snapshot(tmp.path()), after);
}

#[test]
fn a_registry_change_recomputes_every_day_and_filters_keep_their_own_cache() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 3);
    run(tmp.path(), Filter::default(), false);
    let unfiltered = snapshot(tmp.path());

    // Another filter: computed from scratch, in its own cache.
    let filter = Filter {
        pipeline: Some("text-generation".into()),
        library: None,
    };
    assert_eq!(run(tmp.path(), filter, false).recomputed_days, 3);
    assert_ne!(snapshot(tmp.path()), unfiltered);
    // Back to no filter: nothing to recompute, same bytes as before.
    assert_eq!(run(tmp.path(), Filter::default(), false).recomputed_days, 0);
    assert_eq!(snapshot(tmp.path()), unfiltered);

    // Registering alice changes the attribution of every day.
    let csv = format!(
        "{}alice,Alice Labs,,FR,company,https://alice.example\n",
        crate::lake::REGISTRY_CSV
    );
    let registry = hubtrends_orgs::Registry::from_csv(&csv, "test overlay").unwrap();
    let config = hubtrends_transform::TransformConfig {
        registry,
        ..crate::config(tmp.path(), Filter::default(), false)
    };
    assert_eq!(
        hubtrends_transform::run(&config).unwrap().recomputed_days,
        3
    );
    let od = crate::lake::mart(tmp.path(), "org_daily");
    let orgs: Vec<&str> = od
        .column("org")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert!(orgs.contains(&"Alice Labs") && !orgs.contains(&"alice"));
}
