//! Reading the marts with Polars: one lazy scan per mart, the filter pushed down, then typed
//! column vectors for the charts. Also the marts manifest.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;

use crate::columns::{MANIFEST, MARTS_DIR};
use crate::error::ReportError;

/// Days from 0001-01-01 (chrono's CE day 1) to 1970-01-01, Arrow's Date32 epoch.
const UNIX_EPOCH_CE_DAYS: i32 = 719_163;

/// The type family a column must have; integer widths and float widths are not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Str,
    Int,
    Num,
    Bool,
    Date,
}

impl Kind {
    fn accepts(self, dtype: &DataType) -> bool {
        match self {
            Kind::Str => matches!(dtype, DataType::String),
            Kind::Int => dtype.is_integer(),
            Kind::Num => dtype.is_integer() || dtype.is_float(),
            Kind::Bool => matches!(dtype, DataType::Boolean),
            Kind::Date => matches!(dtype, DataType::Date),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Str => "Utf8",
            Kind::Int => "an integer",
            Kind::Num => "a number",
            Kind::Bool => "Boolean",
            Kind::Date => "Date32",
        }
    }
}

/// A date as the Int32 day number Polars stores, for pushed-down filters.
pub(crate) fn day_number(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date) - UNIX_EPOCH_CE_DAYS
}

fn from_day_number(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(UNIX_EPOCH_CE_DAYS)?)
}

/// One mart's Parquet file, scanned lazily with its schema checked.
pub(crate) struct Mart {
    pub name: &'static str,
    pub path: PathBuf,
    frame: LazyFrame,
}

