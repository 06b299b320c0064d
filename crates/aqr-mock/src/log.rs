//! The request log: a bounded ring buffer of recent requests.

use crate::types::{MockAction, RecordedRequest};
use std::collections::VecDeque;
use std::sync::Mutex;

/// The most recent requests, oldest first; the oldest is dropped when full.
pub(crate) struct RequestLog {
    capacity: usize,
    entries: Mutex<VecDeque<RecordedRequest>>,
}

impl RequestLog {
    /// A log keeping at most `capacity` requests (0 keeps none).
    pub(crate) fn new(capacity: usize) -> Self {
        RequestLog {
            capacity,
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
        }
    }

    /// Whether requests are recorded at all.
    pub(crate) fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Appends a request, dropping the oldest when full.
    pub(crate) fn push(&self, request: RecordedRequest) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back(request);
    }

    /// A copy of the log, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.iter().cloned().collect()
    }

    /// Empties the log.
    pub(crate) fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
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
