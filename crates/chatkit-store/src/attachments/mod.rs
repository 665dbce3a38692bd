//! Attachment bytes in a local directory, uploaded in two phases.
//!
//! `attachments.create` registers an upload and answers an upload URL; the client sends the
//! bytes there (`PUT` with the raw body, or `POST` with a multipart field `file`); images are
//! served back at their preview URL; `attachments.delete` removes the file. The HTTP side is
//! [`router`] (feature `http`); [`LocalFileAttachments::receive`] and
//! [`LocalFileAttachments::open`] do the work for any other server.
//!
//! On disk, each attachment is `<dir>/<id>` (the bytes) and `<dir>/<id>.json` (owner, name,
//! type, declared size and the two random keys of its URLs). Bytes arrive in a temporary
//! file that is renamed into place once complete, so a file is either whole or absent.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use chatkit::store::{AttachmentStore, StoreContext, StoreError, StoreResult};
use chatkit::{
    Attachment, AttachmentBase, AttachmentCreateParams, AttachmentId, ImageAttachment, UploadDescriptor, UploadMethod,
};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

#[cfg(feature = "http")]
mod http;
#[cfg(feature = "http")]
pub use http::router;

/// Default largest attachment: 20 MiB.
pub const DEFAULT_MAX_SIZE: u64 = 20 * 1024 * 1024;

/// Default accepted types: images, PDF, plain text, Markdown, CSV and JSON.
pub const DEFAULT_TYPES: &[&str] =
    &["image/*", "application/pdf", "text/plain", "text/markdown", "text/csv", "application/json"];

/// An [`AttachmentStore`] keeping files in a local directory.
///
/// `base_url` is the public URL where [`router`] is mounted; upload and preview URLs start
/// with it. Uploads larger than the size limit, or of a type outside the allowed list (exact
/// types or `type/*`), are refused when the attachment is created and again when the bytes
/// arrive. Several server processes can share the directory.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use chatkit::{AttachmentCreateParams, store::AttachmentStore};
/// use chatkit_store::attachments::LocalFileAttachments;
///
/// let dir = std::env::temp_dir().join(format!("chatkit-files-doc-{}", std::process::id()));
/// let files = LocalFileAttachments::new(&dir, "http://127.0.0.1:8000/attachments")
///     .max_size(1024 * 1024)
///     .allowed_types(["image/*", "application/pdf"]);
/// let params = AttachmentCreateParams { name: "cat.png".into(), size: 2048, mime_type: "image/png".into() };
/// let cat = files.create_attachment(&params, &"alice".to_string()).await?;
/// let upload = cat.base().upload_descriptor.as_ref().unwrap();
/// assert!(upload.url.starts_with("http://127.0.0.1:8000/attachments/atc_"));
///
/// let params = AttachmentCreateParams { name: "run.sh".into(), size: 10, mime_type: "text/x-sh".into() };
/// assert!(files.create_attachment(&params, &"alice".to_string()).await.is_err());
/// # std::fs::remove_dir_all(dir).unwrap();
/// # Ok::<(), chatkit::StoreError>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct LocalFileAttachments {
    dir: PathBuf,
    base_url: String,
    max_size: u64,
    allowed_types: Vec<String>,
    method: UploadMethod,
}

/// What is kept next to the bytes of an attachment.
#[derive(Debug, Serialize, Deserialize)]
struct Sidecar {
    owner: String,
    name: String,
    mime_type: String,
    /// The size announced by `attachments.create`; the upload may not exceed it.
    size: u64,
    /// Grants the upload.
    upload_key: String,
    /// Grants reading (the preview URL).
    read_key: String,
}