impl Mart {
    /// Opens `{lake}/marts/<name>.parquet` and checks that `columns` exist with the right types.
    pub fn open(
        lake: &Path,
        name: &'static str,
        columns: &[(&'static str, Kind)],
    ) -> Result<Self, ReportError> {
        let path = lake.join(MARTS_DIR).join(format!("{name}.parquet"));
        if !path.is_file() {
            return Err(ReportError::MartMissing { mart: name, path });
        }
        let read_err = |source| ReportError::MartRead {
            mart: name,
            path: path.clone(),
            source,
        };
        let pl_path = PlRefPath::try_from_path(&path).map_err(read_err)?;
        let mut frame =
            LazyFrame::scan_parquet(pl_path, ScanArgsParquet::default()).map_err(read_err)?;
        let schema = frame.collect_schema().map_err(read_err)?;
        for &(column, kind) in columns {
            match schema.get(column) {
                Some(dtype) if kind.accepts(dtype) => {}
                found => {
                    return Err(ReportError::MartSchema {
                        mart: name,
                        path,
                        column,
                        expected: kind.name().to_string(),
                        found: found.map_or_else(|| String::from("missing"), ToString::to_string),
                    });
                }
            }
        }
        let frame = frame.select(columns.iter().map(|(c, _)| col(*c)).collect::<Vec<_>>());
        Ok(Self { name, path, frame })
    }

    /// Runs the scan with `predicate` (if any) pushed down.
    pub fn collect(&self, predicate: Option<Expr>) -> Result<Frame, ReportError> {
        let frame = match predicate {
            Some(p) => self.frame.clone().filter(p),
            None => self.frame.clone(),
        };
        let df = frame.collect().map_err(|source| ReportError::MartRead {
            mart: self.name,
            path: self.path.clone(),
            source,
        })?;
        Ok(Frame {
            name: self.name,
            path: self.path.clone(),
            df,
        })
    }
}

/// A collected mart extract with typed column accessors.
pub(crate) struct Frame {
    name: &'static str,
    path: PathBuf,
    df: DataFrame,
}

impl Frame {
    fn err(&self, source: PolarsError) -> ReportError {
        ReportError::MartRead {
            mart: self.name,
            path: self.path.clone(),
            source,
        }
    }

    fn cast(&self, column: &str, dtype: &DataType) -> Result<Column, ReportError> {
        let c = self.df.column(column).map_err(|e| self.err(e))?;
        c.cast(dtype).map_err(|e| self.err(e))
    }

    /// Rows in the extract.
    pub fn len(&self) -> usize {
        self.df.height()
    }

    /// True when the extract has no rows.
    pub fn is_empty(&self) -> bool {
        self.df.height() == 0
    }

    /// A string column.
    pub fn strs(&self, column: &str) -> Result<Vec<Option<String>>, ReportError> {
        let c = self.df.column(column).map_err(|e| self.err(e))?;
        let ca = c.str().map_err(|e| self.err(e))?;
        Ok(ca.iter().map(|v| v.map(str::to_string)).collect())
    }

    /// An integer column, widened to i64.
    pub fn ints(&self, column: &str) -> Result<Vec<Option<i64>>, ReportError> {
        let c = self.cast(column, &DataType::Int64)?;
        let ca = c.i64().map_err(|e| self.err(e))?;
        Ok(ca.iter().collect())
    }

    /// A numeric column as f64.
    pub fn nums(&self, column: &str) -> Result<Vec<Option<f64>>, ReportError> {
        let c = self.cast(column, &DataType::Float64)?;
        let ca = c.f64().map_err(|e| self.err(e))?;
        Ok(ca.iter().collect())
    }

    /// A Boolean column.
    pub fn bools(&self, column: &str) -> Result<Vec<Option<bool>>, ReportError> {
        let c = self.df.column(column).map_err(|e| self.err(e))?;
        let ca = c.bool().map_err(|e| self.err(e))?;
        Ok(ca.iter().collect())
    }

    /// A Date column.
    pub fn dates(&self, column: &str) -> Result<Vec<Option<NaiveDate>>, ReportError> {
        let c = self.cast(column, &DataType::Int32)?;
        let ca = c.i32().map_err(|e| self.err(e))?;
        Ok(ca.iter().map(|v| v.and_then(from_day_number)).collect())
    }
}

/// What the report needs from `{lake}/marts/_manifest.json`; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    /// The organisation registry's version the marts were attributed with.
    pub registry_version: Option<String>,
    /// The snapshot filter (`pipeline`, `library`), in key order.
    pub filter: Vec<(String, String)>,
}

/// Reads the marts manifest; a missing file gives an empty manifest.
pub(crate) fn read_manifest(lake: &Path) -> Result<Manifest, ReportError> {
    let path = lake.join(MARTS_DIR).join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
        Err(e) => return Err(ReportError::io("read", path, e)),
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| ReportError::Manifest { path, source })?;
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    };
    let registry_version = value.get("registry_version").and_then(scalar);
    let mut filter: Vec<(String, String)> = value
        .get("filter")
        .and_then(serde_json::Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| scalar(v).map(|v| (k.clone(), v)))
                .collect()
        })
        .unwrap_or_default();
    filter.sort();
    Ok(Manifest {
        registry_version,
        filter,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_from_the_unix_epoch() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(day_number(epoch), 0);
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(from_day_number(day_number(d)), Some(d));
    }

    #[test]
    fn manifest_is_optional_and_tolerant() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_manifest(dir.path()).unwrap(), Manifest::default());
        std::fs::create_dir_all(dir.path().join(MARTS_DIR)).unwrap();
        let path = dir.path().join(MARTS_DIR).join(MANIFEST);
        std::fs::write(&path, r#"{"registry_version": "2026.11.1", "filter": {"pipeline": "text-generation", "library": null}}"#).unwrap();
        let m = read_manifest(dir.path()).unwrap();
        assert_eq!(m.registry_version.as_deref(), Some("2026.11.1"));
        assert_eq!(
            m.filter,
            vec![("pipeline".to_string(), "text-generation".to_string())]
        );
        std::fs::write(&path, "{not json").unwrap();
        let msg = read_manifest(dir.path()).unwrap_err().to_string();
        assert!(msg.contains("_manifest.json"), "{msg}");
    }
}
