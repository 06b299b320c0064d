//! `aqr-probe`: one call through a Rust client, its outcome as one JSON line.
//!
//! ```text
//! aqr-probe <blocking|async> <create|delete> --base-url URL --token T --email E
//!           [--account-id ID] [--timeout-ms N] [--retries N] [--backoff-ms N]
//! ```
//!
//! The cross-client fault matrix (tests/python/fault_matrix) runs it next to the Python
//! clients and the CLI, so every client is checked against the same faults.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use aqr::{Bank, Config, Error, NewAccount, RetryPolicy, Timeouts};
use serde_json::{Value, json};

struct Args {
    client: String,
    operation: String,
    base_url: String,
    token: String,
    email: String,
    account_id: String,
    timeout: Duration,
    retries: u32,
    backoff: Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut args = Args {
        client: String::new(),
        operation: String::new(),
        base_url: String::new(),
        token: String::new(),
        email: String::new(),
        account_id: "unknown-id".to_owned(),
        timeout: Duration::from_secs(30),
        retries: 2,
        backoff: Duration::from_millis(500),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        let millis = |v: String| {
            v.parse::<u64>()
                .map(Duration::from_millis)
                .map_err(|e| e.to_string())
        };
        match arg.as_str() {
            "--base-url" => args.base_url = value()?,
            "--token" => args.token = value()?,
            "--email" => args.email = value()?,
            "--account-id" => args.account_id = value()?,
            "--timeout-ms" => args.timeout = millis(value()?)?,
            "--backoff-ms" => args.backoff = millis(value()?)?,
            "--retries" => args.retries = value()?.parse().map_err(|e| format!("{e}"))?,
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => positional.push(other.to_owned()),
        }
    }
    match positional.as_slice() {
        [client, operation] => {
            args.client = client.clone();
            args.operation = operation.clone();
            Ok(args)
        }
        _ => Err(
            "usage: aqr-probe <blocking|async> <create|delete> --base-url URL --token T --email E"
                .to_owned(),
        ),
    }
}

fn outcome(result: Result<Value, Error>, elapsed: Duration) -> Value {
    let elapsed_ms = elapsed.as_millis() as u64;
    match result {
        Ok(value) => json!({"ok": true, "value": value, "elapsed_ms": elapsed_ms}),
        Err(error) => {
            let (kind, detail) = match &error {
                Error::Config(_) => ("config", Value::Null),
                Error::Invalid(e) => ("invalid", json!(e.field().name())),
                Error::Api(e) => ("api", json!(e.status)),
                Error::Response(e) => ("response", json!(e.kind.code())),
                Error::Transport(e) => ("transport", json!(e.kind().code())),
                _ => ("other", Value::Null),
            };
            json!({
                "ok": false,
                "kind": kind,
                "detail": detail,
                "status": error.status(),
                "may_have_been_processed": error.may_have_been_processed(),
                "outcome_unknown": error.is_outcome_unknown(),
                "attempts": error.attempts(),
                "message": error.to_string(),
                "debug": format!("{error:?}"),
                "elapsed_ms": elapsed_ms,
            })
        }
    }
}

fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").name("월세")
}

fn run(args: &Args) -> Result<Value, Error> {
    let config = Config::new(&args.token, &args.email)?.with_base_url(&args.base_url)?;
    let policy = RetryPolicy {
        max_retries: args.retries,
        initial_backoff: args.backoff,
        ..RetryPolicy::default()
    };
    let timeouts = Timeouts::per_attempt(args.timeout);
    let created = |c: aqr::CreatedAccount| json!({"account_id": c.account_id});
    match args.client.as_str() {
        "blocking" => {
            let client = aqr::blocking::Client::with_driver(
                config,
                aqr::transport::Blocking {
                    sender: aqr::blocking::UreqSender::with_timeouts(timeouts),
                    timer: aqr::blocking::ThreadTimer,
                },
            )
            .with_retry_policy(policy);
            match args.operation.as_str() {
                "create" => client.create(&account()).map(created),
                _ => client.delete(&args.account_id).map(|()| Value::Null),
            }
        }
        _ => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| {
                    aqr::TransportError::new(aqr::TransportErrorKind::Other, false, e.to_string())
                })?;
            let client = aqr::Client::with_driver(
                config,
                aqr::transport::Async {
                    sender: aqr::ReqwestSender::with_timeouts(timeouts),
                    timer: aqr::TokioTimer,
                },
            )
            .with_retry_policy(policy);
            runtime.block_on(async {
                match args.operation.as_str() {
                    "create" => client.create(&account()).await.map(created),
                    _ => client.delete(&args.account_id).await.map(|()| Value::Null),
                }
            })
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let result = run(&args);
    println!("{}", outcome(result, started.elapsed()));
    ExitCode::SUCCESS
}