/// Why an upload or download was refused.
///
/// ```
/// use chatkit_store::attachments::TransferError;
/// let err = TransferError::TooLarge { limit: 10 };
/// assert_eq!(err.to_string(), "the upload exceeds its size limit of 10 bytes");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransferError {
    /// No such attachment, or a wrong key.
    #[error("no such attachment, or the key is wrong")]
    NotFound,
    /// The bytes were uploaded already.
    #[error("this attachment was uploaded already")]
    AlreadyUploaded,
    /// The body is larger than announced or allowed.
    #[error("the upload exceeds its size limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The content type differs from the one announced.
    #[error("the upload is `{got}`, but the attachment was created as `{expected}`")]
    WrongType {
        /// The announced type.
        expected: String,
        /// The type of the upload.
        got: String,
    },
    /// The request is malformed (e.g. a multipart body without a `file` field).
    #[error("{0}")]
    BadRequest(String),
    /// Reading the body or writing the file failed.
    #[error("storing the upload failed")]
    Io(#[source] std::io::Error),
}

/// A stored file, ready to be sent.
#[derive(Debug)]
pub struct StoredFile {
    /// The file, open for reading.
    pub file: tokio::fs::File,
    /// Its size in bytes.
    pub size: u64,
    /// The type announced at creation.
    pub mime_type: String,
    /// The original file name.
    pub name: String,
}

impl LocalFileAttachments {
    /// Files under `dir` (created when needed), served under `base_url`; default size limit
    /// and types ([`DEFAULT_MAX_SIZE`], [`DEFAULT_TYPES`]); uploads by `POST` (multipart).
    pub fn new(dir: impl Into<PathBuf>, base_url: impl Into<String>) -> Self {
        Self {
            dir: dir.into(),
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            max_size: DEFAULT_MAX_SIZE,
            allowed_types: DEFAULT_TYPES.iter().map(|t| (*t).to_owned()).collect(),
            method: UploadMethod::Post,
        }
    }

    /// Sets the largest accepted attachment, in bytes.
    #[must_use]
    pub fn max_size(mut self, bytes: u64) -> Self {
        self.max_size = bytes;
        self
    }

    /// Sets the accepted MIME types: exact (`application/pdf`) or a family (`image/*`);
    /// `*/*` accepts everything.
    #[must_use]
    pub fn allowed_types<I: IntoIterator<Item = S>, S: Into<String>>(mut self, types: I) -> Self {
        self.allowed_types = types.into_iter().map(|t| t.into().to_ascii_lowercase()).collect();
        self
    }

    /// Sets the method upload descriptors announce: `POST` (multipart, the default) or `PUT`
    /// (raw body). The routes accept both.
    #[must_use]
    pub fn upload_method(mut self, method: UploadMethod) -> Self {
        self.method = method;
        self
    }

