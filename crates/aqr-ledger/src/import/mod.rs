//! Reading import files — CSV with a header row, or JSON Lines — and validating every row
//! before anything is sent.
//!
//! Columns (CSV header names, JSON keys): `account_number`, `bank`, `owner`, `phone` and
//! the optional `name`; the SDK's names (`bank_id`, `account_owner`, `phone_number`,
//! `account_name`) are accepted too. `bank` takes an id, a KFTC code or a name, as
//! [`aqr_core::Bank::lookup`] does. Every row is checked with the SDK's own rules, so a
//! row that passes here is sent exactly as `aqr create` would send it.

mod columns;
mod csv_rows;
mod ids;
mod json_rows;

use std::path::Path;

use aqr_core::{CreateRequest, NewAccount};
use serde::Serialize;

pub use columns::Column;
pub use ids::{IdFile, parse_ids};

/// A file format the importer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl ImportFormat {
    /// The format a file name says (`.csv`; `.jsonl`, `.ndjson`, `.json`), else the one its
    /// content looks like (a first non-blank `{` means JSON Lines).
    #[must_use]
    pub fn detect(path: &Path, content: &[u8]) -> ImportFormat {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => ImportFormat::Csv,
            Some("jsonl" | "ndjson" | "json") => ImportFormat::JsonLines,
            _ => match strip_bom(content).iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => ImportFormat::JsonLines,
                _ => ImportFormat::Csv,
            },
        }
    }
}

/// One valid row: the fields as given and the validated request that will be sent.
#[derive(Clone, Debug)]
pub struct ImportRow {
    /// The row's line in the file (1-based; the header is line 1 of a CSV file).
    pub line: u64,
    /// The fields as the file gives them (the bank already looked up).
    pub account: NewAccount,
    /// The validated, normalised request.
    pub request: CreateRequest,
}

/// A row that cannot be sent: where, which column, which rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row's line in the file.
    pub line: u64,
    /// The column (`account_number`, `bank`, `owner`, `phone`, `name`), or `row` for a
    /// problem with the row as a whole.
    pub field: String,
    /// A stable code for the rule (`required`, `phone_format`, `unknown_bank`, …).
    pub rule: String,
    /// The rule in words; never the value (it may be personal).
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {} {}", self.line, self.field, self.message)
    }
}

/// What was read: valid rows and invalid rows, each in file order.
#[derive(Clone, Debug, Default)]
pub struct ImportFile {
    /// Rows that passed every rule.
    pub rows: Vec<ImportRow>,
    /// Rows that broke a rule (the first rule each broke).
    pub invalid: Vec<RowError>,
}

/// The file as a whole cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The import file.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The CSV header lacks a required column or names one twice or one not known.
    #[error("the CSV header {0}")]
    Header(String),
    /// A line is not UTF-8 or not CSV.
    #[error("line {line}: {message}")]
    Malformed {
        /// Where.
        line: u64,
        /// What.
        message: String,
    },
    /// The file has no row.
    #[error("the file has no rows")]
    Empty,
}

/// Reads and validates the import file at `path`.
///
/// # Errors
/// [`ImportError`] when the file as a whole cannot be used; invalid rows are not errors
/// but listed in [`ImportFile::invalid`].
pub fn read_file(path: &Path) -> Result<ImportFile, ImportError> {
    let content = std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse(&content, ImportFormat::detect(path, &content))
}

/// Validates the rows of `content` in `format`.
///
/// # Errors
/// As [`read_file`].
pub fn parse(content: &[u8], format: ImportFormat) -> Result<ImportFile, ImportError> {
    let content = strip_bom(content);
    let file = match format {
        ImportFormat::Csv => csv_rows::parse(content)?,
        ImportFormat::JsonLines => json_rows::parse(content)?,
    };
    if file.rows.is_empty() && file.invalid.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(file)
}

/// Validates one row given as `(column, value)` pairs (a Python mapping, a tuple zipped
/// with the column names): what [`read_file`] does for each line of a file, so that rows
/// handed over by a program follow the same rules. `line` is the row's number as the
/// caller counts it.
///
/// # Errors
/// A [`RowError`] for an unknown column or the first rule the row breaks.
pub fn row_from_fields<'a>(
    line: u64,
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<ImportRow, RowError> {
    let mut values = columns::Values::default();
    for (name, value) in fields {
        let column = columns::known_column(line, name)?;
        values.set(column, value.to_owned());
    }
    values.validate(line)
}

fn strip_bom(content: &[u8]) -> &[u8] {
    content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content)
}
