//! The one error type of the crate; every message names the file and line and says what to do.

use std::path::PathBuf;

/// Why a registry file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum OrgsError {
    /// A malformed line: wrong field count, missing or unknown column, invalid value.
    #[error("{source_name}, line {line}{}: {message}", column_note(.column))]
    Csv {
        /// The file the text came from.
        source_name: String,
        /// 1-based line number (the header is line 1).
        line: u64,
        /// The column at fault, when one is.
        column: Option<String>,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The registry file could not be read.
    #[error("cannot read organisation registry {}: {source}", path.display())]
    Io {
        /// The file that was being read.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Two rows of one file name the same namespace (case-insensitively, as the Hub does).
    #[error(
        "{source_name}, line {line}, column `namespace`: `{namespace}` already appears on line \
         {first_line} (namespaces are case-insensitive); keep one row"
    )]
    DuplicateNamespace {
        /// The file the rows came from.
        source_name: String,
        /// The line of the second occurrence.
        line: u64,
        /// The line of the first occurrence.
        first_line: u64,
        /// The namespace as written on the second line.
        namespace: String,
    },
    /// A row's parent is not the `org` of any row.
    #[error(
        "{source_name}, line {line}, column `parent`: `{parent}` (parent of `{namespace}`) is not \
         the `org` of any row; add a row for the parent or fix its spelling"
    )]
    UnknownParent {
        /// The file the row came from.
        source_name: String,
        /// The row's line.
        line: u64,
        /// The row's namespace.
        namespace: String,
        /// The parent that does not resolve.
        parent: String,
    },
}

fn column_note(column: &Option<String>) -> String {
    column
        .as_ref()
        .map(|c| format!(", column `{c}`"))
        .unwrap_or_default()
}
