//! The scale-out store: PostgreSQL through a connection pool.

use std::time::Duration;

use async_trait::async_trait;
use chatkit::store::{Store, StoreContext, StoreError, StoreResult};
use chatkit::{Attachment, AttachmentId, ItemId, Order, Page, ThreadId, ThreadItem, ThreadMetadata};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::codec::{escape_nul, fetch_limit, from_json, ordered_thread_id, page, to_json, unescape_nul};
use crate::error::{OpenError, backend};
use crate::migrate;

/// A [`Store`] in PostgreSQL: several server processes can share one database.
///
/// Threads, items and attachments are `jsonb` documents next to the columns that index them.
/// Writes are single statements; adding an item locks its thread's row for the instant of
/// the insert, so positions follow commit order even with many writers. Migrations run when
/// the store connects (under an advisory lock, so processes starting together take turns).
///
/// `jsonb` normalizes what JSON leaves open: object members come back sorted (by length,
/// then bytes) rather than in the order they were written. Values are otherwise kept exactly,
/// including strings with U+0000, which `jsonb` cannot hold and the store encodes.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use chatkit::{Order, Store, ThreadMetadata};
/// use chatkit_store::PgStore;
///
/// let store = PgStore::connect("postgres://chatkit@127.0.0.1/chatkit").await?;
/// let alice = "alice".to_string();
/// store.save_thread(&ThreadMetadata::new("thr_1"), &alice).await?;
/// let page = store.load_threads(None, 20, Order::Desc, &alice).await?;
/// assert_eq!(page.data[0].id, "thr_1");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to a `postgres://` URL with a pool of up to 10 connections, and migrates.
    ///
    /// An unreachable server is retried for up to 10 seconds.
    ///
    /// To keep the tables in a schema of their own, add
    /// `?options=-c%20search_path%3Dmyschema` to the URL.
    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        let options: PgConnectOptions = url
            .parse()
            .map_err(|err| OpenError::InvalidUrl { url: crate::url::redact(url), reason: format!("{err}") })?;
        Self::connect_with(options, PgPoolOptions::new().max_connections(10).acquire_timeout(Duration::from_secs(10))).await
    }

    /// Connects with these options and pool settings, and migrates.
    pub async fn connect_with(options: PgConnectOptions, pool: PgPoolOptions) -> Result<Self, OpenError> {
        let target = format!(
            "postgres://{}@{}:{}/{}",
            options.get_username(),
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        let pool = pool
            .connect_with(options)
            .await
            .map_err(|source| OpenError::Connect { target: target.clone(), source })?;
        Self::from_pool(pool).await.map_err(|source| OpenError::Migrate { target, source })
    }

    /// Uses an existing pool, after migrating its database.
    pub async fn from_pool(pool: PgPool) -> Result<Self, sqlx::migrate::MigrateError> {
        migrate::migrator(migrate::POSTGRES).run(&pool).await?;
        Ok(Self { pool })
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Waits for running calls and closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Resolves the position of an `after` cursor in a thread: `Ok(None)` when the thread is
    /// not the caller's, `NotFound` when the cursor names no item of the thread.
    async fn item_cursor(&self, owner: &str, thread_id: &str, after: &str) -> StoreResult<Option<(i64, i64)>> {
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT t.pk, (SELECT seq FROM chatkit_items WHERE thread_pk = t.pk AND id = $3)
             FROM chatkit_threads t WHERE t.owner = $1 AND t.id = $2",
        )
        .bind(owner)
        .bind(thread_id)
        .bind(after)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        match row {
            None => Ok(None),
            Some((pk, Some(seq))) => Ok(Some((pk, seq))),
            Some((_, None)) => Err(StoreError::cursor_not_found(after)),
        }
    }
}

/// Whether a key (owner or id) can be stored: PostgreSQL text cannot hold U+0000. No stored
/// row has such a key, so reads answer "not found" and writes are rejected.
fn storable(key: &str) -> bool {
    !key.contains('\0')
}

fn reject_nul(keys: &[&str]) -> StoreResult<()> {
    match keys.iter().all(|k| storable(k)) {
        true => Ok(()),
        false => Err(StoreError::Rejected("ids and owners must not contain the character U+0000".into())),
    }
}

/// A value as `jsonb` text.
fn to_jsonb<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    Ok(escape_nul(to_json(value)?))
}

/// A value from `jsonb` text.
fn from_jsonb<T: serde::de::DeserializeOwned>(what: &str, id: &str, json: String) -> StoreResult<T> {
    from_json(what, id, &unescape_nul(json)?)
}

