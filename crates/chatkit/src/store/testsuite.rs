//! The contract every [`Store`] implementation must meet.
//!
//! ```ignore
//! #[tokio::test]
//! async fn sqlite_meets_the_contract() {
//!     chatkit::store::testsuite::run(&SqliteStore::memory().await.unwrap()).await;
//! }
//! ```
//!
//! Each run uses fresh owners, so it can run repeatedly against one database.

#![allow(clippy::unwrap_used, missing_docs)]

use futures_util::future::join_all;
use serde_json::json;

use super::Store;
use crate::{
    AssistantMessageItem, Attachment, AttachmentBase, AttachmentId, ClientToolCallItem, HiddenContextItem,
    IdKind, ImageAttachment, InferenceOptions, ItemId, Order, OutputText, RequestContext, ThreadId, ThreadItem,
    ThreadMetadata, ThreadStatus, Timestamp, ToolCallStatus, UserContent, UserMessageItem, WidgetItem, WidgetRoot,
};

type Ctx = RequestContext;

/// Runs every check against `store`, panicking with the name of the first that fails.
pub async fn run<S: Store<Ctx> + ?Sized>(store: &S) {
    threads_round_trip(store).await;
    save_thread_overwrites(store).await;
    threads_paginate(store).await;
    items_round_trip(store).await;
    items_paginate(store).await;
    save_item_replaces_in_place(store).await;
    add_existing_id_replaces(store).await;
    thread_with_item(store).await;
    deletes(store).await;
    attachments_round_trip(store).await;
    owners_are_isolated(store).await;
    concurrent_writers(store).await;
    large_and_unicode_items(store).await;
    generated_ids(store).await;
    items_walk_at_scale(store).await;
    threads_walk_at_scale(store).await;
}

fn fresh_ctx(name: &str) -> Ctx {
    RequestContext::new(format!("{name}-{}", IdKind::Thread.generate()))
}

fn thread(id: &str) -> ThreadMetadata {
    ThreadMetadata::new(format!("{id}_{}", IdKind::Thread.generate()))
}

fn message(thread: &ThreadMetadata, id: &str, text: &str) -> ThreadItem {
    ThreadItem::AssistantMessage(AssistantMessageItem::new(id, thread.id.clone(), vec![OutputText::new(text)]))
}

fn ids<T>(page: &crate::Page<T>, id: impl Fn(&T) -> String) -> Vec<String> {
    page.data.iter().map(id).collect()
}

async fn new_thread<S: Store<Ctx> + ?Sized>(store: &S, ctx: &Ctx) -> ThreadMetadata {
    let t = thread("thr");
    store.save_thread(&t, ctx).await.unwrap();
    t
}

async fn threads_round_trip<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("round-trip");
    let mut t = thread("thr");
    t.title = Some("Trip to Zürich 🚆".into());
    t.status = ThreadStatus::locked("archived");
    t.allowed_image_domains = Some(vec!["cdn.example.com".into()]);
    t.metadata.insert("pet_name".into(), json!({"name": "Mochi", "n": [1, null, 2.5]}));
    store.save_thread(&t, &ctx).await.unwrap();
    assert_eq!(store.load_thread(&t.id, &ctx).await.unwrap(), t, "threads_round_trip: title, status, metadata");

    let plain = thread("thr");
    store.save_thread(&plain, &ctx).await.unwrap();
    let loaded = store.load_thread(&plain.id, &ctx).await.unwrap();
    assert_eq!(loaded.title, None, "threads_round_trip: a thread without title keeps None");
    assert_eq!(loaded, plain);

    let missing = store.load_thread(&ThreadId::new("thr_missing"), &ctx).await.unwrap_err();
    assert!(missing.is_not_found(), "threads_round_trip: unknown thread is NotFound, got {missing:?}");
}

