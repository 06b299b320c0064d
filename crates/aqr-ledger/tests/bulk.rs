//! The sans-I/O bookkeeping of a bulk create, and reading import files.

use aqr_core::{CreatedAccount, Error, TransportError};
use aqr_ledger::import::{self, ImportFormat, parse_ids};
use aqr_ledger::{BulkCreate, BulkOptions, Claim, Entry, RowStatus, Status};

const CSV: &str = "\u{feff}account_number,bank,owner,phone,name
1234567894321,토스뱅크,홍길동,010-1234-5678,월세
\"110-123-456789\",004,김철수,02-123-4567,
3333012345678,1,이영희,+82 10-9999-8888,\"가게, 본점\"
1234567894321,토스뱅크,홍길동,010-1234-5678,월세
";

fn file() -> import::ImportFile {
    import::parse(CSV.as_bytes(), ImportFormat::Csv).unwrap()
}

#[test]
fn csv_rows_are_validated_and_normalised() {
    let file = file();
    assert!(file.invalid.is_empty(), "{:?}", file.invalid);
    let lines: Vec<u64> = file.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4, 5]);
    assert_eq!(file.rows[1].request.account_number(), "110123456789");
    assert_eq!(file.rows[1].request.bank(), aqr_core::Bank::Kookmin);
    assert_eq!(file.rows[1].request.account_name(), None);
    assert_eq!(file.rows[2].request.account_name(), Some("가게, 본점"));
}

#[test]
fn invalid_rows_name_line_column_and_rule() {
    let csv = "account_number,bank,owner,phone\n12,1,a,010-1234-5678\n1234567894321,없는은행,a,010-1234-5678\n1234567894321,1,,010-1234-5678\n1234567894321,1,a,010-1234-5678,extra\n1234567894321,1,a,010-1234-5678\n";
    let file = import::parse(csv.as_bytes(), ImportFormat::Csv).unwrap();
    let got: Vec<(u64, &str, &str)> = file
        .invalid
        .iter()
        .map(|e| (e.line, e.field.as_str(), e.rule.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "account_number", "digit_count"),
            (3, "bank", "unknown_bank"),
            (4, "owner", "required"),
            (5, "row", "too_many_fields"),
        ]
    );
    assert_eq!(file.rows.len(), 1);
    assert!(!file.invalid[0].to_string().contains("12,"));
}

#[test]
fn bad_headers_and_empty_files_are_refused() {
    for (csv, needle) in [
        ("account_number,bank,owner\n", "phone"),
        ("account_number,bank,owner,phone,nmae\n", "nmae"),
        ("account_number,bank,owner,phone,phone_number\n", "twice"),
    ] {
        let error = import::parse(csv.as_bytes(), ImportFormat::Csv).unwrap_err();
        assert!(error.to_string().contains(needle), "{error}");
    }
    let error = import::parse(b"account_number,bank,owner,phone\n", ImportFormat::Csv).unwrap_err();
    assert!(matches!(error, import::ImportError::Empty), "{error}");
    let error = import::parse(
        b"account_number,bank,owner,phone\n\xff\xfe,1,a,b\n",
        ImportFormat::Csv,
    )
    .unwrap_err();
    assert!(error.to_string().contains("UTF-8"), "{error}");
}

#[test]
fn json_lines_take_the_same_keys() {
    let text = "{\"account_number\":\"1234567894321\",\"bank\":1,\"owner\":\"홍길동\",\"phone\":\"010-1234-5678\"}\n\n{\"account_number\":\"1234567894321\",\"bank_id\":\"092\",\"account_owner\":\"a\",\"phone_number\":\"010-1234-5678\",\"account_name\":null}\nnot json\n{\"account_number\":\"1\",\"bank\":1,\"owner\":\"a\",\"phone\":\"010\",\"colour\":\"red\"}\n[1]\n";
    assert_eq!(
        ImportFormat::detect("rows.txt".as_ref(), text.as_bytes()),
        ImportFormat::JsonLines
    );
    let file = import::parse(text.as_bytes(), ImportFormat::JsonLines).unwrap();
    assert_eq!(file.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3]);
    let rules: Vec<(u64, &str)> = file
        .invalid
        .iter()
        .map(|e| (e.line, e.rule.as_str()))
        .collect();
    assert_eq!(
        rules,
        [(4, "not_json"), (5, "unknown_field"), (6, "not_an_object")]
    );
}

#[test]
fn id_files_are_results_files_or_plain_lists() {
    let results = "line,status,account_id,short_url,qr_image,error\n2,created,abc,u,q,\n3,failed,,,,boom\n4,already_created,def,u,q,\n";
    let ids = parse_ids(results.as_bytes()).unwrap();
    assert_eq!(ids.ids, [(2, "abc".to_owned()), (4, "def".to_owned())]);
    let plain = "# ids\nabc\n\n ghi \nbad id\n";
    let ids = parse_ids(plain.as_bytes()).unwrap();
    assert_eq!(ids.ids, [(2, "abc".to_owned()), (4, "ghi".to_owned())]);
    assert_eq!(ids.invalid.len(), 1);
    assert_eq!(ids.invalid[0].line, 5);
    let jsonl = "{\"line\":2,\"account_id\":\"abc\"}\n{\"line\":3,\"account_id\":null}\n";
    assert_eq!(
        parse_ids(jsonl.as_bytes()).unwrap().ids,
        [(1, "abc".to_owned())]
    );
}

