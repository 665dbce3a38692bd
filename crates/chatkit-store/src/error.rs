//! Why opening a store failed.

/// Why a store could not be opened.
///
/// ```
/// use chatkit_store::{OpenError, StoreUrl};
/// let err = "mysql://db".parse::<StoreUrl>().unwrap_err();
/// assert!(matches!(err, OpenError::InvalidUrl { .. }));
/// assert!(err.to_string().contains("sqlite:PATH"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The store URL is not one this crate understands.
    #[error("invalid store `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given (passwords removed).
        url: String,
        /// What is wrong, and what would be accepted.
        reason: String,
    },
    /// The database could not be opened or reached.
    #[error("cannot open {target}")]
    Connect {
        /// The database (file path or URL without password).
        target: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// A connection of the SQLite store could not be opened or set up.
    #[cfg(feature = "sqlite")]
    #[error("cannot open {target}")]
    Sqlite {
        /// The database file.
        target: String,
        /// SQLite's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The schema could not be brought up to date.
    #[error("cannot migrate the schema of {target}")]
    Migrate {
        /// The database (file path or URL without password).
        target: String,
        /// The migrator's error.
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// Creating a directory or file for the store failed.
    #[error("cannot create {path}")]
    Io {
        /// The path.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Maps a driver error of a store call.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn backend(err: sqlx::Error) -> chatkit::StoreError {
    chatkit::StoreError::backend(err)
}