async fn save_thread_overwrites<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("overwrite");
    let mut t = new_thread(store, &ctx).await;
    let item = message(&t, "msg_keep", "kept");
    store.add_thread_item(&t.id, &item, &ctx).await.unwrap();
    t.title = Some("Renamed".into());
    t.metadata.insert("k".into(), json!(1));
    store.save_thread(&t, &ctx).await.unwrap();
    assert_eq!(store.load_thread(&t.id, &ctx).await.unwrap(), t, "save_thread_overwrites");
    let page = store.load_thread_items(&t.id, None, 10, Order::Asc, &ctx).await.unwrap();
    assert_eq!(page.data, vec![item], "save_thread_overwrites: items survive a thread update");
    let page = store.load_threads(None, 10, Order::Asc, &ctx).await.unwrap();
    assert_eq!(page.data.len(), 1, "save_thread_overwrites: no duplicate thread");
}

async fn threads_paginate<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("threads-page");
    let mut all = Vec::new();
    for _ in 0..5 {
        all.push(new_thread(store, &ctx).await.id.to_string());
    }
    let id = |t: &ThreadMetadata| t.id.to_string();

    let p = store.load_threads(None, 2, Order::Asc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more, p.after.clone()), (all[..2].to_vec(), true, Some(all[1].clone())), "threads asc limit 2");
    let p = store.load_threads(p.after.as_deref(), 2, Order::Asc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more), (all[2..4].to_vec(), true), "threads asc page 2");
    let p = store.load_threads(p.after.as_deref(), 2, Order::Asc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more, p.after), (all[4..].to_vec(), false, None), "threads asc last page");

    let mut rev = all.clone();
    rev.reverse();
    let p = store.load_threads(None, 20, Order::Desc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more, p.after), (rev.clone(), false, None), "threads desc is the reverse of asc");
    let p = store.load_threads(None, 1, Order::Desc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more, p.after), (rev[..1].to_vec(), true, Some(rev[0].clone())), "threads desc limit 1");
    let p = store.load_threads(Some(&rev[0]), 3, Order::Desc, &ctx).await.unwrap();
    assert_eq!(ids(&p, id), rev[1..4].to_vec(), "threads desc after newest");
    let p = store.load_threads(Some(&all[4]), 3, Order::Asc, &ctx).await.unwrap();
    assert_eq!((p.data.len(), p.has_more, p.after), (0, false, None), "threads asc after the last id is empty");
    let p = store.load_threads(Some(&all[0]), 3, Order::Desc, &ctx).await.unwrap();
    assert_eq!((p.data.len(), p.has_more), (0, false), "threads desc after the oldest id is empty");
    let p = store.load_threads(None, 5, Order::Asc, &ctx).await.unwrap();
    assert_eq!((p.data.len(), p.has_more, p.after), (5, false, None), "threads limit == count has no more");

    let err = store.load_threads(Some("thr_unknown"), 3, Order::Asc, &ctx).await.unwrap_err();
    assert!(err.is_not_found(), "threads: unknown cursor is NotFound, got {err:?}");

    let empty = fresh_ctx("threads-none");
    let p = store.load_threads(None, 3, Order::Desc, &empty).await.unwrap();
    assert_eq!((p.data.len(), p.has_more), (0, false), "threads: a new owner has none");
}

