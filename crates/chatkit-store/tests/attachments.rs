//! `LocalFileAttachments`: limits, the two-phase upload over HTTP, cleanup.

#![allow(clippy::unwrap_used)]
#![cfg(feature = "http")]

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chatkit::store::AttachmentStore;
use chatkit::{
    Attachment, AttachmentCreateParams, ChatKit, ChatKitServer, HandlerResult, MemoryStore, Processed, RequestContext,
    StoreError, Turn, UploadMethod, UserMessageItem,
};
use chatkit_store::attachments::{LocalFileAttachments, TransferError, router};
use serde_json::{Value, json};
use tower::ServiceExt;

const BASE: &str = "http://127.0.0.1:9/attachments";

fn files(dir: &std::path::Path) -> LocalFileAttachments {
    LocalFileAttachments::new(dir, BASE).max_size(1000).allowed_types(["image/*", "text/plain"])
}

fn params(name: &str, size: u64, mime: &str) -> AttachmentCreateParams {
    AttachmentCreateParams { name: name.into(), size, mime_type: mime.into() }
}

async fn create(files: &LocalFileAttachments, p: AttachmentCreateParams, user: &str) -> Attachment {
    AttachmentStore::<String>::create_attachment(files, &p, &user.to_owned()).await.unwrap()
}

/// The path and query of a URL handed out under BASE.
fn route(url: &str) -> String {
    url.strip_prefix(BASE).expect("URLs start with the base URL").to_owned()
}

async fn call(app: &axum::Router, method: Method, uri: &str, content_type: Option<&str>, body: Vec<u8>) -> (StatusCode, Value, Vec<u8>, axum::http::HeaderMap) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    let response = app.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, json, bytes, headers)
}

fn multipart(field: &str, content_type: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XyZzY0123";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"f\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn create_checks_type_and_size() {
    let dir = tempfile::tempdir().unwrap();
    let files = files(dir.path());
    let ctx = "alice".to_owned();
    let err = files.create_attachment(&params("a.html", 10, "text/html"), &ctx).await.unwrap_err();
    assert!(matches!(&err, StoreError::Rejected(m) if m.contains("text/html")), "{err:?}");
    let err = files.create_attachment(&params("big.png", 1001, "image/png"), &ctx).await.unwrap_err();
    assert!(matches!(&err, StoreError::Rejected(m) if m.contains("1000")), "{err:?}");

    let image = create(&files, params("cat.png", 1000, "image/png"), "alice").await;
    let Attachment::Image(image) = image else { panic!("image/* makes an image attachment") };
    let upload = image.base.upload_descriptor.unwrap();
    assert_eq!(upload.method, UploadMethod::Post);
    assert!(upload.url.starts_with(&format!("{BASE}/{}?upload=", image.base.id)), "{}", upload.url);
    assert!(image.preview_url.starts_with(&format!("{BASE}/{}?key=", image.base.id)));
    let text = create(&files, params("a.txt", 3, "text/plain; charset=utf-8"), "alice").await;
    assert!(matches!(text, Attachment::File(_)));
}

#[tokio::test]
async fn put_then_get_round_trips_the_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let files = files(dir.path()).upload_method(UploadMethod::Put);
    let app = router(files.clone());
    let Attachment::Image(image) = create(&files, params("ü cat.png", 5, "image/png"), "alice").await else { panic!() };
    let upload = route(&image.base.upload_descriptor.as_ref().unwrap().url);
    let preview = route(&image.preview_url);

    let (status, body, ..) = call(&app, Method::GET, &preview, None, vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing to read before the upload: {body}");
    let (status, body, ..) = call(&app, Method::PUT, &upload, Some("image/png"), b"\x89PNG\x00".to_vec()).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"size": 5})));
    let (status, _, bytes, headers) = call(&app, Method::GET, &preview, None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, b"\x89PNG\x00");
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-disposition"], "inline; filename*=UTF-8''%C3%BC%20cat.png");

    let (status, body, ..) = call(&app, Method::PUT, &upload, Some("image/png"), b"again".to_vec()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let wrong_key = preview.replace("key=", "key=0");
    let (status, body, ..) = call(&app, Method::GET, &wrong_key, None, vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, ..) = call(&app, Method::GET, &format!("/{}", image.base.id), None, vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no key, no bytes");
    let (status, ..) = call(&app, Method::GET, "/..%2F..%2Fetc%2Fpasswd?key=x", None, vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn multipart_post_stores_the_file_field() {
    let dir = tempfile::tempdir().unwrap();
    let files = files(dir.path());
    let app = router(files.clone());
    let Attachment::File(file) = create(&files, params("notes.txt", 11, "text/plain"), "alice").await else { panic!() };
    let upload = route(&file.upload_descriptor.as_ref().unwrap().url);

    let (ct, body) = multipart("other", "text/plain", b"hello world");
    let (status, body, ..) = call(&app, Method::POST, &upload, Some(&ct), body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a form without `file`: {body}");
    let (status, body, ..) = call(&app, Method::POST, &upload, Some("text/plain"), b"x".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not a form: {body}");

    let (ct, body) = multipart("file", "text/plain", b"hello world");
    let (status, body, ..) = call(&app, Method::POST, &upload, Some(&ct), body).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"size": 11})));
    assert_eq!(std::fs::read(dir.path().join(file.id.as_str())).unwrap(), b"hello world");
}

#[tokio::test]
async fn uploads_over_the_limit_or_of_another_type_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let files = files(dir.path());
    let app = router(files.clone());
    let Attachment::File(file) = create(&files, params("a.txt", 4, "text/plain"), "alice").await else { panic!() };
    let upload = route(&file.upload_descriptor.as_ref().unwrap().url);
    let before = leftovers(dir.path());

    let (status, body, ..) = call(&app, Method::PUT, &upload, Some("text/plain"), b"12345".to_vec()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "more than announced: {body}");
    let (status, body, ..) = call(&app, Method::PUT, &upload, Some("image/png"), b"1234".to_vec()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("text/plain"));
    let (ct, form) = multipart("file", "image/png", b"1234");
    let (status, ..) = call(&app, Method::POST, &upload, Some(&ct), form).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let bad_key = upload.replace("upload=", "upload=f");
    let (status, ..) = call(&app, Method::PUT, &bad_key, Some("text/plain"), b"1234".to_vec()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(leftovers(dir.path()), before, "refused uploads leave no files");

    // Without a content type the announced one is assumed.
    let (status, ..) = call(&app, Method::PUT, &upload, None, b"1234".to_vec()).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn delete_removes_the_files_of_the_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let files = files(dir.path());
    let Attachment::File(file) = create(&files, params("a.txt", 4, "text/plain"), "alice").await else { panic!() };
    let key = file.upload_descriptor.as_ref().unwrap().url.split("upload=").nth(1).unwrap().to_owned();
    files.receive(&file.id, &key, None, futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"data"))])).await.unwrap();
    assert_eq!(leftovers(dir.path()).len(), 2);

    let err = AttachmentStore::<String>::delete_attachment(&files, &file.id, &"bob".to_owned()).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(leftovers(dir.path()).len(), 2, "bob deletes nothing");
    AttachmentStore::<String>::delete_attachment(&files, &file.id, &"alice".to_owned()).await.unwrap();
    assert!(leftovers(dir.path()).is_empty());
    AttachmentStore::<String>::delete_attachment(&files, &file.id, &"alice".to_owned()).await.unwrap();
    assert!(matches!(files.open(&file.id, "x").await, Err(TransferError::NotFound)));
}

