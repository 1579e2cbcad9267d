//! End-to-end tests of the report: synthetic marts in a temp lake, `build`, then the files.
#![allow(clippy::unwrap_used)]

mod fixture;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use hubtrends_report::{CHARTS, ReportConfig, build};

use fixture::{CLIMBER, EVIL, Spec, Written, write_marts};

const SPEC: Spec = Spec {
    weeks: 10,
    extra_days: 2,
    orgs: 30,
};

fn config(lake: &Path, week: Option<&str>) -> ReportConfig {
    ReportConfig {
        lake: lake.to_path_buf(),
        week: week.map(str::to_string),
        tool_version: String::from("0.1.0"),
    }
}

fn lake(spec: Spec) -> (tempfile::TempDir, Written) {
    let dir = tempfile::tempdir().unwrap();
    let written = write_marts(dir.path(), spec);
    (dir, written)
}

/// Every file under `dir`, relative path -> bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn builds_the_whole_report() {
    let (dir, written) = lake(SPEC);
    let t = Instant::now();
    let summary = build(&config(dir.path(), None)).unwrap();
    eprintln!("report build (10 weeks x 30 orgs): {:?}", t.elapsed());
    // Ten complete weeks from 2026-W38, then two days of W48: the default is W47.
    assert_eq!(summary.week, "2026-W47");
    assert!(!summary.partial_week);
    assert_eq!(summary.dir, dir.path().join("reports").join("2026-W47"));
    assert_eq!(summary.charts, CHARTS.len());
    assert_eq!(summary.tables, CHARTS.len());
    let report = files(&summary.dir);
    assert!(report.contains_key("index.html") && report.contains_key("methods.md"));
    assert!(
        report.contains_key("fonts/DejaVuSans.ttf")
            && report.contains_key("fonts/LICENSE-DejaVu.txt")
    );

    for chart in CHARTS {
        let name = chart.name();
        let png = image::load_from_memory(&report[&format!("charts/{name}.png")]).unwrap();
        assert_eq!((png.width(), png.height()), (2400, 1350), "{name}");
        let svg = String::from_utf8(report[&format!("charts/{name}.svg")].clone()).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{name}"
        );
        assert_eq!(
            svg.matches("<text").count(),
            svg.matches("</text>").count(),
            "{name}"
        );
        assert!(
            svg.contains("@font-face") && svg.contains("url('../fonts/DejaVuSans.ttf')"),
            "{name}"
        );
        let title = svg
            .split("<title>")
            .nth(1)
            .and_then(|s| s.split("</title>").next())
            .unwrap();
        assert!(!title.is_empty(), "{name}");
        // The title is also drawn as text (possibly wrapped, so check its first words).
        let first_words: String = title.split(' ').take(2).collect::<Vec<_>>().join(" ");
        assert!(
            svg.matches(&first_words).count() >= 2,
            "{name}: {first_words}"
        );
        assert!(
            svg.contains(
                "Source: Hugging Face Hub API, snapshots 2026-09-14 to 2026-11-22; hubtrends v0.1.0"
            ),
            "{name}"
        );
        assert!(svg.contains("Attribution coverage"), "{name}");
        assert!(!svg.contains(EVIL), "{name}: unescaped org name in SVG");
        let (header, rows) = csv_rows(&summary.dir.join(format!("tables/{name}.csv")));
        assert!(!header.is_empty());
        for (i, col) in header.iter().enumerate() {
            if col.ends_with("_share") || col.starts_with("coverage_") {
                for r in &rows {
                    let v: f64 = r[i].parse().unwrap();
                    assert!((0.0..=1.0).contains(&v), "{name}.{col} = {v}");
                }
            }
            if col == "date" {
                for r in &rows {
                    assert!(
                        chrono::NaiveDate::parse_from_str(&r[i], "%Y-%m-%d").is_ok(),
                        "{name}: {}",
                        r[i]
                    );
                }
            }
        }
        let md = String::from_utf8(report[&format!("tables/{name}.md")].clone()).unwrap();
        assert_eq!(
            md.lines().filter(|l| l.starts_with('|')).count(),
            rows.len() + 2,
            "{name}"
        );
    }

    // Row counts equal the mart rows each table came from.
    let window: usize = written
        .country_weekly
        .iter()
        .filter(|(w, _)| w.as_str() <= "2026-W47")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        csv_rows(&summary.dir.join("tables/trending_by_country.csv"))
            .1
            .len(),
        window
    );
    assert_eq!(
        csv_rows(&summary.dir.join("tables/top_orgs_downloads.csv"))
            .1
            .len(),
        15
    );
    let days_in_window = written
        .dates
        .iter()
        .filter(|d| **d <= chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap())
        .count();
    assert_eq!(
        csv_rows(&summary.dir.join("tables/concentration.csv"))
            .1
            .len(),
        days_in_window * 4
    );
    assert_eq!(
        csv_rows(&summary.dir.join("tables/lineage_credit.csv"))
            .1
            .len(),
        10
    );
    let (header, rows) = csv_rows(&summary.dir.join("tables/movers.csv"));
    assert_eq!(
        header,
        [
            "kind",
            "rank",
            "org",
            "country",
            "previous_rank",
            "rank_change"
        ]
    );
    assert!(rows.iter().any(|r| r[0] == "gain" && r[2] == CLIMBER));
    // Shares per week of the country table add up to 1, unattributed included.
    let (header, rows) = csv_rows(&summary.dir.join("tables/trending_by_country.csv"));
    let share = header.iter().position(|h| h == "trending_share").unwrap();
    let last: f64 = rows
        .iter()
        .filter(|r| r[0] == "2026-W47")
        .map(|r| r[share].parse::<f64>().unwrap())
        .sum();
    assert!((last - 1.0).abs() < 1e-5, "{last}");
    assert!(rows.iter().any(|r| r[1] == "unattributed"));

    // The page: every file linked, nothing fetched from the network, names escaped.
    let html = String::from_utf8(report["index.html"].clone()).unwrap();
    for rel in report.keys().filter(|k| *k != "index.html") {
        assert!(
            html.contains(&format!("href=\"{rel}\"")),
            "index.html does not link {rel}"
        );
    }
    for chart in CHARTS {
        assert!(html.contains(&format!("<img src=\"charts/{}.png\"", chart.name())));
    }
    for attr in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "url('http",
        "@import",
        "<script",
    ] {
        assert!(!html.contains(attr), "index.html has {attr}");
    }
    assert!(!html.contains(EVIL));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(html.matches(" alt=\"").count(), CHARTS.len());
    let md = String::from_utf8(report["tables/top_orgs_downloads.md"].clone()).unwrap();
    assert!(!md.contains(EVIL));

    let latest = dir.path().join("reports").join("latest");
    assert_eq!(
        std::fs::read_link(&latest).unwrap(),
        PathBuf::from("2026-W47")
    );
    assert!(latest.join("index.html").is_file());
    // Staging is left empty.
    let staging: Vec<_> = std::fs::read_dir(dir.path().join(".staging"))
        .unwrap()
        .collect();
    assert!(staging.is_empty(), "{staging:?}");
    // For a human to look at the charts: HUBTRENDS_REPORT_PREVIEW=/some/dir.
    if let Some(out) = std::env::var_os("HUBTRENDS_REPORT_PREVIEW") {
        for (rel, bytes) in &report {
            let path = PathBuf::from(&out).join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
}

#[test]
fn a_second_build_is_byte_identical_and_replaces_the_first() {
    let (dir, _) = lake(SPEC);
    let first = build(&config(dir.path(), None)).unwrap();
    let before = files(&first.dir);
    std::fs::write(first.dir.join("stray.txt"), "old").unwrap();
    let second = build(&config(dir.path(), None)).unwrap();
    let after = files(&second.dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (k, v) in &before {
        assert!(after[k] == *v, "{k} differs between builds");
    }
    let reports: Vec<String> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut reports = reports;
    reports.sort();
    assert_eq!(reports, ["2026-W47", "latest"]);
}

#[test]
fn an_explicit_week_is_reported_and_latest_follows_it() {
    let (dir, _) = lake(SPEC);
    let summary = build(&config(dir.path(), Some("2026-W48"))).unwrap();
    assert_eq!(summary.week, "2026-W48");
    assert!(summary.partial_week);
    let html = std::fs::read_to_string(&summary.index_html).unwrap();
    assert!(
        html.contains("not complete yet"),
        "partial week not said on the page"
    );
    let latest = dir.path().join("reports").join("latest");
    assert_eq!(
        std::fs::read_link(&latest).unwrap(),
        PathBuf::from("2026-W48")
    );
    let older = build(&config(dir.path(), Some("2026-W44"))).unwrap();
    assert!(!older.partial_week);
    let movers = std::fs::read_to_string(older.dir.join("tables/movers.csv")).unwrap();
    assert!(movers.lines().count() > 1);
    assert_eq!(
        std::fs::read_link(&latest).unwrap(),
        PathBuf::from("2026-W44")
    );
    assert!(dir.path().join("reports/2026-W48/index.html").is_file());
}

#[test]
fn bad_weeks_name_the_flag_and_the_available_weeks() {
    let (dir, _) = lake(SPEC);
    let msg = build(&config(dir.path(), Some("2025-W01")))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("--week") && msg.contains("2025-W01"), "{msg}");
    assert!(
        msg.contains("2026-W38") && msg.contains("2026-W48"),
        "{msg}"
    );
    let msg = build(&config(dir.path(), Some("47")))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("--week") && msg.contains("\"47\""), "{msg}");
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn missing_or_broken_marts_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let msg = build(&config(dir.path(), None)).unwrap_err().to_string();
    assert!(
        msg.contains("country_daily") && msg.contains("hubtrends transform"),
        "{msg}"
    );
    let (dir, _) = lake(SPEC);
    std::fs::remove_file(dir.path().join("marts/movers.parquet")).unwrap();
    let msg = build(&config(dir.path(), None)).unwrap_err().to_string();
    assert!(
        msg.contains("movers.parquet") && msg.contains("hubtrends transform"),
        "{msg}"
    );
    assert!(!dir.path().join("reports").exists());
    let staging: Vec<_> = std::fs::read_dir(dir.path().join(".staging"))
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(staging.is_empty());
}

#[test]
fn a_year_of_marts_reports_quickly() {
    let (dir, _) = lake(Spec {
        weeks: 52,
        extra_days: 1,
        orgs: 400,
    });
    let t = Instant::now();
    let summary = build(&config(dir.path(), None)).unwrap();
    let took = t.elapsed();
    eprintln!("report build (52 weeks x 400 orgs): {took:?}");
    assert_eq!(summary.charts, CHARTS.len());
    let (_, rows) = csv_rows(&summary.dir.join("tables/trending_by_country.csv"));
    // Twelve weeks shown, eight countries each.
    assert_eq!(rows.len(), 12 * 8);
}
