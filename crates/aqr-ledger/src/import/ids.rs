//! Files of entry ids to delete: a results file of `aqr import` (CSV or JSON Lines with an
//! `account_id` column), or plain text with one id per line.

use aqr_core::DeleteRequest;
use serde_json::Value;

use super::columns::row_error;
use super::{ImportError, RowError};

/// The ids of a delete file, each with its line, and the lines that are not ids.
#[derive(Clone, Debug, Default)]
pub struct IdFile {
    /// `(line, account_id)` in file order.
    pub ids: Vec<(u64, String)>,
    /// Lines whose id breaks a rule.
    pub invalid: Vec<RowError>,
}

/// The name of the id column in CSV and JSON Lines files.
const ID_COLUMN: &str = "account_id";

/// Reads the ids in `content`: the `account_id` column of a CSV file whose header has
/// one, the `account_id` key of JSON Lines objects, else one id per line (blank lines and
/// lines starting with `#` skipped). Rows without an id (e.g. `failed` rows of a results
/// file) are skipped.
///
/// # Errors
/// [`ImportError::Malformed`] for text that is not UTF-8 or CSV; [`ImportError::Empty`]
/// when there is no id.
pub fn parse_ids(content: &[u8]) -> Result<IdFile, ImportError> {
    let content = super::strip_bom(content);
    let text = std::str::from_utf8(content).map_err(|e| ImportError::Malformed {
        line: 1 + content
            .get(..e.valid_up_to())
            .unwrap_or_default()
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64,
        message: "is not UTF-8 text".to_owned(),
    })?;
    let first = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let mut file = IdFile::default();
    if first.trim_start().starts_with('{') {
        for (index, line) in text.lines().enumerate() {
            json_id(&mut file, index as u64 + 1, line);
        }
    } else if first.split(',').any(|name| name.trim() == ID_COLUMN) {
        csv_ids(&mut file, content)?;
    } else {
        for (index, line) in text.lines().enumerate() {
            let id = line.trim();
            if !id.is_empty() && !id.starts_with('#') {
                push(&mut file, index as u64 + 1, id);
            }
        }
    }
    if file.ids.is_empty() && file.invalid.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(file)
}

fn json_id(file: &mut IdFile, line: u64, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => match object.get(ID_COLUMN) {
            Some(Value::String(id)) if !id.is_empty() => push(file, line, id),
            Some(Value::String(_) | Value::Null) | None => {}
            Some(_) => {
                file.invalid
                    .push(row_error(line, "not_text", "account_id must be a string"));
            }
        },
        _ => file
            .invalid
            .push(row_error(line, "not_an_object", "is not a JSON object")),
    }
}

fn csv_ids(file: &mut IdFile, content: &[u8]) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(content);
    let malformed = |error: csv::Error| ImportError::Malformed {
        line: error.position().map_or(1, csv::Position::line),
        message: error.to_string(),
    };
    let column = reader
        .headers()
        .map_err(malformed)?
        .iter()
        .position(|name| name.trim() == ID_COLUMN)
        .unwrap_or(0);
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(malformed)? {
        let line = record.position().map_or(0, csv::Position::line);
        if let Some(id) = record.get(column).filter(|id| !id.trim().is_empty()) {
            push(file, line, id.trim());
        }
    }
    Ok(())
}

fn push(file: &mut IdFile, line: u64, id: &str) {
    match DeleteRequest::new(id) {
        Ok(valid) => file.ids.push((line, valid.account_id().to_owned())),
        Err(error) => file.invalid.push(RowError {
            line,
            field: ID_COLUMN.to_owned(),
            rule: error.rule().code().to_owned(),
            message: error.rule().to_string(),
        }),
    }
}
