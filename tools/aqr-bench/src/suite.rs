//! The scenarios against one server: each SDK client beside its raw library, over reused
//! connections and (HTTPS) over a new connection per call; raw and SDK alternate round by
//! round and the medians are kept.

use std::sync::Arc;
use std::time::Duration;

use crate::clients::{Connection, Server, account, sdk_async_create};
use crate::measure::{self, Sample};
use crate::raw;
use crate::report::Row;

/// How to measure.
pub struct Options {
    /// Per measurement.
    pub duration: Duration,
    /// Rounds per scenario.
    pub rounds: usize,
    /// Calls in flight for the concurrent async scenario.
    pub in_flight: usize,
    /// Run only the scenarios whose name contains this text.
    pub only: Option<String>,
}

const BLOCKING: &str = "aqr::blocking::Client";
const ASYNC: &str = "aqr::Client";

/// Every scenario for `server`: over reused connections, and for HTTPS also over a new
/// connection per call (the raw ureq row without timeouts is measured over reused
/// connections only).
///
/// # Errors
/// The first failed call's message.
pub fn run(
    server: &Server,
    options: &Options,
    runtime: &tokio::runtime::Runtime,
) -> Result<Vec<Row>, String> {
    let connections: &[Connection] = if server.transport() == "HTTPS" {
        &[Connection::Reused, Connection::New]
    } else {
        &[Connection::Reused]
    };
    let mut rows = Vec::new();
    for &connection in connections {
        rows.extend(blocking(server, connection, options)?);
        rows.extend(concurrent(server, connection, options, runtime)?);
    }
    Ok(rows)
}

fn new_row(server: &Server, connection: Connection, mode: &str, client: &'static str) -> Row {
    let empty = Sample {
        rate: 0.0,
        cpu_us: 0.0,
    };
    Row {
        transport: server.transport(),
        connection: connection.label(),
        mode: mode.to_owned(),
        client,
        peer: String::new(),
        sdk: empty,
        raw: empty,
    }
}

fn selected(options: &Options, row: &Row) -> bool {
    options
        .only
        .as_deref()
        .is_none_or(|only| row.scenario().contains(only))
}

/// Raw ureq vs `aqr_ureq::Client`, sequential: the raw agent with the SDK's timeouts and,
/// over reused connections, once more with ureq's defaults (no timeout at all: with one,
/// ureq resolves the host on a new thread for every call).
fn blocking(
    server: &Server,
    connection: Connection,
    options: &Options,
) -> Result<Vec<Row>, String> {
    let client = server.sdk_blocking(connection)?;
    let target = server.target(connection)?;
    let account = account();
    let mut variants = vec![("raw ureq", true)];
    if connection == Connection::Reused {
        variants.push(("raw ureq (no timeout)", false));
    }
    let mut rows = Vec::new();
    for (peer, sdk_timeouts) in variants {
        let mut row = new_row(server, connection, "sequential", BLOCKING);
        row.peer = peer.to_owned();
        if !selected(options, &row) {
            continue;
        }
        let agent = server.raw_ureq(sdk_timeouts)?;
        (row.raw, row.sdk) = pair(options.rounds, |sdk| {
            if sdk {
                measure::blocking(options.duration, || {
                    client
                        .create(&account)
                        .map(|c| c.account_id)
                        .map_err(|e| e.to_string())
                })
            } else {
                measure::blocking(options.duration, || raw::ureq_create(&agent, &target))
            }
        })?;
        rows.push(row);
    }
    Ok(rows)
}

/// Raw reqwest vs `aqr_reqwest::Client`, sequential and `in_flight` at once.
fn concurrent(
    server: &Server,
    connection: Connection,
    options: &Options,
    runtime: &tokio::runtime::Runtime,
) -> Result<Vec<Row>, String> {
    let sdk_client = server.sdk_async(connection)?;
    let raw_client = server.raw_reqwest()?;
    let account = Arc::new(account());
    let target = Arc::new(server.target(connection)?);
    let mut rows = Vec::new();
    for in_flight in [1, options.in_flight] {
        let mode = if in_flight == 1 {
            "sequential".to_owned()
        } else {
            format!("{in_flight} in flight")
        };
        let mut row = new_row(server, connection, &mode, ASYNC);
        row.peer = "raw reqwest".to_owned();
        if !selected(options, &row) {
            continue;
        }
        (row.raw, row.sdk) = pair(options.rounds, |sdk| {
            if sdk {
                let client = sdk_client.clone();
                let account = Arc::clone(&account);
                measure::concurrent(runtime, options.duration, in_flight, move || {
                    sdk_async_create(client.clone(), Arc::clone(&account))
                })
            } else {
                let client = raw_client.clone();
                let target = Arc::clone(&target);
                measure::concurrent(runtime, options.duration, in_flight, move || {
                    let client = client.clone();
                    let target = Arc::clone(&target);
                    async move { raw::reqwest_create(&client, &target).await }
                })
            }
        })?;
        rows.push(row);
    }
    Ok(rows)
}

/// Measures raw and SDK `rounds` times, alternating which goes first; the medians of raw
/// and of SDK.
fn pair(
    rounds: usize,
    mut run: impl FnMut(bool) -> Result<Sample, String>,
) -> Result<(Sample, Sample), String> {
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
    Ok((median(&raw), median(&sdk)))
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
