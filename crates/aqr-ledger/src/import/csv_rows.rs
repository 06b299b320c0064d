//! CSV import files: a header row naming the columns, then one entry per row.

use super::columns::{Column, Values, row_error};
use super::{ImportError, ImportFile};

pub(super) fn parse(content: &[u8]) -> Result<ImportFile, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(content);
    let malformed = |error: csv::Error| ImportError::Malformed {
        line: error.position().map_or(1, csv::Position::line),
        message: match error.kind() {
            csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text (save the file as UTF-8)".to_owned(),
            _ => error.to_string(),
        },
    };
    let columns = header(reader.headers().map_err(malformed)?)?;
    let mut file = ImportFile::default();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(malformed)? {
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() > columns.len() {
            file.invalid.push(row_error(
                line,
                "too_many_fields",
                format!(
                    "has {} fields but the header names {} columns",
                    record.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let mut values = Values::default();
        for (column, value) in columns.iter().zip(record.iter()) {
            values.set(*column, value.to_owned());
        }
        match values.validate(line) {
            Ok(row) => file.rows.push(row),
            Err(error) => file.invalid.push(error),
        }
    }
    Ok(file)
}

/// The columns the header names, in order.
fn header(record: &csv::StringRecord) -> Result<Vec<Column>, ImportError> {
    let mut columns = Vec::with_capacity(record.len());
    for name in record {
        let column = Column::from_header(name).ok_or_else(|| {
            ImportError::Header(format!(
                "names an unknown column `{}`: expected account_number, bank, owner, phone, name",
                aqr_core::escape_controls(name)
            ))
        })?;
        if columns.contains(&column) {
            return Err(ImportError::Header(format!(
                "names the column {} twice",
                column.name()
            )));
        }
        columns.push(column);
    }
    if let Some(missing) = Column::ALL
        .into_iter()
        .find(|c| c.is_required() && !columns.contains(c))
    {
        return Err(ImportError::Header(format!(
            "lacks the required column {}",
            missing.name()
        )));
    }
    Ok(columns)
}
