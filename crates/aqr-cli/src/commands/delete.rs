//! `aqr delete ACCOUNT_ID`.

use serde_json::json;

use crate::args::{DeleteArgs, GlobalArgs};
use crate::client::{self, CliClient};
use crate::error::CliError;
use crate::output::Output;

/// Deletes the entry.
///
/// # Errors
/// Configuration, validation, API, response or transport errors.
pub fn run(args: &DeleteArgs, global: &GlobalArgs, out: &Output) -> Result<(), CliError> {
    let client = CliClient::new(client::settings(global)?, *out)?;
    client.delete(&args.account_id)?;
    out.json(&json!({ "deleted": true, "account_id": args.account_id }));
    out.text(&format!("deleted entry {}", args.account_id));
    Ok(())
}
