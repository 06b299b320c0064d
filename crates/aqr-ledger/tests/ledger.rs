//! The ledger file: where it is, who may read it, what it records, how runs claim rows.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use aqr_core::{Bank, CreateRequest, CreatedAccount, Error, NewAccount, TransportError};
use aqr_ledger::{Claim, CreateRecord, EntryFilter, Ledger, LedgerError, Status};

fn temp_ledger(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "aqr-ledger-test-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("nested").join("ledger.sqlite3")
}

fn request(number: &str) -> CreateRequest {
    NewAccount::new(number, Bank::TossBank, "홍길동", "010-1234-5678")
        .account_name("월세")
        .validate()
        .unwrap()
}

fn record(number: &str) -> CreateRecord {
    CreateRecord::new("dev@example.com", "http://127.0.0.1:9", &request(number))
}

fn created(id: &str) -> CreatedAccount {
    CreatedAccount::new(
        id,
        format!("http://127.0.0.1:9/res?keyword={id}"),
        format!("http://127.0.0.1:9/f/{id}"),
    )
}

#[cfg(unix)]
#[test]
fn the_file_and_its_directory_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let path = temp_ledger("mode");
    let ledger = Ledger::open(&path).unwrap();
    let id = ledger
        .record_pending(&record("1234567894321"), Claim::NextFree)
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    // While the connection is open the WAL files exist, with the same mode.
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        assert_eq!(mode(&side), 0o600, "{}", side.display());
    }
    assert!(ledger.entry(id).unwrap().is_some());
}

#[test]
fn it_is_a_wal_database_with_a_schema_version() {
    let path = temp_ledger("schema");
    drop(Ledger::open(&path).unwrap());
    let connection = rusqlite::Connection::open(&path).unwrap();
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let versions: Vec<i64> = connection
        .prepare("SELECT version FROM schema_version ORDER BY version")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(versions, [aqr_ledger::schema_version()]);
    drop(connection);
    // A second open applies nothing and keeps the data.
    let ledger = Ledger::open(&path).unwrap();
    let id = ledger
        .record_pending(&record("1234567894321"), Claim::NextFree)
        .unwrap();
    drop(ledger);
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.entry(id).unwrap().unwrap().status, Status::Pending);
}

