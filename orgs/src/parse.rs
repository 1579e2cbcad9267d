//! Parsing and validating registry CSV text into rows that remember their line.
//!
//! Shared with `build.rs`, which runs the same checks on `data/orgs.csv` at compile time: a
//! broken shipped registry fails the build instead of the binary.

use std::collections::{BTreeSet, HashMap};

use crate::columns::{
    COL_COUNTRY, COL_EVIDENCE, COL_KIND, COL_NAMESPACE, COL_ORG, COL_PARENT, COLUMNS,
};
use crate::countries::is_country_code;
use crate::error::OrgsError;
use crate::kind::Kind;
use crate::record::OrgRecord;

/// Longest namespace the Hub accepts.
const MAX_NAMESPACE_LEN: usize = 96;

/// A parsed row with the line it came from, for error messages after the fact.
#[derive(Debug, Clone)]
pub(crate) struct ParsedRow {
    /// The validated record.
    pub record: OrgRecord,
    /// 1-based line number in its source.
    pub line: u64,
}

/// Parses `text` (a CSV with the six registry columns, in any order) and validates every field
/// and that no namespace repeats. Parents are not resolved here: an overlay may name a parent
/// that only the built-in registry defines (see [`unresolved_parent`]).
pub(crate) fn parse_rows(text: &str, source: &str) -> Result<Vec<ParsedRow>, OrgsError> {
    // A spreadsheet may save a byte-order mark; it is not part of the first column's name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(source, &e))?.clone();
    let index = column_index(&header, source)?;

    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for result in reader.records() {
        let raw = result.map_err(|e| csv_error(source, &e))?;
        let line = raw.position().map_or(0, |p| p.line());
        let field = |col: usize| raw.get(index[col]).unwrap_or("").trim();
        let record = validate(
            [field(0), field(1), field(2), field(3), field(4), field(5)],
            source,
            line,
        )?;
        let key = record.namespace.to_ascii_lowercase();
        if let Some(&first_line) = seen.get(&key) {
            return Err(OrgsError::DuplicateNamespace {
                source_name: source.to_owned(),
                line,
                first_line,
                namespace: record.namespace,
            });
        }
        seen.insert(key, line);
        rows.push(ParsedRow { record, line });
    }
    Ok(rows)
}

/// The first row (in line order) whose parent is not among `orgs`, as an error.
pub(crate) fn unresolved_parent<'a>(
    rows: impl IntoIterator<Item = (&'a OrgRecord, &'a str, u64)>,
    orgs: &BTreeSet<&str>,
) -> Result<(), OrgsError> {
    for (record, source, line) in rows {
        if let Some(parent) = &record.parent
            && !orgs.contains(parent.as_str())
        {
            return Err(OrgsError::UnknownParent {
                source_name: source.to_owned(),
                line,
                namespace: record.namespace.clone(),
                parent: parent.clone(),
            });
        }
    }
    Ok(())
}

/// Maps each of [`COLUMNS`] to its position in the header; every column must appear once.
fn column_index(header: &csv::StringRecord, source: &str) -> Result<[usize; 6], OrgsError> {
    let header_error = |column: &str, message: String| OrgsError::Csv {
        source_name: source.to_owned(),
        line: 1,
        column: Some(column.to_owned()),
        message,
    };
    let expected = COLUMNS.join(",");
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        if !COLUMNS.contains(&name) {
            return Err(header_error(
                name,
                format!("unknown column in the header (the header must be: {expected})"),
            ));
        }
        if header.iter().take(i).any(|n| n.trim() == name) {
            return Err(header_error(
                name,
                "column appears twice in the header".to_owned(),
            ));
        }
    }
    let mut index = [0; 6];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot = header
            .iter()
            .position(|n| n.trim() == column)
            .ok_or_else(|| {
                header_error(
                    column,
                    format!("missing column (the header must be: {expected})"),
                )
            })?;
    }
    Ok(index)
}

/// Validates one row's fields, given in [`COLUMNS`] order.
fn validate(fields: [&str; 6], source: &str, line: u64) -> Result<OrgRecord, OrgsError> {
    let [namespace, org, parent, country, kind, evidence] = fields;
    let bad = |column: &str, message: String| OrgsError::Csv {
        source_name: source.to_owned(),
        line,
        column: Some(column.to_owned()),
        message,
    };
    if namespace.is_empty() {
        return Err(bad(
            COL_NAMESPACE,
            "empty namespace; write the Hub user or organisation name".into(),
        ));
    }
    if namespace.len() > MAX_NAMESPACE_LEN
        || !namespace
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(bad(
            COL_NAMESPACE,
            format!(
                "`{namespace}` is not a Hub namespace (letters, digits, `-`, `_`, `.`; no `/`: \
                 write `Qwen`, not `Qwen/Qwen3-8B`)"
            ),
        ));
    }
    if org.is_empty() {
        return Err(bad(
            COL_ORG,
            "empty org; write the organisation's name".into(),
        ));
    }
    if parent == org {
        return Err(bad(
            COL_PARENT,
            format!("`{org}` cannot be its own parent; leave it empty"),
        ));
    }
    if !country.is_empty() && !is_country_code(country) {
        let hint = match country.to_ascii_uppercase().as_str() {
            "UK" => "use `GB` for the United Kingdom".to_owned(),
            "EU" => "use the member state's code, e.g. `FR`".to_owned(),
            upper if is_country_code(upper) => format!("write it in upper case: `{upper}`"),
            _ => "use an ISO 3166-1 alpha-2 code such as `US`, `CN`, `FR`, or leave it empty"
                .to_owned(),
        };
        return Err(bad(
            COL_COUNTRY,
            format!("`{country}` is not an ISO 3166-1 alpha-2 code; {hint}"),
        ));
    }
    let kind = kind
        .parse::<Kind>()
        .map_err(|e| bad(COL_KIND, e.to_string()))?;
    if evidence.is_empty() {
        return Err(bad(
            COL_EVIDENCE,
            "empty evidence; name where the facts come from (the organisation's site or Hub page, \
             a company register, a paper's affiliations)"
                .into(),
        ));
    }
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Ok(OrgRecord {
        namespace: namespace.to_owned(),
        org: org.to_owned(),
        parent: optional(parent),
        country: optional(country),
        kind,
        evidence: evidence.to_owned(),
    })
}

/// Turns a `csv` error (wrong field count, bad UTF-8, bad quoting) into one naming the line.
fn csv_error(source: &str, err: &csv::Error) -> OrgsError {
    let line = err.position().map_or(0, |p| p.line());
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "expected {expected_len} fields like the header, found {len} (quote a field that \
             contains a comma: \"like, this\")"
        ),
        csv::ErrorKind::Utf8 { .. } => {
            "the line is not valid UTF-8; save the file as UTF-8".to_owned()
        }
        _ => format!("malformed CSV: {err}"),
    };
    OrgsError::Csv {
        source_name: source.to_owned(),
        line,
        column: None,
        message,
    }
}
