use super::*;
use proptest::prelude::*;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

/// A realistic item with every field the mapper reads.
fn item(i: usize) -> serde_json::Value {
    serde_json::json!({
        "_id": format!("{i:024x}"),
        "id": format!("org{}/model-{i}", i % 7),
        "author": format!("org{}", i % 7),
        "downloads": i * 13,
        "downloadsAllTime": i * 101,
        "likes": i % 5,
        "trendingScore": (i % 3) as i64 - 1,
        "createdAt": "2024-02-29T23:59:59.999Z",
        "lastModified": "2025-09-16T11:55:40.000Z",
        "pipeline_tag": "text-generation",
        "library_name": "transformers",
        "gated": if i.is_multiple_of(2) { serde_json::json!(false) } else { serde_json::json!("auto") },
        "safetensors": {"parameters": {"BF16": i * 1000}, "total": i * 1000},
        "tags": ["transformers", "base_model:a/b", "base_model:finetune:a/b",
                 format!("base_model:quantized:c/d{i}"), "license:mit", "license:other", "region:us"],
    })
}

fn page(items: &[serde_json::Value]) -> Vec<u8> {
    serde_json::to_vec(items).unwrap()
}

/// The fast path took the page and agrees with the reference path.
fn assert_fast_equals_reference(body: &[u8]) {
    let fast = parse_models_page(date(), body).unwrap();
    let reference = reference_path(date(), body).unwrap();
    assert_eq!(fast.batch, reference.batch);
    assert!(reference.quarantined.is_empty());
    // The fast path itself accepted every item.
    let items: Vec<Item<'_>> = serde_json::from_slice(body).unwrap();
    let mut b = PageBuilder::with_capacity(items.len());
    assert!(items.iter().all(|i| b.push(i)));
}

#[test]
fn fast_path_equals_the_reference_path() {
    let items: Vec<_> = (0..300).map(item).collect();
    assert_fast_equals_reference(&page(&items));
}

#[test]
fn optional_fields_nulls_and_escapes_take_the_fast_path_identically() {
    let mut a = item(1);
    let o = a.as_object_mut().unwrap();
    for k in [
        "author",
        "downloads",
        "likes",
        "createdAt",
        "pipeline_tag",
        "gated",
        "tags",
    ] {
        o.remove(k);
    }
    o.insert("safetensors".into(), serde_json::Value::Null);
    o.insert("numParameters".into(), serde_json::json!(77));
    o.insert("downloadsAllTime".into(), serde_json::Value::Null);
    let mut b = item(2);
    b["author"] = serde_json::json!("");
    b["gated"] = serde_json::json!(true);
    b["createdAt"] = serde_json::json!("2024-09-16T11:55:40+02:00");
    b["lastModified"] = serde_json::json!("2024-09-16T11:55:40Z");
    b["safetensors"] = serde_json::json!({"total": null});
    let legacy = serde_json::json!({"id": "gpt2", "tags": []});
    let text = String::from_utf8(page(&[a, b, legacy])).unwrap();
    // An escaped slash is the same id (an owned string instead of a borrowed one).
    let text = text.replacen("org1/model-1", "org1\\/model-1", 1);
    assert_fast_equals_reference(text.as_bytes());
}

#[test]
fn doubtful_pages_take_the_reference_path() {
    let cases: Vec<(&str, serde_json::Value)> = vec![
        ("likes", serde_json::json!(12.0)),
        ("likes", serde_json::json!(-1)),
        ("downloads", serde_json::json!("5k")),
        ("id", serde_json::json!("../etc")),
        ("id", serde_json::Value::Null),
        ("author", serde_json::json!("bad author")),
        ("createdAt", serde_json::json!("yesterday")),
        ("gated", serde_json::json!(3)),
        ("safetensors", serde_json::json!([1])),
        ("tags", serde_json::json!(["ok", 3])),
    ];
    for (key, value) in cases {
        let mut bad = item(3);
        bad[key] = value.clone();
        let body = page(&[item(1), bad.clone(), item(2)]);
        let got = parse_models_page(date(), &body).unwrap();
        let want_records: Vec<_> = [item(1), bad.clone(), item(2)]
            .iter()
            .filter_map(|v| map_model(v).ok())
            .collect();
        assert_eq!(
            got.batch,
            Some(models_batch(date(), &want_records).unwrap()),
            "{key}: {value}"
        );
        let reasons: Vec<String> = [bad]
            .iter()
            .filter_map(|v| map_model(v).err())
            .map(|q| q.reason)
            .collect();
        let got_reasons: Vec<String> = got.quarantined.iter().map(|q| q.1.clone()).collect();
        assert_eq!(got_reasons, reasons, "{key}: {value}");
    }
}

#[test]
fn structural_oddities_take_the_reference_path() {
    // An array item is not an object; a repeated key keeps its last value.
    let body = br#"[["org1/a"], {"id": "org1/a", "likes": 1, "likes": 2}]"#;
    let got = parse_models_page(date(), body).unwrap();
    assert_eq!(got.quarantined.len(), 1);
    assert_eq!(got.quarantined[0].1, "item is not a JSON object");
    let likes = got.batch.unwrap();
    let col = likes
        .column(5)
        .as_any()
        .downcast_ref::<Int64Array>()
        .unwrap();
    assert_eq!(col.value(0), 2);
    assert!(matches!(
        parse_models_page(date(), b"{\"a\": 1}"),
        Err(PageError::NotArray)
    ));
    assert!(matches!(
        parse_models_page(date(), b"[{\"id\": \"a/b\""),
        Err(PageError::Unparseable(_))
    ));
    let empty = parse_models_page(date(), b"[]").unwrap();
    assert!(empty.batch.is_none() && empty.quarantined.is_empty());
}