fn every_item_type(t: &ThreadMetadata) -> Vec<ThreadItem> {
    let thread_id = t.id.to_string();
    let base = |id: &str, kind: &str| json!({"id": id, "thread_id": thread_id, "created_at": "2025-01-02T03:04:05.123456Z", "type": kind});
    let with = |mut v: serde_json::Value, extra: serde_json::Value| {
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_value::<ThreadItem>(v).unwrap()
    };
    vec![
        with(base("msg_u", "user_message"), json!({
            "content": [{"type": "input_text", "text": "hi"}, {"type": "input_tag", "id": "e1", "text": "Ada", "data": {"k": [1, null]}, "group": "People", "interactive": true}],
            "attachments": [{"type": "file", "id": "atc_1", "name": "a.txt", "mime_type": "text/plain", "thread_id": thread_id, "metadata": {"path": "/x"}}],
            "quoted_text": "quote", "inference_options": {"tool_choice": {"id": "search"}, "model": "m"}})),
        with(base("msg_a", "assistant_message"), json!({"content": [{"type": "output_text", "text": "See", "annotations": [
            {"type": "annotation", "index": 3, "source": {"type": "url", "title": "Docs", "url": "https://example.com"}},
            {"type": "annotation", "source": {"type": "entity", "id": "e", "title": "E", "icon": "profile", "interactive": true, "data": {"x": 1}}},
            {"type": "annotation", "source": {"type": "file", "title": "f.pdf", "filename": "f.pdf"}}]}]})),
        with(base("tc_1", "client_tool_call"), json!({"status": "completed", "call_id": "c1", "name": "pick", "arguments": {"a": [1, {"b": null}]}, "output": {"ok": true}})),
        with(base("msg_w", "widget"), json!({"widget": {"type": "Card", "children": [{"type": "Text", "id": "t", "value": "v", "unknownProp": {"x": 1}}, {"type": "Button", "label": "Go", "onClickAction": {"type": "go", "payload": {"n": null}, "handler": "server", "loadingBehavior": "auto", "streaming": true}}]}, "copy_text": "copy"})),
        with(base("msg_g", "generated_image"), json!({"image": {"id": "img", "url": "data:image/png;base64,AAAA"}})),
        with(base("msg_g2", "generated_image"), json!({})),
        with(base("msg_s", "structured_input"), json!({"status": "answered", "inputs": [
            {"type": "multiple_choice", "id": "c", "question": "Color?", "options": [{"value": "Red"}], "multiple": false, "answer": {"values": ["Red"], "skipped": false}},
            {"type": "freeform", "id": "n", "question": "Note?", "description": "opt", "answer": {"values": [], "skipped": true}}]})),
        with(base("wf_1", "workflow"), json!({"workflow": {"type": "reasoning", "tasks": [
            {"type": "thought", "content": "c", "status_indicator": "none"},
            {"type": "web_search", "title_query": "q", "queries": ["a"], "sources": [{"type": "url", "title": "T", "url": "https://t"}], "status_indicator": "complete"},
            {"type": "file", "sources": [{"type": "file", "title": "f", "filename": "f"}], "status_indicator": "loading"},
            {"type": "image", "title": "img", "status_indicator": "none"}], "summary": {"duration": 3}, "expanded": false}})),
        with(base("tsk_1", "task"), json!({"task": {"type": "custom", "title": "Done", "icon": "check", "content": "c", "status_indicator": "complete"}})),
        with(base("msg_h", "hidden_context_item"), json!({"content": {"any": ["json", null]}})),
        with(base("shcx_1", "sdk_hidden_context"), json!({"content": "The user cancelled the stream."})),
        with(base("msg_e", "end_of_turn"), json!({})),
    ]
}

async fn items_round_trip<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("items-round-trip");
    let t = new_thread(store, &ctx).await;
    let items = every_item_type(&t);
    for item in &items {
        store.add_thread_item(&t.id, item, &ctx).await.unwrap();
    }
    for item in &items {
        let loaded = store.load_item(&t.id, item.id(), &ctx).await.unwrap();
        assert_eq!(&loaded, item, "items_round_trip: {} is stored losslessly", item.kind());
    }
    let page = store.load_thread_items(&t.id, None, 100, Order::Asc, &ctx).await.unwrap();
    assert_eq!(page.data, items, "items_round_trip: listing returns every item in insertion order");
    let err = store.load_item(&t.id, &ItemId::new("msg_missing"), &ctx).await.unwrap_err();
    assert!(err.is_not_found(), "items_round_trip: unknown item is NotFound, got {err:?}");
}

