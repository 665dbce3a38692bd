//! Hot reload for development: a template that recompiles when its file changes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use super::{TemplateError, WidgetTemplate};

/// A `.widget` file that is recompiled when it changes on disk (checked on each
/// [`get`](Self::get), one `stat` call), so a running server picks up edits.
///
/// In release builds embed templates instead: `WidgetTemplate::from_str(include_str!(…))`.
///
/// ```
/// use chatkit::widgets::WatchedTemplate;
/// let dir = std::env::temp_dir().join(format!("watched-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("hello.widget");
/// std::fs::write(&path, r#"{"version": "1.0", "name": "Hello",
///     "template": "{\"type\": \"Card\", \"children\": []}"}"#).unwrap();
///
/// let watched = WatchedTemplate::open(&path).unwrap();
/// let card = watched.get().unwrap().build(&()).unwrap();
/// assert_eq!(card.kind(), "Card");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug)]
pub struct WatchedTemplate {
    path: PathBuf,
    current: RwLock<(Option<SystemTime>, Arc<WidgetTemplate>)>,
}

impl WatchedTemplate {
    /// Loads the file; fails if it does not compile.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, TemplateError> {
        let path = path.as_ref().to_owned();
        let modified = modified(&path);
        let template = WidgetTemplate::from_file(&path)?;
        Ok(Self { path, current: RwLock::new((modified, Arc::new(template))) })
    }

    /// The file this template is loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The template, recompiled first if the file changed since the last call. A file that no
    /// longer compiles is an error (the previous version stays loaded for the next call).
    pub fn get(&self) -> Result<Arc<WidgetTemplate>, TemplateError> {
        let now = modified(&self.path);
        {
            let current = self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            if current.0 == now {
                return Ok(Arc::clone(&current.1));
            }
        }
        let template = Arc::new(WidgetTemplate::from_file(&self.path)?);
        let mut current = self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        *current = (now, Arc::clone(&template));
        tracing::debug!(path = %self.path.display(), "widget template reloaded");
        Ok(template)
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloads_on_change() {
        let dir = std::env::temp_dir().join(format!("watched-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("t.widget");
        let write = |root: &str| {
            let source = format!(r#"{{"version": "1.0", "name": "t", "template": "{{\"type\": \"{root}\", \"children\": []}}"}}"#);
            std::fs::write(&path, source).expect("write");
        };
        write("Card");
        let watched = WatchedTemplate::open(&path).expect("opens");
        assert_eq!(watched.get().expect("loads").build(&()).expect("builds").kind(), "Card");

        // Make sure the modification time moves even on coarse file systems.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write("Basic");
        let later = SystemTime::now() + std::time::Duration::from_secs(2);
        std::fs::File::options().write(true).open(&path).and_then(|f| f.set_modified(later)).expect("touch");
        assert_eq!(watched.get().expect("reloads").build(&()).expect("builds").kind(), "Basic");

        std::fs::write(&path, "{ not json").expect("write");
        std::fs::File::options().write(true).open(&path).and_then(|f| f.set_modified(later + std::time::Duration::from_secs(2))).expect("touch");
        assert!(watched.get().is_err());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
