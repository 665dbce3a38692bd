//! What the SQL backends share: JSON columns, pages, limits.

use chatkit::store::{StoreError, StoreResult};
use chatkit::{IdKind, Page, ThreadId};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Serializes a value for a JSON column.
pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(StoreError::backend)
}

/// Deserializes a JSON column; `what` and `id` name the row in the error.
pub(crate) fn from_json<T: DeserializeOwned>(what: &str, id: &str, json: &str) -> StoreResult<T> {
    serde_json::from_str(json).map_err(|err| StoreError::Corrupt(format!("{what} `{id}`: {err}")))
}

/// A fresh thread id that sorts after the ids made before it: `thr_` and 19 letters and digits
/// (base 62, in ASCII order) holding the milliseconds since 1970 (48 bits), then 64 bits of a
/// UUIDv7's counter and random bits.
///
/// Threads are indexed by `(owner, id)`: a random id lands on a random page of that index, so
/// every new thread dirties a page of its own in the commit; ids in creation order all land on
/// the last page, which the threads created together share. Base 62 keeps the id about as short
/// as a random one (ids are repeated in every listing and item).
pub(crate) fn ordered_thread_id() -> ThreadId {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let uuid = uuid::Uuid::now_v7().as_u128();
    // The UUID's fields: 48 bits of milliseconds, the version (4 bits), 12 counter bits, the
    // variant (2 bits), 62 random bits; the last 10 random bits are left out.
    let millis = uuid >> 80;
    let counter = (uuid >> 64) & 0xfff;
    let random = (uuid & ((1 << 62) - 1)) >> 10;
    let mut value = (millis << 64) | (counter << 52) | random;
    let mut digits = [b'0'; 19];
    for digit in digits.iter_mut().rev() {
        *digit = DIGITS[(value % 62) as usize];
        value /= 62;
    }
    let prefix = IdKind::Thread.prefix();
    let mut id = String::with_capacity(prefix.len() + 1 + digits.len());
    id.push_str(prefix);
    id.push('_');
    id.extend(digits.iter().map(|&d| char::from(d)));
    ThreadId::new(id)
}

/// The SQL `LIMIT` that fetches one row more than a page holds, to learn whether more remain.
pub(crate) fn fetch_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1)
}

/// A page out of up to `limit + 1` rows of `(id, value)` in the requested order.
pub(crate) fn page<T>(rows: Vec<(String, T)>, limit: usize) -> Page<T> {
    let Page { data, has_more, after } = page_of(rows, limit, |(id, _)| id.as_str());
    Page { data: data.into_iter().map(|(_, value)| value).collect(), has_more, after }
}

/// A page out of up to `limit + 1` values in the requested order; `id` tells a value's id
/// (the cursor after the page).
pub(crate) fn page_of<T>(mut values: Vec<T>, limit: usize, id: fn(&T) -> &str) -> Page<T> {
    let has_more = values.len() > limit;
    values.truncate(limit);
    let after = if has_more { values.last().map(|value| id(value).to_owned()) } else { None };
    Page { data: values, has_more, after }
}

