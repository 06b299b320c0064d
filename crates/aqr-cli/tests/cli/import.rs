//! `aqr import`, `aqr entries` and the bulk `aqr delete` against an in-process mock.

use std::path::{Path, PathBuf};

use aqr_mock::{Fault, FaultBody, FaultResponse, MockAction, MockServer};
use serde_json::Value;

use crate::common::*;

/// A CSV file of `rows` valid rows (distinct account numbers) in `dir`.
pub(crate) fn csv_rows(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("account_number,bank,owner,phone,name\n");
    for i in 0..rows {
        text.push_str(&format!(
            "{},토스뱅크,홍길동,010-1234-5678,row {i}\n",
            account_number(i)
        ));
    }
    let path = dir.join("rows.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The account number of row `i`: 13 digits, unique per row.
pub(crate) fn account_number(i: usize) -> String {
    format!("3333{:09}", i + 1)
}

/// `aqr` for `server` recording in `dir/ledger.sqlite3`.
fn aqr_in(server: &MockServer, dir: &Path) -> assert_cmd::Command {
    let mut cmd = aqr_for(server);
    cmd.env("AQR_LEDGER", dir.join("ledger.sqlite3"));
    cmd
}

/// The results file as `(status, account_id)` per row.
pub(crate) fn results(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("line,status,account_id,short_url,qr_image,error")
    );
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[1].to_owned(), fields[2].to_owned())
        })
        .collect()
}