#[test]
fn hub_timestamps_parse_as_chrono_does() {
    let mut t = -2_208_988_800_000i64; // 1900-01-01
    while t < 7_258_118_400_000 {
        // 2200-01-01
        let s = chrono::DateTime::from_timestamp_millis(t)
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        assert_eq!(hub_timestamp_ms(&s), Some(t), "{s}");
        t += 86_399_997 * 3 + 12_345;
    }
    for s in [
        "2024-02-30T00:00:00.000Z",
        "2023-02-29T00:00:00.000Z",
        "2024-13-01T00:00:00.000Z",
        "2024-01-01T24:00:00.000Z",
        "2024-01-01T00:00:60.000Z",
        "2024-01-01T00:00:00.000+",
        "2024-01-01 00:00:00.000Z",
    ] {
        assert_eq!(hub_timestamp_ms(s), None, "{s}");
    }
    assert_eq!(
        timestamp_ms("2024-01-01T00:00:00+01:00"),
        Ok(1_704_063_600_000)
    );
}

const KEYS: [&str; 13] = [
    "id",
    "author",
    "downloads",
    "downloadsAllTime",
    "likes",
    "trendingScore",
    "createdAt",
    "lastModified",
    "pipeline_tag",
    "library_name",
    "gated",
    "tags",
    "safetensors",
];

/// A well-typed value for one of the mapper's fields, as the Hub sends it.
fn arb_field(key: &'static str) -> BoxedStrategy<serde_json::Value> {
    use serde_json::json;
    match key {
        "id" => "[a-z0-9_-]{1,8}/[a-zA-Z0-9._-]{1,10}"
            .prop_map(|s| json!(s))
            .boxed(),
        "author" | "pipeline_tag" | "library_name" => {
            "[a-zA-Z0-9_-]{1,10}".prop_map(|s| json!(s)).boxed()
        }
        "downloads" | "downloadsAllTime" | "likes" | "trendingScore" => {
            (0i64..1_000_000).prop_map(|n| json!(n)).boxed()
        }
        "createdAt" | "lastModified" => (0i64..4_000_000_000_000)
            .prop_map(|ms| {
                let t = chrono::DateTime::from_timestamp_millis(ms).unwrap();
                json!(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            })
            .boxed(),
        "gated" => prop_oneof![
            Just(json!(false)),
            Just(json!("auto")),
            Just(json!("manual"))
        ]
        .boxed(),
        "safetensors" => (0i64..10_000_000)
            .prop_map(|n| json!({"parameters": {"BF16": n}, "total": n}))
            .boxed(),
        _ => prop::collection::vec(
            prop_oneof![
                "[a-z:_-]{1,12}",
                "base_model:(finetune:|quantized:|merge:|adapter:)?[a-z]{1,3}/[a-z]{1,3}",
                "license:[a-z0-9.-]{1,8}",
            ],
            0..6,
        )
        .prop_map(|t| json!(t))
        .boxed(),
    }
}

/// A value that some check of either path should catch: wrong type, out of range, a float,
/// an escaped or hostile string, a malformed timestamp, null.
fn arb_odd_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!(null)),
        Just(json!(true)),
        Just(json!([1])),
        Just(json!({"x": 1})),
        Just(json!(12.0)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[a-zA-Z0-9._/:\\\\\"<>\u{e9}\u{202e} -]{0,14}".prop_map(|s| json!(s)),
        Just(json!("2025-13-01T00:00:00.000Z")),
        Just(json!("2025-09-16T11:55:40Z")),
    ]
}

/// A Hub-like item (each field present or not), sometimes with one field made odd.
fn arb_item() -> impl Strategy<Value = serde_json::Value> {
    let fields: Vec<_> = KEYS
        .iter()
        .map(|k| prop::option::weighted(0.9, arb_field(k)).prop_map(move |v| (*k, v)))
        .collect();
    let odd = prop::option::of((0..KEYS.len(), arb_odd_value()));
    (fields, odd).prop_map(|(fields, odd)| {
        let mut map = serde_json::Map::new();
        for (k, v) in fields {
            if let Some(v) = v {
                map.insert(k.to_owned(), v);
            }
        }
        if let Some((i, v)) = odd {
            map.insert(KEYS[i].to_owned(), v);
        }
        serde_json::Value::Object(map)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// The fast path is an optimisation only: on any page it gives the reference path's rows
    /// and quarantine, item for item.
    #[test]
    fn any_page_maps_as_the_reference_path_does(items in prop::collection::vec(arb_item(), 0..6)) {
        let body = page(&items);
        let fast = parse_models_page(date(), &body).unwrap();
        let reference = reference_path(date(), &body).unwrap();
        prop_assert_eq!(fast.batch, reference.batch);
        prop_assert_eq!(fast.quarantined, reference.quarantined);
    }
}
