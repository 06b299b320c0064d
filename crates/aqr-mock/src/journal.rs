//! The state file's journal: every create and delete is appended to `<state>.journal`
//! and synced before it is answered (group commit: one sync covers every change that
//! arrived while the previous one ran). The state file itself is a snapshot, rewritten
//! atomically when the mock starts, when the journal grows large, and when it stops;
//! each rewrite empties the journal.
//!
//! Replaying the journal over the snapshot is idempotent (a create sets its entry, a
//! delete removes it if present), so a crash between writing a snapshot and emptying
//! the journal loses nothing, and a torn last line (a crash mid-append) is ignored: it
//! was never acknowledged.

use crate::types::Entry;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// A journal larger than this is folded into the snapshot.
const COMPACT_AT: u64 = 64 << 20;

/// One line of the journal.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Change {
    /// The entry was created.
    Create(Entry),
    /// The entry with this id was deleted.
    Delete(String),
}

/// The on-disk form of the state file.
#[derive(Serialize, Deserialize)]
struct StateFile {
    version: u32,
    entries: Vec<Entry>,
}

/// Where the state lives: the snapshot and its journal.
#[derive(Clone)]
pub(crate) struct Paths {
    pub(crate) snapshot: PathBuf,
    journal: PathBuf,
}

impl Paths {
    /// The snapshot at `snapshot`, the journal beside it.
    pub(crate) fn new(snapshot: PathBuf) -> Paths {
        let mut journal = snapshot.clone().into_os_string();
        journal.push(".journal");
        Paths {
            snapshot,
            journal: PathBuf::from(journal),
        }
    }

    /// The entries of the snapshot with the journal replayed over them, oldest first.
    ///
    /// # Errors
    /// A file cannot be read, or the snapshot is not a state file (`InvalidData`).
    pub(crate) fn load(&self) -> io::Result<Vec<Entry>> {
        let mut entries = load_snapshot(&self.snapshot)?;
        let journal = match File::open(&self.journal) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(entries),
            Err(err) => return Err(err),
        };
        for line in io::BufReader::new(journal).split(b'\n') {
            // A line that does not parse can only be the torn last one.
            let Ok(change) = serde_json::from_slice::<Change>(&line?) else {
                break;
            };
            match change {
                Change::Create(entry) => {
                    entries.retain(|e| e.account_id != entry.account_id);
                    entries.push(entry);
                }
                Change::Delete(id) => entries.retain(|e| e.account_id != id),
            }
        }
        Ok(entries)
    }
}

/// Hands out the current entries for a snapshot.
pub(crate) type Snapshotter = Box<dyn Fn() -> Vec<Entry> + Send>;

/// A change waiting for its sync.
struct Job {
    line: Vec<u8>,
    done: oneshot::Sender<io::Result<()>>,
}

/// The open journal and its writer thread.
pub(crate) struct Journal {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    writer: Mutex<Option<JoinHandle<Writer>>>,
}

/// The writer thread's state, handed back when it stops.
struct Writer {
    paths: Paths,
    file: File,
    /// The journal's length after the last synced batch.
    written: u64,
    snapshot: Snapshotter,
}

