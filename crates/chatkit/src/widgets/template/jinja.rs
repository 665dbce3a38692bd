//! The Jinja dialect of `.widget` templates: minijinja configured to behave like the Python
//! reference's `jinja2.Environment(undefined=StrictUndefined)`.
//!
//! What differs from plain minijinja, and why:
//! * **strict undefined**: a missing variable fails when printed, iterated, tested or
//!   serialized, never when only passed to `default` or `is defined`;
//! * **no autoescape**: templates produce JSON, `tojson` is what makes strings safe;
//! * **Python `str()`** for printed values: `None`, `True`, `1e+21`, `['a', 1]`;
//! * **Python `round`** (ties to even on the exact binary value; an integer stays an integer);
//! * **`tojson`** fails on undefined values (the reference's `TypeError`) and escapes `<>&'`;
//! * **mutable lists in `namespace()`**: `ns.items.append(x)` works, as templates built with
//!   the reference rely on it.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use minijinja::value::{Enumerator, Kwargs, Object, ObjectRepr, Rest, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};

use crate::python::{repr_float as py_float, repr_str as py_repr_str};

/// A fresh environment with the reference's dialect.
pub(super) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_formatter(|out, _state, value| {
        if let Some(s) = value.as_str() {
            out.write_str(s)?;
        } else {
            let mut text = String::new();
            py_str(value, &mut text);
            out.write_str(&text)?;
        }
        Ok(())
    });
    env.add_filter("tojson", tojson);
    env.add_filter("round", round);
    env.add_filter("string", string);
    env.add_filter("join", join);
    env.add_function("namespace", namespace);
    env.set_unknown_method_callback(|state, value, method, args| {
        if method == "append" && value.kind() == ValueKind::Seq {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "only lists held by a namespace() can be appended to; write \
                 `{% set ns = namespace(items=[]) %}` and `ns.items.append(x)`",
            ));
        }
        minijinja_contrib::pycompat::unknown_method_callback(state, value, method, args)
    });
    env
}

/// Python's `str()` of a template value.
pub(super) fn py_str(value: &Value, out: &mut String) {
    match value.kind() {
        ValueKind::String => out.push_str(value.as_str().unwrap_or_default()),
        _ => py_repr(value, out),
    }
}

/// Python's `repr()` of a template value.
fn py_repr(value: &Value, out: &mut String) {
    match value.kind() {
        ValueKind::Undefined => {}
        ValueKind::None => out.push_str("None"),
        ValueKind::Bool => out.push_str(if value.is_true() { "True" } else { "False" }),
        ValueKind::Number => match f64_of(value) {
            Some(f) => py_float(f, out),
            None => {
                let _ = write!(out, "{value}");
            }
        },
        ValueKind::String => py_repr_str(value.as_str().unwrap_or_default(), out),
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            if let Ok(items) = value.try_iter() {
                for (i, item) in items.enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    py_repr(&item, out);
                }
            }
            out.push(']');
        }
        ValueKind::Map => {
            out.push('{');
            if let Ok(keys) = value.try_iter() {
                for (i, key) in keys.enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    py_repr(&key, out);
                    out.push_str(": ");
                    py_repr(&value.get_item(&key).unwrap_or_default(), out);
                }
            }
            out.push('}');
        }
        _ => {
            let _ = write!(out, "{value}");
        }
    }
}

/// The float inside a number value; `None` for integers.
fn f64_of(value: &Value) -> Option<f64> {
    if value.is_integer() { None } else { f64::try_from(value.clone()).ok() }
}

