//! A PostgreSQL schema of its own for one test run, dropped at the end.

use chatkit_store::PgStore;
use chatkit_store::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use chatkit_store::sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};

/// The server the tests use, unless `CHATKIT_TEST_POSTGRES` names another.
pub(crate) const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub(crate) fn url() -> String {
    std::env::var("CHATKIT_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_URL.to_owned())
}

/// A fresh schema `chatkit_test_<random>` in the test database.
pub(crate) struct Schema {
    pub(crate) name: String,
    options: PgConnectOptions,
}

impl Schema {
    /// Creates the schema; panics with instructions when the server is unreachable.
    pub(crate) async fn create() -> Schema {
        let url = url();
        let options: PgConnectOptions = url.parse().expect("a valid CHATKIT_TEST_POSTGRES URL");
        let mut conn = PgConnection::connect_with(&options).await.unwrap_or_else(|err| {
            panic!(
                "PostgreSQL is needed at {url} ({err}).\n\
                 Start it with `scripts/test.d/05-postgres.sh` (or `pg_ctlcluster --skip-systemctl-redirect \
                 $(ls /etc/postgresql) main start`), or set CHATKIT_TEST_POSTGRES to another server."
            )
        });
        let name = format!("chatkit_test_{}", uuid::Uuid::new_v4().simple());
        conn.execute(AssertSqlSafe(format!("CREATE SCHEMA {name}"))).await.expect("create the test schema");
        conn.close().await.ok();
        Schema { name, options }
    }

    /// Connection options whose tables live in this schema.
    pub(crate) fn options(&self) -> PgConnectOptions {
        self.options.clone().options([("search_path", self.name.as_str())])
    }

    /// A store (own pool) in this schema.
    pub(crate) async fn store(&self, connections: u32) -> PgStore {
        PgStore::connect_with(self.options(), PgPoolOptions::new().max_connections(connections))
            .await
            .expect("connect and migrate")
    }

    /// Drops the schema and everything in it.
    pub(crate) async fn drop(self) {
        let mut conn = PgConnection::connect_with(&self.options).await.expect("reconnect to drop the schema");
        conn.execute(AssertSqlSafe(format!("DROP SCHEMA {} CASCADE", self.name))).await.expect("drop the test schema");
        conn.close().await.ok();
    }

    /// Runs `test`, then drops the schema, whether the test passed or panicked.
    pub(crate) async fn run(self, test: impl AsyncFnOnce(&Schema)) {
        use futures_util::FutureExt;
        let outcome = std::panic::AssertUnwindSafe(test(&self)).catch_unwind().await;
        self.drop().await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }
}
