//! Top scope: three sorts merged without duplicates.

use std::collections::HashSet;

use hubtrends_hubsim::SortKey;
use hubtrends_ingest::{NoProgress, Scope, snapshot};

use crate::common::*;

#[tokio::test]
async fn top_scope_merges_three_sorts_without_duplicates() {
    let server = serve(sim(2_000), |_| {}).await;
    let lake = tempfile::tempdir().unwrap();
    let mut c = config(&server, lake.path());
    c.scope = Scope::Top(150);
    let summary = snapshot(&c, &NoProgress).await.unwrap();

    let got = read_models(&partition(lake.path()).join("models.parquet"));
    let ids: HashSet<&str> = got.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), got.len(), "no duplicates");
    let day = server.population().day(date());
    let mut want: HashSet<String> = HashSet::new();
    for key in [SortKey::TrendingScore, SortKey::Downloads, SortKey::Likes] {
        for &i in day.sorted(key).iter().take(150) {
            want.insert(day.model(i as usize).id);
        }
    }
    let want: HashSet<&str> = want.iter().map(String::as_str).collect();
    assert_eq!(ids, want);
    assert!(got.windows(2).all(|w| w[0].id < w[1].id), "sorted by id");
    // 150 at 100 a page: two pages per sort, plus trending.
    assert_eq!(summary.requests, 7);
    let m = manifest(lake.path());
    assert_eq!((m.scope.as_str(), m.top), ("top", Some(150)));
    assert_eq!(m.queries.len(), 4);
}