impl Journal {
    /// Writes a fresh snapshot of `entries`, empties the journal, removes temporary files
    /// a crash left behind, and starts the writer thread.
    ///
    /// # Errors
    /// The snapshot or the journal cannot be written: the path is unusable.
    pub(crate) fn open(
        paths: Paths,
        entries: &[Entry],
        snapshot: Snapshotter,
    ) -> io::Result<Journal> {
        remove_stale_temp_files(&paths.snapshot);
        write_snapshot(&paths.snapshot, entries)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&paths.journal)?;
        file.set_len(0)?;
        file.sync_all()?;
        sync_dir(&paths.snapshot);
        let (jobs, received) = mpsc::channel();
        let writer = Writer {
            paths,
            file,
            written: 0,
            snapshot,
        };
        let thread = std::thread::Builder::new()
            .name("aqr-mock-journal".into())
            .spawn(move || writer.run(&received))?;
        Ok(Journal {
            jobs: Mutex::new(Some(jobs)),
            writer: Mutex::new(Some(thread)),
        })
    }

    /// Queues `change`; the receiver says when it is synced (or why it is not).
    pub(crate) fn append(&self, change: &Change) -> oneshot::Receiver<io::Result<()>> {
        let (done, synced) = oneshot::channel();
        let line = serde_json::to_vec(change).map(|mut line| {
            line.push(b'\n');
            line
        });
        let job = match line {
            Ok(line) => Job { line, done },
            Err(err) => {
                let _ = done.send(Err(io::Error::other(err)));
                return synced;
            }
        };
        let jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        match jobs.as_ref() {
            Some(jobs) => {
                if let Err(mpsc::SendError(job)) = jobs.send(job) {
                    let _ = job.done.send(Err(stopped()));
                }
            }
            None => {
                let _ = job.done.send(Err(stopped()));
            }
        }
        synced
    }

    /// Stops the writer after the queued changes, writes the final snapshot and removes
    /// the (then empty) journal.
    ///
    /// # Errors
    /// The snapshot cannot be written (the journal is then kept).
    pub(crate) fn close(&self) -> io::Result<()> {
        drop(
            self.jobs
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        let thread = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(writer) = thread.and_then(|t| t.join().ok()) else {
            return Ok(());
        };
        write_snapshot(&writer.paths.snapshot, &(writer.snapshot)())?;
        drop(writer.file);
        std::fs::remove_file(&writer.paths.journal)?;
        sync_dir(&writer.paths.snapshot);
        Ok(())
    }
}

fn stopped() -> io::Error {
    io::Error::other("the mock is stopping")
}

impl Writer {
    /// Group commit until every sender is gone.
    fn run(mut self, jobs: &mpsc::Receiver<Job>) -> Writer {
        let mut batch = Vec::new();
        let mut buffer = Vec::new();
        while let Ok(first) = jobs.recv() {
            batch.push(first);
            while let Ok(more) = jobs.try_recv() {
                batch.push(more);
            }
            buffer.clear();
            for job in &batch {
                buffer.extend_from_slice(&job.line);
            }
            let result = self
                .file
                .write_all(&buffer)
                .and_then(|()| self.file.sync_data());
            match &result {
                Ok(()) => self.written += buffer.len() as u64,
                // Cut a partly written batch off, so that the next line starts clean (a
                // torn line in the middle would end every later replay there).
                Err(_) => {
                    let _ = self.file.set_len(self.written);
                }
            }
            for job in batch.drain(..) {
                let _ = job.done.send(match &result {
                    Ok(()) => Ok(()),
                    Err(err) => Err(io::Error::new(err.kind(), err.to_string())),
                });
            }
            if result.is_ok() && self.written > COMPACT_AT {
                // A failure leaves the journal as it is: nothing is lost.
                if self.compact().is_ok() {
                    self.written = 0;
                }
            }
        }
        self
    }

    /// Folds the journal into a new snapshot.
    fn compact(&mut self) -> io::Result<()> {
        write_snapshot(&self.paths.snapshot, &(self.snapshot)())?;
        self.file.set_len(0)?;
        self.file.sync_all()
    }
}

/// Reads a state file; a missing or empty file is an empty state.
fn load_snapshot(path: &Path) -> io::Result<Vec<Entry>> {
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

fn write_snapshot(path: &Path, entries: &[Entry]) -> io::Result<()> {
    #[derive(Serialize)]
    struct StateFileRef<'a> {
        version: u32,
        entries: &'a [Entry],
    }
    let bytes = serde_json::to_vec_pretty(&StateFileRef {
        version: 1,
        entries,
    })
    .map_err(io::Error::other)?;
    write_atomically(path, &bytes)
}

/// The directory `path` is in.
fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The prefix of the temporary files written next to `path`.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state.json".to_owned());
    format!(".{name}.")
}

/// Writes `bytes` to a temporary file next to `path`, syncs it and renames it over
/// `path`, so a crash leaves either the old or the new file, never a mix.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let unique = WRITES.fetch_add(1, Ordering::Relaxed);
    let tmp = parent(path).join(format!(
        "{}{}.{unique}.tmp",
        temp_prefix(path),
        std::process::id()
    ));
    let written = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_dir(path);
    Ok(())
}

/// Removes the temporary files of earlier runs that were killed mid-write.
fn remove_stale_temp_files(path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(dir) = std::fs::read_dir(parent(path)) else {
        return;
    };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Makes a rename or a new file in `path`'s directory durable where the platform allows.
fn sync_dir(path: &Path) {
    if let Ok(dir) = File::open(parent(path)) {
        let _ = dir.sync_all();
    }
}
