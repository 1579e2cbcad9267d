//! Lineage credit on the basic lake and on a lake of cycles, merges and a deep chain.

use polars::prelude::*;

use crate::lake::{basic_lake, m, mart, write_day};
use crate::{close, run};
use hubtrends_transform::Filter;

fn by_org(df: &DataFrame) -> Vec<(String, i64, f64, i64)> {
    let orgs = df.column("org").unwrap().str().unwrap();
    let direct = df.column("direct_downloads_30d").unwrap().i64().unwrap();
    let lineage = df.column("lineage_downloads_30d").unwrap().f64().unwrap();
    let derivs = df.column("derivative_models").unwrap().i64().unwrap();
    (0..df.height())
        .map(|i| {
            (
                orgs.get(i).unwrap().to_owned(),
                direct.get(i).unwrap(),
                lineage.get(i).unwrap(),
                derivs.get(i).unwrap(),
            )
        })
        .collect()
}

#[test]
fn merges_split_and_missing_parents_stop_at_the_last_model() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 1);
    run(tmp.path(), Filter::default(), false);
    let rows = by_org(&mart(tmp.path(), "lineage_credit"));
    // A1 (30) -> Q1; B1 (20) merges L1 and Q1; X1's parent is missing, so it keeps its credit.
    let expected = [
        ("Anon Lab", 0, 0.0, 0),
        ("Meta", 150, 160.0, 1),
        ("Qwen", 200, 240.0, 2),
        ("alice", 30, 0.0, 0),
        ("bob", 20, 0.0, 0),
    ];
    assert_eq!(rows.len(), expected.len());
    for (got, want) in rows.iter().zip(expected) {
        assert_eq!((got.0.as_str(), got.1, got.3), (want.0, want.1, want.3));
        assert!(close(got.2, want.2), "{got:?}");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("marts/_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["lineage"]["latest"]["missing_parents"], 1);
    assert_eq!(manifest["lineage"]["latest"]["cycles"], 0);
}

#[test]
fn cycles_and_the_depth_bound_are_handled_and_counted() {
    let tmp = tempfile::tempdir().unwrap();
    const CHAIN: [&str; 20] = [
        "rootns/m00",
        "chain/m01",
        "chain/m02",
        "chain/m03",
        "chain/m04",
        "chain/m05",
        "chain/m06",
        "chain/m07",
        "chain/m08",
        "chain/m09",
        "chain/m10",
        "chain/m11",
        "chain/m12",
        "chain/m13",
        "chain/m14",
        "chain/m15",
        "chain/m16",
        "chain/m17",
        "chain/m18",
        "chain/m19",
    ];
    let mut models = vec![
        m("cyc/C1", 10, Some(1)).base("finetune", "cyc/C2"),
        m("cyc/C2", 6, Some(1)).base("finetune", "cyc/C1"),
    ];
    for (i, id) in CHAIN.iter().enumerate() {
        let model = m(id, 1, Some(1));
        models.push(if i == 0 {
            model
        } else {
            model.base("finetune", CHAIN[i - 1])
        });
    }
    write_day(tmp.path(), "2026-11-02", &models, &[]);
    run(tmp.path(), Filter::default(), false);
    let rows = by_org(&mart(tmp.path(), "lineage_credit"));
    let find = |org: &str| rows.iter().find(|r| r.0 == org).unwrap().clone();
    // m01..m16 reach m00 within 16 steps; m17..m19 stop 16 steps up, on m01..m03.
    let root = find("rootns");
    assert!(close(root.2, 17.0));
    assert_eq!(root.3, 16);
    let chain = find("chain");
    assert!(close(chain.2, 3.0));
    assert_eq!((chain.1, chain.3), (19, 3));
    // C1 -> C2 -> C1: each walk stops before revisiting, credit stays in the org.
    let cyc = find("cyc");
    assert!(close(cyc.2, 16.0));
    assert_eq!(cyc.3, 2);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("marts/_manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["lineage"]["latest"]["cycles"], 2);
    assert_eq!(manifest["lineage"]["latest"]["depth_truncated"], 3);
    assert_eq!(manifest["lineage"]["latest"]["derivatives"], 21);
}
