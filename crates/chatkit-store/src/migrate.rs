//! Schema migrations, compiled into the binary.
//!
//! Migrations are numbered SQL files under `migrations/<backend>/`, applied in order when a
//! store opens and recorded in `_chatkit_migrations` (a table of our own, so an app that runs
//! its own sqlx migrations on the same database is not disturbed). They only go forward: a
//! released file never changes (its checksum is verified), a schema change is a new file.

use std::borrow::Cow;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

/// The table that records applied migrations.
const TABLE: &str = "_chatkit_migrations";

/// One embedded migration: version, description, SQL.
pub(crate) type Embedded = (i64, &'static str, &'static str);

#[cfg(feature = "sqlite")]
pub(crate) const SQLITE: &[Embedded] = &[
    (1, "initial schema", include_str!("../migrations/sqlite/0001_initial_schema.sql")),
    (2, "covering thread list index", include_str!("../migrations/sqlite/0002_covering_thread_list_index.sql")),
];

#[cfg(feature = "postgres")]
pub(crate) const POSTGRES: &[Embedded] =
    &[(1, "initial schema", include_str!("../migrations/postgres/0001_initial_schema.sql"))];

/// A migrator over embedded migrations.
pub(crate) fn migrator(migrations: &'static [Embedded]) -> Migrator {
    let migrations = migrations
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(version, Cow::Borrowed(description), MigrationType::Simple, sql.into_sql_str(), false)
        })
        .collect();
    let mut migrator = Migrator::with_migrations(migrations);
    migrator.dangerous_set_table_name(TABLE);
    migrator
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Every file of `migrations/<dir>` is embedded, under the version its name starts with.
    fn check(dir: &str, embedded: &[Embedded]) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
        let mut files: Vec<(i64, String)> = std::fs::read_dir(&dir)
            .expect("the migrations folder exists")
            .map(|entry| {
                let path = entry.expect("readable folder").path();
                let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 file name").to_owned();
                let version = name.split('_').next().and_then(|v| v.parse().ok()).expect("file names start with a version");
                (version, std::fs::read_to_string(&path).expect("readable migration"))
            })
            .collect();
        files.sort();
        let embedded: Vec<(i64, String)> = embedded.iter().map(|&(v, _, sql)| (v, sql.to_owned())).collect();
        assert_eq!(files, embedded, "migrations/{} and the embedded list differ", dir.display());
        let versions: Vec<i64> = files.iter().map(|f| f.0).collect();
        assert_eq!(versions, (1..=files.len() as i64).collect::<Vec<_>>(), "versions are 1, 2, 3, …");
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn every_sqlite_migration_is_embedded() {
        check("sqlite", SQLITE);
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn every_postgres_migration_is_embedded() {
        check("postgres", POSTGRES);
    }
}
