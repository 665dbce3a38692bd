//! Tool calls typed as messages (`/NAME {json}`), so that offline models can call any tool.

use serde_json::{Map, Value};

use super::{ModelRequest, ToolCall};

/// A tool call typed as a message: `/NAME`, then optionally the arguments as a JSON object
/// (none: `{}`).
///
/// Offline models ([`ScriptedModel`](super::ScriptedModel), and the examples' own) read it in
/// the last message the user typed and call the tool `NAME` with those arguments — any tool the
/// request offers, MCP tools included — so that every tool can be tried without a model. A
/// real model just reads the message as text.
///
/// `NAME` is made of ASCII letters, digits, `_`, `-` and `.`, and ends the message or is
/// followed by white space; anything else (`/usr/bin`, `/ hi`) is not a command.
///
/// ```
/// use chatkit_agents::model::ToolCommand;
/// let command = ToolCommand::parse(r#"/show_card {"title": "Hello"}"#).unwrap().expect("a command");
/// assert_eq!(command.name, "show_card");
/// assert_eq!(command.arguments["title"], "Hello");
/// assert!(ToolCommand::parse("/list_tasks").unwrap().expect("a command").arguments.is_empty());
/// assert!(ToolCommand::parse("show tasks").unwrap().is_none());
/// let err = ToolCommand::parse("/add a=1").unwrap_err();
/// assert!(err.to_string().starts_with("the arguments of /add must be a JSON object"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCommand {
    /// The tool to call.
    pub name: String,
    /// Its arguments.
    pub arguments: Map<String, Value>,
}

/// A typed tool call that cannot be made.
///
/// Offline models answer with its message, which says what to type instead.
///
/// ```
/// use chatkit_agents::model::{ModelRequest, ToolCommand, ToolSpec};
/// let request = ModelRequest::new("", vec![]).tools(vec![ToolSpec::new("clock", "", serde_json::json!({}))]);
/// let err = ToolCommand::call_for("/weather", &request).unwrap_err();
/// assert_eq!(err.to_string(), "there is no tool `weather` here; the tools are: clock");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ToolCommandError {
    /// The text after the tool name is not a JSON object.
    #[error("the arguments of /{tool} must be a JSON object, e.g. /{tool} {{\"name\": \"value\"}} ({reason})")]
    Arguments {
        /// The tool.
        tool: String,
        /// What the JSON parser said.
        reason: String,
    },
    /// The request does not offer the tool.
    #[error("there is no tool `{tool}` here; the tools are: {}", if .offered.is_empty() { "none".to_owned() } else { .offered.join(", ") })]
    NotOffered {
        /// The tool asked for.
        tool: String,
        /// The tools the request offers.
        offered: Vec<String>,
    },
}

