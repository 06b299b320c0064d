//! `aqr-probe`: one call through a Rust client, its outcome as one JSON line.
//!
//! ```text
//! aqr-probe <blocking|async> <create|delete|qr_image|round_trip> [--base-url URL]
//!           [--token T] [--email E] [--account-id ID] [--timeout S] [--connect-timeout S]
//!           [--deadline S] [--retries N] [--retry-backoff S] [--proxy URL] [--ca-bundle PEM]
//! ```
//!
//! Options the command line does not give come from the environment exactly as for any
//! SDK user (`AQR_*`, the proxy variables, `SSL_CERT_FILE`, `AQR_CA_BUNDLE`). The
//! cross-client tests (tests/python) run it next to the Python clients and the CLI, so
//! every client is checked against the same situations; its error fields have the CLI's
//! `--json` names.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use aqr::{Bank, ClientOptions, Connect, Error, NewAccount};
use serde_json::{Value, json};

struct Args {
    client: String,
    operation: String,
    account_id: String,
    options: ClientOptions,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut options = ClientOptions::default();
    let mut account_id = "unknown-id".to_owned();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        let number = |v: String| v.parse::<f64>().map_err(|e| format!("{arg}: {e}"));
        match arg.as_str() {
            "--base-url" => options.base_url = Some(value()?),
            "--token" => options.token = Some(value()?),
            "--email" => options.email = Some(value()?),
            "--account-id" => account_id = value()?,
            "--timeout" => options.timeout = Some(number(value()?)?),
            "--connect-timeout" => options.connect_timeout = Some(number(value()?)?),
            "--deadline" => options.deadline = Some(number(value()?)?),
            "--retry-backoff" => options.retry_backoff = Some(number(value()?)?),
            "--retries" => {
                options.max_retries = Some(value()?.parse().map_err(|e| format!("{e}"))?)
            }
            "--proxy" => options.proxy = Some(value()?),
            "--ca-bundle" => options.ca_bundle = Some(value()?),
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => positional.push(other.to_owned()),
        }
    }
    match positional.as_slice() {
        [client, operation] => Ok(Args {
            client: client.clone(),
            operation: operation.clone(),
            account_id,
            options,
        }),
        _ => Err(
            "usage: aqr-probe <blocking|async> <create|delete|qr_image|round_trip> …".to_owned(),
        ),
    }
}

fn outcome(result: Result<Value, Error>, elapsed: Duration) -> Value {
    let elapsed_ms = elapsed.as_millis() as u64;
    match result {
        Ok(value) => json!({"ok": true, "value": value, "elapsed_ms": elapsed_ms}),
        Err(error) => {
            let (error_type, kind, field) = match &error {
                Error::Invalid(e) => ("invalid", Value::Null, json!(e.field().name())),
                Error::Api(_) => ("api", Value::Null, Value::Null),
                Error::Response(e) => ("response", json!(e.kind.code()), Value::Null),
                Error::Transport(e) => ("transport", json!(e.kind().code()), Value::Null),
                _ => ("other", Value::Null, Value::Null),
            };
            json!({
                "ok": false,
                "type": error_type,
                "kind": kind,
                "field": field,
                "connect": error.is_connect(),
                "timeout": error.is_timeout(),
                "status": error.status(),
                "may_have_been_processed": error.may_have_been_processed(),
                "outcome_unknown": error.is_outcome_unknown(),
                "attempts": error.attempts(),
                "message": error.report(),
                "debug": format!("{error:?}"),
                "elapsed_ms": elapsed_ms,
            })
        }
    }
}

fn account() -> NewAccount {
    NewAccount::new("1234567894321", Bank::TossBank, "홍길동", "01012341234").account_name("월세")
}

/// The same operations for either client.
macro_rules! operate {
    ($client:expr, $operation:expr, $account_id:expr $(, $wait:tt)?) => {{
        let client = $client;
        match $operation {
            "create" => client
                .create(&account())
                $(.$wait)?
                .map(|c| json!({"account_id": c.account_id})),
            "delete" => client.delete($account_id)$(.$wait)?.map(|()| Value::Null),
            "qr_image" => client
                .qr_image(&format!("{}/res?keyword={}", client.config().base_url(), $account_id))
                $(.$wait)?
                .map(|png| json!({"bytes": png.len()})),
            _ => async_or_not!(client, $($wait)?),
        }
    }};
}

/// create → qr_image → delete in one process (the TLS and proxy tests).
macro_rules! async_or_not {
    ($client:expr, $($wait:tt)?) => {{
        let created = $client.create(&account())$(.$wait)?;
        match created {
            Err(error) => Err(error),
            Ok(created) => {
                let image = $client.qr_image(&created.qr_image)$(.$wait)?;
                let deleted = $client.delete(&created.account_id)$(.$wait)?;
                image.and_then(|png| deleted.map(|()| json!({"bytes": png.len(), "account_id": created.account_id})))
            }
        }
    }};
}

fn run(args: &Args) -> Result<Value, Error> {
    let settings = args.options.resolve(|name| std::env::var(name).ok())?;
    let operation = args.operation.as_str();
    let account_id = args.account_id.as_str();
    if args.client == "blocking" {
        let client = aqr::blocking::Client::connect(settings)?;
        return operate!(&client, operation, account_id);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let client = aqr::Client::connect(settings)?;
    runtime.block_on(async { operate!(&client, operation, account_id, await) })
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
