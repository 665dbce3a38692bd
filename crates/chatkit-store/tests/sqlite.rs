//! `SqliteStore` against the store contract, plus what only a file can show.

#![allow(clippy::unwrap_used)]
#![cfg(feature = "sqlite")]

use chatkit::store::testsuite;
use chatkit::{Order, RequestContext, Store, ThreadMetadata};
use chatkit_store::{SqliteStore, StoreUrl};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_meets_the_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("chatkit.db")).await.unwrap();
    testsuite::run(&store).await;
    store.close().await;
}

#[tokio::test]
async fn data_survives_reopening_and_migrations_run_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/chatkit.db");
    let ctx = RequestContext::new("alice");
    let thread = ThreadMetadata::new("thr_keep");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        store.save_thread(&thread, &ctx).await.unwrap();
        store.close().await;
    }
    let store: std::sync::Arc<dyn Store<RequestContext>> =
        format!("sqlite:{}", path.display()).parse::<StoreUrl>().unwrap().open().await.unwrap();
    assert_eq!(store.load_thread(&thread.id, &ctx).await.unwrap(), thread);
    let page = store.load_threads(None, 10, Order::Asc, &ctx).await.unwrap();
    assert_eq!(page.data.len(), 1);
}

#[tokio::test]
async fn the_database_is_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chatkit.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store.save_thread(&ThreadMetadata::new("thr_1"), &"a".to_string()).await.unwrap();
    assert!(dir.path().join("chatkit.db-wal").exists(), "a write-ahead log next to the database");
    store.close().await;
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chatkit.db");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let err = SqliteStore::open(&path).await.unwrap_err();
    assert!(err.to_string().contains("chatkit.db"), "{err}");
}
