//! The embedded store: one SQLite file in WAL mode.

mod decoded;
mod readers;
mod writer;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chatkit::store::{Store, StoreContext, StoreError, StoreResult};
use chatkit::{Attachment, AttachmentId, ItemId, Order, Page, ThreadId, ThreadItem, ThreadMetadata};
use rusqlite::{OptionalExtension, params};
use sqlx::{ConnectOptions, Connection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

use crate::codec::{fetch_limit, from_json, ordered_thread_id, page, page_of, to_json};
use crate::error::OpenError;
use crate::migrate;
use decoded::DecodedThreads;
use readers::Readers;
use writer::{ThreadWithItem, Write, Writer};

/// A [`Store`] in one SQLite file: the default of `chatkit serve`.
///
/// The database runs in WAL mode with `synchronous = NORMAL`: a write that returned is on
/// disk when the process dies (an operating system crash may lose the last transactions; use
/// [`SqliteStore::open_with`] with `synchronous(Full)` when that matters). Writes go through
/// one connection: a write alone commits right away, and writes that queue up meanwhile are
/// committed together in one transaction by a writer thread (each call still returns once its
/// write is committed); reads go through a few connections of their own, so readers never
/// wait for writers. Checkpoints (the write-ahead log copied back into the database file) run
/// in the background on a connection of their own; writes wait for one only when the log has
/// grown past 16 MiB, so that it starts over. Migrations run when the store opens.
/// Data is partitioned by [`StoreContext::owner`]. Decoded thread metadata (of up to 1,024
/// threads) stays in memory, and is reused while the stored text it came from is unchanged.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use chatkit::{Order, Store, ThreadMetadata};
/// use chatkit_store::SqliteStore;
///
/// let dir = std::env::temp_dir().join(format!("chatkit-doc-{}", std::process::id()));
/// let store = SqliteStore::open(dir.join("chatkit.db")).await?;
/// let alice = "alice".to_string();
/// store.save_thread(&ThreadMetadata::new("thr_1"), &alice).await?;
/// let page = store.load_threads(None, 20, Order::Desc, &alice).await?;
/// assert_eq!(page.data[0].id, "thr_1");
/// # store.close().await;
/// # std::fs::remove_dir_all(dir).unwrap();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct SqliteStore {
    readers: Arc<Readers>,
    writer: Writer,
    threads: Arc<DecodedThreads>,
}

/// Read connections of [`SqliteStore::open`].
const READERS: u32 = 4;

/// Bytes of the write-ahead log kept on disk once it starts over: 64 MiB.
const JOURNAL_SIZE_LIMIT: i64 = 64 << 20;

/// How long a connection waits for a lock another connection holds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens a connection of the write path (the writer's or the checkpoints') to a migrated
/// database in WAL mode.
fn write_connection(path: &Path, synchronous: i64) -> rusqlite::Result<rusqlite::Connection> {
    let conn = read_connection(path)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", synchronous)?;
    Ok(conn)
}

/// Opens a read connection to a migrated database in WAL mode.
///
/// The query planner stability guarantee is on: without it, SQLite plans a statement for the
/// values bound to some of its parameters (`LIMIT ?`, and with the bundled build's STAT4, any
/// indexed comparison), so binding new values there expires the cached statement and every
/// execution parsed and planned it again (a sixth of the CPU of `threads.list`).
fn read_connection(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    use rusqlite::config::DbConfig;
    let conn = rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(conn)
}

/// A call on a store that was closed.
#[derive(Debug, thiserror::Error)]
#[error("the SQLite store is closed")]
struct Closed;

