//! `aqr-bench`: the SDK clients against their raw HTTP libraries, in one process and one
//! run, against the same local static responder.
//!
//! ```sh
//! cargo run --release -p aqr-bench                      # start a responder, print the table
//! cargo run --release -p aqr-bench -- --url http://127.0.0.1:8080   # an existing server
//! cargo run --release -p aqr-bench -- responder --port 8080         # only the responder
//! valgrind --tool=callgrind target/release/aqr-bench --url http://127.0.0.1:8080 calls reqwest-sdk --calls 1000
//! ```
//!
//! Each measured call is the full create: encode, POST, read, parse, check.

mod fixed;
mod measure;
mod raw;
mod responder;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use aqr_core::{Bank, Config, NewAccount, Timeouts};
use clap::{Parser, Subcommand};

use crate::measure::Sample;
use crate::raw::Target;

#[derive(Parser)]
#[command(
    name = "aqr-bench",
    about = "Calls/s of the AQR SDK clients vs raw ureq/reqwest"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Benchmark against this server instead of starting the built-in responder.
    #[arg(long)]
    url: Option<String>,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 1.0)]
    seconds: f64,
    /// Rounds per scenario (raw and SDK alternate; the median is reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Concurrent calls for the "in flight" async scenario.
    #[arg(long, default_value_t = 64)]
    in_flight: usize,
    /// Run only the scenarios whose name contains this text (e.g. `ureq`, `flight`).
    #[arg(long)]
    only: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Only serve the static create-success answer (for other benchmarks).
    Responder {
        /// Port on 127.0.0.1 (0 = a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Make exactly N sequential creates with one client against --url (for counting
    /// instructions per call with `valgrind --tool=callgrind`).
    Calls {
        /// The client.
        #[arg(value_enum)]
        client: fixed::Which,
        /// How many calls.
        #[arg(long, default_value_t = 1000)]
        calls: u64,
    },
}

/// One line of the result table (medians over the rounds).
struct Row {
    scenario: String,
    raw: Sample,
    sdk: Sample,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Responder { port }) => responder::run(port).map_err(|e| e.to_string()),
        Some(Command::Calls { client, calls }) => match &cli.url {
            Some(url) => fixed::run(client, calls, url.trim_end_matches('/')),
            None => Err("`calls` needs --url (e.g. of `aqr-bench responder`)".to_owned()),
        },
        None => bench(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("aqr-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn bench(cli: &Cli) -> Result<(), String> {
    let base_url = match &cli.url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!(
            "http://{}",
            responder::spawn(0).map_err(|e| format!("responder: {e}"))?
        ),
    };
    let duration = Duration::from_secs_f64(cli.seconds);
    let timeouts = Timeouts::DEFAULT;
    let config = Config::new("bench-token", "dev@example.com")
        .and_then(|c| c.with_base_url(&base_url))
        .map_err(|e| e.to_string())?;
    let target = Target {
        endpoint: config.endpoint().to_string(),
        token: "bench-token".to_owned(),
        email: "dev@example.com".to_owned(),
    };
    let account = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
        .account_name("월세");
    println!(
        "aqr-bench: {base_url}, {} round(s) of {:.1} s per client, median reported",
        cli.rounds, cli.seconds
    );

    let mut rows = Vec::new();
    let selected = |name: &str| cli.only.as_deref().is_none_or(|only| name.contains(only));

    // Blocking: raw ureq vs aqr_ureq::Client, sequential. The raw agent once with the
    // SDK's timeouts, once with ureq's defaults (no timeout at all: with one, ureq
    // resolves the host on a new thread for every call).
    let ureq_client = aqr_ureq::Client::new(config.clone()).map_err(|e| e.to_string())?;
    let raw_agents = [
        (
            "ureq, sequential",
            raw::ureq_agent(Some(timeouts.connect()), Some(timeouts.attempt())),
        ),
        (
            "ureq, sequential (raw: no timeout)",
            raw::ureq_agent(None, None),
        ),
    ];
    for (label, agent) in raw_agents {
        if !selected(label) {
            continue;
        }
        rows.push(pair(cli.rounds, label, |sdk| {
            if sdk {
                measure::blocking(duration, || {
                    ureq_client
                        .create(&account)
                        .map(|c| c.account_id)
                        .map_err(|e| e.to_string())
                })
            } else {
                measure::blocking(duration, || raw::ureq_create(&agent, &target))
            }
        })?);
    }

    // Async: raw reqwest vs aqr_reqwest::Client, sequential and N in flight.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let raw_client = raw::reqwest_client(timeouts.connect(), timeouts.attempt())?;
    let sdk_client = aqr_reqwest::Client::new(config).map_err(|e| e.to_string())?;
    let account = Arc::new(account);
    let target = Arc::new(target);
    for (in_flight, label) in [
        (1, "reqwest, sequential".to_owned()),
        (
            cli.in_flight,
            format!("reqwest, {} in flight", cli.in_flight),
        ),
    ] {
        if !selected(&label) {
            continue;
        }
        rows.push(pair(cli.rounds, &label, |sdk| {
            if sdk {
                let client = sdk_client.clone();
                let account = Arc::clone(&account);
                measure::concurrent(&runtime, duration, in_flight, move || {
                    let client = client.clone();
                    let account = Arc::clone(&account);
                    async move {
                        client
                            .create(&account)
                            .await
                            .map(|c| c.account_id)
                            .map_err(|e| e.to_string())
                    }
                })
            } else {
                let client = raw_client.clone();
                let target = Arc::clone(&target);
                measure::concurrent(&runtime, duration, in_flight, move || {
                    let client = client.clone();
                    let target = Arc::clone(&target);
                    async move { raw::reqwest_create(&client, &target).await }
                })
            }
        })?);
    }

    print_table(&rows);
    Ok(())
}