    /// The directory holding the files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn allows(&self, mime_type: &str) -> bool {
        let mime = essence(mime_type);
        self.allowed_types.iter().any(|allowed| match allowed.strip_suffix("/*") {
            Some("*") => true,
            Some(family) => mime.split_once('/').is_some_and(|(f, sub)| f == family && !sub.is_empty()),
            None => *allowed == mime,
        })
    }

    fn sidecar_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn data_path(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    async fn sidecar(&self, id: &str) -> Result<Sidecar, TransferError> {
        if !valid_id(id) {
            return Err(TransferError::NotFound);
        }
        let text = match tokio::fs::read(self.sidecar_path(id)).await {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(TransferError::NotFound),
            Err(err) => return Err(TransferError::Io(err)),
        };
        serde_json::from_slice(&text).map_err(|err| TransferError::Io(std::io::Error::other(err)))
    }

    /// Stores the bytes of attachment `id`, if `key` is its upload key, the `content_type`
    /// (when given) matches the announced one and the size stays within the limits. Returns
    /// the number of bytes stored.
    pub async fn receive<S, E>(
        &self,
        id: &str,
        key: &str,
        content_type: Option<&str>,
        body: S,
    ) -> Result<u64, TransferError>
    where
        S: Stream<Item = Result<bytes::Bytes, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let sidecar = self.sidecar(id).await?;
        if !same_secret(&sidecar.upload_key, key) {
            return Err(TransferError::NotFound);
        }
        if let Some(got) = content_type.filter(|t| !t.trim().is_empty())
            && essence(got) != essence(&sidecar.mime_type)
        {
            return Err(TransferError::WrongType { expected: sidecar.mime_type, got: got.to_owned() });
        }
        let target = self.data_path(id);
        if tokio::fs::try_exists(&target).await.map_err(TransferError::Io)? {
            return Err(TransferError::AlreadyUploaded);
        }
        let limit = sidecar.size.min(self.max_size);
        let part = self.dir.join(format!("{id}.part-{}", uuid::Uuid::new_v4().simple()));
        let written = write_limited(&part, body, limit).await;
        let result = match written {
            Ok(size) => match tokio::fs::rename(&part, &target).await {
                Ok(()) => return Ok(size),
                Err(err) => Err(TransferError::Io(err)),
            },
            Err(err) => Err(err),
        };
        let _ = tokio::fs::remove_file(&part).await;
        result
    }

    /// Opens the uploaded bytes of attachment `id`, if `key` is its read key.
    pub async fn open(&self, id: &str, key: &str) -> Result<StoredFile, TransferError> {
        let sidecar = self.sidecar(id).await?;
        if !same_secret(&sidecar.read_key, key) {
            return Err(TransferError::NotFound);
        }
        let file = match tokio::fs::File::open(self.data_path(id)).await {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(TransferError::NotFound),
            Err(err) => return Err(TransferError::Io(err)),
        };
        let size = file.metadata().await.map_err(TransferError::Io)?.len();
        Ok(StoredFile { file, size, mime_type: sidecar.mime_type, name: sidecar.name })
    }

    /// Removes uploads never completed within `max_age`, and leftovers of interrupted
    /// transfers. Returns how many attachments were removed.
    pub async fn remove_stale(&self, max_age: Duration) -> std::io::Result<usize> {
        let mut removed = 0;
        let mut entries = match tokio::fs::read_dir(&self.dir).await {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(err) => return Err(err),
        };
        let now = SystemTime::now();
        while let Some(entry) = entries.next_entry().await? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let modified = entry.metadata().await?.modified()?;
            if now.duration_since(modified).unwrap_or_default() < max_age {
                continue;
            }
            if name.contains(".part-") {
                let _ = tokio::fs::remove_file(entry.path()).await;
            } else if let Some(id) = name.strip_suffix(".json")
                && !tokio::fs::try_exists(self.data_path(id)).await?
            {
                tokio::fs::remove_file(entry.path()).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// A client's value for an error message: at most 64 characters.
fn clip(text: &str) -> String {
    match text.char_indices().nth(64) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

#[async_trait]
impl<C: StoreContext> AttachmentStore<C> for LocalFileAttachments {
    async fn create_attachment(&self, params: &AttachmentCreateParams, ctx: &C) -> StoreResult<Attachment> {
        if !self.allows(&params.mime_type) {
            return Err(StoreError::Rejected(format!(
                "attachments of type `{}` are not accepted (accepted: {})",
                clip(&params.mime_type),
                self.allowed_types.join(", ")
            )));
        }
        if params.size > self.max_size {
            return Err(StoreError::Rejected(format!(
                "`{}` has {} bytes; attachments may have at most {} bytes",
                clip(&params.name),
                params.size,
                self.max_size
            )));
        }
        tokio::fs::create_dir_all(&self.dir).await.map_err(StoreError::backend)?;
        let sidecar = Sidecar {
            owner: ctx.owner().into_owned(),
            name: params.name.clone(),
            mime_type: params.mime_type.clone(),
            size: params.size,
            upload_key: secret(),
            read_key: secret(),
        };
        let json = serde_json::to_vec(&sidecar).map_err(StoreError::backend)?;
        // Generated ids are short; a clash with an existing attachment takes another id.
        let mut attempts = 0;
        let id = loop {
            let id = self.generate_attachment_id(&params.mime_type, ctx);
            if !valid_id(&id) {
                return Err(StoreError::Rejected(format!("attachment id `{id}` cannot name a file")));
            }
            match create_new(&self.sidecar_path(&id), &json).await {
                Ok(()) => break id,
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempts < 8 => attempts += 1,
                Err(err) => return Err(StoreError::backend(err)),
            }
        };
        let mut base = AttachmentBase::new(id.clone(), params.name.clone(), params.mime_type.clone());
        base.upload_descriptor = Some(UploadDescriptor {
            url: format!("{}/{id}?upload={}", self.base_url, sidecar.upload_key),
            method: self.method,
            headers: Default::default(),
        });
        Ok(if essence(&params.mime_type).starts_with("image/") {
            let preview_url = format!("{}/{id}?key={}", self.base_url, sidecar.read_key);
            Attachment::Image(ImageAttachment { base, preview_url })
        } else {
            Attachment::File(base)
        })
    }

    async fn delete_attachment(&self, attachment_id: &AttachmentId, ctx: &C) -> StoreResult<()> {
        let sidecar = match self.sidecar(attachment_id).await {
            Ok(sidecar) => sidecar,
            Err(TransferError::NotFound) => return Ok(()),
            Err(err) => return Err(StoreError::backend(err)),
        };
        if sidecar.owner != ctx.owner() {
            return Err(StoreError::attachment_not_found(attachment_id));
        }
        for path in [self.data_path(attachment_id), self.sidecar_path(attachment_id)] {
            match tokio::fs::remove_file(&path).await {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(StoreError::backend(err)),
            }
        }
        Ok(())
    }
}

/// Writes `body` to a new file at `path`, failing once it exceeds `limit` bytes; the file is
/// flushed to disk before this returns.
async fn write_limited<S, E>(path: &Path, body: S, limit: u64) -> Result<u64, TransferError>
where
    S: Stream<Item = Result<bytes::Bytes, E>>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut file = tokio::fs::File::create_new(path).await.map_err(TransferError::Io)?;
    let mut size: u64 = 0;
    let mut body = std::pin::pin!(body);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|err| TransferError::BadRequest(format!("reading the upload failed: {}", err.into())))?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(TransferError::TooLarge { limit });
        }
        file.write_all(&chunk).await.map_err(TransferError::Io)?;
    }
    file.sync_all().await.map_err(TransferError::Io)?;
    Ok(size)
}

