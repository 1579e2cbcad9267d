#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::json;

use super::*;

/// The recorded item of `/work/shared/fixtures/README.md` (default fields).
fn recorded_item() -> Value {
    json!({"_id": "66e81cefd1b1391042d0e47e", "id": "Qwen/Qwen2.5-7B-Instruct", "likes": 1032,
     "trendingScore": 12, "private": false, "downloads": 1879349,
     "tags": ["transformers", "safetensors", "qwen2", "text-generation", "chat", "conversational",
              "en", "arxiv:2309.00071", "base_model:Qwen/Qwen2.5-7B",
              "base_model:finetune:Qwen/Qwen2.5-7B", "license:apache-2.0", "region:us"],
     "pipeline_tag": "text-generation", "library_name": "transformers",
     "createdAt": "2024-09-16T11:55:40.000Z", "modelId": "Qwen/Qwen2.5-7B-Instruct"})
}

#[test]
fn maps_the_recorded_item() {
    let r = map_model(&recorded_item()).unwrap();
    assert_eq!(r.id, "Qwen/Qwen2.5-7B-Instruct");
    assert_eq!(r.author, "Qwen", "author from the namespace when absent");
    assert_eq!(r.downloads_30d, 1_879_349);
    assert_eq!(r.likes, 1032);
    assert_eq!(r.trending_score, Some(12));
    assert_eq!(r.created_at, Some(1_726_487_740_000));
    assert_eq!(r.last_modified, None);
    assert_eq!(r.pipeline_tag.as_deref(), Some("text-generation"));
    assert_eq!(r.library_name.as_deref(), Some("transformers"));
    assert_eq!(r.license.as_deref(), Some("apache-2.0"));
    assert_eq!(r.gated, None);
    assert_eq!(r.num_parameters, None);
    assert_eq!(r.downloads_all_time, None);
    assert_eq!(
        r.base_models,
        vec![BaseModel {
            relation: "finetune".into(),
            id: "Qwen/Qwen2.5-7B".into()
        }],
        "the bare tag must not add a phantom `unknown` parent"
    );
    // The 12 recorded tags minus the three the license and base_models columns hold.
    assert_eq!(r.tags.len(), 9);
    assert!(
        r.tags
            .iter()
            .all(|t| !t.starts_with("license:") && !t.starts_with("base_model:")),
        "{:?}",
        r.tags
    );
    assert!(
        r.tags.iter().any(|t| t == "arxiv:2309.00071") && r.tags.iter().any(|t| t == "region:us")
    );
}

#[test]
fn tags_not_derivable_from_other_columns_are_kept() {
    let parents = vec![BaseModel {
        relation: "merge".into(),
        id: "a/x".into(),
    }];
    let kept = crate::map::stored_tags(
        vec![
            "license:mit".into(),
            "license:other".into(),
            "base_model:a/x".into(),
            "base_model:merge:a/x".into(),
            "base_model:finetune:b/y".into(),
            "gguf".into(),
        ],
        Some("mit"),
        &parents,
    );
    // A second licence and a parent the column does not hold stay in `tags`: nothing is lost.
    assert_eq!(
        kept,
        vec!["license:other", "base_model:finetune:b/y", "gguf"]
    );
}

#[test]
fn expanded_fields_map() {
    let r = map_model(
        &json!({"id": "a/b", "author": "someone", "downloadsAllTime": 77,
        "lastModified": "2026-08-14T15:00:01.000Z", "gated": "manual",
        "safetensors": {"total": 7_000_000_000_i64, "parameters": {"BF16": 7}}}),
    )
    .unwrap();
    assert_eq!(r.author, "someone");
    assert_eq!(r.downloads_all_time, Some(77));
    assert_eq!(r.last_modified, Some(1_786_719_601_000));
    assert_eq!(r.gated.as_deref(), Some("manual"));
    assert_eq!(r.num_parameters, Some(7_000_000_000));
    let r = map_model(&json!({"id": "a/b", "gated": false})).unwrap();
    assert_eq!(r.gated.as_deref(), Some("false"));
}

#[test]
fn missing_and_null_fields_become_null_or_zero() {
    let r =
        map_model(&json!({"id": "org/m", "downloads": null, "likes": null, "tags": null})).unwrap();
    assert_eq!((r.downloads_30d, r.likes), (0, 0));
    assert!(r.tags.is_empty() && r.base_models.is_empty());
    assert_eq!(r.created_at, None);
    assert_eq!(r.license, None);
}

#[test]
fn legacy_id_without_namespace_is_its_own_author() {
    assert_eq!(map_model(&json!({"id": "gpt2"})).unwrap().author, "gpt2");
}

