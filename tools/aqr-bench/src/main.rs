//! `aqr-bench`: the SDK clients against their raw HTTP libraries, in one process and one
//! run, against the same local static responder, over HTTP and over HTTPS.
//!
//! ```sh
//! cargo run --release -p aqr-bench                      # start responders, print the table
//! cargo run --release -p aqr-bench -- --json rows.json  # and write the rows as JSON
//! cargo run --release -p aqr-bench -- --url https://127.0.0.1:8443 --ca-file ca.pem
//! cargo run --release -p aqr-bench -- responder --port 8443 --tls --ca-file ca.pem
//! valgrind --tool=callgrind target/release/aqr-bench --url http://127.0.0.1:8080 calls reqwest-sdk --calls 1000
//! ```
//!
//! Each measured call is the full create: encode, POST, read, parse, check.

mod clients;
mod fixed;
mod measure;
mod raw;
mod report;
mod responder;
mod suite;
mod tls;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::clients::{Connection, Server};

#[derive(Parser)]
#[command(
    name = "aqr-bench",
    about = "Calls/s of the AQR SDK clients vs raw ureq/reqwest, over HTTP and HTTPS"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Benchmark against this server (repeat for several) instead of starting the
    /// built-in responders (one plain, one HTTPS).
    #[arg(long)]
    url: Vec<String>,
    /// PEM file of the CA that signed the certificate of an HTTPS --url.
    #[arg(long)]
    ca_file: Option<PathBuf>,
    /// Also write the rows as JSON to this file (read by tools/bench_table.py).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 1.0)]
    seconds: f64,
    /// Rounds per scenario (raw and SDK alternate; the medians and the median of the rounds'
    /// own ratios are reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Concurrent calls for the "in flight" async scenario.
    #[arg(long, default_value_t = 64)]
    in_flight: usize,
    /// Run only the scenarios whose name contains this text (e.g. `HTTPS`, `ureq`,
    /// `new connection`, `flight`).
    #[arg(long)]
    only: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Only serve the static create-success answer (for other benchmarks); answers under
    /// /new-connection close their connection.
    Responder {
        /// Port on 127.0.0.1 (0 = a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Serve HTTPS with a certificate for 127.0.0.1 signed by a CA generated at start.
        #[arg(long, requires = "ca_file")]
        tls: bool,
        /// Where to write the generated CA (PEM) for the clients to trust.
        #[arg(long)]
        ca_file: Option<PathBuf>,
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
        /// Open a new connection for every call.
        #[arg(long)]
        new_connection: bool,
        /// Calls in flight at once (async clients only).
        #[arg(long, default_value_t = 1)]
        in_flight: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Responder { port, tls, ca_file }) => {
            responder(*port, *tls, ca_file.as_deref())
        }
        Some(Command::Calls {
            client,
            calls,
            new_connection,
            in_flight,
        }) => given_servers(&cli).and_then(|servers| match servers.as_slice() {
            [server] => {
                let connection = if *new_connection {
                    Connection::New
                } else {
                    Connection::Reused
                };
                fixed::run(*client, *calls, *in_flight, server, connection)
            }
            _ => Err("`calls` needs one --url (e.g. of `aqr-bench responder`)".to_owned()),
        }),
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

fn responder(port: u16, tls: bool, ca_file: Option<&Path>) -> Result<(), String> {
    let server_config = if tls {
        let path = ca_file.ok_or("--tls needs --ca-file")?;
        let identity = tls::generate()?;
        std::fs::write(path, &identity.ca_pem).map_err(|e| format!("{}: {e}", path.display()))?;
        Some(identity.server)
    } else {
        None
    };
    responder::run(port, server_config).map_err(|e| e.to_string())
}

/// The servers of --url, each HTTPS one trusting --ca-file.
fn given_servers(cli: &Cli) -> Result<Vec<Server>, String> {
    let ca_pem = cli.ca_file.as_deref().map(read_ca).transpose()?;
    Ok(cli
        .url
        .iter()
        .map(|url| {
            let base_url = url.trim_end_matches('/').to_owned();
            let ca_pem = base_url
                .starts_with("https:")
                .then(|| ca_pem.clone())
                .flatten();
            Server { base_url, ca_pem }
        })
        .collect())
}

fn read_ca(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A plain and an HTTPS responder in this process.
fn built_in_servers() -> Result<Vec<Server>, String> {
    let started = |e: std::io::Error| format!("responder: {e}");
    let plain = responder::spawn(0, None).map_err(started)?;
    let identity = tls::generate()?;
    let secure = responder::spawn(0, Some(identity.server)).map_err(started)?;
    Ok(vec![
        Server {
            base_url: format!("http://{plain}"),
            ca_pem: None,
        },
        Server {
            base_url: format!("https://{secure}"),
            ca_pem: Some(identity.ca_pem),
        },
    ])
}

fn bench(cli: &Cli) -> Result<(), String> {
    let servers = if cli.url.is_empty() {
        built_in_servers()?
    } else {
        given_servers(cli)?
    };
    let options = suite::Options {
        duration: Duration::from_secs_f64(cli.seconds),
        rounds: cli.rounds,
        in_flight: cli.in_flight,
        only: cli.only.clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let urls: Vec<&str> = servers.iter().map(|s| s.base_url.as_str()).collect();
    println!(
        "aqr-bench: {}, {} round(s) of {:.1} s per client, medians reported",
        urls.join(" and "),
        cli.rounds,
        cli.seconds
    );
    let mut rows = Vec::new();
    for server in &servers {
        rows.extend(suite::run(server, &options, &runtime)?);
    }
    report::print_table(&rows);
    match &cli.json {
        Some(path) => report::write_json(&rows, path),
        None => Ok(()),
    }
}
