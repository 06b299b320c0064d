//! The results: one row per scenario (medians over the rounds), printed as a table for
//! people and written as JSON for `tools/bench_table.py`.

use std::path::Path;

use serde::Serialize;

use crate::measure::Sample;

/// One line of the result table.
#[derive(Debug, Serialize)]
pub struct Row {
    /// `HTTP` or `HTTPS`.
    pub transport: &'static str,
    /// `keep-alive` or `new connection`.
    pub connection: &'static str,
    /// `sequential` or `N in flight`.
    pub mode: String,
    /// The SDK client measured.
    pub client: &'static str,
    /// What it is compared with.
    pub peer: String,
    /// The SDK client's medians.
    pub sdk: Sample,
    /// The peer's medians.
    pub raw: Sample,
    /// The rounds' own ratios.
    pub ratios: PairedRatios,
}

/// The ratios of the rounds, each SDK measurement beside the peer's of the same round:
/// lower quartile, median, upper quartile.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct PairedRatios {
    /// SDK calls/s ÷ peer calls/s.
    pub rate: [f64; 3],
    /// Peer CPU time per call ÷ SDK CPU time per call.
    pub cpu: [f64; 3],
}

impl Row {
    /// The name `--only` matches, e.g. `HTTPS keep-alive, raw reqwest, 64 in flight`.
    pub fn scenario(&self) -> String {
        format!(
            "{} {}, {}, {}",
            self.transport, self.connection, self.peer, self.mode
        )
    }
}

/// Writes the rows as a JSON array.
///
/// # Errors
/// A message naming the file when it cannot be written.
pub fn write_json(rows: &[Row], path: &Path) -> Result<(), String> {
    let text = serde_json::to_string_pretty(rows).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Prints the table.
pub fn print_table(rows: &[Row]) {
    println!();
    println!(
        "| {:<52} | {:>11} | {:>11} | {:>7} | {:>17} | {:>10} | {:>10} | {:>7} |",
        "scenario",
        "raw calls/s",
        "SDK calls/s",
        "SDK/raw",
        "paired (IQR)",
        "raw CPU µs",
        "SDK CPU µs",
        "raw/SDK"
    );
    println!(
        "|{:-<54}|{:->13}|{:->13}|{:->9}|{:->19}|{:->12}|{:->12}|{:->9}|",
        "", ":", ":", ":", ":", ":", ":", ":"
    );
    for row in rows {
        let [low, median, high] = row.ratios.rate;
        println!(
            "| {:<52} | {:>11.0} | {:>11.0} | {:>6.1}% | {:>5.1}% ({:>3.0}–{:>3.0}) | {:>10.1} | {:>10.1} | {:>6.1}% |",
            row.scenario(),
            row.raw.rate,
            row.sdk.rate,
            100.0 * row.sdk.rate / row.raw.rate,
            100.0 * median,
            100.0 * low,
            100.0 * high,
            row.raw.cpu_us,
            row.sdk.cpu_us,
            100.0 * row.raw.cpu_us / row.sdk.cpu_us,
        );
    }
    println!();
    println!(
        "calls/s: wall clock, medians of the rounds; paired: the median (and quartiles) of \
         each round's SDK/raw; CPU µs: CPU time of the calling thread per call."
    );
}
