//! JSON Lines import files: one object per line, keys named like the CSV columns.

use serde_json::Value;

use super::columns::{Values, known_column, row_error};
use super::{ImportError, ImportFile};

pub(super) fn parse(content: &[u8]) -> Result<ImportFile, ImportError> {
    let mut file = ImportFile::default();
    for (index, bytes) in content.split(|b| *b == b'\n').enumerate() {
        let line = index as u64 + 1;
        let text = std::str::from_utf8(bytes).map_err(|_| ImportError::Malformed {
            line,
            message: "is not UTF-8 text (save the file as UTF-8)".to_owned(),
        })?;
        if text.trim().is_empty() {
            continue;
        }
        match values(text, line).and_then(|values| values.validate(line)) {
            Ok(row) => file.rows.push(row),
            Err(error) => file.invalid.push(error),
        }
    }
    Ok(file)
}

fn values(text: &str, line: u64) -> Result<Values, super::RowError> {
    let object = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err(row_error(line, "not_an_object", "is not a JSON object")),
        Err(error) => {
            return Err(row_error(line, "not_json", format!("is not JSON: {error}")));
        }
    };
    let mut values = Values::default();
    for (key, value) in object {
        let column = known_column(line, &key)?;
        let text = match value {
            Value::String(text) => text,
            // Numbers are accepted for the bank id (and, written as digits, for numbers).
            Value::Number(number) => number.to_string(),
            Value::Null => continue,
            _ => {
                return Err(super::RowError {
                    line,
                    field: column.name().to_owned(),
                    rule: "not_text".to_owned(),
                    message: "must be a string (or a number)".to_owned(),
                });
            }
        };
        values.set(column, text);
    }
    Ok(values)
}
