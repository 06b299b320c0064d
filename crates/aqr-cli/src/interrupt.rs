//! Ctrl-C during a command that sends: the first press sets a flag the command acts on (a
//! bulk run stops dispatching, finishes the requests in flight and writes its results; a
//! single call is stopped where it waits), a second press exits at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::exit::Code;
use crate::output;

/// Set once SIGINT (Ctrl-C) arrived.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interrupt {
    flag: Arc<AtomicBool>,
}

impl Interrupt {
    /// Starts listening for Ctrl-C; returns once the handler is in place. The first press
    /// prints `first_press` on stderr. When the handler cannot be installed, Ctrl-C keeps its default effect (the process ends; the
    /// ledger stays consistent and a rerun resumes).
    #[must_use]
    pub(crate) fn install(first_press: &'static str) -> Interrupt {
        let interrupt = Interrupt::default();
        let flag = Arc::clone(&interrupt.flag);
        let (ready, installed) = mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("aqr-ctrl-c".into())
            .spawn(move || listen(&flag, first_press, &ready));
        if spawned.is_ok() {
            // `false` (or a dropped sender) means the default handler stays.
            let _ = installed.recv();
        }
        interrupt
    }

    /// Whether Ctrl-C was pressed.
    #[must_use]
    pub(crate) fn is_set(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}

/// What the first Ctrl-C of a bulk run prints.
pub(crate) const BULK_FIRST_PRESS: &str = "interrupted: sending no more; waiting for the \
    requests in flight, then writing the results (Ctrl-C again to quit at once)";

/// What the first Ctrl-C of a single call prints.
pub(crate) const CALL_FIRST_PRESS: &str =
    "interrupted: stopping the call (Ctrl-C again to quit at once)";

fn listen(flag: &AtomicBool, first_press: &str, ready: &mpsc::Sender<bool>) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        let _ = ready.send(false);
        return;
    };
    runtime.block_on(async {
        #[cfg(unix)]
        let mut signals = {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::interrupt()) {
                Ok(signals) => signals,
                Err(_) => {
                    let _ = ready.send(false);
                    return;
                }
            }
        };
        let _ = ready.send(true);
        for presses in 1.. {
            #[cfg(unix)]
            let received = signals.recv().await.is_some();
            #[cfg(not(unix))]
            let received = tokio::signal::ctrl_c().await.is_ok();
            if !received {
                return;
            }
            if presses == 1 {
                flag.store(true, Ordering::SeqCst);
                output::trace(first_press);
            } else {
                output::trace(
                    "interrupted again: quitting now; requests in flight will show as \
                     unknown in the ledger",
                );
                std::process::exit(i32::from(Code::Interrupted.value()));
            }
        }
    });
}
