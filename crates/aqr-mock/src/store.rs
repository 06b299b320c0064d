//! The entries the mock holds, made durable through the journal when there is a state
//! file.

use crate::ids::IdGenerator;
use crate::journal::{Change, Journal, Paths};
use crate::types::Entry;
use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::oneshot;

/// The fields of a validated create request.
pub(crate) struct NewEntry {
    pub(crate) email: String,
    pub(crate) account_number: String,
    pub(crate) bank_id: u8,
    pub(crate) account_owner: String,
    pub(crate) phone_number: String,
    pub(crate) account_name: Option<String>,
}

/// The entries by id, each with its creation order.
type Entries = HashMap<String, (u64, Arc<Entry>)>;

/// The entries, keyed by id; each remembers its creation order.
pub(crate) struct Store {
    base_url: String,
    ids: IdGenerator,
    entries: Arc<Mutex<Entries>>,
    sequence: AtomicU64,
    journal: Option<Journal>,
    state_file: Option<Paths>,
}

/// A change made in memory and still being written to the journal.
pub(crate) struct Saving {
    synced: Option<oneshot::Receiver<io::Result<()>>>,
    undo: Undo,
}

/// How to take a change back when it cannot be saved.
enum Undo {
    Create(String),
    Delete(u64, Arc<Entry>),
}

impl Store {
    /// An empty store, or the entries of `state_file` and its journal (their URLs moved
    /// to `base_url`); with a state file, a fresh snapshot is written at once, so an
    /// unusable path fails here.
    ///
    /// # Errors
    /// The state file cannot be read, is not a state file, or cannot be written.
    pub(crate) fn open(base_url: String, state_file: Option<&Path>) -> io::Result<Store> {
        let paths = state_file.map(|p| Paths::new(p.to_path_buf()));
        let loaded = match &paths {
            Some(paths) => paths.load()?,
            None => Vec::new(),
        };
        let mut entries = HashMap::with_capacity(loaded.len());
        for (seq, mut entry) in (0u64..).zip(loaded) {
            // The entries now live on this server (whose port and scheme may differ).
            entry.short_url = format!("{base_url}/f/{}", entry.account_id);
            entry.qr_image = format!("{base_url}/res?keyword={}", entry.account_id);
            entries.insert(entry.account_id.clone(), (seq, Arc::new(entry)));
        }
        let sequence = AtomicU64::new(entries.len() as u64);
        let entries = Arc::new(Mutex::new(entries));
        let journal = match &paths {
            Some(paths) => {
                let current = Arc::clone(&entries);
                Some(Journal::open(
                    paths.clone(),
                    &ordered(&entries),
                    Box::new(move || ordered(&current)),
                )?)
            }
            None => None,
        };
        Ok(Store {
            base_url,
            ids: IdGenerator::new(),
            sequence,
            entries,
            journal,
            state_file: paths,
        })
    }

    /// The base URL (`scheme://127.0.0.1:PORT`) the entries' URLs start with.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Stores a new entry under a fresh id and returns it; [`Store::settle`] the
    /// [`Saving`] before acknowledging it.
    pub(crate) fn create(&self, new: NewEntry) -> (Arc<Entry>, Saving) {
        let seq = self.sequence.fetch_add(1, Ordering::Relaxed);
        let mut id = self.ids.next();
        let mut entries = self.lock();
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
        entries.insert(id.clone(), (seq, Arc::clone(&entry)));
        drop(entries);
        // Outside the lock: lines of different ids may be journaled in any order, and an
        // id's delete can only follow its create's answer.
        let synced = self
            .journal
            .as_ref()
            .map(|j| j.append(&Change::Create(Entry::clone(&entry))));
        (
            entry,
            Saving {
                synced,
                undo: Undo::Create(id),
            },
        )
    }

    /// Removes the entry `id` if it belongs to `email`; `None` when there is none.
    /// [`Store::settle`] the [`Saving`] before acknowledging it.
    pub(crate) fn delete(&self, email: &str, id: &str) -> Option<Saving> {
        let mut entries = self.lock();
        let owned = entries
            .get(id)
            .is_some_and(|(_, entry)| entry.email.eq_ignore_ascii_case(email));
        if !owned {
            return None;
        }
        let (seq, entry) = entries.remove(id)?;
        drop(entries);
        let synced = self
            .journal
            .as_ref()
            .map(|j| j.append(&Change::Delete(id.to_owned())));
        Some(Saving {
            synced,
            undo: Undo::Delete(seq, entry),
        })
    }

    /// Waits until the change is in the journal; takes it back when it cannot be.
    ///
    /// # Errors
    /// The journal could not be written or synced.
    pub(crate) async fn settle(&self, saving: Saving) -> io::Result<()> {
        let Some(synced) = saving.synced else {
            return Ok(());
        };
        let result = synced
            .await
            .unwrap_or_else(|_| Err(io::Error::other("the journal writer stopped")));
        if result.is_err() {
            let mut entries = self.lock();
            match saving.undo {
                Undo::Create(id) => {
                    entries.remove(&id);
                }
                Undo::Delete(seq, entry) => {
                    entries.insert(entry.account_id.clone(), (seq, entry));
                }
            }
        }
        result
    }

    /// The entry `id`.
    pub(crate) fn get(&self, id: &str) -> Option<Arc<Entry>> {
        self.lock().get(id).map(|(_, entry)| Arc::clone(entry))
    }

    /// Every entry, oldest first.
    pub(crate) fn all(&self) -> Vec<Entry> {
        ordered(&self.entries)
    }

    /// Writes the final snapshot and removes the journal (nothing to do without a state
    /// file).
    ///
    /// # Errors
    /// The snapshot could not be written (the journal is kept, so nothing is lost).
    pub(crate) fn close(&self) -> io::Result<()> {
        match &self.journal {
            Some(journal) => journal.close(),
            None => Ok(()),
        }
    }

    /// The state file, if any.
    pub(crate) fn state_file(&self) -> Option<&Path> {
        self.state_file.as_ref().map(|p| p.snapshot.as_path())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Every entry, oldest first.
fn ordered(entries: &Mutex<Entries>) -> Vec<Entry> {
    let mut list: Vec<(u64, Arc<Entry>)> = {
        let entries = entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.values().cloned().collect()
    };
    list.sort_unstable_by_key(|(seq, _)| *seq);
    list.into_iter()
        .map(|(_, entry)| Entry::clone(&entry))
        .collect()
}
