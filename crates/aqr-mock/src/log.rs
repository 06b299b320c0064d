//! The request log: recent requests, bounded by count and by bytes.
//!
//! Recording sits on every request's path, so a record is kept compact (the headers in
//! one buffer, the decoded form moved in rather than copied) and only turned into a
//! [`RecordedRequest`], with secrets redacted, when someone reads the log. One record
//! keeps at most [`MAX_RECORD_PART`] bytes of headers and as many of form fields; a
//! request refused before authentication keeps only a short record (no headers, no
//! form), so a flood of junk costs the log little.

use crate::types::{MockAction, RecordedRequest};
use hyper::HeaderMap;
use hyper::Method;
use hyper::header::AUTHORIZATION;
use hyper::http::request::Parts;
use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

/// What replaces a secret in the request log.
pub(crate) const REDACTED: &str = "[REDACTED]";
/// The most bytes of headers, and separately of form fields, one record keeps.
pub(crate) const MAX_RECORD_PART: usize = 8 * 1024;
/// What one form field costs beyond its text.
const FIELD_OVERHEAD: usize = size_of::<(String, String)>();
/// The most bytes of a path and query one record keeps.
const MAX_TARGET: usize = 2 * 1024;

/// How the mock dealt with it.
#[derive(Clone, Copy)]
pub(crate) struct Outcome {
    pub(crate) action: MockAction,
    /// 0 when the connection was dropped.
    pub(crate) status: u16,
    pub(crate) fault: Option<&'static str>,
}

/// A request as it is kept in the log.
struct Record {
    method: Method,
    /// Path, then `?` and the query when there is one.
    target: Box<str>,
    query_at: Option<usize>,
    /// `name\0value\0` for each header, in arrival order.
    headers: Box<[u8]>,
    form: Vec<(String, String)>,
    outcome: Outcome,
    truncated: bool,
}

impl Record {
    /// The bytes this record holds, as the budget counts them.
    fn cost(&self) -> usize {
        size_of::<Record>()
            + self.target.len()
            + self.headers.len()
            + self.form.capacity() * size_of::<(String, String)>()
            + self
                .form
                .iter()
                .map(|(n, v)| n.capacity() + v.capacity())
                .sum::<usize>()
    }

    /// The public form, with every secret replaced by `[REDACTED]`.
    fn to_recorded(&self, secrets: &Secrets) -> RecordedRequest {
        let scrub = |value: &str| secrets.scrub(value).to_owned();
        let (path, query) = match self
            .query_at
            .and_then(|at| self.target.split_at_checked(at))
        {
            Some((path, query)) => (path, Some(query.strip_prefix('?').unwrap_or(query))),
            None => (&*self.target, None),
        };
        let mut parts = self.headers.split(|&b| b == 0);
        let mut headers = Vec::new();
        while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
            let name = String::from_utf8_lossy(name).into_owned();
            let value = if is_credential_header(&name) {
                REDACTED.to_owned()
            } else {
                scrub(&String::from_utf8_lossy(value))
            };
            headers.push((name, value));
        }
        RecordedRequest {
            method: self.method.as_str().to_owned(),
            path: scrub(path),
            query: query.map(scrub),
            headers,
            form: self
                .form
                .iter()
                .map(|(name, value)| (scrub(name), scrub(value)))
                .collect(),
            action: self.outcome.action,
            status: self.outcome.status,
            fault: self.outcome.fault.map(str::to_owned),
            truncated: self.truncated,
        }
    }
}

fn is_credential_header(name: &str) -> bool {
    name == aqr_core::TOKEN_HEADER.as_str() || name == AUTHORIZATION.as_str()
}

/// Values that never leave the log unredacted (the configured tokens).
struct Secrets(Vec<String>);

impl Secrets {
    /// `value`, or `[REDACTED]` when it contains a secret.
    fn scrub<'a>(&self, value: &'a str) -> &'a str {
        if self.0.iter().any(|s| value.contains(s.as_str())) {
            REDACTED
        } else {
            value
        }
    }

    /// At most `limit` bytes of `value` (cut at a character boundary); a value holding
    /// a secret becomes `[REDACTED]` first, so a cut never leaves part of a secret.
    fn capped(&self, value: &str, limit: usize) -> (String, bool) {
        let value = self.scrub(value);
        if value.len() <= limit {
            return (value.to_owned(), false);
        }
        let mut end = limit;
        while !value.is_char_boundary(end) {
            end -= 1;
        }
        (value[..end].to_owned(), true)
    }
}

