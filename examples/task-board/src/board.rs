//! The board: tasks and the people they can be assigned to. Plain data, no I/O.

use serde::Serialize;

/// Someone a task can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Stable id, also the entity id of @-mentions (`ada`).
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// What they do, shown in previews.
    pub role: &'static str,
}

/// The team of the demo.
pub const PEOPLE: [Person; 3] = [
    Person { id: "ada", name: "Ada", role: "Engineering" },
    Person { id: "grace", name: "Grace", role: "Product" },
    Person { id: "alan", name: "Alan", role: "Design" },
];

/// The person with this id or (case-insensitive) name.
///
/// ```
/// assert_eq!(task_board::person("Grace").unwrap().id, "grace");
/// assert!(task_board::person("nobody").is_none());
/// ```
pub fn person(key: &str) -> Option<&'static Person> {
    let key = key.trim().trim_start_matches('@');
    PEOPLE.iter().find(|p| p.id == key || p.name.eq_ignore_ascii_case(key))
}

/// One task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Task {
    /// `task-N`, also the entity id of @-mentions.
    pub id: String,
    /// What needs doing.
    pub title: String,
    /// The assignee's [`Person::id`].
    pub assignee: Option<String>,
    /// Whether it is done.
    pub done: bool,
    /// The request that created the task (a user message or form widget id), so that
    /// retrying that request does not create it twice.
    #[serde(skip)]
    pub origin: Option<String>,
}

impl Task {
    /// The assignee's display name.
    pub fn assignee_name(&self) -> Option<&'static str> {
        self.assignee.as_deref().and_then(person).map(|p| p.name)
    }
}

/// One user's tasks.
///
/// ```
/// let mut board = task_board::Board::default();
/// let id = board.add("Write docs", Some("ada"), Some("msg_1")).id.clone();
/// // The same origin again (a retried request) finds the task instead of adding another.
/// assert_eq!(board.add("Write docs", Some("ada"), Some("msg_1")).id, id);
/// assert!(board.toggle(&id).unwrap().done);
/// assert_eq!(board.tasks().len(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Board {
    tasks: Vec<Task>,
    next_id: u32,
}

impl Board {
    /// The board every user starts with.
    pub fn sample() -> Self {
        let mut board = Board::default();
        board.add("Write the release notes", Some("ada"), None);
        board.add("Review the widget designs", Some("alan"), None);
        board.add("Plan the launch demo", None, None);
        board
    }

    /// All tasks, oldest first.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// The task with this id.
    pub fn get(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The task with this id, or else the first whose title contains `text` (case-insensitive).
    pub fn find(&self, text: &str) -> Option<&Task> {
        let text = text.trim().trim_start_matches('@').trim();
        if text.is_empty() {
            return None;
        }
        let lower = text.to_lowercase();
        self.get(text).or_else(|| self.tasks.iter().find(|t| t.title.to_lowercase().contains(&lower)))
    }

    /// Adds a task, or returns the one an earlier run of the same `origin` created.
    pub fn add(&mut self, title: &str, assignee: Option<&str>, origin: Option<&str>) -> &Task {
        if let Some(origin) = origin {
            if let Some(at) = self.tasks.iter().position(|t| t.origin.as_deref() == Some(origin)) {
                return &self.tasks[at];
            }
        }
        self.next_id += 1;
        self.tasks.push(Task {
            id: format!("task-{}", self.next_id),
            title: title.trim().to_owned(),
            assignee: assignee.and_then(person).map(|p| p.id.to_owned()),
            done: false,
            origin: origin.map(str::to_owned),
        });
        let last = self.tasks.len() - 1;
        &self.tasks[last]
    }

    /// Flips a task between open and done.
    pub fn toggle(&mut self, id: &str) -> Option<&Task> {
        let task = self.tasks.iter_mut().find(|t| t.id == id)?;
        task.done = !task.done;
        Some(task)
    }

    /// Marks a task done (a no-op when it already is).
    pub fn complete(&mut self, id: &str) -> Option<&Task> {
        let task = self.tasks.iter_mut().find(|t| t.id == id)?;
        task.done = true;
        Some(task)
    }

    /// Assigns a task to a person.
    pub fn assign(&mut self, id: &str, person: &Person) -> Option<&Task> {
        let task = self.tasks.iter_mut().find(|t| t.id == id)?;
        task.assignee = Some(person.id.to_owned());
        Some(task)
    }

    /// Tasks assigned to `person` (all tasks for `None`).
    pub fn assigned_to(&self, person: Option<&Person>) -> Vec<&Task> {
        self.tasks.iter().filter(|t| person.is_none_or(|p| t.assignee.as_deref() == Some(p.id))).collect()
    }

    /// How many tasks are open.
    pub fn open_count(&self) -> usize {
        self.tasks.iter().filter(|t| !t.done).count()
    }

    /// Tasks and people whose name contains `query` (case-insensitive); all for an empty query.
    pub fn search(&self, query: &str) -> (Vec<&Task>, Vec<&'static Person>) {
        let query = query.trim().trim_start_matches('@').to_lowercase();
        let tasks = self.tasks.iter().filter(|t| t.title.to_lowercase().contains(&query)).collect();
        let people = PEOPLE.iter().filter(|p| p.name.to_lowercase().contains(&query)).collect();
        (tasks, people)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_by_id_or_title() {
        let board = Board::sample();
        assert_eq!(board.find("task-2").map(|t| t.title.as_str()), Some("Review the widget designs"));
        assert_eq!(board.find("release").map(|t| t.id.as_str()), Some("task-1"));
        assert!(board.find("").is_none());
        assert!(board.find("nothing like it").is_none());
    }

    #[test]
    fn assign_and_filter() {
        let mut board = Board::sample();
        let grace = person("grace").expect("grace is on the team");
        assert!(board.assigned_to(Some(grace)).is_empty());
        board.assign("task-3", grace);
        assert_eq!(board.assigned_to(Some(grace)).len(), 1);
        assert_eq!(board.assigned_to(None).len(), 3);
    }

    #[test]
    fn unknown_assignee_is_dropped() {
        let mut board = Board::default();
        assert_eq!(board.add("x", Some("nobody"), None).assignee, None);
    }

    #[test]
    fn search_matches_tasks_and_people() {
        let board = Board::sample();
        let (tasks, people) = board.search("");
        assert_eq!((tasks.len(), people.len()), (3, 3));
        let (tasks, people) = board.search("RELEASE");
        assert_eq!((tasks[0].id.as_str(), people.len()), ("task-1", 0));
        let (tasks, people) = board.search("@gra");
        assert!(tasks.is_empty());
        assert_eq!(people[0].id, "grace");
    }
}
