//! `aqr-bench calls`: exactly N sequential creates with one client, for counting
//! instructions per call under `valgrind --tool=callgrind` (deterministic, unlike
//! throughput on a shared machine).

use std::time::Duration;

use aqr_core::{Bank, Config, NewAccount, Timeouts};
use clap::ValueEnum;

use crate::raw::{self, Target};

/// Which client makes the calls.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Which {
    /// ureq with the SDK's timeouts.
    UreqRaw,
    /// ureq with its defaults (no timeout).
    UreqRawNoTimeout,
    /// `aqr_ureq::Client`.
    UreqSdk,
    /// reqwest configured like the SDK.
    ReqwestRaw,
    /// `aqr_reqwest::Client`.
    ReqwestSdk,
}

/// Makes `calls` creates against `base_url`.
///
/// # Errors
/// The first failed call's message.
pub fn run(which: Which, calls: u64, base_url: &str) -> Result<(), String> {
    let timeouts = Timeouts::DEFAULT;
    let config = Config::new("bench-token", "dev@example.com")
        .and_then(|c| c.with_base_url(base_url))
        .map_err(|e| e.to_string())?;
    let target = Target {
        endpoint: config.endpoint().to_string(),
        token: "bench-token".to_owned(),
        email: "dev@example.com".to_owned(),
    };
    let account = NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234")
        .account_name("월세");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    match which {
        Which::UreqRaw | Which::UreqRawNoTimeout => {
            let agent = if matches!(which, Which::UreqRaw) {
                raw::ureq_agent(Some(timeouts.connect()), Some(timeouts.attempt()))
            } else {
                raw::ureq_agent(None, None)
            };
            for _ in 0..calls {
                raw::ureq_create(&agent, &target)?;
            }
        }
        Which::UreqSdk => {
            let client = aqr_ureq::Client::new(config).map_err(|e| e.to_string())?;
            for _ in 0..calls {
                client.create(&account).map_err(|e| e.to_string())?;
            }
        }
        Which::ReqwestRaw => {
            let client = raw::reqwest_client(timeouts.connect(), timeouts.attempt())?;
            runtime.block_on(async {
                for _ in 0..calls {
                    raw::reqwest_create(&client, &target).await?;
                }
                Ok::<(), String>(())
            })?;
        }
        Which::ReqwestSdk => {
            let client = aqr_reqwest::Client::new(config).map_err(|e| e.to_string())?;
            runtime.block_on(async {
                for _ in 0..calls {
                    client.create(&account).await.map_err(|e| e.to_string())?;
                }
                Ok::<(), String>(())
            })?;
        }
    }
    // Let the last connection close cleanly before exiting.
    std::thread::sleep(Duration::from_millis(10));
    Ok(())
}
