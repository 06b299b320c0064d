//! Waiting for the signals that stop a mock run from a terminal or a supervisor.

use std::io;

/// Ctrl-C (SIGINT) and, on Unix, SIGTERM, caught from the moment it is installed.
///
/// Both binaries that serve the mock (`aqr-mock`, `aqr mock`) install it before they
/// announce themselves, wait on it, then stop the server (which writes the state file)
/// and exit with status 0.
pub struct StopSignal {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    signals: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl std::fmt::Debug for StopSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StopSignal").finish_non_exhaustive()
    }
}

impl StopSignal {
    /// Catches the signals from now on (their default action, ending the process, no
    /// longer applies).
    ///
    /// # Errors
    /// The signal handlers cannot be installed.
    pub fn install() -> io::Result<StopSignal> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        #[cfg(unix)]
        let signals = {
            use tokio::signal::unix::{SignalKind, signal};
            let _entered = runtime.enter();
            (
                signal(SignalKind::interrupt())?,
                signal(SignalKind::terminate())?,
            )
        };
        Ok(StopSignal {
            runtime,
            #[cfg(unix)]
            signals,
        })
    }

    /// Blocks until one of the signals arrives.
    ///
    /// # Errors
    /// Waiting failed (only where the signals are not Unix signals).
    pub fn wait(self) -> io::Result<()> {
        #[cfg(unix)]
        {
            let (mut interrupt, mut terminate) = self.signals;
            self.runtime.block_on(async {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            });
            Ok(())
        }
        #[cfg(not(unix))]
        {
            self.runtime.block_on(tokio::signal::ctrl_c())
        }
    }
}
