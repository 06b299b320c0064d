//! The life of a ledger entry: `pending` → `created` | `failed` | `unknown`, then `deleted`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where an entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Recorded before the create was sent; no answer recorded yet. Found by a later run,
    /// it means the process stopped while the request may have been on its way.
    Pending,
    /// The service created the entry; its `account_id`, `short_url` and `qr_image` are
    /// recorded.
    Created,
    /// The create provably did not happen (refused before or by the service); sending it
    /// again cannot make a duplicate.
    Failed,
    /// The create may have happened (a timeout or dropped connection after sending, a
    /// 5xx): only someone who checked the AQR management site can tell.
    Unknown,
    /// The entry was deleted through this ledger.
    Deleted,
}

impl Status {
    /// Every status, in life order.
    pub const ALL: [Status; 5] = [
        Status::Pending,
        Status::Created,
        Status::Failed,
        Status::Unknown,
        Status::Deleted,
    ];

    /// The lower-case name stored in the ledger and printed (`"created"`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Created => "created",
            Status::Failed => "failed",
            Status::Unknown => "unknown",
            Status::Deleted => "deleted",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of [`Status::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown status `{0}`: expected pending, created, failed, unknown or deleted")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == wanted)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
        }
        assert_eq!(" Created ".parse::<Status>(), Ok(Status::Created));
        assert!("done".parse::<Status>().is_err());
    }
}
