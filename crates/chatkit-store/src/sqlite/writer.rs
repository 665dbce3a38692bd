//! The write path: one connection, owned by one task, that commits queued writes together.
//!
//! Every write of the store is a [`Write`] sent to the writer task, which answers when the
//! write is committed. Writes that queued up while the previous commit ran are committed in
//! one transaction (group commit): concurrent turns share one commit and one append to the
//! write-ahead log instead of paying for one each. A write alone in the queue runs on its own,
//! as before. The caller's answer still means "committed", so crash safety is unchanged.
//!
//! The task owns its connection outright (no pool): a call costs one round trip to SQLite's
//! thread, without the pool's liveness pings before and after each use. A caller that stops
//! waiting (its request was cancelled) does not cancel its write.
//!
//! Checkpoints (copying the write-ahead log back into the database file, with its `fsync`s)
//! run on a connection of their own, in the background, after commits: a commit never waits
//! for one. SQLite's own automatic checkpoint on the writer stays as a far safety net.

use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, Executor, Sqlite};
use tokio::sync::{Notify, mpsc, oneshot};

/// Writes committed together at most.
const MAX_BATCH: usize = 64;
/// Writes waiting for the writer at most; senders wait beyond.
const QUEUE: usize = 1024;

/// One write of the store. Its outcome is the number of rows it changed.
#[derive(Debug)]
pub(super) enum Write {
    /// Inserts or replaces a thread's metadata.
    SaveThread { owner: String, id: String, data: String },
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

impl Write {
    async fn apply<'c, E>(&self, conn: E) -> Result<u64, sqlx::Error>
    where
        E: Executor<'c, Database = Sqlite>,
    {
        let query = match self {
            Write::SaveThread { owner, id, data } => sqlx::query(
                "INSERT INTO chatkit_threads (owner, id, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (owner, id) DO UPDATE SET data = excluded.data",
            )
            .bind(owner)
            .bind(id)
            .bind(data),
            Write::DeleteThread { owner, id } => {
                sqlx::query("DELETE FROM chatkit_threads WHERE owner = ?1 AND id = ?2").bind(owner).bind(id)
            }
            // `seq` is the rowid: a new item gets one above every existing row; an existing
            // id keeps its row, hence its position.
            Write::SaveItem { owner, thread_id, item_id, kind, data } => sqlx::query(
                "INSERT INTO chatkit_items (thread_pk, id, type, data)
                 SELECT pk, ?3, ?4, ?5 FROM chatkit_threads WHERE owner = ?1 AND id = ?2
                 ON CONFLICT (thread_pk, id) DO UPDATE SET type = excluded.type, data = excluded.data",
            )
            .bind(owner)
            .bind(thread_id)
            .bind(item_id)
            .bind(*kind)
            .bind(data),
            Write::DeleteItem { owner, thread_id, item_id } => sqlx::query(
                "DELETE FROM chatkit_items
                 WHERE thread_pk = (SELECT pk FROM chatkit_threads WHERE owner = ?1 AND id = ?2) AND id = ?3",
            )
            .bind(owner)
            .bind(thread_id)
            .bind(item_id),
            Write::SaveAttachment { owner, id, data } => sqlx::query(
                "INSERT INTO chatkit_attachments (owner, id, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (owner, id) DO UPDATE SET data = excluded.data",
            )
            .bind(owner)
            .bind(id)
            .bind(data),
            Write::DeleteAttachment { owner, id } => {
                sqlx::query("DELETE FROM chatkit_attachments WHERE owner = ?1 AND id = ?2").bind(owner).bind(id)
            }
        };
        Ok(query.execute(conn).await?.rows_affected())
    }
}

type Reply = oneshot::Sender<Result<u64, sqlx::Error>>;

enum Job {
    Write(Write, Reply),
    /// Closes the connection once the writes queued before are committed.
    Close(oneshot::Sender<()>),
}

/// The handle of the writer task; clones share the task.
#[derive(Clone, Debug)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Write(write, _) => f.debug_tuple("Write").field(write).finish(),
            Job::Close(_) => f.write_str("Close"),
        }
    }
}

