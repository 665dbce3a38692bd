//! The write path: one connection that commits queued writes together.
//!
//! Every write of the store is a [`Write`]. A write alone (no other write under way, the
//! connection free) is committed right away on the caller's thread: a hand-over to another
//! thread and back (two thread wake-ups) costs more than a commit, which in WAL mode without
//! `fsync` takes microseconds. Otherwise the write is sent to the writer thread,
//! which answers when the write is committed. Writes that queued up while the previous commit
//! ran are committed in one transaction (group commit): concurrent turns share one commit and
//! one append to the write-ahead log instead of paying for one each; the writer thread runs
//! a whole batch (`BEGIN`, the writes with cached prepared statements, `COMMIT`) in one go.
//! Either way the answer means "committed", so crash safety is unchanged. A caller that stops
//! waiting (its request was cancelled) does not cancel a queued write.
//!
//! Checkpoints (copying the write-ahead log back into the database file, with its `fsync`s)
//! run on a connection and a thread of their own, after commits: the writer never runs one.
//! While writes go on, such a checkpoint never reaches the end of the log, and SQLite only
//! starts the log over once a checkpoint did; so when the log passes [`CATCH_UP_FRAMES`],
//! the checkpoint thread holds the writes during one more checkpoint (the frames appended
//! since the previous one), and the next commit starts the log over. SQLite's own automatic
//! checkpoint on the writer stays as a far safety net.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};
use tokio::sync::{mpsc, oneshot};

/// Writes committed together at most.
const MAX_BATCH: usize = 128;
/// Writes waiting for the writer at most; senders wait beyond.
const QUEUE: usize = 1024;
/// Frames of the write-ahead log (pages, 4 KiB by default) beyond which the checkpoint thread
/// holds the writer for one checkpoint, so that the log starts over: 16 MiB.
const CATCH_UP_FRAMES: i64 = 4096;

/// One write of the store. Its outcome is the number of rows it changed.
#[derive(Debug)]
pub(super) enum Write {
    /// Inserts or replaces a thread's metadata.
    SaveThread { owner: String, id: String, data: String },
    /// Inserts or replaces a thread's metadata and saves an item in it, all or nothing.
    SaveThreadWithItem(Box<ThreadWithItem>),
    /// Deletes a thread (its items go with it).
    DeleteThread { owner: String, id: String },
    /// Inserts an item at the end of its thread, or replaces it in place; changes no row when
    /// the thread is not the owner's.
    SaveItem { owner: String, thread_id: String, item_id: String, kind: &'static str, data: String },
    /// Deletes an item.
    DeleteItem { owner: String, thread_id: String, item_id: String },
    /// Inserts or replaces an attachment.
    SaveAttachment { owner: String, id: String, data: String },
    /// Deletes an attachment.
    DeleteAttachment { owner: String, id: String },
}

/// A thread's metadata and an item to save in it.
#[derive(Debug)]
pub(super) struct ThreadWithItem {
    pub(super) owner: String,
    pub(super) id: String,
    pub(super) data: String,
    pub(super) item_id: String,
    pub(super) kind: &'static str,
    pub(super) item: String,
}

/// Inserts a thread, or replaces its metadata.
const INSERT_THREAD: &str = "INSERT INTO chatkit_threads (owner, id, data) VALUES (?1, ?2, ?3)
     ON CONFLICT (owner, id) DO UPDATE SET data = excluded.data";

/// Inserts an item at the end of its thread, or replaces it in place. `seq` is the rowid: a
/// new item gets one above every existing row; an existing id keeps its row, hence its position.
const INSERT_ITEM: &str = "INSERT INTO chatkit_items (thread_pk, id, type, data)
     SELECT pk, ?3, ?4, ?5 FROM chatkit_threads WHERE owner = ?1 AND id = ?2
     ON CONFLICT (thread_pk, id) DO UPDATE SET type = excluded.type, data = excluded.data";

impl Write {
    /// Applies the write in a transaction of its own when it takes more than one statement
    /// and none is open: all or nothing.
    fn apply_alone(&self, conn: &Connection) -> rusqlite::Result<u64> {
        if !matches!(self, Write::SaveThreadWithItem(_)) || !conn.is_autocommit() {
            return self.apply(conn);
        }
        in_transaction(conn, || self.apply(conn))
    }