#[test]
fn empty_author_falls_back_to_namespace() {
    let r = map_model(&json!({"id": "ns/m", "author": ""})).unwrap();
    assert_eq!(r.author, "ns");
}

#[test]
fn wrong_types_are_quarantined_with_the_field_named() {
    let cases = [
        (json!([1, 2]), "object"),
        (json!({"likes": 3}), "missing id"),
        (json!({"id": 42}), "id"),
        (json!({"id": ""}), "invalid id"),
        (json!({"id": "a b/c"}), "invalid id"),
        (json!({"id": "a/b", "downloads": "12"}), "downloads"),
        (json!({"id": "a/b", "downloads": -1}), "downloads"),
        (json!({"id": "a/b", "likes": 1.5}), "likes"),
        (json!({"id": "a/b", "createdAt": "yesterday"}), "createdAt"),
        (json!({"id": "a/b", "createdAt": 5}), "createdAt"),
        (json!({"id": "a/b", "tags": "x"}), "tags"),
        (json!({"id": "a/b", "tags": ["x", 1]}), "tags"),
        (json!({"id": "a/b", "pipeline_tag": 3}), "pipeline_tag"),
        (json!({"id": "a/b", "gated": 1}), "gated"),
        (json!({"id": "a/b", "safetensors": 3}), "safetensors"),
        (json!({"id": "a/b", "author": {}}), "author"),
    ];
    for (item, needle) in cases {
        let q = map_model(&item).unwrap_err();
        assert!(q.reason.contains(needle), "{item}: {q}");
    }
}

#[test]
fn integral_floats_are_accepted() {
    let r = map_model(&json!({"id": "a/b", "downloads": 12.0, "trendingScore": 3.0})).unwrap();
    assert_eq!((r.downloads_30d, r.trending_score), (12, Some(3)));
}