impl SqliteStore {
    /// Opens (or creates) the database file, and its directory, and migrates it.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, OpenError> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|source| OpenError::Io { path: dir.display().to_string(), source })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .synchronous(SqliteSynchronous::Normal);
        Self::open_with(options, READERS).await
    }

    /// Opens a database with these connection options and `readers` read connections.
    ///
    /// WAL mode, foreign keys and a busy timeout are set on top of `options`, which open the
    /// file and migrate it. The store's own connections then take the file name and the
    /// `synchronous` setting of `options` (other per-connection settings do not carry over).
    pub async fn open_with(options: SqliteConnectOptions, readers: u32) -> Result<Self, OpenError> {
        let path = options.get_filename().to_owned();
        let target = path.display().to_string();
        let connect = |source| OpenError::Connect { target: target.clone(), source };
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        // This connection opens (and creates) the file and migrates it before the others
        // connect; the write connections take its `synchronous` setting.
        let mut first = options.connect().await.map_err(connect)?;
        migrate::migrator(migrate::SQLITE)
            .run(&mut first)
            .await
            .map_err(|source| OpenError::Migrate { target: target.clone(), source })?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut first).await.map_err(connect)?;
        first.close().await.map_err(connect)?;
        let sqlite = |source: rusqlite::Error| OpenError::Sqlite { target: target.clone(), source: Box::new(source) };
        let writer = write_connection(&path, synchronous).map_err(sqlite)?;
        // Checkpoints run in the background on a connection of their own; the writer's
        // automatic checkpoint only steps in if the log grows far beyond SQLite's default.
        writer.pragma_update(None, "wal_autocheckpoint", 20_000).map_err(sqlite)?;
        // A burst of writes can leave a long log behind; it is cut back when it starts over.
        writer.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT).map_err(sqlite)?;
        let checkpoints = write_connection(&path, synchronous).map_err(sqlite)?;
        let mut conns = Vec::new();
        for _ in 0..readers.max(1) {
            conns.push(read_connection(&path).map_err(sqlite)?);
        }
        let writer = Writer::spawn(writer, checkpoints)
            .map_err(|source| OpenError::Sqlite { target: target.clone(), source: Box::new(source) })?;
        Ok(Self { readers: Arc::new(Readers::new(conns)), writer, threads: Arc::default() })
    }

    /// Opens the database of a `sqlite:PATH` URL (also `sqlite://PATH`).
    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        match crate::StoreUrl::from_str(url)? {
            crate::StoreUrl::Sqlite(path) => Self::open(path).await,
            _ => Err(OpenError::InvalidUrl { url: url.to_owned(), reason: "expected sqlite:PATH".into() }),
        }
    }

    /// Waits for running calls and closes every connection (the WAL is checkpointed); later
    /// calls fail.
    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }

    /// Resolves the position of an `after` cursor in a thread: `Ok(None)` when the thread is
    /// not the caller's, `NotFound` when the cursor names no item of the thread.
    async fn item_cursor(&self, owner: &str, thread_id: &ThreadId, after: &str) -> StoreResult<Option<(i64, i64)>> {
        let reader = self.readers.get().await?;
        let row: Option<(i64, Option<i64>)> = reader
            .prepare_cached(
                "SELECT t.pk, (SELECT seq FROM chatkit_items WHERE thread_pk = t.pk AND id = ?3)
                 FROM chatkit_threads t WHERE t.owner = ?1 AND t.id = ?2",
            )
            .and_then(|mut select| {
                select.query_row(params![owner, thread_id.as_str(), after], |row| Ok((row.get(0)?, row.get(1)?))).optional()
            })
            .map_err(StoreError::backend)?;
        match row {
            None => Ok(None),
            Some((pk, Some(seq))) => Ok(Some((pk, seq))),
            Some((_, None)) => Err(StoreError::cursor_not_found(after)),
        }
    }
}

/// A page of one owner's threads after a `pk`, oldest first. Read from the index
/// `chatkit_threads_by_owner` alone, which holds `id` and `data` for it.
const THREADS_ASC: &str = "SELECT pk, id, data FROM chatkit_threads WHERE owner = ?1 AND pk > ?2 ORDER BY pk ASC LIMIT ?3";
/// A page of one owner's threads before a `pk`, newest first; as [`THREADS_ASC`].
const THREADS_DESC: &str = "SELECT pk, id, data FROM chatkit_threads WHERE owner = ?1 AND pk < ?2 ORDER BY pk DESC LIMIT ?3";

