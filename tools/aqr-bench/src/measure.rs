//! Counting calls per second (sequential blocking, sequential async, N async in flight)
//! and the CPU time the calling thread spends per call.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// How long to run before counting (connections opened, caches warm).
const WARM_UP: Duration = Duration::from_millis(300);

/// One measurement.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Sample {
    /// Calls per second (wall clock).
    #[serde(rename = "calls_per_s")]
    pub rate: f64,
    /// CPU time of the calling thread per call, in microseconds. Less sensitive than the
    /// rate to other processes competing for the cores.
    pub cpu_us: f64,
}

/// Calls per second of `call` on this thread for `duration`, after a warm-up.
///
/// # Errors
/// The first failed call's message.
pub fn blocking(
    duration: Duration,
    mut call: impl FnMut() -> Result<String, String>,
) -> Result<Sample, String> {
    let warm_until = Instant::now() + WARM_UP;
    while Instant::now() < warm_until {
        call()?;
    }
    let cpu = thread_cpu();
    let started = Instant::now();
    let mut calls = 0u64;
    while started.elapsed() < duration {
        call()?;
        calls += 1;
    }
    Ok(sample(calls, started.elapsed(), thread_cpu() - cpu))
}

/// Calls per second with `in_flight` tasks each making calls one after another (1 =
/// sequential), on `runtime` (a current-thread runtime, so that the CPU time of this
/// thread is the client's).
///
/// # Errors
/// The first failed call's message.
pub fn concurrent<C, F>(
    runtime: &tokio::runtime::Runtime,
    duration: Duration,
    in_flight: usize,
    call: C,
) -> Result<Sample, String>
where
    C: Fn() -> F + Send + Sync + 'static,
    F: Future<Output = Result<String, String>> + Send + 'static,
{
    let call = Arc::new(call);
    runtime.block_on(async move {
        run_tasks(Arc::clone(&call), in_flight, WARM_UP, None).await?;
        let counter = Arc::new(AtomicU64::new(0));
        let cpu = thread_cpu();
        let started = Instant::now();
        run_tasks(call, in_flight, duration, Some(Arc::clone(&counter))).await?;
        let calls = counter.load(Ordering::Relaxed);
        Ok(sample(calls, started.elapsed(), thread_cpu() - cpu))
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

fn sample(calls: u64, elapsed: Duration, cpu: Duration) -> Sample {
    let calls = calls.max(1) as f64;
    Sample {
        rate: calls / elapsed.as_secs_f64(),
        cpu_us: cpu.as_secs_f64() * 1e6 / calls,
    }
}

/// CPU time consumed by the calling thread so far.
fn thread_cpu() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}
