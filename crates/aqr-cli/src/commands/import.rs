//! `aqr import FILE`: validate every row, then create the entries with bounded
//! concurrency, recording each in the ledger; save QR images; write the results file.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use aqr::CreatedAccount;
use aqr_ledger::import::{self, RowError};
use aqr_ledger::{BulkOptions, ImportRun, Progress, RowResult, RowStatus, Ticket};
use serde_json::json;

use crate::args::{GlobalArgs, ImportArgs};
use crate::client::{self, CliClient};
use crate::commands::bulk::pool::{self, Driven, Work};
use crate::commands::bulk::progress::Reporter;
use crate::commands::bulk::{Verdict, results};
use crate::commands::ledger;
use crate::error::CliError;
use crate::interrupt::{BULK_FIRST_PRESS, Interrupt};
use crate::output::{self, Output, untrusted};

/// Runs the import.
///
/// # Errors
/// A file or validation error (nothing sent), a configuration or ledger error (nothing
/// sent), or [`CliError::Bulk`] when rows are not done.
pub(super) fn run(args: &ImportArgs, global: &GlobalArgs, out: &Output) -> Result<(), CliError> {
    let file = import::read_file(&args.file).map_err(|e| {
        CliError::Usage(format!(
            "cannot import {}: {e}",
            untrusted(&args.file.display().to_string())
        ))
    })?;
    if !file.invalid.is_empty() {
        report_invalid(&file.invalid, out);
        if !args.skip_invalid {
            return Err(CliError::Usage(format!(
                "{} invalid rows: nothing was sent (fix them, or pass --skip-invalid to send \
                 the {} valid rows)",
                file.invalid.len(),
                file.rows.len()
            )));
        }
    }
    let settings = client::settings(global)?;
    let config = settings.config.clone();
    let ledger = ledger::open(&args.ledger)?;
    let origin = std::fs::canonicalize(&args.file)
        .map_err(|e| CliError::io("read the import file", &args.file, e))?;
    let results_file = args
        .bulk
        .out
        .clone()
        .unwrap_or_else(|| results::default_path(&args.file));
    if let Some(dir) = &args.qr_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::io("create the QR directory", dir, e))?;
    }
    let options = BulkOptions {
        resend_unknown: args.resend_unknown,
    };
    let run = ImportRun::start(
        file,
        config.email(),
        config.base_url(),
        Some(&origin.to_string_lossy()),
        options,
        ledger,
    )?;
    let client = CliClient::new(settings, *out)?;
    let interrupt = Interrupt::install(BULK_FIRST_PRESS);
    let jobs = usize::from(args.bulk.jobs);
    let creates = Driven {
        run: &run,
        send: |ticket: &Ticket| client.try_create(ticket.account()),
    };
    let mut reporter = Reporter::new("import", run.progress().total, args.bulk.quiet);
    let interrupted = pool::run(&creates, jobs, &interrupt, &mut reporter);
    let progress = run.progress();
    let ledger_error = run.ledger_error();
    let results = run.into_results();
    let notes = match &args.qr_dir {
        Some(dir) if !interrupted => {
            save_qr_images(&results, dir, &client, jobs, &interrupt, args.bulk.quiet)
        }
        _ => HashMap::new(),
    };
    results::write(&results_file, &results, &notes)?;
    Verdict {
        label: "import",
        results: &results,
        notes: &notes,
        progress,
        interrupted,
        ledger_error,
        results_file: &results_file,
    }
    .report(out)
}

/// Lists the invalid rows on stderr (and as JSON on stdout with `--json`).
fn report_invalid(invalid: &[RowError], out: &Output) {
    out.json(&json!({ "invalid_rows": invalid }));
    if !out.is_json() {
        for error in invalid {
            output::trace(&untrusted(&format!(
                "line {}: {}: {} ({})",
                error.line, error.field, error.message, error.rule
            )));
        }
    }
}

/// Downloads the QR image of every created row not saved yet; returns a note per row
/// whose image could not be saved.
fn save_qr_images(
    results: &[RowResult],
    dir: &Path,
    client: &CliClient,
    jobs: usize,
    interrupt: &Interrupt,
    quiet: bool,
) -> HashMap<u64, String> {
    let wanted: VecDeque<(u64, CreatedAccount, PathBuf)> = results
        .iter()
        .filter_map(|result| {
            let created = result.created()?;
            let path = dir.join(qr_file_name(result.line, &created.account_id));
            (!path.exists()).then_some((result.line, created, path))
        })
        .collect();
    let saves = QrSaves {
        client,
        progress: Mutex::new(Progress::new(wanted.len())),
        queue: Mutex::new(wanted),
        notes: Mutex::new(HashMap::new()),
    };
    let mut reporter = Reporter::new("qr images", saves.progress().total, quiet);
    pool::run(&saves, jobs, interrupt, &mut reporter);
    saves
        .notes
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `LINE-ID.png`, keeping only the id's letters, digits, `-` and `_` (an id comes from
/// the server and must not name another directory).
fn qr_file_name(line: u64, account_id: &str) -> String {
    let safe: String = account_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(64)
        .collect();
    format!("{line}-{safe}.png")
}

struct QrSaves<'a> {
    client: &'a CliClient,
    queue: Mutex<VecDeque<(u64, CreatedAccount, PathBuf)>>,
    progress: Mutex<Progress>,
    notes: Mutex<HashMap<u64, String>>,
}

impl Work for QrSaves<'_> {
    type Ticket = (u64, CreatedAccount, PathBuf);

    fn next(&self) -> Option<Self::Ticket> {
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop_front()
    }

    fn process(&self, (line, created, path): Self::Ticket) {
        let saved = self.client.qr_image(&created.qr_image).and_then(|png| {
            std::fs::write(&path, png).map_err(|e| CliError::io("write the QR image", &path, e))
        });
        let status = match saved {
            Ok(()) => RowStatus::Created,
            Err(error) => {
                self.notes
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(line, format!("QR image not saved: {error}"));
                RowStatus::Failed
            }
        };
        self.progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .add(status);
    }

    fn stop(&self) {
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    fn progress(&self) -> Progress {
        *self
            .progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_file_names_cannot_leave_the_directory() {
        assert_eq!(qr_file_name(3, "abcde"), "3-abcde.png");
        assert_eq!(qr_file_name(4, "../../etc/x\u{1b}"), "4-etcx.png");
    }
}
