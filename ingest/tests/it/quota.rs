//! Pacing: a scaled quota is used fully without tripping it.

use std::time::Instant;

use hubtrends_hubsim::RateQuota;
use hubtrends_ingest::{NoProgress, snapshot};

use crate::common::*;

#[tokio::test]
async fn quota_is_spent_fully_without_429s() {
    let (quota, window) = (5u32, 1u64);
    let server = serve(sim(1_500), |c| {
        c.quota = Some(RateQuota {
            quota,
            window_secs: window,
        });
    })
    .await;
    let lake = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let summary = snapshot(&config(&server, lake.path()), &NoProgress)
        .await
        .unwrap();
    let took = started.elapsed().as_secs_f64();
    let calls = summary.requests as f64;
    let bound = calls / f64::from(quota) * window as f64;
    assert!(summary.rate_limited <= 1, "{} 429s", summary.rate_limited);
    assert_eq!(server.stats().rate_limited, summary.rate_limited);
    // Catches a client that idles away a window of its quota: the slack is half a window (for
    // a loaded CI runner's scheduling). The tight figure (≤1.05x) is `bench/pacing.py`'s.
    assert!(
        took <= bound + 0.5 * window as f64,
        "took {took:.2}s, quota bound {bound:.2}s"
    );
    // It cannot beat the quota: all but the last window must have been waited out.
    let windows = (calls / f64::from(quota)).ceil() - 1.0;
    assert!(
        took >= (windows - 1.0) * window as f64,
        "took {took:.2}s for {calls} calls"
    );
}