async fn items_paginate<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("items-page");
    let t = new_thread(store, &ctx).await;
    let all: Vec<String> = (0..6).map(|i| format!("msg_{i}abc")).collect();
    for id in &all {
        store.add_thread_item(&t.id, &message(&t, id, id), &ctx).await.unwrap();
    }
    let id = |i: &ThreadItem| i.id().to_string();
    let p = store.load_thread_items(&t.id, None, 2, Order::Asc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more, p.after.clone()), (all[..2].to_vec(), true, Some(all[1].clone())), "items asc limit 2");
    let p = store.load_thread_items(&t.id, Some(&all[1]), 3, Order::Asc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more), (all[2..5].to_vec(), true), "items cursor is exclusive");
    let p = store.load_thread_items(&t.id, Some(&all[1]), 4, Order::Asc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more, p.after), (all[2..].to_vec(), false, None), "items last page has no cursor");
    let p = store.load_thread_items(&t.id, None, 1, Order::Desc, &ctx).await.unwrap();
    assert_eq!((ids(&p, id), p.has_more, p.after), (vec![all[5].clone()], true, Some(all[5].clone())), "items desc limit 1");
    let p = store.load_thread_items(&t.id, Some(&all[5]), 10, Order::Desc, &ctx).await.unwrap();
    let mut rev: Vec<String> = all[..5].to_vec();
    rev.reverse();
    assert_eq!((ids(&p, id), p.has_more), (rev, false), "items desc after newest");
    let p = store.load_thread_items(&t.id, Some(&all[5]), 10, Order::Asc, &ctx).await.unwrap();
    assert_eq!((p.data.len(), p.has_more, p.after), (0, false, None), "items asc after last is empty");
    let err = store.load_thread_items(&t.id, Some("msg_unknown"), 10, Order::Asc, &ctx).await.unwrap_err();
    assert!(err.is_not_found(), "items: unknown cursor is NotFound, got {err:?}");
}

async fn save_item_replaces_in_place<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("save-item");
    let t = new_thread(store, &ctx).await;
    for id in ["msg_a1", "msg_b1", "msg_c1"] {
        store.add_thread_item(&t.id, &message(&t, id, "old"), &ctx).await.unwrap();
    }
    let updated = message(&t, "msg_b1", "new");
    store.save_item(&t.id, &updated, &ctx).await.unwrap();
    assert_eq!(store.load_item(&t.id, &"msg_b1".into(), &ctx).await.unwrap(), updated, "save_item updates content");

    // The type may change for the same id.
    let widget = ThreadItem::Widget(WidgetItem {
        id: "msg_c1".into(),
        thread_id: t.id.clone(),
        created_at: Timestamp::now(),
        widget: WidgetRoot::from_value(json!({"type": "Card", "children": []})).unwrap(),
        copy_text: None,
    });
    store.save_item(&t.id, &widget, &ctx).await.unwrap();
    let p = store.load_thread_items(&t.id, None, 10, Order::Asc, &ctx).await.unwrap();
    let kinds: Vec<(String, &str)> = p.data.iter().map(|i| (i.id().to_string(), i.kind())).collect();
    assert_eq!(
        kinds,
        vec![("msg_a1".into(), "assistant_message"), ("msg_b1".into(), "assistant_message"), ("msg_c1".into(), "widget")],
        "save_item keeps the position and may change the type"
    );

    // Saving an absent item appends it.
    store.save_item(&t.id, &message(&t, "msg_d1", "new"), &ctx).await.unwrap();
    let p = store.load_thread_items(&t.id, None, 1, Order::Desc, &ctx).await.unwrap();
    assert_eq!(p.data[0].id(), "msg_d1", "save_item appends an absent item");

    let missing = ThreadId::new("thr_missing");
    let err = store.save_item(&missing, &message(&t, "msg_x", "x"), &ctx).await.unwrap_err();
    assert!(err.is_not_found(), "save_item into an unknown thread is NotFound, got {err:?}");
    let err = store.add_thread_item(&missing, &message(&t, "msg_x", "x"), &ctx).await.unwrap_err();
    assert!(err.is_not_found(), "add_thread_item into an unknown thread is NotFound, got {err:?}");
}

async fn add_existing_id_replaces<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("add-twice");
    let t = new_thread(store, &ctx).await;
    store.add_thread_item(&t.id, &message(&t, "wf_a", "one"), &ctx).await.unwrap();
    store.add_thread_item(&t.id, &message(&t, "msg_b", "two"), &ctx).await.unwrap();
    store.add_thread_item(&t.id, &message(&t, "wf_a", "again"), &ctx).await.unwrap();
    let p = store.load_thread_items(&t.id, None, 10, Order::Asc, &ctx).await.unwrap();
    let texts: Vec<String> = p
        .data
        .iter()
        .map(|i| match i {
            ThreadItem::AssistantMessage(m) => m.text(),
            other => other.kind().to_owned(),
        })
        .collect();
    assert_eq!(texts, vec!["again", "two"], "add_thread_item with an existing id replaces it in place");
}

