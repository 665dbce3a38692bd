//! Pages of threads or items.

use serde::{Deserialize, Serialize};

/// Sort order of a listing.
///
/// ```
/// use chatkit::Order;
/// assert_eq!(Order::default(), Order::Desc);
/// assert_eq!(serde_json::to_string(&Order::Asc).unwrap(), "\"asc\"");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Oldest first.
    Asc,
    /// Newest first (the protocol's default).
    #[default]
    Desc,
}

/// One page of a listing: `{"data": [...], "has_more": bool, "after"?: id}`.
///
/// `after` is the id of the last element when more remain; pass it back as the exclusive cursor
/// of the next request.
///
/// ```
/// use chatkit::Page;
/// let page: Page<u32> = Page::new(vec![1, 2], false, None);
/// assert_eq!(serde_json::to_string(&page).unwrap(), r#"{"data":[1,2],"has_more":false}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The elements of this page.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// Whether elements remain after this page.
    #[serde(default)]
    pub has_more: bool,
    /// Cursor for the next page (id of the last element) when `has_more`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self { data: Vec::new(), has_more: false, after: None }
    }
}

impl<T> Page<T> {
    /// A page from its parts.
    pub fn new(data: Vec<T>, has_more: bool, after: Option<String>) -> Self {
        Self { data, has_more, after }
    }

    /// Maps every element, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { data: self.data.into_iter().map(f).collect(), has_more: self.has_more, after: self.after }
    }
}

/// Picks the positions (in ascending storage order) that make up one page.
///
/// `len` is the size of the collection in ascending order, `after` the ascending position of
/// the cursor element. Returns the positions in the requested order and whether more remain.
/// Shared by stores that keep their data in ordered memory.
///
/// ```
/// use chatkit::{Order, protocol::page_window};
/// assert_eq!(page_window(5, None, 2, Order::Asc), (vec![0, 1], true));
/// assert_eq!(page_window(5, Some(1), 10, Order::Asc), (vec![2, 3, 4], false));
/// assert_eq!(page_window(5, None, 2, Order::Desc), (vec![4, 3], true));
/// assert_eq!(page_window(5, Some(3), 2, Order::Desc), (vec![2, 1], true));
/// assert_eq!(page_window(5, Some(0), 2, Order::Desc), (vec![], false));
/// ```
pub fn page_window(len: usize, after: Option<usize>, limit: usize, order: Order) -> (Vec<usize>, bool) {
    match order {
        Order::Asc => {
            let start = after.map_or(0, |p| p + 1).min(len);
            let end = start.saturating_add(limit).min(len);
            ((start..end).collect(), end < len)
        }
        Order::Desc => {
            // `end` is one past the newest position still to list.
            let end = after.unwrap_or(len).min(len);
            let start = end.saturating_sub(limit);
            ((start..end).rev().collect(), start > 0)
        }
    }
}