impl ToolCommand {
    /// Reads `text` (surrounding white space ignored): `Ok(None)` when it is not a command,
    /// an error when it is one whose arguments are not a JSON object.
    pub fn parse(text: &str) -> Result<Option<Self>, ToolCommandError> {
        let Some(rest) = text.trim().strip_prefix('/') else { return Ok(None) };
        let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))).unwrap_or(rest.len());
        let (name, arguments) = rest.split_at(name_len);
        if name.is_empty() || !arguments.is_empty() && !arguments.starts_with(char::is_whitespace) {
            return Ok(None);
        }
        let arguments = arguments.trim();
        let arguments = if arguments.is_empty() {
            Map::new()
        } else {
            serde_json::from_str(arguments)
                .map_err(|err| ToolCommandError::Arguments { tool: name.to_owned(), reason: err.to_string() })?
        };
        Ok(Some(Self { name: name.to_owned(), arguments }))
    }

    /// The call of this command in answer to `request`, when the request offers the tool. Its
    /// id follows the calls already in the input (`call_1`, `call_2`, …).
    ///
    /// ```
    /// use chatkit_agents::model::{ModelRequest, ToolCommand, ToolSpec};
    /// let request = ModelRequest::new("", vec![]).tools(vec![ToolSpec::new("add", "", serde_json::json!({}))]);
    /// let call = ToolCommand::parse(r#"/add {"a": 2}"#).unwrap().unwrap().call(&request).unwrap();
    /// assert_eq!((call.call_id.as_str(), call.name.as_str(), call.arguments.as_str()), ("call_1", "add", r#"{"a":2}"#));
    /// ```
    pub fn call(&self, request: &ModelRequest) -> Result<ToolCall, ToolCommandError> {
        if !request.tools.iter().any(|t| t.name == self.name) {
            let offered = request.tools.iter().map(|t| t.name.clone()).collect();
            return Err(ToolCommandError::NotOffered { tool: self.name.clone(), offered });
        }
        let calls_so_far = request.input.iter().filter(|i| i["type"] == "function_call").count();
        Ok(ToolCall {
            call_id: format!("call_{}", calls_so_far + 1),
            name: self.name.clone(),
            arguments: Value::Object(self.arguments.clone()).to_string(),
        })
    }

    /// [`parse`](Self::parse) then [`call`](Self::call): the call `text` asks for in answer
    /// to `request`; `Ok(None)` when `text` is not a command.
    ///
    /// ```
    /// use chatkit_agents::model::{ModelRequest, ToolCommand};
    /// let request = ModelRequest::new("", vec![]);
    /// assert!(ToolCommand::call_for("hello", &request).unwrap().is_none());
    /// assert!(ToolCommand::call_for("/clock", &request).is_err());
    /// ```
    pub fn call_for(text: &str, request: &ModelRequest) -> Result<Option<ToolCall>, ToolCommandError> {
        Self::parse(text)?.map(|command| command.call(request)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(text: &str) -> Option<(String, Value)> {
        ToolCommand::parse(text).expect("no error").map(|c| (c.name, Value::Object(c.arguments)))
    }

    #[test]
    fn commands_and_not_commands() {
        assert_eq!(parsed("  /get_cat_status  "), Some(("get_cat_status".into(), json!({}))));
        assert_eq!(parsed("/files.read\n{\"path\": \"a b\"}"), Some(("files.read".into(), json!({"path": "a b"}))));
        assert_eq!(parsed("/x-y {\"n\": [1, {\"m\": null}]}"), Some(("x-y".into(), json!({"n": [1, {"m": null}]}))));
        for text in ["", "/", "/ add", "//add", "/usr/bin/env", "/add{}", "add {}", "a /add {}", "/é"] {
            assert_eq!(parsed(text), None, "{text:?}");
        }
    }

    #[test]
    fn arguments_must_be_one_json_object() {
        for text in ["/add [1, 2]", "/add 3", "/add {\"a\": 1", "/add {\"a\": 1} extra", "/add \"a\""] {
            let Err(ToolCommandError::Arguments { tool, .. }) = ToolCommand::parse(text) else { panic!("{text:?} is an error") };
            assert_eq!(tool, "add");
        }
    }

    #[test]
    fn calls_are_numbered_after_the_earlier_ones() {
        let input = vec![
            json!({"type": "function_call", "call_id": "x", "name": "add", "arguments": "{}"}),
            json!({"type": "function_call_output", "call_id": "x", "output": "1"}),
        ];
        let request = ModelRequest::new("", input).tools(vec![super::super::ToolSpec::new("add", "", json!({}))]);
        let call = ToolCommand::call_for("/add", &request).expect("offered").expect("a command");
        assert_eq!((call.call_id.as_str(), call.arguments.as_str()), ("call_2", "{}"));
        let err = ToolCommand::call_for("/sub", &request).expect_err("not offered");
        assert_eq!(err.to_string(), "there is no tool `sub` here; the tools are: add");
        let none = ToolCommand::call_for("/sub", &ModelRequest::new("", vec![])).expect_err("no tools");
        assert_eq!(none.to_string(), "there is no tool `sub` here; the tools are: none");
    }
}
