//! `create_many` on both clients: the rows are validated by aqr-ledger's rules, the run is
//! aqr-ledger's [`ImportRun`] (planning, ledger records, resume), and only the sending is
//! done here — by worker threads for `aqr.Client`, by tokio tasks for `aqr.AsyncClient`.

use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};

use aqr_ledger::import::{ImportFile, row_from_fields};
use aqr_ledger::{BulkOptions, ImportRun, Problem, RowResult, RowStatus};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyMapping, PyString};

use crate::account::CreatedAccount;
use crate::errors::{invalid_argument, plain_error, to_py_err};
use crate::interrupt::POLL;

/// The fields of a row given as a tuple, in order.
const TUPLE_FIELDS: [&str; 5] = [
    "account_number",
    "bank",
    "account_owner",
    "phone_number",
    "account_name",
];

/// The most concurrent calls.
const MAX_CONCURRENCY: usize = 256;

/// Concurrent calls when `concurrency` is not given.
const DEFAULT_CONCURRENCY: usize = 8;

/// Reads the rows (mappings with `create`'s keyword names, or tuples in their order) and
/// validates each by the ledger's rules; the line of a row is its 1-based index.
///
/// # Errors
/// `TypeError` for a row that is neither a mapping nor a sequence, or a value that is
/// not a str, an int or an `aqr.Bank`.
pub fn read_rows(rows: &Bound<'_, PyAny>) -> PyResult<ImportFile> {
    let mut file = ImportFile::default();
    for (index, row) in rows.try_iter()?.enumerate() {
        let row = row?;
        let line = u64::try_from(index).unwrap_or(u64::MAX).saturating_add(1);
        let fields = row_fields(&row, line)?;
        let pairs = fields.iter().map(|(k, v)| (*k, v.as_str()));
        match row_from_fields(line, pairs) {
            Ok(valid) => file.rows.push(valid),
            Err(invalid) => file.invalid.push(invalid),
        }
    }
    Ok(file)
}

/// One row's `(column, value)` pairs, `None` values left out.
fn row_fields(row: &Bound<'_, PyAny>, line: u64) -> PyResult<Vec<(&'static str, String)>> {
    let mut fields = Vec::new();
    if let Ok(mapping) = row.cast::<PyMapping>() {
        for item in mapping.items()?.iter() {
            let (key, value): (Bound<'_, PyString>, Bound<'_, PyAny>) = item.extract()?;
            let key = key.to_str()?;
            let Some(name) = TUPLE_FIELDS.iter().copied().find(|n| *n == key) else {
                return Err(PyTypeError::new_err(format!(
                    "row {line}: unexpected key '{key}' (expected {})",
                    TUPLE_FIELDS.join(", ")
                )));
            };
            if let Some(value) = cell(&value, name, line)? {
                fields.push((column(name), value));
            }
        }
    } else if row.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "row {line} must be a mapping or a tuple, not str"
        )));
    } else {
        let values: Vec<Bound<'_, PyAny>> = row.try_iter()?.collect::<PyResult<_>>()?;
        if values.len() < 4 || values.len() > TUPLE_FIELDS.len() {
            return Err(PyValueError::new_err(format!(
                "row {line} has {} values: expected (account_number, bank, account_owner, \
                 phone_number[, account_name])",
                values.len()
            )));
        }
        for (name, value) in TUPLE_FIELDS.iter().zip(&values) {
            if let Some(value) = cell(value, name, line)? {
                fields.push((column(name), value));
            }
        }
    }
    Ok(fields)
}

/// The ledger's column for a keyword of `create`.
fn column(name: &str) -> &'static str {
    match name {
        "account_number" => "account_number",
        "bank" => "bank",
        "account_owner" => "owner",
        "phone_number" => "phone",
        _ => "name",
    }
}

/// A value as text: a str, or an int (an `aqr.Bank` is one) as its decimal id.
fn cell(value: &Bound<'_, PyAny>, name: &str, line: u64) -> PyResult<Option<String>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Some(text.to_str()?.to_owned()));
    }
    if name == "bank"
        && let Ok(id) = value.extract::<i64>()
    {
        return Ok(Some(id.to_string()));
    }
    let type_name = value.get_type().name()?;
    Err(PyTypeError::new_err(format!(
        "row {line}: {name} must be a str, not {type_name}"
    )))
}

/// The `concurrency=` argument (`None`: the default, 8).
///
/// # Errors
/// `InvalidRequestError` outside 1–256.
pub fn concurrency(py: Python<'_>, value: Option<usize>) -> PyResult<usize> {
    let value = value.unwrap_or(DEFAULT_CONCURRENCY);
    if (1..=MAX_CONCURRENCY).contains(&value) {
        Ok(value)
    } else {
        Err(invalid_argument(
            py,
            "concurrency",
            "out_of_range",
            &format!("invalid concurrency: must be from 1 to {MAX_CONCURRENCY}"),
        ))
    }
}

