//! The board's widgets, rendered from the `.widget` templates in `widgets/` with
//! [`WidgetTemplate`].

use chatkit::widgets::{TemplateError, WidgetTemplate};
use chatkit::{HandlerError, WidgetRoot};
use serde_json::{Value, json};

use crate::View;
use crate::board::{Board, PEOPLE, Person, Task};

/// The `.widget` files (version 1.0 widget templates), compiled once.
pub(crate) struct Templates {
    task_list: WidgetTemplate,
    task_form: WidgetTemplate,
    task_preview: WidgetTemplate,
    person_preview: WidgetTemplate,
}

/// A template that failed to render is a bug of the app, reported as a failed response.
fn failed(err: TemplateError) -> HandlerError {
    HandlerError::Other(Box::new(err))
}

impl Templates {
    /// Compiles the bundled templates (the tests compile and render every one of them).
    pub(crate) fn load() -> Result<Self, TemplateError> {
        Ok(Self {
            task_list: WidgetTemplate::from_str(include_str!("../widgets/task_list.widget"))?,
            task_form: WidgetTemplate::from_str(include_str!("../widgets/task_form.widget"))?,
            task_preview: WidgetTemplate::from_str(include_str!("../widgets/task_preview.widget"))?,
            person_preview: WidgetTemplate::from_str(include_str!("../widgets/person_preview.widget"))?,
        })
    }

    /// The task list: `tasks` with the view's selection highlighted, and a status line.
    pub(crate) fn task_list(&self, tasks: &[&Task], view: &View, heading: &str) -> Result<WidgetRoot, HandlerError> {
        let open = tasks.iter().filter(|t| !t.done).count();
        let status = format!("{heading} · {open} open, {} done", tasks.len() - open);
        let tasks: Vec<Value> = tasks.iter().map(|t| task_data(t)).collect();
        let selected = view.selected.as_deref().unwrap_or_default();
        let data = json!({"tasks": tasks, "view": view, "status": status, "selected": selected});
        self.task_list.build(&data).map_err(failed)
    }

    /// The new-task form, optionally prefilled.
    pub(crate) fn task_form(&self, title: Option<&str>, assignee: Option<&Person>) -> Result<WidgetRoot, HandlerError> {
        let people: Vec<Value> = PEOPLE.iter().map(|p| json!({"id": p.id, "name": p.name})).collect();
        let data = json!({"people": people, "title": title, "assignee": assignee.map(|p| p.id)});
        self.task_form.build(&data).map_err(failed)
    }

    /// The entity preview of a task.
    pub(crate) fn task_preview(&self, task: &Task) -> Result<WidgetRoot, HandlerError> {
        self.task_preview.build(&task_data(task)).map_err(failed)
    }

    /// The entity preview of a person, with their task counts.
    pub(crate) fn person_preview(&self, person: &Person, board: &Board) -> Result<WidgetRoot, HandlerError> {
        let tasks = board.assigned_to(Some(person));
        let done = tasks.iter().filter(|t| t.done).count();
        let data = json!({"name": person.name, "role": person.role, "open": tasks.len() - done, "done": done});
        self.person_preview.build(&data).map_err(failed)
    }
}

fn task_data(task: &Task) -> Value {
    json!({"id": task.id, "title": task.title, "done": task.done, "assignee_name": task.assignee_name()})
}

/// A confirmation card that replaces a submitted form (so it cannot be submitted twice).
pub(crate) fn task_created(task: &Task) -> WidgetRoot {
    let assignee = task.assignee_name().map_or_else(|| "Unassigned".to_owned(), |n| format!("Assigned to {n}"));
    WidgetRoot::from_value(json!({
        "type": "Card", "key": "task-form",
        "children": [{"type": "Row", "gap": 2, "align": "center", "children": [
            {"type": "Icon", "name": "check-circle-filled", "color": "success"},
            {"type": "Col", "gap": 0, "children": [
                {"type": "Text", "value": format!("Added “{}”", task.title), "weight": "semibold"},
                {"type": "Caption", "value": assignee}
            ]}
        ]}]
    }))
    .expect("a Card is a widget root")
}

/// Whether a widget still holds a form (not yet submitted).
pub(crate) fn has_form(widget: &WidgetRoot) -> bool {
    fn walk(node: &Value) -> bool {
        match node {
            Value::Object(map) => map.get("type").and_then(Value::as_str) == Some("Form") || map.values().any(walk),
            Value::Array(items) => items.iter().any(walk),
            _ => false,
        }
    }
    walk(&widget.to_value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::person;

    fn actions(widget: &WidgetRoot) -> Vec<(String, String)> {
        fn walk(node: &Value, out: &mut Vec<(String, String)>) {
            match node {
                Value::Object(map) => {
                    if let (Some(kind), Some(handler)) = (map.get("type"), map.get("handler")) {
                        if let (Some(kind), Some(handler)) = (kind.as_str(), handler.as_str()) {
                            out.push((kind.to_owned(), handler.to_owned()));
                        }
                    }
                    map.values().for_each(|v| walk(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&widget.to_value(), &mut out);
        out
    }

    #[test]
    fn task_list_has_server_and_client_actions() {
        let templates = Templates::load().expect("the bundled templates compile");
        let board = Board::sample();
        let tasks: Vec<&Task> = board.tasks().iter().collect();
        let view = View { assignee: None, selected: Some("task-2".into()) };
        let widget = templates.task_list(&tasks, &view, "All tasks").expect("renders");
        assert_eq!(widget.kind(), "ListView");
        let found = actions(&widget);
        for kind in ["task.select", "task.open"] {
            assert_eq!(found.iter().filter(|(k, h)| k == kind && h == "client").count(), 3, "{kind}");
        }
        assert_eq!(found.iter().filter(|(k, h)| k == "task.toggle" && h == "server").count(), 3);
        let text = widget.to_value().to_string();
        assert!(text.contains("All tasks · 3 open, 0 done"), "{text}");
        assert_eq!(text.matches("\"Selected\"").count(), 1);
    }

    #[test]
    fn empty_list_says_so() {
        let widget = Templates::load().expect("the bundled templates compile").task_list(&[], &View::default(), "Grace's tasks").expect("renders");
        assert!(widget.to_value().to_string().contains("No tasks here yet"));
    }

    #[test]
    fn form_is_prefilled_and_replaced() {
        let templates = Templates::load().expect("the bundled templates compile");
        let form = templates.task_form(Some("Ship \"it\""), person("ada")).expect("renders");
        assert!(has_form(&form));
        let text = form.to_value().to_string();
        assert!(text.contains(r#""defaultValue":"Ship \"it\"""#), "{text}");
        assert!(text.contains(r#""defaultValue":"ada""#), "{text}");
        assert_eq!(actions(&form), vec![("task.create".to_owned(), "server".to_owned())]);
        let empty = templates.task_form(None, None).expect("renders");
        assert!(!empty.to_value().to_string().contains("defaultValue"));
        let board = Board::sample();
        assert!(!has_form(&task_created(&board.tasks()[0])));
    }

    #[test]
    fn previews_are_basic_roots() {
        let templates = Templates::load().expect("the bundled templates compile");
        let board = Board::sample();
        let task = templates.task_preview(&board.tasks()[0]).expect("renders");
        assert_eq!(task.kind(), "Basic");
        assert!(task.to_value().to_string().contains("Assigned to Ada · open"));
        let ada = templates.person_preview(person("ada").expect("ada"), &board).expect("renders");
        assert!(ada.to_value().to_string().contains("1 open, 0 done"));
    }
}