/// `tojson`: JSON of the value, with `<`, `>`, `&` and `'` escaped as Jinja does; an undefined
/// value anywhere inside is an error, as in the reference.
fn tojson(value: &Value, indent: Option<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let indent = match indent.or(kwargs.get::<Option<Value>>("indent")?) {
        None => None,
        Some(v) if v.is_none() => None,
        Some(v) => Some(usize::try_from(v)?),
    };
    kwargs.assert_all_used()?;
    let json = match indent {
        None => serde_json::to_string(&Json(value)),
        Some(n) => {
            let mut out = Vec::new();
            let indentation = " ".repeat(n);
            let formatter = serde_json::ser::PrettyFormatter::with_indent(indentation.as_bytes());
            let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
            serde::Serialize::serialize(&Json(value), &mut ser)
                .map(|()| String::from_utf8_lossy(&out).into_owned())
        }
    }
    .map_err(|err| Error::new(ErrorKind::InvalidOperation, format!("tojson: {err}")))?;
    Ok(Value::from_safe_string(escape_html_chars(json)))
}

/// Escapes `<`, `>`, `&` and `'` as JSON unicode escapes, as Jinja's `tojson` does; the text
/// is returned as it is (no copy) when it has none of them, as most data has not.
fn escape_html_chars(json: String) -> String {
    let special = |b: &u8| matches!(b, b'<' | b'>' | b'&' | b'\'');
    if !json.as_bytes().iter().any(special) {
        return json;
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    let mut rest = json.as_str();
    while let Some(at) = rest.bytes().position(|b| special(&b)) {
        escaped.push_str(&rest[..at]);
        escaped.push_str(match rest.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => "\\u0027",
        });
        rest = &rest[at + 1..];
    }
    escaped.push_str(rest);
    escaped
}

/// Serializes a template value as JSON; undefined values are an error.
struct Json<'a>(&'a Value);

impl serde::Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap, SerializeSeq};
        let value = self.0;
        match value.kind() {
            ValueKind::Undefined => Err(S::Error::custom("an undefined value is not JSON serializable")),
            ValueKind::Seq | ValueKind::Iterable => {
                let items = value.try_iter().map_err(S::Error::custom)?;
                let mut seq = ser.serialize_seq(value.len())?;
                for item in items {
                    seq.serialize_element(&Json(&item))?;
                }
                seq.end()
            }
            ValueKind::Map => {
                let keys = value.try_iter().map_err(S::Error::custom)?;
                let mut map = ser.serialize_map(value.len())?;
                for key in keys {
                    let item = value.get_item(&key).map_err(S::Error::custom)?;
                    match key.as_str() {
                        Some(name) => map.serialize_entry(name, &Json(&item))?,
                        None => {
                            let mut name = String::new();
                            py_str(&key, &mut name);
                            map.serialize_entry(&name, &Json(&item))?;
                        }
                    }
                }
                map.end()
            }
            _ => value.serialize(ser),
        }
    }
}

/// Python's `round(value, precision)` (Jinja's `common` method), plus `floor` and `ceil`.
fn round(state: &State, value: &Value, precision: Option<i32>, kwargs: Kwargs) -> Result<Value, Error> {
    let method: Option<String> = kwargs.get("method")?;
    kwargs.assert_all_used()?;
    if value.is_undefined() {
        return Err(Error::new(ErrorKind::UndefinedError, "round: the value is undefined"));
    }
    let _ = state;
    let precision = precision.unwrap_or(0);
    let Some(f) = f64_of(value) else {
        return match value.kind() {
            // Python's round() of an int with precision ≥ 0 is the int itself.
            ValueKind::Number if precision >= 0 => Ok(value.clone()),
            ValueKind::Number | ValueKind::Bool => {
                let n = i64::try_from(value.clone())? as f64;
                Ok(Value::from(round_f64(n, precision, method.as_deref())? as i64))
            }
            _ => Err(Error::new(ErrorKind::InvalidOperation, format!("cannot round {}", value.kind()))),
        };
    };
    Ok(Value::from(round_f64(f, precision, method.as_deref())?))
}

