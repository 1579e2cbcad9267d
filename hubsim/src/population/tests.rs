#![allow(clippy::unwrap_used)]

use std::collections::{HashMap, HashSet};

use super::*;
use crate::population::Day;

fn config(models: usize) -> SimConfig {
    SimConfig {
        seed: 7,
        models,
        ..SimConfig::default()
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn same_seed_same_day_is_equal_and_order_does_not_matter() {
    let a = Population::new(config(3_000));
    let b = Population::new(config(3_000));
    let later = date("2026-10-20");
    // b asks for a later day first, forcing its prefix to grow in a different order.
    let b_later = b.day(later);
    let b_start = b.day(date("2026-10-01"));
    let a_start = a.day(date("2026-10-01"));
    let a_later = a.day(later);
    assert_eq!(a_start.len(), 3_000);
    for i in (0..a_start.len()).step_by(37) {
        assert_eq!(a_start.model(i), b_start.model(i));
    }
    assert_eq!(a_later.len(), b_later.len());
    for i in (0..a_later.len()).step_by(41) {
        assert_eq!(a_later.model(i), b_later.model(i));
    }
    // A different seed gives a different Hub.
    let c = Population::new(SimConfig {
        seed: 8,
        ..config(3_000)
    });
    let c_start = c.day(date("2026-10-01"));
    let differing = (0..200)
        .filter(|&i| c_start.model(i).id != a_start.model(i).id)
        .count();
    assert!(differing > 100, "only {differing} ids differ");
}

#[test]
fn days_equals_day_for_every_date() {
    let p = Population::new(config(2_000));
    let from = date("2026-09-25");
    for d in p.days(from, 12) {
        let direct = p.day(d.date());
        assert_eq!(d.len(), direct.len());
        for i in (0..d.len()).step_by(13) {
            assert_eq!(d.model(i), direct.model(i));
        }
    }
}

#[test]
fn ids_are_unique_case_insensitively_and_realistic() {
    let p = Population::new(config(20_000));
    let day = p.day(date("2026-10-10"));
    let mut seen = HashSet::new();
    for i in 0..day.len() {
        let m = day.model(i);
        let (ns, name) = m.id.split_once('/').unwrap();
        assert_eq!(ns, m.author);
        assert!(
            !name.is_empty() && !name.contains('/') && !name.contains(' '),
            "{}",
            m.id
        );
        assert!(
            seen.insert(m.id.to_ascii_lowercase()),
            "duplicate id {}",
            m.id
        );
    }
    let ids: Vec<String> = (0..day.len()).map(|i| day.model(i).id).collect();
    assert!(
        ids.iter().any(|id| id.starts_with("Qwen/Qwen")),
        "no Qwen release"
    );
    assert!(
        ids.iter()
            .any(|id| id.starts_with("bartowski/") && id.ends_with("GGUF"))
    );
    assert!(ids.iter().any(|id| id.starts_with("mradermacher/")));
}

#[test]
fn heavy_tails_like_the_real_hub() {
    let p = Population::new(config(20_000));
    let day = p.day(date("2026-10-01"));
    let mut downloads: Vec<i64> = (0..day.len()).map(|i| day.model(i).downloads_30d).collect();
    downloads.sort_unstable_by(|a, b| b.cmp(a));
    let total: i64 = downloads.iter().sum();
    let top: i64 = downloads[..downloads.len() / 100].iter().sum();
    let share = top as f64 / total as f64;
    let median = downloads[downloads.len() / 2];
    eprintln!("top 1% share of 30-day downloads {share:.3}, median {median}");
    assert!(share > 0.9, "top 1% share {share}");
    assert!(median <= 10, "median {median}");
    let zero_likes = (0..day.len()).filter(|&i| day.model(i).likes == 0).count();
    assert!(
        zero_likes * 2 > day.len(),
        "only {zero_likes} models without likes"
    );
}

#[test]
fn lineage_points_at_earlier_models_or_deleted_ones() {
    let p = Population::new(config(10_000));
    let day = p.day(date("2026-10-01"));
    let models: Vec<SimModel> = (0..day.len()).map(|i| day.model(i)).collect();
    let index: HashMap<&str, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut relations: HashMap<Relation, usize> = HashMap::new();
    let (mut present, mut missing) = (0usize, 0usize);
    let mut children_of_big = 0usize;
    for (i, m) in models.iter().enumerate() {
        for (rel, parent) in &m.base_models {
            *relations.entry(*rel).or_default() += 1;
            let tag = format!("base_model:{}:{parent}", rel.as_str());
            assert!(m.tags.contains(&tag), "{} lacks {tag}", m.id);
            match index.get(parent.as_str()) {
                Some(&j) => {
                    present += 1;
                    assert!(j < i, "{} derives from a later model", m.id);
                    assert!(models[j].created_at <= m.created_at);
                    if crate::words::LABS
                        .iter()
                        .any(|lab| lab.ns == models[j].author)
                    {
                        children_of_big += 1;
                    }
                }
                None => missing += 1,
            }
        }
        if m.base_models.iter().any(|(r, _)| *r == Relation::Merge) {
            assert_eq!(m.base_models.len(), 2, "{}", m.id);
        }
    }
    for rel in [
        Relation::Finetune,
        Relation::Quantized,
        Relation::Adapter,
        Relation::Merge,
    ] {
        assert!(
            relations.get(&rel).copied().unwrap_or(0) > 50,
            "{rel:?}: {relations:?}"
        );
    }
    let missing_share = missing as f64 / (present + missing) as f64;
    assert!(
        missing > 0 && missing_share < 0.05,
        "missing parents {missing_share}"
    );
    assert!(
        children_of_big * 3 > present,
        "big labs own {children_of_big} of {present} links"
    );
}

#[test]
fn days_evolve_new_models_trending_and_counters() {
    let p = Population::new(config(10_000));
    let d0 = p.day(date("2026-10-01"));
    let d1 = p.day(date("2026-10-02"));
    let d30 = p.day(date("2026-10-31"));
    assert_eq!(d1.len(), d0.len() + 50);
    let mut grew = 0;
    let mut resets = 0;
    for i in 0..d0.len() {
        let (a, b) = (d0.model(i), d30.model(i));
        assert_eq!(a.id, b.id);
        assert_eq!(a.created_at, b.created_at);
        assert!(b.last_modified >= a.last_modified);
        if b.downloads_all_time > a.downloads_all_time {
            grew += 1;
        }
        if b.downloads_all_time < a.downloads_all_time {
            resets += 1;
        }
        assert!(b.likes >= a.likes);
    }
    assert!(grew > d0.len() / 10, "only {grew} grew");
    assert!(resets > 0 && resets < 400, "{resets} resets in 30 days");
    let t0: Vec<String> = d0.trending(10).into_iter().map(|m| m.id).collect();
    let t30: Vec<String> = d30.trending(10).into_iter().map(|m| m.id).collect();
    assert_eq!(t0.len(), 10);
    assert_ne!(t0, t30, "trending never moves");
    let scores: Vec<i64> = d30.trending(10).iter().map(|m| m.trending_score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn sorted_is_descending_with_ties_by_index() {
    let p = Population::new(config(3_000));
    let day = p.day(date("2026-10-05"));
    for key in SortKey::ALL {
        let order = day.sorted(key);
        assert_eq!(order.len(), day.len());
        let mut seen = vec![false; day.len()];
        for w in order.windows(2) {
            let (a, b) = (day.key(key, w[0]), day.key(key, w[1]));
            assert!(a > b || (a == b && w[0] < w[1]), "{key:?} out of order");
        }
        for &i in order {
            seen[i as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        let mid = order[order.len() / 2];
        let pos = day.position_after(key, day.key(key, mid), mid);
        assert_eq!(order[pos - 1], mid);
    }
}

#[test]
fn dates_before_the_start_list_fewer_models() {
    let p = Population::new(config(5_000));
    let earlier = p.day(date("2025-10-01"));
    assert!(
        earlier.len() < 5_000 && earlier.len() > 1_000,
        "{}",
        earlier.len()
    );
    let cutoff = chrono::NaiveDate::from_ymd_opt(2025, 10, 2)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    for i in (0..earlier.len()).step_by(50) {
        assert!(earlier.model(i).created_at < cutoff);
    }
}

/// The registry rows of trending authors over `days` days: (entries with a country, entries
/// by a Chinese organisation, all entries) per day.
fn trending_mix(p: &Population, from: NaiveDate, days: usize) -> Vec<(usize, usize, usize)> {
    let registry = Registry::builtin();
    p.days(from, days)
        .map(|day| {
            let top = day.trending(100);
            let country = |m: &SimModel| registry.lookup(&m.author).and_then(|r| r.country.clone());
            let with_country = top.iter().filter(|m| country(m).is_some()).count();
            let chinese = top
                .iter()
                .filter(|m| country(m).as_deref() == Some("CN"))
                .count();
            (with_country, chinese, top.len())
        })
        .collect()
}

/// 30-day downloads per registry organisation on a day, largest first.
fn org_downloads(day: &Day) -> Vec<(String, i64)> {
    let registry = Registry::builtin();
    let mut by_org: HashMap<String, i64> = HashMap::new();
    for i in 0..day.len() {
        let m = day.model(i);
        if let Some(r) = registry.lookup(&m.author) {
            *by_org.entry(r.org.clone()).or_default() += m.downloads_30d;
        }
    }
    let mut orgs: Vec<(String, i64)> = by_org.into_iter().collect();
    orgs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    orgs
}

#[test]
fn trending_is_led_by_registered_labs_and_org_downloads_are_not_tied() {
    for seed in [7, 42] {
        let p = Population::new(SimConfig {
            seed,
            ..config(5_000)
        });
        let mix = trending_mix(&p, date("2026-10-01"), 28);
        let total: usize = mix.iter().map(|m| m.2).sum();
        let with_country: usize = mix.iter().map(|m| m.0).sum();
        let chinese: usize = mix.iter().map(|m| m.1).sum();
        let share = with_country as f64 / total as f64;
        eprintln!(
            "seed {seed}: trending top 100 over 28 days: {share:.3} with a country, {:.3} Chinese",
            chinese as f64 / total as f64
        );
        assert!(
            share >= 0.7,
            "seed {seed}: only {share:.3} of trending entries by registered labs"
        );
        let orgs = org_downloads(&p.day(date("2026-10-28")));
        eprintln!(
            "seed {seed}: top orgs by 30-day downloads: {:?}",
            &orgs[..orgs.len().min(8)]
        );
        assert!(orgs.len() >= 3);
        assert!(
            orgs[0].1 > orgs[1].1 && orgs[1].1 > orgs[2].1,
            "seed {seed}: top orgs tied: {:?}",
            &orgs[..3]
        );
    }
}

#[test]
fn chinese_labs_gain_trending_share_over_the_weeks() {
    let p = Population::new(SimConfig {
        seed: 42,
        ..config(5_000)
    });
    let mix = trending_mix(&p, date("2026-10-01"), 56);
    let share = |part: &[(usize, usize, usize)]| {
        part.iter().map(|m| m.1).sum::<usize>() as f64
            / part.iter().map(|m| m.2).sum::<usize>() as f64
    };
    let (first, last) = (share(&mix[..28]), share(&mix[28..]));
    eprintln!(
        "Chinese share of trending: {first:.3} in the first 4 weeks, {last:.3} in the next 4"
    );
    assert!(last > first, "{first:.3} -> {last:.3}");
}
