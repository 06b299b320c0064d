//! `aqr delete ACCOUNT_ID`, `aqr delete --from FILE`, `aqr delete --all-created`.

use std::collections::HashMap;
use std::path::PathBuf;

use aqr_ledger::import::{IdFile, parse_ids};
use aqr_ledger::{DeleteRun, DeleteTicket, EntryFilter, Status};
use serde_json::json;

use crate::args::{DeleteArgs, GlobalArgs};
use crate::client::{self, CliClient};
use crate::commands::bulk::pool::{self, Driven};
use crate::commands::bulk::progress::Reporter;
use crate::commands::bulk::{Verdict, results};
use crate::commands::ledger;
use crate::error::CliError;
use crate::interrupt::{BULK_FIRST_PRESS, CALL_FIRST_PRESS, Interrupt};
use crate::output::{Output, untrusted};

/// Deletes the entry (or the entries) and records it in the ledger.
///
/// # Errors
/// Configuration, validation, API, response or transport errors; for a bulk delete,
/// [`CliError::Bulk`] when rows are not deleted.
pub(super) fn run(args: &DeleteArgs, global: &GlobalArgs, out: &Output) -> Result<(), CliError> {
    let Some(account_id) = &args.account_id else {
        return run_bulk(args, global, out);
    };
    let settings = client::settings(global)?;
    let ledger = ledger::open(&args.ledger)?;
    let base_url = settings.config.base_url().to_owned();
    let client = CliClient::new(settings, *out)?;
    let interrupt = Interrupt::install(CALL_FIRST_PRESS);
    let (outcome, stopped) = client.stoppable(&interrupt, |client| client.try_delete(account_id));
    outcome.map_err(|e| CliError::call("delete", e, stopped))?;
    if let Some(ledger) = ledger {
        ledger
            .mark_deleted(&base_url, account_id)
            .map_err(|error| CliError::Partial {
                done: format!("entry {} was deleted", untrusted(account_id)),
                error: Box::new(error.into()),
            })?;
    }
    out.json(&json!({ "deleted": true, "account_id": account_id }));
    out.text(&format!("deleted entry {}", untrusted(account_id)));
    Ok(())
}

fn run_bulk(args: &DeleteArgs, global: &GlobalArgs, out: &Output) -> Result<(), CliError> {
    let settings = client::settings(global)?;
    let config = settings.config.clone();
    let ledger = ledger::open(&args.ledger)?;
    let (ids, default_out) = match &args.from {
        Some(path) => {
            let content =
                std::fs::read(path).map_err(|e| CliError::io("read the id file", path, e))?;
            let ids = parse_ids(&content).map_err(|e| {
                CliError::Usage(format!(
                    "cannot read ids from {}: {e}",
                    untrusted(&path.display().to_string())
                ))
            })?;
            (ids, results::default_path(path))
        }
        None => {
            let Some(ledger) = &ledger else {
                return Err(CliError::Usage(
                    "--all-created needs the ledger: drop --no-ledger".to_owned(),
                ));
            };
            let filter = EntryFilter {
                status: Some(Status::Created),
                base_url: Some(config.base_url().to_owned()),
                email: Some(config.email().to_owned()),
                import_file: None,
            };
            let ids = ledger
                .entries(&filter)?
                .into_iter()
                .filter_map(|entry| entry.account_id)
                .enumerate()
                .map(|(index, id)| (index as u64 + 1, id))
                .collect();
            let file = IdFile {
                ids,
                invalid: Vec::new(),
            };
            (file, PathBuf::from("aqr-delete.results.csv"))
        }
    };
    let results_file = args.bulk.out.clone().unwrap_or(default_out);
    let run = DeleteRun::new(ids, config.base_url(), ledger);
    let client = CliClient::new(settings, *out)?;
    let interrupt = Interrupt::install(BULK_FIRST_PRESS);
    let deletes = Driven {
        run: &run,
        send: |ticket: &DeleteTicket| client.try_delete(ticket.account_id()),
    };
    let mut reporter = Reporter::new("delete", run.progress().total, args.bulk.quiet);
    let interrupted = pool::run(
        &deletes,
        usize::from(args.bulk.jobs),
        &interrupt,
        &mut reporter,
    );
    let progress = run.progress();
    let ledger_error = run.ledger_error();
    let results = run.into_results();
    let notes = HashMap::new();
    results::write(&results_file, &results, &notes)?;
    Verdict {
        label: "delete",
        results: &results,
        notes: &notes,
        progress,
        interrupted,
        ledger_error,
        results_file: &results_file,
    }
    .report(out)
}
