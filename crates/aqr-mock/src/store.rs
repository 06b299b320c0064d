//! The entries the mock holds, and their optional state file.

use crate::ids::IdGenerator;
use crate::types::Entry;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// The fields of a validated create request.
pub(crate) struct NewEntry {
    pub(crate) email: String,
    pub(crate) account_number: String,
    pub(crate) bank_id: u8,
    pub(crate) account_owner: String,
    pub(crate) phone_number: String,
    pub(crate) account_name: Option<String>,
}

/// The entries, keyed by id; each remembers its creation order.
pub(crate) struct Store {
    base_url: String,
    ids: IdGenerator,
    entries: Mutex<HashMap<String, (u64, Arc<Entry>)>>,
    sequence: AtomicU64,
    /// Set on every change; cleared by the writer when it takes a snapshot.
    dirty: AtomicBool,
    changed: Notify,
    state_file: Option<PathBuf>,
    /// Serialises writers, so an older snapshot can never be renamed over a newer one.
    writing: Mutex<()>,
}

/// The on-disk form of the state file.
#[derive(Serialize, Deserialize)]
struct StateFile {
    version: u32,
    entries: Vec<Entry>,
}

impl Store {
    /// An empty store, or the entries of `state_file` when it exists (their URLs moved
    /// to `base_url`).
    ///
    /// # Errors
    /// The file cannot be read or is not a state file.
    pub(crate) fn open(base_url: String, state_file: Option<PathBuf>) -> io::Result<Store> {
        let loaded = match &state_file {
            Some(path) => load(path)?,
            None => Vec::new(),
        };
        let mut entries = HashMap::with_capacity(loaded.len());
        for (seq, mut entry) in (0u64..).zip(loaded) {
            // The entries now live on this server (whose port may differ).
            entry.short_url = format!("{base_url}/f/{}", entry.account_id);
            entry.qr_image = format!("{base_url}/res?keyword={}", entry.account_id);
            entries.insert(entry.account_id.clone(), (seq, Arc::new(entry)));
        }
        Ok(Store {
            base_url,
            ids: IdGenerator::new(),
            sequence: AtomicU64::new(entries.len() as u64),
            entries: Mutex::new(entries),
            dirty: AtomicBool::new(false),
            changed: Notify::new(),
            state_file,
            writing: Mutex::new(()),
        })
    }

    /// The base URL (`http://127.0.0.1:PORT`) the entries' URLs start with.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Stores a new entry under a fresh id and returns it.
    pub(crate) fn create(&self, new: NewEntry) -> Arc<Entry> {
        let seq = self.sequence.fetch_add(1, Ordering::Relaxed);
        let mut id = self.ids.next();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Only ids loaded from a state file written by another run can collide.
        while entries.contains_key(&id) {
            id = self.ids.next();
        }
        let entry = Arc::new(Entry {
            short_url: format!("{}/f/{id}", self.base_url),
            qr_image: format!("{}/res?keyword={id}", self.base_url),
            account_id: id.clone(),
            email: new.email,
            account_number: new.account_number,
            bank_id: new.bank_id,
            account_owner: new.account_owner,
            phone_number: new.phone_number,
            account_name: new.account_name,
        });
        entries.insert(id, (seq, Arc::clone(&entry)));
        drop(entries);
        self.mark_changed();
        entry
    }

    /// Removes the entry `id` if it belongs to `email`; `false` when there is none.
    pub(crate) fn delete(&self, email: &str, id: &str) -> bool {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let owned = entries
            .get(id)
            .is_some_and(|(_, entry)| entry.email.eq_ignore_ascii_case(email));
        if owned {
            entries.remove(id);
        }
        drop(entries);
        if owned {
            self.mark_changed();
        }
        owned
    }

    /// The entry `id`.
    pub(crate) fn get(&self, id: &str) -> Option<Arc<Entry>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(id).map(|(_, entry)| Arc::clone(entry))
    }

    /// Every entry, oldest first.
    pub(crate) fn all(&self) -> Vec<Entry> {
        let mut list: Vec<(u64, Arc<Entry>)> = {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries.values().cloned().collect()
        };
        list.sort_unstable_by_key(|(seq, _)| *seq);
        list.into_iter()
            .map(|(_, entry)| Entry::clone(&entry))
            .collect()
    }

    fn mark_changed(&self) {
        if self.state_file.is_some() && !self.dirty.swap(true, Ordering::AcqRel) {
            self.changed.notify_one();
        }
    }

    /// Waits until the entries change (returns at once if they changed since the last
    /// [`Store::flush`]).
    pub(crate) async fn changed(&self) {
        if !self.dirty.load(Ordering::Acquire) {
            self.changed.notified().await;
        }
    }

    /// Writes the state file if anything changed since the last write.
    ///
    /// # Errors
    /// Writing or renaming the file failed (the change stays pending).
    pub(crate) fn flush(&self) -> io::Result<()> {
        let Some(path) = &self.state_file else {
            return Ok(());
        };
        let _writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        if !self.dirty.swap(false, Ordering::AcqRel) {
            return Ok(());
        }
        let state = StateFile {
            version: 1,
            entries: self.all(),
        };
        let result = serde_json::to_vec_pretty(&state)
            .map_err(io::Error::other)
            .and_then(|bytes| write_atomically(path, &bytes));
        if result.is_err() {
            self.dirty.store(true, Ordering::Release);
        }
        result
    }

    /// The state file, if any.
    pub(crate) fn state_file(&self) -> Option<&Path> {
        self.state_file.as_deref()
    }
}

/// Reads a state file; a missing or empty file is an empty state.
fn load(path: &Path) -> io::Result<Vec<Entry>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let state: StateFile = serde_json::from_slice(&bytes).map_err(|err| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is not an aqr-mock state file: {err}", path.display()),
        )
    })?;
    Ok(state.entries)
}

/// Writes `bytes` to a temporary file next to `path`, syncs it and renames it over
/// `path`, so a crash leaves either the old or the new file, never a mix.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state.json".to_owned());
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let unique = WRITES.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{unique}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    // Make the rename itself durable where the platform allows it.
    if let Ok(dir) = std::fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}