/// The most recent requests, oldest first; the oldest go when a bound is reached.
pub(crate) struct RequestLog {
    capacity: usize,
    budget: usize,
    secrets: Secrets,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    records: VecDeque<Record>,
    /// The sum of the records' costs.
    bytes: usize,
}

impl RequestLog {
    /// A log keeping at most `capacity` requests (0 keeps none) in at most `budget`
    /// bytes.
    pub(crate) fn new(capacity: usize, budget: usize, secrets: Vec<String>) -> Self {
        RequestLog {
            capacity,
            budget,
            secrets: Secrets(secrets),
            entries: Mutex::new(Entries {
                records: VecDeque::with_capacity(capacity.min(1024)),
                bytes: 0,
            }),
        }
    }

    /// Whether requests are recorded at all.
    pub(crate) fn enabled(&self) -> bool {
        self.capacity > 0 && self.budget > 0
    }

    /// Records a request with its headers and form (each capped at
    /// [`MAX_RECORD_PART`] bytes); `form` is moved in.
    pub(crate) fn record(&self, seen: &Parts, form: Vec<(String, String)>, outcome: Outcome) {
        if !self.enabled() {
            return;
        }
        let (target, query_at, mut truncated) = self.target(&seen.uri);
        let (headers, headers_cut) = self.headers(&seen.headers);
        let (form, form_cut) = self.form(form);
        truncated |= headers_cut || form_cut;
        self.push(Record {
            method: seen.method.clone(),
            target,
            query_at,
            headers,
            form,
            outcome,
            truncated,
        });
    }

    /// Records only the method, path, action and status of a request refused before
    /// authentication.
    pub(crate) fn record_short(&self, seen: &Parts, outcome: Outcome) {
        if !self.enabled() {
            return;
        }
        let (target, query_at, _) = self.target(&seen.uri);
        self.push(Record {
            method: seen.method.clone(),
            target,
            query_at,
            headers: Box::default(),
            form: Vec::new(),
            outcome,
            truncated: true,
        });
    }

    fn target(&self, uri: &hyper::Uri) -> (Box<str>, Option<usize>, bool) {
        match uri.query() {
            Some(query) => {
                let (path, path_cut) = self.secrets.capped(uri.path(), MAX_TARGET);
                let (query, query_cut) = self.secrets.capped(query, MAX_TARGET);
                let at = path.len();
                (
                    format!("{path}?{query}").into_boxed_str(),
                    Some(at),
                    path_cut || query_cut,
                )
            }
            None => {
                let (path, cut) = self.secrets.capped(uri.path(), MAX_TARGET);
                (path.into_boxed_str(), None, cut)
            }
        }
    }

    /// The headers as one buffer, those past the cap left out (whole: secrets in them
    /// are redacted when the log is read).
    fn headers(&self, headers: &HeaderMap) -> (Box<[u8]>, bool) {
        let mut blob = Vec::with_capacity(
            headers
                .iter()
                .map(|(n, v)| n.as_str().len() + v.len() + 2)
                .sum::<usize>()
                .min(MAX_RECORD_PART),
        );
        for (name, value) in headers {
            let value = value.as_bytes();
            if blob.len() + name.as_str().len() + value.len() + 2 > MAX_RECORD_PART {
                return (blob.into_boxed_slice(), true);
            }
            blob.extend_from_slice(name.as_str().as_bytes());
            blob.push(0);
            // Header values cannot contain NUL, so it separates them safely.
            blob.extend_from_slice(value);
            blob.push(0);
        }
        (blob.into_boxed_slice(), false)
    }

    /// The form, as moved in when it fits; otherwise cut to the cap (which counts each
    /// field's own overhead too, so a form of many empty fields is cut as well).
    fn form(&self, form: Vec<(String, String)>) -> (Vec<(String, String)>, bool) {
        let size: usize = form
            .iter()
            .map(|(n, v)| n.len() + v.len() + FIELD_OVERHEAD)
            .sum();
        if size <= MAX_RECORD_PART {
            return (form, false);
        }
        let mut kept = Vec::new();
        let mut left = MAX_RECORD_PART;
        for (name, value) in &form {
            let Some(room) = left.checked_sub(FIELD_OVERHEAD).filter(|room| *room > 0) else {
                break;
            };
            let (name, _) = self.secrets.capped(name, room);
            let (value, _) = self.secrets.capped(value, room - name.len());
            left = room - name.len() - value.len();
            kept.push((name, value));
        }
        (kept, true)
    }

