//! A larger synthetic lake, for timing by hand (ignored by default):
//! `HUBTRENDS_SCALE_MODELS=200000 HUBTRENDS_SCALE_DAYS=6 cargo test --release -p hubtrends-transform -- --ignored scale`
//! Set `HUBTRENDS_SCALE_LAKE=/some/dir` to keep the lake for inspection.

use std::time::Instant;

use crate::lake::{M, m, write_day};
use crate::run;
use hubtrends_transform::Filter;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
#[ignore = "timing run; see the module doc"]
fn scale() {
    let (n, days) = (
        env("HUBTRENDS_SCALE_MODELS", 100_000),
        env("HUBTRENDS_SCALE_DAYS", 4),
    );
    let tmp = tempfile::tempdir().unwrap();
    let lake = std::env::var("HUBTRENDS_SCALE_LAKE")
        .map(std::path::PathBuf::from)
        .unwrap_or(tmp.path().to_owned());
    let namespaces = ["meta-llama", "qwen", "facebook", "anon-lab"];
    let ids: Vec<&'static str> = (0..n)
        .map(|i| {
            let ns = if i % 10 < 4 {
                namespaces[i % 4].to_owned()
            } else {
                format!("user{}", i % 9973)
            };
            leak(format!("{ns}/model-{i:08}"))
        })
        .collect();
    let started = Instant::now();
    for d in 0..days {
        let models: Vec<M> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let model = m(
                    id,
                    (i % 1000) as i64 * (d as i64 + 1),
                    Some((i * 10 + d * i) as i64),
                );
                if i % 3 == 1 {
                    model.base("finetune", ids[i - 1])
                } else {
                    model
                }
            })
            .collect();
        let trending: Vec<&str> = ids.iter().step_by((n / 100).max(1)).copied().collect();
        write_day(
            &lake,
            leak(format!("2026-11-{:02}", d + 1)),
            &models,
            &trending,
        );
    }
    eprintln!("lake written in {:?}", started.elapsed());
    let started = Instant::now();
    let summary = run(&lake, Filter::default(), true);
    eprintln!(
        "full transform of {days} days x {n} models: {:?}",
        started.elapsed()
    );
    assert_eq!(summary.days, days);
    let md = summary.marts.iter().find(|m| m.0 == "model_daily").unwrap();
    assert_eq!(md.1, (n * days) as u64);
}
