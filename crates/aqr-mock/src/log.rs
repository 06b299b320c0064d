//! The request log: a bounded ring buffer of recent requests.
//!
//! Recording sits on every request's path, so a record is kept compact (the headers in
//! one buffer, the decoded form moved in rather than copied) and only turned into a
//! [`RecordedRequest`], with secrets redacted, when someone reads the log.

use crate::types::{MockAction, RecordedRequest};
use hyper::HeaderMap;
use hyper::Method;
use hyper::header::AUTHORIZATION;
use std::collections::VecDeque;
use std::sync::Mutex;

/// What replaces a secret in the request log.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// A request as it is kept in the log.
pub(crate) struct Record {
    method: Method,
    /// Path, then `?` and the query when there is one.
    target: Box<str>,
    query_at: Option<usize>,
    /// `name\0value\0` for each header, in arrival order.
    headers: Box<[u8]>,
    form: Vec<(String, String)>,
    action: MockAction,
    status: u16,
    fault: Option<&'static str>,
}

impl Record {
    /// A record of a request; `form` is moved in.
    pub(crate) fn new(
        method: &Method,
        uri: &hyper::Uri,
        headers: &HeaderMap,
        form: Vec<(String, String)>,
        action: MockAction,
        status: u16,
        fault: Option<&'static str>,
    ) -> Record {
        let (target, query_at) = match uri.query() {
            Some(query) => (
                format!("{}?{query}", uri.path()).into_boxed_str(),
                Some(uri.path().len()),
            ),
            None => (uri.path().into(), None),
        };
        let size = headers
            .iter()
            .map(|(n, v)| n.as_str().len() + v.len() + 2)
            .sum();
        let mut blob = Vec::with_capacity(size);
        for (name, value) in headers {
            blob.extend_from_slice(name.as_str().as_bytes());
            blob.push(0);
            // Header values cannot contain NUL, so it separates them safely.
            blob.extend_from_slice(value.as_bytes());
            blob.push(0);
        }
        Record {
            method: method.clone(),
            target,
            query_at,
            headers: blob.into_boxed_slice(),
            form,
            action,
            status,
            fault,
        }
    }

    /// The public form, with every secret replaced by `[REDACTED]`.
    fn to_recorded(&self, secrets: &[String]) -> RecordedRequest {
        let scrub = |value: &str| {
            if secrets.iter().any(|s| value.contains(s.as_str())) {
                REDACTED.to_owned()
            } else {
                value.to_owned()
            }
        };
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
            let value = if name == aqr_core::TOKEN_HEADER.as_str() || name == AUTHORIZATION.as_str()
            {
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
            action: self.action,
            status: self.status,
            fault: self.fault.map(str::to_owned),
        }
    }
}

/// The most recent requests, oldest first; the oldest is dropped when full.
pub(crate) struct RequestLog {
    capacity: usize,
    /// Values that never leave the log unredacted (the configured tokens).
    secrets: Vec<String>,
    entries: Mutex<VecDeque<Record>>,
}

impl RequestLog {
    /// A log keeping at most `capacity` requests (0 keeps none).
    pub(crate) fn new(capacity: usize, secrets: Vec<String>) -> Self {
        RequestLog {
            capacity,
            secrets,
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
        }
    }

    /// Whether requests are recorded at all.
    pub(crate) fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Appends a request, dropping the oldest when full.
    pub(crate) fn push(&self, record: Record) {
        if self.capacity == 0 {
            return;
        }
        let evicted = {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            let evicted = if entries.len() >= self.capacity {
                entries.pop_front()
            } else {
                None
            };
            entries.push_back(record);
            evicted
        };
        // Freed outside the lock.
        drop(evicted);
    }

    /// The log, oldest first, secrets redacted.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .map(|r| r.to_recorded(&self.secrets))
            .collect()
    }

    /// Empties the log.
    pub(crate) fn clear(&self) {
        let old = std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()));
        drop(old);
    }

    /// How many logged requests have `action` (all of them for `None`).
    pub(crate) fn count(&self, action: Option<MockAction>) -> usize {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match action {
            None => entries.len(),
            Some(action) => entries.iter().filter(|r| r.action == action).count(),
        }
    }
}
