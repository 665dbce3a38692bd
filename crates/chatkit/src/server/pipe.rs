//! The byte pipe between a stream's handler task and its response body.
//!
//! Events are encoded straight into one shared buffer; the body takes everything written so
//! far in one piece. So a frame costs no allocation of its own, and a fast handler costs one
//! write per batch. The writer waits once `limit` frames are waiting (backpressure); it fails
//! once the reader is gone (the client disconnected).

use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use bytes::{Bytes, BytesMut};
use tokio::sync::Notify;

#[derive(Debug)]
struct State {
    buf: BytesMut,
    /// Frames in `buf`.
    frames: usize,
    writers: usize,
    reader_alive: bool,
    reader_waker: Option<Waker>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    limit: usize,
    /// Signalled when the reader takes frames or goes away.
    space: Notify,
    /// Signalled when the reader goes away.
    gone: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state inconsistent (plain fields).
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The reader went away.
#[derive(Debug)]
pub(crate) struct Closed;

/// The writing end; clones share the pipe, the stream ends when every writer is dropped.
#[derive(Debug)]
pub(crate) struct PipeWriter {
    shared: Arc<Shared>,
}

/// The reading end: chunks of whole frames.
#[derive(Debug)]
pub(crate) struct PipeReader {
    shared: Arc<Shared>,
}

/// A pipe holding at most `limit` frames (at least one).
pub(crate) fn pipe(limit: usize) -> (PipeWriter, PipeReader) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State { buf: BytesMut::new(), frames: 0, writers: 1, reader_alive: true, reader_waker: None }),
        limit: limit.max(1),
        space: Notify::new(),
        gone: Notify::new(),
    });
    (PipeWriter { shared: shared.clone() }, PipeReader { shared })
}

impl PipeWriter {
    /// Appends one frame, written by `write` into the shared buffer; waits while the pipe is
    /// full.
    pub(crate) async fn send_with(&self, write: impl FnOnce(&mut BytesMut)) -> Result<(), Closed> {
        loop {
            let mut space = pin!(self.shared.space.notified());
            space.as_mut().enable();
            {
                let mut state = self.shared.lock();
                if !state.reader_alive {
                    return Err(Closed);
                }
                if state.frames < self.shared.limit {
                    write(&mut state.buf);
                    state.frames += 1;
                    let waker = state.reader_waker.take();
                    drop(state);
                    if let Some(waker) = waker {
                        waker.wake();
                    }
                    return Ok(());
                }
            }
            space.await;
        }
    }

    /// Whether the reader is gone.
    pub(crate) fn is_closed(&self) -> bool {
        !self.shared.lock().reader_alive
    }

    /// Completes once the reader is gone.
    pub(crate) async fn closed(&self) {
        loop {
            let mut gone = pin!(self.shared.gone.notified());
            gone.as_mut().enable();
            if self.is_closed() {
                return;
            }
            gone.await;
        }
    }
}

impl Clone for PipeWriter {
    fn clone(&self) -> Self {
        self.shared.lock().writers += 1;
        Self { shared: self.shared.clone() }
    }
}

impl Drop for PipeWriter {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.writers -= 1;
        let waker = if state.writers == 0 { state.reader_waker.take() } else { None };
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl PipeReader {
    /// Everything written so far, or `None` once every writer is gone and all was read.
    pub(crate) fn poll_read(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let mut state = self.shared.lock();
        if !state.buf.is_empty() {
            let chunk = state.buf.split().freeze();
            state.frames = 0;
            drop(state);
            self.shared.space.notify_waiters();
            return Poll::Ready(Some(chunk));
        }
        if state.writers == 0 {
            return Poll::Ready(None);
        }
        match &mut state.reader_waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for PipeReader {
    fn drop(&mut self) {
        self.shared.lock().reader_alive = false;
        self.shared.space.notify_waiters();
        self.shared.gone.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::poll_fn;

    #[tokio::test]
    async fn frames_arrive_in_order_and_in_batches() {
        let (tx, mut rx) = pipe(8);
        for i in 0..3 {
            tx.send_with(|buf| buf.extend_from_slice(format!("{i};").as_bytes())).await.expect("reader alive");
        }
        drop(tx);
        assert_eq!(poll_fn(|cx| rx.poll_read(cx)).await.as_deref(), Some(&b"0;1;2;"[..]));
        assert_eq!(poll_fn(|cx| rx.poll_read(cx)).await, None);
    }

    #[tokio::test]
    async fn a_full_pipe_waits_for_the_reader() {
        let (tx, mut rx) = pipe(2);
        let writer = tokio::spawn(async move {
            for i in 0..5u8 {
                tx.send_with(|buf| buf.extend_from_slice(&[i])).await.expect("reader alive");
            }
        });
        let mut all = Vec::new();
        while let Some(chunk) = poll_fn(|cx| rx.poll_read(cx)).await {
            assert!(chunk.len() <= 2, "at most `limit` frames wait");
            all.extend_from_slice(&chunk);
        }
        writer.await.expect("writer finished");
        assert_eq!(all, vec![0, 1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn writers_learn_that_the_reader_left() {
        let (tx, rx) = pipe(1);
        tx.send_with(|buf| buf.extend_from_slice(b"a")).await.expect("reader alive");
        let waiting = tx.clone();
        let blocked = tokio::spawn(async move { waiting.send_with(|buf| buf.extend_from_slice(b"b")).await });
        let watcher = tx.clone();
        let closed = tokio::spawn(async move { watcher.closed().await });
        tokio::task::yield_now().await;
        drop(rx);
        assert!(blocked.await.expect("joined").is_err());
        closed.await.expect("closed completes");
        assert!(tx.is_closed());
    }
}
