//! What can go wrong in a command, its exit code, its one-line message and its JSON form.

use std::fmt;
use std::path::{Path, PathBuf};

use aqr::{Error, OperationKind};
use serde_json::{Map, Value, json};

use crate::exit::Code;

/// A failed command.
#[derive(Debug)]
pub(crate) enum CliError {
    /// An SDK call failed, or was refused before any I/O; `action` says what was being
    /// done ("create", "delete", "download the QR image").
    Sdk {
        /// What the command was doing.
        action: &'static str,
        /// The SDK's error (boxed: it is large and errors are rare).
        error: Box<Error>,
    },
    /// A missing setting or a bad combination of arguments; nothing was sent.
    Usage(String),
    /// Ctrl-C stopped an SDK call; `error` says whether its request may have been sent.
    Interrupted {
        /// What the command was doing.
        action: &'static str,
        /// The SDK's error for the stopped call.
        error: Box<Error>,
    },
    /// A local file or socket operation failed.
    Io {
        /// What was being done, e.g. "write the QR image".
        what: String,
        /// The file or address involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The text could not be encoded as a QR code.
    Qr(String),
    /// The demo saw the service behave differently from the contract.
    Demo(String),
    /// The ledger could not be opened, read or written.
    Ledger(aqr_ledger::LedgerError),
    /// A bulk run finished with rows not done (failed, unknown, not sent) or was
    /// interrupted; the results file says which.
    Bulk {
        /// One line: what happened and what to do.
        message: String,
        /// The exit code the worst row calls for.
        code: Code,
    },
    /// Part of the command succeeded (`done`) before `error`.
    Partial {
        /// What was done, e.g. "entry abcde was created".
        done: String,
        /// What failed afterwards; it decides the exit code.
        error: Box<CliError>,
    },
}

impl CliError {
    /// An SDK error while doing `action`.
    pub(crate) fn sdk(action: &'static str, error: impl Into<Error>) -> Self {
        CliError::Sdk {
            action,
            error: Box::new(error.into()),
        }
    }

    /// The error of an SDK call that Ctrl-C may have `stopped`.
    pub(crate) fn call(action: &'static str, error: Error, stopped: bool) -> Self {
        if stopped {
            CliError::Interrupted {
                action,
                error: Box::new(error),
            }
        } else {
            CliError::sdk(action, error)
        }
    }

    /// A local I/O error on `path`.
    pub(crate) fn io(what: impl Into<String>, path: &Path, source: std::io::Error) -> Self {
        CliError::Io {
            what: what.into(),
            path: path.to_owned(),
            source,
        }
    }

    /// The exit code for this error.
    #[must_use]
    pub(crate) fn code(&self) -> Code {
        match self {
            CliError::Sdk { error, .. } => sdk_code(error),
            CliError::Interrupted { .. } => Code::Interrupted,
            CliError::Usage(_) | CliError::Qr(_) => Code::Usage,
            CliError::Io { .. } => Code::Local,
            CliError::Demo(_) => Code::Response,
            CliError::Ledger(_) => Code::Local,
            CliError::Bulk { code, .. } => *code,
            CliError::Partial { error, .. } => error.code(),
        }
    }

    /// A stable name for the type of error (`api`, `transport`, `invalid`, …).
    #[must_use]
    pub(crate) fn error_type(&self) -> &'static str {
        match self {
            CliError::Sdk { error, .. } => match error.as_ref() {
                Error::Invalid(_) => "invalid",
                Error::Api(_) => "api",
                Error::Response(_) => "response",
                Error::Transport(_) => "transport",
                _ => "other",
            },
            CliError::Interrupted { .. } => "interrupted",
            CliError::Usage(_) => "usage",
            CliError::Io { .. } => "io",
            CliError::Qr(_) => "qr",
            CliError::Demo(_) => "demo",
            CliError::Ledger(_) => "ledger",
            CliError::Bulk { .. } => "bulk",
            CliError::Partial { error, .. } => error.error_type(),
        }
    }

    /// The error as a JSON object: `type`, `exit_code`, `message` and whatever else is
    /// known — the same names as the Python exceptions' attributes: `operation`,
    /// `status`, `kind` (what kind of response or transport failure), `code` and
    /// `server_message` (what the server said), `field`, `rule`, `connect` and `timeout`
    /// (a connect timeout is both), `outcome_unknown`, `may_have_been_processed`,
    /// `attempts`, `timeout_limit`, `path`.
    #[must_use]
    pub(crate) fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("type".into(), json!(self.error_type()));
        map.insert("exit_code".into(), json!(self.code().value()));
        map.insert("message".into(), json!(self.to_string()));
        match self {
            CliError::Sdk { error, .. } | CliError::Interrupted { error, .. } => {
                sdk_details(error, &mut map);
            }
            CliError::Io { path, .. } => {
                map.insert("path".into(), json!(path.display().to_string()));
            }
            CliError::Partial { error, .. } => {
                if let Some(Value::Object(inner)) = error.to_json().get("error") {
                    for (key, value) in inner {
                        map.entry(key.clone()).or_insert_with(|| value.clone());
                    }
                }
            }
            CliError::Usage(_)
            | CliError::Qr(_)
            | CliError::Demo(_)
            | CliError::Ledger(_)
            | CliError::Bulk { .. } => {}
        }
        json!({ "error": map })
    }
}