    /// Applies the write; a write of several statements relies on the caller's transaction.
    fn apply(&self, conn: &Connection) -> rusqlite::Result<u64> {
        let rows = match self {
            // An existing thread is updated in place: the insert's upsert would also write
            // the table's AUTOINCREMENT counter (`sqlite_sequence`), one page more to commit.
            Write::SaveThread { owner, id, data } => {
                match conn.prepare_cached("UPDATE chatkit_threads SET data = ?3 WHERE owner = ?1 AND id = ?2")?.execute(params![owner, id, data])? {
                    0 => conn.prepare_cached(INSERT_THREAD)?.execute(params![owner, id, data])?,
                    rows => rows,
                }
            }
            Write::SaveThreadWithItem(write) => {
                let ThreadWithItem { owner, id, data, item_id, kind, item } = &**write;
                conn.prepare_cached(INSERT_THREAD)?.execute(params![owner, id, data])?;
                conn.prepare_cached(INSERT_ITEM)?.execute(params![owner, id, item_id, kind, item])?
            }
            Write::DeleteThread { owner, id } => conn
                .prepare_cached("DELETE FROM chatkit_threads WHERE owner = ?1 AND id = ?2")?
                .execute(params![owner, id])?,
            Write::SaveItem { owner, thread_id, item_id, kind, data } => {
                conn.prepare_cached(INSERT_ITEM)?.execute(params![owner, thread_id, item_id, kind, data])?
            }
            Write::DeleteItem { owner, thread_id, item_id } => conn
                .prepare_cached(
                    "DELETE FROM chatkit_items
                     WHERE thread_pk = (SELECT pk FROM chatkit_threads WHERE owner = ?1 AND id = ?2) AND id = ?3",
                )?
                .execute(params![owner, thread_id, item_id])?,
            Write::SaveAttachment { owner, id, data } => conn
                .prepare_cached(
                    "INSERT INTO chatkit_attachments (owner, id, data) VALUES (?1, ?2, ?3)
                     ON CONFLICT (owner, id) DO UPDATE SET data = excluded.data",
                )?
                .execute(params![owner, id, data])?,
            Write::DeleteAttachment { owner, id } => conn
                .prepare_cached("DELETE FROM chatkit_attachments WHERE owner = ?1 AND id = ?2")?
                .execute(params![owner, id])?,
        };
        Ok(u64::try_from(rows).unwrap_or(u64::MAX))
    }
}

type Reply = oneshot::Sender<Result<u64, rusqlite::Error>>;

enum Job {
    Write(Write, Reply),
    /// Closes the connection once the writes queued before are committed.
    Close(oneshot::Sender<()>),
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Write(write, _) => f.debug_tuple("Write").field(write).finish(),
            Job::Close(_) => f.write_str("Close"),
        }
    }
}

/// The handle of the write path; clones share it.
#[derive(Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
    conn: Shared,
    checkpoints: Arc<Wake>,
    /// Calls of [`Writer::write`] under way.
    writing: Arc<AtomicUsize>,
}

/// Counts a call of [`Writer::write`] while it lasts (cancelled or not).
struct Writing<'a>(&'a AtomicUsize);

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("jobs", &self.jobs).finish_non_exhaustive()
    }
}

/// The write connection, `None` once closed. Held during each commit, and by the checkpoint
/// thread to hold the writes.
type Shared = Arc<Mutex<Option<Connection>>>;

/// Locks a mutex whose last holder may have panicked: a connection between statements stays
/// usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether SQLite refused a write because another connection holds the database's write lock.
fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy))
}

