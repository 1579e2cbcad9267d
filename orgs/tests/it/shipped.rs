//! The validation rules of `data/orgs.csv` (issue 5), as tests on the compiled-in file.

use std::collections::{BTreeMap, HashSet};

use hubtrends_orgs::{BUILTIN_CSV, COLUMNS, ISO_3166_ALPHA2, Kind, OrgRecord, Registry};

/// Minimum number of namespaces the shipped registry must cover.
const MIN_ROWS: usize = 600;

fn data_lines() -> Vec<&'static str> {
    BUILTIN_CSV.lines().skip(1).collect()
}

#[test]
fn header_is_exact() {
    assert_eq!(
        BUILTIN_CSV.lines().next(),
        Some("namespace,org,parent,country,kind,evidence")
    );
    assert_eq!(
        COLUMNS.join(","),
        "namespace,org,parent,country,kind,evidence"
    );
}

#[test]
fn builtin_parses_with_the_runtime_parser_and_matches_the_compiled_table() {
    let parsed = Registry::from_csv(BUILTIN_CSV, "data/orgs.csv");
    let parsed = match parsed {
        Ok(r) => r,
        Err(e) => panic!("the shipped registry must parse: {e}"),
    };
    let builtin = Registry::builtin();
    assert_eq!(
        parsed.records().collect::<Vec<_>>(),
        builtin.records().collect::<Vec<_>>()
    );
    assert_eq!(parsed.version(), builtin.version());
}

#[test]
fn file_is_canonical_sorted_and_trimmed() {
    // to_csv sorts case-insensitively, trims and quotes minimally: equality proves all three.
    let canonical = Registry::builtin().to_csv();
    if canonical != BUILTIN_CSV {
        let first_diff = canonical
            .lines()
            .zip(BUILTIN_CSV.lines())
            .find(|(a, b)| a != b);
        panic!("data/orgs.csv is not in canonical order/format; first difference: {first_diff:?}");
    }
    let keys: Vec<String> = data_lines()
        .iter()
        .map(|l| l.split(',').next().unwrap_or_default().to_ascii_lowercase())
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "rows must be sorted by namespace, case-insensitively"
    );
}

#[test]
fn has_enough_rows_and_namespaces_are_unique_case_insensitively() {
    let reg = Registry::builtin();
    assert!(
        reg.len() >= MIN_ROWS,
        "{} rows, want at least {MIN_ROWS}",
        reg.len()
    );
    // Every data line became one row: nothing was merged away as a case-variant duplicate.
    assert_eq!(reg.len(), data_lines().len());
    let lower: HashSet<String> = reg
        .records()
        .map(|r| r.namespace.to_ascii_lowercase())
        .collect();
    assert_eq!(lower.len(), reg.len());
}

#[test]
fn countries_are_iso_codes_and_kinds_and_evidence_are_valid() {
    assert_eq!(ISO_3166_ALPHA2.len(), 249);
    for r in Registry::builtin().records() {
        if let Some(c) = &r.country {
            assert!(
                ISO_3166_ALPHA2.contains(&c.as_str()),
                "{}: country {c}",
                r.namespace
            );
        }
        assert!(Kind::ALL.contains(&r.kind));
        assert!(
            r.evidence.trim().len() >= 8,
            "{}: evidence too short: {:?}",
            r.namespace,
            r.evidence
        );
        assert!(!r.org.trim().is_empty(), "{}", r.namespace);
    }
}

#[test]
fn every_parent_resolves_and_parent_chains_end() {
    let reg = Registry::builtin();
    let orgs: HashSet<&str> = reg.orgs().into_iter().collect();
    for r in reg.records() {
        if let Some(p) = &r.parent {
            assert!(
                orgs.contains(p.as_str()),
                "{}: parent {p} is no row's org",
                r.namespace
            );
            let root = reg.root_org(&r.org);
            let has_parent = reg.records().any(|x| x.org == root && x.parent.is_some());
            assert!(
                !has_parent,
                "{}: parent chain of {} does not end (cycle?)",
                r.namespace, r.org
            );
        }
    }
}

#[test]
fn rows_of_one_org_agree_on_parent_country_and_kind() {
    let reg = Registry::builtin();
    let mut by_org: BTreeMap<&str, Vec<&OrgRecord>> = BTreeMap::new();
    for r in reg.records() {
        by_org.entry(r.org.as_str()).or_default().push(r);
    }
    for (org, rows) in by_org {
        let first = rows[0];
        for r in &rows[1..] {
            assert_eq!(
                (&r.parent, &r.country, r.kind),
                (&first.parent, &first.country, first.kind),
                "org {org}: {} and {} disagree",
                first.namespace,
                r.namespace
            );
        }
    }
}

#[test]
fn issue_aliases_and_parents_are_present() {
    let reg = Registry::builtin();
    let org = |ns: &str| match reg.lookup(ns) {
        Some(r) => r.org.clone(),
        None => panic!("{ns} must have a row"),
    };
    assert_eq!(org("THUDM"), org("zai-org"));
    assert_eq!(org("CohereForAI"), org("CohereLabs"));
    assert_eq!(org("facebook"), org("meta-llama"));
    assert_eq!(org("FacebookAI"), org("meta-llama"));
    assert_eq!(org("google-bert"), org("google"));
    assert_eq!(reg.root_org(&org("Qwen")), org("Alibaba-NLP"));
    assert_eq!(
        reg.lookup("qwen").and_then(|r| r.country.as_deref()),
        Some("CN")
    );
    assert_eq!(
        reg.lookup("mistralai").and_then(|r| r.country.as_deref()),
        Some("FR")
    );
}
