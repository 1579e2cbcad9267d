//! The API surface: paging, expand, limits, trending shape, dates.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::{JsonExt, client, date, next_link, server};

const DEFAULT_FIELDS: &[&str] = &[
    "_id",
    "id",
    "likes",
    "trendingScore",
    "private",
    "downloads",
    "tags",
    "pipeline_tag",
    "library_name",
    "createdAt",
    "modelId",
];

#[tokio::test]
async fn paging_by_downloads_visits_every_model_once_in_descending_order() {
    let srv = server(1_500, |_| {}).await;
    let expected = srv.population().day(date("2026-10-01")).len();
    let http = client();
    let mut url = Some(format!(
        "{}/api/models?sort=downloads&limit=100&expand%5B%5D=downloads&expand[]=likes",
        srv.url()
    ));
    let mut seen = HashSet::new();
    let mut last = i64::MAX;
    let mut pages = 0;
    while let Some(u) = url {
        let resp = http.get(&u).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        url = next_link(&resp);
        if let Some(next) = &url {
            assert!(
                next.starts_with(&format!("{}/api/models?", srv.url())),
                "{next}"
            );
            assert!(
                next.contains("sort=downloads")
                    && next.contains("limit=100")
                    && next.contains("cursor=")
            );
            assert_eq!(next.matches("cursor=").count(), 1);
        }
        let items: Vec<Value> = resp.json_body().await;
        assert!(items.len() <= 100);
        for item in items {
            let downloads = item["downloads"].as_i64().unwrap();
            assert!(downloads <= last, "not descending");
            last = downloads;
            assert!(
                seen.insert(item["id"].as_str().unwrap().to_owned()),
                "seen twice: {}",
                item["id"]
            );
        }
        pages += 1;
    }
    assert_eq!(seen.len(), expected);
    assert_eq!(pages, expected.div_ceil(100));
    srv.shutdown().await;
}

#[tokio::test]
async fn expand_returns_only_the_expanded_fields_and_defaults_otherwise() {
    let srv = server(1_200, |_| {}).await;
    let http = client();
    let base = srv.url();
    let items: Vec<Value> = http
        .get(format!("{base}/api/models?sort=likes&limit=50&expand[]=downloads&expand=likes&expand[]=siblings"))
        .send().await.unwrap().json_body().await;
    assert_eq!(items.len(), 50);
    for item in &items {
        let keys: BTreeSet<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, BTreeSet::from(["_id", "id", "downloads", "likes"]));
        assert_eq!(item["_id"].as_str().unwrap().len(), 24);
    }
    let all = "author,downloads,downloadsAllTime,likes,trendingScore,createdAt,lastModified,pipeline_tag,library_name,tags,gated,safetensors,private,sha";
    let query: String = all.split(',').map(|e| format!("&expand[]={e}")).collect();
    let items: Vec<Value> = http
        .get(format!("{base}/api/models?sort=downloads&limit=200{query}"))
        .send()
        .await
        .unwrap()
        .json_body()
        .await;
    let mut saw_safetensors = false;
    for item in &items {
        let o = item.as_object().unwrap();
        for key in o.keys() {
            assert!(
                key == "_id" || key == "id" || all.split(',').any(|e| e == key),
                "unexpected {key}"
            );
        }
        assert!(
            item["downloadsAllTime"].is_i64()
                && item["author"].is_string()
                && item["sha"].as_str().unwrap().len() == 40
        );
        assert!(
            item["gated"] == Value::Bool(false)
                || ["auto", "manual"].contains(&item["gated"].as_str().unwrap())
        );
        if let Some(st) = o.get("safetensors") {
            saw_safetensors = true;
            assert_eq!(st["total"], st["parameters"]["BF16"]);
        }
        let created = item["createdAt"].as_str().unwrap();
        assert!(
            created.ends_with(".000Z") && created.len() == 24,
            "{created}"
        );
    }
    assert!(saw_safetensors);
    let items: Vec<Value> = http
        .get(format!("{base}/api/models?limit=20"))
        .send()
        .await
        .unwrap()
        .json_body()
        .await;
    for item in &items {
        let keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for k in [
            "_id",
            "id",
            "likes",
            "trendingScore",
            "private",
            "downloads",
            "tags",
            "createdAt",
            "modelId",
        ] {
            assert!(keys.contains(&k), "default item lacks {k}");
        }
        assert!(keys.iter().all(|k| DEFAULT_FIELDS.contains(k)), "{keys:?}");
    }
    srv.shutdown().await;
}