fn entries_json(server: &MockServer, dir: &Path, args: &[&str]) -> Vec<Value> {
    let output = aqr_in(server, dir)
        .args(["entries", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    json_stdout(&output).as_array().unwrap().clone()
}

fn fault(response: FaultResponse) -> Fault {
    Fault {
        action: Some(MockAction::Create),
        times: Some(1),
        response,
    }
}

#[test]
fn import_creates_every_row_and_a_rerun_resumes() {
    let server = mock();
    let dir = temp_dir("import-resume");
    let input = csv_rows(&dir, 6);
    // The first create is refused (provably not processed): it fails, and only it.
    server
        .push_fault(Fault {
            times: Some(1),
            ..respond(
                Some(MockAction::Create),
                400,
                FaultBody::JsonFail {
                    key: None,
                    message: "refused".into(),
                    code: None,
                },
            )
        })
        .unwrap();
    let output = aqr_in(&server, &dir)
        .args(["import", "--jobs", "1"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_no_token(&output);
    let first = results(&dir.join("rows.results.csv"));
    let statuses: Vec<&str> = first.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "failed", "created", "created", "created", "created", "created"
        ]
    );
    assert_eq!(server.entries().len(), 5);

    let output = aqr_in(&server, &dir)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let second = results(&dir.join("rows.results.csv"));
    for (i, ((before, id_before), (after, id_after))) in first.iter().zip(&second).enumerate() {
        if before == "created" {
            assert_eq!(
                (after.as_str(), id_after),
                ("already_created", id_before),
                "row {i}"
            );
        } else {
            assert_eq!(after, "created", "row {i}");
        }
    }
    // Every row exists exactly once, under the id the results file names.
    let mut on_mock: Vec<String> = server.entries().into_iter().map(|e| e.account_id).collect();
    let mut in_results: Vec<String> = second.into_iter().map(|(_, id)| id).collect();
    on_mock.sort();
    in_results.sort();
    assert_eq!(on_mock, in_results);
    assert_eq!(server.request_count(Some(MockAction::Create)), 7);
    let created = entries_json(
        &server,
        &dir,
        &["--status", "created", "--file"]
            .into_iter()
            .chain([input.to_str().unwrap()])
            .collect::<Vec<_>>(),
    );
    assert_eq!(created.len(), 6);
}

#[test]
fn unknown_rows_are_held_until_resend_unknown() {
    let server = mock();
    let dir = temp_dir("import-unknown");
    let input = csv_rows(&dir, 3);
    // Processed, then the connection dropped: the outcome is unknown.
    server
        .push_fault(fault(FaultResponse::DropAfterRead))
        .unwrap();
    let run = || {
        aqr_in(&server, &dir)
            .args(["import", "--jobs", "1"])
            .arg(&input)
            .output()
            .unwrap()
    };
    let output = run();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("unknown outcome"),
        "{}",
        stderr(&output)
    );
    assert_eq!(server.entries().len(), 3);
    let statuses: Vec<String> = results(&dir.join("rows.results.csv"))
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(statuses, ["unknown", "created", "created"]);

    // A rerun does not send it again.
    let output = run();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    assert_eq!(server.request_count(Some(MockAction::Create)), 3);
    assert_eq!(
        entries_json(&server, &dir, &["--status", "unknown"]).len(),
        1
    );

    // The user checked the management site and deleted the orphan; now resend it.
    let recorded: Vec<String> = entries_json(&server, &dir, &["--status", "created"])
        .iter()
        .map(|e| e["account_id"].as_str().unwrap().to_owned())
        .collect();
    let orphan = server
        .entries()
        .into_iter()
        .find(|e| !recorded.contains(&e.account_id))
        .unwrap();
    let output = aqr_in(&server, &dir)
        .args(["delete", &orphan.account_id])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = aqr_in(&server, &dir)
        .args(["import", "--resend-unknown"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.entries().len(), 3);
    assert_eq!(
        entries_json(&server, &dir, &["--status", "created"]).len(),
        3
    );
}

#[test]
fn invalid_rows_are_listed_and_nothing_is_sent() {
    let server = mock();
    let dir = temp_dir("import-invalid");
    let input = dir.join("rows.jsonl");
    std::fs::write(
        &input,
        "{\"account_number\":\"1234567894321\",\"bank\":\"092\",\"owner\":\"홍길동\",\"phone\":\"010-1234-5678\"}\n\
         {\"account_number\":\"12\",\"bank\":1,\"owner\":\"홍길동\",\"phone\":\"010-1234-5678\"}\n\
         {\"account_number\":\"1234567894322\",\"bank\":\"없는은행\",\"owner\":\"홍길동\",\"phone\":\"010-1234-5678\"}\n",
    )
    .unwrap();
    let output = aqr_in(&server, &dir)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("line 2: account_number"), "{err}");
    assert!(err.contains("(digit_count)"), "{err}");
    assert!(err.contains("line 3: bank"), "{err}");
    assert!(err.contains("nothing was sent"), "{err}");
    assert!(!err.contains("12,"), "{err}");
    assert_eq!(server.request_count(None), 0);

    let output = aqr_in(&server, &dir)
        .args(["import", "--skip-invalid", "--json"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.entries().len(), 1);
    let lines: Vec<Value> = std::fs::read_to_string(dir.join("rows.results.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<&str> = lines
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["created", "invalid", "invalid"]);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("account_number")
    );
}

#[test]
fn bulk_delete_from_a_results_file_and_all_created() {
    let server = mock();
    let dir = temp_dir("bulk-delete");
    let input = csv_rows(&dir, 8);
    let output = aqr_in(&server, &dir)
        .args(["import", "--jobs", "4", "--quiet"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = aqr_in(&server, &dir)
        .args(["delete", "--jobs", "3", "--from"])
        .arg(dir.join("rows.results.csv"))
        .args(["--out"])
        .arg(dir.join("deleted.csv"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(server.entries().is_empty());
    assert!(
        results(&dir.join("deleted.csv"))
            .iter()
            .all(|(s, _)| s == "deleted")
    );
    assert_eq!(
        entries_json(&server, &dir, &["--status", "deleted"]).len(),
        8
    );

    // Deleted rows are created again by a rerun; --all-created deletes them all.
    let output = aqr_in(&server, &dir)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.entries().len(), 8);
    let output = aqr_in(&server, &dir)
        .current_dir(&dir)
        .args(["delete", "--all-created", "--jobs", "8"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(server.entries().is_empty());
    assert!(entries_json(&server, &dir, &["--status", "created"]).is_empty());
    assert_eq!(results(&dir.join("aqr-delete.results.csv")).len(), 8);
}

#[test]
fn single_create_and_delete_record_in_the_ledger() {
    let server = mock();
    let dir = temp_dir("single");
    let output = aqr_in(&server, &dir)
        .args(CREATE)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let id = json_stdout(&output)["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let entries = entries_json(&server, &dir, &[]);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["status"], "created");
    assert_eq!(entries[0]["account_id"], id.as_str());
    assert_eq!(entries[0]["account_number"], "*********4321");
    let output = aqr_in(&server, &dir)
        .args(["delete", &id])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        entries_json(&server, &dir, &["--status", "deleted"]).len(),
        1
    );

    // --no-ledger records nothing.
    let output = aqr_in(&server, &dir)
        .args(CREATE)
        .arg("--no-ledger")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(entries_json(&server, &dir, &[]).len(), 1);
    // An outcome-unknown create is recorded as such.
    server
        .push_fault(fault(FaultResponse::DropAfterRead))
        .unwrap();
    let output = aqr_in(&server, &dir).args(CREATE).output().unwrap();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    assert_eq!(
        entries_json(&server, &dir, &["--status", "unknown"]).len(),
        1
    );
}

#[test]
fn progress_is_plain_lines_off_a_terminal_and_nothing_when_quiet() {
    let server = mock();
    let dir = temp_dir("progress");
    let input = csv_rows(&dir, 3);
    let output = aqr_in(&server, &dir)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("aqr: import: 3/3 rows: 3 created"), "{err}");
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(
        stdout(&output).contains("import: 3 rows: 3 created"),
        "{}",
        stdout(&output)
    );
    let output = aqr_in(&server, &dir)
        .args(["import", "--quiet"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert!(
        stdout(&output).contains("3 already created"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn progress_is_a_bar_on_a_pseudo_terminal() {
    let server = mock();
    let dir = temp_dir("progress-tty");
    let input = csv_rows(&dir, 20);
    // `script` runs the command on a new pseudo-terminal and copies what it shows.
    let command = format!(
        "{} import --jobs 2 {}",
        assert_cmd::cargo::cargo_bin!("aqr").display(),
        input.display()
    );
    let output = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", EMAIL)
        .env("AQR_BASE_URL", server.url())
        .env("AQR_LEDGER", dir.join("ledger.sqlite3"))
        .env("TERM", "xterm")
        .output()
        .expect("`script` (util-linux) runs the command on a pseudo-terminal");
    let screen = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{screen}");
    // indicatif draws the bar with cursor movements, and its last state shows all rows.
    assert!(screen.contains("\u{1b}["), "{screen:?}");
    assert!(screen.contains("20/20"), "{screen:?}");
    assert!(screen.contains("====="), "{screen:?}");
    assert!(!screen.contains("aqr: import:"), "{screen:?}");
    assert_eq!(server.entries().len(), 20);
}

#[test]
fn ctrl_c_stops_dispatching_and_a_rerun_finishes() {
    let server = mock();
    let dir = temp_dir("ctrl-c");
    let input = csv_rows(&dir, 30);
    // Every create takes 150 ms: the run lasts long enough to interrupt it.
    server
        .push_fault(Fault {
            action: Some(MockAction::Create),
            times: None,
            response: FaultResponse::Delay { delay_ms: 150 },
        })
        .unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("aqr"))
        .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", EMAIL)
        .env("AQR_BASE_URL", server.url())
        .env("AQR_LEDGER", dir.join("ledger.sqlite3"))
        .args(["import", "--jobs", "2"])
        .arg(&input)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.request_count(Some(MockAction::Create)) < 4 {
        assert!(std::time::Instant::now() < deadline, "no request arrived");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let rows = results(&dir.join("rows.results.csv"));
    assert_eq!(rows.len(), 30);
    let created = rows.iter().filter(|(s, _)| s == "created").count();
    let not_sent = rows.iter().filter(|(s, _)| s == "not_sent").count();
    // The requests in flight finished (nothing unknown), the rest was not sent.
    assert_eq!(created + not_sent, 30, "{rows:?}");
    assert!(not_sent > 0, "{rows:?}");
    assert_eq!(server.entries().len(), created);

    server.clear_faults();
    let output = aqr_in(&server, &dir)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.entries().len(), 30);
}

#[test]
fn server_text_is_escaped_on_the_terminal_and_in_results() {
    let server = mock();
    let dir = temp_dir("hostile");
    server
        .push_fault(Fault {
            action: Some(MockAction::Create),
            times: None,
            response: FaultResponse::Respond {
                status: 200,
                body: FaultBody::Json {
                    value: serde_json::json!({
                        "result": "success",
                        "account_id": "abc",
                        "short_url": "https://aq.gy/f/x\r\u{1b}]0;pwned\u{7}\u{1b}[2J",
                        "qr_image": "https://aplx.link/res?keyword=x",
                    }),
                },
                retry_after: None,
                headers: Vec::new(),
                delay_ms: 0,
            },
        })
        .unwrap();
    let output = aqr_in(&server, &dir).args(CREATE).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        !out.contains('\u{1b}') && !out.contains('\r') && !out.contains('\u{7}'),
        "{out:?}"
    );
    assert!(out.contains("\\u{1b}[2J"), "{out}");
    let output = aqr_in(&server, &dir).arg("entries").output().unwrap();
    assert!(!stdout(&output).contains('\u{1b}'), "{:?}", stdout(&output));
    let input = csv_rows(&dir, 2);
    let output = aqr_in(&server, &dir)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(dir.join("rows.results.csv")).unwrap();
    assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");

    // An id with control characters is refused (delete could never send it back), and
    // the error that says so is printed inert too.
    server.clear_faults();
    server
        .push_fault(Fault {
            action: Some(MockAction::Create),
            times: None,
            response: FaultResponse::Respond {
                status: 200,
                body: FaultBody::Json {
                    value: serde_json::json!({
                        "result": "success",
                        "account_id": "ab\u{1b}[2J\u{7}",
                        "short_url": "https://aq.gy/f/x",
                        "qr_image": "https://aplx.link/res?keyword=x",
                    }),
                },
                retry_after: None,
                headers: Vec::new(),
                delay_ms: 0,
            },
        })
        .unwrap();
    let output = aqr_in(&server, &dir).args(CREATE).output().unwrap();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("account_id"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

#[cfg(unix)]
#[test]
fn the_ledger_is_private_and_holds_no_token_nor_full_number() {
    use std::os::unix::fs::PermissionsExt;
    let server = mock();
    let dir = temp_dir("ledger-secrets");
    let input = csv_rows(&dir, 5);
    server
        .push_fault(fault(FaultResponse::DropAfterRead))
        .unwrap();
    let output = aqr_in(&server, &dir)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    let ledger = dir.join("ledger.sqlite3");
    assert_eq!(
        std::fs::metadata(&ledger).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_ledger_files_clean(&dir, 5);
}

/// No ledger file (main, `-wal`, `-shm`) in `dir` holds the token, a full account number
/// of rows `0..rows` or their full phone number.
pub(crate) fn assert_ledger_files_clean(dir: &Path, rows: usize) {
    let mut scanned = 0;
    for file in std::fs::read_dir(dir).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("ledger.sqlite3") {
            continue;
        }
        scanned += 1;
        let bytes = std::fs::read(&path).unwrap();
        let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(
            !contains(SECRET_TOKEN) && !contains("SUPERSECRET"),
            "token in {name}"
        );
        assert!(
            !contains("01012345678") && !contains("010-1234-5678"),
            "phone in {name}"
        );
        for i in 0..rows {
            assert!(
                !contains(&account_number(i)),
                "account number {i} in {name}"
            );
        }
    }
    assert!(scanned >= 1);
}
