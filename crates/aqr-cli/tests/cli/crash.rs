//! The crash test: `kill -9` of `aqr import` at random moments, against an `aqr mock`
//! process with a state file, then reruns to completion. No row may be created twice, no
//! id may be lost, and a row is `unknown` only where its outcome really was unknown: a
//! `drop_after_read` fault, or a request in flight when the process was killed.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::common::*;
use crate::import::{account_number, assert_ledger_files_clean, csv_rows, results};
use crate::mock_command::{MockProcess, spawn_mock};

const ROWS: usize = 300;
const KILLS: usize = 12;
const JOBS: usize = 8;

fn spawn_state_mock(state: &Path) -> MockProcess {
    let state = state.to_str().unwrap();
    spawn_mock(
        &[
            "--port",
            "0",
            "--token",
            SECRET_TOKEN,
            "--email",
            EMAIL,
            "--state",
            state,
        ],
        &[],
    )
}

fn control_get(mock: &MockProcess, route: &str) -> Value {
    let mut response = ureq::get(&format!("{}/__mock/{route}", mock.url))
        .call()
        .unwrap();
    serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
}

fn drop_the_next_create(mock: &MockProcess) {
    ureq::post(&format!("{}/__mock/faults", mock.url))
        .header("content-type", "application/json")
        .send(r#"{"action":"create","times":1,"response":{"kind":"drop_after_read"}}"#)
        .unwrap();
}

fn import(mock: &MockProcess, dir: &Path, input: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("aqr"));
    cmd.env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
        .env("AQR_EMAIL", EMAIL)
        .env("AQR_BASE_URL", &mock.url)
        .env("AQR_LEDGER", dir.join("ledger.sqlite3"))
        .args([
            "--retries",
            "0",
            "--timeout",
            "5",
            "import",
            "--quiet",
            "--jobs",
        ])
        .arg(JOBS.to_string())
        .args(extra)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn random_below(limit: u64) -> u64 {
    RandomState::new().build_hasher().finish() % limit
}

/// The mock's entries by account number.
fn mock_entries(mock: &MockProcess) -> HashMap<String, Vec<String>> {
    let mut by_number: HashMap<String, Vec<String>> = HashMap::new();
    for entry in control_get(mock, "entries").as_array().unwrap() {
        by_number
            .entry(entry["account_number"].as_str().unwrap().to_owned())
            .or_default()
            .push(entry["account_id"].as_str().unwrap().to_owned());
    }
    by_number
}

/// The ledger's `created` ids, through `aqr entries`.
fn ledger_ids(mock: &MockProcess, dir: &Path) -> HashSet<String> {
    let output = aqr()
        .env("AQR_LEDGER", dir.join("ledger.sqlite3"))
        .args([
            "entries",
            "--json",
            "--status",
            "created",
            "--service",
            &mock.url,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    json_stdout(&output)
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["account_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn kill_9_at_random_moments_never_duplicates_nor_loses_a_row() {
    let dir = temp_dir("crash");
    let mock = spawn_state_mock(&dir.join("mock-state.json"));
    let input = csv_rows(&dir, ROWS);

    let mut delays = Vec::new();
    for round in 0..KILLS {
        if round % 4 == 1 {
            drop_the_next_create(&mock);
        }
        let mut child = import(&mock, &dir, &input, &[]).spawn().unwrap();
        let delay = 20 + random_below(250);
        delays.push(delay);
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    // The kills left WAL files behind: scan them too.
    assert_ledger_files_clean(&dir, ROWS);

    // Run to completion: unknown rows are held, so the exit code says so (or 0).
    let status = import(&mock, &dir, &input, &[]).status().unwrap();
    assert!(
        matches!(status.code(), Some(0 | 6)),
        "{status:?} after delays {delays:?}"
    );
    let rows = results(&dir.join("rows.results.csv"));
    assert_eq!(rows.len(), ROWS);

    // Which rows a `drop_after_read` fault hit, from the mock's request log.
    let dropped: HashSet<String> = control_get(&mock, "requests")
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["fault"] == "drop_after_read")
        .filter_map(|r| {
            r["form"]
                .as_array()?
                .iter()
                .find(|pair| pair[0] == "account_number")
                .map(|pair| pair[1].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    let on_mock = mock_entries(&mock);
    let in_ledger = ledger_ids(&mock, &dir);
    let results_text = std::fs::read_to_string(dir.join("rows.results.csv")).unwrap();
    let mut unknown_rows = Vec::new();
    for (i, (status, id)) in rows.iter().enumerate() {
        let number = account_number(i);
        let copies = on_mock.get(&number).map_or(0, Vec::len);
        assert!(
            copies <= 1,
            "row {i} created {copies} times (delays {delays:?})"
        );
        match status.as_str() {
            "created" | "already_created" => {
                assert_eq!(on_mock[&number], std::slice::from_ref(id), "row {i}");
                assert!(in_ledger.contains(id), "row {i}: {id} not in the ledger");
            }
            "unknown" => unknown_rows.push(i),
            other => panic!("row {i} is {other} after a complete run (delays {delays:?})"),
        }
    }
    // A dropped create is unknown, never created nor failed.
    for number in &dropped {
        let i = (0..ROWS).find(|i| account_number(*i) == *number).unwrap();
        assert_eq!(rows[i].0, "unknown", "dropped row {i}");
    }
    // Every other unknown row was in flight at a kill: at most JOBS per kill, and its
    // result says so.
    let interrupted: Vec<usize> = unknown_rows
        .iter()
        .copied()
        .filter(|i| !dropped.contains(&account_number(*i)))
        .collect();
    assert!(interrupted.len() <= JOBS * KILLS, "{interrupted:?}");
    for i in &interrupted {
        let line = results_text.lines().nth(i + 1).unwrap();
        assert!(line.contains("interrupted"), "row {i}: {line}");
    }
    // Every entry on the mock is in the ledger or belongs to an unknown row.
    for (number, ids) in &on_mock {
        let i = (0..ROWS).find(|i| account_number(*i) == *number).unwrap();
        assert!(
            in_ledger.contains(&ids[0]) || unknown_rows.contains(&i),
            "entry {} of row {i} is in no ledger",
            ids[0]
        );
    }
    eprintln!(
        "crash test: {KILLS} kills at {delays:?} ms; {} rows dropped by faults, {} in flight at a kill",
        dropped.len(),
        interrupted.len()
    );

    // The user checks the management site: entries of unknown rows that exist are
    // deleted there, then the unknown rows are sent again (with no fault left waiting).
    ureq::delete(&format!("{}/__mock/faults", mock.url))
        .call()
        .unwrap();
    for i in &unknown_rows {
        if let Some(ids) = on_mock.get(&account_number(*i)) {
            let output = aqr()
                .env("AQR_DEVELOPER_TOKEN", SECRET_TOKEN)
                .env("AQR_EMAIL", EMAIL)
                .env("AQR_BASE_URL", &mock.url)
                .args(["delete", "--no-ledger", &ids[0]])
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        }
    }
    let status = import(&mock, &dir, &input, &["--resend-unknown"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let rows = results(&dir.join("rows.results.csv"));
    let on_mock = mock_entries(&mock);
    let in_ledger = ledger_ids(&mock, &dir);
    assert_eq!(on_mock.len(), ROWS);
    assert_eq!(in_ledger.len(), ROWS);
    for (i, (status, id)) in rows.iter().enumerate() {
        assert!(
            matches!(status.as_str(), "created" | "already_created"),
            "row {i}: {status}"
        );
        assert_eq!(
            on_mock[&account_number(i)],
            std::slice::from_ref(id),
            "row {i}"
        );
        assert!(in_ledger.contains(id), "row {i}");
    }
}