pub(super) fn round_f64(f: f64, precision: i32, method: Option<&str>) -> Result<f64, Error> {
    let scale = 10f64.powi(precision);
    match method.unwrap_or("common") {
        "common" if precision >= 0 && f.is_finite() => {
            // Formatting is correctly rounded, ties to even on the exact binary value: CPython's
            // round() does the same.
            let digits = precision as usize;
            Ok(format!("{f:.digits$}").parse().unwrap_or(f))
        }
        "common" => Ok((f * scale).round_ties_even() / scale),
        "floor" => Ok((f * scale).floor() / scale),
        "ceil" => Ok((f * scale).ceil() / scale),
        other => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("round: method must be common, ceil or floor, not {other:?}"),
        )),
    }
}

/// `string`: Python's `str()`.
fn string(value: &Value) -> Result<Value, Error> {
    if value.is_undefined() {
        return Err(Error::from(ErrorKind::UndefinedError));
    }
    if value.kind() == ValueKind::String {
        return Ok(value.clone());
    }
    let mut out = String::new();
    py_str(value, &mut out);
    Ok(Value::from(out))
}

/// `join(sep, attribute=None)` with Python's `str()` of each item.
fn join(value: &Value, sep: Option<String>, kwargs: Kwargs) -> Result<Value, Error> {
    let attribute: Option<Value> = kwargs.get("attribute")?;
    kwargs.assert_all_used()?;
    if value.is_undefined() {
        return Err(Error::from(ErrorKind::UndefinedError));
    }
    let sep = sep.unwrap_or_default();
    let mut out = String::new();
    if let Some(s) = value.as_str() {
        for (i, c) in s.chars().enumerate() {
            if i > 0 {
                out.push_str(&sep);
            }
            out.push(c);
        }
        return Ok(Value::from(out));
    }
    for (i, item) in value.try_iter()?.enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        let item = match &attribute {
            Some(attr) => item.get_item(attr)?,
            None => item,
        };
        if item.is_undefined() {
            return Err(Error::from(ErrorKind::UndefinedError));
        }
        py_str(&item, &mut out);
    }
    Ok(Value::from(out))
}

/// `namespace(...)`: minijinja's namespace, with list members made appendable.
fn namespace(args: Rest<Value>) -> Result<Value, Error> {
    let defaults = match args.0.as_slice() {
        [] => None,
        [map] if map.kind() == ValueKind::Map => {
            let mut entries = Vec::new();
            for key in map.try_iter()? {
                let value = map.get_item(&key)?;
                entries.push((key, PyList::wrap(value)));
            }
            Some(Value::from_iter(entries))
        }
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "namespace() takes keyword arguments, e.g. namespace(items=[])",
            ));
        }
    };
    minijinja::functions::namespace(defaults)
}

/// A list that `append`, `extend`, `insert` and `pop` change in place, as Python lists do.
#[derive(Debug, Default)]
struct PyList(Mutex<Vec<Value>>);

impl PyList {
    /// Wraps a list value; other values are returned as they are.
    fn wrap(value: Value) -> Value {
        if value.kind() != ValueKind::Seq {
            return value;
        }
        let items: Vec<Value> = value.try_iter().map(Iterator::collect).unwrap_or_default();
        Value::from_object(PyList(Mutex::new(items)))
    }

