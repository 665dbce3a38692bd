//! The store benchmark: fills one thread with `--items` assistant messages from `--writers`
//! concurrent writers (throughput of `add_thread_item`), then times `items.list` pages of 20
//! (`load_thread_items`): the newest page, and pages after a random cursor.
//!
//! `storebench --store memory|sqlite:PATH|postgres://URL [--items 100000] [--writers 32]
//!  [--queries 2000]`. A PostgreSQL run works in a schema of its own, dropped at the end.
//! Prints one line of `key=value`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use chatkit::{AssistantMessageItem, Order, OutputText, RequestContext, Store, ThreadItem, ThreadMetadata};
use chatkit_bench::{Flags, Latency};
use chatkit_store::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use chatkit_store::sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use chatkit_store::{PgStore, StoreUrl};

const TEXT: &str = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty";

#[tokio::main]
async fn main() -> Result<()> {
    let flags = Flags::from_env(1);
    let url = flags.required("store")?.to_owned();
    let items: usize = flags.get("items", 100_000)?;
    let writers: usize = flags.get("writers", 32)?;
    let queries: usize = flags.get("queries", 2000)?;
    if url.starts_with("postgres") {
        let options: PgConnectOptions = url.parse().context("a PostgreSQL URL")?;
        let schema = format!("chatkit_bench_{}_{}", std::process::id(), Instant::now().elapsed().as_nanos());
        let mut admin = PgConnection::connect_with(&options).await.with_context(|| format!("PostgreSQL at {url}"))?;
        admin.execute(AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).await?;
        let store = PgStore::connect_with(
            options.clone().options([("search_path", schema.as_str())]),
            PgPoolOptions::new().max_connections(writers.max(1) as u32),
        )
        .await?;
        let outcome = run(Arc::new(store.clone()), items, writers, queries).await;
        store.close().await;
        admin.execute(AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE"))).await?;
        admin.close().await.ok();
        println!("{}", outcome?);
    } else {
        let parsed: StoreUrl = url.parse()?;
        let store: Arc<dyn Store<RequestContext>> = parsed.open().await?;
        println!("{}", run(store, items, writers, queries).await?);
    }
    Ok(())
}

async fn run(store: Arc<dyn Store<RequestContext>>, items: usize, writers: usize, queries: usize) -> Result<String> {
    let ctx = RequestContext::new("bench");
    let thread = ThreadMetadata::new(store.generate_thread_id(&ctx));
    store.save_thread(&thread, &ctx).await?;
    let thread = Arc::new(thread);

    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers.max(1))
        .map(|_| {
            let (store, thread, next, ctx) = (store.clone(), thread.clone(), next.clone(), ctx.clone());
            tokio::spawn(async move {
                let mut ids = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= items {
                        break;
                    }
                    // Sequential ids: 8 random hex digits would collide at this size.
                    let id = chatkit::ItemId::new(format!("msg_{n:08}"));
                    let item = AssistantMessageItem::new(id.clone(), thread.id.clone(), vec![OutputText::new(TEXT)]);
                    store.add_thread_item(&thread.id, &ThreadItem::AssistantMessage(item), &ctx).await?;
                    ids.push(id);
                }
                anyhow::Ok(ids)
            })
        })
        .collect();
    let mut ids = Vec::with_capacity(items);
    for task in tasks {
        ids.extend(task.await??);
    }
    let write_seconds = start.elapsed().as_secs_f64();

    let mut head = Vec::with_capacity(queries);
    let mut cursor = Vec::with_capacity(queries);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..queries {
        let t = Instant::now();
        let page = store.load_thread_items(&thread.id, None, 20, Order::Desc, &ctx).await?;
        head.push(t.elapsed().as_secs_f64() * 1e6);
        anyhow::ensure!(page.data.len() == 20.min(items), "short page");
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let after = ids[(seed >> 33) as usize % ids.len()].to_string();
        let t = Instant::now();
        store.load_thread_items(&thread.id, Some(&after), 20, Order::Desc, &ctx).await?;
        cursor.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let head = Latency::from_samples(&mut head);
    let cursor = Latency::from_samples(&mut cursor);
    Ok(format!(
        "items={items} writers={writers} write_seconds={write_seconds:.2} writes_per_second={:.0} head_p50_us={:.0} head_p99_us={:.0} cursor_p50_us={:.0} cursor_p99_us={:.0}",
        items as f64 / write_seconds,
        head.p50,
        head.p99,
        cursor.p50,
        cursor.p99,
    ))
}
