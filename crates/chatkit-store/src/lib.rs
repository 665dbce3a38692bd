//! # chatkit-store
//!
//! Stores that keep chatkit-rs threads across restarts, behind the [`chatkit::Store`]
//! contract:
//!
//! * [`SqliteStore`] (feature `sqlite`) — one embedded database file; the default of
//!   `chatkit serve`.
//! * [`PgStore`] (feature `postgres`) — PostgreSQL, for several server processes behind a
//!   load balancer.
//! * [`attachments::LocalFileAttachments`] — attachment bytes in a directory, with size and
//!   type limits and the two-phase upload of the protocol ([`attachments::router`], feature
//!   `http`, serves the upload and download URLs).
//! * [`StoreUrl`] — picks one of them (or [`chatkit::MemoryStore`]) from a string such as
//!   `sqlite:data/chatkit.db`, as command lines and config files do.
//!
//! Both stores work for any request context implementing [`chatkit::store::StoreContext`]:
//! data is partitioned by its `owner()`. They create and migrate their schema when they open
//! (versioned, forward-only migrations compiled into the binary), keep items in insertion
//! order with a position column, and store threads, items and attachments as JSON next to
//! the columns that index them. Both pass the shared contract suite
//! (`chatkit::store::testsuite`).
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use chatkit::{ChatKit, RequestContext, Store};
//! use chatkit_store::StoreUrl;
//!
//! let dir = std::env::temp_dir().join(format!("chatkit-tour-{}", std::process::id()));
//! let url: StoreUrl = format!("sqlite:{}/chatkit.db", dir.display()).parse()?;
//! let store: std::sync::Arc<dyn Store<RequestContext>> = url.open().await?;
//! // ChatKit::with_store(app, store) serves it.
//! # drop(store);
//! # std::fs::remove_dir_all(dir).unwrap();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

pub mod attachments;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod codec;
mod error;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod migrate;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
mod url;

pub use error::OpenError;
#[cfg(feature = "postgres")]
pub use postgres::PgStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;
/// The database driver, for [`SqliteStore::open_with`] and [`PgStore::connect_with`].
pub use sqlx;
pub use url::StoreUrl;
