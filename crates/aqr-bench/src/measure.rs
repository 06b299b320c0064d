//! Counting calls per second: sequential blocking, sequential async, N async in flight.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long to run before counting (connections opened, caches warm).
const WARM_UP: Duration = Duration::from_millis(300);

/// Calls per second of `call` on this thread for `duration`, after a warm-up.
///
/// # Errors
/// The first failed call's message.
pub fn blocking(
    duration: Duration,
    mut call: impl FnMut() -> Result<String, String>,
) -> Result<f64, String> {
    let warm_until = Instant::now() + WARM_UP;
    while Instant::now() < warm_until {
        call()?;
    }
    let started = Instant::now();
    let mut calls = 0u64;
    while started.elapsed() < duration {
        call()?;
        calls += 1;
    }
    Ok(rate(calls, started.elapsed()))
}

/// Calls per second with `in_flight` tasks each making calls one after another (1 =
/// sequential), on `runtime`.
///
/// # Errors
/// The first failed call's message.
pub fn concurrent<C, F>(
    runtime: &tokio::runtime::Runtime,
    duration: Duration,
    in_flight: usize,
    call: C,
) -> Result<f64, String>
where
    C: Fn() -> F + Send + Sync + 'static,
    F: Future<Output = Result<String, String>> + Send + 'static,
{
    let call = Arc::new(call);
    runtime.block_on(async move {
        run_tasks(Arc::clone(&call), in_flight, WARM_UP, None).await?;
        let counter = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        run_tasks(call, in_flight, duration, Some(Arc::clone(&counter))).await?;
        Ok(rate(counter.load(Ordering::Relaxed), started.elapsed()))
    })
}

async fn run_tasks<C, F>(
    call: Arc<C>,
    in_flight: usize,
    duration: Duration,
    counter: Option<Arc<AtomicU64>>,
) -> Result<(), String>
where
    C: Fn() -> F + Send + Sync + 'static,
    F: Future<Output = Result<String, String>> + Send + 'static,
{
    let until = Instant::now() + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        let call = Arc::clone(&call);
        let counter = counter.clone();
        tasks.spawn(async move {
            while Instant::now() < until {
                call().await?;
                if let Some(counter) = &counter {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            }
            Ok::<(), String>(())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|e| e.to_string())??;
    }
    Ok(())
}

fn rate(calls: u64, elapsed: Duration) -> f64 {
    calls as f64 / elapsed.as_secs_f64()
}
