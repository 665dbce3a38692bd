//! The few Python behaviours the script relies on (the reference app is written in Python).

use serde_json::Value;

/// Splits on whitespace as Python's `str.split()` does (which also splits on the ASCII
/// information separators U+001C–U+001F).
pub(crate) fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)).filter(|w| !w.is_empty()).collect()
}

/// Python's `int(text)` for a decimal literal: optional sign, digits, single underscores
/// between digits. `None` when it is not a number; `Some(None)` when it is too large to hold.
pub(crate) fn parse_int(text: &str) -> Option<Option<i128>> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let valid = !body.is_empty()
        && !body.starts_with('_')
        && !body.ends_with('_')
        && !body.contains("__")
        && body.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !valid {
        return None;
    }
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    Some(digits.parse::<i128>().ok())
}

pub(crate) use chatkit::python::str_of;

/// Python's `a == b` between a JSON value and an integer (`1.0 == 1` and `True == 1` hold).
pub(crate) fn equals_int(value: &Value, n: i64) -> bool {
    match value {
        Value::Bool(b) => i64::from(*b) == n,
        Value::Number(num) => match (num.as_i64(), num.as_f64()) {
            (Some(i), _) => i == n,
            (None, Some(f)) => f == n as f64,
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_like_python() {
        assert_eq!(parse_int("42"), Some(Some(42)));
        assert_eq!(parse_int("-1_000"), Some(Some(-1000)));
        assert_eq!(parse_int("+7"), Some(Some(7)));
        assert_eq!(parse_int("1__0"), None);
        assert_eq!(parse_int("_1"), None);
        assert_eq!(parse_int("x"), None);
        assert_eq!(parse_int("-"), None);
        assert_eq!(parse_int("1".repeat(60).as_str()), Some(None));
    }

    #[test]
    fn python_whitespace() {
        assert_eq!(words(" a\u{1f}b\u{2028}c  "), vec!["a", "b", "c"]);
    }
}