    fn items(&self) -> std::sync::MutexGuard<'_, Vec<Value>> {
        // A poisoned lock only means a panic elsewhere; the list itself is still whole.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Object for PyList {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let items = self.items();
        let index = i64::try_from(key.clone()).ok()?;
        let index = if index < 0 { items.len() as i64 + index } else { index };
        items.get(usize::try_from(index).ok()?).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.items().clone())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.items().len())
    }

    fn call_method(self: &Arc<Self>, _state: &State<'_, '_>, method: &str, args: &[Value]) -> Result<Value, Error> {
        let mut items = self.items();
        match (method, args) {
            ("append", [item]) => items.push(item.clone()),
            ("extend", [more]) => items.extend(more.try_iter()?),
            ("insert", [index, item]) => {
                let index = i64::try_from(index.clone())?;
                let len = items.len() as i64;
                let at = if index < 0 { (len + index).max(0) } else { index.min(len) };
                items.insert(at as usize, item.clone());
            }
            ("pop", []) => {
                return items
                    .pop()
                    .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "pop from empty list"));
            }
            ("append" | "extend" | "insert" | "pop", _) => {
                return Err(Error::new(ErrorKind::InvalidOperation, format!("wrong arguments to list.{method}()")));
            }
            _ => return Err(Error::from(ErrorKind::UnknownMethod)),
        }
        Ok(Value::from(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str, ctx: serde_json::Value) -> Result<String, Error> {
        let env = environment();
        env.render_str(source, ctx)
    }

    #[test]
    fn prints_like_python() {
        let out = render(
            "{{ n }} {{ t }} {{ f }} {{ big }} {{ small }} {{ two }} {{ l }} {{ d }}",
            serde_json::json!({"n": null, "t": true, "f": false, "big": 1e21, "small": 1.5e-5, "two": 2.0,
                               "l": ["a", 1, null], "d": {"k": "it's"}}),
        )
        .expect("renders");
        assert_eq!(out, r#"None True False 1e+21 1.5e-05 2.0 ['a', 1, None] {'k': "it's"}"#);
    }

    #[test]
    fn concatenation_prints_like_python() {
        let out = render(
            "{{ 'a' ~ n ~ t ~ f ~ 1 ~ 2.0 ~ none ~ true ~ s }}",
            serde_json::json!({"n": null, "t": true, "f": false, "s": "z"}),
        )
        .expect("renders");
        assert_eq!(out, "aNoneTrueFalse12.0NoneTruez");
    }

    #[test]
    fn rounds_like_python() {
        let out = render(
            "{{ 2.5|round }} {{ -0.005|round(2) }} {{ 2|round(2) }} {{ 2.675|round(2) }} {{ 1.25|round(1, method='ceil') }}",
            serde_json::json!({}),
        )
        .expect("renders");
        assert_eq!(out, "2.0 -0.01 2 2.67 1.3");
    }

    #[test]
    fn strict_undefined() {
        assert!(render("{{ x }}", serde_json::json!({})).is_err());
        assert!(render("{{ x|tojson }}", serde_json::json!({})).is_err());
        assert!(render("{{ [x]|tojson }}", serde_json::json!({})).is_err());
        assert_eq!(render("{{ x|default('y') }}", serde_json::json!({})).expect("renders"), "y");
        assert_eq!(render("{{ x is defined }}", serde_json::json!({})).expect("renders"), "False");
    }

    #[test]
    fn tojson_escapes_like_jinja() {
        let out = render("{{ s|tojson }}", serde_json::json!({"s": "<a href='x'>&"})).expect("renders");
        assert_eq!(out, r#""\u003ca href=\u0027x\u0027\u003e\u0026""#);
    }

    #[test]
    fn html_escapes_keep_the_rest_of_the_text() {
        assert_eq!(escape_html_chars("\"plain ünïcode\"".into()), "\"plain ünïcode\"");
        assert_eq!(escape_html_chars("é<ü>&'".into()), "é\\u003cü\\u003e\\u0026\\u0027");
        assert_eq!(escape_html_chars("<".into()), "\\u003c");
        assert_eq!(escape_html_chars(String::new()), "");
    }

    #[test]
    fn namespace_lists_append() {
        let out = render(
            "{% set ns = namespace(items=[]) %}{% for i in [1, 2] %}{% set _ = ns.items.append(i) %}{% endfor %}{{ ns.items|tojson }} {{ ns.items|length }} {{ ns.items[-1] }}",
            serde_json::json!({}),
        )
        .expect("renders");
        assert_eq!(out, "[1,2] 2 2");
        let err = render("{% set l = [] %}{{ l.append(1) }}", serde_json::json!({})).expect_err("plain lists are fixed");
        assert!(err.to_string().contains("namespace"), "{err}");
    }

    #[test]
    fn join_and_string_use_python_str() {
        let out = render("{{ [1, none, 2.0]|join(', ') }} {{ none|string }}", serde_json::json!({})).expect("renders");
        assert_eq!(out, "1, None, 2.0 None");
    }
}