impl Writer {
    /// Starts the writer task on the current runtime with this connection, and the background
    /// checkpoints with `checkpoints`, a second connection to the same database.
    pub(super) fn spawn(conn: SqliteConnection, checkpoints: SqliteConnection) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(conn, checkpoints, queue));
        Self { jobs }
    }

    /// Commits one write; the number of rows it changed.
    pub(super) async fn write(&self, write: Write) -> Result<u64, chatkit::StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job::Write(write, reply)).await.map_err(|_| chatkit::StoreError::backend(super::Closed))?;
        answer
            .await
            .map_err(|_| chatkit::StoreError::backend(super::Closed))?
            .map_err(chatkit::StoreError::backend)
    }

    /// Commits what is queued and closes the connection; later writes fail.
    pub(super) async fn close(&self) {
        let (reply, done) = oneshot::channel();
        if self.jobs.send(Job::Close(reply)).await.is_ok() {
            let _ = done.await;
        }
    }
}

async fn run(mut conn: SqliteConnection, checkpoints: SqliteConnection, mut queue: mpsc::Receiver<Job>) {
    let committed = Arc::new(Notify::new());
    let (stop, stopped) = oneshot::channel();
    let checkpointer = tokio::spawn(checkpoint(checkpoints, committed.clone(), stopped));
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let mut close = None;
        for job in jobs.drain(..) {
            match job {
                Job::Write(write, reply) if close.is_none() => batch.push((write, reply)),
                // Dropping the reply tells the caller that the store is closed.
                Job::Write(..) => {}
                Job::Close(reply) => close = Some(reply),
            }
        }
        if !batch.is_empty() {
            commit(&mut conn, &mut batch).await;
            committed.notify_one();
        }
        if let Some(reply) = close {
            queue.close();
            // The checkpoint connection closes before the writer's, so the writer's close (the
            // last connection) checkpoints the whole log.
            let _ = stop.send(());
            let _ = checkpointer.await;
            if let Err(err) = conn.close().await {
                tracing::warn!(error = %err, "closing the SQLite writer connection");
            }
            let _ = reply.send(());
            return;
        }
    }
}

/// Pause between two background checkpoints: commits in between share one.
const CHECKPOINT_PAUSE: Duration = Duration::from_millis(100);

/// Checkpoints the write-ahead log after commits, at most once per [`CHECKPOINT_PAUSE`].
///
/// `PASSIVE`: copies what no reader still needs, without waiting for readers or blocking the
/// writer, so commits go on meanwhile.
async fn checkpoint(mut conn: SqliteConnection, committed: Arc<Notify>, mut stop: oneshot::Receiver<()>) {
    loop {
        tokio::select! {
            _ = &mut stop => break,
            () = committed.notified() => {}
        }
        if let Err(err) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut conn).await {
            tracing::warn!(error = %err, "checkpointing the SQLite write-ahead log");
        }
        tokio::select! {
            _ = &mut stop => break,
            () = tokio::time::sleep(CHECKPOINT_PAUSE) => {}
        }
    }
    if let Err(err) = conn.close().await {
        tracing::warn!(error = %err, "closing the SQLite checkpoint connection");
    }
}

/// Commits `batch` in one transaction and answers each write; when that fails, every write
/// runs on its own and gets its own outcome.
async fn commit(conn: &mut SqliteConnection, batch: &mut Vec<(Write, Reply)>) {
    if batch.len() > 1 {
        match apply_together(conn, batch).await {
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
        let _ = reply.send(write.apply(&mut *conn).await);
    }
}

async fn apply_together(conn: &mut SqliteConnection, batch: &[(Write, Reply)]) -> Result<Vec<u64>, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let mut rows = Vec::with_capacity(batch.len());
    for (write, _) in batch {
        match write.apply(&mut *tx).await {
            Ok(n) => rows.push(n),
            Err(err) => {
                let _ = tx.rollback().await;
                return Err(err);
            }
        }
    }
    tx.commit().await?;
    Ok(rows)
}