/// Creates a file that must not exist yet, with these contents.
async fn create_new(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = tokio::fs::File::create_new(path).await?;
    file.write_all(contents).await?;
    file.sync_all().await
}

/// Ids that are safe as file names: ASCII letters, digits, `_` and `-`.
fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A MIME type without parameters, lower-cased: `Text/Plain; charset=utf-8` → `text/plain`.
fn essence(mime: &str) -> String {
    mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// 128 random bits, as hex.
fn secret() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Compares secrets in time independent of where they differ.
fn same_secret(expected: &str, given: &str) -> bool {
    expected.len() == given.len() && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn type_patterns() {
        let files = LocalFileAttachments::new("x", "http://h").allowed_types(["image/*", "Application/PDF"]);
        assert!(files.allows("image/png"));
        assert!(files.allows("IMAGE/JPEG; q=1"));
        assert!(files.allows("application/pdf"));
        assert!(!files.allows("image/"));
        assert!(!files.allows("imagex/png"));
        assert!(!files.allows("text/html"));
        assert!(LocalFileAttachments::new("x", "h").allowed_types(["*/*"]).allows("text/html"));
    }

    #[test]
    fn ids_that_name_files() {
        assert!(valid_id("atc_1234abcd"));
        for bad in ["", "../x", "a/b", "a.json", "a b", "ä"] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert_ne!(secret(), secret());
    }
}
