//! Printing: human text or `--json` on stdout, errors and the `--verbose` trace on stderr.
//!
//! Write errors (a closed pipe, e.g. `aqr banks | head`) are ignored rather than turned
//! into panics.

use std::io::Write;

use serde::Serialize;

use crate::error::CliError;
use crate::exit::Code;

/// How the command prints.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Output {
    json: bool,
    verbose: bool,
}

impl Output {
    /// `json`: machine-readable output; `verbose`: trace requests on stderr.
    #[must_use]
    pub(crate) fn new(json: bool, verbose: bool) -> Self {
        Output { json, verbose }
    }

    /// Whether `--json` was given.
    #[must_use]
    pub(crate) fn is_json(&self) -> bool {
        self.json
    }

    /// Whether `--verbose` was given.
    #[must_use]
    pub(crate) fn is_verbose(&self) -> bool {
        self.verbose
    }

    /// Prints human text (with a trailing newline) on stdout; nothing in `--json` mode.
    pub(crate) fn text(&self, text: &str) {
        if !self.json {
            print_out(text);
        }
    }

    /// Prints `value` as pretty JSON on stdout; nothing in human mode.
    pub(crate) fn json<T: Serialize + ?Sized>(&self, value: &T) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(text) => print_out(&text),
                Err(err) => trace(&format!("cannot encode the output as JSON: {err}")),
            }
        }
    }

    /// Prints `value` as one line of JSON on stdout (for long-running commands whose
    /// output is read line by line); nothing in human mode.
    pub(crate) fn json_line<T: Serialize + ?Sized>(&self, value: &T) {
        if self.json {
            match serde_json::to_string(value) {
                Ok(text) => print_out(&text),
                Err(err) => trace(&format!("cannot encode the output as JSON: {err}")),
            }
        }
    }

    /// Prints a `--verbose` trace line on stderr.
    pub(crate) fn trace(&self, line: &str) {
        if self.verbose {
            trace(line);
        }
    }

    /// Prints the error on stderr: one line, or a JSON object in `--json` mode. Control
    /// characters a server put in its message are escaped.
    pub(crate) fn error(&self, error: &CliError) {
        if self.json {
            print_err(&error.to_json().to_string());
        } else {
            print_err(&format!("error: {}", untrusted(&error.to_string())));
        }
    }
}

/// `text` from a server or a file (ids, URLs, messages) made safe for a terminal: every
/// control character (escape sequences, carriage returns, line breaks, bidi controls) is
/// shown escaped (`\u{1b}`) instead of acting on the terminal — the SDK's own rule.
#[must_use]
pub(crate) fn untrusted(text: &str) -> std::borrow::Cow<'_, str> {
    aqr::escape_controls(text)
}

/// Prints a trace line on stderr, prefixed with `aqr:`.
pub(crate) fn trace(line: &str) {
    print_err(&format!("aqr: {line}"));
}

fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
    let _ = stdout.flush();
}

fn print_err(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Reports a command-line parsing error (or prints `--help` / `--version`) and returns
/// the exit code: 0 for help and version, 2 for usage errors. With `--json`, a usage
/// error is a JSON object on stderr.
pub(crate) fn clap_error(error: &clap::Error, json: bool) -> Code {
    if !error.use_stderr() {
        let _ = error.print();
        return Code::Ok;
    }
    if json {
        let rendered = error.to_string();
        let message = rendered
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ");
        let value = serde_json::json!({
            "error": { "type": "usage", "exit_code": Code::Usage.value(), "message": message }
        });
        print_err(&value.to_string());
    } else {
        let _ = error.print();
    }
    Code::Usage
}