impl Writer {
    /// Starts the writer thread with this connection, and the background checkpoints with
    /// `checkpoints`, a second connection to the same database.
    pub(super) fn spawn(conn: Connection, checkpoints: Connection) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let conn = Shared::new(Mutex::new(Some(conn)));
        let checkpointer = Checkpointer::spawn(checkpoints, conn.clone())?;
        let wake = checkpointer.wake.clone();
        let shared = conn.clone();
        std::thread::Builder::new()
            .name("chatkit-sqlite-writer".into())
            .spawn(move || run(&shared, checkpointer, queue))?;
        Ok(Self { jobs, conn, checkpoints: wake, writing: Arc::default() })
    }

    /// Commits one write; the number of rows it changed.
    pub(super) async fn write(&self, write: Write) -> Result<u64, chatkit::StoreError> {
        let alone = self.writing.fetch_add(1, Ordering::AcqRel) == 0;
        let _writing = Writing(&self.writing);
        let write = if alone {
            match self.write_here(write) {
                Ok(outcome) => return outcome,
                Err(write) => write,
            }
        } else {
            write
        };
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job::Write(write, reply)).await.map_err(|_| chatkit::StoreError::backend(super::Closed))?;
        answer
            .await
            .map_err(|_| chatkit::StoreError::backend(super::Closed))?
            .map_err(chatkit::StoreError::backend)
    }

    /// Commits `write` on the caller's thread, the only write under way, when nothing is
    /// queued and the connection is free: a hand-over to the writer thread and back would cost
    /// more than the commit, and there is nothing to commit it with. Gives the write back
    /// otherwise, or when another connection holds the database (the writer thread waits for
    /// it, not the caller's thread).
    fn write_here(&self, write: Write) -> Result<Result<u64, chatkit::StoreError>, Write> {
        if self.jobs.capacity() < self.jobs.max_capacity() {
            return Err(write);
        }
        let guard = match self.conn.try_lock() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Err(write),
        };
        let Some(conn) = guard.as_ref() else {
            return Ok(Err(chatkit::StoreError::backend(super::Closed)));
        };
        if conn.busy_timeout(Duration::ZERO).is_err() {
            return Err(write);
        }
        let outcome = write.apply_alone(conn);
        if let Err(err) = conn.busy_timeout(super::BUSY_TIMEOUT) {
            tracing::warn!(error = %err, "restoring the busy timeout of the SQLite writer");
        }
        drop(guard);
        match outcome {
            Err(err) if is_busy(&err) => Err(write),
            outcome => {
                self.checkpoints.committed();
                Ok(outcome.map_err(chatkit::StoreError::backend))
            }
        }
    }

    /// Commits what is queued and closes the connection; later writes fail.
    pub(super) async fn close(&self) {
        let (reply, done) = oneshot::channel();
        if self.jobs.send(Job::Close(reply)).await.is_ok() {
            let _ = done.await;
        }
    }
}

fn run(conn: &Mutex<Option<Connection>>, checkpointer: Checkpointer, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut close = None;
    while let Some(first) = queue.blocking_recv() {
        let mut next = Some(first);
        while let Some(job) = next {
            match job {
                Job::Write(write, reply) if close.is_none() => batch.push((write, reply)),
                // Dropping the reply tells the caller that the store is closed.
                Job::Write(..) => {}
                Job::Close(reply) => close = Some(reply),
            }
            next = if batch.len() < MAX_BATCH { queue.try_recv().ok() } else { None };
        }
        if !batch.is_empty() {
            // Dropping the replies without a connection tells the callers that it is closed.
            if let Some(conn) = &*lock(conn) {
                commit(conn, &mut batch);
                checkpointer.wake.committed();
            }
            batch.clear();
        }
        if close.is_some() {
            queue.close();
            break;
        }
    }
    // The checkpoint connection closes before the writer's, so the writer's close (the last
    // connection) checkpoints the whole log.
    checkpointer.stop();
    let conn = lock(conn).take();
    if let Some(Err((_, err))) = conn.map(Connection::close) {
        tracing::warn!(error = %err, "closing the SQLite writer connection");
    }
    if let Some(reply) = close {
        let _ = reply.send(());
    }
}

