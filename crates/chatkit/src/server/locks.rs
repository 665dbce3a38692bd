//! One writer per thread at a time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use crate::ThreadId;

/// Serializes requests that change one thread, so that two actions on the same widget never
/// read the same state (no lost updates). Requests on different threads run in parallel.
#[derive(Debug, Default)]
pub(crate) struct ThreadLocks {
    locks: Mutex<HashMap<ThreadId, Weak<AsyncMutex<()>>>>,
}

impl ThreadLocks {
    /// Waits until no other request holds `thread_id`; the guard releases it on drop.
    pub(crate) async fn lock(&self, thread_id: &ThreadId) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(lock) = locks.get(thread_id).and_then(Weak::upgrade) {
                lock
            } else {
                // Forget locks nobody holds any more before adding one, so the map stays small.
                if locks.len() >= 1024 {
                    locks.retain(|_, weak| weak.strong_count() > 0);
                }
                let lock = Arc::new(AsyncMutex::new(()));
                locks.insert(thread_id.clone(), Arc::downgrade(&lock));
                lock
            }
        };
        lock.lock_owned().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn same_thread_waits_other_thread_does_not() {
        let locks = ThreadLocks::default();
        let a = ThreadId::new("thr_a");
        let guard = locks.lock(&a).await;
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(20), locks.lock(&a)).await;
        assert!(waiting.is_err(), "a second lock on the same thread waits");
        let other = tokio::time::timeout(std::time::Duration::from_millis(20), locks.lock(&ThreadId::new("thr_b"))).await;
        assert!(other.is_ok(), "another thread is not blocked");
        drop(guard);
        assert!(tokio::time::timeout(std::time::Duration::from_millis(20), locks.lock(&a)).await.is_ok());
    }
}
