//! Progress of a bulk run on stderr: a bar on a terminal (indicatif), a plain line every
//! few seconds otherwise (logs, CI), nothing with `--quiet`.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use aqr_ledger::{Progress, RowStatus};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output;

/// How often a plain progress line is printed when stderr is not a terminal.
const LINE_INTERVAL: Duration = Duration::from_secs(2);

/// How often the bar is redrawn.
const BAR_REFRESH_HZ: u8 = 10;

/// Where progress goes.
pub(crate) enum Reporter {
    /// A progress bar (stderr is a terminal).
    Bar(ProgressBar),
    /// Plain periodic lines (stderr is a file or a pipe).
    Lines {
        /// What runs, e.g. `import`.
        label: &'static str,
        /// When the run started.
        started: Instant,
        /// When the last line was printed.
        last: Instant,
    },
    /// Nothing (`--quiet`).
    Quiet,
}

impl Reporter {
    /// A reporter for a run of `total` rows labelled `label`.
    #[must_use]
    pub(crate) fn new(label: &'static str, total: usize, quiet: bool) -> Reporter {
        if quiet {
            return Reporter::Quiet;
        }
        let now = Instant::now();
        if !std::io::stderr().is_terminal() {
            return Reporter::Lines {
                label,
                started: now,
                last: now,
            };
        }
        let bar = ProgressBar::with_draw_target(
            Some(total as u64),
            ProgressDrawTarget::stderr_with_hz(BAR_REFRESH_HZ),
        );
        if let Ok(style) = ProgressStyle::with_template(
            "{prefix} [{bar:30}] {pos}/{len} {msg} ({elapsed}, ETA {eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label);
        Reporter::Bar(bar)
    }

    /// Shows `progress` (a plain line only every few seconds).
    pub(crate) fn update(&mut self, progress: &Progress) {
        match self {
            Reporter::Bar(bar) => {
                bar.set_position(progress.done() as u64);
                bar.set_message(summary(progress));
            }
            Reporter::Lines {
                label,
                started,
                last,
            } => {
                if last.elapsed() >= LINE_INTERVAL {
                    *last = Instant::now();
                    output::trace(&line(label, progress, started.elapsed()));
                }
            }
            Reporter::Quiet => {}
        }
    }

    /// Shows the final state.
    pub(crate) fn finish(&mut self, progress: &Progress) {
        match self {
            Reporter::Bar(bar) => {
                bar.set_position(progress.done() as u64);
                bar.finish_with_message(summary(progress));
            }
            Reporter::Lines { label, started, .. } => {
                output::trace(&line(label, progress, started.elapsed()));
            }
            Reporter::Quiet => {}
        }
    }
}

/// `"12/300 rows: 10 created, 2 failed (1.4 s)"`.
fn line(label: &str, progress: &Progress, elapsed: Duration) -> String {
    format!(
        "{label}: {}/{} rows: {} ({:.1} s)",
        progress.done(),
        progress.total,
        summary(progress),
        elapsed.as_secs_f64()
    )
}

/// `"10 created, 2 failed"`: the non-zero counts, or `"starting"`.
#[must_use]
pub(crate) fn summary(progress: &Progress) -> String {
    let parts: Vec<String> = RowStatus::ALL
        .into_iter()
        .filter(|status| progress.count(*status) > 0)
        .map(|status| {
            format!(
                "{} {}",
                progress.count(status),
                status.as_str().replace('_', " ")
            )
        })
        .collect();
    if parts.is_empty() {
        "starting".to_owned()
    } else {
        parts.join(", ")
    }
}