#[tokio::test]
async fn bad_queries_get_400_and_limit_is_capped() {
    let srv = server(1_300, |_| {}).await;
    let http = client();
    let base = srv.url();
    let resp = http
        .get(format!(
            "{base}/api/models?expand[]=downloads&expand[]=favouriteColour"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json_body().await;
    assert!(body["error"].as_str().unwrap().contains("favouriteColour"));
    for q in [
        "sort=name",
        "limit=-3",
        "direction=1",
        "sort=downloads&cursor=garbage",
    ] {
        let resp = http
            .get(format!("{base}/api/models?{q}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{q}");
    }
    let resp = http
        .get(format!(
            "{base}/api/models?sort=downloads&limit=5000&direction=-1"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(next_link(&resp).is_some());
    let items: Vec<Value> = resp.json_body().await;
    assert_eq!(items.len(), 1000);
    assert_eq!(
        http.get(format!("{base}/api/nothing"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let mine: Vec<Value> = http
        .get(format!(
            "{base}/api/models?author=bartowski&expand[]=author&limit=1000"
        ))
        .send()
        .await
        .unwrap()
        .json_body()
        .await;
    assert!(mine.iter().all(|m| m["author"] == "bartowski"));
    srv.shutdown().await;
}

/// Key sets of the recorded trending entries: every key seen, and the keys always present.
struct FixtureKeys {
    all: BTreeSet<String>,
    always: BTreeSet<String>,
    author_all: BTreeSet<String>,
    author_always: BTreeSet<String>,
}

fn key_sets(path: &Path) -> Option<FixtureKeys> {
    let mut files: Vec<_> = std::fs::read_dir(path)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let (mut all, mut author_all) = (BTreeSet::new(), BTreeSet::new());
    let (mut always, mut author_always): (Option<BTreeSet<String>>, Option<BTreeSet<String>>) =
        (None, None);
    for file in &files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(file).ok()?).ok()?;
        for entry in v["recentlyTrending"].as_array()? {
            assert_eq!(
                entry.as_object()?.keys().collect::<Vec<_>>(),
                ["repoData", "repoType"]
            );
            let keys: BTreeSet<String> = entry["repoData"].as_object()?.keys().cloned().collect();
            let a: BTreeSet<String> = entry["repoData"]["authorData"]
                .as_object()?
                .keys()
                .cloned()
                .collect();
            all.extend(keys.iter().cloned());
            author_all.extend(a.iter().cloned());
            always =
                Some(always.map_or(keys.clone(), |s| s.intersection(&keys).cloned().collect()));
            author_always =
                Some(author_always.map_or(a.clone(), |s| s.intersection(&a).cloned().collect()));
        }
    }
    Some(FixtureKeys {
        all,
        always: always?,
        author_all,
        author_always: author_always?,
    })
}

#[tokio::test]
async fn trending_has_the_recorded_fixtures_shape() {
    let fixtures = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/hub-api/trending"
    ));
    let Some(FixtureKeys {
        all,
        always,
        author_all,
        author_always,
    }) = key_sets(fixtures)
    else {
        eprintln!(
            "skipping: recorded trending fixtures not found at {}",
            fixtures.display()
        );
        return;
    };
    let srv = server(3_000, |_| {}).await;
    let http = client();
    let body: Value = http
        .get(format!("{}/api/trending?type=model&limit=10", srv.url()))
        .send()
        .await
        .unwrap()
        .json_body()
        .await;
    let list = body["recentlyTrending"].as_array().unwrap();
    assert_eq!(list.len(), 10);
    let expected: Vec<String> = srv
        .population()
        .day(date("2026-10-01"))
        .trending(10)
        .into_iter()
        .map(|m| m.id)
        .collect();
    for (entry, id) in list.iter().zip(&expected) {
        assert_eq!(entry["repoType"], "model");
        assert_eq!(&entry["repoData"]["id"], id);
        let keys: BTreeSet<String> = entry["repoData"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert!(
            keys.is_subset(&all),
            "extra keys {:?}",
            keys.difference(&all).collect::<Vec<_>>()
        );
        assert!(
            always.is_subset(&keys),
            "missing keys {:?}",
            always.difference(&keys).collect::<Vec<_>>()
        );
        let a: BTreeSet<String> = entry["repoData"]["authorData"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert!(
            a.is_subset(&author_all) && author_always.is_subset(&a),
            "authorData keys {a:?}"
        );
        assert!(!keys.contains("trendingScore"));
    }
    let big: Vec<Value> = vec![
        http.get(format!("{}/api/trending?type=model&limit=1000", srv.url()))
            .send()
            .await
            .unwrap()
            .json_body()
            .await,
    ];
    assert_eq!(big[0]["recentlyTrending"].as_array().unwrap().len(), 100);
    let default: Value = http
        .get(format!("{}/api/trending", srv.url()))
        .send()
        .await
        .unwrap()
        .json_body()
        .await;
    assert_eq!(default["recentlyTrending"].as_array().unwrap().len(), 10);
    srv.shutdown().await;
}

#[tokio::test]
async fn set_date_changes_the_data_and_matches_the_library() {
    let srv = server(2_000, |_| {}).await;
    let http = client();
    let url = format!(
        "{}/api/models?sort=downloads&limit=1000&expand[]=downloads&expand[]=downloadsAllTime",
        srv.url()
    );
    let first: Vec<Value> = http.get(&url).send().await.unwrap().json_body().await;
    let later = date("2026-10-21");
    srv.set_date(later);
    assert_eq!(srv.date(), later);
    let second: Vec<Value> = http.get(&url).send().await.unwrap().json_body().await;
    assert_ne!(first, second);
    let day = srv.population().day(later);
    let top = day.model(day.sorted(hubtrends_hubsim::SortKey::Downloads)[0] as usize);
    assert_eq!(second[0]["id"], top.id.as_str());
    assert_eq!(second[0]["downloads"], top.downloads_30d);
    assert_eq!(second[0]["downloadsAllTime"], top.downloads_all_time);
    srv.shutdown().await;
}
