//! Where threads, items and attachments live.
//!
//! [`Store`] is the persistence contract the engine relies on; [`MemoryStore`] implements it
//! in memory, and the `chatkit-store` crate for SQLite and PostgreSQL. Every implementation
//! must pass [`testsuite::run`] (feature `test-suite`).
//!
//! Every call receives the request context. Stores that partition data per user read the
//! owner from [`StoreContext`]; a thread of another owner behaves exactly like a thread that
//! does not exist.

use std::borrow::Cow;
use std::error::Error as StdError;

use async_trait::async_trait;

use crate::{
    Attachment, AttachmentCreateParams, AttachmentId, IdKind, ItemId, Order, Page, ThreadId, ThreadItem,
    ThreadMetadata,
};

mod memory;
#[cfg(any(test, feature = "test-suite"))]
pub mod testsuite;

pub use memory::MemoryStore;

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The thread, item, attachment or cursor does not exist for this context.
    #[error("{what} `{id}` not found")]
    NotFound {
        /// `thread`, `item`, `attachment` or `cursor`.
        what: &'static str,
        /// The id that was looked up.
        id: String,
    },
    /// The store refused the data (too large, type not allowed, …); the message says why.
    #[error("{0}")]
    Rejected(String),
    /// The backend failed (I/O, connection, constraint).
    #[error("storage backend failed")]
    Backend(#[source] Box<dyn StdError + Send + Sync>),
    /// Stored data could not be decoded.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// A missing thread.
    pub fn thread_not_found(id: &ThreadId) -> Self {
        StoreError::NotFound { what: "thread", id: id.to_string() }
    }

    /// A missing item.
    pub fn item_not_found(id: &ItemId) -> Self {
        StoreError::NotFound { what: "item", id: id.to_string() }
    }

    /// A missing attachment.
    pub fn attachment_not_found(id: &AttachmentId) -> Self {
        StoreError::NotFound { what: "attachment", id: id.to_string() }
    }

    /// A pagination cursor that names nothing in the collection.
    pub fn cursor_not_found(id: &str) -> Self {
        StoreError::NotFound { what: "cursor", id: id.to_owned() }
    }

    /// Wraps a backend error.
    pub fn backend(err: impl StdError + Send + Sync + 'static) -> Self {
        StoreError::Backend(Box::new(err))
    }

    /// Whether this is a not-found error.
    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::NotFound { .. })
    }
}

/// What a built-in store needs from the request context: who owns the data.
///
/// Data written under one owner is invisible under every other.
///
/// ```
/// use chatkit::{RequestContext, store::StoreContext};
/// let ctx = RequestContext::new("alice").with_tenant("acme");
/// assert_eq!(ctx.owner(), "acme/alice");
/// ```
pub trait StoreContext: Send + Sync + 'static {
    /// The partition key of the caller (e.g. a user id, or `tenant/user`).
    fn owner(&self) -> Cow<'_, str>;
}

impl StoreContext for String {
    fn owner(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl StoreContext for &'static str {
    fn owner(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

/// Persistence for threads, items and attachment metadata.
///
/// Ordering: threads are listed in creation order, items in insertion order, `desc` being the
/// exact reverse of `asc`; a saved (replaced) item keeps its position. Cursors are exclusive:
/// the page after `after = X` starts right after `X` in the requested order, and an `after`
/// that names nothing is [`StoreError::NotFound`].
///
/// Implement the methods and run [`testsuite::run`] against the implementation.
#[async_trait]
pub trait Store<C: ?Sized + Sync>: Send + Sync + 'static {
    /// A fresh thread id (`thr_…`).
    fn generate_thread_id(&self, _ctx: &C) -> ThreadId {
        ThreadId::new(IdKind::Thread.generate())
    }

    /// A fresh item id for this kind (`msg_…`, `tc_…`, …).
    fn generate_item_id(&self, kind: IdKind, _thread: &ThreadMetadata, _ctx: &C) -> ItemId {
        ItemId::new(kind.generate())
    }

    /// Loads a thread, or [`StoreError::NotFound`] (also for other owners' threads).
    async fn load_thread(&self, thread_id: &ThreadId, ctx: &C) -> StoreResult<ThreadMetadata>;

    /// Inserts or replaces a thread.
    async fn save_thread(&self, thread: &ThreadMetadata, ctx: &C) -> StoreResult<()>;

    /// A page of the caller's threads.
    async fn load_threads(&self, after: Option<&str>, limit: usize, order: Order, ctx: &C)
    -> StoreResult<Page<ThreadMetadata>>;

    /// Deletes a thread and its items (attachments stay). Deleting nothing is not an error.
    async fn delete_thread(&self, thread_id: &ThreadId, ctx: &C) -> StoreResult<()>;

    /// A page of a thread's items (empty for a thread the caller cannot see).
    async fn load_thread_items(
        &self,
        thread_id: &ThreadId,
        after: Option<&str>,
        limit: usize,
        order: Order,
        ctx: &C,
    ) -> StoreResult<Page<ThreadItem>>;

    /// Appends an item to a thread; an item with the same id is replaced in place.
    async fn add_thread_item(&self, thread_id: &ThreadId, item: &ThreadItem, ctx: &C) -> StoreResult<()>;

    /// Saves a thread and appends an item to it: [`save_thread`](Store::save_thread), then
    /// [`add_thread_item`](Store::add_thread_item) (`threads.create` stores a new thread with
    /// its first message this way).
    ///
    /// A store that can should do both in one write, all or nothing; the default makes the
    /// two calls in turn, so after a failure the thread may be saved without the item.
    async fn save_thread_with_item(&self, thread: &ThreadMetadata, item: &ThreadItem, ctx: &C) -> StoreResult<()> {
        self.save_thread(thread, ctx).await?;
        self.add_thread_item(&thread.id, item, ctx).await
    }

    /// Replaces an item in place (its type may change); appends it when absent.
    async fn save_item(&self, thread_id: &ThreadId, item: &ThreadItem, ctx: &C) -> StoreResult<()>;

    /// Loads one item, or [`StoreError::NotFound`].
    async fn load_item(&self, thread_id: &ThreadId, item_id: &ItemId, ctx: &C) -> StoreResult<ThreadItem>;

    /// Deletes an item. Deleting nothing is not an error.
    async fn delete_thread_item(&self, thread_id: &ThreadId, item_id: &ItemId, ctx: &C) -> StoreResult<()>;

    /// Inserts or replaces attachment metadata (`metadata` included).
    async fn save_attachment(&self, attachment: &Attachment, ctx: &C) -> StoreResult<()>;

    /// Loads attachment metadata, or [`StoreError::NotFound`] (also for other owners').
    async fn load_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<Attachment>;

    /// Deletes attachment metadata. Deleting nothing is not an error.
    async fn delete_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<()>;
}

/// Storage of attachment bytes: creates upload targets and deletes files.
///
/// The engine calls it first and then saves the metadata in the [`Store`].
#[async_trait]
pub trait AttachmentStore<C: ?Sized + Sync>: Send + Sync + 'static {
    /// A fresh attachment id (`atc_…`).
    fn generate_attachment_id(&self, _mime_type: &str, _ctx: &C) -> AttachmentId {
        AttachmentId::new(IdKind::Attachment.generate())
    }

    /// Registers an attachment and returns it with its `upload_descriptor`.
    async fn create_attachment(&self, params: &AttachmentCreateParams, ctx: &C) -> StoreResult<Attachment>;

    /// Deletes the attachment's bytes.
    async fn delete_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<()>;
}
