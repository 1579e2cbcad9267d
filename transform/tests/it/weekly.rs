//! Weekly rollups, ranks, changes, new entrants and movers on the basic lake.

use polars::prelude::*;

use crate::lake::{basic_lake, mart};
use crate::{close, run};
use hubtrends_transform::Filter;

fn week(df: &DataFrame, w: &str) -> DataFrame {
    df.clone()
        .lazy()
        .filter(col("week").eq(lit(w)))
        .collect()
        .unwrap()
}

fn strs(df: &DataFrame, c: &str) -> Vec<Option<String>> {
    df.column(c)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect()
}

fn ints(df: &DataFrame, c: &str) -> Vec<Option<i64>> {
    df.column(c)
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .collect()
}

fn names(v: &[&str]) -> Vec<Option<String>> {
    v.iter().map(|s| Some((*s).to_owned())).collect()
}

#[test]
fn org_weekly_ranks_changes_and_new_entrants() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 5);
    run(tmp.path(), Filter::default(), false);
    let ow = mart(tmp.path(), "org_weekly");
    let w45 = week(&ow, "2026-W45");
    assert_eq!(
        strs(&w45, "org"),
        names(&["Qwen", "Meta", "alice", "bob", "Anon Lab"])
    );
    assert_eq!(
        ints(&w45, "rank"),
        [Some(1), Some(2), Some(3), Some(4), Some(5)]
    );
    assert_eq!(
        ints(&w45, "days"),
        [Some(3), Some(3), Some(3), Some(3), Some(3)]
    );
    let dl: Vec<f64> = w45
        .column("downloads_30d")
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert!(close(dl[1], 480.0 / 3.0) && close(dl[2], 100.0 / 3.0));
    // Meta: null (first day) + 10 + 13.
    assert_eq!(ints(&w45, "downloads_week")[1], Some(23));
    // The lake's first week has nothing to change from and no baseline for new entrants.
    assert!(ints(&w45, "rank_change").iter().all(Option::is_none));
    assert!(
        w45.column("new_entrant")
            .unwrap()
            .bool()
            .unwrap()
            .iter()
            .all(|b| b == Some(false))
    );
    // Trending: Meta and Qwen both 2 entries with best rank 1: tie broken by name.
    assert_eq!(
        ints(&w45, "trending_rank"),
        [Some(2), Some(1), Some(3), None, None]
    );

    let w46 = week(&ow, "2026-W46");
    assert_eq!(
        strs(&w46, "org"),
        names(&["Meta", "Qwen", "newco", "alice", "bob", "Anon Lab"])
    );
    assert_eq!(
        ints(&w46, "rank_change"),
        [Some(1), Some(-1), None, Some(-1), Some(-1), Some(-1)]
    );
    let new: Vec<Option<bool>> = w46
        .column("new_entrant")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(
        new,
        [
            Some(false),
            Some(false),
            Some(true),
            Some(false),
            Some(false),
            Some(false)
        ]
    );
    let share = w46
        .column("share_change")
        .unwrap()
        .f64()
        .unwrap()
        .get(0)
        .unwrap();
    assert!(close(share, 700.0 / 1290.0 - 480.0 / 1240.0));
    assert_eq!(
        w46.column("share_change").unwrap().f64().unwrap().get(2),
        None
    );
}

#[test]
fn movers_list_gains_and_new_entrants() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 5);
    run(tmp.path(), Filter::default(), false);
    let mv = mart(tmp.path(), "movers");
    assert_eq!(strs(&mv, "week"), names(&["2026-W46", "2026-W46"]));
    assert_eq!(strs(&mv, "kind"), names(&["gain", "new_entrant"]));
    assert_eq!(strs(&mv, "org"), names(&["Meta", "newco"]));
    assert_eq!(ints(&mv, "previous_rank"), [Some(2), None]);
    assert_eq!(ints(&mv, "rank"), [Some(1), Some(3)]);
}

#[test]
fn country_weekly_ranks_countries_and_keeps_the_unattributed_row_last() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 5);
    run(tmp.path(), Filter::default(), false);
    let cw = mart(tmp.path(), "country_weekly");
    let w46 = week(&cw, "2026-W46");
    assert_eq!(
        strs(&w46, "country"),
        [Some("US".to_owned()), Some("CN".to_owned()), None]
    );
    assert_eq!(ints(&w46, "rank"), [Some(1), Some(2), None]);
    assert_eq!(ints(&w46, "rank_change"), [Some(1), Some(-1), None]);
    let cov = w46
        .column("coverage_downloads_30d")
        .unwrap()
        .f64()
        .unwrap()
        .get(0)
        .unwrap();
    assert!(close(cov, 1100.0 / 1290.0));
}