fn entry_for(bulk_fp: &str, slot: u32, id: i64, status: Status) -> Entry {
    Entry {
        id,
        status,
        fingerprint: bulk_fp.to_owned(),
        slot,
        email: "dev@example.com".into(),
        base_url: "http://127.0.0.1:9".into(),
        bank_id: 1,
        account_number: "*********4321".into(),
        account_owner: "홍길동".into(),
        phone_number: "*******5678".into(),
        account_name: None,
        account_id: (status == Status::Created).then(|| format!("id{id}")),
        short_url: (status == Status::Created).then(|| format!("http://127.0.0.1:9/f/id{id}")),
        qr_image: (status == Status::Created)
            .then(|| format!("http://127.0.0.1:9/res?keyword=id{id}")),
        error: (status == Status::Unknown).then(|| "read timed out".to_owned()),
        import_file: None,
        import_line: None,
        recorded_at: 0,
        updated_at: 0,
    }
}

fn bulk(options: BulkOptions) -> (BulkCreate, Vec<String>) {
    let bulk = BulkCreate::new(
        file(),
        "dev@example.com",
        "http://127.0.0.1:9",
        None,
        options,
    );
    let fingerprints = bulk.fingerprints().map(str::to_owned).collect();
    (bulk, fingerprints)
}

#[test]
fn the_plan_skips_created_sends_failed_and_holds_unknown() {
    let (mut bulk, fp) = bulk(BulkOptions::default());
    // Rows 2 and 5 are the same request: copies 0 and 1.
    assert_eq!(fp[0], fp[3]);
    let known = [
        entry_for(&fp[0], 0, 10, Status::Created),
        entry_for(&fp[1], 0, 11, Status::Failed),
        entry_for(&fp[2], 0, 12, Status::Unknown),
        entry_for(&fp[3], 1, 13, Status::Pending),
    ];
    let interrupted = bulk.plan(&known);
    assert_eq!(interrupted, [13]);
    let job = bulk.next_job().unwrap();
    assert_eq!(job.line, 3);
    assert_eq!(
        job.claim,
        Claim::Resend {
            id: 11,
            seen: Status::Failed
        }
    );
    assert!(bulk.next_job().is_none());
    assert_eq!(
        bulk.finish(
            job.index,
            Some(11),
            Ok(CreatedAccount::new("new", "q", "s"))
        ),
        RowStatus::Created
    );
    let statuses: Vec<RowStatus> = bulk.into_results().iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            RowStatus::AlreadyCreated,
            RowStatus::Created,
            RowStatus::Unknown,
            RowStatus::Unknown
        ]
    );
}

#[test]
fn resend_unknown_sends_them_and_outcomes_are_classified() {
    let (mut bulk, fp) = bulk(BulkOptions {
        resend_unknown: true,
    });
    let known = [entry_for(&fp[2], 0, 12, Status::Unknown)];
    assert!(bulk.plan(&known).is_empty());
    let mut jobs = Vec::new();
    while let Some(job) = bulk.next_job() {
        jobs.push(job);
    }
    let claims: Vec<Claim> = jobs.iter().map(|j| j.claim).collect();
    assert_eq!(
        claims,
        [
            Claim::Copy(0),
            Claim::Copy(0),
            Claim::Resend {
                id: 12,
                seen: Status::Unknown
            },
            Claim::Copy(1),
        ]
    );
    let refused: Result<CreatedAccount, Error> = Err(TransportError::connect("refused").into());
    let dropped: Result<CreatedAccount, Error> = Err(TransportError::io(true, "reset").into());
    assert_eq!(bulk.finish(jobs[0].index, None, refused), RowStatus::Failed);
    assert_eq!(
        bulk.finish(jobs[1].index, None, dropped),
        RowStatus::Unknown
    );
    bulk.stop();
    let progress = bulk.progress();
    assert_eq!(progress.count(RowStatus::Failed), 1);
    assert_eq!(progress.count(RowStatus::Unknown), 1);
    // Jobs 2 and 3 were handed out before the stop: still in flight, not counted.
    assert_eq!(progress.done(), 2);
}

#[test]
fn stop_marks_queued_rows_not_sent() {
    let (mut bulk, _) = bulk(BulkOptions::default());
    bulk.plan(&[]);
    let first = bulk.next_job().unwrap();
    bulk.stop();
    assert!(bulk.next_job().is_none());
    assert_eq!(bulk.progress().count(RowStatus::NotSent), 3);
    let results = bulk.into_results();
    assert_eq!(results[first.index].status, RowStatus::NotSent);
    assert_eq!(results.len(), 4);
}

#[test]
fn rows_from_a_program_follow_the_same_rules() {
    let row = import::row_from_fields(
        1,
        [
            ("account_number", "1234-567-894321"),
            ("bank_id", "1"),
            ("account_owner", "홍길동"),
            ("phone_number", "010-1234-5678"),
        ],
    )
    .unwrap();
    assert_eq!(row.request.account_number(), "1234567894321");
    let error =
        import::row_from_fields(7, [("account_number", "1"), ("colour", "red")]).unwrap_err();
    assert_eq!((error.line, error.rule.as_str()), (7, "unknown_field"));
}
