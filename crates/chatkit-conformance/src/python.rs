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

/// Python's `str(value)` for JSON values (`None`, `True`, `['a', 1]`, `{'k': 'v'}`).
pub(crate) fn str_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => repr(other),
    }
}

/// Python's `repr(value)` for JSON values.
pub(crate) fn repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) if n.is_f64() => {
            let text = chatkit_agents::pyjson::dumps(value);
            match text.as_str() {
                "NaN" => "nan".into(),
                "Infinity" => "inf".into(),
                "-Infinity" => "-inf".into(),
                _ => text,
            }
        }
        Value::Number(n) => n.to_string(),
        Value::String(s) => repr_str(s),
        Value::Array(items) => format!("[{}]", items.iter().map(repr).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let entries: Vec<String> = map.iter().map(|(k, v)| format!("{}: {}", repr_str(k), repr(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

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
    use serde_json::json;

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
    fn str_and_repr_like_python() {
        assert_eq!(str_of(&json!(null)), "None");
        assert_eq!(str_of(&json!("x")), "x");
        assert_eq!(str_of(&json!([1, "a", true, null, 2.5])), "[1, 'a', True, None, 2.5]");
        assert_eq!(str_of(&json!({"k": "it's"})), "{'k': \"it's\"}");
    }

    #[test]
    fn python_whitespace() {
        assert_eq!(words(" a\u{1f}b\u{2028}c  "), vec!["a", "b", "c"]);
    }
}
