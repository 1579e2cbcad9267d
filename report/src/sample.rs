//! A small hand-made extract with known findings, for the charts' unit tests.

use crate::columns::*;
use crate::data::*;
use crate::week::IsoWeek;

/// The extract: 3 weeks (2026-W45..W47), 20 organisations, hand-picked numbers.
#[allow(clippy::unwrap_used)]
pub(crate) fn sample() -> ReportData {
    let weeks: Vec<IsoWeek> = ["2026-W45", "2026-W46", "2026-W47"]
        .iter()
        .map(|w| IsoWeek::parse(w).unwrap())
        .collect();
    let week = weeks[2];
    let countries = [Some("US"), Some("CN"), Some("FR"), None, Some("JP")];
    let mut country_weeks = Vec::new();
    for w in &weeks {
        for (c, share) in [
            (Some("US"), 0.5),
            (Some("CN"), 0.3),
            (Some("JP"), 0.05),
            (None, 0.15),
        ] {
            country_weeks.push(CountryWeek {
                week: *w,
                country: c.map(str::to_string),
                downloads_30d: share * 1e8,
                downloads_30d_share: share,
                trending_entries: (share * 100.0) as i64,
                trending_share: share,
                coverage_downloads_30d: 0.85,
                coverage_trending: 0.85,
            });
        }
    }
    let mut org_weeks = Vec::new();
    for w in &weeks {
        for i in 0..20i64 {
            org_weeks.push(OrgWeek {
                week: *w,
                org: format!("org-{i:02}"),
                country: countries[i as usize % countries.len()].map(str::to_string),
                attributed: countries[i as usize % countries.len()].is_some(),
                downloads_30d: (20 - i) as f64 * 1e6,
                downloads_30d_share: (20 - i) as f64 / 100.0,
                trending_entries: if i < 12 { 20 - i } else { 0 },
                trending_share: if i < 12 { (20 - i) as f64 / 200.0 } else { 0.0 },
                rank: i + 1,
                rank_change: Some(0),
            });
        }
    }
    let date = week.sunday();
    let lineage = [
        ("base-a", 9_000_000, 27e6),
        ("base-b", 5_000_000, 10e6),
        ("base-c", 1_000_000, 0.5e6),
    ]
    .iter()
    .map(|(org, direct, lineage)| Lineage {
        date,
        org: (*org).to_string(),
        country: Some(String::from("US")),
        direct: *direct,
        lineage: *lineage,
        derivative_models: 12,
    })
    .collect();
    let mut concentration = Vec::new();
    for (k, d) in [week.monday(), week.monday() + chrono::Days::new(3), date]
        .iter()
        .enumerate()
    {
        for (dim, measure, top5) in [
            (DIM_ORG, MEASURE_DOWNLOADS, 0.6),
            (DIM_ORG, MEASURE_TRENDING, 0.4),
            (DIM_COUNTRY, MEASURE_DOWNLOADS, 0.9),
            (DIM_COUNTRY, MEASURE_TRENDING, 0.8),
        ] {
            let drift = 0.01 * (2 - k) as f64;
            concentration.push(Concentration {
                date: *d,
                dimension: dim.to_string(),
                measure: measure.to_string(),
                hhi: top5 / 6.0,
                top1_share: top5 / 3.0,
                top5_share: top5 - drift,
                top10_share: (top5 + 0.1_f64).min(1.0),
                gini: Some(0.8),
            });
        }
    }
    let mover = |org: &str, kind: &str, rank: i64, prev: Option<i64>| Mover {
        org: org.to_string(),
        country: Some(String::from("CN")),
        kind: kind.to_string(),
        rank,
        previous_rank: prev,
        rank_change: prev.map(|p| p - rank),
    };
    ReportData {
        week,
        partial: false,
        available: weeks.clone(),
        window: weeks.clone(),
        first_date: weeks[0].monday(),
        last_date: date,
        tool_version: String::from("0.1.0"),
        registry_version: Some(String::from("2026.11.1")),
        filter: Vec::new(),
        country_weeks,
        org_weeks,
        lineage,
        concentration,
        movers: vec![
            mover("org-03", KIND_GAIN, 4, Some(9)),
            mover("org-07", KIND_GAIN, 8, Some(30)),
            mover("org-18", KIND_NEW_ENTRANT, 18, None),
            mover("org-19", KIND_NEW_ENTRANT, 19, None),
        ],
    }
}
