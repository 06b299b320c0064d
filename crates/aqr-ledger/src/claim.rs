//! Which copy of a request a pending record claims.

use crate::entry::EntryId;
use crate::status::Status;

/// Which copy of a request a pending record claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// A new copy in the lowest free slot (a single `create`: the service allows several
    /// identical entries, and each gets its own slot).
    NextFree,
    /// Copy `n` (0-based) of this request, as an import row wants it; fails with
    /// [`LedgerError::Conflict`](crate::LedgerError::Conflict) when another run holds that slot already.
    Copy(u32),
    /// Sends the entry `id` again, which must still have the status `seen` (a `failed`
    /// entry, or an `unknown` one the user chose to resend); fails with
    /// [`LedgerError::Conflict`](crate::LedgerError::Conflict) when another run changed it meanwhile.
    Resend {
        /// The entry to send again.
        id: EntryId,
        /// Its status when the run planned the resend.
        seen: Status,
    },
}