    /// Appends a record, dropping the oldest ones while a bound is exceeded.
    fn push(&self, record: Record) {
        let cost = record.cost();
        let evicted = {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            let mut evicted = Vec::new();
            while !entries.records.is_empty()
                && (entries.records.len() >= self.capacity || entries.bytes + cost > self.budget)
            {
                if let Some(old) = entries.records.pop_front() {
                    entries.bytes -= old.cost();
                    evicted.push(old);
                }
            }
            if cost <= self.budget {
                entries.bytes += cost;
                entries.records.push_back(record);
            }
            evicted
        };
        // Freed outside the lock.
        drop(evicted);
    }

    /// The log, oldest first, secrets redacted.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .records
            .iter()
            .map(|r| r.to_recorded(&self.secrets))
            .collect()
    }

    /// Empties the log.
    pub(crate) fn clear(&self) {
        let old = std::mem::take(&mut *self.entries.lock().unwrap_or_else(PoisonError::into_inner));
        drop(old);
    }

    /// How many logged requests have `action` (all of them for `None`).
    pub(crate) fn count(&self, action: Option<MockAction>) -> usize {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        match action {
            None => entries.records.len(),
            Some(action) => entries
                .records
                .iter()
                .filter(|r| r.outcome.action == action)
                .count(),
        }
    }

    /// The bytes the log holds, as its budget counts them.
    pub(crate) fn bytes(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen() -> Parts {
        hyper::Request::post("/api/")
            .header("x-long", "v".repeat(20_000))
            .body(())
            .unwrap()
            .into_parts()
            .0
    }

    const OUTCOME: Outcome = Outcome {
        action: MockAction::Other,
        status: 401,
        fault: None,
    };

    #[test]
    fn the_budget_bounds_the_log_and_one_record_is_capped() {
        let log = RequestLog::new(1_000_000, 200_000, vec!["sekret-token".into()]);
        let seen = seen();
        for _ in 0..100 {
            let form = vec![
                ("a".to_owned(), "x".repeat(60_000)),
                ("t".to_owned(), format!("{}sekret-token", "y".repeat(8180))),
            ];
            log.record(&seen, form, OUTCOME);
            assert!(log.bytes() <= 200_000, "{}", log.bytes());
        }
        let records = log.snapshot();
        assert!(
            records.len() > 5 && records.len() < 100,
            "{}",
            records.len()
        );
        let last = records.last().unwrap();
        assert!(last.truncated);
        let form_bytes: usize = last
            .form
            .iter()
            .map(|(n, v)| n.len() + v.len() + FIELD_OVERHEAD)
            .sum();
        assert!(form_bytes <= MAX_RECORD_PART);
        // The long header did not fit: left out, not cut.
        assert!(last.headers.is_empty());
    }

    #[test]
    fn a_cut_never_leaves_part_of_a_secret() {
        let log = RequestLog::new(10, 1 << 20, vec!["sekret-token".into()]);
        let seen = seen();
        // The secret straddles the cap.
        let value = format!("{}sekret-token", "z".repeat(MAX_RECORD_PART - 6));
        log.record(&seen, vec![("v".to_owned(), value)], OUTCOME);
        let text = serde_json::to_string(&log.snapshot()).unwrap();
        assert!(!text.contains("sekret"), "{text}");
        assert!(text.contains(REDACTED));
    }

    #[test]
    fn short_records_keep_no_headers_nor_form() {
        let log = RequestLog::new(10, 1 << 20, vec![]);
        let seen = seen();
        log.record_short(&seen, OUTCOME);
        let record = &log.snapshot()[0];
        assert!(record.headers.is_empty() && record.form.is_empty() && record.truncated);
        assert_eq!((record.path.as_str(), record.status), ("/api/", 401));
        assert!(log.bytes() < 300, "{}", log.bytes());
    }
}
