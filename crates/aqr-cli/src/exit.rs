//! The process exit codes, one per kind of failure, so that scripts can tell them apart.

use std::process::ExitCode;

/// What `aqr` exits with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Code {
    /// Success.
    Ok = 0,
    /// A local failure: a file could not be written, a port could not be bound.
    Local = 1,
    /// Usage, validation or configuration error; nothing was sent.
    Usage = 2,
    /// The API answered with an error (bad token, unknown id, invalid field, …).
    Api = 3,
    /// The server's answer was not what the API promises (HTML page, empty or truncated
    /// body, wrong JSON shape, not an image).
    Response = 4,
    /// The request could not be completed (connection refused, timeout, TLS, I/O).
    Transport = 5,
    /// A create may or may not have happened: check before retrying (a retry could
    /// create a duplicate entry).
    OutcomeUnknown = 6,
    /// Interrupted (Ctrl-C) after finishing the requests in flight; rerunning resumes.
    Interrupted = 130,
}

impl Code {
    /// The numeric value.
    #[must_use]
    pub fn value(self) -> u8 {
        self as u8
    }
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> ExitCode {
        ExitCode::from(code.value())
    }
}

/// The exit-code table shown at the end of `aqr --help`.
pub const HELP: &str = "\
Exit codes:
  0  success
  1  local failure (a file could not be written, a port could not be bound)
  2  usage, validation or configuration error (nothing was sent)
  3  API error (the server refused the request: bad token, unknown id, invalid field)
  4  unexpected response (HTML page, empty or truncated body, wrong JSON shape)
  5  transport error (connection refused, timeout, TLS, dropped connection)
  6  outcome unknown: a create may have happened (check before retrying)
  130  interrupted (Ctrl-C): a bulk run finishes the requests in flight and writes its
       results (rerun to resume); a single create or delete stops at once and says whether
       it may have been sent (the ledger records a create's outcome)

Configuration: AQR_DEVELOPER_TOKEN, AQR_EMAIL and AQR_BASE_URL (or the flags). Prefer the
environment variable for the token: command lines are visible to other users.
Start with `aqr demo`: it runs the whole flow against an embedded mock server.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_documented() {
        let all = [
            Code::Ok,
            Code::Local,
            Code::Usage,
            Code::Api,
            Code::Response,
            Code::Transport,
            Code::OutcomeUnknown,
            Code::Interrupted,
        ];
        for (i, code) in all.iter().enumerate() {
            if *code != Code::Interrupted {
                assert_eq!(usize::from(code.value()), i);
            }
            assert!(
                HELP.contains(&format!("\n  {}  ", code.value())),
                "{code:?}"
            );
        }
    }
}
