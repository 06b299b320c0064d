//! No log record of any crate in the tree, at any level, holds the token or a form value
//! (account number, owner, phone): a TRACE logger for every target records everything both
//! clients emit around real calls, and every record is searched. ureq writes its raw
//! request bytes at TRACE under `ureq_proto::util`, so while that target is kept the
//! blocking client refuses to send (and says why); with it at DEBUG, it sends.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use aqr::{Bank, Config, Error, NewAccount};
use aqr_mock::{Credential, MockOptions, MockServer};
use log::{Level, LevelFilter, Log, Metadata, Record};

const TOKEN: &str = "tok_LOGS_SECRET_77";
const NUMBER: &str = "1234567894321";
const OWNER: &str = "홍길동";
const PHONE: &str = "01098765432";

/// Keeps every record; ureq's raw-bytes target only while `KEEP_RAW` is set.
struct Recorder {
    records: Mutex<Vec<String>>,
    keep_raw: AtomicBool,
}

impl Log for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        !metadata.target().starts_with("ureq_proto")
            || self.keep_raw.load(Ordering::SeqCst)
            || metadata.level() <= Level::Debug
    }
    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            let line = format!("{} {} {}", record.level(), record.target(), record.args());
            self.records.lock().unwrap().push(line);
        }
    }
    fn flush(&self) {}
}

fn recorder() -> &'static Recorder {
    static RECORDER: OnceLock<&'static Recorder> = OnceLock::new();
    RECORDER.get_or_init(|| {
        let recorder: &'static Recorder = Box::leak(Box::new(Recorder {
            records: Mutex::new(Vec::new()),
            keep_raw: AtomicBool::new(false),
        }));
        log::set_logger(recorder).unwrap();
        log::set_max_level(LevelFilter::Trace);
        recorder
    })
}

/// The secrets, and the hex ureq would write them in (two bytes per group).
fn secrets() -> Vec<String> {
    let mut all: Vec<String> = [TOKEN, NUMBER, OWNER, PHONE].map(str::to_owned).to_vec();
    all.extend([TOKEN, NUMBER, PHONE].iter().map(|s| {
        s.bytes()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    }));
    all
}

fn account() -> NewAccount {
    NewAccount::new(NUMBER, Bank::TossBank, OWNER, PHONE)
}

fn config(mock: &MockServer) -> Config {
    Config::new(TOKEN, mock.email())
        .unwrap()
        .with_base_url(&mock.url())
        .unwrap()
}

fn mock() -> MockServer {
    MockServer::start(MockOptions {
        credentials: vec![Credential::new(TOKEN, "dev@example.com")],
        ..MockOptions::default()
    })
    .unwrap()
}

fn assert_clean(records: &[String]) {
    assert!(
        !records.is_empty(),
        "no record at all: is the logger installed?"
    );
    for record in records {
        let squashed: String = record.chars().filter(|c| !c.is_whitespace()).collect();
        for secret in secrets() {
            assert!(
                !squashed.contains(&secret),
                "a record holds a secret: {record}"
            );
        }
    }
}

#[test]
fn no_record_holds_a_secret_and_ureq_refuses_while_its_raw_bytes_would_be_kept() {
    let recorder = recorder();
    let mock = mock();

    // Every target at TRACE, ureq's raw bytes included: the blocking client refuses.
    recorder.keep_raw.store(true, Ordering::SeqCst);
    let blocking = aqr::blocking::Client::new(config(&mock)).unwrap();
    let error = blocking.create(&account()).unwrap_err();
    assert!(
        matches!(&error, Error::Transport(t) if !t.may_have_been_sent()),
        "{error:?}"
    );
    assert!(error.to_string().contains("ureq_proto"), "{error}");
    assert_eq!(mock.request_count(None), 0);

    // The async client (reqwest, hyper) logs no raw bytes: it sends, at TRACE.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = aqr::Client::new(config(&mock)).unwrap();
    runtime.block_on(async {
        let created = client.create(&account()).await.unwrap();
        client.delete(&created.account_id).await.unwrap();
    });

    // ureq's raw bytes at DEBUG: the blocking client sends, and logs nothing secret.
    recorder.keep_raw.store(false, Ordering::SeqCst);
    let created = blocking.create(&account()).unwrap();
    blocking.qr_image(&created.qr_image).unwrap();
    blocking.delete(&created.account_id).unwrap();

    let records = recorder.records.lock().unwrap().clone();
    assert!(
        records.iter().any(|r| r.contains("ureq")),
        "ureq logged nothing"
    );
    assert_clean(&records);
}
