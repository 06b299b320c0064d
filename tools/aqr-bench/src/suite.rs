//! The scenarios against one server: each SDK client beside its raw library, over reused
//! connections and (HTTPS) over a new connection per call; raw and SDK alternate round by
//! round, and the medians and each round's ratio are kept.

use std::sync::Arc;
use std::time::Duration;

use crate::clients::{Connection, Server, account, sdk_async_create};
use crate::measure::{self, Sample};
use crate::raw;
use crate::report::{PairedRatios, Row};

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
        ratios: PairedRatios::default(),
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
        let paired = pair(options.rounds, |sdk| {
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
        (row.raw, row.sdk, row.ratios) = (paired.raw, paired.sdk, paired.ratios);
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
        let paired = pair(options.rounds, |sdk| {
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
        (row.raw, row.sdk, row.ratios) = (paired.raw, paired.sdk, paired.ratios);
        rows.push(row);
    }
    Ok(rows)
}

/// What a scenario's rounds measured.
struct Paired {
    raw: Sample,
    sdk: Sample,
    ratios: PairedRatios,
}

/// Measures raw and SDK `rounds` times, alternating which goes first: the medians of raw
/// and of SDK, and the median of the rounds' own ratios (each round's SDK beside the raw
/// measured just before or after it, so that a slow spell of a shared machine weighs on
/// both sides of a ratio rather than on one side of the medians).
fn pair(
    rounds: usize,
    mut run: impl FnMut(bool) -> Result<Sample, String>,
) -> Result<Paired, String> {
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
    let rate_ratios = raw.iter().zip(&sdk).map(|(r, s)| s.rate / r.rate);
    let cpu_ratios = raw.iter().zip(&sdk).map(|(r, s)| r.cpu_us / s.cpu_us);
    Ok(Paired {
        raw: median(&raw),
        sdk: median(&sdk),
        ratios: PairedRatios {
            rate: quartiles(rate_ratios.collect()),
            cpu: quartiles(cpu_ratios.collect()),
        },
    })
}

/// The median rate and the median CPU time per call (each on its own).
fn median(samples: &[Sample]) -> Sample {
    Sample {
        rate: quartiles(samples.iter().map(|s| s.rate).collect())[1],
        cpu_us: quartiles(samples.iter().map(|s| s.cpu_us).collect())[1],
    }
}

/// The lower quartile, the median and the upper quartile (nearest rank); zeros for none.
fn quartiles(mut values: Vec<f64>) -> [f64; 3] {
    values.sort_by(f64::total_cmp);
    let at = |quarter: usize| {
        let last = values.len().saturating_sub(1);
        values.get(last * quarter / 4).copied().unwrap_or(0.0)
    };
    [at(1), at(2), at(3)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_by_nearest_rank() {
        assert_eq!(quartiles(vec![5.0, 1.0, 3.0, 2.0, 4.0]), [2.0, 3.0, 4.0]);
        assert_eq!(quartiles(vec![7.0]), [7.0, 7.0, 7.0]);
        assert_eq!(quartiles(Vec::new()), [0.0, 0.0, 0.0]);
    }

    #[test]
    fn ratios_are_taken_round_by_round() {
        // Round 2 is slow for both sides: the medians of each side mix rounds, the
        // rounds' ratios do not.
        let mut raw = [100.0, 50.0, 100.0].into_iter();
        let mut sdk = [90.0, 48.0, 96.0].into_iter();
        let mut order = Vec::new();
        let paired = pair(3, |is_sdk| {
            order.push(is_sdk);
            let rate = if is_sdk { sdk.next() } else { raw.next() }.unwrap();
            Ok(Sample {
                rate,
                cpu_us: 1e6 / rate,
            })
        })
        .unwrap();
        assert_eq!(order, [false, true, true, false, false, true]);
        // Medians: 90 ÷ 100; the rounds' ratios: 0.90, 0.96, 0.96.
        assert_eq!((paired.raw.rate, paired.sdk.rate), (100.0, 90.0));
        assert_eq!(paired.ratios.rate, [0.9, 0.96, 0.96]);
        assert!((paired.ratios.cpu[1] - 0.96).abs() < 1e-9);
    }
}
