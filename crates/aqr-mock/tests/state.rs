//! The state file: entries survive a restart; writes are atomic; bad files are refused.

mod common;

use aqr_mock::{MockOptions, MockServer};
use common::{api, create, delete_form, get};
use std::path::{Path, PathBuf};

/// A fresh directory under the target directory's temp space, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("aqr-mock-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

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
    let names: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["state.json"]);

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
fn the_file_is_written_in_the_background_while_running() {
    let dir = TempDir::new("background");
    let state = dir.0.join("state.json");
    let server = start(&state).unwrap();
    let id = create(&server, "create")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Written shortly after the change, without a shutdown.
    let mut written = false;
    for _ in 0..300 {
        if std::fs::read_to_string(&state).is_ok_and(|t| t.contains(&id)) {
            written = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(written, "state file not written within 3 s");
    drop(server);
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
