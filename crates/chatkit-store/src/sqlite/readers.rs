//! The read path: a few connections, each lent to one call at a time.
//!
//! A plain list of open connections behind a semaphore: a call takes one and gives it back
//! when done. Unlike a general-purpose pool, nothing pings the connection before and after
//! each use (a local file does not hang up). The call runs its query on its own thread: a
//! read of a page is an indexed lookup of microseconds (in WAL mode readers wait for no
//! writer), cheaper than handing rows over from another thread one by one.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

use rusqlite::Connection as SqliteConnection;
use tokio::sync::{Semaphore, SemaphorePermit};

#[derive(Debug)]
pub(super) struct Readers {
    idle: Mutex<Vec<SqliteConnection>>,
    permits: Semaphore,
    size: u32,
}

/// A connection lent to one call; back to the others when dropped.
pub(super) struct Reader<'a> {
    conn: Option<SqliteConnection>,
    readers: &'a Readers,
    _permit: SemaphorePermit<'a>,
}

impl Readers {
    pub(super) fn new(conns: Vec<SqliteConnection>) -> Self {
        let size = u32::try_from(conns.len()).unwrap_or(u32::MAX);
        Self { permits: Semaphore::new(conns.len()), idle: Mutex::new(conns), size }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<SqliteConnection>> {
        // Only pushes and pops happen under the lock: a panic cannot leave it inconsistent.
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for a free connection.
    pub(super) async fn get(&self) -> Result<Reader<'_>, chatkit::StoreError> {
        let closed = || chatkit::StoreError::backend(super::Closed);
        let permit = self.permits.acquire().await.map_err(|_| closed())?;
        // One idle connection per available permit.
        let conn = self.idle().pop().ok_or_else(closed)?;
        Ok(Reader { conn: Some(conn), readers: self, _permit: permit })
    }

    /// Waits for every call to give its connection back, then closes them all; later reads
    /// fail.
    pub(super) async fn close(&self) {
        let Ok(all) = self.permits.acquire_many(self.size).await else { return };
        let conns = std::mem::take(&mut *self.idle());
        self.permits.close();
        drop(all);
        for conn in conns {
            if let Err((_, err)) = conn.close() {
                tracing::warn!(error = %err, "closing a SQLite reader connection");
            }
        }
    }
}

impl Deref for Reader<'_> {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        // Present from `get` until `drop`: one connection per permit.
        self.conn.as_ref().unwrap_or_else(|| unreachable!("the connection is only taken on drop"))
    }
}

impl DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!("the connection is only taken on drop"))
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.readers.idle().push(conn);
        }
    }
}
