//! Python's `str()` and `repr()` of JSON values, as the reference prints them: in `.widget`
//! templates (`{{ value }}`, `~`, `join`) and wherever an app echoes data the Python way.
//!
//! ```
//! use chatkit::python;
//! let value = serde_json::json!([1, "it's", true, null, 1e21, {"k": 0.5}]);
//! assert_eq!(python::repr(&value), r#"[1, "it's", True, None, 1e+21, {'k': 0.5}]"#);
//! assert_eq!(python::str_of(&serde_json::json!("plain")), "plain");
//! ```

use std::fmt::Write as _;

use serde_json::Value;

/// Python's `str(value)`: strings as they are, everything else as [`repr`].
pub fn str_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => repr(other),
    }
}

/// Python's `repr(value)` (`None`, `True`, `2.0`, `'a'`, `[1, 'a']`, `{'k': 'v'}`).
pub fn repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(value, &mut out);
    out
}

fn write_repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => match (n.is_f64(), n.as_f64()) {
            (true, Some(f)) => repr_float(f, out),
            _ => {
                let _ = write!(out, "{n}");
            }
        },
        Value::String(s) => repr_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_str(key, out);
                out.push_str(": ");
                write_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr(float)`: the shortest round-tripping digits, exponent form outside
/// `1e-4 ≤ |x| < 1e16`, and always a `.0` on integral values (`nan`, `inf`, `-inf` too).
pub fn repr_float(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str("nan");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f < 0.0 { "-inf" } else { "inf" });
        return;
    }
    // Python writes the shortest digits that read back as `f`, in positional notation when
    // their exponent is in -4..16. The exponent of those digits is that of `f` itself (digits
    // below 1e-4 or from 1e16 on would read back as another double), so the usual case needs
    // no scientific form first, and the others are all written in it.
    if f == 0.0 || (1e-4..1e16).contains(&f.abs()) {
        let start = out.len();
        let _ = write!(out, "{f}");
        if !out[start..].contains('.') {
            out.push_str(".0");
        }
        return;
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let _ = write!(out, "{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
}

/// Python's `repr(str)`: single quotes unless the text has `'` and no `"`, with Python's
/// escapes.
pub fn repr_str(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
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
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn str_and_repr_like_python() {
        assert_eq!(str_of(&json!(null)), "None");
        assert_eq!(str_of(&json!("x")), "x");
        assert_eq!(str_of(&json!([1, "a", true, null, 2.5])), "[1, 'a', True, None, 2.5]");
        assert_eq!(str_of(&json!({"k": "it's"})), "{'k': \"it's\"}");
        assert_eq!(repr(&json!(["a\n\u{1}\\", "both ' \""])), r#"['a\n\x01\\', 'both \' "']"#);
    }

    #[test]
    fn floats_like_python() {
        let cases = [(2.0, "2.0"), (1e21, "1e+21"), (1.5e-5, "1.5e-05"), (1e16, "1e+16"), (1e15, "1000000000000000.0"), (0.0001, "0.0001"), (-0.0, "-0.0"), (0.1, "0.1")];
        // Around the bounds of positional notation, and at the ends of the range.
        let cases = cases.into_iter().chain([
            (9999999999999998.0, "9999999999999998.0"),
            (9.999999999999999e-05, "9.999999999999999e-05"),
            (0.00010000000000000002, "0.00010000000000000002"),
            (-1e-4, "-0.0001"),
            (1234567890123456.7, "1234567890123456.8"),
            (-123.456, "-123.456"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
        ]);
        for (f, expected) in cases {
            let mut out = String::new();
            repr_float(f, &mut out);
            assert_eq!(out, expected, "{f}");
        }
    }
}