impl SqliteStore {
    /// The threads of the `(pk, id, data)` rows that `sql` selects with `args`.
    fn threads(&self, reader: &rusqlite::Connection, sql: &str, args: impl rusqlite::Params) -> StoreResult<Vec<ThreadMetadata>> {
        fn text(value: rusqlite::types::ValueRef<'_>) -> rusqlite::Result<&str> {
            Ok(value.as_str()?)
        }
        let mut select = reader.prepare_cached(sql).map_err(StoreError::backend)?;
        let mut rows = select.query(args).map_err(StoreError::backend)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(StoreError::backend)? {
            let pk: i64 = row.get(0).map_err(StoreError::backend)?;
            // Borrowed from the row: the thread's own id serves as the cursor after a page.
            let id = row.get_ref(1).and_then(text).map_err(StoreError::backend)?;
            let data = row.get_ref(2).and_then(text).map_err(StoreError::backend)?;
            out.push(self.threads.decode(pk, id, data)?);
        }
        Ok(out)
    }
}

/// The one column of the one row `sql` selects with `args`, if any.
fn one<T: rusqlite::types::FromSql>(reader: &rusqlite::Connection, sql: &str, args: impl rusqlite::Params) -> StoreResult<Option<T>> {
    reader
        .prepare_cached(sql)
        .and_then(|mut select| select.query_row(args, |row| row.get(0)).optional())
        .map_err(StoreError::backend)
}

/// The `(id, data)` rows `sql` selects with `args`, decoded; `what` names them in errors.
fn rows<T: serde::de::DeserializeOwned>(
    reader: &rusqlite::Connection,
    what: &str,
    sql: &str,
    args: impl rusqlite::Params,
) -> StoreResult<Vec<(String, T)>> {
    let mut select = reader.prepare_cached(sql).map_err(StoreError::backend)?;
    let mut rows = select.query(args).map_err(StoreError::backend)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(StoreError::backend)? {
        let id: String = row.get(0).map_err(StoreError::backend)?;
        let data = row.get_ref(1).and_then(|data| Ok(data.as_str()?)).map_err(StoreError::backend)?;
        let value = from_json(what, &id, data)?;
        out.push((id, value));
    }
    Ok(out)
}

#[async_trait]
impl<C: StoreContext> Store<C> for SqliteStore {
    fn generate_thread_id(&self, _ctx: &C) -> ThreadId {
        ordered_thread_id()
    }

    async fn load_thread(&self, thread_id: &ThreadId, ctx: &C) -> StoreResult<ThreadMetadata> {
        let sql = "SELECT pk, id, data FROM chatkit_threads WHERE owner = ?1 AND id = ?2";
        let reader = self.readers.get().await?;
        let mut rows = self.threads(&reader, sql, params![ctx.owner().as_ref(), thread_id.as_str()])?;
        rows.pop().ok_or_else(|| StoreError::thread_not_found(thread_id))
    }

    async fn save_thread(&self, thread: &ThreadMetadata, ctx: &C) -> StoreResult<()> {
        let write = Write::SaveThread { owner: ctx.owner().into_owned(), id: thread.id.to_string(), data: to_json(thread)? };
        self.writer.write(write).await?;
        Ok(())
    }

    async fn load_threads(
        &self,
        after: Option<&str>,
        limit: usize,
        order: Order,
        ctx: &C,
    ) -> StoreResult<Page<ThreadMetadata>> {
        let owner = ctx.owner();
        let cursor = match after {
            None => None,
            Some(after) => {
                let reader = self.readers.get().await?;
                let sql = "SELECT pk FROM chatkit_threads WHERE owner = ?1 AND id = ?2";
                let pk: Option<i64> = one(&reader, sql, params![owner.as_ref(), after])?;
                Some(pk.ok_or_else(|| StoreError::cursor_not_found(after))?)
            }
        };
        let sql = match order {
            Order::Asc => THREADS_ASC,
            Order::Desc => THREADS_DESC,
        };
        let bound = cursor.unwrap_or(match order {
            Order::Asc => i64::MIN,
            Order::Desc => i64::MAX,
        });
        let reader = self.readers.get().await?;
        let threads = self.threads(&reader, sql, params![owner.as_ref(), bound, fetch_limit(limit)])?;
        Ok(page_of(threads, limit, |thread| thread.id.as_str()))
    }

    async fn delete_thread(&self, thread_id: &ThreadId, ctx: &C) -> StoreResult<()> {
        // Items go with the thread (ON DELETE CASCADE).
        self.writer.write(Write::DeleteThread { owner: ctx.owner().into_owned(), id: thread_id.to_string() }).await?;
        Ok(())
    }