/// The exit code for an SDK error.
pub(crate) fn sdk_code(error: &Error) -> Code {
    if error.is_outcome_unknown() {
        return Code::OutcomeUnknown;
    }
    match error {
        Error::Invalid(_) => Code::Usage,
        Error::Api(_) => Code::Api,
        Error::Response(_) => Code::Response,
        Error::Transport(_) => Code::Transport,
        _ => Code::Local,
    }
}

fn sdk_details(error: &Error, map: &mut Map<String, Value>) {
    if let Some(operation) = error.operation() {
        map.insert("operation".into(), json!(operation.name()));
    }
    if let Some(status) = error.status() {
        map.insert("status".into(), json!(status));
    }
    match error {
        Error::Invalid(invalid) => {
            map.insert("field".into(), json!(invalid.field().name()));
            map.insert("rule".into(), json!(invalid.rule().code()));
        }
        Error::Api(api) => {
            if let Some(code) = &api.code {
                map.insert("code".into(), json!(code));
            }
            if let Some(message) = &api.message {
                map.insert("server_message".into(), json!(message));
            }
            if let Some(wait) = api.retry_after {
                map.insert("retry_after_seconds".into(), json!(wait.as_secs_f64()));
            }
        }
        Error::Response(response) => {
            map.insert("kind".into(), json!(response.kind.code()));
            if let Some(content_type) = &response.content_type {
                map.insert("content_type".into(), json!(content_type));
            }
        }
        Error::Transport(transport) => {
            map.insert("kind".into(), json!(transport.kind().code()));
            if let Some(limit) = transport.timeout_limit() {
                map.insert(
                    "timeout_limit".into(),
                    json!({"limit": limit.limit.name(), "seconds": limit.after.as_secs_f64()}),
                );
            }
        }
        _ => {}
    }
    map.insert("connect".into(), json!(error.is_connect()));
    map.insert("timeout".into(), json!(error.is_timeout()));
    map.insert("outcome_unknown".into(), json!(error.is_outcome_unknown()));
    map.insert(
        "may_have_been_processed".into(),
        json!(error.may_have_been_processed()),
    );
    if error.attempts() > 0 {
        map.insert("attempts".into(), json!(error.attempts()));
    }
}

impl fmt::Display for CliError {
    /// One line: what failed, which field or what the server said, and for a create
    /// whether the entry may exist.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Sdk { action, error } => describe_sdk_error(f, action, error),
            CliError::Interrupted { action, error } => {
                write!(f, "{action} interrupted (Ctrl-C): ")?;
                describe_sdk_error(f, action, error)
            }
            CliError::Usage(message)
            | CliError::Qr(message)
            | CliError::Demo(message)
            | CliError::Bulk { message, .. } => f.write_str(message),
            CliError::Ledger(error) => error.fmt(f),
            CliError::Io { what, path, source } => {
                write!(f, "cannot {what} ({}): {source}", path.display())
            }
            CliError::Partial { done, error } => write!(f, "{done}, but {error}"),
        }
    }
}

/// An SDK error in one line: what failed, which field or what the server said, and for a
/// create whether the entry may exist.
fn describe_sdk_error(f: &mut fmt::Formatter<'_>, action: &str, error: &Error) -> fmt::Result {
    match error {
        Error::Invalid(_) => {
            write!(f, "cannot {action}: {error} (nothing was sent)")?;
        }
        _ => write!(f, "{}", error.report())?,
    }
    // The core's message already says when a create may have happened; say the opposite
    // too, so that the answer is never left implicit.
    let create = error.operation() == Some(OperationKind::Create);
    if create && !error.is_outcome_unknown() {
        f.write_str(" (no entry was created)")?;
    }
    if error.is_outcome_unknown() {
        f.write_str("; check before retrying: a retry could create a duplicate")?;
    }
    Ok(())
}

impl From<aqr_ledger::LedgerError> for CliError {
    fn from(error: aqr_ledger::LedgerError) -> Self {
        CliError::Ledger(error)
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Sdk { error, .. } | CliError::Interrupted { error, .. } => {
                Some(error.as_ref())
            }
            CliError::Io { source, .. } => Some(source),
            CliError::Partial { error, .. } => Some(error),
            CliError::Ledger(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aqr::{Field, Rule, TransportError, ValidationError};

    #[test]
    fn validation_names_the_field_and_exits_2() {
        let err = CliError::sdk(
            "create",
            ValidationError::new(Field::PhoneNumber, Rule::PhoneFormat),
        );
        assert_eq!(err.code(), Code::Usage);
        assert!(err.to_string().contains("phone_number"), "{err}");
        let json = err.to_json();
        assert_eq!(json["error"]["field"], "phone_number");
        assert_eq!(json["error"]["rule"], "phone_format");
        assert_eq!(json["error"]["exit_code"], 2);
    }

    #[test]
    fn a_refused_connection_is_a_transport_error() {
        let err = CliError::sdk("create", TransportError::connect("connection refused"));
        assert_eq!(err.code(), Code::Transport);
        assert_eq!(err.to_json()["error"]["outcome_unknown"], false);
    }

    #[test]
    fn a_possibly_sent_create_is_outcome_unknown() {
        let err = CliError::sdk(
            "create",
            TransportError::timeout(true, "read timed out").with_operation(OperationKind::Create),
        );
        assert_eq!(err.code(), Code::OutcomeUnknown);
        assert!(err.to_string().contains("duplicate"), "{err}");
        assert_eq!(err.to_json()["error"]["outcome_unknown"], true);
    }
}
