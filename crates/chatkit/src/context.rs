//! The ready-made request context.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::store::StoreContext;

/// A request context for apps that need no more than a user, an optional tenant and some
/// free-form data. Apps with richer needs define their own type (any `Send + Sync + Clone`
/// value) and implement [`StoreContext`] for it to use the built-in stores.
///
/// The engine hands the same value to the server's handlers and to every store call; it is
/// never wrapped or converted on the way.
///
/// ```
/// use chatkit::{RequestContext, store::StoreContext};
/// let ctx = RequestContext::new("alice");
/// assert_eq!(ctx.user_id, "alice");
/// assert_eq!(ctx.owner(), "alice");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestContext {
    /// Who is calling.
    pub user_id: String,
    /// The caller's organisation, when the app is multi-tenant.
    pub tenant: Option<String>,
    /// Anything else the app extracted from the request.
    pub metadata: Map<String, Value>,
}

impl RequestContext {
    /// A context for this user.
    pub fn new(user_id: impl Into<String>) -> Self {
        Self { user_id: user_id.into(), tenant: None, metadata: Map::new() }
    }

    /// Sets the tenant.
    #[must_use]
    pub fn with_tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }
}

impl StoreContext for RequestContext {
    fn owner(&self) -> Cow<'_, str> {
        match &self.tenant {
            Some(tenant) => Cow::Owned(format!("{tenant}/{}", self.user_id)),
            None => Cow::Borrowed(&self.user_id),
        }
    }
}
