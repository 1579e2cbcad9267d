//! Unit tests of [`Registry`]: parsing, lookups, overlays and the errors of malformed files.
#![allow(clippy::unwrap_used)]

use std::io::Write as _;

use super::*;
use crate::kind::Kind;

const HEADER: &str = "namespace,org,parent,country,kind,evidence\n";

fn csv(rows: &str) -> String {
    format!("{HEADER}{rows}")
}

fn base() -> Registry {
    Registry::from_csv(
        &csv("Alibaba-NLP,Alibaba,,CN,company,hf.co/Alibaba-NLP\n\
              Qwen,Qwen,Alibaba,CN,company,\"hf.co/Qwen; Alibaba Cloud, Hangzhou\"\n\
              bartowski,bartowski,,,individual,hf.co/bartowski\n"),
        "base.csv",
    )
    .unwrap()
}

/// Asserts `err` is a `Csv` error at `line` and `column` whose message contains `needle`.
fn assert_csv_error(err: OrgsError, line: u64, column: Option<&str>, needle: &str) {
    let text = err.to_string();
    match err {
        OrgsError::Csv {
            source_name,
            line: l,
            column: c,
            message,
        } => {
            assert_eq!(source_name, "extra.csv");
            assert_eq!(l, line, "{text}");
            assert_eq!(c.as_deref(), column, "{text}");
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
            assert!(
                text.starts_with(&format!("extra.csv, line {line}")),
                "{text}"
            );
        }
        other => panic!("expected a Csv error, got {other:?}"),
    }
}

#[test]
fn parses_fields_into_records() {
    let reg = base();
    assert_eq!(reg.len(), 3);
    let qwen = reg.lookup("Qwen").unwrap();
    assert_eq!(qwen.org, "Qwen");
    assert_eq!(qwen.parent.as_deref(), Some("Alibaba"));
    assert_eq!(qwen.country.as_deref(), Some("CN"));
    assert_eq!(qwen.kind, Kind::Company);
    assert_eq!(qwen.evidence, "hf.co/Qwen; Alibaba Cloud, Hangzhou");
    let bart = reg.lookup("bartowski").unwrap();
    assert_eq!(
        (
            bart.parent.as_deref(),
            bart.country.as_deref(),
            bart.region()
        ),
        (None, None, None)
    );
}

#[test]
fn lookup_ignores_case_as_the_hub_does() {
    let reg = base();
    for name in ["qwen", "QWEN", "Qwen", "alibaba-nlp", "BARTOWSKI"] {
        assert!(reg.lookup(name).is_some(), "{name}");
    }
    assert!(reg.lookup("Qwen2").is_none());
    assert!(reg.lookup("").is_none());
}

#[test]
fn records_are_sorted_case_insensitively() {
    let names: Vec<_> = base().records().map(|r| r.namespace.clone()).collect();
    assert_eq!(names, ["Alibaba-NLP", "bartowski", "Qwen"]);
}

#[test]
fn columns_may_come_in_any_order_and_fields_are_trimmed() {
    let text = "kind,namespace,evidence,org,country,parent\ncompany, Foo ,src,Foo Inc, US ,\n";
    let reg = Registry::from_csv(text, "x.csv").unwrap();
    let foo = reg.lookup("foo").unwrap();
    assert_eq!(
        (
            foo.namespace.as_str(),
            foo.org.as_str(),
            foo.country.as_deref()
        ),
        ("Foo", "Foo Inc", Some("US"))
    );
}

#[test]
fn to_csv_round_trips_and_quotes_only_where_needed() {
    let reg = base();
    let text = reg.to_csv();
    assert!(text.starts_with(HEADER));
    assert!(
        text.contains("Qwen,Qwen,Alibaba,CN,company,\"hf.co/Qwen; Alibaba Cloud, Hangzhou\"\n")
    );
    assert!(text.contains("bartowski,bartowski,,,individual,hf.co/bartowski\n"));
    let again = Registry::from_csv(&text, "again.csv").unwrap();
    assert_eq!(
        again.records().collect::<Vec<_>>(),
        reg.records().collect::<Vec<_>>()
    );
    assert_eq!(again.to_csv(), text);
}

#[test]
fn version_is_stable_and_changes_with_content() {
    let a = base().version();
    assert_eq!(a, base().version());
    assert!(a.starts_with("orgs-3-"), "{a}");
    assert_eq!(a.len(), "orgs-3-".len() + 12);
    let mut changed = base();
    changed.overlay(
        Registry::from_csv(
            &csv("bartowski,bartowski,,CA,individual,hf.co/bartowski\n"),
            "o",
        )
        .unwrap(),
    );
    assert_ne!(changed.version(), a);
}

#[test]
fn overlay_adds_and_overrides_case_insensitively() {
    let mut reg = base();
    let other = Registry::from_csv(
        &csv("QWEN,Qwen Team,,SG,company,my note\nnewcomer,New Co,,FR,company,its site\n"),
        "extra.csv",
    )
    .unwrap();
    reg.overlay(other);
    assert_eq!(reg.len(), 4);
    let qwen = reg.lookup("qwen").unwrap();
    assert_eq!(
        (
            qwen.namespace.as_str(),
            qwen.org.as_str(),
            qwen.country.as_deref()
        ),
        ("QWEN", "Qwen Team", Some("SG"))
    );
    assert_eq!(
        reg.lookup("newcomer").unwrap().country.as_deref(),
        Some("FR")
    );
}