async fn thread_with_item<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("thread-with-item");
    let mut t = thread("thr");
    let first = message(&t, "msg_first", "one");
    store.save_thread_with_item(&t, &first, &ctx).await.unwrap();
    assert_eq!(store.load_thread(&t.id, &ctx).await.unwrap(), t, "save_thread_with_item saves a new thread");
    let p = store.load_thread_items(&t.id, None, 10, Order::Asc, &ctx).await.unwrap();
    assert_eq!(p.data, vec![first.clone()], "save_thread_with_item adds the item");
    let p = store.load_threads(None, 10, Order::Asc, &ctx).await.unwrap();
    assert_eq!(ids(&p, |t| t.id.to_string()), vec![t.id.to_string()], "save_thread_with_item lists the thread once");

    // On an existing thread: the metadata is replaced, the item appended or replaced in place.
    t.title = Some("Renamed".into());
    let second = message(&t, "msg_second", "two");
    store.save_thread_with_item(&t, &second, &ctx).await.unwrap();
    let again = message(&t, "msg_first", "one again");
    store.save_thread_with_item(&t, &again, &ctx).await.unwrap();
    assert_eq!(store.load_thread(&t.id, &ctx).await.unwrap().title.as_deref(), Some("Renamed"), "metadata replaced");
    let p = store.load_thread_items(&t.id, None, 10, Order::Asc, &ctx).await.unwrap();
    assert_eq!(p.data, vec![again, second], "save_thread_with_item appends, or replaces in place");
    let other = fresh_ctx("thread-with-item-other");
    assert!(store.load_thread(&t.id, &other).await.unwrap_err().is_not_found(), "another owner sees nothing");
}

async fn deletes<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("deletes");
    let t = new_thread(store, &ctx).await;
    let att = Attachment::File(AttachmentBase::new(IdKind::Attachment.generate(), "a.txt", "text/plain"));
    store.save_attachment(&att, &ctx).await.unwrap();
    for id in ["msg_1a", "msg_2a"] {
        store.add_thread_item(&t.id, &message(&t, id, id), &ctx).await.unwrap();
    }
    store.delete_thread_item(&t.id, &"msg_1a".into(), &ctx).await.unwrap();
    store.delete_thread_item(&t.id, &"msg_absent".into(), &ctx).await.unwrap();
    let p = store.load_thread_items(&t.id, None, 10, Order::Asc, &ctx).await.unwrap();
    assert_eq!(ids(&p, |i| i.id().to_string()), vec!["msg_2a"], "delete_thread_item removes one item");
    assert!(store.load_item(&t.id, &"msg_1a".into(), &ctx).await.unwrap_err().is_not_found());

    store.delete_thread(&t.id, &ctx).await.unwrap();
    assert!(store.load_thread(&t.id, &ctx).await.unwrap_err().is_not_found(), "deleted thread is gone");
    assert!(store.load_item(&t.id, &"msg_2a".into(), &ctx).await.unwrap_err().is_not_found(), "its items are gone");
    let p = store.load_thread_items(&t.id, None, 10, Order::Asc, &ctx).await.unwrap();
    assert!(p.data.is_empty(), "a deleted thread lists no items");
    store.delete_thread(&t.id, &ctx).await.unwrap();
    assert_eq!(store.load_attachment(att.id(), &ctx).await.unwrap(), att, "deleting a thread keeps attachments");
    store.delete_attachment(att.id(), &ctx).await.unwrap();
    assert!(store.load_attachment(att.id(), &ctx).await.unwrap_err().is_not_found(), "delete_attachment");
    store.delete_attachment(att.id(), &ctx).await.unwrap();
}

