//! `PgStore` against the store contract, plus what only a shared database can show.
//!
//! Needs PostgreSQL on 127.0.0.1:5432 (database `test`, trust auth) or the server named by
//! `CHATKIT_TEST_POSTGRES`; fails when it is absent. Each test works in a schema of its own.

#![allow(clippy::unwrap_used)]
#![cfg(feature = "postgres")]

mod common;

use chatkit::store::testsuite;
use chatkit::{
    AssistantMessageItem, Order, OutputText, RequestContext, Store, StoreError, ThreadId, ThreadItem, ThreadMetadata,
};
use chatkit_store::StoreUrl;
use common::pg::Schema;
use futures_util::future::join_all;
use serde_json::json;

fn message(thread: &ThreadId, id: &str, text: &str) -> ThreadItem {
    ThreadItem::AssistantMessage(AssistantMessageItem::new(id, thread.clone(), vec![OutputText::new(text)]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_meets_the_store_contract() {
    Schema::create()
        .await
        .run(async |schema| {
            let store = schema.store(8).await;
            testsuite::run(&store).await;
            store.close().await;
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_share_threads_and_positions() {
    Schema::create()
        .await
        .run(async |schema| {
            // Two pools stand for two server processes; they migrate at the same time.
            let (a, b) = tokio::join!(schema.store(4), schema.store(4));
            let ctx = RequestContext::new("alice");
            let thread = ThreadMetadata::new("thr_shared");
            a.save_thread(&thread, &ctx).await.unwrap();
            assert_eq!(b.load_thread(&thread.id, &ctx).await.unwrap(), thread);

            let ids: Vec<String> = (0..64).map(|i| format!("msg_{i:02}")).collect();
            let writes = ids.iter().enumerate().map(|(i, id)| {
                let store = if i % 2 == 0 { &a } else { &b };
                let item = message(&thread.id, id, "v1");
                let (thread_id, ctx) = (&thread.id, &ctx);
                async move { store.add_thread_item(thread_id, &item, ctx).await }
            });
            join_all(writes).await.into_iter().for_each(|r| r.unwrap());
            // Updates from both sides keep every position.
            let before = a.load_thread_items(&thread.id, None, 100, Order::Asc, &ctx).await.unwrap();
            let updates = ids.iter().enumerate().map(|(i, id)| {
                let store = if i % 2 == 0 { &b } else { &a };
                let item = message(&thread.id, id, "v2");
                let (thread_id, ctx) = (&thread.id, &ctx);
                async move { store.save_item(thread_id, &item, ctx).await }
            });
            join_all(updates).await.into_iter().for_each(|r| r.unwrap());
            let after = b.load_thread_items(&thread.id, None, 100, Order::Asc, &ctx).await.unwrap();
            let order = |p: &chatkit::Page<ThreadItem>| p.data.iter().map(|i| i.id().to_string()).collect::<Vec<_>>();
            assert_eq!(order(&before), order(&after), "updates keep positions");
            let mut sorted = order(&after);
            sorted.sort();
            assert_eq!(sorted, ids, "every item once");
            assert!(after.data.iter().all(|i| matches!(i, ThreadItem::AssistantMessage(m) if m.text() == "v2")));
            let mut rev = order(&after);
            rev.reverse();
            let desc = a.load_thread_items(&thread.id, None, 100, Order::Desc, &ctx).await.unwrap();
            assert_eq!(order(&desc), rev, "desc is the reverse of asc");
            a.close().await;
            b.close().await;
        })
        .await;
}

#[tokio::test]
async fn jsonb_keeps_values_exact() {
    Schema::create()
        .await
        .run(async |schema| {
            let store = schema.store(2).await;
            let ctx = RequestContext::new("zoë\u{E000}");
            let mut thread = ThreadMetadata::new("thr_\u{E000}0");
            thread.title = Some("nul \u{0} mark \u{E000} both \u{E000}0 \u{0}\u{E000}".into());
            thread.metadata.insert("key \u{0}".into(), json!({"\u{E000}": ["\u{0}", 1.5, -0.25, 1e300, 12345678901234567u64]}));
            thread.metadata.insert("literal".into(), json!("\\u0000 stays text"));
            store.save_thread(&thread, &ctx).await.unwrap();
            assert_eq!(store.load_thread(&thread.id, &ctx).await.unwrap(), thread);
            let page = store.load_threads(None, 5, Order::Desc, &ctx).await.unwrap();
            assert_eq!(page.data, vec![thread.clone()]);
            store.close().await;
        })
        .await;
}

#[tokio::test]
async fn keys_with_nul_are_rejected_or_absent() {
    Schema::create()
        .await
        .run(async |schema| {
            let store = schema.store(2).await;
            let ctx = RequestContext::new("alice");
            let bad = ThreadMetadata::new("thr_\u{0}");
            let err = store.save_thread(&bad, &ctx).await.unwrap_err();
            assert!(matches!(err, StoreError::Rejected(_)), "{err:?}");
            assert!(store.load_thread(&bad.id, &ctx).await.unwrap_err().is_not_found());
            let good = ThreadMetadata::new("thr_ok");
            store.save_thread(&good, &ctx).await.unwrap();
            let err = store.load_threads(Some("thr_\u{0}"), 5, Order::Asc, &ctx).await.unwrap_err();
            assert!(err.is_not_found());
            let err = store.add_thread_item(&good.id, &message(&good.id, "msg_\u{0}", "x"), &ctx).await.unwrap_err();
            assert!(matches!(err, StoreError::Rejected(_)), "{err:?}");
            let nul_owner = RequestContext::new("al\u{0}ice");
            assert!(store.load_threads(None, 5, Order::Asc, &nul_owner).await.unwrap().data.is_empty());
            store.delete_thread(&good.id, &nul_owner).await.unwrap();
            assert!(store.load_thread(&good.id, &ctx).await.is_ok());
            store.close().await;
        })
        .await;
}

#[tokio::test]
async fn opens_from_a_url() {
    Schema::create()
        .await
        .run(async |schema| {
            let url = format!("{}?options=-c%20search_path%3D{}", common::pg::url(), schema.name);
            let store: std::sync::Arc<dyn Store<RequestContext>> =
                url.parse::<StoreUrl>().unwrap().open().await.unwrap();
            let ctx = RequestContext::new("alice");
            store.save_thread(&ThreadMetadata::new("thr_url"), &ctx).await.unwrap();
            // The tables were created in the test schema.
            let other = schema.store(1).await;
            assert!(other.load_thread(&"thr_url".into(), &ctx).await.is_ok());
            other.close().await;
        })
        .await;
}

#[tokio::test]
async fn an_unreachable_server_is_a_connect_error() {
    let options = "postgres://nobody@127.0.0.1:1/none".parse().unwrap();
    let pool = chatkit_store::sqlx::postgres::PgPoolOptions::new().acquire_timeout(std::time::Duration::from_millis(300));
    let err = chatkit_store::PgStore::connect_with(options, pool).await.unwrap_err();
    assert!(matches!(err, chatkit_store::OpenError::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains("127.0.0.1:1"), "{err}");
}