#[test]
fn a_ledger_from_a_newer_build_is_refused() {
    let path = temp_ledger("newer");
    drop(Ledger::open(&path).unwrap());
    // What a newer build's migration would leave behind.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    match Ledger::open(&path) {
        Err(LedgerError::TooNew {
            found, supported, ..
        }) => {
            assert_eq!((found, supported), (99, aqr_ledger::schema_version()));
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn outcomes_are_created_failed_or_unknown() {
    let ledger = Ledger::open(temp_ledger("outcomes")).unwrap();
    let req = request("1234567894321");
    let a = ledger
        .record_pending(&record("1234567894321"), Claim::NextFree)
        .unwrap();
    let b = ledger
        .record_pending(&record("1234567894321"), Claim::NextFree)
        .unwrap();
    let c = ledger
        .record_pending(&record("1234567894321"), Claim::NextFree)
        .unwrap();
    let ok: Result<CreatedAccount, Error> = Ok(created("abcde"));
    let refused: Result<CreatedAccount, Error> =
        Err(TransportError::connect("connection refused").into());
    // A server echoing the account number: the ledger masks it in the error text.
    let timed_out: Result<CreatedAccount, Error> =
        Err(TransportError::timeout(true, "read timed out for 1234567894321").into());
    assert_eq!(
        ledger.record_outcome(a, &req, &ok).unwrap(),
        Status::Created
    );
    assert_eq!(
        ledger.record_outcome(b, &req, &refused).unwrap(),
        Status::Failed
    );
    assert_eq!(
        ledger.record_outcome(c, &req, &timed_out).unwrap(),
        Status::Unknown
    );
    let entry = ledger.entry(a).unwrap().unwrap();
    assert_eq!(entry.account_id.as_deref(), Some("abcde"));
    assert_eq!(entry.account_number, "*********4321");
    assert_eq!(entry.phone_number, "*******5678");
    let unknown = ledger.entry(c).unwrap().unwrap();
    let text = unknown.error.unwrap();
    assert!(!text.contains("1234567894321"), "{text}");
    assert!(text.contains("*********4321"), "{text}");
    // Three copies of one request occupy slots 0, 1, 2.
    let slots: Vec<u32> = [a, b, c]
        .iter()
        .map(|id| ledger.entry(*id).unwrap().unwrap().slot)
        .collect();
    assert_eq!(slots, [0, 1, 2]);
}

#[test]
fn two_runs_cannot_claim_the_same_row() {
    let path = temp_ledger("claims");
    let first = Ledger::open(&path).unwrap();
    let second = Ledger::open(&path).unwrap();
    let id = first
        .record_pending(&record("1234567894321"), Claim::Copy(0))
        .unwrap();
    match second.record_pending(&record("1234567894321"), Claim::Copy(0)) {
        Err(LedgerError::Conflict(holder)) => assert_eq!(holder, id),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // A resend needs the status the run saw.
    let req = request("1234567894321");
    let refused: Result<CreatedAccount, Error> = Err(TransportError::connect("refused").into());
    first.record_outcome(id, &req, &refused).unwrap();
    let resend = Claim::Resend {
        id,
        seen: Status::Failed,
    };
    assert_eq!(
        second
            .record_pending(&record("1234567894321"), resend)
            .unwrap(),
        id
    );
    assert!(matches!(
        first.record_pending(&record("1234567894321"), resend),
        Err(LedgerError::Conflict(_))
    ));
}

#[test]
fn deletes_free_the_slot_and_filters_select() {
    let ledger = Ledger::open(temp_ledger("deletes")).unwrap();
    let req = request("1234567894321");
    let id = ledger
        .record_pending(&record("1234567894321"), Claim::Copy(0))
        .unwrap();
    ledger
        .record_outcome(id, &req, &Ok(created("gone1")))
        .unwrap();
    assert!(ledger.mark_deleted("http://127.0.0.1:9/", "gone1").unwrap());
    assert!(!ledger.mark_deleted("http://127.0.0.1:9", "gone1").unwrap());
    // Slot 0 is free again.
    let again = ledger
        .record_pending(&record("1234567894321"), Claim::Copy(0))
        .unwrap();
    assert_ne!(again, id);
    let deleted = ledger
        .entries(&EntryFilter {
            status: Some(Status::Deleted),
            ..EntryFilter::default()
        })
        .unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].id, id);
    let elsewhere = ledger
        .entries(&EntryFilter {
            base_url: Some("https://aplx.link".into()),
            ..EntryFilter::default()
        })
        .unwrap();
    assert!(elsewhere.is_empty());
    assert_eq!(ledger.entries(&EntryFilter::default()).unwrap().len(), 2);
}

/// Pending records from many threads at once share commits (group commit) and still each
/// get their own slot: 16 threads × 40 single creates of the same request end up in 640
/// distinct slots, and two claims of the same copy conflict instead of both succeeding.
#[test]
fn concurrent_pending_records_share_commits_and_never_share_a_slot() {
    let ledger = Ledger::open(temp_ledger("group-commit")).unwrap();
    let record = record("1234567894321");
    let ids: Vec<_> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..16)
            .map(|_| {
                let ledger = &ledger;
                let record = &record;
                scope.spawn(move || {
                    (0..40)
                        .map(|_| ledger.record_pending(record, Claim::NextFree).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 640);
    let entries = ledger.entries(&EntryFilter::default()).unwrap();
    let mut slots: Vec<u32> = entries.iter().map(|e| e.slot).collect();
    slots.sort_unstable();
    assert_eq!(slots, (0..640).collect::<Vec<u32>>());

    let copy = |ledger: &Ledger| ledger.record_pending(&record, Claim::Copy(1000));
    let (a, b) = std::thread::scope(|scope| {
        let first = scope.spawn(|| copy(&ledger));
        let second = scope.spawn(|| copy(&ledger));
        (first.join().unwrap(), second.join().unwrap())
    });
    assert!(a.is_ok() != b.is_ok(), "{a:?} {b:?}");
    assert!(matches!(
        a.err().or(b.err()),
        Some(LedgerError::Conflict(_))
    ));
}