#[test]
fn base_model_tags_parse_relations_bare_tags_and_merges() {
    let tags: Vec<String> = [
        "base_model:merge:a/one",
        "base_model:merge:b/two",
        "base_model:a/one",
        "base_model:c/three",
        "base_model:quantized:d/four",
        "base_model:quantized:d/four",
        "base_model:",
        "base_model:adapter:",
        "license:mit",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let got: Vec<(String, String)> = base_models(&tags)
        .into_iter()
        .map(|b| (b.relation, b.id))
        .collect();
    let want = [
        ("merge", "a/one"),
        ("merge", "b/two"),
        ("unknown", "c/three"),
        ("quantized", "d/four"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(r, i)| (r.to_string(), i.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn license_is_the_first_non_empty_license_tag() {
    let tags: Vec<String> = ["license:", "license:other", "license:mit"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(license(&tags).as_deref(), Some("other"));
}

#[test]
fn maps_a_real_trending_entry_from_the_fixtures() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/hub-api/trending"
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipping: fixtures not found at {dir}");
        return;
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    let mut mapped = 0;
    for path in files.iter().take(20) {
        let body: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let list = body[field::RECENTLY_TRENDING].as_array().unwrap();
        for (i, entry) in list.iter().enumerate() {
            let rank = i32::try_from(i + 1).unwrap();
            let t = map_trending(entry, rank).unwrap().unwrap();
            assert_eq!(t.rank, rank);
            assert_eq!(t.id, entry["repoData"]["id"].as_str().unwrap());
            assert_eq!(t.author, entry["repoData"]["author"].as_str().unwrap());
            assert_eq!(
                t.downloads_30d,
                entry["repoData"]["downloads"].as_i64().unwrap()
            );
            assert_eq!(t.trending_score, None, "the trending endpoint has no score");
            // The full item maps as a model too (num_parameters from `numParameters`).
            let m = map_model(&entry["repoData"]).unwrap();
            assert_eq!(
                m.num_parameters,
                entry["repoData"]["numParameters"].as_i64()
            );
            mapped += 1;
        }
    }
    assert!(mapped > 0);
}

#[test]
fn non_model_trending_entries_are_skipped() {
    let e = json!({"repoType": "dataset", "repoData": {"id": "x/y"}});
    assert_eq!(map_trending(&e, 1).unwrap(), None);
    assert!(map_trending(&json!({"repoType": "model"}), 1).is_err());
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-z/:_ -]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("2024-09-16T11:55:40.000Z"),
            Just("base_model:merge:a/b"),
            Just("license:mit")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        let keys = prop_oneof![
            Just("id".to_string()),
            Just("author".to_string()),
            Just("downloads".to_string()),
            Just("likes".to_string()),
            Just("tags".to_string()),
            Just("safetensors".to_string()),
            Just("total".to_string()),
            Just("createdAt".to_string()),
            Just("gated".to_string()),
            Just("repoData".to_string()),
            "[a-z]{1,4}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn map_model_never_panics(v in arb_json()) {
        if let Ok(r) = map_model(&v) {
            prop_assert!(!r.id.is_empty());
            prop_assert!(!r.author.is_empty());
            prop_assert!(r.downloads_30d >= 0 && r.likes >= 0);
        }
        let _ = map_trending(&v, 1);
    }
}

#[test]
fn hostile_ids_and_authors_are_quarantined() {
    let ids = [
        "../etc/passwd",
        "a/../b",
        "ns/..",
        "..",
        "a/b/c",
        "/abs",
        "ns/",
        "/",
        "ns/<script>alert(1)</script>",
        "ns/a\u{0}b",
        "ns/a\u{1b}[31m",
        "ns/a\nb",
        "ns\\evil",
        "ns/caf\u{e9}",
        "ns/\u{202e}txt",
        "C:/x",
    ];
    for id in ids {
        let q = map_model(&json!({ "id": id })).unwrap_err();
        assert!(q.reason.contains("invalid id"), "{id:?}: {q}");
        let entry = json!({"repoType": "model", "repoData": {"id": id}});
        assert!(
            map_trending(&entry, 1).is_err(),
            "{id:?} accepted in trending"
        );
    }
    for author in ["../x", "a/b", "<b>", "a\u{7}"] {
        let q = map_model(&json!({"id": "ns/m", "author": author})).unwrap_err();
        assert!(q.reason.contains("invalid author"), "{author:?}: {q}");
    }
    // Real ids of every shape the Hub has: namespaced, legacy bare, dots, dashes, underscores.
    for id in ["Qwen/Qwen2.5-7B-Instruct", "gpt2", "a-b_c.d/e.f-g_h", "x/1"] {
        assert!(map_model(&json!({ "id": id })).is_ok(), "{id}");
    }
}

#[test]
fn huge_and_negative_numbers_are_quarantined_not_wrapped() {
    for v in [
        json!(u64::MAX),
        json!(1e300),
        json!(-1e300),
        json!(f64::MIN_POSITIVE),
        json!(-5),
    ] {
        let q = map_model(&json!({"id": "a/b", "likes": v})).unwrap_err();
        assert!(q.reason.contains("likes"), "{v}: {q}");
    }
    let r = map_model(&json!({"id": "a/b", "downloads": i64::MAX})).unwrap();
    assert_eq!(r.downloads_30d, i64::MAX);
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    assert!(serde_json::from_str::<Value>(&deep).is_err());
    // Within serde's limit, nesting in an unknown field is simply ignored.
    let nested = format!(
        r#"{{"id": "a/b", "x": {}1{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    let v: Value = serde_json::from_str(&nested).unwrap();
    assert!(map_model(&v).is_ok());
}

/// Any string, biased towards the characters that make ids dangerous.
fn arb_id() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._/-]{0,20}",
        "[a-z./\\\\<>\"'&\u{0}-\u{1f}\u{7f}\u{202e}\u{e9} ]{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn an_accepted_id_is_safe_as_data_and_as_a_path_component(id in arb_id()) {
        let item = json!({ "id": id });
        if let Ok(r) = map_model(&item) {
            prop_assert!(is_valid_id(&r.id));
            prop_assert!(!r.id.contains("..") && !r.id.starts_with('/') && !r.id.ends_with('/'));
            prop_assert!(r.id.bytes().all(|b| b.is_ascii_graphic() && !b"<>\"'&\\\\".contains(&b)));
            prop_assert!(r.id.matches('/').count() <= 1);
            prop_assert!(is_valid_id(&r.author));
        }
    }

    #[test]
    fn any_number_in_a_count_maps_to_a_non_negative_value_or_quarantines(
        n in prop_oneof![any::<i64>().prop_map(|i| json!(i)), any::<u64>().prop_map(|u| json!(u)), any::<f64>().prop_map(|f| json!(f))],
    ) {
        for key in ["downloads", "likes", "downloadsAllTime"] {
            match map_model(&json!({"id": "a/b", key: n.clone()})) {
                Ok(r) => {
                    prop_assert!(r.downloads_30d >= 0 && r.likes >= 0);
                    prop_assert!(r.downloads_all_time.is_none_or(|d| d >= 0));
                }
                Err(q) => prop_assert!(q.reason.contains(key), "{}", q),
            }
        }
    }

    #[test]
    fn arbitrary_bytes_as_a_page_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(&bytes) {
            for item in &items {
                let _ = map_model(item);
                let _ = map_trending(item, 1);
            }
        }
    }
}
