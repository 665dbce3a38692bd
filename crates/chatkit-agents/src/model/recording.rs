//! A model wrapper that keeps the requests it was asked, for tests.

use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;

use super::{Model, ModelError, ModelRequest, ModelStream};

/// Another [`Model`] that records every request it receives before answering it.
///
/// Tests use it to check what an agent sent the model: the instructions, the conversation the
/// items were converted to, the tools offered. Clones share one record, so keep a clone while
/// the server owns the other.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use chatkit_agents::convert::user_text;
/// use chatkit_agents::model::{Model, ModelRequest, Recording, ScriptedModel};
/// let model = Recording::new(ScriptedModel::new());
/// let served = model.clone(); // e.g. `Arc::new(served)` goes into the app
/// served.stream(ModelRequest::new("Be brief.", vec![user_text("hello")])).await.unwrap();
/// assert_eq!(model.requests().len(), 1);
/// assert_eq!(model.last().unwrap().last_user_text().as_deref(), Some("hello"));
/// # });
/// ```
#[derive(Debug)]
pub struct Recording<M> {
    inner: Arc<M>,
    requests: Arc<Mutex<Vec<ModelRequest>>>,
}

impl<M> Clone for Recording<M> {
    fn clone(&self) -> Self {
        Self { inner: Arc::clone(&self.inner), requests: Arc::clone(&self.requests) }
    }
}

impl<M: Model> Recording<M> {
    /// Records the requests `inner` answers.
    pub fn new(inner: M) -> Self {
        Self { inner: Arc::new(inner), requests: Arc::default() }
    }
}

impl<M> Recording<M> {
    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<ModelRequest> {
        self.record().clone()
    }

    /// The last request received, if any.
    pub fn last(&self) -> Option<ModelRequest> {
        self.record().last().cloned()
    }

    fn record(&self) -> MutexGuard<'_, Vec<ModelRequest>> {
        // A panic while holding the lock leaves a list that is still whole: keep using it.
        self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl<M: Model> Model for Recording<M> {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ModelError> {
        self.record().push(request.clone());
        self.inner.stream(request).await
    }
}
