//! JSON text exactly as Python's `json.dumps` writes it.
//!
//! Models were trained on, and the reference sends, Python-formatted JSON: tool arguments and
//! outputs go to the model as `json.dumps(value)` text (`", "` and `": "` separators, non-ASCII
//! escaped). [`dumps`] reproduces that byte for byte; [`canonical`] is the compact, key-sorted,
//! null-free form used where a stable text is needed.

use std::fmt::Write as _;

use serde_json::Value;

/// `json.dumps(value)` with Python's defaults.
///
/// ```
/// use serde_json::json;
/// assert_eq!(chatkit_agents::pyjson::dumps(&json!({"a": [1, 2.5, null], "é": true})),
///            r#"{"a": [1, 2.5, null], "\u00e9": true}"#);
/// ```
pub fn dumps(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, &Style { item_sep: ", ", key_sep: ": ", ascii: true, sort: false });
    out
}

/// Compact JSON with sorted keys, object members whose value is `null` removed (recursively),
/// and non-ASCII characters written as they are: `json.dumps(v, sort_keys=True,
/// separators=(",", ":"), ensure_ascii=False)` after dropping nulls.
///
/// ```
/// use serde_json::json;
/// assert_eq!(chatkit_agents::pyjson::canonical(&json!({"b": 1, "a": {"x": null, "y": "é"}})),
///            r#"{"a":{"y":"é"},"b":1}"#);
/// ```
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, &drop_nulls(value), &Style { item_sep: ",", key_sep: ":", ascii: false, sort: true });
    out
}

fn drop_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), drop_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(drop_nulls).collect()),
        other => other.clone(),
    }
}

struct Style {
    item_sep: &'static str,
    key_sep: &'static str,
    ascii: bool,
    sort: bool,
}

fn write(out: &mut String, value: &Value, style: &Style) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                out.push_str(&float_repr(f));
            } else {
                let _ = write!(out, "{n}");
            }
        }
        Value::String(s) => write_str(out, s, style.ascii),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(style.item_sep);
                }
                write(out, item, style);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if style.sort {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(style.item_sep);
                }
                write_str(out, key, style.ascii);
                out.push_str(style.key_sep);
                write(out, item, style);
            }
            out.push('}');
        }
    }
}

fn write_str(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && (c as u32) > 0x7e) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A float as Python's `repr` writes it: shortest round-trip digits, fixed notation for
/// exponents -4..16 (always with a fractional part), scientific (`1e+16`) otherwise.
fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // `{:e}` gives the shortest round-trip digits: "-1.2345e-7".
    let sci = format!("{f:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}{fraction}e{exp_sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn floats_match_python_repr() {
        for (f, want) in [
            (1.0, "1.0"),
            (2.5, "2.5"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (-123.456, "-123.456"),
            (1e21, "1e+21"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ] {
            assert_eq!(float_repr(f), want, "{f}");
        }
    }

    #[test]
    fn dumps_escapes_like_python() {
        assert_eq!(dumps(&json!("🦀\u{1}\"")), r#""\ud83e\udd80\u0001\"""#);
        assert_eq!(dumps(&json!({"args": ["a", "b"]})), r#"{"args": ["a", "b"]}"#);
        assert_eq!(dumps(&json!({})), "{}");
        assert_eq!(dumps(&json!(null)), "null");
        assert_eq!(dumps(&json!("\u{7f}")), r#""\u007f""#);
    }

    #[test]
    fn canonical_sorts_and_drops_nulls() {
        assert_eq!(canonical(&json!({"z": [null, 1], "a": null})), r#"{"z":[null,1]}"#);
        assert_eq!(canonical(&json!("日本")), r#""日本""#);
    }
}
