#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use super::*;

fn dir_with(root: &Path, name: &str, content: &str) -> PathBuf {
    let d = root.join(name);
    fs::create_dir_all(&d).unwrap();
    fs::write(d.join("f"), content).unwrap();
    d
}

fn content(d: &Path) -> String {
    fs::read_to_string(d.join("f")).unwrap()
}

/// Both strategies: the Linux primitives and the portable fallback.
const STRATEGIES: [bool; 2] = [true, false];

#[test]
fn a_new_destination_is_renamed_into_place() {
    for native in STRATEGIES {
        let t = tempfile::tempdir().unwrap();
        let staged = dir_with(t.path(), "staged", "new");
        let dest = t.path().join("dest");
        publish_with(
            &staged,
            &dest,
            &t.path().join("aside"),
            Existing::Refuse,
            native,
        )
        .unwrap();
        assert_eq!(content(&dest), "new");
        assert!(!staged.exists());
    }
}

#[test]
fn an_existing_destination_is_refused_and_left_alone() {
    for native in STRATEGIES {
        let t = tempfile::tempdir().unwrap();
        let staged = dir_with(t.path(), "staged", "new");
        let dest = dir_with(t.path(), "dest", "old");
        let err = publish_with(
            &staged,
            &dest,
            &t.path().join("aside"),
            Existing::Refuse,
            native,
        )
        .unwrap_err();
        assert!(matches!(err, AtomicError::Exists { .. }), "{err}");
        assert_eq!(err.path(), dest);
        assert_eq!(
            (content(&dest), content(&staged)),
            ("old".into(), "new".into())
        );
    }
}

#[test]
fn an_existing_destination_is_replaced_and_the_old_one_removed() {
    for native in STRATEGIES {
        let t = tempfile::tempdir().unwrap();
        let staged = dir_with(t.path(), "staged", "new");
        let dest = dir_with(t.path(), "dest", "old");
        fs::write(dest.join("only-in-old"), "x").unwrap();
        let aside = t.path().join("aside");
        publish_with(&staged, &dest, &aside, Existing::Replace, native).unwrap();
        assert_eq!(content(&dest), "new");
        assert!(!dest.join("only-in-old").exists(), "not a merge");
        assert!(!staged.exists() && !aside.exists(), "old version removed");
    }
}

#[test]
fn a_failed_second_rename_puts_the_old_directory_back() {
    let t = tempfile::tempdir().unwrap();
    let dest = dir_with(t.path(), "dest", "old");
    let missing = t.path().join("never-staged");
    let aside = t.path().join("aside");
    assert!(publish_with(&missing, &dest, &aside, Existing::Replace, false).is_err());
    assert_eq!(content(&dest), "old");
}

#[test]
fn recover_restores_an_interrupted_fallback_swap() {
    let t = tempfile::tempdir().unwrap();
    let dest = t.path().join("dest");
    let aside = dir_with(t.path(), "x-old", "old");
    assert!(recover(&dest, &aside).unwrap());
    assert_eq!(content(&dest), "old");
    // With both present the aside copy is stale: removed, destination kept.
    let aside = dir_with(t.path(), "x-old", "older");
    assert!(!recover(&dest, &aside).unwrap());
    assert!(!aside.exists());
    assert_eq!(content(&dest), "old");
}

#[test]
fn clean_staging_removes_leftovers_but_keeps_the_current_run_and_others() {
    let t = tempfile::tempdir().unwrap();
    let staging = t.path().join(".staging");
    let keep = dir_with(&staging, "marts-current", "mine");
    dir_with(&staging, "marts-abc", "leftover");
    dir_with(&staging, "report-xyz", "other stage");
    let aside = dir_with(&staging, "marts-def-old", "previous marts");
    let dest = t.path().join("marts");
    let removed = clean_staging(&staging, "marts-", &dest, &[keep.as_path()]).unwrap();
    assert_eq!(removed, 1);
    assert_eq!(
        content(&dest),
        "previous marts",
        "the aside copy is restored"
    );
    assert!(!aside.exists());
    assert!(keep.exists() && staging.join("report-xyz").exists());
    assert_eq!(
        clean_staging(&t.path().join("absent"), "x", &dest, &[]).unwrap(),
        0
    );
}

#[cfg(unix)]
#[test]
fn swap_symlink_repoints_the_link() {
    let t = tempfile::tempdir().unwrap();
    let link = t.path().join("latest");
    let tmp = t.path().join(".latest-tmp");
    swap_symlink(&link, "2026-W01", &tmp).unwrap();
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("2026-W01"));
    swap_symlink(&link, "2026-W02", &tmp).unwrap();
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("2026-W02"));
    assert!(!tmp.exists() && fs::symlink_metadata(&tmp).is_err());
}

#[test]
fn sync_helpers_name_the_missing_path() {
    let t = tempfile::tempdir().unwrap();
    let missing = t.path().join("nope");
    let err = crate::sync_file(&missing).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
    crate::sync_dir(t.path()).unwrap();
    crate::sync_parent(&t.path().join("x")).unwrap();
}