async fn attachments_round_trip<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("attachments");
    let mut file = AttachmentBase::new(IdKind::Attachment.generate(), "report.pdf", "application/pdf");
    file.metadata = Some(json!({"path": "/data/x", "n": null}).as_object().unwrap().clone());
    file.upload_descriptor = Some(crate::UploadDescriptor {
        url: "http://127.0.0.1/upload/x".into(),
        method: crate::UploadMethod::Put,
        headers: [("x-k".to_string(), "v".to_string())].into(),
    });
    let file = Attachment::File(file);
    let image = Attachment::Image(ImageAttachment {
        base: AttachmentBase::new(IdKind::Attachment.generate(), "cat.png", "image/png"),
        preview_url: "https://cdn.example.com/cat.png".into(),
    });
    for att in [&file, &image] {
        store.save_attachment(att, &ctx).await.unwrap();
        assert_eq!(&store.load_attachment(att.id(), &ctx).await.unwrap(), att, "attachments round trip with metadata");
    }
    let mut moved = file.clone();
    moved.base_mut().thread_id = Some(ThreadId::new("thr_x"));
    moved.base_mut().upload_descriptor = None;
    store.save_attachment(&moved, &ctx).await.unwrap();
    assert_eq!(store.load_attachment(file.id(), &ctx).await.unwrap(), moved, "save_attachment upserts");
    let err = store.load_attachment(&AttachmentId::new("atc_missing"), &ctx).await.unwrap_err();
    assert!(err.is_not_found());
}

async fn owners_are_isolated<S: Store<Ctx> + ?Sized>(store: &S) {
    let alice = fresh_ctx("alice");
    let bob = fresh_ctx("bob");
    let t = new_thread(store, &alice).await;
    store.add_thread_item(&t.id, &message(&t, "msg_secret", "secret"), &alice).await.unwrap();
    let att = Attachment::File(AttachmentBase::new(IdKind::Attachment.generate(), "a", "text/plain"));
    store.save_attachment(&att, &alice).await.unwrap();

    assert!(store.load_thread(&t.id, &bob).await.unwrap_err().is_not_found(), "isolation: load_thread");
    assert!(store.load_item(&t.id, &"msg_secret".into(), &bob).await.unwrap_err().is_not_found(), "isolation: load_item");
    let p = store.load_thread_items(&t.id, None, 10, Order::Asc, &bob).await.unwrap();
    assert!(p.data.is_empty(), "isolation: load_thread_items is empty for another owner");
    let p = store.load_threads(None, 10, Order::Desc, &bob).await.unwrap();
    assert!(p.data.is_empty(), "isolation: load_threads");
    assert!(store.load_attachment(att.id(), &bob).await.unwrap_err().is_not_found(), "isolation: attachments");
    assert!(store.save_item(&t.id, &message(&t, "msg_evil", "x"), &bob).await.unwrap_err().is_not_found(), "isolation: save_item");
    store.delete_thread_item(&t.id, &"msg_secret".into(), &bob).await.unwrap();
    store.delete_thread(&t.id, &bob).await.unwrap();
    store.delete_attachment(att.id(), &bob).await.unwrap();
    assert!(store.load_item(&t.id, &"msg_secret".into(), &alice).await.is_ok(), "isolation: bob's deletes touch nothing");
    assert!(store.load_thread(&t.id, &alice).await.is_ok());
    assert!(store.load_attachment(att.id(), &alice).await.is_ok());

    let tenant_a = RequestContext::new("same-user").with_tenant(format!("a-{}", IdKind::Thread.generate()));
    let tenant_b = RequestContext::new("same-user").with_tenant(format!("b-{}", IdKind::Thread.generate()));
    let t = new_thread(store, &tenant_a).await;
    assert!(store.load_thread(&t.id, &tenant_b).await.unwrap_err().is_not_found(), "isolation: tenants");
}