/// Commits `batch` in one transaction and answers each write; when that fails, every write
/// runs on its own and gets its own outcome.
fn commit(conn: &Connection, batch: &mut Vec<(Write, Reply)>) {
    if batch.len() > 1 {
        match apply_together(conn, batch) {
            Ok(rows) => {
                for ((_, reply), rows) in batch.drain(..).zip(rows) {
                    let _ = reply.send(Ok(rows));
                }
                return;
            }
            Err(err) => tracing::debug!(error = %err, writes = batch.len(), "group commit failed; writing one by one"),
        }
    }
    for (write, reply) in batch.drain(..) {
        let _ = reply.send(write.apply_alone(conn));
    }
}

fn apply_together(conn: &Connection, batch: &[(Write, Reply)]) -> rusqlite::Result<Vec<u64>> {
    in_transaction(conn, || batch.iter().map(|(write, _)| write.apply(conn)).collect())
}

/// Runs `work` in one `BEGIN IMMEDIATE` … `COMMIT`, rolled back when anything fails.
fn in_transaction<T>(conn: &Connection, work: impl FnOnce() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
    let outcome = work().and_then(|done| conn.prepare_cached("COMMIT")?.execute([]).map(|_| done));
    if outcome.is_err() {
        rollback(conn);
    }
    outcome
}

/// Rolls back the open transaction after a failure, if SQLite has not already.
fn rollback(conn: &Connection) {
    if !conn.is_autocommit()
        && let Err(err) = conn.prepare_cached("ROLLBACK").and_then(|mut rollback| rollback.execute([]))
    {
        tracing::warn!(error = %err, "rolling back a failed SQLite transaction");
    }
}

/// Pause between two background checkpoints: commits in between share one.
const CHECKPOINT_PAUSE: Duration = Duration::from_millis(100);

/// The background checkpoints: a thread with a connection of its own, woken after commits.
struct Checkpointer {
    wake: Arc<Wake>,
    thread: JoinHandle<()>,
}

/// How commits wake the checkpoint thread.
struct Wake {
    /// Set by the first commit after a checkpoint started, which wakes the thread; later
    /// commits find it set and wake no one.
    dirty: AtomicBool,
    /// Set when the thread is to stop.
    stop: AtomicBool,
    wake: std_mpsc::SyncSender<()>,
}

impl Wake {
    /// Asks for a checkpoint after a commit.
    fn committed(&self) {
        if !self.dirty.swap(true, Ordering::AcqRel) {
            let _ = self.wake.try_send(());
        }
    }
}

impl Checkpointer {
    fn spawn(conn: Connection, writes: Shared) -> std::io::Result<Self> {
        let (wake, woken) = std_mpsc::sync_channel(1);
        let wake = Arc::new(Wake { dirty: AtomicBool::new(false), stop: AtomicBool::new(false), wake });
        let seen = wake.clone();
        let thread = std::thread::Builder::new()
            .name("chatkit-sqlite-checkpoint".into())
            .spawn(move || checkpoint(conn, &woken, &seen, &writes))?;
        Ok(Self { wake, thread })
    }

    /// Stops the thread once its running checkpoint is done, and closes its connection.
    fn stop(self) {
        self.wake.stop.store(true, Ordering::Release);
        // A wake-up already pending does as well.
        let _ = self.wake.wake.try_send(());
        if self.thread.join().is_err() {
            tracing::warn!("the SQLite checkpoint thread panicked");
        }
    }
}

