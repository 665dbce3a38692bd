//! How many streams one caller may have open at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::RequestError;

type KeyFn<C> = dyn Fn(&C) -> String + Send + Sync;

/// Counts open streams per caller key and refuses new ones beyond `max`.
pub(crate) struct StreamLimit<C> {
    max: usize,
    key: Box<KeyFn<C>>,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl<C> StreamLimit<C> {
    pub(crate) fn new(max: usize, key: impl Fn(&C) -> String + Send + Sync + 'static) -> Self {
        Self { max, key: Box::new(key), open: Arc::default() }
    }

    /// A permit for one more stream of this caller, released on drop.
    pub(crate) fn acquire(&self, context: &C) -> Result<StreamPermit, RequestError> {
        let key = (self.key)(context);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(key.clone()).or_insert(0);
        if *count >= self.max {
            return Err(RequestError::TooManyStreams { limit: self.max });
        }
        *count += 1;
        Ok(StreamPermit { key, open: self.open.clone() })
    }
}

/// One open stream; dropping it frees the slot.
pub(crate) struct StreamPermit {
    key: String,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_beyond_the_limit_and_frees_on_drop() {
        let limit = StreamLimit::new(2, |user: &String| user.clone());
        let alice = "alice".to_string();
        let a = limit.acquire(&alice).unwrap();
        let _b = limit.acquire(&alice).unwrap();
        assert!(matches!(limit.acquire(&alice), Err(RequestError::TooManyStreams { limit: 2 })));
        assert!(limit.acquire(&"bob".to_string()).is_ok(), "other callers are not affected");
        drop(a);
        assert!(limit.acquire(&alice).is_ok());
    }
}