async fn concurrent_writers<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("concurrent");
    let t = new_thread(store, &ctx).await;
    let items: Vec<ThreadItem> = (0..32).map(|i| message(&t, &format!("msg_c{i:02}x"), "0")).collect();
    join_all(items.iter().map(|item| store.add_thread_item(&t.id, item, &ctx)))
        .await
        .into_iter()
        .for_each(|r| r.unwrap());
    let p = store.load_thread_items(&t.id, None, 100, Order::Asc, &ctx).await.unwrap();
    let mut got = ids(&p, |i| i.id().to_string());
    got.sort();
    let mut want: Vec<String> = items.iter().map(|i| i.id().to_string()).collect();
    want.sort();
    assert_eq!(got, want, "concurrent add_thread_item keeps every item once");

    let updates: Vec<ThreadItem> = items.iter().map(|i| message(&t, i.id(), "1")).collect();
    join_all(updates.iter().map(|item| store.save_item(&t.id, item, &ctx)))
        .await
        .into_iter()
        .for_each(|r| r.unwrap());
    let p = store.load_thread_items(&t.id, None, 100, Order::Asc, &ctx).await.unwrap();
    assert_eq!(p.data.len(), 32, "concurrent save_item adds nothing");
    assert!(
        p.data.iter().all(|i| matches!(i, ThreadItem::AssistantMessage(m) if m.text() == "1")),
        "concurrent save_item applies every update"
    );
}

async fn large_and_unicode_items<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("large");
    let t = new_thread(store, &ctx).await;
    let text = "ünïcødé 🦀 \u{2028} \"quotes\" \\ back\n".repeat(30_000); // ~1 MB
    let widget = ThreadItem::Widget(WidgetItem {
        id: "msg_big".into(),
        thread_id: t.id.clone(),
        created_at: Timestamp::now(),
        widget: WidgetRoot::from_value(json!({"type": "Card", "children": [{"type": "Markdown", "value": text}]})).unwrap(),
        copy_text: Some("漢字".into()),
    });
    assert!(serde_json::to_vec(&widget).unwrap().len() > 1_000_000);
    store.add_thread_item(&t.id, &widget, &ctx).await.unwrap();
    assert_eq!(store.load_item(&t.id, &"msg_big".into(), &ctx).await.unwrap(), widget, "a 1 MB widget round trips");

    let user = ThreadItem::UserMessage(UserMessageItem {
        id: "msg_ü".into(),
        thread_id: t.id.clone(),
        created_at: Timestamp::now(),
        content: vec![UserContent::text("日本語 🎌 \u{0}")],
        attachments: vec![],
        quoted_text: None,
        inference_options: InferenceOptions::default(),
    });
    store.add_thread_item(&t.id, &user, &ctx).await.unwrap();
    assert_eq!(store.load_item(&t.id, &"msg_ü".into(), &ctx).await.unwrap(), user, "unicode ids and text round trip");
    let hidden = ThreadItem::HiddenContext(HiddenContextItem {
        id: "msg_h".into(),
        thread_id: t.id.clone(),
        created_at: Timestamp::now(),
        content: json!("hidden"),
    });
    store.add_thread_item(&t.id, &hidden, &ctx).await.unwrap();
    let tool = ThreadItem::ClientToolCall(ClientToolCallItem {
        id: "tc_p".into(),
        thread_id: t.id.clone(),
        created_at: Timestamp::now(),
        status: ToolCallStatus::Pending,
        call_id: "c".into(),
        name: "n".into(),
        arguments: Default::default(),
        output: None,
    });
    store.add_thread_item(&t.id, &tool, &ctx).await.unwrap();
    assert_eq!(store.load_item(&t.id, &"tc_p".into(), &ctx).await.unwrap(), tool);
}

/// Follows `after` cursors from the first page to the last; checks every page's cursor.
async fn walk<T, F, Fut>(what: &str, limit: usize, order: Order, mut load: F, id: impl Fn(&T) -> String) -> Vec<String>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = crate::store::StoreResult<crate::Page<T>>>,
{
    let mut seen = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = load(after.clone()).await.unwrap();
        pages += 1;
        assert!(page.data.len() <= limit, "{what}: limit {limit} {order:?}: page {pages} is too long");
        seen.extend(page.data.iter().map(&id));
        if !page.has_more {
            assert_eq!(page.after, None, "{what}: limit {limit} {order:?}: the last page has no cursor");
            return seen;
        }
        assert_eq!(page.data.len(), limit, "{what}: limit {limit} {order:?}: a page before the last is full");
        assert_eq!(page.after.as_ref(), seen.last(), "{what}: limit {limit} {order:?}: the cursor is the last id");
        after = page.after;
        assert!(pages <= 10_000, "{what}: limit {limit} {order:?}: pagination does not end");
    }
}

