//! `aqr entries`: list what the ledger records, filtered by status, service or import
//! file.

use aqr_ledger::{Entry, EntryFilter, Ledger};

use crate::args::EntriesArgs;
use crate::error::CliError;
use crate::output::{Output, untrusted};

/// Prints the entries.
///
/// # Errors
/// [`CliError::Ledger`] when the ledger cannot be read; [`CliError::Io`] for an import
/// file that does not exist.
pub(super) fn run(args: &EntriesArgs, out: &Output) -> Result<(), CliError> {
    let import_file = args
        .file
        .as_ref()
        .map(|file| {
            std::fs::canonicalize(file)
                .map(|path| path.to_string_lossy().into_owned())
                .map_err(|e| CliError::io("find the import file", file, e))
        })
        .transpose()?;
    let filter = EntryFilter {
        status: args.status,
        base_url: args.service.clone(),
        email: None,
        import_file,
    };
    let ledger = Ledger::open_default(args.ledger.as_deref())?;
    let entries = ledger.entries(&filter)?;
    out.json(&entries);
    if !out.is_json() {
        out.text(&table(&entries));
    }
    Ok(())
}

/// The entries as aligned columns, server text escaped.
fn table(entries: &[Entry]) -> String {
    let header = [
        "ENTRY",
        "STATUS",
        "ACCOUNT_ID",
        "BANK",
        "ACCOUNT",
        "OWNER",
        "NAME",
        "SOURCE",
    ];
    let rows: Vec<[String; 8]> = entries
        .iter()
        .map(|entry| {
            let source = match (&entry.import_file, entry.import_line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                _ => String::new(),
            };
            [
                entry.id.to_string(),
                entry.status.to_string(),
                entry.account_id.clone().unwrap_or_default(),
                entry.bank_id.to_string(),
                entry.account_number.clone(),
                entry.account_owner.clone(),
                entry.account_name.clone().unwrap_or_default(),
                source,
            ]
            .map(|cell| untrusted(&cell).into_owned())
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut lines = vec![line(&header.map(str::to_owned))];
    lines.extend(rows.iter().map(|row| line(row)));
    lines.push(format!("{} entries", entries.len()));
    lines.join("\n")
}
