//! Tables as CSV: UTF-8, a header row, ISO dates, shares as fractions.

use std::path::Path;

use crate::error::ReportError;
use crate::table::Table;

/// The table as CSV bytes.
pub(crate) fn to_bytes(table: &Table, path: &Path) -> Result<Vec<u8>, ReportError> {
    let err = |source| ReportError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(&table.columns).map_err(err)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| c.csv())).map_err(err)?;
    }
    w.into_inner().map_err(|e| ReportError::Csv {
        path: path.to_path_buf(),
        source: e.into_error().into(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::table::Cell;

    #[test]
    fn quotes_fields_that_need_it() {
        let t = Table {
            columns: vec!["org", "share"],
            rows: vec![
                vec![Cell::Text("a, \"b\"".into()), Cell::Share(0.5)],
                vec![Cell::Null, Cell::Share(1.0)],
            ],
        };
        let out = String::from_utf8(to_bytes(&t, Path::new("t.csv")).unwrap()).unwrap();
        assert_eq!(out, "org,share\n\"a, \"\"b\"\"\",0.500000\n,1.000000\n");
    }
}
