//! Validates `data/orgs.csv` with the library's own parser and compiles it into a static table,
//! so a broken registry fails the build and `Registry::builtin()` cannot fail at run time.

// The library's modules are shared, not copied; the build script uses only part of them.
#![allow(dead_code, unused_imports)]

#[path = "src/columns.rs"]
mod columns;
#[path = "src/countries.rs"]
mod countries;
#[path = "src/error.rs"]
mod error;
#[path = "src/kind.rs"]
mod kind;
#[path = "src/parse.rs"]
mod parse;
#[path = "src/record.rs"]
mod record;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

const CSV_PATH: &str = "../data/orgs.csv";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in [
        CSV_PATH,
        "src/columns.rs",
        "src/countries.rs",
        "src/error.rs",
        "src/kind.rs",
        "src/parse.rs",
        "src/record.rs",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let text = std::fs::read_to_string(CSV_PATH)?;
    let mut rows = parse::parse_rows(&text, "data/orgs.csv")?;
    let orgs: BTreeSet<&str> = rows.iter().map(|r| r.record.org.as_str()).collect();
    parse::unresolved_parent(
        rows.iter().map(|r| (&r.record, "data/orgs.csv", r.line)),
        &orgs,
    )?;
    rows.sort_by_key(|r| r.record.namespace.to_ascii_lowercase());

    let mut code =
        String::from("/// Every row of `data/orgs.csv`, sorted by lower-cased namespace.\n");
    code.push_str("pub(crate) static BUILTIN_ROWS: &[BuiltinRow] = &[\n");
    for row in &rows {
        let r = &row.record;
        // `{:?}` of a str or Option<&str> is a valid Rust literal with escapes.
        writeln!(
            code,
            "    BuiltinRow {{ namespace: {:?}, org: {:?}, parent: {:?}, country: {:?}, kind: Kind::{:?}, evidence: {:?}, line: {} }},",
            r.namespace,
            r.org,
            r.parent.as_deref(),
            r.country.as_deref(),
            r.kind,
            r.evidence,
            row.line
        )?;
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("builtin_rows.rs");
    std::fs::write(out, code)?;
    Ok(())
}
