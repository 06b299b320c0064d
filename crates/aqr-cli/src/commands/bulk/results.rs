//! The results file of a bulk run: one line per input row — line, status, account_id,
//! short_url, qr_image, error — as CSV, or as JSON Lines for a name ending in `.jsonl`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use aqr_ledger::RowResult;
use serde_json::json;

use crate::error::CliError;
use crate::output::untrusted;

/// The columns, in order.
const COLUMNS: [&str; 6] = [
    "line",
    "status",
    "account_id",
    "short_url",
    "qr_image",
    "error",
];

/// `NAME.results.csv` beside `input` (`.jsonl` for a JSON Lines input).
#[must_use]
pub(crate) fn default_path(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map_or_else(|| "aqr".into(), |s| s.to_string_lossy().into_owned());
    let json = input
        .extension()
        .is_some_and(|e| matches!(e.to_str(), Some("jsonl" | "ndjson" | "json")));
    input.with_file_name(format!(
        "{stem}.results.{}",
        if json { "jsonl" } else { "csv" }
    ))
}

/// Writes `results` to `path` (through a temporary file renamed over it, so that a
/// reader never sees half a file); `notes` adds text to a row's error column by line.
///
/// # Errors
/// [`CliError::Io`] naming the file.
pub(crate) fn write(
    path: &Path,
    results: &[RowResult],
    notes: &HashMap<u64, String>,
) -> Result<(), CliError> {
    let json = path
        .extension()
        .is_some_and(|e| matches!(e.to_str(), Some("jsonl" | "ndjson")));
    let bytes = if json {
        json_lines(results, notes)
    } else {
        csv(results, notes)
    }
    .map_err(|e| CliError::io("write the results file", path, e))?;
    let file_name = path
        .file_name()
        .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(&bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(CliError::io("write the results file", path, error));
    }
    Ok(())
}

/// The row's fields, in [`COLUMNS`] order.
fn fields(result: &RowResult, notes: &HashMap<u64, String>) -> [String; 6] {
    let problem = result.problem.as_ref().map(ToString::to_string);
    let error = match (problem, notes.get(&result.line)) {
        (Some(problem), Some(note)) => format!("{problem}; {note}"),
        (Some(problem), None) => problem,
        (None, Some(note)) => note.clone(),
        (None, None) => String::new(),
    };
    [
        result.line.to_string(),
        result.status.as_str().to_owned(),
        result.account_id.clone().unwrap_or_default(),
        result.short_url.clone().unwrap_or_default(),
        result.qr_image.clone().unwrap_or_default(),
        error,
    ]
}

fn csv(results: &[RowResult], notes: &HashMap<u64, String>) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for result in results {
        // A CSV file is read in terminals and spreadsheets: server text is escaped.
        writer.write_record(
            fields(result, notes)
                .iter()
                .map(|f| untrusted(f).into_owned()),
        )?;
    }
    writer.into_inner().map_err(csv::IntoInnerError::into_error)
}

fn json_lines(results: &[RowResult], notes: &HashMap<u64, String>) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    for result in results {
        let [_, status, account_id, short_url, qr_image, error] = fields(result, notes);
        let empty_is_null = |text: String| if text.is_empty() { None } else { Some(text) };
        let value = json!({
            "line": result.line,
            "status": status,
            "account_id": empty_is_null(account_id),
            "short_url": empty_is_null(short_url),
            "qr_image": empty_is_null(qr_image),
            "error": empty_is_null(error),
        });
        serde_json::to_writer(&mut bytes, &value)?;
        bytes.push(b'\n');
    }
    Ok(bytes)
}
