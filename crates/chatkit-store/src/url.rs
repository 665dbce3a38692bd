//! Choosing a store with one string: `memory`, `sqlite:PATH` or `postgres://…`.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use chatkit::MemoryStore;
use chatkit::store::{Store, StoreContext};

use crate::OpenError;

/// Which store to open, as written on a command line or in a config file.
///
/// * `memory` — [`MemoryStore`], gone when the process exits;
/// * `sqlite:PATH` (or `sqlite://PATH`) — [`SqliteStore`](crate::SqliteStore) in the file
///   `PATH`, created with its directory when missing;
/// * `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?…]` (or `postgresql://`) —
///   [`PgStore`](crate::PgStore).
///
/// ```
/// use chatkit_store::StoreUrl;
/// assert_eq!("memory".parse::<StoreUrl>().unwrap(), StoreUrl::Memory);
/// assert_eq!("sqlite:data/chatkit.db".parse::<StoreUrl>().unwrap(), StoreUrl::Sqlite("data/chatkit.db".into()));
/// let pg: StoreUrl = "postgres://app:secret@db.internal/chat".parse().unwrap();
/// assert_eq!(pg.to_string(), "postgres://app:***@db.internal/chat");
/// assert!("sqlite:".parse::<StoreUrl>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreUrl {
    /// Everything in memory.
    Memory,
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

const ACCEPTED: &str = "use `memory`, `sqlite:PATH` or `postgres://USER@HOST/DATABASE`";

impl FromStr for StoreUrl {
    type Err = OpenError;

    fn from_str(url: &str) -> Result<Self, OpenError> {
        let invalid = |reason: &str| OpenError::InvalidUrl { url: redact(url), reason: reason.to_owned() };
        if url == "memory" {
            return Ok(StoreUrl::Memory);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(StoreUrl::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            return match path {
                "" => Err(invalid("the database file is missing: write `sqlite:PATH`")),
                ":memory:" => Err(invalid("for a database in memory use `memory`")),
                path if path.contains('?') => Err(invalid("sqlite:PATH takes no `?` options")),
                path => Ok(StoreUrl::Sqlite(PathBuf::from(path))),
            };
        }
        Err(invalid(ACCEPTED))
    }
}

impl fmt::Display for StoreUrl {
    /// The URL with any password replaced by `***`, fit for logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreUrl::Memory => f.write_str("memory"),
            StoreUrl::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            StoreUrl::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreUrl({self})")
    }
}

impl StoreUrl {
    /// Opens the store (connecting and migrating as needed) for any context type.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use chatkit::{RequestContext, Store};
    /// use chatkit_store::StoreUrl;
    /// let store: std::sync::Arc<dyn Store<RequestContext>> = StoreUrl::Memory.open().await.unwrap();
    /// # });
    /// ```
    pub async fn open<C: StoreContext>(&self) -> Result<Arc<dyn Store<C>>, OpenError> {
        match self {
            StoreUrl::Memory => Ok(Arc::new(MemoryStore::new())),
            #[cfg(feature = "sqlite")]
            StoreUrl::Sqlite(path) => Ok(Arc::new(crate::SqliteStore::open(path).await?)),
            #[cfg(feature = "postgres")]
            StoreUrl::Postgres(url) => Ok(Arc::new(crate::PgStore::connect(url).await?)),
            #[allow(unreachable_patterns)]
            other => Err(OpenError::InvalidUrl {
                url: other.to_string(),
                reason: "this build of chatkit-store lacks the feature for this database".into(),
            }),
        }
    }
}

/// A URL with its password (between `user:` and `@`) replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let parse = |s: &str| s.parse::<StoreUrl>();
        assert_eq!(parse("sqlite://rel/x.db").unwrap(), StoreUrl::Sqlite("rel/x.db".into()));
        assert_eq!(parse("sqlite:///abs/x.db").unwrap(), StoreUrl::Sqlite("/abs/x.db".into()));
        assert_eq!(parse("postgresql://h/db").unwrap(), StoreUrl::Postgres("postgresql://h/db".into()));
        for bad in ["", "mem", "sqlite:", "sqlite://", "sqlite::memory:", "sqlite:x.db?mode=ro", "mysql://h/db"] {
            let err = parse(bad).unwrap_err();
            assert!(matches!(err, OpenError::InvalidUrl { .. }), "{bad}: {err}");
        }
        let err = parse("redis://u:pw@h").unwrap_err().to_string();
        assert!(!err.contains("pw") && err.contains(ACCEPTED), "{err}");
    }

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact("postgres://u:p@h:5432/db?x=1"), "postgres://u:***@h:5432/db?x=1");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
        assert_eq!(redact("postgres://u:p%40x@h/db"), "postgres://u:***@h/db");
    }
}