/// Checkpoints the write-ahead log after commits, at most once per [`CHECKPOINT_PAUSE`], until
/// the writer hangs up; past [`CATCH_UP_FRAMES`], holds the writer for one more (see the
/// module documentation).
///
/// `PASSIVE`: copies what no reader still needs, without waiting for readers or blocking the
/// writer, so commits go on meanwhile.
fn checkpoint(conn: Connection, woken: &std_mpsc::Receiver<()>, wake: &Wake, writes: &Mutex<Option<Connection>>) {
    let passive = || conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get::<_, i64>(1));
    let mut pending = false;
    'run: loop {
        if (!pending && woken.recv().is_err()) || wake.stop.load(Ordering::Acquire) {
            break;
        }
        // Commits from now on wake the thread again.
        wake.dirty.store(false, Ordering::Release);
        let outcome = match passive() {
            Ok(frames) if frames > CATCH_UP_FRAMES => {
                let _held = lock(writes);
                passive()
            }
            other => other,
        };
        if let Err(err) = outcome {
            tracing::warn!(error = %err, "checkpointing the SQLite write-ahead log");
        }
        // A commit during the pause leaves its wake-up pending for the next round.
        pending = false;
        let until = Instant::now() + CHECKPOINT_PAUSE;
        loop {
            match woken.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(()) if wake.stop.load(Ordering::Acquire) => break 'run,
                Ok(()) => pending = true,
                Err(std_mpsc::RecvTimeoutError::Timeout) => break,
                Err(std_mpsc::RecvTimeoutError::Disconnected) => break 'run,
            }
        }
    }
    if let Err((_, err)) = conn.close() {
        tracing::warn!(error = %err, "closing the SQLite checkpoint connection");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A migrated, empty database in `dir`: its path.
    async fn database(dir: &tempfile::TempDir) -> std::path::PathBuf {
        let path = dir.path().join("chatkit.db");
        super::super::SqliteStore::open(&path).await.unwrap().close().await;
        path
    }

    fn save_thread(id: &str) -> Write {
        Write::SaveThread { owner: "alice".into(), id: id.into(), data: "{}".into() }
    }

    /// The error with its sources.
    fn chain(err: &chatkit::StoreError) -> String {
        let mut text = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(err) = source {
            text = format!("{text}: {err}");
            source = err.source();
        }
        text
    }

    fn threads(path: &std::path::Path) -> Vec<String> {
        let conn = Connection::open(path).unwrap();
        let mut select = conn.prepare("SELECT id FROM chatkit_threads ORDER BY pk").unwrap();
        select.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    #[tokio::test]
    async fn a_failing_write_fails_alone_and_the_rest_of_its_batch_commits() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE chatkit_attachments").unwrap();
        let mut answers = Vec::new();
        let mut batch = Vec::new();
        for write in [
            save_thread("thr_1"),
            Write::SaveAttachment { owner: "alice".into(), id: "att_1".into(), data: "{}".into() },
            save_thread("thr_2"),
        ] {
            let (reply, answer) = oneshot::channel();
            batch.push((write, reply));
            answers.push(answer);
        }
        commit(&conn, &mut batch);
        assert!(batch.is_empty());
        let outcomes: Vec<_> = futures_util::future::join_all(answers).await.into_iter().map(Result::unwrap).collect();
        assert_eq!(outcomes[0].as_ref().unwrap(), &1);
        assert!(outcomes[1].as_ref().unwrap_err().to_string().contains("chatkit_attachments"), "{outcomes:?}");
        assert_eq!(outcomes[2].as_ref().unwrap(), &1);
        assert!(conn.is_autocommit(), "no transaction left open");
        assert_eq!(threads(&path), ["thr_1", "thr_2"]);
    }

    fn save_thread_with_item(id: &str) -> Write {
        Write::SaveThreadWithItem(Box::new(ThreadWithItem {
            owner: "alice".into(),
            id: id.into(),
            data: "{}".into(),
            item_id: "msg_1".into(),
            kind: "user_message",
            item: "{}".into(),
        }))
    }

    #[tokio::test]
    async fn a_thread_and_its_item_are_written_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let conn = Connection::open(&path).unwrap();
        assert_eq!(save_thread_with_item("thr_1").apply_alone(&conn).unwrap(), 1);
        let items: i64 = conn.query_row("SELECT count(*) FROM chatkit_items", [], |row| row.get(0)).unwrap();
        assert_eq!((threads(&path), items), (vec!["thr_1".to_owned()], 1));

        // The item cannot be written: the thread is not either, alone or in a batch.
        conn.execute_batch("DROP TABLE chatkit_items").unwrap();
        let err = save_thread_with_item("thr_2").apply_alone(&conn).unwrap_err();
        assert!(err.to_string().contains("chatkit_items"), "{err}");
        assert!(conn.is_autocommit(), "no transaction left open");
        assert_eq!(threads(&path), ["thr_1"]);
        let mut answers = Vec::new();
        let mut batch = Vec::new();
        for write in [save_thread("thr_3"), save_thread_with_item("thr_4"), save_thread("thr_5")] {
            let (reply, answer) = oneshot::channel();
            batch.push((write, reply));
            answers.push(answer);
        }
        commit(&conn, &mut batch);
        let outcomes: Vec<_> = futures_util::future::join_all(answers).await.into_iter().map(Result::unwrap).collect();
        assert!(outcomes[1].is_err(), "{outcomes:?}");
        assert!(outcomes[0].is_ok() && outcomes[2].is_ok(), "{outcomes:?}");
        assert!(conn.is_autocommit(), "no transaction left open");
        assert_eq!(threads(&path), ["thr_1", "thr_3", "thr_5"]);
    }

    #[tokio::test]
    async fn saving_a_thread_again_replaces_its_metadata_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let conn = Connection::open(&path).unwrap();
        for (id, data) in [("thr_1", "{}"), ("thr_2", "{}"), ("thr_1", r#"{"title":"x"}"#)] {
            let write = Write::SaveThread { owner: "alice".into(), id: id.into(), data: data.into() };
            assert_eq!(write.apply_alone(&conn).unwrap(), 1);
        }
        let rows: Vec<(i64, String, String)> = conn
            .prepare("SELECT pk, id, data FROM chatkit_threads ORDER BY pk")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows, [(1, "thr_1".into(), r#"{"title":"x"}"#.into()), (2, "thr_2".into(), "{}".into())]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writes_all_commit_and_close_waits_for_queued_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let writer = Writer::spawn(Connection::open(&path).unwrap(), Connection::open(&path).unwrap()).unwrap();
        let tasks: Vec<_> = (0..200)
            .map(|n| {
                let writer = writer.clone();
                tokio::spawn(async move { writer.write(save_thread(&format!("thr_{n}"))).await })
            })
            .collect();
        // Some writes are queued (or not even sent) when the store closes: each either commits
        // or fails as closed, and nothing commits after `close` returns.
        writer.close().await;
        let mut committed = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(rows) => {
                    assert_eq!(rows, 1);
                    committed += 1;
                }
                Err(err) => assert!(chain(&err).contains("closed"), "{}", chain(&err)),
            }
        }
        assert_eq!(threads(&path).len(), committed);
        let err = writer.write(save_thread("thr_late")).await.unwrap_err();
        assert!(chain(&err).contains("closed"), "{}", chain(&err));
        assert_eq!(threads(&path).len(), committed);
    }

    #[tokio::test]
    async fn a_write_alone_commits_before_it_returns() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let writer = Writer::spawn(Connection::open(&path).unwrap(), Connection::open(&path).unwrap()).unwrap();
        for n in 0..3 {
            assert_eq!(writer.write(save_thread(&format!("thr_{n}"))).await.unwrap(), 1);
            assert_eq!(threads(&path).len(), n + 1, "visible to another connection");
        }
        writer.close().await;
    }

    #[tokio::test]
    async fn a_write_waits_for_another_connection_that_holds_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(&dir).await;
        let conn = Connection::open(&path).unwrap();
        conn.busy_timeout(super::super::BUSY_TIMEOUT).unwrap();
        let writer = Writer::spawn(conn, Connection::open(&path).unwrap()).unwrap();
        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let write = tokio::spawn({
            let writer = writer.clone();
            async move { writer.write(save_thread("thr_1")).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!write.is_finished(), "the write waits for the other connection's lock");
        other.execute_batch("COMMIT").unwrap();
        assert_eq!(write.await.unwrap().unwrap(), 1);
        writer.close().await;
        assert_eq!(threads(&path), ["thr_1"]);
    }
}
