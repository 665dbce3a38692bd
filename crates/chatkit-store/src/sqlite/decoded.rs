//! Threads decoded before, kept with the text they were decoded from.
//!
//! A thread's metadata is stored as JSON, and decoding it was the larger part of the work of
//! `threads.list` once the rows are read. The same threads are read again and again (the
//! thread list of a client, the thread of every turn), so each decoded thread is kept under
//! its row's `pk` with its text; a later read of the same text takes a copy of the kept
//! value instead of decoding it again. The whole text is compared, so a row changed by
//! anyone (this store, another connection, another process) is decoded anew.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chatkit::ThreadMetadata;
use chatkit::store::StoreResult;

use crate::codec::from_json;

/// Threads kept at most.
const CAPACITY: usize = 1024;
/// Texts longer than this (threads with large metadata) are decoded every time, not kept.
const MAX_TEXT: usize = 4096;

/// Decoded threads by `pk`, with their text.
#[derive(Default)]
pub(super) struct DecodedThreads {
    kept: Mutex<HashMap<i64, (Box<str>, ThreadMetadata)>>,
}

impl std::fmt::Debug for DecodedThreads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedThreads").field("kept", &self.kept().len()).finish()
    }
}

impl DecodedThreads {
    fn kept(&self) -> MutexGuard<'_, HashMap<i64, (Box<str>, ThreadMetadata)>> {
        // Only inserts, removals and clones happen under the lock: a panic cannot leave the
        // map inconsistent.
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The thread of row `pk`, with id `id` (for errors) and JSON text `data`.
    pub(super) fn decode(&self, pk: i64, id: &str, data: &str) -> StoreResult<ThreadMetadata> {
        // Nested rather than a let chain, which the minimum supported Rust (1.85) lacks.
        #[allow(clippy::collapsible_if)]
        if let Some((text, thread)) = self.kept().get(&pk) {
            if **text == *data {
                return Ok(thread.clone());
            }
        }
        let thread: ThreadMetadata = from_json("thread", id, data)?;
        if data.len() <= MAX_TEXT {
            let mut kept = self.kept();
            if kept.len() >= CAPACITY && !kept.contains_key(&pk) {
                // Any one makes room: a thread read again is decoded again.
                if let Some(&other) = kept.keys().next() {
                    kept.remove(&other);
                }
            }
            kept.insert(pk, (data.into(), thread.clone()));
        }
        Ok(thread)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn text(thread: &ThreadMetadata) -> String {
        serde_json::to_string(thread).unwrap()
    }

    #[test]
    fn a_changed_text_is_decoded_again() {
        let decoded = DecodedThreads::default();
        let mut thread = ThreadMetadata::new("thr_1");
        assert_eq!(decoded.decode(1, "thr_1", &text(&thread)).unwrap(), thread);
        assert_eq!(decoded.decode(1, "thr_1", &text(&thread)).unwrap(), thread, "kept");
        thread.title = Some("renamed".into());
        assert_eq!(decoded.decode(1, "thr_1", &text(&thread)).unwrap(), thread, "the same pk, a new text");
        let other = ThreadMetadata::new("thr_2");
        assert_eq!(decoded.decode(2, "thr_2", &text(&other)).unwrap(), other);
        assert_eq!(decoded.decode(1, "thr_1", &text(&thread)).unwrap(), thread);
    }

    #[test]
    fn text_that_is_not_a_thread_is_corrupt_and_not_kept() {
        let decoded = DecodedThreads::default();
        let err = decoded.decode(1, "thr_1", "{}").unwrap_err();
        assert!(matches!(err, chatkit::StoreError::Corrupt(_)), "{err:?}");
        assert!(err.to_string().contains("thr_1"), "{err}");
        assert_eq!(decoded.kept().len(), 0);
    }

    #[test]
    fn at_most_capacity_threads_are_kept_and_long_texts_none() {
        let decoded = DecodedThreads::default();
        let thread = ThreadMetadata::new("thr_1");
        let data = text(&thread);
        for pk in 0..(CAPACITY as i64 + 10) {
            assert_eq!(decoded.decode(pk, "thr_1", &data).unwrap(), thread);
        }
        assert_eq!(decoded.kept().len(), CAPACITY);

        let mut large = ThreadMetadata::new("thr_large");
        large.title = Some("x".repeat(MAX_TEXT));
        let decoded = DecodedThreads::default();
        assert_eq!(decoded.decode(1, "thr_large", &text(&large)).unwrap(), large);
        assert_eq!(decoded.kept().len(), 0);
    }
}