    async fn load_thread_items(
        &self,
        thread_id: &ThreadId,
        after: Option<&str>,
        limit: usize,
        order: Order,
        ctx: &C,
    ) -> StoreResult<Page<ThreadItem>> {
        let owner = ctx.owner();
        let (asc, desc) = match after {
            None => (
                "SELECT i.id, i.data FROM chatkit_items i
                 WHERE i.thread_pk = (SELECT pk FROM chatkit_threads WHERE owner = ?1 AND id = ?2)
                 ORDER BY i.seq ASC LIMIT ?3",
                "SELECT i.id, i.data FROM chatkit_items i
                 WHERE i.thread_pk = (SELECT pk FROM chatkit_threads WHERE owner = ?1 AND id = ?2)
                 ORDER BY i.seq DESC LIMIT ?3",
            ),
            Some(_) => (
                "SELECT id, data FROM chatkit_items WHERE thread_pk = ?1 AND seq > ?2 ORDER BY seq ASC LIMIT ?3",
                "SELECT id, data FROM chatkit_items WHERE thread_pk = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
            ),
        };
        let sql = if order == Order::Asc { asc } else { desc };
        let cursor = match after {
            None => None,
            Some(after) => match self.item_cursor(&owner, thread_id, after).await? {
                None => return Ok(Page::default()),
                Some(cursor) => Some(cursor),
            },
        };
        let reader = self.readers.get().await?;
        let rows = match cursor {
            None => rows(&reader, "item", sql, params![owner.as_ref(), thread_id.as_str(), fetch_limit(limit)])?,
            Some((thread_pk, seq)) => rows(&reader, "item", sql, params![thread_pk, seq, fetch_limit(limit)])?,
        };
        Ok(page(rows, limit))
    }

    async fn add_thread_item(&self, thread_id: &ThreadId, item: &ThreadItem, ctx: &C) -> StoreResult<()> {
        let write = Write::SaveItem {
            owner: ctx.owner().into_owned(),
            thread_id: thread_id.to_string(),
            item_id: item.id().to_string(),
            kind: item.kind(),
            data: to_json(item)?,
        };
        if self.writer.write(write).await? == 0 {
            return Err(StoreError::thread_not_found(thread_id));
        }
        Ok(())
    }

    async fn save_thread_with_item(&self, thread: &ThreadMetadata, item: &ThreadItem, ctx: &C) -> StoreResult<()> {
        let write = Write::SaveThreadWithItem(Box::new(ThreadWithItem {
            owner: ctx.owner().into_owned(),
            id: thread.id.to_string(),
            data: to_json(thread)?,
            item_id: item.id().to_string(),
            kind: item.kind(),
            item: to_json(item)?,
        }));
        if self.writer.write(write).await? == 0 {
            return Err(StoreError::thread_not_found(&thread.id));
        }
        Ok(())
    }

    async fn save_item(&self, thread_id: &ThreadId, item: &ThreadItem, ctx: &C) -> StoreResult<()> {
        Store::<C>::add_thread_item(self, thread_id, item, ctx).await
    }

    async fn load_item(&self, thread_id: &ThreadId, item_id: &ItemId, ctx: &C) -> StoreResult<ThreadItem> {
        let sql = "SELECT i.data FROM chatkit_items i JOIN chatkit_threads t ON t.pk = i.thread_pk
                   WHERE t.owner = ?1 AND t.id = ?2 AND i.id = ?3";
        let reader = self.readers.get().await?;
        let data: Option<String> = one(&reader, sql, params![ctx.owner().as_ref(), thread_id.as_str(), item_id.as_str()])?;
        let data = data.ok_or_else(|| StoreError::item_not_found(item_id))?;
        from_json("item", item_id, &data)
    }

    async fn delete_thread_item(&self, thread_id: &ThreadId, item_id: &ItemId, ctx: &C) -> StoreResult<()> {
        let write = Write::DeleteItem {
            owner: ctx.owner().into_owned(),
            thread_id: thread_id.to_string(),
            item_id: item_id.to_string(),
        };
        self.writer.write(write).await?;
        Ok(())
    }

    async fn save_attachment(&self, attachment: &Attachment, ctx: &C) -> StoreResult<()> {
        let write =
            Write::SaveAttachment { owner: ctx.owner().into_owned(), id: attachment.id().to_string(), data: to_json(attachment)? };
        self.writer.write(write).await?;
        Ok(())
    }

