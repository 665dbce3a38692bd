//! Paths into widget trees and template data, as errors print them.

use std::borrow::Cow;
use std::fmt;

/// Where a member sits in a JSON tree, printed like `children[2].onClickAction.payload`
/// (`(root)` for the tree itself).
///
/// ```
/// use chatkit::widgets::WidgetPath;
/// let mut path = WidgetPath::default();
/// assert_eq!(path.to_string(), "(root)");
/// path.push_key("children");
/// path.push_index(2);
/// path.push_key("onClickAction");
/// assert_eq!(path.to_string(), "children[2].onClickAction");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct WidgetPath(Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Key(Cow<'static, str>),
    Index(usize),
}

impl WidgetPath {
    /// Descends into an object member.
    pub fn push_key(&mut self, key: &str) {
        self.0.push(Segment::Key(Cow::Owned(key.to_owned())));
    }

    /// [`push_key`](Self::push_key) for a fixed name, without copying it.
    pub(crate) fn push_name(&mut self, key: &'static str) {
        self.0.push(Segment::Key(Cow::Borrowed(key)));
    }

    /// Descends into a list element.
    pub fn push_index(&mut self, index: usize) {
        self.0.push(Segment::Index(index));
    }

    /// Goes back up one level.
    pub fn pop(&mut self) {
        self.0.pop();
    }

    /// Whether this is the root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for WidgetPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}
