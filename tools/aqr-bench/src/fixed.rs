//! `aqr-bench calls`: exactly N sequential creates with one client, for counting
//! instructions per call under `valgrind --tool=callgrind` (deterministic, unlike
//! throughput on a shared machine).

use std::time::Duration;

use clap::ValueEnum;

use crate::clients::{Connection, Server, account};
use crate::raw;

/// Which client makes the calls.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Which {
    /// ureq with the SDK's timeouts.
    UreqRaw,
    /// ureq with its defaults (no timeout).
    UreqRawNoTimeout,
    /// `aqr_ureq::Client`.
    UreqSdk,
    /// reqwest configured like the SDK.
    ReqwestRaw,
    /// `aqr_reqwest::Client`.
    ReqwestSdk,
}

/// Makes `calls` creates against `server`.
///
/// # Errors
/// The first failed call's message.
pub fn run(
    which: Which,
    calls: u64,
    server: &Server,
    connection: Connection,
) -> Result<(), String> {
    let target = server.target(connection)?;
    let account = account();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    match which {
        Which::UreqRaw | Which::UreqRawNoTimeout => {
            let agent = server.raw_ureq(matches!(which, Which::UreqRaw))?;
            for _ in 0..calls {
                raw::ureq_create(&agent, &target)?;
            }
        }
        Which::UreqSdk => {
            let client = server.sdk_blocking(connection)?;
            for _ in 0..calls {
                client.create(&account).map_err(|e| e.to_string())?;
            }
        }
        Which::ReqwestRaw => {
            let client = server.raw_reqwest()?;
            runtime.block_on(async {
                for _ in 0..calls {
                    raw::reqwest_create(&client, &target).await?;
                }
                Ok::<(), String>(())
            })?;
        }
        Which::ReqwestSdk => {
            let client = server.sdk_async(connection)?;
            runtime.block_on(async {
                for _ in 0..calls {
                    client.create(&account).await.map_err(|e| e.to_string())?;
                }
                Ok::<(), String>(())
            })?;
        }
    }
    // Let the last connection close cleanly before exiting.
    std::thread::sleep(Duration::from_millis(10));
    Ok(())
}