/// Starts the run.
///
/// # Errors
/// `OSError` when the ledger cannot be read.
pub fn start(
    py: Python<'_>,
    file: ImportFile,
    email: &str,
    base_url: &str,
    resend_unknown: bool,
    ledger: Option<Arc<aqr_ledger::Ledger>>,
) -> PyResult<ImportRun> {
    let options = BulkOptions { resend_unknown };
    py.detach(|| ImportRun::start(file, email, base_url, None, options, ledger))
        .map_err(|e| crate::ledger::ledger_error(&e))
}

/// Sends one create (the blocking client's).
pub type SendCreate = dyn Fn(&aqr_core::NewAccount) -> Result<aqr_core::CreatedAccount, aqr_core::Error>
    + Send
    + Sync;

/// Runs `run` with `workers` threads of `send`, honouring Ctrl-C on the main thread: the
/// first interrupt stops dispatching, the calls in flight finish, then it is raised.
///
/// # Errors
/// The interrupt.
pub fn drive_threads(
    py: Python<'_>,
    run: &Arc<ImportRun>,
    workers: usize,
    send: &Arc<SendCreate>,
) -> PyResult<()> {
    // Nothing is ever sent: the channel disconnects when the last worker is done.
    let (done_tx, done_rx) = mpsc::channel::<()>();
    for _ in 0..workers {
        let run = Arc::clone(run);
        let send = Arc::clone(send);
        let done = done_tx.clone();
        std::thread::Builder::new()
            .name("aqr-create-many".to_owned())
            .spawn(move || {
                while let Some(ticket) = run.next() {
                    let outcome = send(ticket.account());
                    run.finish(ticket, outcome);
                }
                // The run is released before the main thread learns the worker is done.
                drop(run);
                drop(done);
            })
            .map_err(|e| PyValueError::new_err(format!("cannot start a worker thread: {e}")))?;
    }
    drop(done_tx);
    let mut interrupt: Option<PyErr> = None;
    let mut receiver = done_rx;
    loop {
        let (received, back) = py.detach(move || (receiver.recv_timeout(POLL), receiver));
        receiver = back;
        match received {
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                if interrupt.is_none()
                    && let Err(error) = py.check_signals()
                {
                    run.stop();
                    interrupt = Some(error);
                }
            }
        }
    }
    interrupt.map_or(Ok(()), Err)
}

/// One Python result per row: a `CreatedAccount`, or the exception the row met.
///
/// # Errors
/// When a Python object cannot be made.
pub fn results<'py>(py: Python<'py>, results: Vec<RowResult>) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for row in results {
        list.append(result(py, row)?)?;
    }
    Ok(list)
}

fn result(py: Python<'_>, row: RowResult) -> PyResult<Py<PyAny>> {
    if matches!(row.status, RowStatus::Created | RowStatus::AlreadyCreated)
        && let (Some(account_id), Some(qr_image), Some(short_url)) =
            (row.account_id, row.qr_image, row.short_url)
    {
        let created = CreatedAccount {
            account_id,
            qr_image,
            short_url,
        };
        return Ok(Py::new(py, created)?.into_any());
    }
    let line = row.line;
    let error = match row.problem {
        Some(Problem::Sdk(error)) => to_py_err(py, &error),
        Some(Problem::Invalid(invalid)) => invalid_argument(
            py,
            &invalid.field,
            &invalid.rule,
            &format!("row {line}: invalid {}: {}", invalid.field, invalid.message),
        ),
        Some(Problem::NotSent(reason)) => {
            let unknown = row.status == RowStatus::Unknown;
            plain_error(py, &format!("row {line}: {reason}"), unknown)
        }
        None => plain_error(py, &format!("row {line}: {}", row.status), false),
    };
    Ok(error.into_value(py).into_any())
}

/// The results of a finished run (every worker has released it).
///
/// # Errors
/// `RuntimeError` if a worker still holds it (not expected).
pub fn finished(run: Arc<ImportRun>) -> PyResult<Vec<RowResult>> {
    Arc::try_unwrap(run)
        .map(ImportRun::into_results)
        .map_err(|_| PyRuntimeError::new_err("aqr: create_many ended with a worker still running"))
}

/// Runs `run` with `workers` tokio tasks of `client`; ledger writes run on tokio's
/// blocking threads. Dropping the future (a cancelled asyncio task) drops the calls in
/// flight: their entries stay `pending`, which the next run reports as unknown.
pub async fn drive_tasks(run: Arc<ImportRun>, workers: usize, client: Arc<aqr_reqwest::Client>) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let run = Arc::clone(&run);
        let client = Arc::clone(&client);
        tasks.spawn(async move {
            loop {
                let next = Arc::clone(&run);
                let Ok(Some(ticket)) = tokio::task::spawn_blocking(move || next.next()).await
                else {
                    break;
                };
                let outcome = client.create(ticket.account()).await;
                let finish = Arc::clone(&run);
                drop(tokio::task::spawn_blocking(move || finish.finish(ticket, outcome)).await);
            }
        });
    }
    while tasks.join_next().await.is_some() {}
}