#[test]
fn load_overlay_reads_a_file_and_may_use_base_parents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("extra.csv");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(csv("Wan-AI,Wan,Alibaba,CN,company,hf.co/Wan-AI\n").as_bytes())
        .unwrap();
    let mut reg = base();
    assert_eq!(reg.load_overlay(&path).unwrap(), 1);
    assert_eq!(
        reg.lookup("wan-ai").unwrap().parent.as_deref(),
        Some("Alibaba")
    );
    assert_eq!(reg.root_org("Wan"), "Alibaba");
    assert_eq!(reg.root_org("Alibaba"), "Alibaba");
}

#[test]
fn load_overlay_with_unknown_parent_fails_and_leaves_registry_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("extra.csv");
    std::fs::write(&path, csv("a,A,,US,company,x\nb,B,Nowhere,US,company,x\n")).unwrap();
    let mut reg = base();
    let before = reg.version();
    let err = reg.load_overlay(&path).unwrap_err();
    match &err {
        OrgsError::UnknownParent {
            line,
            parent,
            namespace,
            ..
        } => {
            assert_eq!(
                (*line, parent.as_str(), namespace.as_str()),
                (3, "Nowhere", "b")
            );
        }
        other => panic!("expected UnknownParent, got {other:?}"),
    }
    assert!(err.to_string().contains("line 3, column `parent`"), "{err}");
    assert_eq!(reg.version(), before);
}

#[test]
fn load_overlay_of_a_missing_file_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.csv");
    let err = base().load_overlay(&path).unwrap_err();
    assert!(matches!(&err, OrgsError::Io { path: p, .. } if *p == path));
    assert!(err.to_string().contains("absent.csv"), "{err}");
}

#[test]
fn bad_country_code_names_line_and_column() {
    let err = Registry::from_csv(&csv("a,A,,US,company,x\nb,B,,UK,company,x\n"), "extra.csv")
        .unwrap_err();
    assert_csv_error(err, 3, Some("country"), "use `GB`");
    let err = Registry::from_csv(&csv("b,B,,fr,company,x\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, Some("country"), "upper case: `FR`");
    let err = Registry::from_csv(&csv("b,B,,XY,company,x\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, Some("country"), "ISO 3166-1 alpha-2");
}

#[test]
fn unknown_kind_names_line_and_column() {
    let err = Registry::from_csv(&csv("a,A,,US,lab,x\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, Some("kind"), "unknown kind `lab`");
}

#[test]
fn missing_or_unknown_column_is_reported_on_the_header_line() {
    let err = Registry::from_csv(
        "namespace,org,parent,country,kind\na,A,,US,company\n",
        "extra.csv",
    )
    .unwrap_err();
    assert_csv_error(err, 1, Some("evidence"), "missing column");
    let err = Registry::from_csv(
        "namespace,org,parent,country,kind,evidence,notes\n",
        "extra.csv",
    )
    .unwrap_err();
    assert_csv_error(err, 1, Some("notes"), "unknown column");
}

#[test]
fn wrong_column_count_names_the_line() {
    let err =
        Registry::from_csv(&csv("a,A,,US,company,x\nb,B,US,company,x\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 3, None, "expected 6 fields");
    let err = Registry::from_csv(&csv("a,A,,US,company,x, and more\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, None, "found 7");
}

#[test]
fn empty_evidence_namespace_or_org_is_rejected() {
    let err = Registry::from_csv(&csv("a,A,,US,company, \n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, Some("evidence"), "empty evidence");
    let err = Registry::from_csv(&csv(",A,,US,company,x\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, Some("namespace"), "empty namespace");
    let err = Registry::from_csv(&csv("Qwen/Qwen3-8B,A,,US,company,x\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, Some("namespace"), "not a Hub namespace");
    let err = Registry::from_csv(&csv("a,,,US,company,x\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, Some("org"), "empty org");
}

#[test]
fn duplicate_namespace_is_case_insensitive() {
    let err = Registry::from_csv(
        &csv("Qwen,Q,,CN,company,x\nb,B,,US,company,x\nqwen,Q,,CN,company,x\n"),
        "extra.csv",
    )
    .unwrap_err();
    match err {
        OrgsError::DuplicateNamespace {
            line,
            first_line,
            namespace,
            ..
        } => {
            assert_eq!((line, first_line, namespace.as_str()), (4, 2, "qwen"));
        }
        other => panic!("expected DuplicateNamespace, got {other:?}"),
    }
}

#[test]
fn from_csv_requires_parents_within_the_text() {
    let err =
        Registry::from_csv(&csv("Qwen,Qwen,Alibaba,CN,company,x\n"), "extra.csv").unwrap_err();
    assert!(
        matches!(err, OrgsError::UnknownParent { line: 2, .. }),
        "{err:?}"
    );
    let err = Registry::from_csv(&csv("a,A,A,US,company,x\n"), "extra.csv").unwrap_err();
    assert_csv_error(err, 2, Some("parent"), "its own parent");
}

#[test]
fn byte_order_mark_and_quoted_newlines_are_handled() {
    let text = format!("\u{feff}{HEADER}a,A,,US,company,\"two\nlines\"\nb,B,,US,company,x\n");
    let reg = Registry::from_csv(&text, "bom.csv").unwrap();
    assert_eq!(reg.lookup("a").unwrap().evidence, "two\nlines");
    // The line of a later error still counts the embedded line break.
    let text = format!("{HEADER}a,A,,US,company,\"two\nlines\"\nb,B,,US,bogus,x\n");
    let err = Registry::from_csv(&text, "extra.csv").unwrap_err();
    assert_csv_error(err, 4, Some("kind"), "bogus");
}

#[test]
fn debug_is_a_summary() {
    let text = format!("{:?}", base());
    assert!(
        text.contains("rows: 3") && text.contains("orgs-3-"),
        "{text}"
    );
    assert!(!text.contains("bartowski"));
}
