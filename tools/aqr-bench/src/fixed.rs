//! `aqr-bench calls`: exactly N sequential creates with one client, for counting
//! instructions per call under `valgrind --tool=callgrind` (deterministic, unlike
//! throughput on a shared machine).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::ValueEnum;

use crate::clients::{Connection, Server, account, sdk_async_create};
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

/// Makes `calls` creates against `server`, `in_flight` at a time for the async clients
/// (the blocking ones make them one after another).
///
/// # Errors
/// The first failed call's message.
pub fn run(
    which: Which,
    calls: u64,
    in_flight: usize,
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
            let target = Arc::new(target);
            runtime.block_on(concurrently(calls, in_flight, move || {
                let client = client.clone();
                let target = Arc::clone(&target);
                async move { raw::reqwest_create(&client, &target).await }
            }))?;
        }
        Which::ReqwestSdk => {
            let client = server.sdk_async(connection)?;
            let account = Arc::new(account);
            runtime.block_on(concurrently(calls, in_flight, move || {
                sdk_async_create(client.clone(), Arc::clone(&account))
            }))?;
        }
    }
    // Let the last connection close cleanly before exiting.
    std::thread::sleep(Duration::from_millis(10));
    Ok(())
}

/// Makes `calls` calls, `in_flight` tasks sharing them.
async fn concurrently<C, F>(calls: u64, in_flight: usize, call: C) -> Result<(), String>
where
    C: Fn() -> F + Send + Sync + 'static,
    F: Future<Output = Result<String, String>> + Send + 'static,
{
    let call = Arc::new(call);
    let left = Arc::new(AtomicU64::new(calls));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..in_flight.max(1) {
        let call = Arc::clone(&call);
        let left = Arc::clone(&left);
        tasks.spawn(async move {
            while left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
            {
                call().await?;
            }
            Ok::<(), String>(())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|e| e.to_string())??;
    }
    Ok(())
}