async fn items_walk_at_scale<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("items-walk");
    let t = new_thread(store, &ctx).await;
    let mut all: Vec<String> = (0..150).map(|i| format!("msg_w{i:03}")).collect();
    for id in &all {
        store.add_thread_item(&t.id, &message(&t, id, "v1"), &ctx).await.unwrap();
    }
    // Updates keep positions; a deleted item leaves a gap that pages close over.
    store.save_item(&t.id, &message(&t, &all[10], "v2"), &ctx).await.unwrap();
    store.add_thread_item(&t.id, &message(&t, &all[30], "v2"), &ctx).await.unwrap();
    store.delete_thread_item(&t.id, &all[20].as_str().into(), &ctx).await.unwrap();
    let deleted = all.remove(20);
    store.delete_thread_item(&t.id, &all[148].as_str().into(), &ctx).await.unwrap();
    all.remove(148);
    let added = format!("msg_w{}", 150);
    store.add_thread_item(&t.id, &message(&t, &added, "v1"), &ctx).await.unwrap();
    all.push(added);
    let mut rev = all.clone();
    rev.reverse();

    for limit in [1, 7, 50, all.len() - 1, all.len(), all.len() + 1] {
        for (order, want) in [(Order::Asc, &all), (Order::Desc, &rev)] {
            let load = |after: Option<String>| {
                let (id, ctx) = (&t.id, &ctx);
                async move { store.load_thread_items(id, after.as_deref(), limit, order, ctx).await }
            };
            let got = walk("items walk", limit, order, load, |i: &ThreadItem| i.id().to_string()).await;
            assert_eq!(&got, want, "items walk: limit {limit} {order:?} lists every item once, in order");
        }
    }
    let err = store.load_thread_items(&t.id, Some(&deleted), 5, Order::Asc, &ctx).await.unwrap_err();
    assert!(err.is_not_found(), "items walk: a deleted item is no cursor, got {err:?}");
}

async fn threads_walk_at_scale<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("threads-walk");
    let mut all = Vec::new();
    for _ in 0..40 {
        all.push(new_thread(store, &ctx).await.id.to_string());
    }
    // Updating a thread keeps its position; deleting one closes the gap.
    let mut renamed = store.load_thread(&all[5].as_str().into(), &ctx).await.unwrap();
    renamed.title = Some("renamed".into());
    store.save_thread(&renamed, &ctx).await.unwrap();
    store.delete_thread(&all[12].as_str().into(), &ctx).await.unwrap();
    all.remove(12);
    let mut rev = all.clone();
    rev.reverse();
    for limit in [1, 3, 38, 39, 40] {
        for (order, want) in [(Order::Asc, &all), (Order::Desc, &rev)] {
            let load = |after: Option<String>| {
                let ctx = &ctx;
                async move { store.load_threads(after.as_deref(), limit, order, ctx).await }
            };
            let got = walk("threads walk", limit, order, load, |t: &ThreadMetadata| t.id.to_string()).await;
            assert_eq!(&got, want, "threads walk: limit {limit} {order:?} lists every thread once, in order");
        }
    }
}

async fn generated_ids<S: Store<Ctx> + ?Sized>(store: &S) {
    let ctx = fresh_ctx("ids");
    let t = thread("thr");
    assert!(store.generate_thread_id(&ctx).starts_with("thr_"));
    for (kind, prefix) in [
        (IdKind::Message, "msg_"),
        (IdKind::ToolCall, "tc_"),
        (IdKind::Task, "tsk_"),
        (IdKind::Workflow, "wf_"),
        (IdKind::SdkHiddenContext, "shcx_"),
    ] {
        assert!(store.generate_item_id(kind, &t, &ctx).starts_with(prefix), "generated ids use the prefix {prefix}");
    }
    let a = store.generate_item_id(IdKind::Message, &t, &ctx);
    let b = store.generate_item_id(IdKind::Message, &t, &ctx);
    assert_ne!(a, b, "generated ids differ");
}
