//! A store that keeps everything in memory.

use std::collections::HashMap;
use std::sync::RwLock;

use async_trait::async_trait;
use indexmap::IndexMap;

use super::{Store, StoreContext, StoreError, StoreResult};
use crate::{Attachment, AttachmentId, ItemId, Order, Page, ThreadId, ThreadItem, ThreadMetadata, page_window};

/// A [`Store`] in memory: fast, and gone when the process exits.
///
/// Used by tests and by `chatkit conformance-app`; data is partitioned by
/// [`StoreContext::owner`].
///
/// ```
/// # tokio_test_block_on(async {
/// use chatkit::{MemoryStore, Store, ThreadMetadata, Order};
/// let store = MemoryStore::new();
/// let ctx = "alice".to_string();
/// store.save_thread(&ThreadMetadata::new("thr_1"), &ctx).await.unwrap();
/// let page = store.load_threads(None, 20, Order::Desc, &ctx).await.unwrap();
/// assert_eq!(page.data.len(), 1);
/// let other = "bob".to_string();
/// assert!(store.load_thread(&"thr_1".into(), &other).await.is_err());
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    owners: RwLock<HashMap<String, Owner>>,
}

#[derive(Debug, Default)]
struct Owner {
    threads: IndexMap<ThreadId, StoredThread>,
    attachments: HashMap<AttachmentId, Attachment>,
}

#[derive(Debug)]
struct StoredThread {
    meta: ThreadMetadata,
    items: IndexMap<ItemId, ThreadItem>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read<T>(&self, f: impl FnOnce(&HashMap<String, Owner>) -> T) -> T {
        // A poisoned lock only means another thread panicked mid-call; the maps stay usable.
        let guard = self.owners.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&guard)
    }

    fn write<T>(&self, f: impl FnOnce(&mut HashMap<String, Owner>) -> T) -> T {
        let mut guard = self.owners.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}

/// One page of an ordered map; `after` names a key of the map.
fn page_of<K, V, T>(
    map: &IndexMap<K, V>,
    after: Option<&str>,
    limit: usize,
    order: Order,
    project: impl Fn(&V) -> T,
) -> StoreResult<Page<T>>
where
    K: std::borrow::Borrow<str> + std::hash::Hash + Eq + std::fmt::Display,
{
    let cursor = match after {
        None => None,
        Some(id) => Some(map.get_index_of(id).ok_or_else(|| StoreError::cursor_not_found(id))?),
    };
    let (positions, has_more) = page_window(map.len(), cursor, limit, order);
    let mut data = Vec::with_capacity(positions.len());
    let mut last = None;
    for (key, value) in positions.into_iter().filter_map(|p| map.get_index(p)) {
        data.push(project(value));
        last = Some(key);
    }
    Ok(Page { data, has_more, after: last.filter(|_| has_more).map(ToString::to_string) })
}

#[async_trait]
impl<C: StoreContext> Store<C> for MemoryStore {
    async fn load_thread(&self, thread_id: &ThreadId, ctx: &C) -> StoreResult<ThreadMetadata> {
        self.read(|owners| {
            owners
                .get(ctx.owner().as_ref())
                .and_then(|o| o.threads.get(thread_id))
                .map(|t| t.meta.clone())
                .ok_or_else(|| StoreError::thread_not_found(thread_id))
        })
    }

    async fn save_thread(&self, thread: &ThreadMetadata, ctx: &C) -> StoreResult<()> {
        self.write(|owners| {
            let owner = owners.entry(ctx.owner().into_owned()).or_default();
            match owner.threads.get_mut(&thread.id) {
                Some(stored) => stored.meta = thread.clone(),
                None => {
                    owner.threads.insert(thread.id.clone(), StoredThread { meta: thread.clone(), items: IndexMap::new() });
                }
            }
        });
        Ok(())
    }

    async fn load_threads(
        &self,
        after: Option<&str>,
        limit: usize,
        order: Order,
        ctx: &C,
    ) -> StoreResult<Page<ThreadMetadata>> {
        self.read(|owners| {
            let Some(owner) = owners.get(ctx.owner().as_ref()) else {
                return match after {
                    Some(id) => Err(StoreError::cursor_not_found(id)),
                    None => Ok(Page::default()),
                };
            };
            page_of(&owner.threads, after, limit, order, |t| t.meta.clone())
        })
    }

    async fn delete_thread(&self, thread_id: &ThreadId, ctx: &C) -> StoreResult<()> {
        self.write(|owners| {
            if let Some(owner) = owners.get_mut(ctx.owner().as_ref()) {
                owner.threads.shift_remove(thread_id);
            }
        });
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
        self.read(|owners| match owners.get(ctx.owner().as_ref()).and_then(|o| o.threads.get(thread_id)) {
            Some(thread) => page_of(&thread.items, after, limit, order, ThreadItem::clone),
            None => Ok(Page::default()),
        })
    }

    async fn add_thread_item(&self, thread_id: &ThreadId, item: &ThreadItem, ctx: &C) -> StoreResult<()> {
        self.save_item(thread_id, item, ctx).await
    }

    async fn save_item(&self, thread_id: &ThreadId, item: &ThreadItem, ctx: &C) -> StoreResult<()> {
        self.write(|owners| {
            let thread = owners
                .get_mut(ctx.owner().as_ref())
                .and_then(|o| o.threads.get_mut(thread_id))
                .ok_or_else(|| StoreError::thread_not_found(thread_id))?;
            // IndexMap::insert keeps the position of an existing key.
            thread.items.insert(item.id().clone(), item.clone());
            Ok(())
        })
    }

    async fn load_item(&self, thread_id: &ThreadId, item_id: &ItemId, ctx: &C) -> StoreResult<ThreadItem> {
        self.read(|owners| {
            owners
                .get(ctx.owner().as_ref())
                .and_then(|o| o.threads.get(thread_id))
                .and_then(|t| t.items.get(item_id))
                .cloned()
                .ok_or_else(|| StoreError::item_not_found(item_id))
        })
    }

    async fn delete_thread_item(&self, thread_id: &ThreadId, item_id: &ItemId, ctx: &C) -> StoreResult<()> {
        self.write(|owners| {
            if let Some(thread) = owners.get_mut(ctx.owner().as_ref()).and_then(|o| o.threads.get_mut(thread_id)) {
                thread.items.shift_remove(item_id);
            }
        });
        Ok(())
    }

    async fn save_attachment(&self, attachment: &Attachment, ctx: &C) -> StoreResult<()> {
        self.write(|owners| {
            owners
                .entry(ctx.owner().into_owned())
                .or_default()
                .attachments
                .insert(attachment.id().clone(), attachment.clone());
        });
        Ok(())
    }

    async fn load_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<Attachment> {
        self.read(|owners| {
            owners
                .get(ctx.owner().as_ref())
                .and_then(|o| o.attachments.get(attachment_id))
                .cloned()
                .ok_or_else(|| StoreError::attachment_not_found(attachment_id))
        })
    }

    async fn delete_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<()> {
        self.write(|owners| {
            if let Some(owner) = owners.get_mut(ctx.owner().as_ref()) {
                owner.attachments.remove(attachment_id);
            }
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn meets_the_store_contract() {
        super::super::testsuite::run(&MemoryStore::new()).await;
    }
}