    async fn load_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<Attachment> {
        let sql = "SELECT data FROM chatkit_attachments WHERE owner = ?1 AND id = ?2";
        let reader = self.readers.get().await?;
        let data: Option<String> = one(&reader, sql, params![ctx.owner().as_ref(), attachment_id.as_str()])?;
        let data = data.ok_or_else(|| StoreError::attachment_not_found(attachment_id))?;
        from_json("attachment", attachment_id, &data)
    }

    async fn delete_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<()> {
        self.writer.write(Write::DeleteAttachment { owner: ctx.owner().into_owned(), id: attachment_id.to_string() }).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chatkit::{Order, Store, ThreadMetadata};
    use rusqlite::StatementStatus;
    use sqlx::{ConnectOptions, Connection};

    /// A cached statement keeps its plan when new values are bound (a page query's `LIMIT ?`
    /// and its bounds), instead of being parsed and planned again on every execution.
    #[tokio::test]
    async fn cached_statements_are_not_prepared_again_for_new_bindings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chatkit.db");
        super::SqliteStore::open(&path).await.unwrap().close().await;
        for conn in [super::read_connection(&path).unwrap(), super::write_connection(&path, 1).unwrap()] {
            let sql = super::THREADS_DESC;
            for (owner, bound, limit) in [("alice", i64::MAX, 21), ("bob", 40, 3), ("alice", 7, 101)] {
                let mut select = conn.prepare_cached(sql).unwrap();
                let rows: Vec<String> = select.query_map(rusqlite::params![owner, bound, limit], |row| row.get(1)).unwrap().collect::<Result<_, _>>().unwrap();
                assert!(rows.is_empty());
                assert_eq!(select.get_status(StatementStatus::RePrepare), 0, "re-prepared for {owner}, {bound}, {limit}");
            }
        }
    }

    /// How SQLite runs `sql`: the details of its query plan, one line each.
    fn plan(conn: &rusqlite::Connection, sql: &str) -> String {
        let mut explain = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = explain.query_map(rusqlite::params!["alice", 0, 21], |row| row.get::<_, String>(3)).unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("\n")
    }

    /// A page of threads comes from the index alone, without a lookup in the table per thread.
    #[tokio::test]
    async fn a_page_of_threads_is_read_from_the_index_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chatkit.db");
        super::SqliteStore::open(&path).await.unwrap().close().await;
        let conn = super::read_connection(&path).unwrap();
        for sql in [super::THREADS_ASC, super::THREADS_DESC] {
            let plan = plan(&conn, sql);
            assert!(plan.contains("COVERING INDEX chatkit_threads_by_owner"), "{sql}: {plan}");
        }
    }

    /// A database made before the thread list index held the threads' data opens, lists its
    /// threads, and gets the new index.
    #[tokio::test]
    async fn a_database_of_the_first_schema_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chatkit.db");
        let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path).create_if_missing(true);
        let mut first = options.connect().await.unwrap();
        crate::migrate::migrator(&crate::migrate::SQLITE[..1]).run(&mut first).await.unwrap();
        first.close().await.unwrap();
        let old = super::write_connection(&path, 1).unwrap();
        for id in ["thr_1", "thr_2"] {
            let data = serde_json::to_string(&ThreadMetadata::new(id)).unwrap();
            old.execute("INSERT INTO chatkit_threads (owner, id, data) VALUES ('alice', ?1, ?2)", rusqlite::params![id, data]).unwrap();
        }
        assert!(!plan(&old, super::THREADS_DESC).contains("COVERING"), "the first schema's index lacks the data");
        old.close().unwrap();

        let store = super::SqliteStore::open(&path).await.unwrap();
        let alice = "alice".to_string();
        let page = store.load_threads(None, 20, Order::Desc, &alice).await.unwrap();
        let ids: Vec<&str> = page.data.iter().map(|thread| thread.id.as_str()).collect();
        assert_eq!(ids, ["thr_2", "thr_1"]);
        store.close().await;
        let plan = plan(&super::read_connection(&path).unwrap(), super::THREADS_DESC);
        assert!(plan.contains("COVERING INDEX chatkit_threads_by_owner"), "{plan}");
    }
}
