//! What `aqr import` and the bulk `aqr delete` share: the thread pool, Ctrl-C, progress,
//! the results file and the verdict (summary and exit code).

pub(super) mod pool;
pub(super) mod progress;
pub(super) mod results;

use std::collections::HashMap;
use std::path::Path;

use aqr_ledger::{Problem, Progress, RowResult, RowStatus};
use serde_json::json;

use crate::error::{CliError, sdk_code};
use crate::exit::Code;
use crate::output::{Output, untrusted};

/// How a bulk run ended, for the summary and the exit code.
pub(super) struct Verdict<'a> {
    /// What ran: `import` or `delete`.
    pub label: &'static str,
    /// The rows' results.
    pub results: &'a [RowResult],
    /// Notes by line (a QR image that could not be saved).
    pub notes: &'a HashMap<u64, String>,
    /// Rows by status.
    pub progress: Progress,
    /// Whether Ctrl-C stopped it.
    pub interrupted: bool,
    /// A ledger failure that stopped it.
    pub ledger_error: Option<String>,
    /// The results file.
    pub results_file: &'a Path,
}

impl Verdict<'_> {
    /// Prints the summary (text or `--json`) and returns the exit status: `Ok` when every
    /// row is done, else the error whose code the worst row calls for.
    ///
    /// # Errors
    /// [`CliError::Bulk`] when a row is not done or the run was interrupted.
    pub(super) fn report(&self, out: &Output) -> Result<(), CliError> {
        let counts: serde_json::Map<String, serde_json::Value> = RowStatus::ALL
            .into_iter()
            .map(|status| {
                (
                    status.as_str().to_owned(),
                    json!(self.progress.count(status)),
                )
            })
            .collect();
        out.json(&json!({
            "rows": self.progress.total,
            "counts": counts,
            "interrupted": self.interrupted,
            "results_file": self.results_file.display().to_string(),
        }));
        out.text(&format!(
            "{}: {} rows: {}\nresults: {}",
            self.label,
            self.progress.total,
            progress::summary(&self.progress),
            untrusted(&self.results_file.display().to_string()),
        ));
        match self.code() {
            None => Ok(()),
            Some(code) => Err(CliError::Bulk {
                message: self.message(code),
                code,
            }),
        }
    }

    /// The worst outcome's exit code, or `None` when every row is done.
    fn code(&self) -> Option<Code> {
        if self.interrupted {
            return Some(Code::Interrupted);
        }
        if self.ledger_error.is_some() {
            return Some(Code::Local);
        }
        if self.progress.count(RowStatus::Unknown) > 0 {
            return Some(Code::OutcomeUnknown);
        }
        let failed = self.results.iter().find_map(|r| match &r.problem {
            Some(Problem::Sdk(error)) if r.status == RowStatus::Failed => Some(sdk_code(error)),
            _ => None,
        });
        if failed.is_some() {
            return failed;
        }
        if self.progress.count(RowStatus::NotSent) > 0 || !self.notes.is_empty() {
            return Some(Code::Local);
        }
        None
    }

    fn message(&self, code: Code) -> String {
        let file = untrusted(&self.results_file.display().to_string()).into_owned();
        match (code, &self.ledger_error) {
            (Code::Interrupted, _) => format!(
                "{} interrupted: {} rows not sent; rerun the same command to resume (see {file})",
                self.label,
                self.progress.count(RowStatus::NotSent)
            ),
            (_, Some(error)) => format!("{} stopped: {}", self.label, untrusted(error)),
            (Code::OutcomeUnknown, _) => format!(
                "{} rows have an unknown outcome: they may exist. Check the AQR management \
                 site; rerunning does not send them again unless --resend-unknown (see {file})",
                self.progress.count(RowStatus::Unknown)
            ),
            _ => format!(
                "{} rows failed, {} not sent{}; rerunning sends them again (see {file})",
                self.progress.count(RowStatus::Failed),
                self.progress.count(RowStatus::NotSent),
                if self.notes.is_empty() {
                    String::new()
                } else {
                    format!(", {} QR images not saved", self.notes.len())
                },
            ),
        }
    }
}
