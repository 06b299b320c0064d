//! The one table of what an HTTP status says about a request: whether the server may have
//! acted on it, and whether it refused before doing any work. The error model and the
//! retry decision both read it; nothing else classifies statuses.

/// A status a server sends before doing any work: 408 Request Timeout, 429 Too Many
/// Requests, 503 Service Unavailable. Safe to retry for every operation.
#[must_use]
pub(crate) fn is_refusal(status: u16) -> bool {
    matches!(status, 408 | 429 | 503)
}

/// How a failed response read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The server said it failed (`result` other than `"success"`, or an error status).
    Failure,
    /// The SDK could not read the answer (empty, truncated, a redirect, …).
    Unreadable,
}

/// Whether the server may have acted on a request it answered with `status`:
///
/// | status | processed? |
/// |---|---|
/// | 408, 429, 503 | no (a refusal) |
/// | other 4xx | no (the request was rejected) |
/// | other 5xx | maybe (it failed while working) |
/// | 2xx saying `"result": "fail"` | no (an explicit refusal) |
/// | 2xx unreadable, 1xx, 3xx | maybe (it answered; `303 See Other` to a POST means "done") |
#[must_use]
pub(crate) fn may_have_been_processed(status: u16, answer: Answer) -> bool {
    if is_refusal(status) || (400..500).contains(&status) {
        return false;
    }
    !((200..300).contains(&status) && answer == Answer::Failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table() {
        for answer in [Answer::Failure, Answer::Unreadable] {
            for status in [408, 429, 503, 400, 401, 403, 404, 413, 499] {
                assert!(!may_have_been_processed(status, answer), "{status}");
            }
            for status in [100, 301, 302, 303, 307, 500, 502, 504, 599] {
                assert!(may_have_been_processed(status, answer), "{status}");
            }
        }
        assert!(!may_have_been_processed(200, Answer::Failure));
        assert!(may_have_been_processed(200, Answer::Unreadable));
        assert!(is_refusal(503) && is_refusal(429) && is_refusal(408));
        assert!(!is_refusal(500) && !is_refusal(404));
    }
}