fn rows_to_page<T: serde::de::DeserializeOwned>(what: &str, rows: Vec<(String, String)>, limit: usize) -> StoreResult<Page<T>> {
    let rows = rows
        .into_iter()
        .map(|(id, data)| {
            let value = from_jsonb(what, &id, data)?;
            Ok((id, value))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(page(rows, limit))
}

#[async_trait]
impl<C: StoreContext> Store<C> for PgStore {
    fn generate_thread_id(&self, _ctx: &C) -> ThreadId {
        ordered_thread_id()
    }

    async fn load_thread(&self, thread_id: &ThreadId, ctx: &C) -> StoreResult<ThreadMetadata> {
        let owner = ctx.owner();
        if !storable(&owner) || !storable(thread_id) {
            return Err(StoreError::thread_not_found(thread_id));
        }
        let data: Option<String> =
            sqlx::query_scalar("SELECT data::text FROM chatkit_threads WHERE owner = $1 AND id = $2")
                .bind(owner.as_ref())
                .bind(thread_id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        let data = data.ok_or_else(|| StoreError::thread_not_found(thread_id))?;
        from_jsonb("thread", thread_id, data)
    }

    async fn save_thread(&self, thread: &ThreadMetadata, ctx: &C) -> StoreResult<()> {
        let owner = ctx.owner();
        reject_nul(&[&owner, &thread.id])?;
        sqlx::query(
            "INSERT INTO chatkit_threads (owner, id, data) VALUES ($1, $2, $3::jsonb)
             ON CONFLICT (owner, id) DO UPDATE SET data = excluded.data",
        )
        .bind(owner.as_ref())
        .bind(thread.id.as_str())
        .bind(to_jsonb(thread)?)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
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
        if let Some(after) = after.filter(|a| !storable(a) || !storable(&owner)) {
            return Err(StoreError::cursor_not_found(after));
        }
        if !storable(&owner) {
            return Ok(Page::default());
        }
        let cursor = match after {
            None => None,
            Some(after) => {
                let pk: Option<i64> = sqlx::query_scalar("SELECT pk FROM chatkit_threads WHERE owner = $1 AND id = $2")
                    .bind(owner.as_ref())
                    .bind(after)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(backend)?;
                Some(pk.ok_or_else(|| StoreError::cursor_not_found(after))?)
            }
        };
        let (sql, bound) = match order {
            Order::Asc => (
                "SELECT id, data::text FROM chatkit_threads WHERE owner = $1 AND pk > $2 ORDER BY pk ASC LIMIT $3",
                cursor.unwrap_or(i64::MIN),
            ),
            Order::Desc => (
                "SELECT id, data::text FROM chatkit_threads WHERE owner = $1 AND pk < $2 ORDER BY pk DESC LIMIT $3",
                cursor.unwrap_or(i64::MAX),
            ),
        };
        let rows: Vec<(String, String)> = sqlx::query_as(sql)
            .bind(owner.as_ref())
            .bind(bound)
            .bind(fetch_limit(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows_to_page("thread", rows, limit)
    }

    async fn delete_thread(&self, thread_id: &ThreadId, ctx: &C) -> StoreResult<()> {
        let owner = ctx.owner();
        if !storable(&owner) || !storable(thread_id) {
            return Ok(());
        }
        // Items go with the thread (ON DELETE CASCADE).
        sqlx::query("DELETE FROM chatkit_threads WHERE owner = $1 AND id = $2")
            .bind(owner.as_ref())
            .bind(thread_id.as_str())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
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
        if !storable(&owner) || !storable(thread_id) {
            return Ok(Page::default());
        }
        let rows: Vec<(String, String)> = match after {
            None => {
                let sql = match order {
                    Order::Asc => {
                        "SELECT i.id, i.data::text FROM chatkit_items i
                         WHERE i.thread_pk = (SELECT pk FROM chatkit_threads WHERE owner = $1 AND id = $2)
                         ORDER BY i.seq ASC LIMIT $3"
                    }
                    Order::Desc => {
                        "SELECT i.id, i.data::text FROM chatkit_items i
                         WHERE i.thread_pk = (SELECT pk FROM chatkit_threads WHERE owner = $1 AND id = $2)
                         ORDER BY i.seq DESC LIMIT $3"
                    }
                };
                sqlx::query_as(sql).bind(owner.as_ref()).bind(thread_id.as_str())
            }
            Some(after) if !storable(after) => return Err(StoreError::cursor_not_found(after)),
            Some(after) => {
                let Some((thread_pk, seq)) = self.item_cursor(&owner, thread_id, after).await? else {
                    return Ok(Page::default());
                };
                let sql = match order {
                    Order::Asc => {
                        "SELECT id, data::text FROM chatkit_items WHERE thread_pk = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3"
                    }
                    Order::Desc => {
                        "SELECT id, data::text FROM chatkit_items WHERE thread_pk = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3"
                    }
                };
                sqlx::query_as(sql).bind(thread_pk).bind(seq)
            }
        }
        .bind(fetch_limit(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows_to_page("item", rows, limit)
    }

    async fn add_thread_item(&self, thread_id: &ThreadId, item: &ThreadItem, ctx: &C) -> StoreResult<()> {
        let owner = ctx.owner();
        if !storable(&owner) || !storable(thread_id) {
            return Err(StoreError::thread_not_found(thread_id));
        }
        reject_nul(&[item.id()])?;
        // Taking the next position locks the thread row until the statement commits: writers
        // of one thread take turns, and a missing (or foreign) thread writes nothing. An
        // existing id keeps its row, hence its position.
        let written = sqlx::query(
            "WITH t AS (
                 UPDATE chatkit_threads SET last_seq = last_seq + 1
                 WHERE owner = $1 AND id = $2
                 RETURNING pk, last_seq
             )
             INSERT INTO chatkit_items (thread_pk, seq, id, type, data)
             SELECT pk, last_seq, $3, $4, $5::jsonb FROM t
             ON CONFLICT (thread_pk, id) DO UPDATE SET type = excluded.type, data = excluded.data",
        )
        .bind(owner.as_ref())
        .bind(thread_id.as_str())
        .bind(item.id().as_str())
        .bind(item.kind())
        .bind(to_jsonb(item)?)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if written.rows_affected() == 0 {
            return Err(StoreError::thread_not_found(thread_id));
        }
        Ok(())
    }

    async fn save_item(&self, thread_id: &ThreadId, item: &ThreadItem, ctx: &C) -> StoreResult<()> {
        Store::<C>::add_thread_item(self, thread_id, item, ctx).await
    }

    async fn load_item(&self, thread_id: &ThreadId, item_id: &ItemId, ctx: &C) -> StoreResult<ThreadItem> {
        let owner = ctx.owner();
        if !storable(&owner) || !storable(thread_id) || !storable(item_id) {
            return Err(StoreError::item_not_found(item_id));
        }
        let data: Option<String> = sqlx::query_scalar(
            "SELECT i.data::text FROM chatkit_items i JOIN chatkit_threads t ON t.pk = i.thread_pk
             WHERE t.owner = $1 AND t.id = $2 AND i.id = $3",
        )
        .bind(owner.as_ref())
        .bind(thread_id.as_str())
        .bind(item_id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let data = data.ok_or_else(|| StoreError::item_not_found(item_id))?;
        from_jsonb("item", item_id, data)
    }

    async fn delete_thread_item(&self, thread_id: &ThreadId, item_id: &ItemId, ctx: &C) -> StoreResult<()> {
        let owner = ctx.owner();
        if !storable(&owner) || !storable(thread_id) || !storable(item_id) {
            return Ok(());
        }
        sqlx::query(
            "DELETE FROM chatkit_items
             WHERE thread_pk = (SELECT pk FROM chatkit_threads WHERE owner = $1 AND id = $2) AND id = $3",
        )
        .bind(owner.as_ref())
        .bind(thread_id.as_str())
        .bind(item_id.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn save_attachment(&self, attachment: &Attachment, ctx: &C) -> StoreResult<()> {
        let owner = ctx.owner();
        reject_nul(&[&owner, attachment.id()])?;
        sqlx::query(
            "INSERT INTO chatkit_attachments (owner, id, data) VALUES ($1, $2, $3::jsonb)
             ON CONFLICT (owner, id) DO UPDATE SET data = excluded.data",
        )
        .bind(owner.as_ref())
        .bind(attachment.id().as_str())
        .bind(to_jsonb(attachment)?)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<Attachment> {
        let owner = ctx.owner();
        if !storable(&owner) || !storable(attachment_id) {
            return Err(StoreError::attachment_not_found(attachment_id));
        }
        let data: Option<String> =
            sqlx::query_scalar("SELECT data::text FROM chatkit_attachments WHERE owner = $1 AND id = $2")
                .bind(owner.as_ref())
                .bind(attachment_id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        let data = data.ok_or_else(|| StoreError::attachment_not_found(attachment_id))?;
        from_jsonb("attachment", attachment_id, data)
    }

    async fn delete_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<()> {
        let owner = ctx.owner();
        if !storable(&owner) || !storable(attachment_id) {
            return Ok(());
        }
        sqlx::query("DELETE FROM chatkit_attachments WHERE owner = $1 AND id = $2")
            .bind(owner.as_ref())
            .bind(attachment_id.as_str())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
