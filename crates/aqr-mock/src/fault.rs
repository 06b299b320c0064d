//! Injected faults: what they are (the public, serialisable types) and the queue that
//! hands them out to matching requests.

use crate::types::MockAction;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The largest body a [`FaultBody::Huge`] produces (larger requests are clamped).
pub const MAX_HUGE_BODY: usize = 256 << 20;

/// An injected fault: which requests it applies to and what happens to them.
///
/// JSON form (as `POST /__mock/faults` takes it):
/// `{"action": "create", "times": 2, "response": {"kind": "respond", "status": 503,
/// "body": {"type": "json_fail", "message": "busy"}, "retry_after": "1"}}`.
///
/// Faults are tried in the order they were pushed; the first one that matches a request
/// applies to it (and counts down its `times`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The requests it applies to; `None` = any request (including `GET /res` and `/f/`).
    #[serde(default)]
    pub action: Option<MockAction>,
    /// `None` = until cleared; `Some(n)` = the next `n` matching requests.
    #[serde(default)]
    pub times: Option<u32>,
    /// What happens instead of (or around) the normal answer.
    pub response: FaultResponse,
}

impl Fault {
    /// A fault for every request (until cleared).
    #[must_use]
    pub fn new(response: FaultResponse) -> Self {
        Fault {
            action: None,
            times: None,
            response,
        }
    }

    /// Limits the fault to requests with this action.
    #[must_use]
    pub fn for_action(mut self, action: MockAction) -> Self {
        self.action = Some(action);
        self
    }

    /// Applies the fault to the next `n` matching requests only.
    #[must_use]
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
}

/// What an injected fault does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultResponse {
    /// Answer with this status and body instead of handling the request (nothing is
    /// processed).
    Respond {
        /// The HTTP status (an invalid code becomes 500).
        status: u16,
        /// The body and its content type.
        body: FaultBody,
        /// A `Retry-After` header value (`"2"` or an HTTP date).
        #[serde(default)]
        retry_after: Option<String>,
        /// Extra headers (invalid names or values are skipped).
        #[serde(default)]
        headers: Vec<(String, String)>,
        /// Wait this long before answering.
        #[serde(default)]
        delay_ms: u64,
    },
    /// Wait, then handle the request normally.
    Delay {
        /// How long to wait before handling the request.
        delay_ms: u64,
    },
    /// Close the connection without answering; nothing is processed. (The mock reads the
    /// small, size-capped body to learn the request's action, but acts on nothing.)
    DropBeforeRead,
    /// Read and process the request (a create really creates), then close the connection
    /// without answering: the client cannot know the outcome.
    DropAfterRead,
    /// Handle the request normally and send the status line, the headers (with the full
    /// `Content-Length`) and the first half of the body, then stall for `delay_ms` before
    /// the rest.
    SlowBody {
        /// How long the body stalls in the middle.
        delay_ms: u64,
    },
    /// Answer with a redirect to `location` (nothing is processed).
    Redirect {
        /// A 3xx status (anything else becomes 302).
        status: u16,
        /// The `Location` header.
        location: String,
    },
}

impl FaultResponse {
    /// The snake-case kind, as in the JSON form and [`crate::RecordedRequest::fault`].
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            FaultResponse::Respond { .. } => "respond",
            FaultResponse::Delay { .. } => "delay",
            FaultResponse::DropBeforeRead => "drop_before_read",
            FaultResponse::DropAfterRead => "drop_after_read",
            FaultResponse::SlowBody { .. } => "slow_body",
            FaultResponse::Redirect { .. } => "redirect",
        }
    }
}

/// The body of a [`FaultResponse::Respond`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultBody {
    /// `{"result":"fail", <key>: <message>, "code": <code>}` (application/json). `key` is
    /// one of `message`, `msg`, `error`, `error_message`, `reason`, `detail` — or any
    /// other name, to test a client's fallback (default `message`); `code` is left out
    /// when `None`.
    JsonFail {
        /// The name of the message field (default `message`).
        #[serde(default)]
        key: Option<String>,
        /// The error message.
        message: String,
        /// The error code, if any.
        #[serde(default)]
        code: Option<String>,
    },
    /// Any JSON value (application/json).
    Json {
        /// The value served.
        value: serde_json::Value,
    },
    /// A proxy's HTML error page for the status (text/html).
    Html,
    /// Plain text (text/plain).
    Text {
        /// The text served.
        text: String,
    },
    /// No body.
    Empty,
    /// A create success body cut in the middle (application/json).
    TruncatedJson,
    /// `bytes` bytes of JSON-looking padding (application/json), at most
    /// [`MAX_HUGE_BODY`].
    Huge {
        /// The body's length in bytes.
        bytes: usize,
    },
}

/// The faults waiting to apply, in push order (`times` counts down in place).
#[derive(Default)]
pub(crate) struct FaultQueue {
    /// Whether the list may be non-empty: lets the hot path skip the lock.
    armed: AtomicBool,
    slots: Mutex<Vec<Fault>>,
}

impl FaultQueue {
    /// Adds a fault at the end of the queue. A fault with `times: Some(0)` never applies
    /// and is not kept.
    pub(crate) fn push(&self, fault: Fault) {
        if fault.times == Some(0) {
            return;
        }
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.push(fault);
        self.armed.store(true, Ordering::Release);
    }

    /// Removes every fault.
    pub(crate) fn clear(&self) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.clear();
        self.armed.store(false, Ordering::Release);
    }

    /// The faults still waiting (with their remaining `times`).
    pub(crate) fn list(&self) -> Vec<Fault> {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.clone()
    }

    /// The response of the first fault matching `action`, counting it down.
    pub(crate) fn take(&self, action: MockAction) -> Option<FaultResponse> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let index = slots
            .iter()
            .position(|f| f.action.is_none_or(|a| a == action))?;
        let fault = &mut slots[index];
        let response = fault.response.clone();
        if let Some(n) = fault.times.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                slots.remove(index);
            }
        }
        if slots.is_empty() {
            self.armed.store(false, Ordering::Release);
        }
        Some(response)
    }
}
