//! Opening the ledger the command line names (`--ledger`, `AQR_LEDGER`, the data dir).

use std::sync::Arc;

use aqr_ledger::Ledger;

use crate::args::LedgerArgs;
use crate::error::CliError;

/// The ledger to record in, or `None` with `--no-ledger`.
///
/// # Errors
/// [`CliError::Ledger`] when it cannot be opened (nothing was sent).
pub(super) fn open(args: &LedgerArgs) -> Result<Option<Arc<Ledger>>, CliError> {
    if args.no_ledger {
        return Ok(None);
    }
    Ok(Some(Arc::new(Ledger::open_default(
        args.ledger.as_deref(),
    )?)))
}
