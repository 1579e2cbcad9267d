//! Rate limits and the token requirement.

use hubtrends_hubsim::RateQuota;

use crate::{client, server};

#[tokio::test]
async fn rate_limit_headers_and_429_past_the_quota() {
    let srv = server(1_000, |c| {
        c.quota = Some(RateQuota {
            quota: 3,
            window_secs: 60,
        })
    })
    .await;
    let http = client();
    let url = format!("{}/api/models?limit=5", srv.url());
    for remaining in [2, 1, 0] {
        let resp = http.get(&url).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let h = resp.headers();
        let rl = h["ratelimit"].to_str().unwrap();
        assert!(rl.starts_with(&format!("\"api\";r={remaining};t=")), "{rl}");
        let t: u64 = rl.rsplit("t=").next().unwrap().parse().unwrap();
        assert!((1..=60).contains(&t));
        assert_eq!(h["ratelimit-policy"], "\"fixed window\";\"api\";q=3;w=60");
    }
    let resp = http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 429);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert!(
        resp.headers()["ratelimit"]
            .to_str()
            .unwrap()
            .starts_with("\"api\";r=0;")
    );
    assert_eq!(srv.stats().rate_limited, 1);
    assert_eq!(srv.stats().requests, 4);
    srv.shutdown().await;
}

#[tokio::test]
async fn window_resets_after_its_length() {
    let srv = server(1_000, |c| {
        c.quota = Some(RateQuota {
            quota: 1,
            window_secs: 1,
        })
    })
    .await;
    let http = client();
    let url = format!("{}/api/trending", srv.url());
    let mut statuses = Vec::new();
    for _ in 0..2 {
        statuses.push(http.get(&url).send().await.unwrap().status().as_u16());
    }
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    statuses.push(http.get(&url).send().await.unwrap().status().as_u16());
    // The first two may straddle a window boundary; the one after a full window must pass.
    assert!(statuses.contains(&429) || statuses[..2] == [200, 200]);
    assert_eq!(statuses[2], 200);
    srv.shutdown().await;
}

#[tokio::test]
async fn token_is_required_when_configured() {
    let srv = server(1_000, |c| c.require_token = Some("hf_secret".into())).await;
    let http = client();
    let url = format!("{}/api/models?limit=1", srv.url());
    assert_eq!(http.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(
        http.get(&url)
            .bearer_auth("hf_wrong")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        http.get(&url)
            .bearer_auth("hf_secret")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    srv.shutdown().await;
}

#[test]
fn debug_never_shows_the_token() {
    let config = hubtrends_hubsim::ServerConfig {
        require_token: Some("hf_topsecret".into()),
        ..Default::default()
    };
    let shown = format!("{config:?}");
    assert!(!shown.contains("hf_topsecret") && shown.contains("redacted"));
}