/// Makes serde_json text storable as PostgreSQL `jsonb`, which cannot hold the character
/// U+0000: every `\u0000` escape becomes U+E000 followed by `0`, and every U+E000 is doubled.
/// [`unescape_nul`] reverses it exactly.
#[cfg(feature = "postgres")]
pub(crate) fn escape_nul(json: String) -> String {
    if !json.contains("\\u0000") && !json.contains(NUL_MARK) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        match c {
            NUL_MARK => out.extend([NUL_MARK, NUL_MARK]),
            '\\' => {
                // An escape sequence: `\u0000` is the only one that changes; copying the char
                // after the backslash keeps `\\u0000` (a backslash, then text) intact.
                let rest = chars.as_str();
                if let Some(after) = rest.strip_prefix("u0000") {
                    out.extend([NUL_MARK, '0']);
                    chars = after.chars();
                } else {
                    out.push('\\');
                    out.extend(chars.next());
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape_nul`] on JSON text read back from PostgreSQL.
#[cfg(feature = "postgres")]
pub(crate) fn unescape_nul(json: String) -> StoreResult<String> {
    if !json.contains(NUL_MARK) {
        return Ok(json);
    }
    let mut out = String::with_capacity(json.len());
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        if c != NUL_MARK {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(NUL_MARK) => out.push(NUL_MARK),
            Some('0') => out.push_str("\\u0000"),
            _ => return Err(StoreError::Corrupt("a lone U+E000 mark in stored JSON".into())),
        }
    }
    Ok(out)
}

/// Stands for U+0000 in `jsonb` (a private-use character, doubled when it occurs itself).
#[cfg(feature = "postgres")]
const NUL_MARK: char = '\u{E000}';

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn thread_ids_sort_in_creation_order() {
        let ids: Vec<String> = (0..10_000).map(|_| ordered_thread_id().to_string()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids in creation order sort ascending and differ");
        assert!(
            ids.iter().all(|id| id.len() == 23 && id.starts_with("thr_") && id[4..].bytes().all(|b| b.is_ascii_alphanumeric())),
            "{}",
            ids[0]
        );
        // 112 bits fit in 19 digits of base 62: the largest value does not wrap.
        assert!(62u128.pow(19) > 1 << 112);
    }

    #[test]
    fn pages_from_one_extra_row() {
        let rows = |n: usize| (0..n).map(|i| (format!("id{i}"), i)).collect::<Vec<_>>();
        assert_eq!(page(rows(3), 2), Page::new(vec![0, 1], true, Some("id1".into())));
        assert_eq!(page(rows(2), 2), Page::new(vec![0, 1], false, None));
        assert_eq!(page(rows(1), 0), Page::new(vec![], true, None));
        assert_eq!(page(rows(0), 5), Page::new(vec![], false, None));
        assert_eq!(fetch_limit(usize::MAX), i64::MAX);
        assert_eq!(fetch_limit(20), 21);
    }

    #[test]
    fn pages_of_values_that_know_their_ids() {
        let values = |n: usize| (0..n).map(|i| format!("id{i}")).collect::<Vec<_>>();
        let id: fn(&String) -> &str = String::as_str;
        assert_eq!(page_of(values(3), 2, id), Page::new(values(2), true, Some("id1".into())));
        assert_eq!(page_of(values(2), 2, id), Page::new(values(2), false, None));
        assert_eq!(page_of(values(1), 0, id), Page::new(vec![], true, None));
        assert_eq!(page_of(values(0), 5, id), Page::new(vec![], false, None));
    }

    #[cfg(feature = "postgres")]
    fn has_nul(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(a) => a.iter().any(has_nul),
            serde_json::Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
            _ => false,
        }
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn nul_escaping_round_trips() {
        let samples = [
            "plain",
            "a\u{0}b",
            "\u{0}\u{0}",
            "mark \u{E000} and \u{E000}0 and \u{E000}\u{E000}",
            "literal \\u0000 text",
            "\\\u{0}\\",
            "\u{E000}\u{0}",
            "ünïcødé 🦀 \u{2028}",
        ];
        for s in samples {
            let json = serde_json::to_string(&serde_json::json!({ s: [s, {"k": s}] })).unwrap();
            let escaped = escape_nul(json.clone());
            let parsed: serde_json::Value = serde_json::from_str(&escaped).unwrap();
            assert!(!has_nul(&parsed), "{escaped}");
            assert_eq!(unescape_nul(escaped).unwrap(), json, "{s:?}");
        }
        assert!(unescape_nul("\"\u{E000}x\"".into()).is_err());
        let plain = r#"{"a":"b"}"#.to_owned();
        assert_eq!(escape_nul(plain.clone()), plain);
    }
}