/// Measures raw and SDK `rounds` times, alternating which goes first, and keeps the
/// medians.
fn pair(
    rounds: usize,
    scenario: &str,
    mut run: impl FnMut(bool) -> Result<Sample, String>,
) -> Result<Row, String> {
    let (mut raw, mut sdk) = (Vec::new(), Vec::new());
    for round in 0..rounds.max(1) {
        let order = if round % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        for is_sdk in order {
            let sample = run(is_sdk)?;
            if is_sdk { &mut sdk } else { &mut raw }.push(sample);
        }
    }
    Ok(Row {
        scenario: scenario.to_owned(),
        raw: median(&raw),
        sdk: median(&sdk),
    })
}

/// The median rate and the median CPU time per call (each on its own).
fn median(samples: &[Sample]) -> Sample {
    let pick = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    Sample {
        rate: pick(samples.iter().map(|s| s.rate).collect()),
        cpu_us: pick(samples.iter().map(|s| s.cpu_us).collect()),
    }
}

fn print_table(rows: &[Row]) {
    println!();
    println!(
        "| {:<34} | {:>11} | {:>11} | {:>7} | {:>11} | {:>11} | {:>7} |",
        "scenario", "raw calls/s", "SDK calls/s", "SDK/raw", "raw CPU µs", "SDK CPU µs", "raw/SDK"
    );
    println!(
        "|{:-<36}|{:->13}|{:->13}|{:->9}|{:->13}|{:->13}|{:->9}|",
        "", ":", ":", ":", ":", ":", ":"
    );
    for row in rows {
        println!(
            "| {:<34} | {:>11.0} | {:>11.0} | {:>6.1}% | {:>11.1} | {:>11.1} | {:>6.1}% |",
            row.scenario,
            row.raw.rate,
            row.sdk.rate,
            100.0 * row.sdk.rate / row.raw.rate,
            row.raw.cpu_us,
            row.sdk.cpu_us,
            100.0 * row.raw.cpu_us / row.sdk.cpu_us,
        );
    }
    println!();
    println!("calls/s: wall clock; CPU µs: CPU time of the calling thread per call.");
}
