//! The state file: entries survive a restart; writes are atomic; bad files are refused.

mod common;

use aqr_mock::{MockOptions, MockServer};
use common::{TempDir, api, create, delete_form, get};
use std::path::Path;

fn start(state: &Path) -> std::io::Result<MockServer> {
    MockServer::start(MockOptions {
        state_file: Some(state.to_path_buf()),
        ..MockOptions::default()
    })
}

#[test]
fn entries_survive_a_restart() {
    let dir = TempDir::new("restart");
    let state = dir.0.join("state.json");
    let server = start(&state).unwrap();
    let kept = create(&server, "aqr_create")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let gone = create(&server, "create")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(api(&server, &delete_form(&gone, "delete")).status, 200);
    let before = server.entries();
    server.shutdown();

    let text = std::fs::read_to_string(&state).unwrap();
    assert!(text.contains(&kept) && !text.contains(&gone), "{text}");
    // No temporary file is left next to it.
    assert_eq!(dir.names(), ["state.json"]);

    // A new run (on another port) knows the entry, can serve and delete it, and does not
    // reuse its id.
    let server = start(&state).unwrap();
    let after = server.entries();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].account_id, before[0].account_id);
    assert_eq!(after[0].account_owner, before[0].account_owner);
    assert_eq!(after[0].account_number, before[0].account_number);
    assert_eq!(after[0].account_name, before[0].account_name);
    // Its URLs now point at the running server, and its QR code says so.
    assert_eq!(after[0].short_url, format!("{}/f/{kept}", server.url()));
    let url = format!("{}/res?keyword={kept}", server.url());
    assert_eq!(after[0].qr_image, url);
    let png = get(&url);
    assert_eq!(png.status, 200);
    assert_eq!(
        aqr_qr::decode_png(&png.body),
        Some(after[0].short_url.clone())
    );
    let fresh = create(&server, "create")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(fresh, kept);
    assert_eq!(api(&server, &delete_form(&kept, "aqr_delete")).status, 200);
    drop(server);
    let server = start(&state).unwrap();
    let ids: Vec<_> = server.entries().into_iter().map(|e| e.account_id).collect();
    assert_eq!(ids, [fresh]);
}

#[test]
fn an_acknowledged_change_is_in_the_journal_before_the_answer() {
    let dir = TempDir::new("journal");
    let state = dir.0.join("state.json");
    let journal = dir.0.join("state.json.journal");
    let server = start(&state).unwrap();
    // Started: the snapshot is written and the journal is empty.
    assert!(
        std::fs::read_to_string(&state)
            .unwrap()
            .contains("\"entries\"")
    );
    assert_eq!(std::fs::read(&journal).unwrap().len(), 0);
    let id = create(&server, "create")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // No waiting: the answer came after the sync.
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.contains(&id), "{text}");
    assert_eq!(api(&server, &delete_form(&id, "delete")).status, 200);
    let text = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    // On shutdown the journal is folded into the snapshot and removed.
    server.shutdown();
    assert_eq!(dir.names(), ["state.json"]);
}

#[test]
fn an_unusable_state_path_fails_at_start() {
    let dir = TempDir::new("unusable");
    for path in [dir.0.join("no-such-dir").join("state.json"), dir.0.clone()] {
        let err = start(&path).unwrap_err();
        assert!(!err.to_string().is_empty());
    }
    // A read-only directory (root ignores permissions, so this part needs a user).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let locked = dir.0.join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = locked.join("probe");
        let writable = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(&probe);
        if !writable {
            assert!(start(&locked.join("state.json")).is_err());
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_crash_leaves_nothing_lost_and_stale_temp_files_are_removed() {
    let dir = TempDir::new("replay");
    let state = dir.0.join("state.json");
    // A journal left by a killed run, with a torn last line, and a stale temporary file.
    std::fs::write(&state, br#"{"version":1,"entries":[]}"#).unwrap();
    let entry = |id: &str| {
        format!(
            r#"{{"create":{{"account_id":"{id}","email":"dev@example.com","account_number":"1234567894321","bank_id":1,"account_owner":"o","phone_number":"01012341234","account_name":null,"short_url":"x","qr_image":"y"}}}}"#
        )
    };
    let journal = format!(
        "{}\n{}\n{{\"delete\":\"AAAAAA\"}}\n{{\"create\":{{\"acc",
        entry("AAAAAA"),
        entry("BBBBBB")
    );
    std::fs::write(dir.0.join("state.json.journal"), journal).unwrap();
    std::fs::write(dir.0.join(".state.json.999.0.tmp"), b"partial").unwrap();
    let server = start(&state).unwrap();
    let ids: Vec<_> = server.entries().into_iter().map(|e| e.account_id).collect();
    assert_eq!(ids, ["BBBBBB"]);
    assert_eq!(
        server.entries()[0].short_url,
        format!("{}/f/BBBBBB", server.url())
    );
    assert!(!dir.0.join(".state.json.999.0.tmp").exists());
    server.shutdown();
    assert!(std::fs::read_to_string(&state).unwrap().contains("BBBBBB"));
}

#[test]
fn a_corrupt_state_file_is_refused_and_left_alone() {
    let dir = TempDir::new("corrupt");
    let state = dir.0.join("state.json");
    std::fs::write(&state, b"{not json").unwrap();
    let err = start(&state).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("state file"), "{err}");
    assert_eq!(std::fs::read(&state).unwrap(), b"{not json");
    // An empty file is an empty state.
    std::fs::write(&state, b"").unwrap();
    let server = start(&state).unwrap();
    assert!(server.entries().is_empty());
}
