//! `aqr-soak`: many create + delete calls through the Rust clients against a mock server
//! running in its own process, reporting calls/s and resident memory (client and mock) at
//! the start, middle and end.
//!
//! ```text
//! cargo run --release -p aqr-probe --bin aqr-soak -- --calls 1000000 [--client blocking|async|both] [--in-flight 64]
//! ```
//! The mock binary (`aqr-mock`) is taken from beside this executable; build it in the same
//! profile first (`cargo build --release -p aqr-mock`).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use aqr::{Bank, Config, NewAccount};

struct Args {
    calls: u64,
    clients: Vec<&'static str>,
    in_flight: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        calls: 1_000_000,
        clients: vec!["blocking", "async"],
        in_flight: 64,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let value = it.next().ok_or_else(|| format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--calls" => args.calls = value.parse().map_err(|e| format!("--calls: {e}"))?,
            "--in-flight" => {
                args.in_flight = value.parse().map_err(|e| format!("--in-flight: {e}"))?;
            }
            "--client" => {
                args.clients = match value.as_str() {
                    "blocking" => vec!["blocking"],
                    "async" => vec!["async"],
                    "both" => vec!["blocking", "async"],
                    other => return Err(format!("unknown client {other}")),
                }
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(args)
}

/// Resident set size of a process in KiB, from /proc.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

struct Mock {
    child: Child,
    url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_mock() -> Result<Mock, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mock = exe.with_file_name("aqr-mock");
    let mut child = Command::new(&mock)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", mock.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .map_err(|e| e.to_string())?;
    let url = first
        .trim()
        .rsplit(' ')
        .next()
        .filter(|u| u.starts_with("http://"))
        .ok_or_else(|| format!("unexpected first line: {first}"))?
        .to_owned();
    Ok(Mock { child, url })
}

fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").account_name("월세")
}

struct Report {
    mock_pid: u32,
    started: Instant,
    samples: Vec<(String, u64, u64, u64)>,
}

impl Report {
    fn sample(&mut self, label: &str, done: u64) {
        let me = rss_kib(std::process::id());
        let mock = rss_kib(self.mock_pid);
        let rate = done as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
        println!(
            "  {label:<6} {done:>9} calls  {rate:>9.0} calls/s  client RSS {:>7.1} MiB  mock RSS {:>7.1} MiB",
            me as f64 / 1024.0,
            mock as f64 / 1024.0
        );
        self.samples.push((label.to_owned(), done, me, mock));
    }

    fn growth_ok(&self) -> bool {
        let (start, end) = match (self.samples.first(), self.samples.last()) {
            (Some(s), Some(e)) => (s, e),
            _ => return false,
        };
        let client = end.2 as f64 / start.2.max(1) as f64;
        let mock = end.3 as f64 / start.3.max(1) as f64;
        println!(
            "  RSS end/start: client {:.3}, mock {:.3} (limit 1.10)",
            client, mock
        );
        client <= 1.10 && mock <= 1.10
    }
}

/// A create followed by a delete of what it created; one "call" = the pair.
fn blocking_soak(config: Config, calls: u64, report: &mut Report) -> Result<(), aqr::Error> {
    let client = aqr::blocking::Client::new(config)?;
    let warmup = (calls / 100).clamp(1, 10_000);
    for _ in 0..warmup {
        let created = client.create(&account())?;
        client.delete(&created.account_id)?;
    }
    report.started = Instant::now();
    report.sample("start", 0);
    for i in 1..=calls {
        let created = client.create(&account())?;
        client.delete(&created.account_id)?;
        if i == calls / 2 {
            report.sample("middle", i);
        }
    }
    report.sample("end", calls);
    Ok(())
}

fn async_soak(
    config: Config,
    calls: u64,
    in_flight: u64,
    report: &mut Report,
) -> Result<(), aqr::Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| {
            aqr::TransportError::new(aqr::TransportErrorKind::Other, false, e.to_string())
        })?;
    let client = Arc::new(aqr::Client::new(config)?);
    let run = |count: u64| {
        let client = client.clone();
        async move {
            let next = Arc::new(AtomicU64::new(0));
            let mut tasks = Vec::new();
            for _ in 0..in_flight {
                let client = client.clone();
                let next = next.clone();
                tasks.push(tokio::spawn(async move {
                    while next.fetch_add(1, Ordering::Relaxed) < count {
                        let created = client.create(&account()).await?;
                        client.delete(&created.account_id).await?;
                    }
                    Ok::<(), aqr::Error>(())
                }));
            }
            for task in tasks {
                task.await.map_err(|e| {
                    aqr::TransportError::new(aqr::TransportErrorKind::Other, false, e.to_string())
                })??;
            }
            Ok::<(), aqr::Error>(())
        }
    };
    runtime.block_on(run((calls / 100).clamp(1, 10_000)))?;
    report.started = Instant::now();
    report.sample("start", 0);
    runtime.block_on(run(calls / 2))?;
    report.sample("middle", calls / 2);
    runtime.block_on(run(calls - calls / 2))?;
    report.sample("end", calls);
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut healthy = true;
    for client in &args.clients {
        let mock = match start_mock() {
            Ok(mock) => mock,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        };
        let config = match Config::new(aqr_mock_token(), "dev@example.com")
            .and_then(|c| c.with_base_url(&mock.url))
        {
            Ok(config) => config,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        println!(
            "{client} client, {} create+delete calls against {}",
            args.calls, mock.url
        );
        let mut report = Report {
            mock_pid: mock.child.id(),
            started: Instant::now(),
            samples: Vec::new(),
        };
        let result = if *client == "blocking" {
            blocking_soak(config, args.calls, &mut report)
        } else {
            async_soak(config, args.calls, args.in_flight, &mut report)
        };
        if let Err(e) = result {
            eprintln!("  failed: {e}");
            healthy = false;
        }
        healthy &= report.growth_ok();
    }
    if healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The mock's default developer token.
fn aqr_mock_token() -> &'static str {
    "mock-developer-token"
}
