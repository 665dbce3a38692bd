//! The upload and download routes of [`LocalFileAttachments`], for axum.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::TryStreamExt;
use serde::Deserialize;

use super::{LocalFileAttachments, TransferError};

/// Routes for the URLs [`LocalFileAttachments`] hands out; mount them at its `base_url`.
///
/// * `PUT /{id}?upload=KEY` — the raw bytes;
/// * `POST /{id}?upload=KEY` — a `multipart/form-data` body whose field `file` holds them;
/// * `GET /{id}?key=KEY` — the stored bytes (images inline, everything else as a download).
///
/// Refusals are JSON `{"error": {"code", "message"}}` with status 400, 404, 409, 413 or 415.
///
/// ```
/// use chatkit_store::attachments::{LocalFileAttachments, router};
/// let files = LocalFileAttachments::new("data/attachments", "http://127.0.0.1:8000/attachments");
/// let app: axum::Router = axum::Router::new().nest("/attachments", router(files));
/// ```
pub fn router(files: LocalFileAttachments) -> Router {
    Router::new()
        .route("/{id}", get(download).put(upload_raw).post(upload_multipart))
        // The size limit of each attachment applies while the body streams in.
        .layer(DefaultBodyLimit::disable())
        .with_state(Arc::new(files))
}

#[derive(Deserialize)]
struct UploadKey {
    upload: String,
}

#[derive(Deserialize)]
struct ReadKey {
    key: String,
}

async fn upload_raw(
    State(files): State<Arc<LocalFileAttachments>>,
    Path(id): Path<String>,
    key: Result<Query<UploadKey>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Ok(Query(UploadKey { upload })) = key else { return refuse(TransferError::NotFound) };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let stream = body.into_data_stream();
    respond(files.receive(&id, &upload, content_type, stream).await)
}

async fn upload_multipart(
    State(files): State<Arc<LocalFileAttachments>>,
    Path(id): Path<String>,
    key: Result<Query<UploadKey>, QueryRejection>,
    request: Request,
) -> Response {
    let Ok(Query(UploadKey { upload })) = key else { return refuse(TransferError::NotFound) };
    let mut form = match Multipart::from_request(request, &()).await {
        Ok(form) => form,
        Err(rejection) => return refuse(TransferError::BadRequest(rejection.body_text())),
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return refuse(TransferError::BadRequest("the form has no field `file`".into())),
            Err(err) => return refuse(TransferError::BadRequest(err.body_text())),
        };
        if field.name() != Some("file") {
            continue;
        }
        let content_type = field.content_type().map(str::to_owned);
        let stream = field.map_err(|err| std::io::Error::other(err.body_text()));
        return respond(files.receive(&id, &upload, content_type.as_deref(), stream).await);
    }
}

async fn download(
    State(files): State<Arc<LocalFileAttachments>>,
    Path(id): Path<String>,
    key: Result<Query<ReadKey>, QueryRejection>,
) -> Response {
    let Ok(Query(ReadKey { key })) = key else { return refuse(TransferError::NotFound) };
    let stored = match files.open(&id, &key).await {
        Ok(stored) => stored,
        Err(err) => return refuse(err),
    };
    let mime = super::essence(&stored.mime_type);
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(stored.file)).into_response();
    let headers = response.headers_mut();
    let content_type = HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(stored.size));
    // Never let a browser run an upload as a page of this site.
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    let disposition = if mime.starts_with("image/") { "inline" } else { "attachment" };
    let disposition = format!("{disposition}; filename*=UTF-8''{}", percent_encode(&stored.name));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn respond(result: Result<u64, TransferError>) -> Response {
    match result {
        Ok(size) => json(StatusCode::OK, &serde_json::json!({"size": size})),
        Err(err) => refuse(err),
    }
}

fn refuse(err: TransferError) -> Response {
    let (status, code) = match &err {
        TransferError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        TransferError::AlreadyUploaded => (StatusCode::CONFLICT, "already_uploaded"),
        TransferError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        TransferError::WrongType { .. } => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "wrong_type"),
        TransferError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
        TransferError::Io(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    };
    if status.is_server_error() {
        tracing::error!(error = ?err, "attachment transfer failed");
    }
    let body = serde_json::json!({"error": {"code": code, "message": err.to_string()}});
    json(status, &body)
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Percent-encodes a file name for `filename*=UTF-8''…` (RFC 5987).
fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_percent_encoded() {
        assert_eq!(super::percent_encode("a b/ü.png"), "a%20b%2F%C3%BC.png");
    }
}