#[tokio::test]
async fn stale_uploads_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    let files = files(dir.path());
    let pending = create(&files, params("a.txt", 4, "text/plain"), "alice").await;
    let done = create(&files, params("b.txt", 4, "text/plain"), "alice").await;
    let key = done.base().upload_descriptor.as_ref().unwrap().url.split("upload=").nth(1).unwrap().to_owned();
    files.receive(done.id(), &key, None, futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"data"))])).await.unwrap();
    std::fs::write(dir.path().join(format!("{}.part-1", pending.id())), b"half").unwrap();
    assert_eq!(files.remove_stale(Duration::from_secs(3600)).await.unwrap(), 0, "young uploads stay");
    assert_eq!(files.remove_stale(Duration::ZERO).await.unwrap(), 1);
    assert_eq!(leftovers(dir.path()), vec![done.id().to_string(), format!("{}.json", done.id())]);
}

struct Quiet;

impl ChatKitServer for Quiet {
    type Context = RequestContext;
    async fn respond(&self, _turn: &mut Turn<RequestContext>, _input: Option<UserMessageItem>) -> HandlerResult {
        Ok(())
    }
}

async fn process(chatkit: &ChatKit<Quiet>, body: Value, user: &str) -> Value {
    match chatkit.process(body.to_string().as_bytes(), RequestContext::new(user)).await.unwrap() {
        Processed::Json(json) => serde_json::from_slice(&json).unwrap(),
        Processed::Stream(_) => panic!("attachment requests answer JSON"),
    }
}

#[tokio::test]
async fn the_two_phase_flow_through_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let files = files(dir.path());
    let app = router(files.clone());
    let chatkit = ChatKit::new(Quiet, MemoryStore::new()).attachment_store(files);

    let created = process(&chatkit, json!({"type": "attachments.create", "params": {"name": "cat.png", "size": 3, "mime_type": "image/png"}}), "alice").await;
    assert_eq!(created["type"], "image");
    let id = created["id"].as_str().unwrap().to_owned();
    let upload = route(created["upload_descriptor"]["url"].as_str().unwrap());
    let (ct, form) = multipart("file", "image/png", b"abc");
    let (status, ..) = call(&app, Method::POST, &upload, Some(&ct), form).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, bytes, _) = call(&app, Method::GET, &route(created["preview_url"].as_str().unwrap()), None, vec![]).await;
    assert_eq!((status, bytes), (StatusCode::OK, b"abc".to_vec()));

    let refused = chatkit
        .process(json!({"type": "attachments.delete", "params": {"attachment_id": id}}).to_string().as_bytes(), RequestContext::new("bob"))
        .await;
    assert!(refused.is_err(), "bob cannot delete alice's attachment");
    assert!(dir.path().join(&id).exists());
    let deleted = process(&chatkit, json!({"type": "attachments.delete", "params": {"attachment_id": id}}), "alice").await;
    assert_eq!(deleted, json!({}));
    assert!(leftovers(dir.path()).is_empty(), "delete removes the bytes and their record");
}
